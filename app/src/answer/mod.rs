//! Official answers (Abwägung): the initiators' answer to one contribution or a group of
//! contributions, with a status and a reason. Residents see it on their contribution and are
//! notified; the consultation's answers page lists them all; exports carry them.

#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

/// How the municipality weighed a contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    Considered,
    Adopted,
    PartlyAdopted,
    NotAdopted,
    NotRelevant,
}

impl AnswerStatus {
    pub const ALL: [AnswerStatus; 5] = [
        AnswerStatus::Considered,
        AnswerStatus::Adopted,
        AnswerStatus::PartlyAdopted,
        AnswerStatus::NotAdopted,
        AnswerStatus::NotRelevant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::Considered => "considered",
            AnswerStatus::Adopted => "adopted",
            AnswerStatus::PartlyAdopted => "partly_adopted",
            AnswerStatus::NotAdopted => "not_adopted",
            AnswerStatus::NotRelevant => "not_relevant",
        }
    }

    /// The status named `s` (a form value or a stored code); `None` for anything else.
    pub fn parse(s: &str) -> Option<AnswerStatus> {
        AnswerStatus::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }
}

/// An official answer as it shows on a contribution (and in lists).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerView {
    pub id: i64,
    pub status: AnswerStatus,
    /// The reason, sanitised HTML (written once through `crate::markdown`).
    pub reason_html: String,
    pub answered_at: i64,
    /// How many contributions this answer covers (more than one: a group answer).
    pub comment_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_nothing_else_parses() {
        for s in AnswerStatus::ALL {
            assert_eq!(AnswerStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AnswerStatus::parse("accepted"), None);
    }
}
