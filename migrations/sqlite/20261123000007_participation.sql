-- Who may take part in a consultation: holders of a verified account with password ('account'),
-- anyone who confirms an e-mail address through a sign-in link ('email'), or holders of a printed
-- one-time access code ('code'; each code makes one participant).
ALTER TABLE consultations ADD COLUMN participation TEXT NOT NULL DEFAULT 'account'
    CHECK (participation IN ('account', 'email', 'code'));

CREATE TABLE access_codes (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    code_hash       TEXT NOT NULL UNIQUE,      -- SHA-256 of the normalised code; codes are shown once
    user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    redeemed_at     INTEGER
);
CREATE INDEX access_codes_consultation ON access_codes (consultation_id, user_id);
