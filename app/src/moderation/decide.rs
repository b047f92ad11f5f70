//! The moderators' decisions on queue items: approve, hide (reason code and note; the author is
//! told why by e-mail), redact (the original kept in `comment_redactions`), block the author from
//! the organisation for a while. Approve and hide take several items at once (bulk). Every id is
//! authorised on its own against the organisation of ITS comment, never a client-sent one; every
//! decision writes its audit entry in the same transaction.

use leptos::prelude::*;

use crate::error::AppError;

/// The block lengths a moderator may choose, in days.
pub const BLOCK_DAYS: [i64; 5] = [1, 7, 30, 90, 365];
/// The most items one bulk decision takes.
pub const MAX_BULK: usize = 100;
pub const MAX_NOTE_CHARS: usize = 2000;

#[cfg(feature = "ssr")]
pub mod repo {
    use crate::audit::{Action, Entry, Object, ObjectKind};
    use crate::db::{now, Db};
    use crate::moderation::Reason;
    use crate::on_db;

    /// A comment with what deciding on it needs.
    #[derive(Clone, Debug, sqlx::FromRow)]
    pub struct Target {
        pub id: i64,
        pub status: String,
        pub body: String,
        pub parent_id: Option<i64>,
        pub author_user_id: Option<i64>,
        pub consultation_id: i64,
        pub consultation_title: String,
        pub consultation_slug: String,
        pub organisation_id: i64,
        pub organisation_slug: String,
        pub email: Option<String>,
        pub lang: Option<String>,
    }

    pub async fn find(db: &Db, id: i64) -> Result<Option<Target>, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query_as::<_, Target>(
                "SELECT c.id, c.status, c.body, c.parent_id, c.author_user_id, \
                 k.id AS consultation_id, k.title AS consultation_title, \
                 k.slug AS consultation_slug, o.id AS organisation_id, \
                 o.slug AS organisation_slug, \
                 CASE WHEN u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL \
                   THEN u.email END AS email, s.lang \
                 FROM comments c JOIN consultations k ON k.id = c.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 LEFT JOIN users u ON u.id = c.author_user_id \
                 LEFT JOIN notification_settings s ON s.user_id = u.id \
                 WHERE c.id = $1 AND c.deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })
    }

