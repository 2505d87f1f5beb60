-- Imports of article files from the staff app: progress and the per-file report live here, so any replica can show
-- them while the replica that runs the import works.
CREATE TABLE import_jobs (
  job_id      UUID PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  actor       TEXT NOT NULL,
  source      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('importing', 'indexing', 'done', 'failed')),
  done        INT NOT NULL DEFAULT 0,
  total       INT NOT NULL,
  report      JSONB,
  started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);
CREATE INDEX import_jobs_tenant ON import_jobs (tenant_id, started_at);
