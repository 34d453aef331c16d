-- SmsHall on PostgreSQL: the same tables as on SQLite (see SmsHall.Storage.Sqlite/Migrations),
-- in their present shape, with PostgreSQL's own types: timestamptz for instants, date for days,
-- boolean for flags, identity columns for ids.

-- Accounts: plans, subscribers, their usage and bills.
CREATE TABLE plans (
    code              text PRIMARY KEY,
    name              text NOT NULL,
    monthly_fee_cents bigint NOT NULL,
    data_mb           integer NOT NULL,
    minutes           integer NOT NULL,
    sms               integer NOT NULL
);

CREATE TABLE subscribers (
    number        text PRIMARY KEY,          -- E.164, e.g. +15550000001
    name          text NOT NULL,
    language      text NOT NULL DEFAULT 'en',
    plan_code     text NOT NULL REFERENCES plans (code),
    postpaid      boolean NOT NULL DEFAULT false,
    balance_cents bigint NOT NULL DEFAULT 0,
    valid_until   date,                      -- prepaid only
    opted_out     boolean NOT NULL DEFAULT false
);

CREATE TABLE usage (
    number       text PRIMARY KEY REFERENCES subscribers (number),
    cycle_start  date NOT NULL,
    data_mb_used integer NOT NULL,
    minutes_used integer NOT NULL,
    sms_used     integer NOT NULL
);

CREATE TABLE bills (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number      text NOT NULL REFERENCES subscribers (number),
    period      text NOT NULL,               -- YYYY-MM
    total_cents bigint NOT NULL,
    due_date    date NOT NULL,
    paid_on     date,
    UNIQUE (number, period)
);

CREATE TABLE bill_lines (
    bill_id      bigint NOT NULL REFERENCES bills (id),
    position     integer NOT NULL,
    description  text NOT NULL,
    amount_cents bigint NOT NULL,
    PRIMARY KEY (bill_id, position)
);

-- Account changes waiting for YES: at most one per number.
CREATE TABLE pending_actions (
    number         text PRIMARY KEY REFERENCES subscribers (number),
    action         text NOT NULL,
    argument       text NOT NULL,
    offered_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    offered_by_sid text NOT NULL
);

-- Every plan change, and the message that confirmed it.
CREATE TABLE plan_changes (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number           text NOT NULL REFERENCES subscribers (number),
    from_plan        text NOT NULL,
    to_plan          text NOT NULL,
    changed_at       timestamptz NOT NULL,
    confirmed_by_sid text NOT NULL UNIQUE
);

-- The message log. An inbound row is written before the message is handled ('received') and
-- marked 'handled' in the same transaction that writes its reply and its account changes.
CREATE TABLE inbound_messages (
    sid         text PRIMARY KEY,
    from_number text NOT NULL,
    to_number   text NOT NULL,
    body        text NOT NULL,
    received_at timestamptz NOT NULL,
    status      text NOT NULL CHECK (status IN ('received', 'handled')),
    normalised  text,
    command     text,
    args        text,                        -- JSON object, kept as written
    match       text,
    keyword     text,
    language    text,
    handled_at  timestamptz,
    distance    integer,
    suggestions text,                        -- JSON array of command names
    channel     text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp')),
    media       integer NOT NULL DEFAULT 0
);

CREATE INDEX inbound_messages_from ON inbound_messages (from_number, received_at);
CREATE INDEX inbound_messages_unmatched ON inbound_messages (command, received_at);

CREATE TABLE outbound_messages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inbound_sid   text NOT NULL UNIQUE REFERENCES inbound_messages (sid),
    to_number     text NOT NULL,
    from_number   text NOT NULL,
    body          text NOT NULL,
    reply_key     text,
    language      text,
    encoding      text,
    segments      integer NOT NULL,
    status        text NOT NULL,
    created_at    timestamptz NOT NULL,
    twilio_sid    text,
    error_code    integer,
    error_message text,
    updated_at    timestamptz,
    channel       text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp'))
);

CREATE UNIQUE INDEX outbound_messages_twilio_sid ON outbound_messages (twilio_sid) WHERE twilio_sid IS NOT NULL;
CREATE INDEX outbound_messages_to ON outbound_messages (to_number, created_at);

-- Replies to send through Twilio's REST API, written with their message; any node's sender claims them.
CREATE TABLE outbox (
    id              bigint PRIMARY KEY REFERENCES outbound_messages (id),
    to_number       text NOT NULL,
    channel         text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp')),
    state           text NOT NULL CHECK (state IN ('pending', 'sending', 'held')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    not_before      timestamptz,
    claimed_at      timestamptz,
    claimed_by      text,                    -- the node sending it
    in_doubt        boolean NOT NULL DEFAULT false, -- an earlier attempt may have reached Twilio: look before sending again
    lookup_failures integer NOT NULL DEFAULT 0,
    last_error      text
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_number ON outbox (to_number, channel, id);

-- Every status callback as Twilio sent it (one may come before the sender has stored the sid).
CREATE TABLE status_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    twilio_sid  text NOT NULL,
    status      text NOT NULL,
    error_code  integer,
    received_at timestamptz NOT NULL
);

CREATE INDEX status_events_sid ON status_events (twilio_sid);

-- Top-up vouchers: single use. redeemed_by_sid is the message that redeemed it.
CREATE TABLE vouchers (
    code            text PRIMARY KEY,
    amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
    redeemed_by     text REFERENCES subscribers (number),
    redeemed_at     timestamptz,
    redeemed_by_sid text UNIQUE
);

-- Wrong voucher codes, for the top-up lockout.
CREATE TABLE topup_failures (
    number    text NOT NULL,
    sid       text NOT NULL UNIQUE,
    failed_at timestamptz NOT NULL
);

CREATE INDEX topup_failures_number ON topup_failures (number, failed_at);

-- Every catalogue that passed its check; every node serves the newest.
CREATE TABLE catalogue_versions (
    number    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash      text NOT NULL,
    source    text NOT NULL,
    text      text NOT NULL,
    loaded_at timestamptz NOT NULL
);

CREATE INDEX catalogue_versions_source ON catalogue_versions (source, number);

-- The storage probe's small write, one row a node.
CREATE TABLE node_heartbeat (
    node text PRIMARY KEY,
    at   timestamptz NOT NULL
);
