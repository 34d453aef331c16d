-- Delivery that never starves (Rest mode). The outbox table is rebuilt for a new state and two columns:
--   state 'held': an in-doubt reply whose lookups at Twilio kept failing, parked for an operator to
--     resend or drop; it no longer holds up anything, not even later replies to the same number;
--   not_before: a message that may not go before then (quiet hours); it holds up no reply meanwhile,
--     and its expiry counts from then rather than from when it was written;
--   lookup_failures: failed looks at Twilio's message list for this row, counted apart from send rounds.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY REFERENCES outbound_messages (id),
    to_number       TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'held')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,           -- ISO 8601 UTC
    not_before      TEXT,                    -- ISO 8601 UTC, or NULL: at once
    claimed_at      TEXT,
    claimed_by      TEXT,
    in_doubt        INTEGER NOT NULL DEFAULT 0,
    lookup_failures INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
INSERT INTO outbox_new (id, to_number, state, attempts, next_attempt_at, claimed_at, claimed_by, in_doubt, last_error)
SELECT id, to_number, state, attempts, next_attempt_at, claimed_at, claimed_by, in_doubt, last_error FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_number ON outbox (to_number, id);
