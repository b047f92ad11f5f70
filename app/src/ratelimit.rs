//! Rate limits on everything that writes or can be guessed: fixed windows counted in the database
//! (so all app instances share them), keyed by account or by the client's network — the /24 or /64
//! prefix of its address, hashed with a salt that changes every day. No raw IP is ever stored.
//! Failed logins of an account also slow down further attempts progressively.

use leptos::prelude::use_context;

use crate::db::now;
use crate::error::AppError;
use crate::on_db;
use crate::secret::{random_token, token_hash};
use crate::state::AppState;

/// The client's network (IP prefix), put into the request by the server's middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientPrefix(pub String);

/// The limits: how many hits per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    LoginPerClient,
    RegisterPerClient,
    ResetPerClient,
    ResetPerAccount,
    EmailChangePerAccount,
    CommentPerClient,
    CommentPerAccount,
    SignInLinkPerClient,
    SignInLinkPerAddress,
    AccessCodePerClient,
    VotePerAccount,
    ReportPerAccount,
    BarrierReportPerClient,
}

impl Limit {
    /// (name, hits allowed, window in seconds)
    fn spec(self) -> (&'static str, i64, i64) {
        match self {
            Limit::LoginPerClient => ("login-client", 30, 15 * 60),
            Limit::RegisterPerClient => ("register-client", 10, 3600),
            Limit::ResetPerClient => ("reset-client", 10, 3600),
            Limit::ResetPerAccount => ("reset-account", 3, 3600),
            Limit::EmailChangePerAccount => ("email-change-account", 5, 3600),
            Limit::CommentPerClient => ("comment-client", 60, 10 * 60),
            Limit::CommentPerAccount => ("comment-account", 20, 10 * 60),
            Limit::SignInLinkPerClient => ("link-client", 10, 3600),
            Limit::SignInLinkPerAddress => ("link-address", 3, 3600),
            Limit::AccessCodePerClient => ("code-client", 20, 15 * 60),
            // Generous: reading through a long discussion one supports many comments.
            Limit::VotePerAccount => ("vote-account", 300, 10 * 60),
            Limit::ReportPerAccount => ("report-account", 30, 3600),
            Limit::BarrierReportPerClient => ("barrier-report-client", 10, 3600),
        }
    }
}

/// Who a limit counts: the client's network, or a named subject (e.g. an e-mail address).
pub enum Subject<'a> {
    Client,
    Named(&'a str),
}

/// Counts one hit; refuses with the seconds until the window ends once the limit is passed.
pub async fn hit(state: &AppState, limit: Limit, subject: Subject<'_>) -> Result<(), AppError> {
    let (name, max, window) = limit.spec();
    let subject_key = match subject {
        Subject::Client => client_key(state).await?,
        Subject::Named(value) => token_hash(&value.to_lowercase()),
    };
    let key = token_hash(&format!("{name}:{subject_key}"));
    let ts = now();
    let window_start = ts - ts.rem_euclid(window);
    let hits = on_db!(&state.db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO rate_counters (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1 RETURNING hits",
        )
        .bind(&key)
        .bind(window_start)
        .fetch_one(pool)
        .await
    })?;
    if hits == 1 {
        // The first hit of a window tidies up windows that ended a day ago.
        on_db!(&state.db, |pool| {
            sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
                .bind(ts - 86_400)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
    }
    if hits > max {
        let retry_after = (window_start + window - ts).max(1) as u64;
        tracing::warn!(limit = name, "rate limit reached");
        return Err(AppError::TooManyRequests { retry_after });
    }
    Ok(())
}

/// The hash of today's salt and the client's network prefix.
async fn client_key(state: &AppState) -> Result<String, AppError> {
    let prefix = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientPrefix>().cloned())
        .map(|p| p.0)
        .unwrap_or_else(|| "unknown".to_string());
    let day = now().div_euclid(86_400);
    let salt = on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO daily_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(random_token())
        .execute(pool)
        .await?;
        sqlx::query("DELETE FROM daily_salts WHERE day < $1")
            .bind(day - 1)
            .execute(pool)
            .await?;
        sqlx::query_scalar::<_, String>("SELECT salt FROM daily_salts WHERE day = $1")
            .bind(day)
            .fetch_one(pool)
            .await
    })?;
    Ok(token_hash(&format!("{salt}:{prefix}")))
}

/// Seconds a further login to an account must wait after `failures` recent failures: none for
/// the first two, then 5 s doubling up to 15 minutes.
pub fn login_delay_secs(failures: i64) -> i64 {
    if failures < 3 {
        0
    } else {
        (5_i64 << (failures - 3).min(10)).min(900)
    }
}

const FAILURE_MEMORY_SECS: i64 = 86_400;

/// Refuses a login attempt on an account that must still wait after recent failures.
pub async fn check_login_delay(state: &AppState, account: &str) -> Result<(), AppError> {
    let key = token_hash(&format!("login-account:{}", account.to_lowercase()));
    let row = on_db!(&state.db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT failures, last_failure_at FROM login_failures WHERE key = $1",
        )
        .bind(&key)
        .fetch_optional(pool)
        .await
    })?;
    let ts = now();
    if let Some((failures, last)) = row {
        if ts - last < FAILURE_MEMORY_SECS {
            let wait_until = last + login_delay_secs(failures);
            if ts < wait_until {
                return Err(AppError::TooManyRequests {
                    retry_after: (wait_until - ts) as u64,
                });
            }
        }
    }
    Ok(())
}

/// Records a failed login for an account (known or not: the same work either way).
pub async fn record_login_failure(state: &AppState, account: &str) -> Result<(), AppError> {
    let key = token_hash(&format!("login-account:{}", account.to_lowercase()));
    let ts = now();
    on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO login_failures (key, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 ELSE login_failures.failures + 1 END, \
               last_failure_at = $2",
        )
        .bind(&key)
        .bind(ts)
        .bind(ts - FAILURE_MEMORY_SECS)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Forgets an account's failures after a successful login.
pub async fn clear_login_failures(state: &AppState, account: &str) -> Result<(), AppError> {
    let key = token_hash(&format!("login-account:{}", account.to_lowercase()));
    on_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(&key)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::login_delay_secs;

    #[test]
    fn login_delays_grow_after_the_second_failure_and_are_capped() {
        assert_eq!(login_delay_secs(0), 0);
        assert_eq!(login_delay_secs(2), 0);
        assert_eq!(login_delay_secs(3), 5);
        assert_eq!(login_delay_secs(4), 10);
        assert_eq!(login_delay_secs(6), 40);
        assert_eq!(login_delay_secs(30), 900);
    }
}
