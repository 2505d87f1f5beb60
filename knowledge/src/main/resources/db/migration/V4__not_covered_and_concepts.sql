-- Near-miss topics an article must not answer, with where to go instead: [{"topic", "refer", "questions": [...]}].
ALTER TABLE article_revisions ADD COLUMN not_covered JSONB NOT NULL DEFAULT '[]';

-- The editors' concept lists of a tenant: groups of interchangeable terms per language, used at index time
-- ([{"area", "da": [...], "en": [...]}]). Changing them bumps the tenant's knowledge versions.
CREATE TABLE knowledge_concepts (
  tenant_id   TEXT PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  concepts    JSONB NOT NULL DEFAULT '[]',
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
