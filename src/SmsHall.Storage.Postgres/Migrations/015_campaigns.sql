-- Campaigns of offers (console, /console/campaigns): see SmsHall.Storage.Sqlite/Migrations/020_campaigns.sql.
CREATE TABLE campaigns (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    segment         text NOT NULL CHECK (segment IN ('would-save', 'heavy-data', 'frequent-top-ups')),
    start_at        timestamptz NOT NULL,
    rate_per_minute integer NOT NULL CHECK (rate_per_minute > 0),
    state           text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'running', 'paused')),
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    started_at      timestamptz,
    paced_from      timestamptz,
    paced_base      integer NOT NULL DEFAULT 0
);

CREATE TABLE campaign_messages (
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    language    text NOT NULL,
    body        text NOT NULL,
    PRIMARY KEY (campaign_id, language)
);

-- outcome: null while waiting, then queued | refused | over-cap | opted-out.
CREATE TABLE campaign_recipients (
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    number      text NOT NULL REFERENCES subscribers (number),
    outcome     text CHECK (outcome IN ('queued', 'refused', 'over-cap', 'opted-out')),
    decided_at  timestamptz,
    PRIMARY KEY (campaign_id, number)
);

CREATE INDEX campaign_recipients_waiting ON campaign_recipients (campaign_id, number) WHERE outcome IS NULL;

-- Offers are found by their reason ("campaign 4") for the results.
CREATE INDEX outbound_messages_reason ON outbound_messages (reason, to_number) WHERE purpose = 'offer';