    fn entry<'a>(
        t: &Target,
        moderator: (i64, &'a str),
        action: Action,
        reason: &'a str,
    ) -> Entry<'a> {
        Entry {
            organisation_id: Some(t.organisation_id),
            consultation_id: Some(t.consultation_id),
            actor: Some(moderator),
            action,
            object: Object::new(ObjectKind::Comment, Some(t.id), format!("#{}", t.id)),
            subject_user_id: t.author_user_id,
            reason,
        }
    }

    /// Publishes the comment, settles its open reports. Returns whether it was not visible before
    /// (pending or hidden), so that a reply's notification goes out now.
    pub async fn approve(db: &Db, t: &Target, moderator: (i64, &str)) -> Result<bool, sqlx::Error> {
        let ts = now();
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE comments SET status = 'published', reviewed_at = $1, hidden_reason = NULL, \
                 hidden_note = '', hidden_by = NULL, hidden_at = NULL \
                 WHERE id = $2 AND deleted_at IS NULL",
            )
            .bind(ts)
            .bind(t.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            crate::settle_reports!(ts, t.id).execute(&mut *tx).await?;
            crate::audit_insert!(&entry(t, moderator, Action::CommentApproved, ""))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(changed == 1 && t.status != "published")
        })
    }

    /// Hides the comment with a reason code and note, settles its reports.
    pub async fn hide(
        db: &Db,
        t: &Target,
        moderator: (i64, &str),
        reason: Reason,
        note: &str,
    ) -> Result<(), sqlx::Error> {
        let ts = now();
        let audit_reason = if note.is_empty() {
            reason.as_str().to_string()
        } else {
            format!("{}: {note}", reason.as_str())
        };
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE comments SET status = 'hidden', hidden_reason = $1, hidden_note = $2, \
                 hidden_by = $3, hidden_at = $4 WHERE id = $5 AND deleted_at IS NULL",
            )
            .bind(reason.as_str())
            .bind(note)
            .bind(moderator.0)
            .bind(ts)
            .bind(t.id)
            .execute(&mut *tx)
            .await?;
            crate::settle_reports!(ts, t.id).execute(&mut *tx).await?;
            crate::audit_insert!(&entry(t, moderator, Action::CommentHidden, &audit_reason))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Replaces the text (the original goes to `comment_redactions`), publishes it, settles the
    /// reports.
    pub async fn redact(
        db: &Db,
        t: &Target,
        moderator: (i64, &str),
        body: &str,
    ) -> Result<(), sqlx::Error> {
        let ts = now();
        let html = crate::markdown::render_comment(body);
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO comment_redactions (comment_id, original_body, moderator_id, created_at) \
                 SELECT id, body, $1, $2 FROM comments WHERE id = $3",
            )
            .bind(moderator.0)
            .bind(ts)
            .bind(t.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE comments SET body = $1, body_html = $2, redacted_at = $3, \
                 status = 'published', reviewed_at = $3, hidden_reason = NULL, hidden_note = '', \
                 hidden_by = NULL, hidden_at = NULL WHERE id = $4",
            )
            .bind(body)
            .bind(&html)
            .bind(ts)
            .bind(t.id)
            .execute(&mut *tx)
            .await?;
            crate::settle_reports!(ts, t.id).execute(&mut *tx).await?;
            crate::audit_insert!(&entry(
                t,
                moderator,
                Action::CommentRedacted,
                "personal_data"
            ))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Blocks the comment's author from the organisation for `days` (a later block replaces an
    /// earlier one).
    pub async fn block(
        db: &Db,
        t: &Target,
        author: i64,
        moderator: (i64, &str),
        days: i64,
        reason: Reason,
        note: &str,
    ) -> Result<i64, sqlx::Error> {
        let ts = now();
        let until = ts + days * 86_400;
        let audit_reason = if note.is_empty() {
            format!("{} ({days} d)", reason.as_str())
        } else {
            format!("{} ({days} d): {note}", reason.as_str())
        };
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO organisation_blocks \
                 (organisation_id, user_id, blocked_until, reason, note, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (organisation_id, user_id) DO UPDATE SET \
                 blocked_until = excluded.blocked_until, reason = excluded.reason, \
                 note = excluded.note, created_by = excluded.created_by, \
                 created_at = excluded.created_at",
            )
            .bind(t.organisation_id)
            .bind(author)
            .bind(until)
            .bind(reason.as_str())
            .bind(note)
            .bind(moderator.0)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
            crate::audit_insert!(&entry(t, moderator, Action::AuthorBlocked, &audit_reason))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(until)
        })
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::repo::{self, Target};
    use crate::account::CurrentUser;
    use crate::error::{AppError, Field, Problem};
    use crate::moderation::queue::{self, DecisionForm, Filter, Kept, QueueFlash};
    use crate::moderation::Reason;
    use crate::state::AppState;

    pub fn parse_id(raw: &str) -> Result<i64, AppError> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(AppError::NotFound)
    }

    /// The comment, if the caller moderates ITS organisation (unknown and foreign ids alike are
    /// refused, so ids of other organisations reveal nothing).
    pub async fn authorised(
        state: &AppState,
        user: &CurrentUser,
        raw: &str,
    ) -> Result<Target, AppError> {
        let id = parse_id(raw)?;
        let target = repo::find(&state.db, id)
            .await?
            .ok_or(AppError::Forbidden)?;
        if !queue::moderates(user, target.organisation_id) {
            return Err(AppError::Forbidden);
        }
        Ok(target)
    }

    pub fn parse_note(raw: &str) -> Result<String, AppError> {
        let note = raw.replace("\r\n", "\n").trim().to_string();
        let count = note.chars().count();
        if count > super::MAX_NOTE_CHARS {
            return Err(AppError::invalid(
                Field::Note,
                Problem::TooLong {
                    max: super::MAX_NOTE_CHARS,
                    actual: count,
                },
            ));
        }
        if note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(AppError::invalid(Field::Note, Problem::ControlCharacters));
        }
        Ok(note)
    }

    pub fn parse_reason(raw: &str) -> Result<Reason, AppError> {
        Reason::parse(raw).ok_or(AppError::invalid(Field::Reason, Problem::Empty))
    }

    pub fn ids(raw: &[String]) -> Result<Vec<String>, AppError> {
        let mut ids: Vec<String> = raw
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        ids.dedup();
        if ids.is_empty() {
            return Err(AppError::invalid(Field::Contributions, Problem::Empty));
        }
        if ids.len() > super::MAX_BULK {
            return Err(AppError::invalid(
                Field::Contributions,
                Problem::TooLong {
                    max: super::MAX_BULK,
                    actual: ids.len(),
                },
            ));
        }
        Ok(ids)
    }

    /// Answers a decision: data for JavaScript; a flash and a redirect back to the queue (with its
    /// filters, at the item) for a plain form. A refusal keeps what was entered (`kept`).
    pub async fn answer<T: Default>(
        state: &AppState,
        user: Option<&CurrentUser>,
        result: Result<T, AppError>,
        done: impl FnOnce(&T) -> QueueFlash,
        kept: (&str, DecisionForm, &str, &str),
        back: &str,
    ) -> Result<T, AppError> {
        if !crate::flash::is_plain_form_post() {
            return crate::error::with_status(result);
        }
        let (id, form, reason, text) = kept;
        let item = parse_id(id).unwrap_or(0);
        let stored = match &result {
            Ok(v) => Some(done(v)),
            Err(AppError::Internal) => None,
            Err(error) => Some(QueueFlash::Refused(Kept {
                item,
                form,
                reason: reason.to_string(),
                text: text.to_string(),
                error: error.clone(),
            })),
        };
        match (stored, user) {
            (Some(stored), Some(user)) if user.two_factor => {
                crate::flash::put(state, &queue::flash_scope(user.id), &stored).await?;
                let target = Filter::from_query(back).path();
                leptos_axum::redirect(&format!("{target}#item-{item}"));
                Ok(result.unwrap_or_default())
            }
            _ => crate::error::with_status(result),
        }
    }

    /// Tells the author why their contribution was hidden, in their language.
    pub async fn tell_author(
        state: &AppState,
        t: &Target,
        reason: Reason,
        note: &str,
    ) -> Result<(), AppError> {
        crate::moderation::mail_author(
            state,
            crate::moderation::Author {
                email: t.email.as_deref(),
                lang: t.lang.as_deref(),
                organisation_slug: &t.organisation_slug,
                consultation_slug: &t.consultation_slug,
                comment_id: t.id,
            },
            |tx| {
                let mut paragraphs = vec![
                    (tx.mq_mail_hidden)(&t.consultation_title),
                    format!("„{}“", crate::notify::excerpt(&t.body)),
                    (tx.mq_mail_reason)(crate::moderation::report::reason_label(reason, tx)),
                ];
                if !note.is_empty() {
                    paragraphs.push((tx.mr_mail_note)(note));
                }
                paragraphs.push(tx.mq_mail_appeal.to_string());
                ((tx.mq_mail_subject)(&t.consultation_title), paragraphs)
            },
        )
        .await
    }

    /// Hides one authorised comment and tells its author.
    pub async fn hide_one(
        state: &AppState,
        user: &CurrentUser,
        t: &Target,
        reason: Reason,
        note: &str,
    ) -> Result<(), AppError> {
        repo::hide(&state.db, t, (user.id, &user.display_name), reason, note).await?;
        tracing::info!(
            comment_id = t.id,
            reason = reason.as_str(),
            "comment hidden"
        );
        if let Err(error) = tell_author(state, t, reason, note).await {
            tracing::warn!(comment_id = t.id, ?error, "statement of reasons not sent");
        }
        Ok(())
    }
}

