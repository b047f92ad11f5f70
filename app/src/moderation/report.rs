//! Reports: a participant tells the moderators that a contribution breaks the rules, once per
//! contribution; at the consultation's threshold of open reports the contribution is hidden
//! until a moderator reviews it (decided in the same transaction as the report that reaches it).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Reason;
use crate::error::AppError;

/// The longest explanation a report may carry.
pub const MAX_NOTE_CHARS: usize = 1000;

/// What a refused no-JavaScript report keeps for the form: the choice, the text and the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub comment_id: i64,
    pub reason: String,
    pub note: String,
    pub error: AppError,
}

/// A report as the form sends it, parsed: a reason, and an explanation (required for "other").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReport {
    pub reason: Reason,
    pub note: String,
}

impl NewReport {
    pub fn parse(reason: &str, note: &str) -> Result<NewReport, AppError> {
        use crate::error::{Field, Problem};
        let reason =
            Reason::parse(reason).ok_or(AppError::invalid(Field::Reason, Problem::Empty))?;
        let note = note.replace("\r\n", "\n").trim().to_string();
        let count = note.chars().count();
        if count > MAX_NOTE_CHARS {
            return Err(AppError::invalid(
                Field::ReportNote,
                Problem::TooLong {
                    max: MAX_NOTE_CHARS,
                    actual: count,
                },
            ));
        }
        if note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(AppError::invalid(
                Field::ReportNote,
                Problem::ControlCharacters,
            ));
        }
        if reason == Reason::Other && note.is_empty() {
            return Err(AppError::invalid(Field::ReportNote, Problem::Empty));
        }
        Ok(NewReport { reason, note })
    }
}

/// The reason in the reader's words.
pub fn reason_label(reason: Reason, t: &crate::i18n::Texts) -> &'static str {
    match reason {
        Reason::Spam => t.mr_reason_spam,
        Reason::Insult => t.mr_reason_insult,
        Reason::PersonalData => t.mr_reason_personal_data,
        Reason::OffTopic => t.mr_reason_off_topic,
        Reason::Illegal => t.mr_reason_illegal,
        Reason::Other => t.mr_reason_other,
    }
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::NewReport;
    use crate::audit::{Action, Entry, Object, ObjectKind};
    use crate::db::{is_unique_violation, now, Db};
    use crate::on_db;

    /// What became of a report.
    #[derive(Debug, PartialEq, Eq)]
    pub enum Reported {
        /// Counted; `hidden`: it reached the threshold and the contribution is hidden now.
        Counted {
            hidden: bool,
        },
        /// No published, undeleted contribution with this id in the consultation.
        NotFound,
        OwnComment,
        AlreadyReported,
    }

    /// Records `user`'s report on a published comment and, when the open reports of different
    /// people reach the consultation's threshold, hides it pending review — all in one
    /// transaction. The first statement writes the comment row, so concurrent reports on it queue
    /// behind its lock and each sees the reports before it: the threshold is crossed exactly once.
    pub async fn report(
        db: &Db,
        consultation_id: i64,
        organisation_id: i64,
        comment_id: i64,
        user: i64,
        report: &NewReport,
    ) -> Result<Reported, sqlx::Error> {
        let ts = now();
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            let author = sqlx::query_scalar::<_, Option<i64>>(
                "UPDATE comments SET report_count = report_count + 1 \
                 WHERE id = $1 AND consultation_id = $2 AND status = 'published' \
                 AND deleted_at IS NULL RETURNING author_user_id",
            )
            .bind(comment_id)
            .bind(consultation_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(author) = author else {
                return Ok(Reported::NotFound);
            };
            if author == Some(user) {
                return Ok(Reported::OwnComment);
            }
            let inserted = sqlx::query(
                "INSERT INTO comment_reports (comment_id, user_id, reason, note, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(comment_id)
            .bind(user)
            .bind(report.reason.as_str())
            .bind(&report.note)
            .bind(ts)
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => {}
                // The unique key: one report per person and contribution (the transaction rolls
                // back, the count with it).
                Err(err) if is_unique_violation(&err) => return Ok(Reported::AlreadyReported),
                Err(err) => return Err(err),
            }
            let (open, threshold) = sqlx::query_as::<_, (i64, i64)>(
                "SELECT (SELECT COUNT(DISTINCT user_id) FROM comment_reports \
                   WHERE comment_id = $1 AND resolved_at IS NULL), \
                 CAST(k.report_threshold AS BIGINT) FROM consultations k WHERE k.id = $2",
            )
            .bind(comment_id)
            .bind(consultation_id)
            .fetch_one(&mut *tx)
            .await?;
            let hidden = open >= threshold;
            if hidden {
                sqlx::query(
                    "UPDATE comments SET status = 'hidden', hidden_reason = $1, hidden_by = NULL, \
                     hidden_note = '', hidden_at = $2 WHERE id = $3",
                )
                .bind(super::super::HIDDEN_BY_REPORTS)
                .bind(ts)
                .bind(comment_id)
                .execute(&mut *tx)
                .await?;
                let entry = Entry {
                    organisation_id: Some(organisation_id),
                    consultation_id: Some(consultation_id),
                    actor: None,
                    action: Action::CommentHidden,
                    object: Object {
                        kind: ObjectKind::Comment,
                        id: Some(comment_id),
                        label: format!("#{comment_id}"),
                    },
                    subject_user_id: author,
                    reason: super::super::HIDDEN_BY_REPORTS,
                };
                crate::audit_insert!(&entry).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Reported::Counted { hidden })
        })
    }
}

