//! Storage for questionnaires: questions and their options, one response per participant, and
//! the results as SQL aggregates over the answer rows.

use super::{
    Answer, Choice, Question, QuestionDraft, QuestionKind, QuestionResult, ResultRow, Results,
    RowLabel, TextAnswer, Vote,
};
use crate::db::{now, Db};
use crate::on_db;

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    kind: String,
    prompt: String,
    help: String,
    required: bool,
    min_choices: i64,
    max_choices: i64,
    low_label: String,
    high_label: String,
    max_chars: i64,
}

impl QuestionRow {
    fn kind(&self) -> QuestionKind {
        let n = |v: i64| u32::try_from(v).unwrap_or(0);
        match self.kind.as_str() {
            "multiple" => QuestionKind::Multiple {
                min: n(self.min_choices),
                max: n(self.max_choices),
            },
            "yes_no" => QuestionKind::YesNoAbstain,
            "rating" => QuestionKind::Rating {
                low: self.low_label.clone(),
                high: self.high_label.clone(),
            },
            "ranking" => QuestionKind::Ranking,
            "free_text" => QuestionKind::FreeText {
                max_chars: n(self.max_chars),
            },
            _ => QuestionKind::Single,
        }
    }
}

/// A consultation's questions in their order, with their options.
pub async fn questions(db: &Db, consultation_id: i64) -> Result<Vec<Question>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, QuestionRow>(
            "SELECT id, kind, prompt, help, required, min_choices, max_choices, low_label, \
             high_label, max_chars FROM questionnaire_questions WHERE consultation_id = $1 \
             ORDER BY position, id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    let options = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64, String)>(
            "SELECT o.id, o.question_id, o.label FROM questionnaire_options o \
             JOIN questionnaire_questions q ON q.id = o.question_id \
             WHERE q.consultation_id = $1 ORDER BY o.question_id, o.position, o.id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Question {
            id: r.id,
            kind: r.kind(),
            options: options
                .iter()
                .filter(|(_, q, _)| *q == r.id)
                .map(|(id, _, label)| Choice {
                    id: *id,
                    label: label.clone(),
                })
                .collect(),
            prompt: r.prompt,
            help: r.help,
            required: r.required,
        })
        .collect())
}

/// How many participants have answered.
pub async fn response_count(db: &Db, consultation_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM questionnaire_responses WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .fetch_one(pool)
        .await
    })
}

/// What a change to the questions came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Done(i64),
    /// Responses exist: the questions keep their meaning.
    Locked,
    /// No such question in this consultation.
    NotFound,
    /// The questionnaire has the most questions it may have.
    Full,
}

/// `NOT EXISTS` a response of the consultation `$1`: every change to the questions carries it,
/// so that the statement that changes them is also the one that checks the lock.
const NO_RESPONSES: &str =
    "NOT EXISTS (SELECT 1 FROM questionnaire_responses r WHERE r.consultation_id = $1)";

/// Why a change did nothing: the lock, or a question that is not there.
async fn why_not(db: &Db, consultation_id: i64) -> Result<Edit, sqlx::Error> {
    Ok(if response_count(db, consultation_id).await? > 0 {
        Edit::Locked
    } else {
        Edit::NotFound
    })
}

fn kind_columns(kind: &QuestionKind) -> (i64, i64, &str, &str, i64) {
    match kind {
        QuestionKind::Multiple { min, max } => (i64::from(*min), i64::from(*max), "", "", 0),
        QuestionKind::Rating { low, high } => (0, 0, low.as_str(), high.as_str(), 0),
        QuestionKind::FreeText { max_chars } => (0, 0, "", "", i64::from(*max_chars)),
        _ => (0, 0, "", "", 0),
    }
}

