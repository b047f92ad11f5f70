//! Server functions for accounts: register, confirm the address, sign in and out, reset a
//! forgotten password, and know who is signed in.
//!
//! Every form here works without JavaScript: a plain form post is answered with a redirect, and
//! what the next page must show (the user's input except passwords, the error, or "done") waits
//! in a single-use flash for that form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::CurrentUser;
use crate::error::AppError;

/// The account forms, each its own flash scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountForm {
    Login,
    Register,
    Forgot,
    Reset,
    Verify,
    ChangePassword,
    DeleteAccount,
    SecondFactor,
    TwoFactorSetup,
    SignInLink,
    ChangeEmail,
    ConfirmEmailChange,
    /// The reply-notification choice on the account page.
    ReplyNotifications,
    /// The confirm button of a mail's unsubscribe link.
    Unsubscribe,
}

#[cfg(feature = "ssr")]
impl AccountForm {
    pub fn scope(self) -> &'static str {
        match self {
            AccountForm::Login => "account:login",
            AccountForm::Register => "account:register",
            AccountForm::Forgot => "account:forgot",
            AccountForm::Reset => "account:reset",
            AccountForm::Verify => "account:verify",
            AccountForm::ChangePassword => "account:change-password",
            AccountForm::DeleteAccount => "account:delete",
            AccountForm::SecondFactor => "account:second-factor",
            AccountForm::TwoFactorSetup => "account:two-factor-setup",
            AccountForm::SignInLink => "participation:link",
            AccountForm::ChangeEmail => "account:change-email",
            AccountForm::ConfirmEmailChange => "account:confirm-email-change",
            AccountForm::ReplyNotifications => "notify:settings",
            AccountForm::Unsubscribe => "notify:unsubscribe",
        }
    }
}

/// What a no-JavaScript post of an account form leaves for its page. Passwords are never kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDraft {
    pub values: BTreeMap<String, String>,
    pub error: Option<AppError>,
    pub done: bool,
}

impl FormDraft {
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

/// Where the browser goes after a successful form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOutcome {
    pub redirect_to: Option<String>,
}

/// The signed-in person, if any.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::error::with_status(current_user().await)
}

