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
