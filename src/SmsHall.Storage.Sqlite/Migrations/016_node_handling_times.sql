-- Each node's handling times (request to committed reply) over the last hour and day, reported with
-- its catalogue version: the console's overview shows them per node.
ALTER TABLE nodes ADD COLUMN hour_messages INTEGER;
ALTER TABLE nodes ADD COLUMN hour_p50_ms REAL;
ALTER TABLE nodes ADD COLUMN hour_p99_ms REAL;
ALTER TABLE nodes ADD COLUMN day_messages INTEGER;
ALTER TABLE nodes ADD COLUMN day_p50_ms REAL;
ALTER TABLE nodes ADD COLUMN day_p99_ms REAL;
