//! Consultations: what a municipality puts up for public participation, and its lifecycle.

pub mod api;
pub mod documents;
pub mod editor;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod revisions;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::comment::{Comment, FormFlash};
use crate::i18n::Texts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    /// Published, but its participation window has not begun: only staff see it. Never stored —
    /// a stored `open` before its `opens_at` (see [`Status::effective`]).
    Scheduled,
    Open,
    Closed,
    ResultsPublished,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
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
            Status::Scheduled => t.status_scheduled,
            Status::Open => t.status_open,
            Status::Closed => t.status_closed,
            Status::ResultsPublished => t.status_results,
        }
    }
}

impl Status {
    /// The phase a consultation is in at `now`: staff publish it (stored `open`) and close it or
    /// publish results by action; the dates move a published one from scheduled to open to closed.
    pub fn effective(
        stored: Status,
        opens_at: Option<i64>,
        closes_at: Option<i64>,
        now: i64,
    ) -> Status {
        match stored {
            Status::Open if opens_at.is_some_and(|t| now < t) => Status::Scheduled,
            Status::Open if closes_at.is_some_and(|t| t <= now) => Status::Closed,
            other => other,
        }
    }

    /// Only drafts and scheduled consultations are hidden from the public.
    pub fn is_public(self) -> bool {
        !matches!(self, Status::Draft | Status::Scheduled)
    }
}

/// What staff can do to move a consultation along its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhaseAction {
    /// Draft → published: scheduled or open, as its window says.
    Publish,
    /// Scheduled → draft again (never once participation has begun).
    Unpublish,
    /// Open → closed now, before the window ends.
    Close,
    /// Closed → results published.
    PublishResults,
}

impl PhaseAction {
    pub const ALL: [PhaseAction; 4] = [
        PhaseAction::Publish,
        PhaseAction::Unpublish,
        PhaseAction::Close,
        PhaseAction::PublishResults,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhaseAction::Publish => "publish",
            PhaseAction::Unpublish => "unpublish",
            PhaseAction::Close => "close",
            PhaseAction::PublishResults => "publish_results",
        }
    }

    pub fn parse(s: &str) -> Option<PhaseAction> {
        PhaseAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The phase it may start from (effective status).
    pub fn from(self) -> Status {
        match self {
            PhaseAction::Publish => Status::Draft,
            PhaseAction::Unpublish => Status::Scheduled,
            PhaseAction::Close => Status::Open,
            PhaseAction::PublishResults => Status::Closed,
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            PhaseAction::Publish => t.action_publish,
            PhaseAction::Unpublish => t.action_unpublish,
            PhaseAction::Close => t.action_close,
            PhaseAction::PublishResults => t.action_publish_results,
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

/// When a consultation's results (votes, questionnaire answers) are public. Part of the rules that
/// protect fairness: fixed once participation has begun.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResultsVisibility {
    /// Visible during participation.
    Live,
    /// Visible once participation has closed.
    Closed,
    /// Visible only once staff publish the results.
    #[default]
    Published,
}

impl ResultsVisibility {
    pub const ALL: [ResultsVisibility; 3] = [
        ResultsVisibility::Published,
        ResultsVisibility::Closed,
        ResultsVisibility::Live,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResultsVisibility::Live => "live",
            ResultsVisibility::Closed => "closed",
            ResultsVisibility::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<ResultsVisibility> {
        ResultsVisibility::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            ResultsVisibility::Live => t.results_live,
            ResultsVisibility::Closed => t.results_after_close,
            ResultsVisibility::Published => t.results_when_published,
        }
    }

    /// Whether the results are public in this phase.
    pub fn is_public_in(self, status: Status) -> bool {
        match self {
            ResultsVisibility::Live => status.is_public(),
            ResultsVisibility::Closed => {
                matches!(status, Status::Closed | Status::ResultsPublished)
            }
            ResultsVisibility::Published => status == Status::ResultsPublished,
        }
    }
}

/// A section of the body (a heading): its anchor (`md-…`), its text, and how many published
/// comments are about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub comments: i64,
}

/// A file of a consultation (its picture or a document) as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub url: String,
    /// The uploader's file name: shown escaped, offered on download.
    pub name: String,
    pub mime: String,
    pub size_bytes: i64,
    /// The picture's alternative text (documents: empty).
    pub alt: String,
}

