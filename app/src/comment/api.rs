//! Server functions for comments: write and reply, edit (within 15 minutes), delete one's own,
//! vote, and a comment's own page.
//!
//! Every form works with JavaScript (through `fetch`, the page updates in place) and without it
//! (a plain form post answered with a redirect back to the page it came from, carrying the
//! outcome — or the user's text and the error — in a single-use flash).
// Server functions take a form's fields as arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::{Comment, PostOutcome, ThreadPage, Votes};
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::super::{flash_scope, FormFlash};
    use crate::consultation::repo::ConsultationRecord;
    use crate::error::{AppError, ConflictReason};
    use crate::state::AppState;

    /// A public consultation, or 404.
    pub async fn consultation(
        state: &AppState,
        org: &str,
        slug: &str,
    ) -> Result<ConsultationRecord, AppError> {
        crate::consultation::repo::find_public(&state.db, org, slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Writing (commenting, editing, voting) happens only while the consultation is open and
    /// inside its window — checked here, on the server, whatever the form showed.
    pub fn ensure_accepting(c: &ConsultationRecord) -> Result<(), AppError> {
        if crate::consultation::is_accepting(
            c.card.status,
            c.card.opens_at,
            c.card.closes_at,
            crate::db::now(),
        ) {
            Ok(())
        } else {
            Err(AppError::Conflict {
                reason: ConflictReason::ConsultationNotOpen,
            })
        }
    }

    /// What an author is told when their change to a comment did not happen.
    pub fn refused(refusal: super::super::repo::Refusal) -> AppError {
        use super::super::repo::Refusal;
        match refusal {
            Refusal::NotFound => AppError::NotFound,
            Refusal::Deleted => AppError::Conflict {
                reason: ConflictReason::CommentDeleted,
            },
            Refusal::TooLate => AppError::Conflict {
                reason: ConflictReason::EditWindowOver,
            },
        }
    }

    pub fn parse_id(raw: &str) -> Result<i64, AppError> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(AppError::NotFound)
    }

    /// The answer to a form: as is for JavaScript; for a plain form post, the flash for the next
    /// page view (`on_ok` for a success, `on_err` for a refusal) and a redirect to `target`.
    pub async fn answer<T: Default>(
        state: &AppState,
        c: &ConsultationRecord,
        outcome: Result<T, AppError>,
        on_ok: impl FnOnce(&T) -> Option<FormFlash>,
        on_err: impl FnOnce(AppError) -> FormFlash,
        target: String,
    ) -> Result<T, AppError> {
        if !crate::flash::is_plain_form_post() {
            return crate::error::with_status(outcome);
        }
        let stored = match &outcome {
            Ok(value) => on_ok(value),
            Err(AppError::Internal) => return crate::error::with_status(outcome),
            Err(_) => None,
        };
        let stored = match outcome {
            Err(error) => Some(on_err(error)),
            Ok(_) => stored,
        };
        if let Some(stored) = stored {
            crate::flash::put(state, &flash_scope(c.id), &stored).await?;
        }
        leptos_axum::redirect(&target);
        Ok(T::default())
    }
}

/// Posts a comment (or a reply) to an open consultation.
#[server(prefix = "/api", endpoint = "post_comment")]
pub async fn post_comment(
    org: String,
    slug: String,
    parent_id: String,
    body: String,
    #[server(default)] section: String,
    #[server(default)] pin_lat: String,
    #[server(default)] pin_lon: String,
    #[server(default)] return_to: String,
) -> Result<PostOutcome, AppError> {
    use super::{AuthorName, CommentBody, CommentDraft, FormFlash};
    use crate::consultation::Moderation;
    use crate::error::{Field, Problem};

    let state = crate::state::app_state()?;
    // The consultation must be public and open, and the writer meet its participation rule.
    let consultation = crate::error::with_status(server::consultation(&state, &org, &slug).await)?;
    let page = consultation.card.path();

    let outcome = async {
        server::ensure_accepting(&consultation)?;
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
        if published && parent.is_some() {
            // The parent's author may want to know; a failed notification never fails the post.
            if let Err(error) = crate::notify::reply_published(&state, comment.id).await {
                tracing::warn!(comment_id = comment.id, ?error, "reply notification failed");
            }
        }
        Ok(if published {
            PostOutcome::Published(Box::new(comment))
        } else {
            PostOutcome::Pending
        })
    }
    .await;

    let back = super::return_path(&page, &return_to);
    let target = match (&outcome, super::parse_parent(&parent_id).ok().flatten()) {
        (Ok(PostOutcome::Published(comment)), _) => format!("{back}#comment-{}", comment.id),
        (Ok(PostOutcome::Pending), _) => format!("{back}#comments-flash"),
        (Err(_), Some(parent)) => format!("{back}#reply-form-{parent}"),
        (Err(_), None) => format!("{back}#comment-form"),
    };
    let draft = |error| {
        FormFlash::Rejected(CommentDraft {
            parent_id: super::parse_parent(&parent_id).ok().flatten(),
            edit_id: None,
            body,
            section,
            pin_lat,
            pin_lon,
            error,
        })
    };
    server::answer(
        &state,
        &consultation,
        outcome,
        |o| Some(FormFlash::Posted(o.clone())),
        draft,
        target,
    )
    .await
}