/// Approves one or more contributions (`ids[0]`, `ids[1]`, …): each is published and its reports
/// settled; a reply that was not visible before notifies now. All ids are checked first; one
/// foreign id refuses the whole request.
#[server(prefix = "/api", endpoint = "approve_comments")]
pub async fn approve_comments(
    #[server(default)] ids: Vec<String>,
    #[server(default)] back: String,
) -> Result<usize, AppError> {
    use crate::moderation::queue::{DecisionForm, QueueFlash};
    let state = crate::state::app_state()?;
    let user = crate::moderation::queue::moderator().await;
    let first = ids.first().cloned().unwrap_or_default();
    let result = async {
        let user = user.clone()?;
        let ids = server::ids(&ids)?;
        let mut targets = Vec::with_capacity(ids.len());
        for id in &ids {
            targets.push(server::authorised(&state, &user, id).await?);
        }
        for t in &targets {
            let newly = repo::approve(&state.db, t, (user.id, &user.display_name)).await?;
            tracing::info!(comment_id = t.id, "comment approved");
            if newly && t.parent_id.is_some() {
                let _ = crate::notify::reply_published(&state, t.id).await;
            }
        }
        Ok(targets.len())
    }
    .await;
    server::answer(
        &state,
        user.as_ref().ok(),
        result,
        |n| QueueFlash::Approved(*n),
        (&first, DecisionForm::Approve, "", ""),
        &back,
    )
    .await
}

