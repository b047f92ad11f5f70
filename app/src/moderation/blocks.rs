//! Blocks: a participant a moderator blocked from an organisation's consultations may not post,
//! edit, vote, report or answer questionnaires there until the block ends (appeals stay open).

use crate::db::{now, Db};
use crate::error::AppError;
use crate::on_db;

/// Until when `user_id` is blocked in the organisation, if a block is running now.
pub async fn blocked_until(
    db: &Db,
    organisation_id: i64,
    user_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT blocked_until FROM organisation_blocks \
             WHERE organisation_id = $1 AND user_id = $2 AND blocked_until > $3",
        )
        .bind(organisation_id)
        .bind(user_id)
        .bind(now())
        .fetch_optional(pool)
        .await
    })
}

/// Refuses a blocked participant with the date their block ends.
pub async fn ensure_not_blocked(
    db: &Db,
    organisation_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    match blocked_until(db, organisation_id, user_id).await? {
        Some(until) => Err(AppError::Blocked { until }),
        None => Ok(()),
    }
}
