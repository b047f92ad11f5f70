-- A consultation's picture (one, with its required alternative text) and its documents (PDFs and
-- images). The bytes live under DATA_DIR/files/<images|attachments>/<stored_name>; the name we
-- chose is random, the uploader's name is kept only to be shown (escaped) and offered on download.
CREATE TABLE consultation_files (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('image', 'attachment')),
    stored_name     TEXT NOT NULL UNIQUE,
    original_name   TEXT NOT NULL,
    mime            TEXT NOT NULL,
    size_bytes      BIGINT NOT NULL,
    alt_text        TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX consultation_files_of ON consultation_files (consultation_id, purpose, id);
-- One picture per consultation.
CREATE UNIQUE INDEX consultation_files_one_image ON consultation_files (consultation_id)
    WHERE purpose = 'image';