/// Hides one or more contributions with one reason code and an optional note; each author gets
/// the statement of reasons by e-mail.
#[server(prefix = "/api", endpoint = "hide_comments")]
pub async fn hide_comments(
    #[server(default)] ids: Vec<String>,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] back: String,
) -> Result<usize, AppError> {
    use crate::moderation::queue::{DecisionForm, QueueFlash};
    let state = crate::state::app_state()?;
    let user = crate::moderation::queue::moderator().await;
    let first = ids.first().cloned().unwrap_or_default();
    let result = async {
        let user = user.clone()?;
        let ids = server::ids(&ids)?;
        let mut targets = Vec::with_capacity(ids.len());
        for id in &ids {
            targets.push(server::authorised(&state, &user, id).await?);
        }
        let reason = server::parse_reason(&reason)?;
        let note = server::parse_note(&note)?;
        for t in &targets {
            server::hide_one(&state, &user, t, reason, &note).await?;
        }
        Ok(targets.len())
    }
    .await;
    server::answer(
        &state,
        user.as_ref().ok(),
        result,
        |n| QueueFlash::Hidden(*n),
        (&first, DecisionForm::Hide, &reason, &note),
        &back,
    )
    .await
}

/// Edits personal data out of a contribution: the moderator's corrected text replaces it (the
/// original is kept for the audit, staff-only), and it is published.
#[server(prefix = "/api", endpoint = "redact_comment")]
pub async fn redact_comment(
    id: String,
    #[server(default)] body: String,
    #[server(default)] back: String,
) -> Result<i64, AppError> {
    use crate::moderation::queue::{DecisionForm, QueueFlash};
    let state = crate::state::app_state()?;
    let user = crate::moderation::queue::moderator().await;
    let result = async {
        let user = user.clone()?;
        let t = server::authorised(&state, &user, &id).await?;
        let text = crate::comment::CommentBody::parse(&body)?;
        repo::redact(&state.db, &t, (user.id, &user.display_name), text.as_str()).await?;
        tracing::info!(comment_id = t.id, "comment redacted");
        Ok(t.id)
    }
    .await;
    server::answer(
        &state,
        user.as_ref().ok(),
        result,
        |id| QueueFlash::Redacted(*id),
        (&id, DecisionForm::Redact, "", &body),
        &back,
    )
    .await
}

/// Blocks a contribution's author from the organisation's consultations for one of
/// [`BLOCK_DAYS`] days, with a reason; `also_hide` ("on") hides the contribution too.
#[server(prefix = "/api", endpoint = "block_author")]
pub async fn block_author(
    id: String,
    #[server(default)] days: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] also_hide: String,
    #[server(default)] back: String,
) -> Result<i64, AppError> {
    use crate::error::{Field, Problem};
    use crate::moderation::queue::{DecisionForm, QueueFlash};
    let state = crate::state::app_state()?;
    let user = crate::moderation::queue::moderator().await;
    let result = async {
        let user = user.clone()?;
        let t = server::authorised(&state, &user, &id).await?;
        let author = t.author_user_id.ok_or(AppError::NotFound)?;
        let days = days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| BLOCK_DAYS.contains(d))
            .ok_or(AppError::invalid(Field::Count, Problem::Empty))?;
        let reason = server::parse_reason(&reason)?;
        let note = server::parse_note(&note)?;
        let until = repo::block(
            &state.db,
            &t,
            author,
            (user.id, &user.display_name),
            days,
            reason,
            &note,
        )
        .await?;
        tracing::info!(comment_id = t.id, days, "author blocked");
        if !also_hide.trim().is_empty() && t.status != "hidden" {
            server::hide_one(&state, &user, &t, reason, &note).await?;
        }
        Ok(until)
    }
    .await;
    let item = server::parse_id(&id).unwrap_or(0);
    server::answer(
        &state,
        user.as_ref().ok(),
        result,
        |_| QueueFlash::Blocked(item),
        (&id, DecisionForm::Block, &reason, &note),
        &back,
    )
    .await
}