/// What a no-JavaScript post left for an account form (read once).
#[server(prefix = "/api", endpoint = "account_form_draft")]
pub async fn get_form_draft(form: AccountForm) -> Result<Option<FormDraft>, AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(crate::flash::take(&state, form.scope()).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::account::{password as pw, repo, safe_next, session, tokens, totp, Email};
    use crate::error::{Field, Problem};
    use crate::i18n::use_lang;
    use crate::mail::templates;
    use crate::ratelimit::{self, Limit, Subject};
    use crate::state::AppState;

    /// The signed-in person of the current request.
    pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
        let state = crate::state::app_state()?;
        match session::current_user_id(&state).await? {
            Some(id) => Ok(repo::current_user(&state.db, id).await?),
            None => Ok(None),
        }
    }

    /// Answers a form: JSON for the hydrated page; for a plain form post a redirect — to
    /// `success` when it worked (flagging `done` if the page should say so), else back to
    /// `failure` with the input kept.
    pub async fn answer(
        state: &AppState,
        form: AccountForm,
        outcome: Result<FormOutcome, AppError>,
        values: &[(&str, &str)],
        success: Option<&str>,
        failure: &str,
    ) -> Result<FormOutcome, AppError> {
        answer_in(state, form.scope(), outcome, values, success, failure).await
    }

    /// [`answer`] for a form whose kept state lives under its own flash `scope`.
    pub async fn answer_in(
        state: &AppState,
        scope: &str,
        outcome: Result<FormOutcome, AppError>,
        values: &[(&str, &str)],
        success: Option<&str>,
        failure: &str,
    ) -> Result<FormOutcome, AppError> {
        if !crate::flash::is_plain_form_post() {
            return crate::error::with_status(outcome);
        }
        let values = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match outcome {
            Ok(outcome) => {
                let target = outcome.redirect_to.clone().or(success.map(str::to_owned));
                match target {
                    Some(path) => leptos_axum::redirect(&path),
                    None => {
                        let draft = FormDraft {
                            values,
                            error: None,
                            done: true,
                        };
                        crate::flash::put(state, scope, &draft).await?;
                        leptos_axum::redirect(failure);
                    }
                }
                Ok(outcome)
            }
            Err(AppError::Internal) => crate::error::with_status(Err(AppError::Internal)),
            Err(error) => {
                let draft = FormDraft {
                    values,
                    error: Some(error.clone()),
                    done: false,
                };
                crate::flash::put(state, scope, &draft).await?;
                leptos_axum::redirect(failure);
                Ok(FormOutcome { redirect_to: None })
            }
        }
    }

    pub fn link(state: &AppState, path: &str, token: &str) -> String {
        format!("{}{path}?token={token}", state.settings.base_url)
    }

    /// Sends the confirmation link for an account's address.
    pub async fn send_verification(
        state: &AppState,
        user_id: i64,
        email: &str,
        name: &str,
    ) -> Result<(), AppError> {
        let token = tokens::issue(&state.db, user_id, tokens::Purpose::VerifyEmail).await?;
        let hours = tokens::Purpose::VerifyEmail.lifetime_secs() / 3600;
        let mail = templates::verify_email(
            use_lang(),
            email,
            name,
            &link(state, "/verify", &token),
            hours,
        );
        state.mailer.send(mail).await
    }

    pub async fn check_password(
        password: String,
        stored: Option<String>,
    ) -> Result<bool, AppError> {
        // Hashing is CPU work: off the async threads.
        tokio::task::spawn_blocking(move || pw::verify(&password, stored.as_deref()))
            .await
            .map_err(|_| AppError::Internal)
    }

    pub async fn hash_password(password: String) -> Result<String, AppError> {
        tokio::task::spawn_blocking(move || pw::hash(&password))
            .await
            .map_err(|_| AppError::Internal)?
    }

    pub async fn login(
        state: &AppState,
        email: &str,
        password: String,
        next: &str,
    ) -> Result<FormOutcome, AppError> {
        let address = Email::parse(email)?;
        if password.is_empty() {
            return Err(AppError::invalid(Field::Password, Problem::Empty));
        }
        ratelimit::hit(state, Limit::LoginPerClient, Subject::Client).await?;
        ratelimit::check_login_delay(state, address.as_str()).await?;
        let credentials = repo::credentials(&state.db, &address).await?;
        let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
        let ok = check_password(password, stored).await?;
        if ok {
            ratelimit::clear_login_failures(state, address.as_str()).await?;
        } else {
            ratelimit::record_login_failure(state, address.as_str()).await?;
        }
        match credentials {
            Some(c) if ok && c.email_verified_at.is_none() => {
                send_verification(state, c.id, address.as_str(), &c.display_name).await?;
                Err(AppError::EmailNotVerified)
            }
            Some(c) if ok => sign_in(state, c.id, next).await,
            _ => Err(AppError::InvalidCredentials),
        }
    }

    /// Starts the session of someone who proved the first factor (password or e-mail link):
    /// complete, or — with two-factor sign-in on — pending until the second factor is given.
    pub async fn sign_in(
        state: &AppState,
        user_id: i64,
        next: &str,
    ) -> Result<FormOutcome, AppError> {
        let two_factor = repo::totp_state(&state.db, user_id)
            .await?
            .is_some_and(|(_, enabled, _)| enabled);
        if two_factor {
            session::start_pending(state, user_id).await?;
            let to = format!("/login/2fa?next={}", encode_query(&safe_next(next)));
            return Ok(FormOutcome {
                redirect_to: Some(to),
            });
        }
        session::start(state, user_id).await?;
        tracing::info!(user_id, "login");
        Ok(FormOutcome {
            redirect_to: Some(safe_next(next)),
        })
    }

    pub async fn register(
        state: &AppState,
        email: &str,
        display_name: &str,
        password: &str,
    ) -> Result<FormOutcome, AppError> {
        let address = Email::parse(email)?;
        let name = super::super::DisplayName::parse(display_name)?;
        ratelimit::hit(state, Limit::RegisterPerClient, Subject::Client).await?;
        pw::check_new(password, address.as_str(), name.as_str())?;
        if let Some(existing) = repo::find_id_by_email(&state.db, &address).await? {
            // Same answer as a new registration; the owner learns of the attempt by mail.
            let token = tokens::issue(&state.db, existing, tokens::Purpose::ResetPassword).await?;
            let mail = templates::already_registered(
                use_lang(),
                address.as_str(),
                &link(state, "/password/reset", &token),
            );
            state.mailer.send(mail).await?;
            return Ok(FormOutcome { redirect_to: None });
        }
        let hash = hash_password(password.to_string()).await?;
        let created = repo::create(
            &state.db,
            &repo::NewUser {
                email: &address,
                display_name: name.as_str(),
                password_hash: &hash,
                verified: false,
                is_instance_admin: false,
            },
        )
        .await?;
        let Some(user_id) = created else {
            // The e-mail was checked above, so the display name is what collided.
            return Err(AppError::invalid(Field::DisplayName, Problem::Taken));
        };
        tracing::info!(user_id, "account registered");
        send_verification(state, user_id, address.as_str(), name.as_str()).await?;
        Ok(FormOutcome { redirect_to: None })
    }

    pub async fn verify(state: &AppState, token: &str) -> Result<FormOutcome, AppError> {
        let user_id = tokens::consume(&state.db, token, tokens::Purpose::VerifyEmail)
            .await?
            .ok_or(AppError::InvalidToken)?;
        repo::mark_verified(&state.db, user_id).await?;
        session::start(state, user_id).await?;
        tracing::info!(user_id, "e-mail verified");
        Ok(FormOutcome {
            redirect_to: Some("/".to_string()),
        })
    }

    pub async fn forgot(state: &AppState, email: &str) -> Result<FormOutcome, AppError> {
        let address = Email::parse(email)?;
        ratelimit::hit(state, Limit::ResetPerClient, Subject::Client).await?;
        ratelimit::hit(
            state,
            Limit::ResetPerAccount,
            Subject::Named(address.as_str()),
        )
        .await?;
        if let Some(user_id) = repo::find_id_by_email(&state.db, &address).await? {
            let token = tokens::issue(&state.db, user_id, tokens::Purpose::ResetPassword).await?;
            let minutes = tokens::Purpose::ResetPassword.lifetime_secs() / 60;
            let mail = templates::password_reset(
                use_lang(),
                address.as_str(),
                &link(state, "/password/reset", &token),
                minutes,
            );
            state.mailer.send(mail).await?;
        }
        // Known or not: the same answer.
        Ok(FormOutcome { redirect_to: None })
    }

    pub async fn reset(
        state: &AppState,
        token: &str,
        password: &str,
    ) -> Result<FormOutcome, AppError> {
        if !tokens::is_valid(&state.db, token, tokens::Purpose::ResetPassword).await? {
            return Err(AppError::InvalidToken);
        }
        pw::check_new(password, "", "")?;
        let hash = hash_password(password.to_string()).await?;
        let user_id = tokens::consume(&state.db, token, tokens::Purpose::ResetPassword)
            .await?
            .ok_or(AppError::InvalidToken)?;
        repo::set_password(&state.db, user_id, &hash).await?;
        // Whoever knew the old password is signed out everywhere; a reset link also proves the address.
        session::end_all(state, user_id).await?;
        repo::mark_verified(&state.db, user_id).await?;
        tracing::info!(user_id, "password reset");
        Ok(FormOutcome {
            redirect_to: Some("/login?reset=1".to_string()),
        })
    }

    /// The signed-in user or `Unauthenticated`.
    pub async fn signed_in() -> Result<CurrentUser, AppError> {
        current_user().await?.ok_or(AppError::Unauthenticated)
    }

    /// Checks the signed-in user's current password (for changes that need it); answers the
    /// account's address ('' for none). Accounts without a password (sign-in link, access code)
    /// have none to confirm: their session is the proof.
    async fn confirm_password(
        state: &AppState,
        user: &CurrentUser,
        password: &str,
    ) -> Result<String, AppError> {
        let (email, stored) = repo::email_and_hash(&state.db, user.id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let email = email.unwrap_or_default();
        if stored.is_none() {
            return Ok(email);
        }
        let email = if email.is_empty() {
            format!("user:{}", user.id)
        } else {
            email
        };
        if password.is_empty() {
            return Err(AppError::invalid(Field::CurrentPassword, Problem::Empty));
        }
        ratelimit::check_login_delay(state, &email).await?;
        if !check_password(password.to_string(), stored).await? {
            ratelimit::record_login_failure(state, &email).await?;
            return Err(AppError::invalid(
                Field::CurrentPassword,
                Problem::WrongPassword,
            ));
        }
        Ok(email)
    }

    pub async fn change_password(
        state: &AppState,
        current: &str,
        new: &str,
    ) -> Result<FormOutcome, AppError> {
        let user = signed_in().await?;
        let email = confirm_password(state, &user, current).await?;
        pw::check_new(new, &email, &user.display_name)?;
        let hash = hash_password(new.to_string()).await?;
        repo::set_password(&state.db, user.id, &hash).await?;
        // Everyone else who knew the old password is out; this browser gets a fresh session.
        session::end_all(state, user.id).await?;
        session::start(state, user.id).await?;
        tracing::info!(user_id = user.id, "password changed");
        Ok(FormOutcome { redirect_to: None })
    }

    /// Asks for a new address: a confirmation link goes to it; the address changes only once the
    /// link is used. An address another account has gets the same answer (accounts cannot be
    /// discovered this way) and its owner a notice instead.
    pub async fn change_email(
        state: &AppState,
        new_email: &str,
        current: &str,
    ) -> Result<FormOutcome, AppError> {
        let user = signed_in().await?;
        let address = Email::parse(new_email)?;
        let email = confirm_password(state, &user, current).await?;
        if address.as_str() == email {
            return Err(AppError::invalid(Field::Email, Problem::SameAsCurrent));
        }
        let account = format!("user:{}", user.id);
        ratelimit::hit(
            state,
            Limit::EmailChangePerAccount,
            Subject::Named(&account),
        )
        .await?;
        if repo::find_id_by_email(&state.db, &address).await?.is_some() {
            let mail = templates::email_change_attempt(use_lang(), address.as_str());
            state.mailer.send(mail).await?;
            tracing::info!(user_id = user.id, "e-mail change to a taken address");
            return Ok(FormOutcome { redirect_to: None });
        }
        let purpose = tokens::Purpose::ChangeEmail;
        let token =
            tokens::issue_with_email(&state.db, user.id, purpose, Some(address.as_str())).await?;
        let mail = templates::confirm_new_email(
            use_lang(),
            address.as_str(),
            &user.display_name,
            &link(state, "/account/email", &token),
            purpose.lifetime_secs() / 3600,
        );
        state.mailer.send(mail).await?;
        tracing::info!(user_id = user.id, "e-mail change requested");
        Ok(FormOutcome { redirect_to: None })
    }

    /// Uses the link from the new address: the account gets that address, every session of the
    /// account ends, and the previous address is told.
    pub async fn confirm_email_change(
        state: &AppState,
        token: &str,
    ) -> Result<FormOutcome, AppError> {
        let (user_id, new_email) = tokens::consume_email_change(&state.db, token)
            .await?
            .ok_or(AppError::InvalidToken)?;
        let address = Email::parse(&new_email).map_err(|_| AppError::InvalidToken)?;
        let account = repo::current_user(&state.db, user_id)
            .await?
            .ok_or(AppError::InvalidToken)?;
        let old = match repo::change_email(&state.db, user_id, &address).await? {
            repo::EmailChange::Changed { old } => old,
            repo::EmailChange::Taken => {
                return Err(AppError::Conflict {
                    reason: crate::error::ConflictReason::EmailTaken,
                })
            }
            repo::EmailChange::NoAccount => return Err(AppError::InvalidToken),
        };
        // Read before the sessions end: is this browser the account's own?
        let signed_in_as = session::current_user_id(state).await?;
        session::end_all(state, user_id).await?;
        // A fresh session for the account's own browser, or for a browser nobody is signed in
        // on — unless the account has a second factor, which a mailed link must not replace.
        let own = signed_in_as == Some(user_id);
        let redirect_to = if own || (signed_in_as.is_none() && !account.two_factor) {
            session::start(state, user_id).await?;
            "/account?email_changed=1".to_string()
        } else {
            format!("/login?next={}", encode_query("/account?email_changed=1"))
        };
        let notice =
            templates::email_changed(use_lang(), &old, &account.display_name, address.as_str());
        if state.mailer.send(notice).await.is_err() {
            // The change stands; the failure is logged by the mailer.
            tracing::warn!(user_id, "could not notify the previous address");
        }
        tracing::info!(user_id, "e-mail address changed");
        Ok(FormOutcome {
            redirect_to: Some(redirect_to),
        })
    }

    pub async fn delete_account(state: &AppState, password: &str) -> Result<FormOutcome, AppError> {
        let user = signed_in().await?;
        confirm_password(state, &user, password).await?;
        session::end_current(state).await?;
        repo::delete_account(&state.db, user.id).await?;
        tracing::info!(user_id = user.id, "account deleted");
        Ok(FormOutcome {
            redirect_to: Some("/?account_deleted=1".to_string()),
        })
    }

    /// The second login step: a TOTP code (each works once) or a recovery code (likewise).
    pub async fn second_factor(
        state: &AppState,
        code: &str,
        next: &str,
    ) -> Result<FormOutcome, AppError> {
        let user_id = session::pending_user_id(state)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let account = format!("user:{user_id}");
        if code.trim().is_empty() {
            return Err(AppError::invalid(Field::Code, Problem::Empty));
        }
        ratelimit::check_login_delay(state, &account).await?;
        let (secret, enabled, last) = repo::totp_state(&state.db, user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let by_totp = match (secret, enabled) {
            (Some(secret), true) => match totp::verify(&secret, code, crate::db::now(), last) {
                Some(step) => repo::use_totp_step(&state.db, user_id, step).await?,
                None => false,
            },
            _ => false,
        };
        let accepted = by_totp || {
            let hash = crate::secret::token_hash(&totp::normalise_recovery_code(code));
            repo::use_recovery_code(&state.db, user_id, &hash).await?
        };
        if !accepted {
            ratelimit::record_login_failure(state, &account).await?;
            return Err(AppError::invalid(Field::Code, Problem::WrongCode));
        }
        ratelimit::clear_login_failures(state, &account).await?;
        session::start(state, user_id).await?;
        tracing::info!(user_id, by_totp, "login with second factor");
        Ok(FormOutcome {
            redirect_to: Some(safe_next(next)),
        })
    }

    pub async fn begin_totp(state: &AppState) -> Result<(), AppError> {
        let user = signed_in().await?;
        if !user.two_factor {
            repo::set_totp_secret(&state.db, user.id, &totp::new_secret()).await?;
        }
        Ok(())
    }

    pub async fn confirm_totp(state: &AppState, code: &str) -> Result<Vec<String>, AppError> {
        let user = signed_in().await?;
        let (secret, enabled, _) = repo::totp_state(&state.db, user.id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let secret = match (secret, enabled) {
            (Some(secret), false) => secret,
            _ => {
                return Err(AppError::Conflict {
                    reason: crate::error::ConflictReason::NothingToConfirm,
                })
            }
        };
        if code.trim().is_empty() {
            return Err(AppError::invalid(Field::Code, Problem::Empty));
        }
        let step = totp::verify(&secret, code, crate::db::now(), None)
            .ok_or(AppError::invalid(Field::Code, Problem::WrongCode))?;
        let codes = totp::new_recovery_codes();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| crate::secret::token_hash(&totp::normalise_recovery_code(c)))
            .collect();
        repo::enable_totp(&state.db, user.id, &hashes).await?;
        repo::use_totp_step(&state.db, user.id, step).await?;
        // A privilege change: a fresh session id.
        session::start(state, user.id).await?;
        tracing::info!(user_id = user.id, "two-factor sign-in enabled");
        Ok(codes)
    }
}

#[cfg(feature = "ssr")]
pub use server::{answer_in, current_user, link, sign_in, signed_in};

/// The signed-in instance admin (with a second factor); everyone else is refused.
#[cfg(feature = "ssr")]
pub async fn require_instance_admin() -> Result<CurrentUser, AppError> {
    let user = current_user().await?.ok_or(AppError::Unauthenticated)?;
    if !user.is_instance_admin {
        Err(AppError::Forbidden)
    } else if !user.two_factor {
        Err(AppError::TwoFactorRequired)
    } else {
        Ok(user)
    }
}

/// The signed-in person holding any staff role in the organisation (or an instance admin), with a
/// second factor; everyone else is refused. For screens every role of the organisation sees.
#[cfg(feature = "ssr")]
pub async fn require_staff(organisation_id: i64) -> Result<CurrentUser, AppError> {
    let user = current_user().await?.ok_or(AppError::Unauthenticated)?;
    let member = user.is_instance_admin
        || user
            .roles
            .iter()
            .any(|m| m.organisation_id == organisation_id);
    if !member {
        Err(AppError::Forbidden)
    } else if !user.two_factor {
        Err(AppError::TwoFactorRequired)
    } else {
        Ok(user)
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
    if !user.has_role(organisation_id, role) {
        Err(AppError::Forbidden)
    } else if !user.two_factor {
        // Staff work only with a second factor.
        Err(AppError::TwoFactorRequired)
    } else {
        Ok(user)
    }
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let next = super::safe_next(&next);
    let outcome = server::login(&state, &email, password, &next).await;
    let failure = format!("/login?next={}", encode_query(&next));
    server::answer(
        &state,
        AccountForm::Login,
        outcome,
        &[("email", &email), ("next", &next)],
        None,
        &failure,
    )
    .await
}

#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    email: String,
    display_name: String,
    password: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::register(&state, &email, &display_name, &password).await;
    let values = [
        ("email", email.as_str()),
        ("display_name", display_name.as_str()),
    ];
    server::answer(
        &state,
        AccountForm::Register,
        outcome,
        &values,
        None,
        "/register",
    )
    .await
}

#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::verify(&state, &token).await;
    let failure = format!("/verify?token={}", encode_query(&token));
    server::answer(&state, AccountForm::Verify, outcome, &[], None, &failure).await
}

