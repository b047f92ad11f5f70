//! Carries a no-JavaScript form's outcome across its redirect (Post/Redirect/Get): the user's
//! input and the error, or the notice to show. Stored in the database (any app instance can serve
//! the next request), keyed by the hash of a random cookie token, bound to one form ("scope"),
//! single-use and short-lived.

use http::header::SET_COOKIE;
use http::HeaderValue;
use leptos::prelude::use_context;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::db::now;
use crate::error::AppError;
use crate::on_db;
use crate::secret::{is_token_shaped, random_token, token_hash};
use crate::state::AppState;

const COOKIE_NAME: &str = "mitreden_flash";
const LIFETIME_SECS: i64 = 600;

/// Whether the current server-function call is a plain HTML form post (no JavaScript), which
/// must be answered with a redirect rather than data.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
        .unwrap_or(false)
}

/// Stores `value` for the next view of the form `scope` and sets the cookie that finds it.
pub async fn put<T: Serialize>(state: &AppState, scope: &str, value: &T) -> Result<(), AppError> {
    let token = random_token();
    let payload = serde_json::to_string(value).map_err(|err| {
        tracing::error!(error = %err, "cannot serialise form flash");
        AppError::Internal
    })?;
    let ts = now();
    on_db!(&state.db, |pool| {
        // Expired entries are removed on the way; they never hold more than ten minutes of drafts.
        sqlx::query("DELETE FROM form_flashes WHERE expires_at < $1")
            .bind(ts)
            .execute(pool)
            .await?;
        sqlx::query(
            "INSERT INTO form_flashes (token_hash, scope, payload, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(scope)
        .bind(&payload)
        .bind(ts + LIFETIME_SECS)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    set_cookie(
        state,
        &format!("{COOKIE_NAME}={token}; Path=/; Max-Age={LIFETIME_SECS}"),
    );
    Ok(())
}

/// Takes (reads and deletes) what this visitor's cookie points to, if it belongs to `scope`.
pub async fn take<T: DeserializeOwned>(
    state: &AppState,
    scope: &str,
) -> Result<Option<T>, AppError> {
    let Some(token) = cookie_value(COOKIE_NAME) else {
        return Ok(None);
    };
    let payload = on_db!(&state.db, |pool| {
        sqlx::query_scalar::<_, String>(
            "DELETE FROM form_flashes WHERE token_hash = $1 AND scope = $2 AND expires_at >= $3 \
             RETURNING payload",
        )
        .bind(token_hash(&token))
        .bind(scope)
        .bind(now())
        .fetch_optional(pool)
        .await
    })?;
    let Some(payload) = payload else {
        return Ok(None);
    };
    set_cookie(state, &format!("{COOKIE_NAME}=; Path=/; Max-Age=0"));
    Ok(serde_json::from_str(&payload).ok())
}

fn cookie_value(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    crate::cookies::cookie_value(&parts.headers, name)
        .filter(|v| is_token_shaped(v))
        .map(str::to_owned)
}

fn set_cookie(state: &AppState, cookie: &str) {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let value = format!("{cookie}; HttpOnly; SameSite=Lax{secure}");
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}