/// Corrects the text of one's own comment within 15 minutes of writing it (it is then marked
/// "edited"), while the consultation is open.
#[server(prefix = "/api", endpoint = "edit_comment")]
pub async fn edit_comment(
    org: String,
    slug: String,
    comment_id: String,
    body: String,
    #[server(default)] return_to: String,
) -> Result<Comment, AppError> {
    use super::{CommentBody, CommentDraft, Done, FormFlash};

    let state = crate::state::app_state()?;
    let consultation = crate::error::with_status(server::consultation(&state, &org, &slug).await)?;
    let parsed = server::parse_id(&comment_id);
    // For the redirect's anchor; an unparsable id is refused below.
    let id = *parsed.as_ref().unwrap_or(&0);
    let outcome = async {
        let id = parsed?;
        server::ensure_accepting(&consultation)?;
        let author = crate::participation::api::require_participant(&state, &consultation).await?;
        let text = CommentBody::parse(&body)?;
        super::repo::edit(&state.db, consultation.id, id, author.id, &text)
            .await?
            .map_err(server::refused)?;
        tracing::info!(comment_id = id, "comment edited");
        // Pending comments are edited too, but only published ones are shown back.
        Ok(
            super::repo::one(&state.db, consultation.id, id, Some(author.id))
                .await?
                .unwrap_or_default(),
        )
    }
    .await;
    let back = super::return_path(&consultation.card.path(), &return_to);
    let target = match &outcome {
        Ok(_) => format!("{back}#comment-{id}"),
        Err(_) => format!("{back}#edit-form-{id}"),
    };
    server::answer(
        &state,
        &consultation,
        outcome,
        |_| Some(FormFlash::Done(Done::Edited(id))),
        |error| {
            FormFlash::Rejected(CommentDraft {
                parent_id: None,
                edit_id: Some(id),
                body,
                section: String::new(),
                pin_lat: String::new(),
                pin_lon: String::new(),
                error,
            })
        },
        target,
    )
    .await
}

/// Deletes one's own comment, at any time: its text, name and pin go; a placeholder keeps the
/// replies in their thread.
#[server(prefix = "/api", endpoint = "delete_comment")]
pub async fn delete_comment(
    org: String,
    slug: String,
    comment_id: String,
    #[server(default)] return_to: String,
) -> Result<i64, AppError> {
    use super::{Done, FormFlash};

    let state = crate::state::app_state()?;
    let consultation = crate::error::with_status(server::consultation(&state, &org, &slug).await)?;
    let parsed = server::parse_id(&comment_id);
    // For the redirect's anchor; an unparsable id is refused below.
    let id = *parsed.as_ref().unwrap_or(&0);
    let outcome = async {
        let id = parsed?;
        let user = crate::account::api::current_user()
            .await?
            .ok_or(AppError::Unauthenticated)?;
        super::repo::delete(&state.db, consultation.id, id, user.id)
            .await?
            .map_err(server::refused)?;
        tracing::info!(comment_id = id, "comment deleted by its author");
        Ok(id)
    }
    .await;
    let back = super::return_path(&consultation.card.path(), &return_to);
    server::answer(
        &state,
        &consultation,
        outcome,
        |_| Some(FormFlash::Done(Done::Deleted(id))),
        FormFlash::Refused,
        format!("{back}#comments-flash"),
    )
    .await
}

