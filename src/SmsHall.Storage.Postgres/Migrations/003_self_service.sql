-- The self-service hall, as SQLite's 009_self_service.sql: loyalty points and rewards, payments,
-- itemised records, paid extras, data packs, and the list a subscriber was last shown in part.

CREATE TABLE rewards (
    code   text PRIMARY KEY,
    points integer NOT NULL CHECK (points > 0),
    kind   text NOT NULL CHECK (kind IN ('data', 'credit')),
    amount bigint NOT NULL CHECK (amount > 0)   -- MB for data, cents for credit
);

CREATE TABLE point_lots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number      text NOT NULL REFERENCES subscribers (number),
    points      integer NOT NULL CHECK (points > 0),
    points_left integer NOT NULL CHECK (points_left >= 0),
    expires_on  date NOT NULL
);

CREATE INDEX point_lots_number ON point_lots (number, expires_on);

CREATE TABLE point_redemptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number      text NOT NULL REFERENCES subscribers (number),
    reward_code text NOT NULL,
    points      integer NOT NULL,
    redeemed_at timestamptz NOT NULL,
    sid         text NOT NULL UNIQUE
);

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number       text NOT NULL REFERENCES subscribers (number),
    paid_on      date NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    channel      text NOT NULL CHECK (channel IN ('voucher', 'card', 'shop', 'sms'))
);

CREATE INDEX payments_number ON payments (number, paid_on);

CREATE TABLE usage_records (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number      text NOT NULL REFERENCES subscribers (number),
    at          timestamptz NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('calls', 'sms', 'data')),
    counterpart text,
    quantity    bigint NOT NULL CHECK (quantity >= 0),
    cost_cents  bigint NOT NULL DEFAULT 0
);

CREATE INDEX usage_records_number ON usage_records (number, at);

CREATE TABLE extras (
    code              text PRIMARY KEY,
    monthly_fee_cents bigint NOT NULL CHECK (monthly_fee_cents >= 0)
);

CREATE TABLE extra_names (
    code     text NOT NULL REFERENCES extras (code) ON DELETE CASCADE,
    position integer NOT NULL,
    language text NOT NULL,
    name     text NOT NULL,
    PRIMARY KEY (code, position)
);

CREATE TABLE subscriptions (
    number           text NOT NULL REFERENCES subscribers (number),
    extra_code       text NOT NULL REFERENCES extras (code),
    since            date NOT NULL,
    cancelled_on     date,
    ends_on          date,
    cancelled_by_sid text,
    PRIMARY KEY (number, extra_code)
);

CREATE TABLE data_packs (
    code        text PRIMARY KEY,
    data_mb     integer NOT NULL CHECK (data_mb > 0),
    price_cents bigint NOT NULL CHECK (price_cents > 0),
    valid_days  integer NOT NULL CHECK (valid_days > 0)
);

CREATE TABLE data_added (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number      text NOT NULL REFERENCES subscribers (number),
    source      text NOT NULL CHECK (source IN ('pack', 'reward')),
    code        text NOT NULL,
    data_mb     integer NOT NULL,
    valid_until date NOT NULL,
    added_at    timestamptz NOT NULL,
    sid         text NOT NULL UNIQUE
);

CREATE TABLE next_bill_charges (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number       text NOT NULL REFERENCES subscribers (number),
    description  text NOT NULL,
    amount_cents bigint NOT NULL,
    added_at     timestamptz NOT NULL,
    sid          text NOT NULL
);

CREATE TABLE list_pages (
    number  text PRIMARY KEY REFERENCES subscribers (number),
    command text NOT NULL,
    args    text NOT NULL,
    shown   integer NOT NULL
);
