-- Tickets: complaints (feedback) and callback requests (agent) subscribers open by SMS, worked by
-- operators in the console. A ticket's number is reserved (ticket_numbers) before the message that
-- opens it is committed, so the reply can quote it; a number reserved for a message handled again
-- is skipped (gaps are fine). The first ticket is T1001.
CREATE TABLE ticket_numbers (
    id INTEGER PRIMARY KEY AUTOINCREMENT
);
INSERT INTO ticket_numbers (id) VALUES (1000);
DELETE FROM ticket_numbers;

--   reference: what the subscriber was told (T1042); opened_by_sid: the message that opened it, once
--   however often it is delivered; answered_at: the operator's last answer, which the subscriber's
--   replies join for Hall:TicketReplyHours.
CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,
    number         TEXT NOT NULL REFERENCES subscribers (number),
    kind           TEXT NOT NULL CHECK (kind IN ('feedback', 'agent')),
    text           TEXT NOT NULL,
    language       TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'assigned', 'answered', 'closed')),
    assigned_to    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    answered_at    TEXT,
    opened_by_sid  TEXT NOT NULL UNIQUE REFERENCES inbound_messages (sid)
);
CREATE INDEX tickets_state ON tickets (state, updated_at);
CREATE INDEX tickets_answered ON tickets (number, answered_at) WHERE answered_at IS NOT NULL;

-- A ticket's messages: the subscriber's (author NULL, with the sid that brought it) and the
-- operators' answers (author: the operator), oldest first by id.
CREATE TABLE ticket_messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    at         TEXT NOT NULL,
    outgoing   INTEGER NOT NULL,
    author     TEXT,
    text       TEXT NOT NULL,
    sid        TEXT UNIQUE REFERENCES inbound_messages (sid)
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);