/// Supports (`vote=up`), objects to (`vote=down`, where the consultation allows it) or withdraws
/// one's vote on (`vote=none`) a comment. One vote per person and comment, whatever arrives at
/// once (see `repo::vote`).
#[server(prefix = "/api", endpoint = "vote_comment")]
pub async fn vote_comment(
    org: String,
    slug: String,
    comment_id: String,
    vote: String,
    #[server(default)] return_to: String,
) -> Result<Votes, AppError> {
    use super::repo::VoteResult;
    use super::{FormFlash, VoteChoice};
    use crate::error::ConflictReason;

    let state = crate::state::app_state()?;
    let consultation = crate::error::with_status(server::consultation(&state, &org, &slug).await)?;
    let parsed = server::parse_id(&comment_id);
    // For the redirect's anchor; an unparsable id is refused below.
    let id = *parsed.as_ref().unwrap_or(&0);
    let outcome = async {
        let id = parsed?;
        let choice = VoteChoice::parse(&vote).ok_or(AppError::Transport)?;
        server::ensure_accepting(&consultation)?;
        let voter = crate::participation::api::require_participant(&state, &consultation).await?;
        if choice == VoteChoice::Down && !consultation.downvotes {
            return Err(AppError::Conflict {
                reason: ConflictReason::DownvotesOff,
            });
        }
        use crate::ratelimit::{hit, Limit, Subject};
        let account = format!("user:{}", voter.id);
        hit(&state, Limit::VotePerAccount, Subject::Named(&account)).await?;
        match super::repo::vote(&state.db, consultation.id, id, voter.id, choice.value()).await? {
            VoteResult::Counted(votes) => Ok(votes),
            VoteResult::NotFound => Err(AppError::NotFound),
            VoteResult::OwnComment => Err(AppError::Conflict {
                reason: ConflictReason::OwnComment,
            }),
        }
    }
    .await;
    let back = super::return_path(&consultation.card.path(), &return_to);
    server::answer(
        &state,
        &consultation,
        outcome,
        |_| None,
        FormFlash::Refused,
        format!("{back}#comment-{id}"),
    )
    .await
}

/// A comment's own page (its permalink): the comment with every reply under it, and where it
/// belongs. Also where "continue thread" leads.
#[server(prefix = "/api", endpoint = "comment_thread")]
pub async fn get_comment_thread(
    org: String,
    slug: String,
    id: String,
) -> Result<ThreadPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let c = server::consultation(&state, &org, &slug).await?;
            let id = server::parse_id(&id)?;
            let viewer = crate::account::api::current_user().await?;
            let comments =
                super::repo::thread_of(&state.db, c.id, id, viewer.as_ref().map(|v| v.id)).await?;
            let Some(focus) = comments.iter().find(|k| k.id == id) else {
                return Err(AppError::NotFound);
            };
            let parent = focus.parent_id;
            let context = context(&state, &c, viewer).await?;
            Ok(ThreadPage {
                focus: id,
                parent,
                comments,
                context,
            })
        }
        .await,
    )
}

/// What every page with comments needs to know about the consultation and the reader.
#[cfg(feature = "ssr")]
pub async fn context(
    state: &crate::state::AppState,
    c: &crate::consultation::repo::ConsultationRecord,
    viewer: Option<crate::account::CurrentUser>,
) -> Result<super::CommentContext, AppError> {
    let flash = crate::flash::take(state, &super::flash_scope(c.id)).await?;
    let accepting = crate::consultation::is_accepting(
        c.card.status,
        c.card.opens_at,
        c.card.closes_at,
        crate::db::now(),
    );
    let may_participate =
        crate::participation::api::may_participate(state, c, viewer.as_ref()).await?;
    Ok(super::CommentContext {
        card: c.card.clone(),
        accepting,
        writing: accepting && may_participate,
        downvotes: c.downvotes,
        viewer_name: viewer.map(|v| v.display_name),
        flash,
        sections: c.sections.clone(),
    })
}
