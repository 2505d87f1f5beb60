-- Editors' regression cases: a conversation from the test console (or the API) with the answers it should get.
-- Publishing replays them against the knowledge base as it would be after the publish and shows what would change.
-- The messages are stored as the conversation stored them: redacted.
CREATE TABLE regression_cases (
  case_id     UUID PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  lang        TEXT NOT NULL CHECK (lang IN ('da', 'en')),
  channel     TEXT NOT NULL CHECK (channel IN ('web', 'phone')),
  -- [{"text": ..., "outcome": ..., "article": slug or null}, ...]
  turns       JSONB NOT NULL CHECK (jsonb_typeof(turns) = 'array' AND jsonb_array_length(turns) BETWEEN 1 AND 20),
  created_by  TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX regression_cases_tenant ON regression_cases (tenant_id, created_at);
