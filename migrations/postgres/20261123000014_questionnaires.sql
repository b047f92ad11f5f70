-- Questionnaires per consultation: questions in order, and one response per participant whose
-- answers are rows that the results add up in SQL.
--
-- kind: single (one option), multiple (min_choices..max_choices options), yes_no (yes, no,
-- abstain), rating (1 to 5, with labels for both ends), ranking (every option gets a rank),
-- free_text (at most max_chars characters).
CREATE TABLE questionnaire_questions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('single', 'multiple', 'yes_no', 'rating', 'ranking', 'free_text')),
    prompt          TEXT NOT NULL,
    help            TEXT NOT NULL DEFAULT '',
    required        BOOLEAN NOT NULL DEFAULT FALSE,
    min_choices     BIGINT NOT NULL DEFAULT 0,
    max_choices     BIGINT NOT NULL DEFAULT 0,
    low_label       TEXT NOT NULL DEFAULT '',
    high_label      TEXT NOT NULL DEFAULT '',
    max_chars       BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX questionnaire_questions_consultation ON questionnaire_questions (consultation_id, position);

CREATE TABLE questionnaire_options (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES questionnaire_questions(id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    label       TEXT NOT NULL
);
CREATE INDEX questionnaire_options_question ON questionnaire_options (question_id, position);

-- One response per participant and consultation: the unique key makes a second one impossible,
-- and saving locks this row first, so that concurrent saves of one participant take turns.
CREATE TABLE questionnaire_responses (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (consultation_id, user_id)
);

-- A response's answers, one row per chosen option (single, multiple: value NULL), per ranked
-- option (ranking: value = rank, 1 = first), or per value (yes_no: 1 yes, 2 no, 3 abstain;
-- rating: 1..5; option_id NULL).
CREATE TABLE questionnaire_answers (
    response_id BIGINT NOT NULL REFERENCES questionnaire_responses(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questionnaire_questions(id) ON DELETE CASCADE,
    option_id   BIGINT REFERENCES questionnaire_options(id) ON DELETE CASCADE,
    value       BIGINT
);
CREATE INDEX questionnaire_answers_response ON questionnaire_answers (response_id);
CREATE INDEX questionnaire_answers_question ON questionnaire_answers (question_id, option_id, value);

-- Free-text answers, kept apart: they are listed, not counted.
CREATE TABLE questionnaire_texts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id BIGINT NOT NULL REFERENCES questionnaire_responses(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questionnaire_questions(id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (response_id, question_id)
);
CREATE INDEX questionnaire_texts_question ON questionnaire_texts (question_id, created_at);
