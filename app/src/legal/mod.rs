//! What a public body must publish and must delete: the instance's accessibility statement
//! (`/barrierefreiheit`, with the form to report a barrier), privacy policy (`/datenschutz`, with
//! the retention periods generated from the settings) and imprint (`/impressum`), edited as
//! Markdown by instance admins at `/admin`; barrier reports with their six-week answer period;
//! and retention (`mitreden retention`, also a daily job of `mitreden serve`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod retention;
pub mod templates;
pub mod texts;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::account::api::FormDraft;
use crate::audit::Record;

/// The three instance pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    Accessibility,
    Privacy,
    Imprint,
}

impl PageKind {
    pub const ALL: [PageKind; 3] = [
        PageKind::Accessibility,
        PageKind::Privacy,
        PageKind::Imprint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Accessibility => "accessibility",
            PageKind::Privacy => "privacy",
            PageKind::Imprint => "imprint",
        }
    }

    pub fn parse(s: &str) -> Option<PageKind> {
        PageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The page's address (fixed by the contract, German in every language).
    pub fn path(self) -> &'static str {
        match self {
            PageKind::Accessibility => "/barrierefreiheit",
            PageKind::Privacy => "/datenschutz",
            PageKind::Imprint => "/impressum",
        }
    }

    pub fn title(self, t: &texts::LegalTexts) -> &'static str {
        match self {
            PageKind::Accessibility => t.accessibility_title,
            PageKind::Privacy => t.privacy_title,
            PageKind::Imprint => t.imprint_title,
        }
    }
}

/// Most characters of a legal page's Markdown.
pub const MAX_PAGE_CHARS: usize = 50_000;
/// Most characters of a barrier report's description and of its page address.
pub const MAX_REPORT_CHARS: usize = 5_000;
pub const MAX_REPORT_URL_CHARS: usize = 500;
/// Most characters of the note staff keep when they mark a report answered.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The law (BITV 2.0 § 7 with § 12b BGG) expects an answer within six weeks.
pub const ANSWER_DAYS: i64 = 42;
/// Default months after a consultation's end during which participants' personal data is kept.
pub const DEFAULT_RETENTION_MONTHS: i64 = 12;
pub const MAX_RETENTION_MONTHS: i64 = 120;
/// Accounts whose address was never confirmed are removed after this many days.
pub const UNVERIFIED_DAYS: i64 = 30;
/// A barrier report's contact address is removed this many days after it was answered.
pub const CONTACT_DAYS: i64 = 30;
/// Rate-limit counters and failed-login counts (hashed keys) are removed after a day.
pub const RATE_KEY_HOURS: i64 = 24;

/// A legal page as a reader sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegalPage {
    pub kind: PageKind,
    /// Sanitised HTML of the page's Markdown.
    pub html: String,
    /// The language the text is written in (the German text stands in for a missing English one).
    pub text_lang: String,
    /// When an admin last saved it; `None` for the built-in template.
    pub updated_at: Option<i64>,
    /// The privacy policy's generated part.
    pub retention: Option<RetentionFacts>,
    /// The barrier report form's kept input (accessibility statement only).
    pub kept: Option<FormDraft>,
    /// Whether the reader may edit it (an instance admin).
    pub can_edit: bool,
}

/// The retention periods as configured now (the privacy policy prints them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionFacts {
    pub months: i64,
    /// Consultations with a shorter period of their own: (title, path, months).
    pub shorter: Vec<(String, String, i64)>,
    pub daily_job: bool,
    pub unverified_days: i64,
    pub contact_days: i64,
    pub rate_key_hours: i64,
    pub session_idle_hours: i64,
    pub session_max_days: i64,
}

/// The instance settings an admin changes at `/admin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSettings {
    pub retention_months: i64,
    /// Whether `mitreden serve` runs retention once a day.
    pub retention_job: bool,
}

impl Default for InstanceSettings {
    fn default() -> Self {
        InstanceSettings {
            retention_months: DEFAULT_RETENTION_MONTHS,
            retention_job: true,
        }
    }
}

