-- Callback requests: a caller who wanted a person outside opening hours (or when no one could take the call) asked
-- to be called back. The number is kept only here, for that purpose, and goes with the conversation when retention
-- deletes it.

CREATE TABLE callback_requests (
  tenant_id        TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  callback_id      UUID PRIMARY KEY,
  conversation_id  UUID NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
  phone_number     TEXT NOT NULL CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  lang             TEXT NOT NULL CHECK (lang IN ('da', 'en')),
  requested_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  handled_at       TIMESTAMPTZ,
  handled_by       TEXT
);

CREATE UNIQUE INDEX callback_requests_per_conversation ON callback_requests (conversation_id);
CREATE INDEX callback_requests_open ON callback_requests (tenant_id, requested_at) WHERE handled_at IS NULL;
