//! Account queries.

use super::{CurrentUser, Email, Membership, Role};
use crate::db::{now, Db};
use crate::on_db;

#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<i64>,
}

/// The login data of a live (not deleted) account.
pub async fn credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, Credentials>(
            "SELECT id, display_name, password_hash, email_verified_at FROM users \
             WHERE email = $1 AND deleted_at IS NULL",
        )
        .bind(email.as_str())
        .fetch_optional(pool)
        .await
    })
}

pub async fn current_user(db: &Db, user_id: i64) -> Result<Option<CurrentUser>, sqlx::Error> {
    let user = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, bool, Option<i64>)>(
            "SELECT id, display_name, is_instance_admin, totp_enabled_at FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    let Some((id, display_name, is_instance_admin, totp_enabled_at)) = user else {
        return Ok(None);
    };
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, String)>(
            "SELECT m.organisation_id, o.slug, m.role FROM memberships m \
             JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 ORDER BY o.slug, m.role",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let roles = rows
        .into_iter()
        .filter_map(|(organisation_id, organisation_slug, role)| {
            Role::parse(&role).map(|role| Membership {
                organisation_id,
                organisation_slug,
                role,
            })
        })
        .collect();
    Ok(Some(CurrentUser {
        id,
        display_name,
        is_instance_admin,
        roles,
        two_factor: totp_enabled_at.is_some(),
    }))
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub verified: bool,
    pub is_instance_admin: bool,
}

/// Creates an account; `None` when the e-mail or display name is taken.
pub async fn create(db: &Db, user: &NewUser<'_>) -> Result<Option<i64>, sqlx::Error> {
    let ts = now();
    let result = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (email, display_name, password_hash, email_verified_at, is_instance_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.email.as_str())
        .bind(user.display_name)
        .bind(user.password_hash)
        .bind(user.verified.then_some(ts))
        .bind(user.is_instance_admin)
        .bind(ts)
        .fetch_one(pool)
        .await
    });
    match result {
        Ok(id) => Ok(Some(id)),
        Err(err) if crate::db::is_unique_violation(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

pub async fn find_id_by_email(db: &Db, email: &Email) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await
    })
}

