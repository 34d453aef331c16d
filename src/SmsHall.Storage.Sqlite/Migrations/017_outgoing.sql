-- Messages the gateway sends of its own accord (notices, offers, answers to tickets) go through the
-- outbox and the message log like replies, so outbound_messages loses its NOT NULL on inbound_sid.
-- SQLite cannot drop a NOT NULL, so the table is rebuilt; the outbox references it, so foreign keys
-- are checked at commit rather than on the DROP (the rows are all there again by then).
--   purpose: reply | answer | notice | offer, and reason: why it went (the notice's event, the
--     campaign, the ticket). A notice or an offer goes to a number once per reason (unique index).
--   category: what the subscriber may refuse it as (ALERTS OFF): the sender drops it if they did meanwhile.
--   due_at: when it may go (the end of quiet hours, else when written); the daily cap counts by it.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE outbound_messages_new (
    id            INTEGER PRIMARY KEY,
    inbound_sid   TEXT UNIQUE REFERENCES inbound_messages (sid),
    to_number     TEXT NOT NULL,
    from_number   TEXT NOT NULL,
    body          TEXT NOT NULL,
    reply_key     TEXT,
    language      TEXT,
    encoding      TEXT,
    segments      INTEGER NOT NULL,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    twilio_sid    TEXT,
    error_code    INTEGER,
    error_message TEXT,
    updated_at    TEXT,
    channel       TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp')),
    purpose       TEXT NOT NULL DEFAULT 'reply' CHECK (purpose IN ('reply', 'answer', 'notice', 'offer')),
    reason        TEXT,
    category      TEXT,
    due_at        TEXT,
    CHECK ((purpose = 'reply') = (inbound_sid IS NOT NULL))
);
INSERT INTO outbound_messages_new (id, inbound_sid, to_number, from_number, body, reply_key, language, encoding, segments,
                                   status, created_at, twilio_sid, error_code, error_message, updated_at, channel)
SELECT id, inbound_sid, to_number, from_number, body, reply_key, language, encoding, segments,
       status, created_at, twilio_sid, error_code, error_message, updated_at, channel FROM outbound_messages;
DROP TABLE outbound_messages;
ALTER TABLE outbound_messages_new RENAME TO outbound_messages;

CREATE UNIQUE INDEX outbound_messages_twilio_sid ON outbound_messages (twilio_sid) WHERE twilio_sid IS NOT NULL;
CREATE INDEX outbound_messages_to ON outbound_messages (to_number, created_at);
CREATE INDEX outbound_messages_expired ON outbound_messages (updated_at) WHERE status = 'expired';
CREATE INDEX outbound_messages_failed ON outbound_messages (updated_at) WHERE status IN ('failed', 'undelivered');
CREATE UNIQUE INDEX outbound_messages_once ON outbound_messages (to_number, reason) WHERE purpose IN ('notice', 'offer');
CREATE INDEX outbound_messages_due ON outbound_messages (to_number, due_at) WHERE purpose IN ('notice', 'offer');

-- Replies (and answers) go in a lane of their own: a notice waiting to be sent to a number never
-- holds up the reply to what the number just asked, and replies are claimed first.
ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'reply' CHECK (lane IN ('reply', 'notice'));

-- The categories of notice (and offers) a subscriber refused with ALERTS OFF; ALERTS ON removes the row.
CREATE TABLE alert_refusals (
    number     TEXT NOT NULL REFERENCES subscribers (number),
    category   TEXT NOT NULL CHECK (category IN ('bill', 'balance', 'data', 'points', 'offers')),
    refused_at TEXT NOT NULL,
    PRIMARY KEY (number, category)
);

-- Jobs that run on one node at a time (the notice run, campaigns): the holder renews its lease;
-- another node takes the job over once a lease lapses.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
