-- Each node's handling times (request to committed reply) over the last hour and day, reported with
-- its catalogue version: the console's overview shows them per node.
ALTER TABLE nodes ADD COLUMN hour_messages bigint, ADD COLUMN hour_p50_ms double precision, ADD COLUMN hour_p99_ms double precision,
                  ADD COLUMN day_messages bigint, ADD COLUMN day_p50_ms double precision, ADD COLUMN day_p99_ms double precision;
