//! The consultation editor's rules: what each field may hold, and dates in Europe/Berlin.

use serde::{Deserialize, Serialize};

use crate::account::api::FormDraft;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 500;
pub const MAX_PLAIN_SUMMARY_CHARS: usize = 2000;
pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_TOPIC_CHARS: usize = 80;
pub const MAX_OFFICE_CHARS: usize = 200;
pub const MAX_CONTACT_CHARS: usize = 300;
pub const MAX_CHANGE_NOTE_CHARS: usize = 300;
pub const MAX_LOCATION_CHARS: usize = 300;
/// The area's text: room for `crate::geo::MAX_VERTICES` lines of coordinates (or GeoJSON).
pub const MAX_AREA_CHARS: usize = 40_000;

/// The names of the editor's fields, in form order (also the keys of its kept values).
pub const FIELDS: &[&str] = &[
    "slug",
    "title",
    "summary",
    "plain_summary",
    "body",
    "topic",
    "office",
    "contact",
    "opens_at",
    "closes_at",
    "moderation",
    "report_threshold",
    "rule",
    "results",
    "votes",
    "change_note",
    "location",
    "area",
    "edit_version",
];

/// How many reports from different people hide a contribution pending review: the bounds and
/// the default (the database's CHECK holds the same bounds).
pub const REPORT_THRESHOLD_MIN: usize = 1;
pub const REPORT_THRESHOLD_MAX: usize = 100;
pub const REPORT_THRESHOLD_DEFAULT: i64 = 3;

/// The report threshold as typed: empty means the default; otherwise a whole number in bounds.
pub fn parse_report_threshold(raw: &str) -> Result<i64, crate::error::AppError> {
    use crate::error::{AppError, Field, Problem};
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(REPORT_THRESHOLD_DEFAULT);
    }
    raw.parse::<usize>()
        .ok()
        .filter(|n| (REPORT_THRESHOLD_MIN..=REPORT_THRESHOLD_MAX).contains(n))
        .map(|n| n as i64)
        .ok_or(AppError::invalid(
            Field::ReportThreshold,
            Problem::OutOfRange {
                min: REPORT_THRESHOLD_MIN,
                max: REPORT_THRESHOLD_MAX,
            },
        ))
}

/// What the editor page shows: the stored consultation or what a failed post kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorPage {
    pub org_slug: String,
    pub org_name: String,
    /// The consultation's slug as stored ('' for a new one).
    pub original: String,
    pub status: Option<super::Status>,
    /// Participation has begun: the rule and the address no longer change.
    pub fixed: bool,
    pub values: FormDraft,
    /// The stored consultation's picture and documents (a new one has none yet).
    pub image: Option<super::FileView>,
    pub attachments: Vec<super::FileView>,
    /// What the last no-JavaScript post of a file form left (which form, error, done).
    pub files_flash: Option<FormDraft>,
}

/// A `datetime-local` value (`2026-12-01T18:00`) read as Europe/Berlin time: unix seconds.
pub fn parse_berlin_local(raw: &str) -> Option<i64> {
    let (date, time) = raw.trim().split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (t.next()??, t.next()??);
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&min)
    {
        return None;
    }
    let naive =
        crate::i18n::days_from_civil(y, m as u32, day as u32) * 86_400 + h * 3600 + min * 60;
    // Winter time first; if that instant falls into summer time, the clock read one hour more.
    let winter = naive - 3600;
    let unix = if crate::i18n::is_berlin_summer_time(winter - 3600) {
        naive - 7200
    } else {
        winter
    };
    // Reject dates that do not exist (31 February) by a round trip.
    (format_berlin_local(unix) == format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}")).then_some(unix)
}

/// Unix seconds as a `datetime-local` value in Europe/Berlin.
pub fn format_berlin_local(unix: i64) -> String {
    let offset = if crate::i18n::is_berlin_summer_time(unix) {
        7200
    } else {
        3600
    };
    let local = unix + offset;
    let (y, m, d) = crate::i18n::civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_thresholds_are_whole_numbers_from_one_to_a_hundred() {
        assert_eq!(parse_report_threshold(""), Ok(3));
        assert_eq!(parse_report_threshold(" 7 "), Ok(7));
        assert_eq!(parse_report_threshold("100"), Ok(100));
        for bad in ["0", "101", "-1", "3.5", "drei"] {
            assert!(parse_report_threshold(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn berlin_local_times_round_trip_in_winter_and_summer() {
        // 1 Dec 2026 18:00 CET = 17:00 UTC; 1 Jul 2026 18:00 CEST = 16:00 UTC.
        assert_eq!(parse_berlin_local("2026-12-01T18:00"), Some(1_796_144_400));
        assert_eq!(parse_berlin_local("2026-07-01T18:00"), Some(1_782_921_600));
        for v in [
            "2026-12-01T18:00",
            "2026-07-01T18:00",
            "2027-03-28T03:30",
            "2026-10-25T12:00",
        ] {
            assert_eq!(format_berlin_local(parse_berlin_local(v).unwrap()), v);
        }
        for bad in [
            "",
            "2026-02-31T10:00",
            "2026-13-01T10:00",
            "morgen",
            "2026-12-01 18:00",
            "2026-12-01T25:00",
        ] {
            assert_eq!(parse_berlin_local(bad), None, "{bad}");
        }
    }
}
