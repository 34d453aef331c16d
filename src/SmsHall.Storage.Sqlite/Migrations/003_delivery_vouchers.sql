-- Replies sent through Twilio's REST API. A reply to be sent is written to outbound_messages with
-- status 'pending' and, in the same transaction, to the outbox; the sender takes outbox rows, and
-- when Twilio has answered it records the sid (or the error) and removes the row. Twilio's status
-- callbacks then move the status on: accepted/queued/sending/sent/delivered/undelivered/failed.
ALTER TABLE outbound_messages ADD COLUMN twilio_sid TEXT;
ALTER TABLE outbound_messages ADD COLUMN error_code INTEGER;
ALTER TABLE outbound_messages ADD COLUMN error_message TEXT;
ALTER TABLE outbound_messages ADD COLUMN updated_at TEXT;

CREATE UNIQUE INDEX outbound_messages_twilio_sid ON outbound_messages (twilio_sid) WHERE twilio_sid IS NOT NULL;
CREATE INDEX outbound_messages_to ON outbound_messages (to_number, created_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY REFERENCES outbound_messages (id),
    to_number       TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,           -- ISO 8601 UTC
    claimed_at      TEXT,
    claimed_by      TEXT,                    -- the node sending it
    in_doubt        INTEGER NOT NULL DEFAULT 0, -- an earlier attempt may have reached Twilio: look before sending again
    last_error      TEXT
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_number ON outbox (to_number, id);

-- Every status callback as Twilio sent it. A callback may come before the sender has stored the
-- sid it is about; the sender applies the latest one when it does.
CREATE TABLE status_events (
    id          INTEGER PRIMARY KEY,
    twilio_sid  TEXT NOT NULL,
    status      TEXT NOT NULL,
    error_code  INTEGER,
    received_at TEXT NOT NULL
);

CREATE INDEX status_events_sid ON status_events (twilio_sid);

-- Top-up vouchers: single use. redeemed_by_sid is the message that redeemed it.
CREATE TABLE vouchers (
    code            TEXT PRIMARY KEY,        -- letters and digits only, upper case
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    redeemed_by     TEXT REFERENCES subscribers (number),
    redeemed_at     TEXT,
    redeemed_by_sid TEXT UNIQUE
);

-- Wrong voucher codes, for the top-up lockout.
CREATE TABLE topup_failures (
    number    TEXT NOT NULL,
    sid       TEXT NOT NULL UNIQUE,
    failed_at TEXT NOT NULL
);

CREATE INDEX topup_failures_number ON topup_failures (number, failed_at);
