-- The self-service hall: loyalty points and rewards, payments, itemised records, paid extras, data
-- packs, and the list a subscriber was last shown in part (for MORE). Rewards, extras and packs are
-- the operator's to change (smshall db rewards|extras|packs), not code.

CREATE TABLE rewards (
    code   TEXT PRIMARY KEY,
    points INTEGER NOT NULL CHECK (points > 0),
    kind   TEXT NOT NULL CHECK (kind IN ('data', 'credit')),
    amount INTEGER NOT NULL CHECK (amount > 0)   -- MB for data, cents for credit
);

-- Points earned together; points_left goes down as they are spent, those lapsing soonest first.
CREATE TABLE point_lots (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL REFERENCES subscribers (number),
    points      INTEGER NOT NULL CHECK (points > 0),
    points_left INTEGER NOT NULL CHECK (points_left >= 0),
    expires_on  TEXT NOT NULL                 -- YYYY-MM-DD, the last day they count
);

CREATE INDEX point_lots_number ON point_lots (number, expires_on);

-- Every redemption, and the message that confirmed it.
CREATE TABLE point_redemptions (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL REFERENCES subscribers (number),
    reward_code TEXT NOT NULL,
    points      INTEGER NOT NULL,
    redeemed_at TEXT NOT NULL,
    sid         TEXT NOT NULL UNIQUE
);

-- Payments and top-ups other than vouchers (vouchers are in their own table).
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL REFERENCES subscribers (number),
    paid_on      TEXT NOT NULL,               -- YYYY-MM-DD
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    channel      TEXT NOT NULL CHECK (channel IN ('voucher', 'card', 'shop', 'sms'))
);

CREATE INDEX payments_number ON payments (number, paid_on);

-- Itemised records: a call (quantity in seconds), an SMS (1) or a data session (MB).
CREATE TABLE usage_records (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL REFERENCES subscribers (number),
    at          TEXT NOT NULL,                -- ISO 8601 UTC
    kind        TEXT NOT NULL CHECK (kind IN ('calls', 'sms', 'data')),
    counterpart TEXT,
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    cost_cents  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX usage_records_number ON usage_records (number, at);

CREATE TABLE extras (
    code              TEXT PRIMARY KEY,
    monthly_fee_cents INTEGER NOT NULL CHECK (monthly_fee_cents >= 0)
);

-- An extra's names in each language; the first of a language (position) is what replies call it.
CREATE TABLE extra_names (
    code     TEXT NOT NULL REFERENCES extras (code) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    language TEXT NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (code, position)
);

-- The extras a subscriber has. Cancelled ones stay, with when and by which message.
CREATE TABLE subscriptions (
    number           TEXT NOT NULL REFERENCES subscribers (number),
    extra_code       TEXT NOT NULL REFERENCES extras (code),
    since            TEXT NOT NULL,
    cancelled_on     TEXT,
    ends_on          TEXT,
    cancelled_by_sid TEXT,
    PRIMARY KEY (number, extra_code)
);

CREATE TABLE data_packs (
    code        TEXT PRIMARY KEY,
    data_mb     INTEGER NOT NULL CHECK (data_mb > 0),
    price_cents INTEGER NOT NULL CHECK (price_cents > 0),
    valid_days  INTEGER NOT NULL CHECK (valid_days > 0)
);

-- Data added to an account: a pack bought or a reward, each by the message that confirmed it.
CREATE TABLE data_added (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL REFERENCES subscribers (number),
    source      TEXT NOT NULL CHECK (source IN ('pack', 'reward')),
    code        TEXT NOT NULL,
    data_mb     INTEGER NOT NULL,
    valid_until TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    sid         TEXT NOT NULL UNIQUE
);

-- Charges (and, negative, credits) waiting for a postpaid subscriber's next bill.
CREATE TABLE next_bill_charges (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL REFERENCES subscribers (number),
    description  TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    sid          TEXT NOT NULL
);

-- The list a number was last shown in part: MORE shows the next page of it.
CREATE TABLE list_pages (
    number  TEXT PRIMARY KEY REFERENCES subscribers (number),
    command TEXT NOT NULL,
    args    TEXT NOT NULL,
    shown   INTEGER NOT NULL
);
