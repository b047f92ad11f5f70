//! The rows of an export, streamed from the database one at a time (`fetch`, never
//! `fetch_all`) into a [`RowSink`]. Participants appear as a pseudonymous id that is stable
//! within one consultation and says nothing across consultations (a hash of a random
//! per-consultation salt and the account id); display names only when personal data is asked
//! for. E-mail addresses are never exported.

use std::future::Future;

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};

use super::encode::Value;
use super::Kind;
use crate::db::Db;
use crate::on_db;

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
    #[error("spreadsheet: {0}")]
    Xlsx(String),
    /// The client went away; nothing to report.
    #[error("the receiver is gone")]
    Gone,
}

/// Where rows go.
pub trait RowSink: Send {
    fn row(&mut self, values: Vec<Value>) -> impl Future<Output = Result<(), ExportError>> + Send;
}

/// The consultation being exported.
#[derive(Clone, Debug)]
pub struct Scope {
    pub consultation_id: i64,
    /// The per-consultation salt of the pseudonyms.
    pub salt: String,
    /// Display names beside the pseudonyms.
    pub personal: bool,
}

impl Scope {
    /// The participant's pseudonymous id in this consultation ('' for a deleted account).
    pub fn pseudonym(&self, user_id: Option<i64>) -> String {
        match user_id {
            Some(id) => {
                let digest = Sha256::digest(format!("{}:{id}", self.salt).as_bytes());
                format!("T-{}", &hex::encode(digest)[..12])
            }
            None => String::new(),
        }
    }

    /// The scope of a consultation: gives it its salt the first time it is exported.
    pub async fn of(db: &Db, consultation_id: i64, personal: bool) -> Result<Scope, sqlx::Error> {
        let fresh = crate::secret::random_token();
        let salt = on_db!(db, |pool| {
            sqlx::query(
                "UPDATE consultations SET pseudonym_salt = $1 WHERE id = $2 AND pseudonym_salt = ''",
            )
            .bind(&fresh)
            .bind(consultation_id)
            .execute(pool)
            .await?;
            sqlx::query_scalar::<_, String>(
                "SELECT pseudonym_salt FROM consultations WHERE id = $1",
            )
            .bind(consultation_id)
            .fetch_one(pool)
            .await
        })?;
        Ok(Scope {
            consultation_id,
            salt,
            personal,
        })
    }
}

/// The columns of `kind`, in the order of the values of each row.
pub fn columns(kind: Kind, personal: bool) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = match kind {
        Kind::Contributions => vec![
            "id",
            "thread_id",
            "parent_id",
            "section_id",
            "section_title",
            "lat",
            "lon",
            "participant",
        ],
        Kind::Responses => vec!["response_id", "participant"],
        Kind::Votes => vec!["comment_id", "participant"],
    };
    if personal {
        c.push("participant_name");
    }
    c.extend(match kind {
        Kind::Contributions => &[
            "created_at",
            "edited_at",
            "status",
            "hidden_reason",
            "support",
            "objections",
            "replies",
            "answer_status",
            "answer_reason",
            "text",
        ][..],
        Kind::Responses => &[
            "updated_at",
            "question_position",
            "question",
            "question_kind",
            "option",
            "value",
            "text",
        ][..],
        Kind::Votes => &["value", "created_at"][..],
    });
    c
}

#[derive(sqlx::FromRow)]
struct ContributionRow {
    id: i64,
    thread_id: i64,
    parent_id: Option<i64>,
    section_id: String,
    section_title: String,
    pin_lat: Option<f64>,
    pin_lon: Option<f64>,
    author_user_id: Option<i64>,
    author_name: String,
    author_deleted: bool,
    created_at: i64,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    status: String,
    hidden_reason: Option<String>,
    up_votes: i64,
    down_votes: i64,
    replies: i64,
    answer_status: Option<String>,
    answer_reason: Option<String>,
    body: String,
}

