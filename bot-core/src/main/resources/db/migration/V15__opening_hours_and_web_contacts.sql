-- Opening hours per municipality (issue 13): when people answer the chat's and the phone's queue. A tenant without a
-- row uses the installation's CIVICBOT_PHONE_HOURS. The schedule is OpeningHours' text, checked before it is stored.
CREATE TABLE opening_hours (
  tenant_id   TEXT PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  schedule    TEXT NOT NULL CHECK (length(schedule) BETWEEN 1 AND 500),
  changed_by  TEXT NOT NULL,
  changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A citizen in the web chat outside opening hours leaves a message and a way to be reached: an e-mail address, a
-- phone number, or both, and whether they want a call. Kept only here, for that purpose, deleted with the
-- conversation (the message itself is stored redacted like every citizen message).
ALTER TABLE callback_requests ALTER COLUMN phone_number DROP NOT NULL;
ALTER TABLE callback_requests ADD COLUMN email TEXT
  CHECK (email IS NULL OR (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'));
ALTER TABLE callback_requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'phone' CHECK (channel IN ('phone', 'web'));
ALTER TABLE callback_requests ADD COLUMN call_back BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE callback_requests ADD CONSTRAINT callback_requests_contact
  CHECK (phone_number IS NOT NULL OR email IS NOT NULL);