#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::forgot(&state, &email).await;
    server::answer(
        &state,
        AccountForm::Forgot,
        outcome,
        &[("email", &email)],
        None,
        "/password/forgot",
    )
    .await
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::reset(&state, &token, &password).await;
    let failure = format!("/password/reset?token={}", encode_query(&token));
    server::answer(&state, AccountForm::Reset, outcome, &[], None, &failure).await
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

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::change_password(&state, &current_password, &password).await;
    server::answer(
        &state,
        AccountForm::ChangePassword,
        outcome,
        &[],
        None,
        "/account",
    )
    .await
}

#[server(prefix = "/api", endpoint = "change_email")]
pub async fn change_email(
    new_email: String,
    current_password: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::change_email(&state, &new_email, &current_password).await;
    server::answer(
        &state,
        AccountForm::ChangeEmail,
        outcome,
        &[("new_email", &new_email)],
        None,
        "/account#change-email",
    )
    .await
}

/// The link from the mail to the new address (posted from its page, never on a mere GET).
#[server(prefix = "/api", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::confirm_email_change(&state, &token).await;
    let failure = format!("/account/email?token={}", encode_query(&token));
    server::answer(
        &state,
        AccountForm::ConfirmEmailChange,
        outcome,
        &[],
        None,
        &failure,
    )
    .await
}

