-- WhatsApp comes to the same webhook as SMS. Numbers stay bare ('+15550000001') on every channel,
-- so a subscriber is one number wherever they write from; channel says what carried a message and
-- so what its reply goes back on. A reply's channel is its message's; the outbox keeps it too, to
-- send a number's replies in order per channel (a WhatsApp reply waiting holds up no SMS).
ALTER TABLE inbound_messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp'));
ALTER TABLE outbound_messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp'));
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp'));

-- How many pictures or other media came with a message (Twilio's NumMedia). Media with no text gets
-- the catalogue's media reply; kept so that a replay answers it the same.
ALTER TABLE inbound_messages ADD COLUMN media INTEGER NOT NULL DEFAULT 0;
