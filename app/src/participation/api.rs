//! Server functions for taking part (sign-in link, access code) and for the staff who set the
//! rule and print access codes.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Rule;
use crate::account::api::FormOutcome;
use crate::error::AppError;

/// The flash scope of the sign-in-link and access-code forms on a consultation page.
#[cfg(feature = "ssr")]
pub fn gate_scope(consultation_id: i64) -> String {
    format!("participation:{consultation_id}")
}

#[cfg(feature = "ssr")]
fn codes_scope(org: &str, slug: &str) -> String {
    format!("access-codes:{org}/{slug}")
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::account::{session, CurrentUser, DisplayName, Email};
    use crate::consultation::repo::ConsultationRecord;
    use crate::error::{Field, Problem};
    use crate::ratelimit::{hit, Limit, Subject};
    use crate::state::AppState;

    /// Whether `viewer` meets the consultation's rule.
    pub async fn may_participate(
        state: &AppState,
        consultation: &ConsultationRecord,
        viewer: Option<&CurrentUser>,
    ) -> Result<bool, AppError> {
        let Some(user) = viewer else {
            return Ok(false);
        };
        Ok(match consultation.participation {
            Rule::Account => {
                super::super::repo::account_kind(&state.db, user.id).await? == (true, true)
            }
            Rule::Email => {
                super::super::repo::account_kind(&state.db, user.id)
                    .await?
                    .1
            }
            Rule::Code => {
                super::super::repo::holds_code(&state.db, consultation.id, user.id).await?
            }
        })
    }

    /// The signed-in participant, or `NotParticipant` saying what the rule asks for. Every
    /// function that writes a contribution starts with this.
    pub async fn require_participant(
        state: &AppState,
        consultation: &ConsultationRecord,
    ) -> Result<CurrentUser, AppError> {
        let viewer = crate::account::api::current_user().await?;
        if may_participate(state, consultation, viewer.as_ref()).await? {
            let user = viewer.ok_or(AppError::Internal)?;
            // A moderator's block on the organisation stops every contribution until it ends.
            crate::moderation::blocks::ensure_not_blocked(
                &state.db,
                consultation.organisation_id,
                user.id,
            )
            .await?;
            Ok(user)
        } else {
            Err(AppError::NotParticipant {
                rule: consultation.participation,
            })
        }
    }

    /// A public consultation that follows `rule`, or 404.
    pub async fn consultation_with_rule(
        state: &AppState,
        org: &str,
        slug: &str,
        rule: Rule,
    ) -> Result<ConsultationRecord, AppError> {
        crate::consultation::repo::find_public(&state.db, org, slug)
            .await?
            .filter(|c| c.participation == rule)
            .ok_or(AppError::NotFound)
    }

    pub async fn request_link(
        state: &AppState,
        c: &ConsultationRecord,
        email: &str,
        display_name: &str,
    ) -> Result<FormOutcome, AppError> {
        let address = Email::parse(email)?;
        let name = DisplayName::parse(display_name)?;
        hit(state, Limit::SignInLinkPerClient, Subject::Client).await?;
        hit(
            state,
            Limit::SignInLinkPerAddress,
            Subject::Named(address.as_str()),
        )
        .await?;
        let user_id = match crate::account::repo::find_id_by_email(&state.db, &address).await? {
            // Known address: the name typed is not used; the answer is the same as for a new one.
            Some(id) => id,
            None => super::super::repo::create_participant(
                &state.db,
                Some(address.as_str()),
                name.as_str(),
            )
            .await?
            .ok_or(AppError::invalid(Field::DisplayName, Problem::Taken))?,
        };
        let purpose = crate::account::tokens::Purpose::MagicLink;
        let token = crate::account::tokens::issue(&state.db, user_id, purpose).await?;
        let next = crate::account::api::encode_query(&c.card.path());
        let link = format!(
            "{}&next={next}",
            crate::account::api::link(state, "/login/link", &token)
        );
        let mail = crate::mail::templates::sign_in_link(
            crate::i18n::use_lang(),
            address.as_str(),
            &c.card.title,
            &link,
            purpose.lifetime_secs() / 60,
        );
        state.mailer.send(mail).await?;
        Ok(FormOutcome { redirect_to: None })
    }

    pub async fn sign_in_with_link(
        state: &AppState,
        token: &str,
        next: &str,
    ) -> Result<FormOutcome, AppError> {
        let user_id = crate::account::tokens::consume(
            &state.db,
            token,
            crate::account::tokens::Purpose::MagicLink,
        )
        .await?
        .ok_or(AppError::InvalidToken)?;
        // Using the link proves the address.
        crate::account::repo::mark_verified(&state.db, user_id).await?;
        crate::account::api::sign_in(state, user_id, next).await
    }

    pub async fn redeem(
        state: &AppState,
        c: &ConsultationRecord,
        code: &str,
        display_name: &str,
    ) -> Result<FormOutcome, AppError> {
        let code = super::super::normalise_code(code);
        if code.is_empty() {
            return Err(AppError::invalid(Field::Code, Problem::Empty));
        }
        hit(state, Limit::AccessCodePerClient, Subject::Client).await?;
        let unknown = || AppError::invalid(Field::Code, Problem::UnknownAccessCode);
        if !super::super::is_code_shaped(&code) {
            return Err(unknown());
        }
        let hash = crate::secret::token_hash(&code);
        let reload = FormOutcome {
            redirect_to: Some(format!("{}#comment-form", c.card.path())),
        };
        if let Some(user) = crate::account::api::current_user().await? {
            if super::super::repo::holds_code(&state.db, c.id, user.id).await? {
                return Ok(reload);
            }
            if !super::super::repo::redeem(&state.db, c.id, &hash, user.id).await? {
                return Err(unknown());
            }
            tracing::info!(
                consultation_id = c.id,
                user_id = user.id,
                "access code redeemed"
            );
            return Ok(reload);
        }
        // A new participant: name first, then the code is taken atomically.
        let name = DisplayName::parse(display_name)?;
        if !super::super::repo::code_is_free(&state.db, c.id, &hash).await? {
            return Err(unknown());
        }
        let user_id = super::super::repo::create_participant(&state.db, None, name.as_str())
            .await?
            .ok_or(AppError::invalid(Field::DisplayName, Problem::Taken))?;
        if !super::super::repo::redeem(&state.db, c.id, &hash, user_id).await? {
            super::super::repo::forget_participant(&state.db, user_id).await?;
            return Err(unknown());
        }
        session::start(state, user_id).await?;
        tracing::info!(consultation_id = c.id, user_id, "access code redeemed");
        Ok(reload)
    }

    /// A consultation of `org` (drafts too) after checking that the signed-in person is one of its
    /// initiators; 404 for consultations that do not exist, before any role is revealed.
    pub async fn for_initiator(
        state: &AppState,
        org: &str,
        slug: &str,
    ) -> Result<(ConsultationRecord, CurrentUser), AppError> {
        let o = crate::organisation::api::organisation(state, org).await?;
        let user = crate::account::api::require_role(o.id, crate::account::Role::Initiator).await?;
        let c = crate::consultation::repo::find_for_staff(&state.db, org, slug)
            .await?
            .filter(|c| c.organisation_id == o.id)
            .ok_or(AppError::NotFound)?;
        Ok((c, user))
    }

    pub fn parse_count(raw: &str) -> Result<usize, AppError> {
        let max = super::super::MAX_CODES_PER_BATCH;
        match raw.trim().parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(AppError::invalid(
                Field::Count,
                Problem::OutOfRange { min: 1, max },
            )),
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::{for_initiator, may_participate, require_participant};

/// Sends a sign-in link (no password) for a consultation with the e-mail rule. New addresses get a
/// participant account under the display name given; known ones get the same answer.
#[server(prefix = "/api", endpoint = "request_sign_in_link")]
pub async fn request_sign_in_link(
    org: String,
    slug: String,
    email: String,
    display_name: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let c = crate::error::with_status(
        server::consultation_with_rule(&state, &org, &slug, Rule::Email).await,
    )?;
    let outcome = server::request_link(&state, &c, &email, &display_name).await;
    let back = format!("{}#participate", c.card.path());
    crate::account::api::answer_in(
        &state,
        &gate_scope(c.id),
        outcome,
        &[("email", &email), ("display_name", &display_name)],
        None,
        &back,
    )
    .await
}

/// Uses a sign-in link (from the page it opens, by button: mail scanners do not use it up).
#[server(prefix = "/api", endpoint = "sign_in_with_link")]
pub async fn sign_in_with_link(token: String, next: String) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let next = crate::account::safe_next(&next);
    let outcome = server::sign_in_with_link(&state, &token, &next).await;
    let failure = format!(
        "/login/link?token={}&next={}",
        crate::account::api::encode_query(&token),
        crate::account::api::encode_query(&next)
    );
    crate::account::api::answer_in(
        &state,
        crate::account::api::AccountForm::SignInLink.scope(),
        outcome,
        &[],
        None,
        &failure,
    )
    .await
}

/// Redeems a one-time access code for a consultation with the code rule: binds it to the
/// signed-in account, or makes a new participant under the display name given.
#[server(prefix = "/api", endpoint = "redeem_access_code")]
pub async fn redeem_access_code(
    org: String,
    slug: String,
    code: String,
    display_name: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let c = crate::error::with_status(
        server::consultation_with_rule(&state, &org, &slug, Rule::Code).await,
    )?;
    let outcome = server::redeem(&state, &c, &code, &display_name).await;
    let back = format!("{}#participate", c.card.path());
    crate::account::api::answer_in(
        &state,
        &gate_scope(c.id),
        outcome,
        &[("code", &code), ("display_name", &display_name)],
        None,
        &back,
    )
    .await
}

/// What the access-code screen shows a consultation's initiators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessCodeOverview {
    pub org_name: String,
    pub title: String,
    pub url: String,
    pub rule: Rule,
    pub total: i64,
    pub redeemed: i64,
    /// Codes made by the no-JavaScript post just before (shown once), or its error.
    pub fresh: Vec<String>,
    pub error: Option<AppError>,
    pub count_value: String,
}

