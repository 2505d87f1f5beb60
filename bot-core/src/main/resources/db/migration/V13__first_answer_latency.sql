-- First-answer latency (issue 12): how long the engine took, in milliseconds, from the citizen's first message
-- reaching it to its answer being stored (for a phone call: after the speech was recognized, before it is spoken).
ALTER TABLE conversations ADD COLUMN first_answer_ms REAL;

-- Sealed days' latencies as a histogram: bucket b holds latencies with floor(ln(ms + 1) * 20) = b, so a percentile
-- read from it is within about 2.5 % of the exact one.
CREATE TABLE conversation_daily_latency (
  tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day            DATE NOT NULL,
  channel        TEXT NOT NULL,
  bucket         SMALLINT NOT NULL CHECK (bucket BETWEEN 0 AND 400),
  conversations  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, channel, bucket)
);