/// Reports a published contribution of someone else with a reason (and, for "other", an
/// explanation). Participants only (the consultation's rule), not while blocked, once per
/// contribution.
#[server(prefix = "/api", endpoint = "report_comment")]
pub async fn report_comment(
    org: String,
    slug: String,
    comment_id: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] return_to: String,
) -> Result<i64, AppError> {
    use crate::comment::api::server;
    use crate::comment::FormFlash;
    use crate::error::ConflictReason;

    let state = crate::state::app_state()?;
    let consultation = crate::error::with_status(server::consultation(&state, &org, &slug).await)?;
    let parsed = server::parse_id(&comment_id);
    // For the redirect's anchor; an unparsable id is refused below.
    let id = *parsed.as_ref().unwrap_or(&0);
    let outcome = async {
        let id = parsed?;
        server::ensure_accepting(&consultation)?;
        let reporter =
            crate::participation::api::require_participant(&state, &consultation).await?;
        let report = NewReport::parse(&reason, &note)?;
        use crate::ratelimit::{hit, Limit, Subject};
        let account = format!("user:{}", reporter.id);
        hit(&state, Limit::ReportPerAccount, Subject::Named(&account)).await?;
        use repo::Reported;
        match repo::report(
            &state.db,
            consultation.id,
            consultation.organisation_id,
            id,
            reporter.id,
            &report,
        )
        .await?
        {
            Reported::Counted { hidden } => {
                tracing::info!(comment_id = id, hidden, "comment reported");
                Ok(id)
            }
            Reported::NotFound => Err(AppError::NotFound),
            Reported::OwnComment => Err(AppError::Conflict {
                reason: ConflictReason::OwnComment,
            }),
            Reported::AlreadyReported => Err(AppError::Conflict {
                reason: ConflictReason::AlreadyReported,
            }),
        }
    }
    .await;
    let back = crate::comment::return_path(&consultation.card.path(), &return_to);
    let target = match &outcome {
        Ok(_) => format!("{back}#comment-{id}"),
        Err(_) => format!("{back}#report-form-{id}"),
    };
    server::answer(
        &state,
        &consultation,
        outcome,
        |_| Some(FormFlash::Reported(id)),
        |error| {
            FormFlash::ReportRejected(ReportDraft {
                comment_id: id,
                reason,
                note,
                error,
            })
        },
        target,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Field, Problem};

    #[test]
    fn other_needs_an_explanation_and_notes_are_bounded() {
        assert_eq!(
            NewReport::parse("other", "  "),
            Err(AppError::invalid(Field::ReportNote, Problem::Empty))
        );
        assert!(NewReport::parse("other", "Werbung für eine Firma").is_ok());
        assert!(NewReport::parse("spam", "").is_ok());
        assert_eq!(
            NewReport::parse("", ""),
            Err(AppError::invalid(Field::Reason, Problem::Empty))
        );
        assert!(NewReport::parse("reported", "").is_err());
        assert!(NewReport::parse("insult", &"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }
}
