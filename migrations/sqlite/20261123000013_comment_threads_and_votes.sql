-- Threads, edits, deletion and support votes.
--
-- root_id: the top-level comment of a comment's thread (NULL for top-level comments), so that a
-- page of threads and all their replies come in one query. body_html: the comment's limited
-- Markdown, sanitised once when written. edited_at: the author changed the text (within 15
-- minutes). deleted_at: the author deleted it; the text is gone, a placeholder keeps the thread.
ALTER TABLE comments ADD COLUMN root_id INTEGER REFERENCES comments(id) ON DELETE CASCADE;
ALTER TABLE comments ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN edited_at INTEGER;
ALTER TABLE comments ADD COLUMN deleted_at INTEGER;
-- Support counts, kept in the same transaction as the vote rows (see comment_votes).
ALTER TABLE comments ADD COLUMN up_votes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN down_votes INTEGER NOT NULL DEFAULT 0;
CREATE INDEX comments_root ON comments (root_id);
CREATE INDEX comments_author ON comments (author_user_id);

-- One vote per participant and comment: the primary key makes a second one impossible, however
-- many requests arrive at once. value 1 = support, -1 = objection (if the consultation allows).
CREATE TABLE comment_votes (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value IN (1, -1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_votes_user ON comment_votes (user_id);

-- Whether participants may also vote against a comment (objection), per consultation.
ALTER TABLE consultations ADD COLUMN downvotes BOOLEAN NOT NULL DEFAULT FALSE;
