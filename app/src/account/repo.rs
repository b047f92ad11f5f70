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
        sqlx::query_as::<_, (i64, String, bool)>(
            "SELECT id, display_name, is_instance_admin FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    let Some((id, display_name, is_instance_admin)) = user else {
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
