-- Tenants and the curated knowledge base. Every table carries tenant_id.

CREATE TABLE tenants (
  tenant_id    TEXT PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name         TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per article (slug + language) in a tenant; points at its current and published revisions.
CREATE TABLE articles (
  tenant_id           TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  slug                TEXT NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,99}$'),
  lang                TEXT NOT NULL CHECK (lang IN ('da', 'en')),
  latest_revision     INTEGER NOT NULL,
  published_revision  INTEGER,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, slug, lang)
);

-- Every edit is a new immutable revision; older revisions are kept.
CREATE TABLE article_revisions (
  tenant_id     TEXT NOT NULL,
  slug          TEXT NOT NULL,
  lang          TEXT NOT NULL,
  revision      INTEGER NOT NULL CHECK (revision >= 1),
  title         TEXT NOT NULL,
  area          TEXT NOT NULL,
  questions     TEXT[] NOT NULL,
  keywords      TEXT[] NOT NULL DEFAULT '{}',
  answer        TEXT NOT NULL,
  spoken        TEXT NOT NULL,
  source_url    TEXT NOT NULL,
  valid_from    DATE,
  valid_until   DATE,
  author        TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, slug, lang, revision),
  FOREIGN KEY (tenant_id, slug, lang) REFERENCES articles (tenant_id, slug, lang) ON DELETE CASCADE,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
);

-- Bumped on every publish; the Lucene index records the value it was built from, so a stale index is detected.
CREATE TABLE knowledge_versions (
  tenant_id  TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  lang       TEXT NOT NULL CHECK (lang IN ('da', 'en')),
  version    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, lang)
);
