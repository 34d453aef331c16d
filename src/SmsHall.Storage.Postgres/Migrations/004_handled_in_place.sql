-- Marking a message handled rewrites its row. With an index on a column the mark sets (command),
-- PostgreSQL wrote the new row version into every index of the table as well; with no indexed
-- column changed, and room left on the page for the new version, the row is updated in place (a
-- "HOT" update) and no index is touched. `smshall log unmatched` reads by time instead.
DROP INDEX inbound_messages_unmatched;
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
ALTER TABLE inbound_messages SET (fillfactor = 70);
