//! Server functions for official answers: the staff page's data, answering contributions,
//! changing and removing an answer, the public list of a consultation's answers, the answers
//! CSV and the account setting for answer mails.
//!
//! Staff functions are for the consultation organisation's initiators and organisation admins
//! (and instance admins), with a second factor. Every id that arrives (contribution, answer) is
//! checked to belong to that consultation of that organisation; a forged one refuses the whole
//! request. Forms work without JavaScript (post, redirect, single-use flash with the input kept).
// Server functions take a form's fields as arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{PublicAnswers, StaffAnswersPage};
use crate::error::AppError;

/// What answering did (the default: what a no-JavaScript post returns after its redirect).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerOutcome {
    pub answer_id: i64,
    pub count: usize,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::super::{AnswerStatus, Done, StaffFlash};
    use crate::account::{CurrentUser, Role};
    use crate::consultation::repo::ConsultationRecord;
    use crate::error::{AppError, ConflictReason, Field, Problem};
    use crate::state::AppState;

    /// An answer as typed, parsed.
    pub struct NewAnswerInput {
        pub status: AnswerStatus,
        pub reason: String,
        pub reason_html: String,
    }

    impl NewAnswerInput {
        pub fn as_new(&self) -> super::super::repo::NewAnswer<'_> {
            super::super::repo::NewAnswer {
                status: self.status,
                reason: &self.reason,
                reason_html: &self.reason_html,
            }
        }
    }

    pub fn flash_scope(consultation_id: i64) -> String {
        format!("answers:{consultation_id}")
    }

    /// The signed-in initiator or organisation admin of the organisation (or an instance admin),
    /// with a second factor.
    pub async fn require_answerer(organisation_id: i64) -> Result<CurrentUser, AppError> {
        match crate::account::api::require_role(organisation_id, Role::Initiator).await {
            Err(AppError::Forbidden) => {
                crate::account::api::require_role(organisation_id, Role::OrgAdmin).await
            }
            other => other,
        }
    }

    /// The consultation `org/slug` (drafts too) for one who may answer its contributions; 404
    /// for consultations that do not exist, before any role is revealed.
    pub async fn for_answerer(
        state: &AppState,
        org: &str,
        slug: &str,
    ) -> Result<(ConsultationRecord, CurrentUser), AppError> {
        let o = crate::organisation::api::organisation(state, org).await?;
        let user = require_answerer(o.id).await?;
        let c = crate::consultation::repo::find_for_staff(&state.db, org, slug)
            .await?
            .filter(|c| c.organisation_id == o.id)
            .ok_or(AppError::NotFound)?;
        Ok((c, user))
    }

    /// The consultation an answer belongs to, for one who may answer there.
    pub async fn for_answer(
        state: &AppState,
        answer_id: i64,
    ) -> Result<(ConsultationRecord, CurrentUser), AppError> {
        let cid = super::super::repo::consultation_of(&state.db, answer_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (org, slug) = super::super::repo::slugs_of(&state.db, cid)
            .await?
            .ok_or(AppError::NotFound)?;
        let (c, user) = for_answerer(state, &org, &slug).await?;
        if c.id != cid {
            return Err(AppError::NotFound);
        }
        Ok((c, user))
    }

    pub fn parse_id(raw: &str) -> Result<i64, AppError> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(AppError::NotFound)
    }

    /// The answer as typed, parsed: a known status and a reason of 1 to 10,000 characters.
    pub fn parse_answer(status: &str, reason: &str) -> Result<NewAnswerInput, AppError> {
        let status = AnswerStatus::parse(status)
            .ok_or(AppError::invalid(Field::AnswerStatus, Problem::Empty))?;
        let reason = reason.trim().replace("\r\n", "\n");
        if reason.is_empty() {
            return Err(AppError::invalid(Field::AnswerReason, Problem::Empty));
        }
        let n = reason.chars().count();
        if n > super::super::MAX_REASON_CHARS {
            return Err(AppError::invalid(
                Field::AnswerReason,
                Problem::TooLong {
                    max: super::super::MAX_REASON_CHARS,
                    actual: n,
                },
            ));
        }
        if reason
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(AppError::invalid(
                Field::AnswerReason,
                Problem::ControlCharacters,
            ));
        }
        let reason_html = crate::markdown::render_comment(&reason);
        Ok(NewAnswerInput {
            status,
            reason,
            reason_html,
        })
    }

    /// The selected contribution ids: at least one, at most `MAX_SELECTED`, each once.
    pub fn parse_ids(raw: &[String]) -> Result<Vec<i64>, AppError> {
        let mut ids = Vec::new();
        for r in raw {
            let id = parse_id(r)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            return Err(AppError::invalid(Field::Contributions, Problem::Empty));
        }
        let max = super::super::MAX_SELECTED;
        if ids.len() > max {
            return Err(AppError::invalid(
                Field::Contributions,
                Problem::TooManyChoices { max },
            ));
        }
        Ok(ids)
    }

    pub fn refused(r: super::super::repo::Refusal) -> AppError {
        use super::super::repo::Refusal;
        match r {
            Refusal::NotFound => AppError::NotFound,
            Refusal::NotAnswerable => AppError::Conflict {
                reason: ConflictReason::NotAnswerable,
            },
            Refusal::AlreadyAnswered => AppError::Conflict {
                reason: ConflictReason::AlreadyAnswered,
            },
        }
    }

    /// Mails the authors of the answer's contributions; never fails the action that called it.
    pub async fn notify(state: &AppState, answer_id: i64) {
        if let Err(error) = super::super::notify::answer_published(state, answer_id).await {
            tracing::warn!(answer_id, %error, "answer notification failed");
        }
    }

    /// The answer to a staff form: as is for JavaScript; for a plain form post, the flash for
    /// the staff page and a redirect to it.
    pub async fn answer<T: Default>(
        state: &AppState,
        c: Option<&ConsultationRecord>,
        outcome: Result<T, AppError>,
        flash: impl FnOnce(&Result<T, AppError>) -> StaffFlash,
        target: String,
    ) -> Result<T, AppError> {
        if !crate::flash::is_plain_form_post() {
            return crate::error::with_status(outcome);
        }
        let Some(c) = c else {
            // No consultation to go back to (an unknown answer): the error as such.
            return crate::error::with_status(outcome);
        };
        if matches!(
            outcome,
            Err(AppError::Internal | AppError::Forbidden | AppError::Unauthenticated)
        ) {
            return crate::error::with_status(outcome);
        }
        let stored = flash(&outcome);
        crate::flash::put(state, &flash_scope(c.id), &stored).await?;
        leptos_axum::redirect(&target);
        Ok(T::default())
    }

    pub fn staff_path(c: &ConsultationRecord) -> String {
        format!(
            "/manage/{}/{}/answers",
            crate::account::api::encode_query(&c.card.org_slug),
            crate::account::api::encode_query(&c.card.slug)
        )
    }

    pub fn done_flash(done: Done) -> StaffFlash {
        StaffFlash {
            done: Some(done),
            ..Default::default()
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::require_answerer;

/// The staff page: a filtered page of the consultation's published contributions, the answers
/// given, and what a no-JavaScript post left behind.
#[server(prefix = "/api", endpoint = "staff_answers")]
pub async fn get_staff_answers(
    org: String,
    slug: String,
    #[server(default)] filter: String,
    #[server(default)] page: String,
) -> Result<StaffAnswersPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, _) = server::for_answerer(&state, &org, &slug).await?;
            let filter = super::Filter::parse(&filter);
            let page = page.trim().parse::<i64>().unwrap_or(1).max(1);
            let (items, total) = super::repo::staff_items(
                &state.db,
                c.id,
                filter,
                (page - 1).saturating_mul(super::PAGE_SIZE),
            )
            .await?;
            let answers = super::repo::answers_of(&state.db, c.id, true).await?;
            let flash = crate::flash::take(&state, &server::flash_scope(c.id)).await?;
            Ok(StaffAnswersPage {
                org_name: c.card.org_name.clone(),
                path: c.card.path(),
                title: c.card.title,
                filter,
                page,
                pages: ((total + super::PAGE_SIZE - 1) / super::PAGE_SIZE).max(1),
                total,
                items,
                answers,
                flash,
            })
        }
        .await,
    )
}