/// Gives a user a role in an organisation (idempotent).
pub async fn grant(
    db: &Db,
    user_id: i64,
    organisation_id: i64,
    role: Role,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO memberships (user_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, organisation_id, role) DO NOTHING",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(role.as_str())
        .bind(now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn mark_verified(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Makes an account an instance administrator (idempotent).
pub async fn make_instance_admin(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE users SET is_instance_admin = TRUE WHERE id = $1")
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Signs an account out everywhere (e.g. after its password was set from outside).
pub async fn end_sessions(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// What became of an e-mail change.
#[derive(Debug, PartialEq, Eq)]
pub enum EmailChange {
    /// Done; the address the account had before.
    Changed { old: String },
    /// Another account has the address (meanwhile); nothing changed.
    Taken,
    /// The account is gone (deleted); nothing changed.
    NoAccount,
}

/// Gives a live account a new, confirmed address; the account's unused tokens stop working.
pub async fn change_email(
    db: &Db,
    user_id: i64,
    email: &Email,
) -> Result<EmailChange, sqlx::Error> {
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let old = sqlx::query_scalar::<_, String>(
            "SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL AND email IS NOT NULL",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(old) = old else {
            return Ok(EmailChange::NoAccount);
        };
        let updated = sqlx::query(
            "UPDATE users SET email = $1, email_verified_at = $2 WHERE id = $3 AND deleted_at IS NULL",
        )
        .bind(email.as_str())
        .bind(ts)
        .bind(user_id)
        .execute(&mut *tx)
        .await;
        match updated {
            // Dropping the transaction rolls it back.
            Err(err) if crate::db::is_unique_violation(&err) => Ok(EmailChange::Taken),
            Err(err) => Err(err),
            Ok(_) => {
                // Links mailed to the previous address (a password reset, say) stop working.
                sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 AND used_at IS NULL")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(EmailChange::Changed { old })
            }
        }
    })
}

/// The e-mail address and password hash of a live account.
pub async fn email_and_hash(
    db: &Db,
    user_id: i64,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    // Participants by access code have no address; by e-mail link no password.
    on_db!(db, |pool| {
        sqlx::query_as::<_, (Option<String>, Option<String>)>(
            "SELECT email, password_hash FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// Deletes an account's personal data; its contributions stay, shown as "deleted account".
pub async fn delete_account(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    delete_accounts(db, &[user_id]).await.map(|_| ())
}

/// [`delete_account`] for a batch of accounts in one transaction (retention removes unconfirmed
/// accounts this way); returns how many were deleted (not deleted before).
pub async fn delete_accounts(db: &Db, ids: &[i64]) -> Result<u64, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let ts = now();
    let list = crate::db::in_list(1, ids.len());
    // Notifications: the choice, the unsubscribe links, the replies waiting for a digest.
    let mut statements = vec![
        format!(
            "UPDATE comments SET author_name = '', author_deleted = TRUE, author_user_id = NULL \
             WHERE author_user_id IN ({list})"
        ),
        format!("DELETE FROM reply_notifications WHERE recipient_user_id IN ({list})"),
    ];
    for table in [
        "sessions",
        "account_tokens",
        "memberships",
        "notification_settings",
        "unsubscribe_tokens",
    ] {
        statements.push(format!("DELETE FROM {table} WHERE user_id IN ({list})"));
    }
    // The row stays (ids in audit records keep meaning), without anything personal in it.
    let n = ids.len() + 1;
    let anonymise = format!(
        "UPDATE users SET email = NULL, password_hash = NULL, display_name = 'deleted-' || id, \
         email_verified_at = NULL, is_instance_admin = FALSE, deleted_at = ${n} \
         WHERE id IN ({list}) AND deleted_at IS NULL"
    );
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for sql in &statements {
            let mut q = sqlx::query(sql);
            for id in ids {
                q = q.bind(id);
            }
            q.execute(&mut *tx).await?;
        }
        let mut q = sqlx::query(&anonymise);
        for id in ids {
            q = q.bind(id);
        }
        let deleted = q.bind(ts).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(deleted)
    })
}

/// Everything stored about a person, for the privacy self-service download.
pub async fn export(db: &Db, user_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let user = on_db!(db, |pool| {
        sqlx::query_as::<_, (Option<String>, String, Option<i64>, i64)>(
            "SELECT email, display_name, email_verified_at, created_at FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?;
    let roles = current_user(db, user_id)
        .await?
        .map(|u| u.roles)
        .unwrap_or_default();
    let sessions = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT created_at, last_seen_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let comments = crate::comment::repo::list_by_author(db, user_id).await?;
    let notifications = crate::notify::repo::export(db, user_id).await?;
    let votes = crate::comment::repo::votes_by(db, user_id).await?;
    let questionnaires = crate::questionnaire::repo::export(db, user_id).await?;
    let official_answers = crate::answer::repo::for_author(db, user_id).await?;
    Ok(serde_json::json!({
        "account": {
            "email": user.0,
            "display_name": user.1,
            "email_verified_at": user.2,
            "created_at": user.3,
        },
        "roles": roles.iter().map(|m| serde_json::json!({"organisation": m.organisation_slug, "role": m.role.as_str()})).collect::<Vec<_>>(),
        "sessions": sessions.iter().map(|(c, l, e)| serde_json::json!({"created_at": c, "last_seen_at": l, "expires_at": e})).collect::<Vec<_>>(),
        "comments": comments.iter().map(|(id, consultation, body, at)| serde_json::json!({"id": id, "consultation": consultation, "text": body, "created_at": at})).collect::<Vec<_>>(),
        "votes": votes.iter().map(|(comment, consultation, value, at)| serde_json::json!({"comment": comment, "consultation": consultation, "value": value, "created_at": at})).collect::<Vec<_>>(),
        "questionnaires": questionnaires,
        "official_answers": official_answers,
        "notifications": notifications,
        "note": "Timestamps are seconds since 1970-01-01 UTC. Mitreden stores no IP addresses.",
    }))
}

/// The TOTP state of an account: (secret, enabled, last used step).
pub async fn totp_state(
    db: &Db,
    user_id: i64,
) -> Result<Option<(Option<String>, bool, Option<i64>)>, sqlx::Error> {
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, (Option<String>, Option<i64>, Option<i64>)>(
            "SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(secret, enabled, last)| (secret, enabled.is_some(), last)))
}

/// Stores a new, not yet confirmed TOTP secret.
pub async fn set_totp_secret(db: &Db, user_id: i64, secret: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $2")
            .bind(secret)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Marks `step` as used; false if it (or a later one) was used already — codes work once.
pub async fn use_totp_step(db: &Db, user_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Turns two-factor sign-in on and replaces the recovery codes (given as hashes).
pub async fn enable_totp(db: &Db, user_id: i64, code_hashes: &[String]) -> Result<(), sqlx::Error> {
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE users SET totp_enabled_at = $1 WHERE id = $2")
            .bind(ts)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for hash in code_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

/// Uses a recovery code; false if it is unknown or used.
pub async fn use_recovery_code(
    db: &Db,
    user_id: i64,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = on_db!(db, |pool| {
        sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(now())
            .bind(user_id)
            .bind(code_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Takes a role away.
pub async fn revoke(
    db: &Db,
    user_id: i64,
    organisation_id: i64,
    role: Role,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2 AND role = $3",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(role.as_str())
        .execute(pool)
        .await
        .map(|_| ())
    })
}