impl FileView {
    /// "PDF, 1.2 MB" / "PDF, 1,2 MB".
    pub fn kind_and_size(&self, lang: crate::i18n::Lang) -> String {
        let kind = match self.mime.as_str() {
            "application/pdf" => "PDF",
            "image/png" => "PNG",
            "image/jpeg" => "JPEG",
            "image/webp" => "WebP",
            _ => "",
        };
        let size = if self.size_bytes >= 1024 * 1024 {
            format!("{:.1} MB", self.size_bytes as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} KB", (self.size_bytes + 1023) / 1024)
        };
        let size = match lang {
            crate::i18n::Lang::De => size.replace('.', ","),
            _ => size,
        };
        format!("{kind}, {size}")
    }
}

/// How many consultations a list page shows.
pub const PAGE_SIZE: i64 = 20;

/// The filters of the consultation list (all from the query string, so they work without JS).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub q: String,
    /// `open`, `closed`, `results`, `all`; empty: open ones, or all when searching.
    pub status: String,
    pub topic: String,
    /// An organisation's slug: its consultations and those of the organisations below it.
    pub org: String,
    /// 1-based.
    pub page: i64,
}

impl Filter {
    /// The status filter in effect (an allow-list; anything else counts as the default).
    pub fn status_in_effect(&self) -> &'static str {
        match self.status.as_str() {
            "open" => "open",
            "closed" => "closed",
            "results" => "results",
            "all" => "all",
            _ if self.q.trim().is_empty() => "open",
            _ => "all",
        }
    }

    /// The query string of this filter on another page (for paging links).
    pub fn query_for_page(&self, page: i64) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("status", &self.status),
            ("topic", &self.topic),
            ("org", &self.org),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", crate::account::api::encode_query(v)));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/".to_string()
        } else {
            format!("/?{}", parts.join("&"))
        }
    }
}

/// One page of a filtered list, with what the filter form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub items: Vec<ConsultationCard>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub topics: Vec<String>,
    pub organisations: Vec<(String, String)>,
    /// Every open public consultation that has an area (whatever the filter), for the map.
    pub map: Vec<MapMarker>,
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

/// What a consultation page says besides its text: plain-language summary, topic, office.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct About {
    pub plain_summary: String,
    pub topic: String,
    pub office: String,
    pub contact: String,
}

/// The public consultation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationPage {
    pub card: ConsultationCard,
    /// Sanitised when the body was written; rendered as is.
    pub body_html: String,
    pub about: About,
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
    /// Not public yet (draft, scheduled): shown to its organisation's staff only.
    pub staff_preview: bool,
    pub image: Option<FileView>,
    pub attachments: Vec<FileView>,
    pub sections: Vec<Section>,
    /// When the text was last corrected after publication (the changes page shows what changed).
    pub last_change: Option<i64>,
    pub results_visibility: ResultsVisibility,
    pub place: Place,
    /// Participants may object to comments, not only support them.
    pub downvotes: bool,
    /// Which page of the threads in which order `comments` is.
    pub paging: crate::comment::Paging,
    /// Every pinned comment (all pages), for the map.
    pub pins: Vec<(i64, crate::geo::LatLon)>,
}

/// Where a consultation is: described in words, and as an area on the map (see `crate::geo`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub location: String,
    pub area: Option<crate::geo::Area>,
}

/// One open consultation on the home page's map: a marker at the centre of its area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapMarker {
    pub path: String,
    pub title: String,
    pub org_name: String,
    pub at: crate::geo::LatLon,
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

    #[test]
    fn dates_move_a_published_consultation_through_its_phases() {
        let (opens, closes) = (Some(100), Some(200));
        assert_eq!(
            Status::effective(Status::Open, opens, closes, 99),
            Status::Scheduled
        );
        assert_eq!(
            Status::effective(Status::Open, opens, closes, 100),
            Status::Open
        );
        assert_eq!(
            Status::effective(Status::Open, opens, closes, 200),
            Status::Closed
        );
        assert_eq!(
            Status::effective(Status::Draft, opens, closes, 150),
            Status::Draft
        );
        assert_eq!(
            Status::effective(Status::ResultsPublished, opens, closes, 150),
            Status::ResultsPublished
        );
        assert!(!Status::Scheduled.is_public() && !Status::Draft.is_public());
        assert!(Status::Closed.is_public());
    }
}
