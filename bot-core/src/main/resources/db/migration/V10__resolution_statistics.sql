-- Resolution statistics (issue 12): how each conversation ended in DESIGN's finer grain, the article it was last
-- answered with and how many messages the citizen sent, kept in its row when it ends.
ALTER TABLE conversations ADD COLUMN outcome TEXT
  CHECK (outcome IN ('confirmed', 'assumed', 'escalated', 'unresolved', 'abandoned'));
ALTER TABLE conversations ADD COLUMN answered_article TEXT;
ALTER TABLE conversations ADD COLUMN messages_in INTEGER;
-- SHA-256 of the tenant and the widget's random visitor id (kept in the citizen's browser): a return with the same
-- question within 24 hours re-judges an assumed resolution as unresolved (DESIGN). Deleted with the conversation.
ALTER TABLE conversations ADD COLUMN visitor_hash BYTEA;
CREATE INDEX conversations_visitor ON conversations (tenant_id, visitor_hash, ended_at) WHERE visitor_hash IS NOT NULL;
UPDATE conversations SET outcome = CASE resolution WHEN 'resolved' THEN 'assumed' ELSE resolution END
  WHERE resolution IS NOT NULL;

-- The last days of one tenant's conversations read from the index alone.
CREATE INDEX conversations_stats ON conversations (tenant_id, started_at)
  INCLUDE (channel, lang, ended_at, outcome, answered_article, messages_in);
-- the staff app's plain index on the same columns (V7, when admin-ui is deployed) is covered by the one above
DROP INDEX IF EXISTS conversations_tenant_started;

-- Daily figures. A day is sealed a few days after it (stats_sealed.through): its conversations are counted here
-- once, and statistics read sealed days from here instead of from the conversations (a year is a few thousand rows,
-- not a million). Conversations that retention deletes from days not yet sealed are added when they are deleted, so
-- figures outlive the transcripts behind them. outcome is 'open' for a conversation that never ended.
CREATE TABLE conversation_daily (
  tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day            DATE NOT NULL,
  channel        TEXT NOT NULL,
  lang           TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  -- messages the citizen sent, 20 for 20 or more (medians come from this distribution)
  turns          SMALLINT NOT NULL,
  conversations  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, channel, lang, outcome, turns)
);

-- The same per article answered with (conversations without one are not here).
CREATE TABLE conversation_daily_articles (
  tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day            DATE NOT NULL,
  channel        TEXT NOT NULL,
  article        TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  conversations  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, channel, article, outcome)
);

-- Conversations per UTC day and UTC hour of their start (the dashboard turns them into local weekday and hour).
CREATE TABLE conversation_hourly (
  tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day            DATE NOT NULL,
  hour           SMALLINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
  channel        TEXT NOT NULL,
  conversations  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, hour, channel)
);

CREATE TABLE stats_sealed (
  tenant_id  TEXT PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  through    DATE NOT NULL
);