/// Writes a question's options in order, inside the transaction `tx` (either backend).
macro_rules! insert_options {
    ($tx:ident, $question_id:expr, $options:expr) => {
        for (i, label) in $options.iter().enumerate() {
            sqlx::query(
                "INSERT INTO questionnaire_options (question_id, position, label) \
                 VALUES ($1, $2, $3)",
            )
            .bind($question_id)
            .bind(i as i64)
            .bind(label)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// Adds a question at the end (unless responses exist or the questionnaire is full).
pub async fn insert_question(
    db: &Db,
    consultation_id: i64,
    q: &QuestionDraft,
) -> Result<Edit, sqlx::Error> {
    let (min, max, low, high, chars) = kind_columns(&q.kind);
    let sql = format!(
        "INSERT INTO questionnaire_questions (consultation_id, position, kind, prompt, help, \
         required, min_choices, max_choices, low_label, high_label, max_chars, created_at) \
         SELECT $1, COALESCE((SELECT MAX(position) FROM questionnaire_questions \
         WHERE consultation_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
         WHERE {NO_RESPONSES} AND (SELECT COUNT(*) FROM questionnaire_questions \
         WHERE consultation_id = $1) < $12 RETURNING id"
    );
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id = sqlx::query_scalar::<_, i64>(&sql)
            .bind(consultation_id)
            .bind(q.kind.name())
            .bind(&q.prompt)
            .bind(&q.help)
            .bind(q.required)
            .bind(min)
            .bind(max)
            .bind(low)
            .bind(high)
            .bind(chars)
            .bind(now())
            .bind(super::MAX_QUESTIONS as i64)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(id) = id {
            insert_options!(tx, id, q.options);
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    })?;
    match id {
        Some(id) => Ok(Edit::Done(id)),
        None if response_count(db, consultation_id).await? > 0 => Ok(Edit::Locked),
        None => Ok(Edit::Full),
    }
}

/// Replaces a question's text, kind and options (unless responses exist).
pub async fn update_question(
    db: &Db,
    consultation_id: i64,
    question_id: i64,
    q: &QuestionDraft,
) -> Result<Edit, sqlx::Error> {
    let (min, max, low, high, chars) = kind_columns(&q.kind);
    let sql = format!(
        "UPDATE questionnaire_questions SET kind = $3, prompt = $4, help = $5, required = $6, \
         min_choices = $7, max_choices = $8, low_label = $9, high_label = $10, max_chars = $11 \
         WHERE consultation_id = $1 AND id = $2 AND {NO_RESPONSES}"
    );
    let changed = on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let changed = sqlx::query(&sql)
            .bind(consultation_id)
            .bind(question_id)
            .bind(q.kind.name())
            .bind(&q.prompt)
            .bind(&q.help)
            .bind(q.required)
            .bind(min)
            .bind(max)
            .bind(low)
            .bind(high)
            .bind(chars)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 1 {
            sqlx::query("DELETE FROM questionnaire_options WHERE question_id = $1")
                .bind(question_id)
                .execute(&mut *tx)
                .await?;
            insert_options!(tx, question_id, q.options);
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(changed)
    })?;
    if changed == 1 {
        Ok(Edit::Done(question_id))
    } else {
        why_not(db, consultation_id).await
    }
}

/// Removes a question (unless responses exist).
pub async fn delete_question(
    db: &Db,
    consultation_id: i64,
    question_id: i64,
) -> Result<Edit, sqlx::Error> {
    let sql = format!(
        "DELETE FROM questionnaire_questions WHERE consultation_id = $1 AND id = $2 AND {NO_RESPONSES}"
    );
    let deleted = on_db!(db, |pool| {
        sqlx::query(&sql)
            .bind(consultation_id)
            .bind(question_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if deleted == 1 {
        Ok(Edit::Done(question_id))
    } else {
        why_not(db, consultation_id).await
    }
}

/// Moves a question one place up or down (unless responses exist); the positions are numbered
/// afresh, so that they stay distinct.
pub async fn move_question(
    db: &Db,
    consultation_id: i64,
    question_id: i64,
    up: bool,
) -> Result<Edit, sqlx::Error> {
    // The first statement writes (and checks the lock): on SQLite the transaction then holds the
    // write lock from the start, on PostgreSQL the rows are locked against a concurrent move.
    let lock = format!(
        "UPDATE questionnaire_questions SET position = position \
         WHERE consultation_id = $1 AND {NO_RESPONSES}"
    );
    let moved = on_db!(db, |pool| {
        async {
        let mut tx = pool.begin().await?;
        let locked = sqlx::query(&lock)
            .bind(consultation_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked == 0 {
            return Err::<bool, sqlx::Error>(sqlx::Error::RowNotFound);
        }
        let mut ids = sqlx::query_scalar::<_, i64>(
            "SELECT id FROM questionnaire_questions WHERE consultation_id = $1 ORDER BY position, id",
        )
        .bind(consultation_id)
        .fetch_all(&mut *tx)
        .await?;
        let Some(at) = ids.iter().position(|id| *id == question_id) else {
            return Err(sqlx::Error::RowNotFound);
        };
        let to = if up { at.checked_sub(1) } else { Some(at + 1) };
        if let Some(to) = to.filter(|t| *t < ids.len()) {
            ids.swap(at, to);
        }
        for (i, id) in ids.iter().enumerate() {
            sqlx::query("UPDATE questionnaire_questions SET position = $1 WHERE id = $2")
                .bind(i as i64 + 1)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
    .await
    });
    match moved {
        Ok(_) => Ok(Edit::Done(question_id)),
        Err(sqlx::Error::RowNotFound) => why_not(db, consultation_id).await,
        Err(err) => Err(err),
    }
}

/// The (option, value) row an answer is stored as; free text goes to its own table.
fn answer_rows(answer: &Answer) -> Vec<(Option<i64>, Option<i64>)> {
    match answer {
        Answer::Choices(ids) => ids.iter().map(|id| (Some(*id), None)).collect(),
        Answer::Vote(v) => vec![(None, Some(v.value()))],
        Answer::Rating(n) => vec![(None, Some(i64::from(*n)))],
        Answer::Ranking(ids) => ids
            .iter()
            .enumerate()
            .map(|(i, id)| (Some(*id), Some(i as i64 + 1)))
            .collect(),
        Answer::Text(_) => Vec::new(),
    }
}

/// Stores a participant's response, replacing the one they gave before, in one transaction.
///
/// The response row is written first (an upsert on `UNIQUE (consultation_id, user_id)`): that row
/// is the lock. Concurrent saves of one participant wait for each other there (PostgreSQL locks
/// the row, SQLite has one writer), so each replaces the answers of the one before and exactly one
/// set of answers remains — whatever number of requests arrive at once. Nothing is read and
/// written back by the application.
pub async fn save_response(
    db: &Db,
    consultation_id: i64,
    user_id: i64,
    answers: &[(i64, Answer)],
) -> Result<i64, sqlx::Error> {
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let response_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO questionnaire_responses (consultation_id, user_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $3) \
             ON CONFLICT (consultation_id, user_id) DO UPDATE SET updated_at = excluded.updated_at \
             RETURNING id",
        )
        .bind(consultation_id)
        .bind(user_id)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM questionnaire_answers WHERE response_id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM questionnaire_texts WHERE response_id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await?;
        for (question_id, answer) in answers {
            if let Answer::Text(body) = answer {
                sqlx::query(
                    "INSERT INTO questionnaire_texts (response_id, question_id, body, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(response_id)
                .bind(question_id)
                .bind(body)
                .bind(ts)
                .execute(&mut *tx)
                .await?;
            }
            for (option_id, value) in answer_rows(answer) {
                sqlx::query(
                    "INSERT INTO questionnaire_answers (response_id, question_id, option_id, value) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(response_id)
                .bind(question_id)
                .bind(option_id)
                .bind(value)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(response_id)
    })
}

/// A participant's saved answers and when they were saved.
pub async fn saved_answers(
    db: &Db,
    consultation_id: i64,
    user_id: i64,
    questions: &[Question],
) -> Result<Option<(Vec<(i64, Answer)>, i64)>, sqlx::Error> {
    let response = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT id, updated_at FROM questionnaire_responses \
             WHERE consultation_id = $1 AND user_id = $2",
        )
        .bind(consultation_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    let Some((response_id, updated_at)) = response else {
        return Ok(None);
    };
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, Option<i64>, Option<i64>)>(
            "SELECT question_id, option_id, value FROM questionnaire_answers \
             WHERE response_id = $1 ORDER BY question_id, value, option_id",
        )
        .bind(response_id)
        .fetch_all(pool)
        .await
    })?;
    let texts = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT question_id, body FROM questionnaire_texts WHERE response_id = $1",
        )
        .bind(response_id)
        .fetch_all(pool)
        .await
    })?;
    let mut answers = Vec::new();
    for q in questions {
        let mine: Vec<_> = rows.iter().filter(|(id, _, _)| *id == q.id).collect();
        let first_value = mine.first().and_then(|(_, _, v)| *v);
        let answer = match &q.kind {
            QuestionKind::Single | QuestionKind::Multiple { .. } => {
                let ids: Vec<i64> = q
                    .options
                    .iter()
                    .filter(|o| mine.iter().any(|(_, opt, _)| *opt == Some(o.id)))
                    .map(|o| o.id)
                    .collect();
                (!ids.is_empty()).then_some(Answer::Choices(ids))
            }
            QuestionKind::YesNoAbstain => first_value.and_then(Vote::from_value).map(Answer::Vote),
            QuestionKind::Rating { .. } => first_value
                .and_then(|v| u8::try_from(v).ok())
                .map(Answer::Rating),
            // Sorted by value (the rank) in the query.
            QuestionKind::Ranking => {
                let ids: Vec<i64> = mine.iter().filter_map(|(_, opt, _)| *opt).collect();
                (!ids.is_empty()).then_some(Answer::Ranking(ids))
            }
            QuestionKind::FreeText { .. } => texts
                .iter()
                .find(|(id, _)| *id == q.id)
                .map(|(_, body)| Answer::Text(body.clone())),
        };
        if let Some(answer) = answer {
            answers.push((q.id, answer));
        }
    }
    Ok(Some((answers, updated_at)))
}

/// The results, added up by the database: answers per option and value, mean ratings and mean
/// ranks, how many answered each question, and the newest free texts.
pub async fn results(
    db: &Db,
    consultation_id: i64,
    questions: &[Question],
) -> Result<Results, sqlx::Error> {
    let responses = response_count(db, consultation_id).await?;
    // (question, option, value, count): choices have no value, votes and ratings no option,
    // rankings both (the rank).
    let counts = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, Option<i64>, Option<i64>, i64)>(
            "SELECT a.question_id, a.option_id, a.value, COUNT(*) \
             FROM questionnaire_answers a \
             JOIN questionnaire_responses r ON r.id = a.response_id \
             WHERE r.consultation_id = $1 \
             GROUP BY a.question_id, a.option_id, a.value",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    // (question, option, mean, count): a rating's mean value (no option), an option's mean rank.
    let means = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, Option<i64>, f64, i64)>(
            "SELECT a.question_id, a.option_id, \
             CAST(AVG(CAST(a.value AS DOUBLE PRECISION)) AS DOUBLE PRECISION), COUNT(*) \
             FROM questionnaire_answers a \
             JOIN questionnaire_questions q ON q.id = a.question_id \
             WHERE q.consultation_id = $1 AND q.kind IN ('rating', 'ranking') \
             GROUP BY a.question_id, a.option_id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    let answered = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT question_id, COUNT(DISTINCT response_id) FROM ( \
               SELECT a.question_id, a.response_id FROM questionnaire_answers a \
               JOIN questionnaire_questions q ON q.id = a.question_id WHERE q.consultation_id = $1 \
               UNION ALL \
               SELECT t.question_id, t.response_id FROM questionnaire_texts t \
               JOIN questionnaire_questions q ON q.id = t.question_id WHERE q.consultation_id = $1 \
             ) given GROUP BY question_id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    let texts = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT question_id, body, created_at FROM ( \
               SELECT t.id, t.question_id, t.body, t.created_at, ROW_NUMBER() OVER \
                 (PARTITION BY t.question_id ORDER BY t.created_at DESC, t.id DESC) AS n \
               FROM questionnaire_texts t \
               JOIN questionnaire_questions q ON q.id = t.question_id \
               WHERE q.consultation_id = $1 \
             ) newest WHERE n <= $2 ORDER BY question_id, created_at DESC, id DESC",
        )
        .bind(consultation_id)
        .bind(super::MAX_LISTED_TEXTS)
        .fetch_all(pool)
        .await
    })?;
    let count_of = |q: i64, opt: Option<i64>, value: Option<i64>| {
        counts
            .iter()
            .filter(|(id, o, v, _)| *id == q && *o == opt && (value.is_none() || *v == value))
            .map(|(_, _, _, n)| *n)
            .sum::<i64>()
    };
    let mean_of = |q: i64, opt: Option<i64>| {
        means
            .iter()
            .find(|(id, o, _, _)| *id == q && *o == opt)
            .map(|(_, _, mean, n)| (*mean, *n))
    };
    let questions = questions
        .iter()
        .map(|q| {
            let (rows, mean) = match &q.kind {
                QuestionKind::Single | QuestionKind::Multiple { .. } => (
                    q.options
                        .iter()
                        .map(|o| ResultRow {
                            label: RowLabel::Option(o.label.clone()),
                            count: count_of(q.id, Some(o.id), None),
                            mean_rank: None,
                        })
                        .collect(),
                    None,
                ),
                QuestionKind::YesNoAbstain => (
                    Vote::ALL
                        .into_iter()
                        .map(|v| ResultRow {
                            label: RowLabel::Vote(v),
                            count: count_of(q.id, None, Some(v.value())),
                            mean_rank: None,
                        })
                        .collect(),
                    None,
                ),
                QuestionKind::Rating { .. } => (
                    (super::RATING_MIN..=super::RATING_MAX)
                        .map(|n| ResultRow {
                            label: RowLabel::Rating(n),
                            count: count_of(q.id, None, Some(i64::from(n))),
                            mean_rank: None,
                        })
                        .collect(),
                    mean_of(q.id, None).map(|(m, _)| m),
                ),
                QuestionKind::Ranking => (
                    q.options
                        .iter()
                        .map(|o| {
                            let (mean, n) = mean_of(q.id, Some(o.id)).unzip();
                            ResultRow {
                                label: RowLabel::Option(o.label.clone()),
                                count: n.unwrap_or(0),
                                mean_rank: mean,
                            }
                        })
                        .collect(),
                    None,
                ),
                QuestionKind::FreeText { .. } => (Vec::new(), None),
            };
            QuestionResult {
                question: q.clone(),
                answered: answered
                    .iter()
                    .find(|(id, _)| *id == q.id)
                    .map_or(0, |(_, n)| *n),
                rows,
                mean,
                texts: texts
                    .iter()
                    .filter(|(id, _, _)| *id == q.id)
                    .map(|(_, body, at)| TextAnswer {
                        body: body.clone(),
                        at: *at,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Results {
        responses,
        questions,
    })
}

/// A participant's questionnaire answers, for their data download: per consultation, each answer
/// with its question (and option), and the free texts.
pub async fn export(db: &Db, user_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let answers = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, i64, String, Option<String>, Option<i64>)>(
            "SELECT k.title, r.updated_at, q.prompt, o.label, a.value \
             FROM questionnaire_responses r \
             JOIN consultations k ON k.id = r.consultation_id \
             JOIN questionnaire_answers a ON a.response_id = r.id \
             JOIN questionnaire_questions q ON q.id = a.question_id \
             LEFT JOIN questionnaire_options o ON o.id = a.option_id \
             WHERE r.user_id = $1 ORDER BY r.id, q.position, o.position",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let texts = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String, String)>(
            "SELECT k.title, q.prompt, t.body FROM questionnaire_responses r \
             JOIN consultations k ON k.id = r.consultation_id \
             JOIN questionnaire_texts t ON t.response_id = r.id \
             JOIN questionnaire_questions q ON q.id = t.question_id \
             WHERE r.user_id = $1 ORDER BY r.id, q.position",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(serde_json::json!({
        "answers": answers.iter().map(|(consultation, at, question, option, value)| serde_json::json!({
            "consultation": consultation, "saved_at": at, "question": question,
            "option": option, "value": value,
        })).collect::<Vec<_>>(),
        "free_texts": texts.iter().map(|(consultation, question, text)| serde_json::json!({
            "consultation": consultation, "question": question, "text": text,
        })).collect::<Vec<_>>(),
    }))
}
