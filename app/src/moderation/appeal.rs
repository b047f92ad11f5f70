//! Appeals: the author of a contribution a moderator hid may object once, with a text; another
//! moderator of the organisation decides (the one who hid it never does — the database's CHECK
//! holds that too); upheld publishes it again. The author is told the outcome by e-mail and on
//! the page. Moderators find the open appeals at `/moderation/appeals`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub const MIN_APPEAL_CHARS: usize = 10;
pub const MAX_APPEAL_CHARS: usize = 2000;
pub const MAX_DECISION_NOTE_CHARS: usize = 2000;
/// Where moderators decide appeals.
pub const APPEALS_PATH: &str = "/moderation/appeals";

/// How an appeal was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// The appeal succeeds: the contribution is published again.
    Upheld,
    /// It stays hidden.
    Rejected,
}

impl AppealOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AppealOutcome::Upheld => "upheld",
            AppealOutcome::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<AppealOutcome> {
        match s.trim() {
            "upheld" => Some(AppealOutcome::Upheld),
            "rejected" => Some(AppealOutcome::Rejected),
            _ => None,
        }
    }
}

/// An appeal as its author sees it on their contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealState {
    /// `None` while undecided.
    pub outcome: Option<AppealOutcome>,
    /// The deciding moderator's note.
    pub note: String,
}

/// What a refused no-JavaScript appeal keeps: the author's text and the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDraft {
    pub comment_id: i64,
    pub body: String,
    pub error: AppError,
}

/// The text of an appeal: trimmed, 10 to 2000 characters, no control characters.
pub fn parse_appeal(raw: &str) -> Result<String, AppError> {
    use crate::error::{Field, Problem};
    let text = raw.replace("\r\n", "\n").trim().to_string();
    let count = text.chars().count();
    if count == 0 {
        return Err(AppError::invalid(Field::Appeal, Problem::Empty));
    }
    if count < MIN_APPEAL_CHARS {
        return Err(AppError::invalid(
            Field::Appeal,
            Problem::TooShort {
                min: MIN_APPEAL_CHARS,
                actual: count,
            },
        ));
    }
    if count > MAX_APPEAL_CHARS {
        return Err(AppError::invalid(
            Field::Appeal,
            Problem::TooLong {
                max: MAX_APPEAL_CHARS,
                actual: count,
            },
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::invalid(Field::Appeal, Problem::ControlCharacters));
    }
    Ok(text)
}

/// One open appeal on the moderators' page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenAppeal {
    pub id: i64,
    pub comment_id: i64,
    pub comment_html: String,
    pub comment_link: String,
    pub consultation_title: String,
    pub author_name: String,
    pub hidden_reason: Option<super::Reason>,
    pub hidden_note: String,
    /// The moderator who hid it ('' if their account is gone).
    pub hidden_by_name: String,
    /// The reader hid it: they may not decide.
    pub hidden_by_me: bool,
    pub body: String,
    pub created_at: i64,
}

/// The moderators' appeals page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealsPage {
    pub appeals: Vec<OpenAppeal>,
    pub flash: Option<DecisionFlash>,
}

/// What a no-JavaScript decision left for the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionFlash {
    Decided(i64),
    Refused {
        appeal_id: i64,
        outcome: String,
        note: String,
        error: AppError,
    },
}

