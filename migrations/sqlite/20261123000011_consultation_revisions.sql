-- Text corrections after a consultation was published are kept: each row is the text as it was
-- before a change, so residents can see what changed and when.
CREATE TABLE consultation_revisions (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    changed_at      INTEGER NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    plain_summary   TEXT NOT NULL,
    body_markdown   TEXT NOT NULL
);
CREATE INDEX consultation_revisions_of ON consultation_revisions (consultation_id, changed_at);

-- The sections of the body (headings with their anchors, as JSON), written with body_html.
ALTER TABLE consultations ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';
-- When results (votes, questionnaire answers) are public: during participation ('live'), once it
-- has closed ('closed'), or only when staff publish them ('published').
ALTER TABLE consultations ADD COLUMN results_visibility TEXT NOT NULL DEFAULT 'published'
    CHECK (results_visibility IN ('live', 'closed', 'published'));

-- A comment may be about one section; its title is kept in case the heading changes later.
ALTER TABLE comments ADD COLUMN section_id TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN section_title TEXT NOT NULL DEFAULT '';

-- Counts the editor's saves, so that a save based on an older state is refused instead of
-- silently overwriting what someone else saved in the meantime.
ALTER TABLE consultations ADD COLUMN edit_version INTEGER NOT NULL DEFAULT 0;
