-- The storage probe: while a node's database cannot be written, the node writes here every few
-- seconds (Database:ProbeSeconds) to learn when it can again. Each probe row carries a blob of a
-- few pages and is written before the node's previous one is deleted, so the probe succeeds only
-- while the file has room to grow, as messages need: rewriting a small row in place would succeed
-- in a full database.
CREATE TABLE node_heartbeat (
    id   INTEGER PRIMARY KEY,
    node TEXT NOT NULL,
    at   TEXT NOT NULL,  -- ISO 8601 UTC
    room BLOB
);

CREATE INDEX node_heartbeat_node ON node_heartbeat (node);
