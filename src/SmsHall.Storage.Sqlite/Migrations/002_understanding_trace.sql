-- How each message was understood, for `smshall log unmatched`: how many typing slips a fuzzy
-- match was from its keyword, and the commands a message not understood came closest to.
ALTER TABLE inbound_messages ADD COLUMN distance INTEGER;
ALTER TABLE inbound_messages ADD COLUMN suggestions TEXT; -- JSON array of command names

CREATE INDEX inbound_messages_unmatched ON inbound_messages (command, received_at);
