-- Conversations as append-only event logs (bot-core). Every table carries tenant_id.

CREATE TABLE conversations (
  tenant_id         TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  conversation_id   UUID PRIMARY KEY,
  channel           TEXT NOT NULL CHECK (channel ~ '^[a-z][a-z0-9-]{0,31}$'),
  external_id       TEXT,
  lang              TEXT NOT NULL CHECK (lang IN ('da', 'en')),
  started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_activity_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at          TIMESTAMPTZ,
  resolution        TEXT CHECK (resolution IN ('resolved', 'escalated', 'unresolved')),
  next_seq          INTEGER NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX conversations_external ON conversations (tenant_id, channel, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX conversations_activity ON conversations (last_activity_at);
CREATE INDEX conversations_open ON conversations (last_activity_at) WHERE ended_at IS NULL;

-- Message in, decision, reply out, feedback, handoff, agent message, end: state is derived from these rows.
CREATE TABLE conversation_events (
  tenant_id         TEXT NOT NULL,
  conversation_id   UUID NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
  seq               INTEGER NOT NULL CHECK (seq >= 1),
  type              TEXT NOT NULL,
  at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  payload           JSONB NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);

CREATE INDEX conversation_events_tenant_time ON conversation_events (tenant_id, at);
