-- Messages the gateway sends of its own accord (notices, offers, answers to tickets) go through the
-- outbox and the message log like replies.
--   purpose: reply | answer | notice | offer, and reason: why it went (the notice's event, the
--     campaign, the ticket). A notice or an offer goes to a number once per reason (unique index).
--   category: what the subscriber may refuse it as (ALERTS OFF): the sender drops it if they did meanwhile.
--   due_at: when it may go (the end of quiet hours, else when written); the daily cap counts by it.
ALTER TABLE outbound_messages ALTER COLUMN inbound_sid DROP NOT NULL;
ALTER TABLE outbound_messages ADD COLUMN purpose text NOT NULL DEFAULT 'reply' CHECK (purpose IN ('reply', 'answer', 'notice', 'offer'));
ALTER TABLE outbound_messages ADD COLUMN reason text;
ALTER TABLE outbound_messages ADD COLUMN category text;
ALTER TABLE outbound_messages ADD COLUMN due_at timestamptz;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_reply_has_message CHECK ((purpose = 'reply') = (inbound_sid IS NOT NULL));
CREATE UNIQUE INDEX outbound_messages_once ON outbound_messages (to_number, reason) WHERE purpose IN ('notice', 'offer');
CREATE INDEX outbound_messages_due ON outbound_messages (to_number, due_at) WHERE purpose IN ('notice', 'offer');

-- Replies (and answers) go in a lane of their own: a notice waiting to be sent to a number never
-- holds up the reply to what the number just asked, and replies are claimed first.
ALTER TABLE outbox ADD COLUMN lane text NOT NULL DEFAULT 'reply' CHECK (lane IN ('reply', 'notice'));

-- The categories of notice (and offers) a subscriber refused with ALERTS OFF; ALERTS ON removes the row.
CREATE TABLE alert_refusals (
    number     text NOT NULL REFERENCES subscribers (number),
    category   text NOT NULL CHECK (category IN ('bill', 'balance', 'data', 'points', 'offers')),
    refused_at timestamptz NOT NULL,
    PRIMARY KEY (number, category)
);

-- Jobs that run on one node at a time (the notice run, campaigns): the holder renews its lease;
-- another node takes the job over once a lease lapses.
CREATE TABLE leases (
    name       text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);