/// Gives one or several published contributions of the consultation ONE official answer:
/// a status and a reason. Contributions that have an answer already are refused (change or
/// remove that answer first); so are pending, hidden and deleted ones, and ids of other
/// consultations — the whole request, nothing is saved. The authors are mailed.
#[server(prefix = "/api", endpoint = "answer_contributions")]
pub async fn answer_contributions(
    org: String,
    slug: String,
    #[server(default)] comment_ids: Vec<String>,
    #[server(default)] status: String,
    #[server(default)] reason: String,
    #[server(default)] filter: String,
    #[server(default)] page: String,
) -> Result<AnswerOutcome, AppError> {
    use super::{Done, StaffFlash};
    let state = crate::state::app_state()?;
    let found = server::for_answerer(&state, &org, &slug).await;
    let c = found.as_ref().ok().map(|(c, _)| c.clone());
    let outcome = async {
        let (c, user) = found?;
        let ids = server::parse_ids(&comment_ids)?;
        let answer = server::parse_answer(&status, &reason)?;
        let actor = super::repo::Actor::of(&c, &user);
        let answer_id = super::repo::publish(&state.db, &actor, &ids, &answer.as_new())
            .await?
            .map_err(server::refused)?;
        tracing::info!(
            answer_id,
            consultation_id = c.id,
            by = user.id,
            count = ids.len(),
            "official answer published"
        );
        server::notify(&state, answer_id).await;
        Ok(AnswerOutcome {
            answer_id,
            count: ids.len(),
        })
    }
    .await;
    let target = c
        .as_ref()
        .map(|c| {
            let mut q = Vec::new();
            if !filter.trim().is_empty() {
                q.push(format!("filter={}", super::Filter::parse(&filter).as_str()));
            }
            if let Ok(p) = page.trim().parse::<i64>() {
                q.push(format!("page={}", p.max(1)));
            }
            let query = if q.is_empty() {
                String::new()
            } else {
                format!("?{}", q.join("&"))
            };
            match &outcome {
                Ok(o) => format!("{}{query}#answer-{}", server::staff_path(c), o.answer_id),
                Err(_) => format!("{}{query}#answer-form", server::staff_path(c)),
            }
        })
        .unwrap_or_default();
    server::answer(
        &state,
        c.as_ref(),
        outcome,
        |o| match o {
            Ok(o) => server::done_flash(Done::Published(o.count)),
            Err(e) => StaffFlash {
                form: "answer".into(),
                error: Some(e.clone()),
                done: None,
                status: status.clone(),
                reason: reason.clone(),
                selected: comment_ids
                    .iter()
                    .filter_map(|r| server::parse_id(r).ok())
                    .collect(),
            },
        },
        target,
    )
    .await
}