#[server(prefix = "/api", endpoint = "access_code_overview")]
pub async fn get_access_code_overview(
    org: String,
    slug: String,
) -> Result<AccessCodeOverview, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, _) = server::for_initiator(&state, &org, &slug).await?;
            let (total, redeemed) = super::repo::code_counts(&state.db, c.id).await?;
            let kept: Option<crate::account::api::FormDraft> =
                crate::flash::take(&state, &codes_scope(&org, &slug)).await?;
            let (fresh, error, count_value) = match kept {
                Some(d) if d.done => (d.values.into_values().collect(), None, String::new()),
                Some(d) => (Vec::new(), d.error.clone(), d.value("count")),
                None => (Vec::new(), None, String::new()),
            };
            Ok(AccessCodeOverview {
                org_name: c.card.org_name.clone(),
                url: format!("{}{}", state.settings.base_url, c.card.path()),
                title: c.card.title,
                rule: c.participation,
                total,
                redeemed,
                fresh,
                error,
                count_value,
            })
        }
        .await,
    )
}

/// Makes a batch of access codes (initiators of the consultation's organisation). The codes are
/// answered once, to be printed; only their hashes are kept.
#[server(prefix = "/api", endpoint = "create_access_codes")]
pub async fn create_access_codes(
    org: String,
    slug: String,
    count: String,
) -> Result<Vec<String>, AppError> {
    let state = crate::state::app_state()?;
    // Checked inside the outcome, so that a refused plain form post also goes back to the form.
    let outcome = async {
        let (c, user) = server::for_initiator(&state, &org, &slug).await?;
        let n = server::parse_count(&count)?;
        let codes: Vec<String> = (0..n).map(|_| super::new_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|code| crate::secret::token_hash(&super::normalise_code(code)))
            .collect();
        super::repo::insert_codes(&state.db, c.id, &hashes).await?;
        let reason = n.to_string();
        let entry = crate::audit::Entry::new(
            crate::audit::Action::AccessCodesCreated,
            crate::audit::Object::consultation(c.id, &c.card.title),
        )
        .by(user.id, &user.display_name)
        .organisation(c.organisation_id)
        .consultation(c.id)
        .reason(&reason);
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(
            consultation_id = c.id,
            by = user.id,
            count = n,
            "access codes made"
        );
        Ok(codes)
    }
    .await;
    if !crate::flash::is_plain_form_post() {
        return crate::error::with_status(outcome);
    }
    let draft = match &outcome {
        Ok(codes) => crate::account::api::FormDraft {
            values: codes
                .iter()
                .enumerate()
                .map(|(i, code)| (format!("{i:04}"), code.clone()))
                .collect(),
            error: None,
            done: true,
        },
        Err(AppError::Internal) => return crate::error::with_status(outcome),
        Err(err) => crate::account::api::FormDraft {
            values: [("count".to_string(), count.clone())].into(),
            error: Some(err.clone()),
            done: false,
        },
    };
    crate::flash::put(&state, &codes_scope(&org, &slug), &draft).await?;
    leptos_axum::redirect(&format!(
        "/manage/{}/{}/codes",
        crate::account::api::encode_query(&org),
        crate::account::api::encode_query(&slug)
    ));
    Ok(Vec::new())
}

