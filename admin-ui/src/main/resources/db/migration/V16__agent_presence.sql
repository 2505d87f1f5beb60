-- Each agent's presence in the inbox (issue 13): online (new handoffs alert them) or away, and how many
-- conversations they hold at most at once (a claim beyond it is refused). An agent without a row is online with
-- the default capacity.
CREATE TABLE agent_presence (
  tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  agent_id    TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'away')),
  capacity    INTEGER NOT NULL DEFAULT 3 CHECK (capacity BETWEEN 1 AND 20),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, agent_id)
);
