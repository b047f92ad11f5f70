//! Mails the authors of answered contributions: one mail per author and answer publication (or
//! change), in their language, with the notification mails' settings and unsubscribe links.

use std::collections::BTreeMap;

use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::mail::templates::{self, AnsweredItem, OfficialAnswer};
use crate::state::AppState;

/// Tells the authors of the answer's contributions that are not yet notified (claimed
/// atomically, so nobody is mailed twice for one publication). A mail that cannot be sent gives
/// nothing back: the answer is on the contribution's page anyway.
pub async fn answer_published(state: &AppState, answer_id: i64) -> Result<(), AppError> {
    let recipients = super::repo::claim_recipients(&state.db, answer_id).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    let Some((status, reason)) = answer_text(state, answer_id).await? else {
        return Ok(());
    };
    let base = &state.settings.base_url;
    // One mail per person, however many of their contributions the answer covers.
    let mut by_user: BTreeMap<i64, Vec<super::repo::Recipient>> = BTreeMap::new();
    for r in recipients {
        by_user.entry(r.user_id).or_default().push(r);
    }
    for (user_id, rows) in by_user {
        let first = &rows[0];
        let lang = Lang::from_code(&first.lang).unwrap_or_default();
        let texts: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                (
                    crate::notify::excerpt(&r.body),
                    crate::notify::permalink(
                        base,
                        &r.organisation_slug,
                        &r.consultation_slug,
                        r.comment_id,
                    ),
                )
            })
            .collect();
        let items: Vec<AnsweredItem<'_>> = texts
            .iter()
            .map(|(excerpt, link)| AnsweredItem { excerpt, link })
            .collect();
        let token = crate::notify::repo::issue_unsubscribe_token(&state.db, user_id).await?;
        let mail = templates::official_answer(
            lang,
            &first.email,
            &OfficialAnswer {
                organisation: &first.organisation_name,
                consultation: &first.consultation_title,
                status: status.label(Texts::get(lang)),
                reason: &reason,
            },
            &items,
            &format!("{base}{}", crate::notify::SETTINGS_PATH),
            &crate::notify::unsubscribe_link(base, &token),
        );
        state.mailer.send(mail).await?;
        tracing::info!(answer_id, recipient = user_id, "answer notification sent");
    }
    Ok(())
}

async fn answer_text(
    state: &AppState,
    answer_id: i64,
) -> Result<Option<(super::AnswerStatus, String)>, AppError> {
    let row = crate::on_db!(&state.db, |pool| {
        sqlx::query_as::<_, (String, String)>(
            "SELECT status, reason FROM official_answers WHERE id = $1",
        )
        .bind(answer_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.and_then(|(s, r)| Some((super::AnswerStatus::parse(&s)?, r))))
}