#[cfg(feature = "ssr")]
fn decision_scope(user_id: i64) -> String {
    format!("appeals:{user_id}")
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::{AppealOutcome, OpenAppeal};
    use crate::audit::{Action, Entry, Object, ObjectKind};
    use crate::db::{is_unique_violation, now, Db};
    use crate::on_db;

    /// What became of an appeal.
    #[derive(Debug, PartialEq, Eq)]
    pub enum Filed {
        Filed,
        /// Not the author's contribution hidden by a moderator here.
        NotAllowed,
        Exists,
    }

    /// Files `user`'s appeal against the hiding of their comment: only a comment of theirs in
    /// the consultation that a moderator hid (not the report threshold), once.
    pub async fn file(
        db: &Db,
        consultation_id: i64,
        comment_id: i64,
        user: i64,
        body: &str,
    ) -> Result<Filed, sqlx::Error> {
        let inserted = on_db!(db, |pool| {
            sqlx::query(
                "INSERT INTO appeals (comment_id, user_id, body, hidden_by, created_at) \
                 SELECT c.id, c.author_user_id, $1, c.hidden_by, $2 FROM comments c \
                 WHERE c.id = $3 AND c.consultation_id = $4 AND c.author_user_id = $5 \
                 AND c.status = 'hidden' AND c.deleted_at IS NULL \
                 AND c.hidden_reason IS NOT NULL AND c.hidden_reason <> $6",
            )
            .bind(body)
            .bind(now())
            .bind(comment_id)
            .bind(consultation_id)
            .bind(user)
            .bind(crate::moderation::HIDDEN_BY_REPORTS)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        });
        Ok(match inserted {
            Ok(1) => Filed::Filed,
            Ok(_) => Filed::NotAllowed,
            Err(err) if is_unique_violation(&err) => Filed::Exists,
            Err(err) => return Err(err),
        })
    }

    /// An appeal with what deciding it needs to know.
    #[derive(Debug, sqlx::FromRow)]
    pub struct AppealRow {
        pub id: i64,
        pub comment_id: i64,
        pub hidden_by: Option<i64>,
        pub decided: bool,
        pub author_user_id: Option<i64>,
        pub parent_id: Option<i64>,
        pub consultation_id: i64,
        pub consultation_title: String,
        pub consultation_slug: String,
        pub organisation_id: i64,
        pub organisation_slug: String,
        pub email: Option<String>,
        pub lang: Option<String>,
    }

    pub async fn find(db: &Db, appeal_id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query_as::<_, AppealRow>(
                "SELECT a.id, a.comment_id, a.hidden_by, (a.decided_at IS NOT NULL) AS decided, \
                 c.author_user_id, c.parent_id, k.id AS consultation_id, \
                 k.title AS consultation_title, k.slug AS consultation_slug, \
                 o.id AS organisation_id, o.slug AS organisation_slug, \
                 CASE WHEN u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL \
                   THEN u.email END AS email, s.lang \
                 FROM appeals a JOIN comments c ON c.id = a.comment_id \
                 JOIN consultations k ON k.id = c.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 LEFT JOIN users u ON u.id = c.author_user_id \
                 LEFT JOIN notification_settings s ON s.user_id = u.id \
                 WHERE a.id = $1",
            )
            .bind(appeal_id)
            .fetch_optional(pool)
            .await
        })
    }

    /// Decides an appeal (false if someone decided it meanwhile): upheld publishes the comment
    /// again and settles its reports; the audit entry commits with the decision.
    pub async fn decide(
        db: &Db,
        appeal: &AppealRow,
        moderator: (i64, &str),
        outcome: AppealOutcome,
        note: &str,
    ) -> Result<bool, sqlx::Error> {
        let ts = now();
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE appeals SET decided_by = $1, decided_at = $2, outcome = $3, note = $4 \
                 WHERE id = $5 AND decided_at IS NULL",
            )
            .bind(moderator.0)
            .bind(ts)
            .bind(outcome.as_str())
            .bind(note)
            .bind(appeal.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            if outcome == AppealOutcome::Upheld {
                sqlx::query(
                    "UPDATE comments SET status = 'published', hidden_reason = NULL, \
                     hidden_note = '', hidden_by = NULL, hidden_at = NULL, reviewed_at = $1 \
                     WHERE id = $2 AND status = 'hidden'",
                )
                .bind(ts)
                .bind(appeal.comment_id)
                .execute(&mut *tx)
                .await?;
                crate::settle_reports!(ts, appeal.comment_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let reason = if note.is_empty() {
                outcome.as_str().to_string()
            } else {
                format!("{}: {note}", outcome.as_str())
            };
            let entry = Entry {
                organisation_id: Some(appeal.organisation_id),
                consultation_id: Some(appeal.consultation_id),
                actor: Some(moderator),
                action: Action::AppealDecided,
                object: Object {
                    kind: ObjectKind::Comment,
                    id: Some(appeal.comment_id),
                    label: format!("#{}", appeal.comment_id),
                },
                subject_user_id: appeal.author_user_id,
                reason: &reason,
            };
            crate::audit_insert!(&entry).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The open appeals of one organisation (`None`: of all, for instance admins), oldest first.
    pub async fn open(
        db: &Db,
        organisation: Option<i64>,
        viewer: i64,
    ) -> Result<Vec<OpenAppeal>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            comment_id: i64,
            body_html: String,
            organisation_slug: String,
            consultation_slug: String,
            consultation_title: String,
            author_name: String,
            hidden_reason: Option<String>,
            hidden_note: String,
            hidden_by: Option<i64>,
            hidden_by_name: Option<String>,
            body: String,
            created_at: i64,
        }
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, Row>(
                "SELECT a.id, a.comment_id, c.body_html, o.slug AS organisation_slug, k.slug AS consultation_slug, \
                 k.title AS consultation_title, c.author_name, c.hidden_reason, c.hidden_note, \
                 a.hidden_by, m.display_name AS hidden_by_name, a.body, a.created_at \
                 FROM appeals a JOIN comments c ON c.id = a.comment_id \
                 JOIN consultations k ON k.id = c.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 LEFT JOIN users m ON m.id = a.hidden_by \
                 WHERE a.decided_at IS NULL AND ($1 IS NULL OR o.id = $1) \
                 ORDER BY a.created_at, a.id LIMIT 500",
            )
            .bind(organisation)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| OpenAppeal {
                id: r.id,
                comment_id: r.comment_id,
                comment_html: r.body_html,
                comment_link: crate::comment::permalink(
                    &format!("/{}/{}", r.organisation_slug, r.consultation_slug),
                    r.comment_id,
                ),
                consultation_title: r.consultation_title,
                author_name: r.author_name,
                hidden_reason: r
                    .hidden_reason
                    .as_deref()
                    .and_then(crate::moderation::Reason::parse),
                hidden_note: r.hidden_note,
                hidden_by_name: r.hidden_by_name.unwrap_or_default(),
                hidden_by_me: r.hidden_by == Some(viewer),
                body: r.body,
                created_at: r.created_at,
            })
            .collect())
    }
}

