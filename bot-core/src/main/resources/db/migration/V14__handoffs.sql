-- The handoff queue and inbox (issue 13): one row per conversation that was ever handed to a person, kept by the
-- turn that changes who answers (in the same transaction as the events CLAIMED, RELEASED, HANDOFF, ENDED), so the
-- queue can be listed without reading every conversation's log. The log stays the truth; this is its index.
CREATE TABLE handoffs (
  conversation_id  UUID PRIMARY KEY REFERENCES conversations (conversation_id) ON DELETE CASCADE,
  tenant_id        TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  channel          TEXT NOT NULL,
  lang             TEXT NOT NULL,
  -- waiting: in the queue; active: one agent holds it; released: given back to the bot; closed: ended
  status           TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'released', 'closed')),
  reason           TEXT,
  queued_at        TIMESTAMPTZ NOT NULL,
  agent_id         TEXT,
  agent_name       TEXT,
  claimed_at       TIMESTAMPTZ,
  closed_at        TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- the queue, first in first out, per tenant and status
CREATE INDEX handoffs_queue ON handoffs (tenant_id, status, queued_at);
