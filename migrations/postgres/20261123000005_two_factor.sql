-- Two-factor sign-in (TOTP, RFC 6238), mandatory for staff; recovery codes stored hashed.
ALTER TABLE users ADD COLUMN totp_secret TEXT;            -- base32; set at setup, active once confirmed
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;           -- the last time step used: no replay

CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A session that has passed the password but still owes the second factor.
ALTER TABLE sessions ADD COLUMN pending_second_factor BOOLEAN NOT NULL DEFAULT FALSE;