/// Appeals the hiding of one's own contribution, once, with a text of 10 to 2000 characters.
/// Allowed while blocked: a block must not stop one objecting to the decision behind it.
#[server(prefix = "/api", endpoint = "appeal_comment")]
pub async fn appeal_comment(
    org: String,
    slug: String,
    comment_id: String,
    #[server(default)] body: String,
    #[server(default)] return_to: String,
) -> Result<i64, AppError> {
    use crate::comment::api::server;
    use crate::comment::FormFlash;
    use crate::error::ConflictReason;

    let state = crate::state::app_state()?;
    let consultation = crate::error::with_status(server::consultation(&state, &org, &slug).await)?;
    let parsed = server::parse_id(&comment_id);
    let id = *parsed.as_ref().unwrap_or(&0);
    let outcome = async {
        let id = parsed?;
        let user = crate::account::api::current_user()
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let text = parse_appeal(&body)?;
        use crate::ratelimit::{hit, Limit, Subject};
        let account = format!("user:{}", user.id);
        hit(&state, Limit::ReportPerAccount, Subject::Named(&account)).await?;
        match repo::file(&state.db, consultation.id, id, user.id, &text).await? {
            repo::Filed::Filed => {
                tracing::info!(comment_id = id, "appeal filed");
                Ok(id)
            }
            repo::Filed::NotAllowed => Err(AppError::Conflict {
                reason: ConflictReason::AppealNotAllowed,
            }),
            repo::Filed::Exists => Err(AppError::Conflict {
                reason: ConflictReason::AppealExists,
            }),
        }
    }
    .await;
    let back = crate::comment::return_path(&consultation.card.path(), &return_to);
    let target = match &outcome {
        Ok(_) => format!("{back}#comment-{id}"),
        Err(_) => format!("{back}#appeal-form-{id}"),
    };
    server::answer(
        &state,
        &consultation,
        outcome,
        |_| Some(FormFlash::Appealed(id)),
        |error| {
            FormFlash::AppealRejected(AppealDraft {
                comment_id: id,
                body,
                error,
            })
        },
        target,
    )
    .await
}

/// The open appeals of the organisations the signed-in moderator serves (all for instance
/// admins); staff only, with two-factor sign-in.
#[server(prefix = "/api", endpoint = "list_appeals")]
pub async fn list_appeals() -> Result<AppealsPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::moderation::queue::moderator().await?;
            let appeals = match moderated(&user) {
                None => repo::open(&state.db, None, user.id).await?,
                Some(organisations) => {
                    let mut all = Vec::new();
                    for id in organisations {
                        all.extend(repo::open(&state.db, Some(id), user.id).await?);
                    }
                    all.sort_by_key(|a| (a.created_at, a.id));
                    all
                }
            };
            let flash = crate::flash::take(&state, &decision_scope(user.id)).await?;
            Ok(AppealsPage { appeals, flash })
        }
        .await,
    )
}

