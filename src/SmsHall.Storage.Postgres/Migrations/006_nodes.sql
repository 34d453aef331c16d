-- Every node's catalogue version, reported every few seconds, so operators see a node left behind.
CREATE TABLE nodes (
    name              text PRIMARY KEY,
    catalogue_version bigint,
    last_seen         timestamptz NOT NULL
);
