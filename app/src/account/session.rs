//! Sessions live in the database, so every app instance knows every session. The cookie holds a
//! random token; the database only its SHA-256. A new token is issued at every login (no session
//! fixation), and sessions end after an idle period or at an absolute limit.

use http::header::SET_COOKIE;
use http::HeaderValue;
use leptos::prelude::use_context;

use crate::db::now;
use crate::error::AppError;
use crate::on_db;
use crate::secret::{is_token_shaped, random_token, token_hash};
use crate::state::{AppSettings, AppState};

pub const IDLE_TIMEOUT_SECS: i64 = 12 * 3600;
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 7 * 24 * 3600;
/// last_seen_at is written at most this often, so reading pages does not mean writing rows.
const TOUCH_INTERVAL_SECS: i64 = 300;

/// `__Host-` binds the cookie to this exact origin, but browsers accept that prefix only on
/// secure cookies, so plain-HTTP installations (development) use the bare name.
pub fn cookie_name(settings: &AppSettings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-mitreden_session"
    } else {
        "mitreden_session"
    }
}

/// The session token of the current request, if it carries one of the right shape.
pub fn request_token(settings: &AppSettings) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    crate::cookies::cookie_value(&parts.headers, cookie_name(settings))
        .filter(|v| is_token_shaped(v))
        .map(str::to_owned)
}

/// How long a half-finished login (password done, second factor owed) may wait.
const PENDING_SECS: i64 = 600;

/// Starts a new session for `user_id` and sets its cookie.
pub async fn start(state: &AppState, user_id: i64) -> Result<(), AppError> {
    start_with(state, user_id, false).await
}

/// Starts a session that only allows the second login step.
pub async fn start_pending(state: &AppState, user_id: i64) -> Result<(), AppError> {
    start_with(state, user_id, true).await
}

async fn start_with(state: &AppState, user_id: i64, pending: bool) -> Result<(), AppError> {
    // Whatever session the browser had before is ended: a fresh id at every privilege change.
    // (The new cookie replaces the old one; no clearing cookie is needed.)
    delete_current(state).await?;
    let token = random_token();
    let ts = now();
    on_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
            .bind(ts)
            .bind(ts - IDLE_TIMEOUT_SECS)
            .execute(pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, pending_second_factor) \
             VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(ts)
        .bind(ts + if pending { PENDING_SECS } else { ABSOLUTE_TIMEOUT_SECS })
        .bind(pending)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    set_cookie(
        &state.settings,
        &token,
        if pending {
            PENDING_SECS
        } else {
            ABSOLUTE_TIMEOUT_SECS
        },
    );
    Ok(())
}

/// The user of a half-finished login (second factor owed), if this request carries one.
pub async fn pending_user_id(state: &AppState) -> Result<Option<i64>, AppError> {
    let Some(token) = request_token(&state.settings) else {
        return Ok(None);
    };
    Ok(on_db!(&state.db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT user_id FROM sessions WHERE id_hash = $1 AND pending_second_factor = TRUE AND expires_at > $2",
        )
        .bind(token_hash(&token))
        .bind(now())
        .fetch_optional(pool)
        .await
    })?)
}

/// The user id of the current request's valid session; refreshes its idle timer now and then.
pub async fn current_user_id(state: &AppState) -> Result<Option<i64>, AppError> {
    match request_token(&state.settings) {
        Some(token) => user_id_for_token(state, &token).await,
        None => Ok(None),
    }
}

/// The user of a session cookie in `headers` (for handlers outside server functions).
pub async fn user_id_from_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<i64>, AppError> {
    match crate::cookies::cookie_value(headers, cookie_name(&state.settings))
        .filter(|v| is_token_shaped(v))
    {
        Some(token) => user_id_for_token(state, token).await,
        None => Ok(None),
    }
}

/// The user id of a valid, complete session with this token; refreshes its idle timer now and
/// then.
async fn user_id_for_token(state: &AppState, token: &str) -> Result<Option<i64>, AppError> {
    let key = token_hash(token);
    let ts = now();
    let row = on_db!(&state.db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT user_id, last_seen_at FROM sessions \
             WHERE id_hash = $1 AND expires_at > $2 AND last_seen_at > $3 AND pending_second_factor = FALSE",
        )
        .bind(&key)
        .bind(ts)
        .bind(ts - IDLE_TIMEOUT_SECS)
        .fetch_optional(pool)
        .await
    })?;
    let Some((user_id, last_seen)) = row else {
        return Ok(None);
    };
    if ts - last_seen > TOUCH_INTERVAL_SECS {
        on_db!(&state.db, |pool| {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(ts)
                .bind(&key)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
    }
    Ok(Some(user_id))
}

/// Ends the current request's session (logout) and clears the cookie.
pub async fn end_current(state: &AppState) -> Result<(), AppError> {
    if delete_current(state).await? {
        set_cookie(&state.settings, "", 0);
    }
    Ok(())
}

/// Deletes the current request's session row; whether the request carried a session cookie.
async fn delete_current(state: &AppState) -> Result<bool, AppError> {
    let Some(token) = request_token(&state.settings) else {
        return Ok(false);
    };
    on_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(token_hash(&token))
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(true)
}

/// Ends every session of a user ("log out everywhere", password change).
pub async fn end_all(state: &AppState, user_id: i64) -> Result<(), AppError> {
    Ok(super::repo::end_sessions(&state.db, user_id).await?)
}

fn set_cookie(settings: &AppSettings, token: &str, max_age: i64) {
    let secure = if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        cookie_name(settings)
    );
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(base_url: &str) -> AppSettings {
        AppSettings {
            base_url: base_url.to_string(),
            data_dir: "data".into(),
            tile_url: String::new(),
            tile_attribution: String::new(),
        }
    }

    #[test]
    fn https_installations_use_a_host_bound_secure_cookie() {
        assert_eq!(
            cookie_name(&settings("https://beteiligung.example.de")),
            "__Host-mitreden_session"
        );
        assert_eq!(
            cookie_name(&settings("http://127.0.0.1:3000")),
            "mitreden_session"
        );
    }
}
