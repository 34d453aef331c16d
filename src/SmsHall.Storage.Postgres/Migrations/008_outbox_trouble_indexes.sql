-- The outbox's figures (/operator/outbox, the console, the smshall_outbox gauges) count the replies
-- that expired or failed in the last hour. Without these they read every reply ever sent, and
-- /metrics looks every few seconds. The indexes are partial, so a reply enters one only when it
-- expires or fails: the webhook's writes do not pay for them.
CREATE INDEX outbound_messages_expired ON outbound_messages (updated_at) WHERE status = 'expired';
CREATE INDEX outbound_messages_failed ON outbound_messages (updated_at) WHERE status IN ('failed', 'undelivered');
