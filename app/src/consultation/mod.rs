//! Consultations: what a municipality puts up for public participation, and its lifecycle.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::comment::{Comment, FormFlash};
use crate::i18n::Texts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Open,
    Closed,
    ResultsPublished,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::ResultsPublished => "results_published",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            "results_published" => Some(Status::ResultsPublished),
            _ => None,
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Status::Draft => t.status_draft,
            Status::Open => t.status_open,
            Status::Closed => t.status_closed,
            Status::ResultsPublished => t.status_results,
        }
    }
}

/// Whether contributions are published at once or after review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Moderation {
    Post,
    Pre,
}

impl Moderation {
    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::Post => "post",
            Moderation::Pre => "pre",
        }
    }

    pub fn parse(s: &str) -> Option<Moderation> {
        match s {
            "post" => Some(Moderation::Post),
            "pre" => Some(Moderation::Pre),
            _ => None,
        }
    }
}

/// What a list shows of a consultation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationCard {
    pub org_slug: String,
    pub org_name: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: Status,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
}

impl ConsultationCard {
    pub fn path(&self) -> String {
        format!("/{}/{}", self.org_slug, self.slug)
    }
}

/// The public consultation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationPage {
    pub card: ConsultationCard,
    /// Sanitised when the body was written; rendered as is.
    pub body_html: String,
    pub moderation: Moderation,
    /// Open and inside its time window: the comment form is shown.
    pub accepting: bool,
    pub comments: Vec<Comment>,
    /// What a no-JavaScript form post left for this page to show (text kept, errors, notices).
    pub flash: Option<FormFlash>,
    /// The signed-in reader's display name: their comments appear under it.
    pub viewer_name: Option<String>,
    /// The participation rule and whether this reader meets it.
    pub standing: crate::participation::Standing,
    /// What a no-JavaScript post of the sign-in-link or access-code form left for this page.
    pub gate_flash: Option<crate::account::api::FormDraft>,
}

/// Whether a consultation takes contributions at `now`.
pub fn is_accepting(
    status: Status,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
    now: i64,
) -> bool {
    status == Status::Open && opens_at.is_none_or(|t| t <= now) && closes_at.is_none_or(|t| now < t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_open_consultations_inside_their_window_accept_contributions() {
        assert!(is_accepting(Status::Open, None, None, 100));
        assert!(is_accepting(Status::Open, Some(100), Some(200), 100));
        assert!(!is_accepting(Status::Open, Some(101), None, 100));
        assert!(!is_accepting(Status::Open, None, Some(100), 100));
        assert!(!is_accepting(Status::Closed, None, None, 100));
        assert!(!is_accepting(Status::Draft, None, None, 100));
    }
}