/// Sets who may take part (initiators; only before participation opens).
#[server(prefix = "/api", endpoint = "set_participation_rule")]
pub async fn set_participation_rule(
    org: String,
    slug: String,
    rule: String,
) -> Result<FormOutcome, AppError> {
    use crate::error::{ConflictReason, Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = server::for_initiator(&state, &org, &slug).await?;
        let rule = Rule::parse(&rule).ok_or(AppError::invalid(
            Field::Participation,
            Problem::UnknownRule,
        ))?;
        if c.card.status != crate::consultation::Status::Draft {
            return Err(AppError::Conflict {
                reason: ConflictReason::RulesFixed,
            });
        }
        super::repo::set_rule(&state.db, c.id, rule).await?;
        let reason = format!("participation: {}", rule.as_str());
        let entry = crate::audit::Entry::new(
            crate::audit::Action::ConsultationSaved,
            crate::audit::Object::consultation(c.id, &c.card.title),
        )
        .by(user.id, &user.display_name)
        .organisation(c.organisation_id)
        .consultation(c.id)
        .reason(&reason);
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(
            consultation_id = c.id,
            by = user.id,
            rule = rule.as_str(),
            "participation rule set"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    let values = [("form", "rule"), ("slug", slug.as_str())];
    crate::manage::api::answer_staff_page(&state, &org, outcome, &values, "").await
}