/// Changes an answer's status and reason; its authors are mailed again.
#[server(prefix = "/api", endpoint = "change_answer")]
pub async fn change_answer(
    answer_id: String,
    #[server(default)] status: String,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    use super::{Done, StaffFlash};
    let state = crate::state::app_state()?;
    let id = server::parse_id(&answer_id);
    let n = *id.as_ref().unwrap_or(&0);
    let found = match &id {
        Ok(id) => server::for_answer(&state, *id).await,
        Err(e) => Err(e.clone()),
    };
    let c = found.as_ref().ok().map(|(c, _)| c.clone());
    let outcome = async {
        let id = id?;
        let (c, user) = found?;
        let answer = server::parse_answer(&status, &reason)?;
        let actor = super::repo::Actor::of(&c, &user);
        if !super::repo::change(&state.db, &actor, id, &answer.as_new()).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(answer_id = id, by = user.id, "official answer changed");
        server::notify(&state, id).await;
        Ok(id)
    }
    .await;
    let target = c
        .as_ref()
        .map(|c| format!("{}#answer-{n}", server::staff_path(c)))
        .unwrap_or_default();
    server::answer(
        &state,
        c.as_ref(),
        outcome,
        |o| match o {
            Ok(_) => server::done_flash(Done::Changed),
            Err(e) => StaffFlash {
                form: n.to_string(),
                error: Some(e.clone()),
                done: None,
                status: status.clone(),
                reason: reason.clone(),
                selected: Vec::new(),
            },
        },
        target,
    )
    .await
}

/// Removes an answer: its contributions are unanswered again.
#[server(prefix = "/api", endpoint = "remove_answer")]
pub async fn remove_answer(answer_id: String) -> Result<i64, AppError> {
    use super::{Done, StaffFlash};
    let state = crate::state::app_state()?;
    let id = server::parse_id(&answer_id);
    let n = *id.as_ref().unwrap_or(&0);
    let found = match &id {
        Ok(id) => server::for_answer(&state, *id).await,
        Err(e) => Err(e.clone()),
    };
    let c = found.as_ref().ok().map(|(c, _)| c.clone());
    let outcome = async {
        let id = id?;
        let (c, user) = found?;
        let actor = super::repo::Actor::of(&c, &user);
        if !super::repo::remove(&state.db, &actor, id).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(answer_id = id, by = user.id, "official answer removed");
        Ok(id)
    }
    .await;
    let target = c
        .as_ref()
        .map(|c| format!("{}#answers-given", server::staff_path(c)))
        .unwrap_or_default();
    server::answer(
        &state,
        c.as_ref(),
        outcome,
        |o| match o {
            Ok(_) => server::done_flash(Done::Removed),
            Err(e) => StaffFlash {
                form: n.to_string(),
                error: Some(e.clone()),
                ..Default::default()
            },
        },
        target,
    )
    .await
}

