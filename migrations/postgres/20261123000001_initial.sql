-- Organisations, accounts, consultations and contributions (PostgreSQL).
-- Timestamps are unix seconds (BIGINT); the PostgreSQL schema mirrors this one.

CREATE TABLE organisations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    parent_id   BIGINT REFERENCES organisations(id) ON DELETE RESTRICT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             TEXT UNIQUE,              -- NULL once an account is deleted
    display_name      TEXT NOT NULL UNIQUE,
    password_hash     TEXT,
    email_verified_at BIGINT,
    is_instance_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT NOT NULL,
    deleted_at        BIGINT
);

CREATE TABLE memberships (
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('org_admin', 'initiator', 'moderator')),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (user_id, organisation_id, role)
);

CREATE TABLE consultations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    body_markdown   TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',   -- sanitised once when written
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'open', 'closed', 'results_published')),
    moderation      TEXT NOT NULL DEFAULT 'post' CHECK (moderation IN ('post', 'pre')),
    opens_at        BIGINT,
    closes_at       BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (organisation_id, slug)
);
CREATE INDEX consultations_status ON consultations (status, closes_at);

CREATE TABLE comments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    parent_id       BIGINT REFERENCES comments(id) ON DELETE CASCADE,
    author_user_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    author_name     TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'published'
                    CHECK (status IN ('published', 'pending', 'rejected', 'hidden')),
    created_at      BIGINT NOT NULL
);
CREATE INDEX comments_consultation ON comments (consultation_id, status, created_at);
CREATE INDEX comments_parent ON comments (parent_id);

-- Short-lived, single-use state carried across a no-JavaScript form post and its redirect
-- (the user's text and the validation error). Looked up by the hash of a cookie token.
CREATE TABLE form_flashes (
    token_hash TEXT PRIMARY KEY,
    payload    TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX form_flashes_expiry ON form_flashes (expires_at);
