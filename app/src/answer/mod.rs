//! Official answers (Abwägung): the initiators' answer to one contribution or a group of
//! contributions, with a status and a reason. Residents see it on their contribution and are
//! notified; the consultation's answers page lists them all; exports carry them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
mod notify;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

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

    /// The status in words, in the reader's language.
    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            AnswerStatus::Considered => t.oa_status_considered,
            AnswerStatus::Adopted => t.oa_status_adopted,
            AnswerStatus::PartlyAdopted => t.oa_status_partly_adopted,
            AnswerStatus::NotAdopted => t.oa_status_not_adopted,
            AnswerStatus::NotRelevant => t.oa_status_not_relevant,
        }
    }

    /// The status named `s` (a form value or a stored code); `None` for anything else.
    pub fn parse(s: &str) -> Option<AnswerStatus> {
        AnswerStatus::ALL
            .into_iter()
            .find(|a| a.as_str() == s.trim())
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
    /// The name of the organisation that answered (the consultation's).
    pub organisation_name: String,
}

/// The longest reason (characters).
pub const MAX_REASON_CHARS: usize = 10_000;
/// Contributions per page of the staff list.
pub const PAGE_SIZE: i64 = 50;
/// The most contributions one answer may cover at once.
pub const MAX_SELECTED: usize = 200;

/// Which contributions the staff list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Filter {
    #[default]
    All,
    Unanswered,
    Answered,
    Status(AnswerStatus),
}

impl Filter {
    /// The filter named `s` in a query string; anything unknown shows all.
    pub fn parse(s: &str) -> Filter {
        match s.trim() {
            "unanswered" => Filter::Unanswered,
            "answered" => Filter::Answered,
            other => AnswerStatus::parse(other)
                .map(Filter::Status)
                .unwrap_or_default(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unanswered => "unanswered",
            Filter::Answered => "answered",
            Filter::Status(s) => s.as_str(),
        }
    }
}

/// One contribution in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItem {
    pub id: i64,
    pub is_reply: bool,
    /// Empty for a deleted account.
    pub author_name: String,
    pub created_at: i64,
    pub excerpt: String,
    pub supports: i64,
    /// The answer it has: (answer id, status).
    pub answer: Option<(i64, AnswerStatus)>,
}

/// A contribution an answer covers, as the answer lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    pub id: i64,
    pub author_name: String,
    pub excerpt: String,
}

/// One answer with everything it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerDetail {
    pub id: i64,
    pub status: AnswerStatus,
    /// The Markdown source (for the staff's change form; empty on the public page).
    pub reason: String,
    pub reason_html: String,
    pub answered_at: i64,
    pub comments: Vec<Covered>,
}

/// What a no-JavaScript post on the staff page leaves for the next view: the input and the
/// error, or what was done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFlash {
    /// `answer`, or the answer id whose change/remove form it was.
    pub form: String,
    pub error: Option<crate::error::AppError>,
    pub done: Option<Done>,
    pub status: String,
    pub reason: String,
    pub selected: Vec<i64>,
}

/// What a staff action did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Done {
    Published(usize),
    Changed,
    Removed,
}

/// The staff page: a page of contributions, the answers given, and a kept form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAnswersPage {
    pub org_name: String,
    pub title: String,
    pub path: String,
    pub filter: Filter,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub items: Vec<StaffItem>,
    pub answers: Vec<AnswerDetail>,
    pub flash: Option<StaffFlash>,
}

/// The public "Abwägung" of a consultation: its answers by status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAnswers {
    pub org_name: String,
    pub title: String,
    pub path: String,
    /// Per status (in the order of `AnswerStatus::ALL`, only those with answers): how many
    /// contributions got it, and the answers.
    pub groups: Vec<(AnswerStatus, i64, Vec<AnswerDetail>)>,
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

    #[test]
    fn filters_round_trip_and_unknown_ones_show_all() {
        for f in [Filter::All, Filter::Unanswered, Filter::Answered]
            .into_iter()
            .chain(AnswerStatus::ALL.map(Filter::Status))
        {
            assert_eq!(Filter::parse(f.as_str()), f);
        }
        assert_eq!(Filter::parse("'; DROP TABLE x"), Filter::All);
    }
}
