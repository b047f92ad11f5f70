//! Single-use, short-lived account tokens (e-mail verification, password reset, confirming a new
//! address): random, stored only as a hash, consumed atomically.

use crate::db::{now, Db};
use crate::on_db;
use crate::secret::{is_token_shaped, random_token, token_hash};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    /// Confirms a new address for an existing account; the token carries that address.
    ChangeEmail,
    /// Signs in without a password (consultations with the e-mail rule).
    MagicLink,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
            Purpose::MagicLink => "magic_link",
        }
    }

    pub fn lifetime_secs(self) -> i64 {
        match self {
            Purpose::VerifyEmail => 24 * 3600,
            Purpose::ResetPassword => 3600,
            Purpose::ChangeEmail => 24 * 3600,
            Purpose::MagicLink => 30 * 60,
        }
    }
}

/// Issues a token for `user_id`; earlier unused tokens of the same purpose stop working.
pub async fn issue(db: &Db, user_id: i64, purpose: Purpose) -> Result<String, sqlx::Error> {
    issue_with_email(db, user_id, purpose, None).await
}

/// Issues a token that carries an address (the new one of an e-mail change); earlier unused
/// tokens of the same purpose stop working.
pub async fn issue_with_email(
    db: &Db,
    user_id: i64,
    purpose: Purpose,
    new_email: Option<&str>,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let ts = now();
    on_db!(db, |pool| {
        sqlx::query(
            "DELETE FROM account_tokens WHERE (user_id = $1 AND purpose = $2) OR expires_at < $3",
        )
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(ts)
        .execute(pool)
        .await?;
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(new_email)
        .bind(ts)
        .bind(ts + purpose.lifetime_secs())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(token)
}

/// Uses a token: the user id if it is valid, unused and unexpired; it can never be used again.
pub async fn consume(db: &Db, token: &str, purpose: Purpose) -> Result<Option<i64>, sqlx::Error> {
    if !is_token_shaped(token) {
        return Ok(None);
    }
    let ts = now();
    on_db!(db, |pool| {
        // One statement: two concurrent uses cannot both succeed.
        sqlx::query_scalar::<_, i64>(
            "UPDATE account_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(ts)
        .bind(token_hash(token))
        .bind(purpose.as_str())
        .fetch_optional(pool)
        .await
    })
}

/// Uses an e-mail change token: the user id and the new address it carries, if it is valid,
/// unused and unexpired — both from the one statement that uses it up.
pub async fn consume_email_change(
    db: &Db,
    token: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    if !is_token_shaped(token) {
        return Ok(None);
    }
    let ts = now();
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, Option<String>)>(
            "UPDATE account_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
             RETURNING user_id, new_email",
        )
        .bind(ts)
        .bind(token_hash(token))
        .bind(Purpose::ChangeEmail.as_str())
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.and_then(|(user_id, email)| email.map(|e| (user_id, e))))
}

/// Whether a token would be accepted (without using it), to show the right page.
pub async fn is_valid(db: &Db, token: &str, purpose: Purpose) -> Result<bool, sqlx::Error> {
    if !is_token_shaped(token) {
        return Ok(false);
    }
    let found = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT user_id FROM account_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash(token))
        .bind(purpose.as_str())
        .bind(now())
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}
