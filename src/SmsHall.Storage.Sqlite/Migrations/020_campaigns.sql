-- Campaigns of offers (console, /console/campaigns). An operator draws one up (a segment, the offer
-- per language, a start time and a rate), then starts it: its recipients are fixed then, and the
-- campaign sender (one node at a time, lease "campaigns") queues their offers at the rate, writing
-- down what became of each so no restart sends one twice.
--   paced_from / paced_base: sending is paced from its start or latest resumption, when paced_base
--     offers had been queued; at most rate_per_minute more each minute after it.
CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    segment         TEXT NOT NULL CHECK (segment IN ('would-save', 'heavy-data', 'frequent-top-ups')),
    start_at        TEXT NOT NULL,
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
    state           TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'running', 'paused')),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    started_at      TEXT,
    paced_from      TEXT,
    paced_base      INTEGER NOT NULL DEFAULT 0
);

-- The offer's text in each catalogue language the operator wrote it in.
CREATE TABLE campaign_messages (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    language    TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, language)
);

-- outcome: null while waiting, then queued | refused | over-cap | opted-out.
CREATE TABLE campaign_recipients (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    number      TEXT NOT NULL REFERENCES subscribers (number),
    outcome     TEXT CHECK (outcome IN ('queued', 'refused', 'over-cap', 'opted-out')),
    decided_at  TEXT,
    PRIMARY KEY (campaign_id, number)
);

CREATE INDEX campaign_recipients_waiting ON campaign_recipients (campaign_id, number) WHERE outcome IS NULL;

-- Offers are found by their reason ("campaign 4") for the results.
CREATE INDEX outbound_messages_reason ON outbound_messages (reason, to_number) WHERE purpose = 'offer';
