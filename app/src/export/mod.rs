//! Exports of a consultation for its staff (and `mitreden export`): contributions, questionnaire
//! responses and support votes as CSV, XLSX, JSON (one array or JSON lines) and GeoJSON (the
//! area and the map pins). Rows stream from the database to the client: memory stays the same
//! whether a consultation has a hundred contributions or a quarter of a million. Participants
//! appear under a pseudonymous id per consultation unless personal data is asked for; every
//! export goes into the audit log.

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod encode;
#[cfg(feature = "ssr")]
pub mod rows;
#[cfg(feature = "ssr")]
pub mod run;
pub mod views;
#[cfg(feature = "ssr")]
pub mod xlsx;

use serde::{Deserialize, Serialize};

/// What is exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Comments and replies with thread, section, map point, support, moderation status and the
    /// official answer.
    Contributions,
    /// Questionnaire answers, one row per answer (chosen option, value, rank or text).
    Responses,
    /// Support votes on contributions.
    Votes,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Contributions, Kind::Responses, Kind::Votes];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contributions => "contributions",
            Kind::Responses => "responses",
            Kind::Votes => "votes",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// The file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    /// JSON lines: one object per line.
    Jsonl,
    /// The consultation's area and the pinned contributions.
    Geojson,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Csv,
        Format::Xlsx,
        Format::Json,
        Format::Jsonl,
        Format::Geojson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Geojson => "geojson",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Jsonl => "application/jsonl; charset=utf-8",
            Format::Geojson => "application/geo+json",
        }
    }

    /// XLSX holds every kind (one sheet each) and GeoJSON the pinned contributions; the others
    /// hold the one kind asked for.
    pub fn kind_of(self, asked: Kind) -> Option<Kind> {
        match self {
            Format::Xlsx => None,
            Format::Geojson => Some(Kind::Contributions),
            _ => Some(asked),
        }
    }
}

/// The CSV separator: `,` by the standard, `;` for spreadsheets with German settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Separator {
    #[default]
    Comma,
    Semicolon,
}

impl Separator {
    pub fn parse(s: &str) -> Option<Separator> {
        match s.trim() {
            "" | "," | "comma" => Some(Separator::Comma),
            ";" | "semicolon" => Some(Separator::Semicolon),
            _ => None,
        }
    }

    pub fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
        }
    }
}

/// One export as asked for (from the staff form's query or the command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub kind: Kind,
    pub format: Format,
    pub separator: Separator,
    /// Display names of the participants beside their pseudonymous ids (organisation admins only).
    pub personal: bool,
}

/// Why an export request is refused before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestError {
    Kind,
    Format,
    Separator,
}

impl Request {
    /// The request from raw values; empty ones take the defaults (contributions, CSV, comma).
    pub fn parse(
        kind: &str,
        format: &str,
        separator: &str,
        personal: &str,
    ) -> Result<Request, RequestError> {
        let kind = if kind.trim().is_empty() {
            Kind::Contributions
        } else {
            Kind::parse(kind).ok_or(RequestError::Kind)?
        };
        let format = if format.trim().is_empty() {
            Format::Csv
        } else {
            Format::parse(format).ok_or(RequestError::Format)?
        };
        let separator = Separator::parse(separator).ok_or(RequestError::Separator)?;
        let personal = matches!(personal.trim(), "1" | "on" | "true" | "yes");
        Ok(Request {
            kind,
            format,
            separator,
            personal,
        })
    }

    /// The download's file name: `{org}-{slug}-{kind}.{ext}` (all kinds for XLSX).
    pub fn file_name(&self, org: &str, slug: &str) -> String {
        let what = match self.format.kind_of(self.kind) {
            Some(k) => k.as_str(),
            None => "export",
        };
        format!("{org}-{slug}-{what}.{}", self.format.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_from_an_allow_list_with_defaults() {
        let r = Request::parse("", "", "", "").unwrap();
        assert_eq!(r.kind, Kind::Contributions);
        assert_eq!(r.format, Format::Csv);
        assert_eq!(r.separator, Separator::Comma);
        assert!(!r.personal);
        let r = Request::parse("votes", "jsonl", ";", "1").unwrap();
        assert_eq!(
            (r.kind, r.format, r.separator, r.personal),
            (Kind::Votes, Format::Jsonl, Separator::Semicolon, true)
        );
        assert_eq!(
            Request::parse("users", "csv", "", ""),
            Err(RequestError::Kind)
        );
        assert_eq!(
            Request::parse("votes", "pdf", "", ""),
            Err(RequestError::Format)
        );
        assert_eq!(
            Request::parse("votes", "csv", "|", ""),
            Err(RequestError::Separator)
        );
        assert_eq!(
            r.file_name("musterstadt", "altstadt"),
            "musterstadt-altstadt-votes.jsonl"
        );
        let x = Request::parse("votes", "xlsx", "", "").unwrap();
        assert_eq!(
            x.file_name("musterstadt", "altstadt"),
            "musterstadt-altstadt-export.xlsx"
        );
    }
}
