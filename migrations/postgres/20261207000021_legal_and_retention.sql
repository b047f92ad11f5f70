-- The instance's legal pages (accessibility statement, privacy policy, imprint) as Markdown with
-- the sanitised HTML made once when saved; barrier reports from the accessibility statement's
-- form; instance settings (retention); a consultation's own, shorter retention period.

CREATE TABLE instance_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE legal_pages (
    kind       TEXT NOT NULL CHECK (kind IN ('accessibility', 'privacy', 'imprint')),
    lang       TEXT NOT NULL CHECK (lang IN ('de', 'en')),
    markdown   TEXT NOT NULL,
    html       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, lang)
);

-- contact_email: optional, removed by `mitreden retention` 30 days after the report was answered.
CREATE TABLE barrier_reports (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_url      TEXT NOT NULL,
    description   TEXT NOT NULL,
    contact_email TEXT,
    lang          TEXT NOT NULL CHECK (lang IN ('de', 'en')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
    created_at    BIGINT NOT NULL,
    answered_at   BIGINT,
    answered_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    answer_note   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX barrier_reports_status ON barrier_reports (status, created_at);

-- Months after the end during which participants' personal data is kept; NULL: the instance's.
ALTER TABLE consultations ADD COLUMN retention_months BIGINT
    CHECK (retention_months BETWEEN 1 AND 120);

-- Retention looks participants up by what they took part in.
CREATE INDEX questionnaire_responses_user ON questionnaire_responses (user_id);
CREATE INDEX access_codes_user ON access_codes (user_id);
CREATE INDEX users_unverified ON users (created_at) WHERE email_verified_at IS NULL AND email IS NOT NULL;
