-- The people who run CivicBot (admin-ui): accounts per tenant with roles, personal API tokens, sessions shared by
-- every replica, login attempts (for lockout), the audit log, and the editors' handling of content gaps.

CREATE TABLE staff_users (
  user_id        UUID PRIMARY KEY,
  tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  email          TEXT NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  roles          TEXT[] NOT NULL CHECK (roles <@ ARRAY['admin', 'editor', 'agent', 'manager'] AND cardinality(roles) > 0),
  -- Argon2id in PHC string form; NULL: the user cannot log in with a password
  password_hash  TEXT,
  disabled       BOOLEAN NOT NULL DEFAULT false,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  password_set_at TIMESTAMPTZ
);
-- An e-mail address names one person everywhere (the CLI finds users by it alone).
CREATE UNIQUE INDEX staff_users_email ON staff_users (email);
CREATE INDEX staff_users_tenant ON staff_users (tenant_id);

-- Personal API tokens: 256 random bits, so a SHA-256 of the token is enough to find it and useless to an attacker.
CREATE TABLE staff_tokens (
  token_id      UUID PRIMARY KEY,
  user_id       UUID NOT NULL REFERENCES staff_users (user_id) ON DELETE CASCADE,
  token_hash    BYTEA NOT NULL UNIQUE,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at  TIMESTAMPTZ,
  revoked_at    TIMESTAMPTZ
);

-- Web sessions (vertx-web's Session, serialized); the id is stored as its SHA-256, never as the cookie's value.
CREATE TABLE staff_sessions (
  id_hash     BYTEA PRIMARY KEY,
  data        BYTEA NOT NULL,
  version     INTEGER NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Failed and successful logins, for lockout per account and per client; old rows are deleted.
CREATE TABLE staff_login_attempts (
  at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  email     TEXT NOT NULL,
  client    TEXT NOT NULL,
  success   BOOLEAN NOT NULL
);
CREATE INDEX staff_login_attempts_email ON staff_login_attempts (email, at);
CREATE INDEX staff_login_attempts_client ON staff_login_attempts (client, at);

-- Who read which transcript, who changed or published what, logins. tenant_id NULL: an operator-wide action.
CREATE TABLE audit_log (
  audit_id    BIGSERIAL PRIMARY KEY,
  tenant_id   TEXT REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL DEFAULT '',
  details     JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_tenant_time ON audit_log (tenant_id, at DESC);

-- Secrets every replica must share (the CSRF token key), generated once.
CREATE TABLE staff_secrets (
  name    TEXT PRIMARY KEY,
  value   TEXT NOT NULL
);

-- An editor's decision on a citizen's question that the bot could not answer: added as a phrasing, linked to an
-- article, turned into a new article, or ignored. Keyed by the question as stored (redacted), per language.
CREATE TABLE content_gap_actions (
  tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  lang        TEXT NOT NULL CHECK (lang IN ('da', 'en')),
  question    TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('phrasing', 'linked', 'new-article', 'ignored')),
  slug        TEXT,
  actor       TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, lang, question)
);

-- Content gaps read a tenant's bot replies by time.
CREATE INDEX conversations_tenant_started ON conversations (tenant_id, started_at);
