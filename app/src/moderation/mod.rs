//! Moderation: reports from participants (hidden pending review at the consultation's
//! threshold), pre-moderation, the moderators' queue at `/moderation` with decisions (approve,
//! hide with a reason, edit out personal data, block the author), statements of reasons to the
//! author, one appeal decided by a different moderator, and public counts per consultation.
//! Every decision goes into the audit log (`crate::audit`).

pub mod alerts;
pub mod appeal;
#[cfg(feature = "ssr")]
pub mod blocks;
pub mod decide;
pub mod queue;
pub mod r_views;
pub mod report;
pub mod transparency;
pub mod views;

use serde::{Deserialize, Serialize};

/// The statement that settles a contribution's open reports once a moderator has decided on it
/// (run inside the decision's transaction).
#[cfg(feature = "ssr")]
#[macro_export]
macro_rules! settle_reports {
    ($at:expr, $comment_id:expr) => {
        sqlx::query(
            "UPDATE comment_reports SET resolved_at = $1 \
             WHERE comment_id = $2 AND resolved_at IS NULL",
        )
        .bind($at)
        .bind($comment_id)
    };
}

/// Whom a moderation mail goes to: the author's confirmed address (none: no mail), their
/// language and the contribution the mail links to.
#[cfg(feature = "ssr")]
pub(crate) struct Author<'a> {
    pub email: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub organisation_slug: &'a str,
    pub consultation_slug: &'a str,
    pub comment_id: i64,
}

/// Mails the author of a contribution in their language: a greeting, the paragraphs `compose`
/// writes with the author's texts (it returns the subject too) and a link to the contribution.
#[cfg(feature = "ssr")]
pub(crate) async fn mail_author(
    state: &crate::state::AppState,
    author: Author<'_>,
    compose: impl FnOnce(&crate::i18n::Texts) -> (String, Vec<String>),
) -> Result<(), crate::error::AppError> {
    use crate::i18n::{Lang, Texts};
    let Some(to) = author.email else {
        return Ok(());
    };
    let lang = author.lang.and_then(Lang::from_code).unwrap_or_default();
    let t = Texts::get(lang);
    let link = crate::notify::permalink(
        &state.settings.base_url,
        author.organisation_slug,
        author.consultation_slug,
        author.comment_id,
    );
    let (subject, body) = compose(t);
    let mut paragraphs = vec![t.mr_mail_hello.to_string()];
    paragraphs.extend(body);
    let mail = crate::mail::templates::moderation_notice(
        lang,
        to,
        subject,
        &paragraphs,
        t.mr_mail_link,
        &link,
    );
    state.mailer.send(mail).await
}

/// Why a contribution is reported or hidden. The same codes serve both: the author is told the
/// moderator's reason in the words participants chose from when reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Spam,
    Insult,
    PersonalData,
    OffTopic,
    Illegal,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 6] = [
        Reason::Spam,
        Reason::Insult,
        Reason::PersonalData,
        Reason::OffTopic,
        Reason::Illegal,
        Reason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Spam => "spam",
            Reason::Insult => "insult",
            Reason::PersonalData => "personal_data",
            Reason::OffTopic => "off_topic",
            Reason::Illegal => "illegal",
            Reason::Other => "other",
        }
    }

    /// The reason named `s` (a form value or a stored code); `None` for anything else.
    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// The `hidden_reason` of a contribution hidden by the report threshold, awaiting review.
pub const HIDDEN_BY_REPORTS: &str = "reported";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_and_nothing_else_parses() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
        }
        assert_eq!(Reason::parse(HIDDEN_BY_REPORTS), None);
        assert_eq!(Reason::parse("' OR 1=1 --"), None);
    }
}
