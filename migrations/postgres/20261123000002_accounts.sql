-- Accounts: sessions in the database (shared by all app instances), single-use account tokens,
-- display names unique regardless of case.

CREATE UNIQUE INDEX users_display_name_lower ON users (lower(display_name));

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,           -- SHA-256 of the cookie value; the value is never stored
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,           -- idle timeout counts from here
    expires_at   BIGINT NOT NULL            -- absolute timeout
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'magic_link', 'change_email')),
    new_email  TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- A no-JavaScript form's kept state belongs to one form (a consultation's comments, login, …).
ALTER TABLE form_flashes ADD COLUMN scope TEXT NOT NULL DEFAULT '';
