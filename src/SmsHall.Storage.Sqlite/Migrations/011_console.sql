-- The console reads the log by time (the overview's last hour and day, the message search, "not
-- understood"): an index on received_at, as PostgreSQL has had since its 004. It replaces the one on
-- (command, received_at), which only `log unmatched` used and which the mark of every handled
-- message had to rewrite (it sets command); received_at is written once, with the record.
DROP INDEX inbound_messages_unmatched;
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);

-- Every node's catalogue version, reported every few seconds, so operators see a node left behind.
CREATE TABLE nodes (
    name              TEXT PRIMARY KEY,
    catalogue_version INTEGER,
    last_seen         TEXT NOT NULL      -- ISO 8601 UTC
);