const CONTRIBUTIONS: &str = "SELECT c.id, COALESCE(c.root_id, c.id) AS thread_id, c.parent_id, \
     c.section_id, c.section_title, c.pin_lat, c.pin_lon, c.author_user_id, c.author_name, \
     c.author_deleted, c.created_at, c.edited_at, c.deleted_at, c.status, c.hidden_reason, \
     CAST(c.up_votes AS BIGINT) AS up_votes, CAST(c.down_votes AS BIGINT) AS down_votes, \
     (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id AND r.deleted_at IS NULL) AS replies, \
     a.status AS answer_status, a.reason AS answer_reason, c.body \
     FROM comments c \
     LEFT JOIN official_answer_comments ac ON ac.comment_id = c.id \
     LEFT JOIN official_answers a ON a.id = ac.answer_id \
     WHERE c.consultation_id = $1 ORDER BY c.id";

impl ContributionRow {
    fn values(self, scope: &Scope) -> Vec<Value> {
        let deleted = self.deleted_at.is_some();
        let mut v = vec![
            Value::Int(self.id),
            Value::Int(self.thread_id),
            self.parent_id.into(),
            Value::Text(self.section_id),
            Value::Text(self.section_title),
            self.pin_lat.map_or(Value::Null, Value::Float),
            self.pin_lon.map_or(Value::Null, Value::Float),
            Value::Text(scope.pseudonym(self.author_user_id.filter(|_| !self.author_deleted))),
        ];
        if scope.personal {
            v.push(Value::Text(if self.author_deleted {
                String::new()
            } else {
                self.author_name
            }));
        }
        v.extend([
            Value::Time(self.created_at),
            self.edited_at.map_or(Value::Null, Value::Time),
            Value::Text(if deleted {
                "deleted".to_string()
            } else {
                self.status
            }),
            self.hidden_reason.into(),
            Value::Int(self.up_votes),
            Value::Int(self.down_votes),
            Value::Int(self.replies),
            self.answer_status.into(),
            self.answer_reason.into(),
            Value::Text(if deleted { String::new() } else { self.body }),
        ]);
        v
    }
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    response_id: i64,
    user_id: i64,
    author_name: String,
    updated_at: i64,
    position: i64,
    prompt: String,
    kind: String,
    label: Option<String>,
    value: Option<i64>,
    body: Option<String>,
}

const RESPONSES: &str = "SELECT r.id AS response_id, r.user_id, u.display_name AS author_name, \
     r.updated_at, CAST(q.position AS BIGINT) AS position, q.prompt, q.kind, o.label, \
     CAST(a.value AS BIGINT) AS value, CAST(NULL AS TEXT) AS body \
     FROM questionnaire_answers a \
     JOIN questionnaire_responses r ON r.id = a.response_id \
     JOIN users u ON u.id = r.user_id \
     JOIN questionnaire_questions q ON q.id = a.question_id \
     LEFT JOIN questionnaire_options o ON o.id = a.option_id \
     WHERE r.consultation_id = $1 \
     UNION ALL \
     SELECT r.id, r.user_id, u.display_name, r.updated_at, CAST(q.position AS BIGINT), q.prompt, \
     q.kind, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), t.body \
     FROM questionnaire_texts t \
     JOIN questionnaire_responses r ON r.id = t.response_id \
     JOIN users u ON u.id = r.user_id \
     JOIN questionnaire_questions q ON q.id = t.question_id \
     WHERE r.consultation_id = $1 \
     ORDER BY 1, 5, 9";

impl ResponseRow {
    fn values(self, scope: &Scope) -> Vec<Value> {
        let mut v = vec![
            Value::Int(self.response_id),
            Value::Text(scope.pseudonym(Some(self.user_id))),
        ];
        if scope.personal {
            v.push(Value::Text(self.author_name));
        }
        // yes/no/abstain are stored as 1/2/3: the export says which.
        let option = match (self.kind.as_str(), self.value) {
            ("yes_no", Some(1)) => Some("yes".to_string()),
            ("yes_no", Some(2)) => Some("no".to_string()),
            ("yes_no", Some(3)) => Some("abstain".to_string()),
            _ => self.label,
        };
        let value = if self.kind == "yes_no" {
            None
        } else {
            self.value
        };
        v.extend([
            Value::Time(self.updated_at),
            Value::Int(self.position),
            Value::Text(self.prompt),
            Value::Text(self.kind),
            option.into(),
            value.into(),
            self.body.into(),
        ]);
        v
    }
}

#[derive(sqlx::FromRow)]
struct VoteRow {
    comment_id: i64,
    user_id: i64,
    author_name: String,
    value: i64,
    created_at: i64,
}