#[server(prefix = "/api", endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = async {
        let user = server::signed_in().await?;
        super::session::end_all(&state, user.id).await?;
        super::session::end_current(&state).await?;
        Ok(FormOutcome {
            redirect_to: Some("/login".to_string()),
        })
    }
    .await;
    server::answer(&state, AccountForm::Login, outcome, &[], None, "/account").await
}

#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(password: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::delete_account(&state, &password).await;
    server::answer(
        &state,
        AccountForm::DeleteAccount,
        outcome,
        &[],
        None,
        "/account",
    )
    .await
}

/// What the account page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub display_name: String,
    pub email: String,
    pub two_factor: bool,
    /// Staff roles make the second factor mandatory.
    pub is_staff: bool,
    /// A started, unconfirmed setup: the secret and its QR code (SVG).
    pub totp_setup: Option<(String, String)>,
}

#[server(prefix = "/api", endpoint = "login_second_factor")]
pub async fn login_second_factor(code: String, next: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let next = super::safe_next(&next);
    let outcome = server::second_factor(&state, &code, &next).await;
    let failure = format!("/login/2fa?next={}", encode_query(&next));
    server::answer(
        &state,
        AccountForm::SecondFactor,
        outcome,
        &[("next", &next)],
        None,
        &failure,
    )
    .await
}

