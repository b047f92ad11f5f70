//! Server functions for writing comments.

use leptos::prelude::*;

use super::PostOutcome;
use crate::error::AppError;

/// Posts a comment (or a reply) to an open consultation.
///
/// Called by the comment form: with JavaScript through `fetch` (the page updates in place), and
/// without it as a plain form post, which is answered with a redirect back to the consultation
/// page carrying the outcome — or the user's text and the error — in a single-use flash.
#[server(prefix = "/api", endpoint = "post_comment")]
pub async fn post_comment(
    org: String,
    slug: String,
    parent_id: String,
    body: String,
    #[server(default)] section: String,
    #[server(default)] pin_lat: String,
    #[server(default)] pin_lon: String,
) -> Result<PostOutcome, AppError> {
    use super::{AuthorName, CommentBody, CommentDraft, FormFlash};
    use crate::consultation::{is_accepting, Moderation};
    use crate::error::{ConflictReason, Field, Problem};
    use crate::flash;

    let state = crate::state::app_state()?;
    // The consultation must be public and open, and the writer meet its participation rule.
    let consultation = crate::consultation::repo::find_public(&state.db, &org, &slug)
        .await?
        .ok_or(AppError::NotFound);
    let consultation = crate::error::with_status(consultation)?;
    let page = consultation.card.path();

    let outcome = async {
        if !is_accepting(
            consultation.card.status,
            consultation.card.opens_at,
            consultation.card.closes_at,
            crate::db::now(),
        ) {
            return Err(AppError::Conflict {
                reason: ConflictReason::ConsultationNotOpen,
            });
        }
        let author = crate::participation::api::require_participant(&state, &consultation).await?;
        let parent = super::parse_parent(&parent_id)?;
        let text = CommentBody::parse(&body)?;
        // A pin must lie inside the consultation's area.
        let pin = crate::geo::parse_pin(&pin_lat, &pin_lon)
            .map_err(|problem| AppError::invalid(Field::Pin, problem))?;
        if let Some(pin) = pin {
            let place = crate::consultation::repo::place(&state.db, consultation.id).await?;
            match place.area {
                None => return Err(AppError::invalid(Field::Pin, Problem::PinNoArea)),
                Some(area) if !area.contains(pin) => {
                    return Err(AppError::invalid(Field::Pin, Problem::PinOutside))
                }
                Some(_) => {}
            }
        }
        use crate::ratelimit::{hit, Limit, Subject};
        hit(&state, Limit::CommentPerClient, Subject::Client).await?;
        let account = format!("user:{}", author.id);
        hit(&state, Limit::CommentPerAccount, Subject::Named(&account)).await?;
        if let Some(parent) = parent {
            if !super::repo::is_visible_parent(&state.db, consultation.id, parent).await? {
                return Err(AppError::invalid(Field::Parent, Problem::UnknownParent));
            }
        }
        // A comment on a section names one of the text's current sections; a reply belongs to
        // its thread, not to a section.
        let section = match section.trim() {
            "" => None,
            _ if parent.is_some() => None,
            id => Some(
                consultation
                    .sections
                    .iter()
                    .find(|(anchor, _)| anchor == id)
                    .ok_or(AppError::invalid(Field::Section, Problem::UnknownParent))?,
            ),
        };
        let published = consultation.moderation == Moderation::Post;
        // One writes under one's display name.
        let name = AuthorName::parse(&author.display_name)?;
        let comment = super::repo::insert(
            &state.db,
            &super::repo::NewComment {
                consultation_id: consultation.id,
                parent_id: parent,
                author_name: &name,
                author_user_id: Some(author.id),
                body: &text,
                published,
                section: section.map(|(a, t)| (a.as_str(), t.as_str())),
                pin,
            },
        )
        .await?;
        tracing::info!(
            comment_id = comment.id,
            consultation_id = consultation.id,
            published,
            "comment posted"
        );
        Ok(if published {
            PostOutcome::Published(comment)
        } else {
            PostOutcome::Pending
        })
    }
    .await;

    if !flash::is_plain_form_post() {
        return crate::error::with_status(outcome);
    }
    // Without JavaScript: Post/Redirect/Get, with the outcome or the draft kept for the next view.
    let (stored, anchor) = match outcome {
        Ok(outcome) => {
            let anchor = match &outcome {
                PostOutcome::Published(comment) => format!("#comment-{}", comment.id),
                PostOutcome::Pending => "#comment-form".to_string(),
            };
            (FormFlash::Posted(outcome), anchor)
        }
        Err(AppError::Internal) => return crate::error::with_status(Err(AppError::Internal)),
        Err(error) => {
            let parent = super::parse_parent(&parent_id).ok().flatten();
            let anchor = match parent {
                Some(id) => format!("#reply-form-{id}"),
                None => "#comment-form".to_string(),
            };
            let draft = CommentDraft {
                parent_id: parent,
                body,
                section,
                pin_lat,
                pin_lon,
                error,
            };
            (FormFlash::Rejected(draft), anchor)
        }
    };
    flash::put(&state, &super::flash_scope(consultation.id), &stored).await?;
    leptos_axum::redirect(&format!("{page}{anchor}"));
    Ok(PostOutcome::Pending)
}
