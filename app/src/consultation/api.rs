//! Server functions about consultations (public reading).

use leptos::prelude::*;

use super::{ConsultationCard, ConsultationPage};
use crate::error::AppError;

/// Open consultations, or with a search term, all published consultations that match it.
#[server(prefix = "/api", endpoint = "list_consultations")]
pub async fn list_consultations(q: Option<String>) -> Result<Vec<ConsultationCard>, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let term = q.as_deref().map(str::trim).unwrap_or_default();
            if term.is_empty() {
                Ok(super::repo::list_open(&state.db).await?)
            } else {
                // Bounded so a pasted essay cannot become an expensive pattern.
                let term: String = term.chars().take(100).collect();
                Ok(super::repo::search(&state.db, &term).await?)
            }
        }
        .await,
    )
}

/// The public consultation page with its published comments. Reading it also consumes what a
/// no-JavaScript form post left behind for this visitor (their text and the error to show).
#[server(prefix = "/api", endpoint = "get_consultation")]
pub async fn get_consultation(org: String, slug: String) -> Result<ConsultationPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, staff_preview) = match super::repo::find_public(&state.db, &org, &slug).await? {
                Some(c) => (c, false),
                None => {
                    // Drafts and scheduled consultations: their organisation's staff only; for
                    // everyone else a plain 404, with no hint that anything is there.
                    let c = super::repo::find_for_staff(&state.db, &org, &slug)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    crate::account::api::require_staff(c.organisation_id)
                        .await
                        .map_err(|_| AppError::NotFound)?;
                    (c, true)
                }
            };
            let comments = crate::comment::repo::list_published(&state.db, c.id).await?;
            let flash = crate::flash::take(&state, &crate::comment::flash_scope(c.id)).await?;
            let accepting = super::is_accepting(
                c.card.status,
                c.card.opens_at,
                c.card.closes_at,
                crate::db::now(),
            );
            let viewer = crate::account::api::current_user().await?;
            let standing = crate::participation::Standing {
                rule: c.participation,
                may_participate: crate::participation::api::may_participate(
                    &state,
                    &c,
                    viewer.as_ref(),
                )
                .await?,
                signed_in: viewer.is_some(),
            };
            let gate_flash =
                crate::flash::take(&state, &crate::participation::api::gate_scope(c.id)).await?;
            Ok(ConsultationPage {
                card: c.card,
                body_html: c.body_html,
                moderation: c.moderation,
                accepting,
                comments,
                flash,
                viewer_name: viewer.map(|u| u.display_name),
                standing,
                gate_flash,
                staff_preview,
            })
        }
        .await,
    )
}

/// Moves a consultation along its lifecycle (initiators of its organisation): publish a draft,
/// take a scheduled one back, close participation now, publish the results.
#[server(prefix = "/api", endpoint = "change_phase")]
pub async fn change_phase(
    org: String,
    slug: String,
    action: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    use super::{PhaseAction, Status};
    use crate::error::{ConflictReason, Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = crate::participation::api::for_initiator(&state, &org, &slug).await?;
        let action = PhaseAction::parse(&action)
            .ok_or(AppError::invalid(Field::Phase, Problem::UnknownRule))?;
        let now = crate::db::now();
        if c.card.status != action.from() {
            return Err(AppError::Conflict {
                reason: ConflictReason::WrongPhase,
            });
        }
        let (status, closes_at) = match action {
            PhaseAction::Publish => {
                if c.card.closes_at.is_some_and(|t| t <= now) {
                    // A window that is already over would publish it as closed.
                    return Err(AppError::Conflict {
                        reason: ConflictReason::WindowOver,
                    });
                }
                (Status::Open, None)
            }
            PhaseAction::Unpublish => (Status::Draft, None),
            PhaseAction::Close => (Status::Closed, Some(now)),
            PhaseAction::PublishResults => (Status::ResultsPublished, None),
        };
        super::repo::set_phase(&state.db, c.id, status, closes_at).await?;
        tracing::info!(
            consultation_id = c.id,
            by = user.id,
            action = action.as_str(),
            "consultation phase changed"
        );
        Ok(crate::account::api::FormOutcome { redirect_to: None })
    }
    .await;
    let values = [("form", "phase"), ("slug", slug.as_str())];
    crate::manage::api::answer_staff_page(&state, &org, outcome, &values, "").await
}