const VOTES: &str = "SELECT v.comment_id, v.user_id, u.display_name AS author_name, \
     CAST(v.value AS BIGINT) AS value, v.created_at \
     FROM comment_votes v JOIN comments c ON c.id = v.comment_id \
     JOIN users u ON u.id = v.user_id \
     WHERE c.consultation_id = $1 ORDER BY v.comment_id, v.created_at, v.user_id";

impl VoteRow {
    fn values(self, scope: &Scope) -> Vec<Value> {
        let mut v = vec![
            Value::Int(self.comment_id),
            Value::Text(scope.pseudonym(Some(self.user_id))),
        ];
        if scope.personal {
            v.push(Value::Text(self.author_name));
        }
        v.extend([Value::Int(self.value), Value::Time(self.created_at)]);
        v
    }
}

/// Streams the rows of `kind` into `sink`; returns how many there were.
pub async fn stream<S: RowSink>(
    db: &Db,
    scope: &Scope,
    kind: Kind,
    sink: &mut S,
) -> Result<u64, ExportError> {
    let mut n = 0u64;
    match kind {
        Kind::Contributions => on_db!(db, |pool| {
            let mut rows = sqlx::query_as::<_, ContributionRow>(CONTRIBUTIONS)
                .bind(scope.consultation_id)
                .fetch(pool);
            while let Some(r) = rows.try_next().await? {
                sink.row(r.values(scope)).await?;
                n += 1;
            }
        }),
        Kind::Responses => on_db!(db, |pool| {
            let mut rows = sqlx::query_as::<_, ResponseRow>(RESPONSES)
                .bind(scope.consultation_id)
                .fetch(pool);
            while let Some(r) = rows.try_next().await? {
                sink.row(r.values(scope)).await?;
                n += 1;
            }
        }),
        Kind::Votes => on_db!(db, |pool| {
            let mut rows = sqlx::query_as::<_, VoteRow>(VOTES)
                .bind(scope.consultation_id)
                .fetch(pool);
            while let Some(r) = rows.try_next().await? {
                sink.row(r.values(scope)).await?;
                n += 1;
            }
        }),
    }
    Ok(n)
}

/// How many rows `kind` has (for the staff page and the progress of a download).
pub async fn count(db: &Db, consultation_id: i64, kind: Kind) -> Result<i64, sqlx::Error> {
    let sql = match kind {
        Kind::Contributions => "SELECT COUNT(*) FROM comments WHERE consultation_id = $1",
        Kind::Responses => {
            "SELECT (SELECT COUNT(*) FROM questionnaire_answers a JOIN questionnaire_responses r \
             ON r.id = a.response_id WHERE r.consultation_id = $1) + \
             (SELECT COUNT(*) FROM questionnaire_texts t JOIN questionnaire_responses r \
             ON r.id = t.response_id WHERE r.consultation_id = $1)"
        }
        Kind::Votes => {
            "SELECT COUNT(*) FROM comment_votes v JOIN comments c ON c.id = v.comment_id \
             WHERE c.consultation_id = $1"
        }
    };
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(consultation_id)
            .fetch_one(pool)
            .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_consultation_and_differ_across() {
        let a = Scope {
            consultation_id: 1,
            salt: "a".repeat(64),
            personal: false,
        };
        let b = Scope {
            salt: "b".repeat(64),
            ..a.clone()
        };
        assert_eq!(a.pseudonym(Some(7)), a.pseudonym(Some(7)));
        assert_ne!(a.pseudonym(Some(7)), a.pseudonym(Some(8)));
        assert_ne!(a.pseudonym(Some(7)), b.pseudonym(Some(7)));
        assert!(a.pseudonym(Some(7)).starts_with("T-"));
        assert_eq!(a.pseudonym(Some(7)).len(), 14);
        assert_eq!(a.pseudonym(None), "");
    }

    #[test]
    fn personal_columns_only_when_asked() {
        assert!(!columns(Kind::Votes, false).contains(&"participant_name"));
        assert!(columns(Kind::Votes, true).contains(&"participant_name"));
        for kind in Kind::ALL {
            assert!(!columns(kind, true).iter().any(|c| c.contains("mail")));
        }
    }
}
