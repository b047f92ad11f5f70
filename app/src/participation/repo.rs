//! Storage for participation: passwordless participants, access codes, a consultation's rule.

use super::Rule;
use crate::db::{now, Db};
use crate::on_db;

/// A participant without password: signed in by an e-mail link (`email` given, confirmed when the
/// link is used) or by an access code (no e-mail at all). `None` when the display name (or the
/// address) is taken.
pub async fn create_participant(
    db: &Db,
    email: Option<&str>,
    display_name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let result = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (email, display_name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(email)
        .bind(display_name)
        .bind(now())
        .fetch_one(pool)
        .await
    });
    match result {
        Ok(id) => Ok(Some(id)),
        Err(err) if crate::db::is_unique_violation(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Removes a participant created a moment ago whose code was taken by someone else meanwhile.
pub async fn forget_participant(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM users WHERE id = $1 AND password_hash IS NULL AND email IS NULL")
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// (has a password, has a confirmed e-mail address) of an account.
pub async fn account_kind(db: &Db, user_id: i64) -> Result<(bool, bool), sqlx::Error> {
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, (bool, bool)>(
            "SELECT password_hash IS NOT NULL, (email IS NOT NULL AND email_verified_at IS NOT NULL) \
             FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.unwrap_or((false, false)))
}

/// Whether the account holds a redeemed access code of the consultation.
pub async fn holds_code(db: &Db, consultation_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let found = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM access_codes WHERE consultation_id = $1 AND user_id = $2 LIMIT 1",
        )
        .bind(consultation_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

/// Whether an unused code with this hash exists for the consultation.
pub async fn code_is_free(
    db: &Db,
    consultation_id: i64,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let found = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM access_codes WHERE consultation_id = $1 AND code_hash = $2 AND user_id IS NULL AND redeemed_at IS NULL",
        )
        .bind(consultation_id)
        .bind(code_hash)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

/// Binds a free code to an account, atomically: of two people typing the same code, one wins.
pub async fn redeem(
    db: &Db,
    consultation_id: i64,
    code_hash: &str,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE access_codes SET user_id = $1, redeemed_at = $2 \
             WHERE consultation_id = $3 AND code_hash = $4 AND user_id IS NULL AND redeemed_at IS NULL",
        )
        .bind(user_id)
        .bind(now())
        .bind(consultation_id)
        .bind(code_hash)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Stores a batch of new codes (their hashes) in one transaction.
pub async fn insert_codes(
    db: &Db,
    consultation_id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for hash in hashes {
            sqlx::query(
                "INSERT INTO access_codes (consultation_id, code_hash, created_at) VALUES ($1, $2, $3)",
            )
            .bind(consultation_id)
            .bind(hash)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })
}

/// (codes made, codes redeemed) for a consultation.
pub async fn code_counts(db: &Db, consultation_id: i64) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COUNT(redeemed_at) FROM access_codes WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .fetch_one(pool)
        .await
    })
}

pub async fn set_rule(db: &Db, consultation_id: i64, rule: Rule) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE consultations SET participation = $1, updated_at = $2 WHERE id = $3")
            .bind(rule.as_str())
            .bind(now())
            .bind(consultation_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}
