-- Stream tokens that have admitted a phone call's media stream: a token (from the signed voice webhook) admits one
-- stream, whichever replica it reaches. Only a hash is kept, and only until the token expires.

CREATE TABLE used_stream_tokens (
  token_hash  TEXT PRIMARY KEY,
  expires_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX used_stream_tokens_expiry ON used_stream_tokens (expires_at);