#[server(prefix = "/api", endpoint = "begin_two_factor_setup")]
pub async fn begin_two_factor_setup() -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::begin_totp(&state).await;
    let outcome = outcome.map(|_| FormOutcome {
        redirect_to: Some("/account#two-factor".to_string()),
    });
    server::answer(
        &state,
        AccountForm::TwoFactorSetup,
        outcome,
        &[],
        None,
        "/account#two-factor",
    )
    .await
}

/// Confirms the setup with a first code; answers the recovery codes (shown once).
#[server(prefix = "/api", endpoint = "confirm_two_factor_setup")]
pub async fn confirm_two_factor_setup(code: String) -> Result<Vec<String>, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::confirm_totp(&state, &code).await;
    if !crate::flash::is_plain_form_post() {
        return crate::error::with_status(outcome);
    }
    let draft = match &outcome {
        Ok(codes) => FormDraft {
            values: codes
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("code{i:02}"), c.clone()))
                .collect(),
            error: None,
            done: true,
        },
        Err(AppError::Internal) => return crate::error::with_status(outcome),
        Err(err) => FormDraft {
            values: Default::default(),
            error: Some(err.clone()),
            done: false,
        },
    };
    crate::flash::put(&state, AccountForm::TwoFactorSetup.scope(), &draft).await?;
    leptos_axum::redirect("/account#two-factor");
    Ok(Vec::new())
}

