-- Resolution statistics (issue 12): how each conversation ended in DESIGN's finer grain, the article it was last
-- answered with and how many messages the citizen sent, kept in its row when it ends; and the daily figures of the
-- conversations that retention deleted, so statistics outlive the transcripts behind them.
ALTER TABLE conversations ADD COLUMN outcome TEXT
  CHECK (outcome IN ('confirmed', 'assumed', 'escalated', 'unresolved', 'abandoned'));
ALTER TABLE conversations ADD COLUMN answered_article TEXT;
ALTER TABLE conversations ADD COLUMN messages_in INTEGER;
UPDATE conversations SET outcome = CASE resolution WHEN 'resolved' THEN 'assumed' ELSE resolution END
  WHERE resolution IS NOT NULL;

-- A period of one tenant's conversations read from the index alone.
CREATE INDEX conversations_stats ON conversations (tenant_id, started_at)
  INCLUDE (channel, lang, ended_at, outcome, answered_article, messages_in);

CREATE TABLE conversation_daily (
  tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day            DATE NOT NULL,
  channel        TEXT NOT NULL,
  lang           TEXT NOT NULL,
  -- an outcome of conversations, or 'open' for the ones deleted without an end
  outcome        TEXT NOT NULL,
  article        TEXT NOT NULL DEFAULT '',
  conversations  INTEGER NOT NULL,
  messages_in    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day, channel, lang, outcome, article)
);

-- the staff app's plain index on the same columns (V7, when admin-ui is deployed) is covered by the one above
DROP INDEX IF EXISTS conversations_tenant_started;