/// The organisations a person moderates; `None`: all of them (instance admin).
#[cfg(feature = "ssr")]
fn moderated(user: &crate::account::CurrentUser) -> Option<Vec<i64>> {
    (!user.is_instance_admin).then(|| {
        let mut ids: Vec<i64> = user
            .roles
            .iter()
            .filter(|m| crate::moderation::queue::moderates(user, m.organisation_id))
            .map(|m| m.organisation_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    })
}

/// Decides an appeal: a moderator of the contribution's organisation other than the one who hid
/// it. Upheld publishes the contribution again. The author is told by e-mail, in their language.
#[server(prefix = "/api", endpoint = "decide_appeal")]
pub async fn decide_appeal(
    appeal_id: String,
    #[server(default)] outcome: String,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    use crate::error::{ConflictReason, Field, Problem};
    let state = crate::state::app_state()?;
    let parsed = appeal_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound);
    let id = *parsed.as_ref().unwrap_or(&0);
    let result = async {
        let id = parsed?;
        let appeal = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
        let user = crate::moderation::queue::moderator().await?;
        if !crate::moderation::queue::moderates(&user, appeal.organisation_id) {
            return Err(AppError::Forbidden);
        }
        if appeal.hidden_by == Some(user.id) {
            return Err(AppError::Conflict {
                reason: ConflictReason::SameModerator,
            });
        }
        if appeal.decided {
            return Err(AppError::Conflict {
                reason: ConflictReason::AppealDecided,
            });
        }
        let decision = AppealOutcome::parse(&outcome)
            .ok_or(AppError::invalid(Field::Outcome, Problem::Empty))?;
        let note = note.replace("\r\n", "\n").trim().to_string();
        let count = note.chars().count();
        if count > MAX_DECISION_NOTE_CHARS {
            return Err(AppError::invalid(
                Field::Note,
                Problem::TooLong {
                    max: MAX_DECISION_NOTE_CHARS,
                    actual: count,
                },
            ));
        }
        if !repo::decide(
            &state.db,
            &appeal,
            (user.id, &user.display_name),
            decision,
            &note,
        )
        .await?
        {
            return Err(AppError::Conflict {
                reason: ConflictReason::AppealDecided,
            });
        }
        tracing::info!(
            appeal_id = id,
            outcome = decision.as_str(),
            "appeal decided"
        );
        if decision == AppealOutcome::Upheld && appeal.parent_id.is_some() {
            let _ = crate::notify::reply_published(&state, appeal.comment_id).await;
        }
        if let Err(error) = tell_author(&state, &appeal, decision, &note).await {
            tracing::warn!(appeal_id = id, ?error, "appeal outcome mail not sent");
        }
        Ok((id, user.id))
    }
    .await;
    if !crate::flash::is_plain_form_post() {
        return crate::error::with_status(result.map(|(id, _)| id));
    }
    let viewer = crate::account::api::current_user().await?;
    let stored = match &result {
        Ok((id, _)) => Some(DecisionFlash::Decided(*id)),
        Err(AppError::Internal) => None,
        Err(error) => Some(DecisionFlash::Refused {
            appeal_id: id,
            outcome: outcome.clone(),
            note: note.clone(),
            error: error.clone(),
        }),
    };
    match (stored, viewer) {
        (Some(stored), Some(viewer)) => {
            crate::flash::put(&state, &decision_scope(viewer.id), &stored).await?;
            leptos_axum::redirect(&format!("{APPEALS_PATH}#appeal-{id}"));
            Ok(id)
        }
        _ => crate::error::with_status(result.map(|(id, _)| id)),
    }
}

/// The author's e-mail about the outcome, in their language (none without a confirmed address).
#[cfg(feature = "ssr")]
async fn tell_author(
    state: &crate::state::AppState,
    appeal: &repo::AppealRow,
    outcome: AppealOutcome,
    note: &str,
) -> Result<(), AppError> {
    super::mail_author(
        state,
        super::Author {
            email: appeal.email.as_deref(),
            lang: appeal.lang.as_deref(),
            organisation_slug: &appeal.organisation_slug,
            consultation_slug: &appeal.consultation_slug,
            comment_id: appeal.comment_id,
        },
        |t| {
            let mut paragraphs = vec![match outcome {
                AppealOutcome::Upheld => t.mr_mail_upheld,
                AppealOutcome::Rejected => t.mr_mail_rejected,
            }
            .to_string()];
            if !note.is_empty() {
                paragraphs.push((t.mr_mail_note)(note));
            }
            ((t.mr_mail_subject)(&appeal.consultation_title), paragraphs)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appeals_are_ten_to_two_thousand_characters() {
        assert!(parse_appeal("zu kurz").is_err());
        assert!(parse_appeal("   ").is_err());
        assert_eq!(
            parse_appeal("  Das war sachlich.  ").as_deref(),
            Ok("Das war sachlich.")
        );
        assert!(parse_appeal(&"x".repeat(MAX_APPEAL_CHARS + 1)).is_err());
        assert_eq!(AppealOutcome::parse("upheld"), Some(AppealOutcome::Upheld));
        assert_eq!(AppealOutcome::parse("maybe"), None);
    }
}