/// The public "Abwägung": the consultation's answers grouped by status. Same visibility as the
/// consultation page (drafts: 404).
#[server(prefix = "/api", endpoint = "public_answers")]
pub async fn get_public_answers(org: String, slug: String) -> Result<PublicAnswers, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let c = crate::consultation::repo::find_public(&state.db, &org, &slug)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(public_answers_of(&state.db, &c).await?)
        }
        .await,
    )
}

/// A public consultation's official answers, grouped by outcome (the answers page and the results
/// page).
#[cfg(feature = "ssr")]
pub async fn public_answers_of(
    db: &crate::db::Db,
    c: &crate::consultation::repo::ConsultationRecord,
) -> Result<PublicAnswers, sqlx::Error> {
    let answers = super::repo::answers_of(db, c.id, false).await?;
    let groups = super::AnswerStatus::ALL
        .into_iter()
        .filter_map(|status| {
            let of: Vec<_> = answers
                .iter()
                .filter(|a| a.status == status)
                .cloned()
                .collect();
            let count = of.iter().map(|a| a.comments.len() as i64).sum();
            (!of.is_empty()).then_some((status, count, of))
        })
        .collect();
    Ok(PublicAnswers {
        org_name: c.card.org_name.clone(),
        path: c.card.path(),
        title: c.card.title.clone(),
        groups,
    })
}

/// Sets whether the signed-in person is mailed when their contributions get an official answer
/// (`answers=on`, anything else: off). Kept on the account page's notification section.
#[server(prefix = "/api", endpoint = "set_answer_notifications")]
pub async fn set_answer_notifications(
    #[server(default)] answers: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    use crate::account::api::{answer_in, AccountForm, FormOutcome};
    let state = crate::state::app_state()?;
    let outcome = async {
        let user = crate::account::api::signed_in().await?;
        let on = answers.trim() == "on";
        super::repo::set_notifications(&state.db, user.id, on, crate::i18n::use_lang()).await?;
        tracing::info!(user_id = user.id, on, "answer notifications set");
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    answer_in(
        &state,
        AccountForm::ReplyNotifications.scope(),
        outcome,
        &[("answers", &answers)],
        None,
        crate::notify::SETTINGS_PATH,
    )
    .await
}

/// The answers CSV of a consultation for its staff (`GET /manage/{org}/{slug}/answers.csv`,
/// served by the server crate): the file name and the bytes, or the refusal. Writes an audit
/// entry (exported).
#[cfg(feature = "ssr")]
pub async fn answers_csv(
    state: &crate::state::AppState,
    org: &str,
    slug: &str,
    headers: &http::HeaderMap,
) -> Result<(String, Vec<u8>), AppError> {
    let (c, user) = crate::export::api::exporter(state, org, slug, headers).await?;
    let rows = super::repo::for_export(&state.db, c.id).await?;
    let csv = super::csv::answers(&rows);
    crate::audit::repo::record(
        &state.db,
        &crate::audit::Entry {
            organisation_id: Some(c.organisation_id),
            consultation_id: Some(c.id),
            actor: Some((user.id, &user.display_name)),
            action: crate::audit::Action::Exported,
            object: crate::audit::Object {
                kind: crate::audit::ObjectKind::Consultation,
                id: Some(c.id),
                label: format!("{} ({} answers, CSV)", c.card.title, rows.len()),
            },
            subject_user_id: None,
            reason: "answers.csv",
        },
    )
    .await?;
    tracing::info!(consultation_id = c.id, by = user.id, "answers exported");
    Ok((
        format!("{}-{}-antworten.csv", c.card.org_slug, c.card.slug),
        csv,
    ))
}

/// How many official answers a public consultation has (0 for drafts and unknown ones), for the
/// link on its page.
#[server(prefix = "/api", endpoint = "answer_count")]
pub async fn get_answer_count(org: String, slug: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let Some(c) = crate::consultation::repo::find_public(&state.db, &org, &slug).await?
            else {
                return Ok(0);
            };
            Ok(crate::on_db!(&state.db, |pool| {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM official_answers WHERE consultation_id = $1",
                )
                .bind(c.id)
                .fetch_one(pool)
                .await
            })?)
        }
        .await,
    )
}
