-- Audited resolution (issue 12): reviewers judge a random sample of ended conversations. A review outlives the
-- transcript it judged (retention), so it keeps what the figures need: channel, day and the inferred resolution.
CREATE TABLE audit_reviews (
  review_id        UUID PRIMARY KEY,
  tenant_id        TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  conversation_id  UUID NOT NULL,
  channel          TEXT NOT NULL,
  day              DATE NOT NULL,
  inferred         TEXT NOT NULL,
  verdict          TEXT NOT NULL CHECK (verdict IN ('correct', 'incorrect', 'unclear')),
  note             TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  reviewer         TEXT NOT NULL,
  reviewed_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (conversation_id)
);
CREATE INDEX audit_reviews_tenant_day ON audit_reviews (tenant_id, day);