#[server(prefix = "/api", endpoint = "account_overview")]
pub async fn get_account_overview() -> Result<AccountOverview, AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(
        async {
            let user = server::signed_in().await?;
            let (email, _) = super::repo::email_and_hash(&state.db, user.id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let email = email.unwrap_or_default();
            let totp_setup = match super::repo::totp_state(&state.db, user.id).await? {
                Some((Some(secret), false, _)) => {
                    let uri = super::totp::otpauth_uri("Mitreden", &email, &secret);
                    super::totp::qr_svg(&uri).map(|svg| (secret, svg))
                }
                _ => None,
            };
            Ok(AccountOverview {
                is_staff: user.is_staff(),
                two_factor: user.two_factor,
                display_name: user.display_name,
                email,
                totp_setup,
            })
        }
        .await,
    )
}

/// Everything stored about the signed-in person, as a JSON download (GET, so a plain link works).
#[server(prefix = "/api", endpoint = "my_data", input = leptos::server_fn::codec::GetUrl)]
pub async fn export_my_data() -> Result<serde_json::Value, AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(
        async {
            let user = server::signed_in().await?;
            let data = super::repo::export(&state.db, user.id).await?;
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(
                    http::header::CONTENT_DISPOSITION,
                    http::HeaderValue::from_static(
                        "attachment; filename=\"mitreden-meine-daten.json\"",
                    ),
                );
            }
            Ok(data)
        }
        .await,
    )
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
