-- Moderation, appeals, the audit log and official answers (Abwägung).

-- After this many reports from different participants a contribution is hidden pending review.
ALTER TABLE consultations ADD COLUMN report_threshold BIGINT NOT NULL DEFAULT 3
    CHECK (report_threshold BETWEEN 1 AND 100);

-- A comment's moderation state, beside `status` ('published', 'pending' = awaiting review,
-- 'hidden'). hidden_reason: the reason code shown to the author ('reported' = hidden by the report
-- threshold, awaiting review); hidden_by: the moderator (NULL for the threshold); reviewed_at: a
-- moderator approved it, which settles the reports made before; redacted_at: a moderator edited
-- personal data out of it (the original is in comment_redactions).
ALTER TABLE comments ADD COLUMN report_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN hidden_reason TEXT;
ALTER TABLE comments ADD COLUMN hidden_note TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN hidden_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE comments ADD COLUMN hidden_at BIGINT;
ALTER TABLE comments ADD COLUMN reviewed_at BIGINT;
ALTER TABLE comments ADD COLUMN redacted_at BIGINT;
CREATE INDEX comments_queue ON comments (status, consultation_id);

-- One report per participant and contribution (the unique key makes a second one impossible).
-- resolved_at: a moderator decided on the contribution after this report.
CREATE TABLE comment_reports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id  BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL
                CHECK (reason IN ('spam', 'insult', 'personal_data', 'off_topic', 'illegal', 'other')),
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    UNIQUE (comment_id, user_id)
);
CREATE INDEX comment_reports_open ON comment_reports (comment_id, resolved_at);

-- The text before a moderator edited personal data out of it: staff-only, gone with the comment.
CREATE TABLE comment_redactions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id    BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    original_body TEXT NOT NULL,
    moderator_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX comment_redactions_comment ON comment_redactions (comment_id);

-- One appeal per hidden contribution, by its author. hidden_by: the moderator whose decision is
-- appealed, who may not decide the appeal (the CHECK holds even against a faulty application).
-- outcome 'upheld': the appeal succeeds and the contribution is published again; 'rejected': it
-- stays hidden.
CREATE TABLE appeals (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id BIGINT NOT NULL UNIQUE REFERENCES comments(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    hidden_by  BIGINT,
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at BIGINT,
    outcome    TEXT CHECK (outcome IN ('upheld', 'rejected')),
    note       TEXT NOT NULL DEFAULT '',
    CHECK (decided_by IS NULL OR hidden_by IS NULL OR decided_by <> hidden_by)
);
CREATE INDEX appeals_open ON appeals (decided_at);

-- A participant blocked from contributing to an organisation's consultations until a time.
CREATE TABLE organisation_blocks (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_until   BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);

-- How a moderator hears of new items in the queue (no row: at once). last_alert_at: when the last
-- alert mail was claimed; items newer than that are news.
CREATE TABLE moderation_alerts (
    user_id       BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    mode          TEXT NOT NULL DEFAULT 'immediate' CHECK (mode IN ('off', 'immediate', 'daily')),
    last_alert_at BIGINT,
    updated_at    BIGINT NOT NULL
);

-- Every staff action, append-only: the triggers refuse UPDATE and DELETE, so nothing in the
-- application (or a mistake in it) can change the record. No foreign keys: entries outlive what
-- they name. subject_user_id: the person the action concerns (a contribution's author, an
-- appointed member), for "earlier decisions on this author".
CREATE TABLE audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT,
    consultation_id BIGINT,
    actor_user_id   BIGINT,
    actor_name      TEXT NOT NULL,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       BIGINT,
    object_label    TEXT NOT NULL DEFAULT '',
    subject_user_id BIGINT,
    reason          TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, id);
CREATE INDEX audit_log_subject ON audit_log (subject_user_id, organisation_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Official answers (Abwägung): the initiators' answer to one contribution or a group of them,
-- with a status and a reason (Markdown, sanitised once). Each contribution has at most one answer.
CREATE TABLE official_answers (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    status          TEXT NOT NULL
                    CHECK (status IN ('considered', 'adopted', 'partly_adopted', 'not_adopted', 'not_relevant')),
    reason          TEXT NOT NULL,
    reason_html     TEXT NOT NULL,
    author_user_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX official_answers_consultation ON official_answers (consultation_id);
CREATE TABLE official_answer_comments (
    answer_id   BIGINT NOT NULL REFERENCES official_answers(id) ON DELETE CASCADE,
    comment_id  BIGINT NOT NULL UNIQUE REFERENCES comments(id) ON DELETE CASCADE,
    notified_at BIGINT,
    PRIMARY KEY (answer_id, comment_id)
);
