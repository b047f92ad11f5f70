//! Server functions for signing in and out, and for knowing who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::CurrentUser;
use crate::error::AppError;

/// Where the browser goes after a successful login.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginOutcome {
    pub redirect_to: String,
}

/// What a failed no-JavaScript login leaves for the login page: the e-mail (never the password)
/// and the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginDraft {
    pub email: String,
    pub next: String,
    pub error: AppError,
}

pub const LOGIN_FLASH: &str = "login";

/// The signed-in person, if any.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::error::with_status(current_user().await)
}

/// The signed-in person of the current request (server side).
#[cfg(feature = "ssr")]
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let state = crate::state::app_state()?;
    match super::session::current_user_id(&state).await? {
        Some(id) => Ok(super::repo::current_user(&state.db, id).await?),
        None => Ok(None),
    }
}

/// The signed-in person holding `role` in the organisation (or an instance admin); everyone else
/// is refused. Every staff server function starts with this.
#[cfg(feature = "ssr")]
pub async fn require_role(
    organisation_id: i64,
    role: super::Role,
) -> Result<CurrentUser, AppError> {
    let user = current_user().await?.ok_or(AppError::Unauthenticated)?;
    if user.has_role(organisation_id, role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The kept e-mail and error of a failed no-JavaScript login (read once).
#[server(prefix = "/api", endpoint = "login_draft")]
pub async fn get_login_draft() -> Result<Option<LoginDraft>, AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(crate::flash::take(&state, LOGIN_FLASH).await)
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: String,
) -> Result<LoginOutcome, AppError> {
    use super::{password as pw, repo, safe_next, session, Email};
    use crate::error::{Field, Problem};

    let state = crate::state::app_state()?;
    let next = safe_next(&next);
    let outcome = async {
        let address = Email::parse(&email)?;
        if password.is_empty() {
            return Err(AppError::invalid(Field::Password, Problem::Empty));
        }
        let credentials = repo::credentials(&state.db, &address).await?;
        let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
        // Hashing is CPU work: off the async threads.
        let ok = tokio::task::spawn_blocking(move || pw::verify(&password, stored.as_deref()))
            .await
            .map_err(|_| AppError::Internal)?;
        match credentials {
            Some(c) if ok => {
                session::start(&state, c.id).await?;
                tracing::info!(user_id = c.id, "login");
                Ok(LoginOutcome {
                    redirect_to: next.clone(),
                })
            }
            _ => Err(AppError::InvalidCredentials),
        }
    }
    .await;

    if !crate::flash::is_plain_form_post() {
        return crate::error::with_status(outcome);
    }
    match outcome {
        Ok(outcome) => {
            leptos_axum::redirect(&outcome.redirect_to);
            Ok(outcome)
        }
        Err(AppError::Internal) => crate::error::with_status(Err(AppError::Internal)),
        Err(error) => {
            crate::flash::put(
                &state,
                LOGIN_FLASH,
                &LoginDraft {
                    email,
                    next: next.clone(),
                    error,
                },
            )
            .await?;
            leptos_axum::redirect(&format!("/login?next={}", encode_query(&next)));
            Ok(LoginOutcome { redirect_to: next })
        }
    }
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    super::session::end_current(&state).await?;
    if crate::flash::is_plain_form_post() {
        leptos_axum::redirect("/");
    }
    Ok(())
}

/// Percent-encodes a value for a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
