-- Accounts: plans, subscribers, their usage and bills.
CREATE TABLE plans (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    monthly_fee_cents INTEGER NOT NULL,
    data_mb           INTEGER NOT NULL,
    minutes           INTEGER NOT NULL,
    sms               INTEGER NOT NULL
);

CREATE TABLE subscribers (
    number        TEXT PRIMARY KEY,          -- E.164, e.g. +15550000001
    name          TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT 'en',
    plan_code     TEXT NOT NULL REFERENCES plans (code),
    postpaid      INTEGER NOT NULL DEFAULT 0,
    balance_cents INTEGER NOT NULL DEFAULT 0,
    valid_until   TEXT,                      -- YYYY-MM-DD, prepaid only
    opted_out     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE usage (
    number       TEXT PRIMARY KEY REFERENCES subscribers (number),
    cycle_start  TEXT NOT NULL,              -- YYYY-MM-DD
    data_mb_used INTEGER NOT NULL,
    minutes_used INTEGER NOT NULL,
    sms_used     INTEGER NOT NULL
);

CREATE TABLE bills (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL REFERENCES subscribers (number),
    period      TEXT NOT NULL,               -- YYYY-MM
    total_cents INTEGER NOT NULL,
    due_date    TEXT NOT NULL,
    paid_on     TEXT,
    UNIQUE (number, period)
);

CREATE TABLE bill_lines (
    bill_id      INTEGER NOT NULL REFERENCES bills (id),
    position     INTEGER NOT NULL,
    description  TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (bill_id, position)
);

-- Account changes waiting for YES: at most one per number.
CREATE TABLE pending_actions (
    number         TEXT PRIMARY KEY REFERENCES subscribers (number),
    action         TEXT NOT NULL,
    argument       TEXT NOT NULL,
    offered_at     TEXT NOT NULL,            -- ISO 8601 UTC
    expires_at     TEXT NOT NULL,
    offered_by_sid TEXT NOT NULL
);

-- Every plan change, and the message that confirmed it.
CREATE TABLE plan_changes (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL REFERENCES subscribers (number),
    from_plan        TEXT NOT NULL,
    to_plan          TEXT NOT NULL,
    changed_at       TEXT NOT NULL,
    confirmed_by_sid TEXT NOT NULL UNIQUE
);

-- The message log. An inbound row is written before the message is handled ('received') and
-- marked 'handled' in the same transaction that writes its reply and its account changes.
CREATE TABLE inbound_messages (
    sid         TEXT PRIMARY KEY,
    from_number TEXT NOT NULL,
    to_number   TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('received', 'handled')),
    normalised  TEXT,
    command     TEXT,
    args        TEXT,                        -- JSON object
    match       TEXT,
    keyword     TEXT,
    language    TEXT,
    handled_at  TEXT
);

CREATE INDEX inbound_messages_from ON inbound_messages (from_number, received_at);

CREATE TABLE outbound_messages (
    id          INTEGER PRIMARY KEY,
    inbound_sid TEXT NOT NULL UNIQUE REFERENCES inbound_messages (sid),
    to_number   TEXT NOT NULL,
    from_number TEXT NOT NULL,
    body        TEXT NOT NULL,
    reply_key   TEXT,
    language    TEXT,
    encoding    TEXT,
    segments    INTEGER NOT NULL,
    status      TEXT NOT NULL,               -- replied | suppressed
    created_at  TEXT NOT NULL
);
