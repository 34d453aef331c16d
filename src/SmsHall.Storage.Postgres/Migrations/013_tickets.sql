-- Tickets: complaints (feedback) and callback requests (agent) subscribers open by SMS, worked by
-- operators in the console. A ticket's number is reserved (ticket_numbers) before the message that
-- opens it is committed, so the reply can quote it; a number reserved for a message handled again
-- is skipped (gaps are fine). The first ticket is T1001.
CREATE SEQUENCE ticket_numbers START 1001;

--   reference: what the subscriber was told (T1042); opened_by_sid: the message that opened it, once
--   however often it is delivered; answered_at: the operator's last answer, which the subscriber's
--   replies join for Hall:TicketReplyHours.
CREATE TABLE tickets (
    id             bigint PRIMARY KEY,
    reference      text NOT NULL UNIQUE,
    number         text NOT NULL REFERENCES subscribers (number),
    kind           text NOT NULL CHECK (kind IN ('feedback', 'agent')),
    text           text NOT NULL,
    language       text NOT NULL,
    state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'assigned', 'answered', 'closed')),
    assigned_to    text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    answered_at    timestamptz,
    opened_by_sid  text NOT NULL UNIQUE REFERENCES inbound_messages (sid)
);
CREATE INDEX tickets_state ON tickets (state, updated_at);
CREATE INDEX tickets_answered ON tickets (number, answered_at) WHERE answered_at IS NOT NULL;

-- A ticket's messages: the subscriber's (author NULL, with the sid that brought it) and the
-- operators' answers (author: the operator), oldest first by id.
CREATE TABLE ticket_messages (
    id         bigserial PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES tickets (id),
    at         timestamptz NOT NULL,
    outgoing   boolean NOT NULL,
    author     text,
    text       text NOT NULL,
    sid        text UNIQUE REFERENCES inbound_messages (sid)
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);
