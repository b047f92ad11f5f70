//! Official-answer queries.

use std::collections::HashMap;

use super::{AnswerStatus, AnswerView};
use crate::db::Db;

/// The answers on the given contributions, by comment id (contributions without one are absent).
/// One query, whatever the number of ids.
pub async fn for_comments(
    db: &Db,
    comment_ids: &[i64],
) -> Result<HashMap<i64, AnswerView>, sqlx::Error> {
    if comment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    // The ids travel as one JSON array parameter, never spliced into the SQL.
    let ids = serde_json::to_string(comment_ids).unwrap_or_else(|_| "[]".into());
    type Row = (i64, i64, String, String, i64, i64);
    let rows: Vec<Row> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as::<_, Row>(
                "SELECT ac.comment_id, a.id, a.status, a.reason_html, a.updated_at, \
                 (SELECT COUNT(*) FROM official_answer_comments n WHERE n.answer_id = a.id) \
                 FROM official_answer_comments ac JOIN official_answers a ON a.id = ac.answer_id \
                 WHERE ac.comment_id IN (SELECT value FROM json_each($1))",
            )
            .bind(&ids)
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as::<_, Row>(
                "SELECT ac.comment_id, a.id, a.status, a.reason_html, a.updated_at, \
                 (SELECT COUNT(*) FROM official_answer_comments n WHERE n.answer_id = a.id) \
                 FROM official_answer_comments ac JOIN official_answers a ON a.id = ac.answer_id \
                 WHERE ac.comment_id = ANY($1)",
            )
            .bind(comment_ids)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|(comment_id, id, status, reason_html, at, count)| {
            Some((
                comment_id,
                AnswerView {
                    id,
                    status: AnswerStatus::parse(&status)?,
                    reason_html,
                    answered_at: at,
                    comment_count: count,
                },
            ))
        })
        .collect())
}