/// A barrier report as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarrierReport {
    pub id: i64,
    pub page_url: String,
    pub description: String,
    /// `None` when none was given or retention removed it.
    pub contact_email: Option<String>,
    pub lang: String,
    pub answered: bool,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub answered_by: String,
    pub answer_note: String,
}

impl BarrierReport {
    /// Open and older than the six weeks the law gives for an answer.
    pub fn overdue(&self, now: i64) -> bool {
        !self.answered && now - self.created_at > ANSWER_DAYS * 86_400
    }

    /// Whole days since it came in.
    pub fn age_days(&self, now: i64) -> i64 {
        (now - self.created_at).max(0) / 86_400
    }
}

/// The instance admin's page: the pages, the settings, the reports' counts, the instance's audit
/// entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub settings: InstanceSettings,
    /// (kind, last saved) of each page.
    pub pages: Vec<(PageKind, Option<i64>)>,
    pub open_reports: i64,
    pub overdue_reports: i64,
    pub audit: Vec<Record>,
    pub kept: Option<FormDraft>,
}

/// One page in the editor: the German and the English Markdown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSource {
    pub kind: PageKind,
    pub de: String,
    pub en: String,
    pub updated_at: Option<i64>,
    pub kept: Option<FormDraft>,
}

/// The staff list of barrier reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportList {
    pub reports: Vec<BarrierReport>,
    pub now: i64,
    pub kept: Option<FormDraft>,
}

/// Where a barrier report says the problem is: a path on this site or an http(s) address, as
/// typed (trimmed); an empty one is refused.
#[cfg(feature = "ssr")]
pub fn parse_page_url(raw: &str) -> Result<String, crate::error::AppError> {
    use crate::error::{AppError, Field, Problem};
    let url = crate::input::line(Field::PageUrl, raw, MAX_REPORT_URL_CHARS)?;
    let lower = url.to_ascii_lowercase();
    let local = url.starts_with('/') && !url.starts_with("//");
    let web = (lower.starts_with("https://") || lower.starts_with("http://")) && url.len() > 8;
    if (local || web) && !url.contains(char::is_whitespace) {
        Ok(url)
    } else {
        Err(AppError::invalid(Field::PageUrl, Problem::InvalidUrl))
    }
}

/// The footer's "from" value: the path of the page the reader is on (never its query, which may
/// hold a token).
pub fn report_link(path: &str) -> String {
    let path = if path.starts_with('/') { path } else { "/" };
    if path == PageKind::Accessibility.path() || path == "/" {
        format!("{}#melden", PageKind::Accessibility.path())
    } else {
        format!(
            "{}?from={}#melden",
            PageKind::Accessibility.path(),
            crate::account::api::encode_query(path)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn report_addresses_are_local_paths_or_web_addresses() {
        assert_eq!(parse_page_url(" /musterstadt ").unwrap(), "/musterstadt");
        assert!(parse_page_url("https://beteiligung.example/x").is_ok());
        assert!(parse_page_url("").is_err());
        assert!(parse_page_url("//evil.example").is_err());
        assert!(parse_page_url("javascript:alert(1)").is_err());
        assert!(parse_page_url("/a b").is_err());
    }

    #[test]
    fn the_footer_link_carries_the_path_only() {
        assert_eq!(
            report_link("/musterstadt/plan"),
            "/barrierefreiheit?from=/musterstadt/plan#melden"
        );
        assert_eq!(report_link("/"), "/barrierefreiheit#melden");
        assert_eq!(report_link("/barrierefreiheit"), "/barrierefreiheit#melden");
    }

    #[test]
    fn reports_are_overdue_after_six_weeks_unless_answered() {
        let mut r = BarrierReport {
            id: 1,
            page_url: "/".into(),
            description: "x".into(),
            contact_email: None,
            lang: "de".into(),
            answered: false,
            created_at: 0,
            answered_at: None,
            answered_by: String::new(),
            answer_note: String::new(),
        };
        assert!(!r.overdue(42 * 86_400));
        assert!(r.overdue(42 * 86_400 + 1));
        assert_eq!(r.age_days(43 * 86_400), 43);
        r.answered = true;
        assert!(!r.overdue(100 * 86_400));
    }
}
