-- A municipality's own settings in the staff app (role admin): how many minutes of staff time one conversation the
-- bot handles without a person would have taken (the dashboard's estimate of staff hours saved).
CREATE TABLE tenant_settings (
  tenant_id                 TEXT PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  minutes_per_conversation  NUMERIC(5, 1) NOT NULL DEFAULT 4 CHECK (minutes_per_conversation BETWEEN 0 AND 240),
  changed_by                TEXT NOT NULL,
  changed_at                TIMESTAMPTZ NOT NULL DEFAULT now()
);
