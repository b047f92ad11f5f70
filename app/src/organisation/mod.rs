//! Organisations (municipalities, districts, a state): the tenants of an installation.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::consultation::ConsultationCard;

/// How people reach an organisation and where its legal pages are (empty = not given).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationContact {
    pub email: String,
    pub website: String,
    pub imprint: String,
    pub privacy: String,
}

impl OrganisationContact {
    pub fn is_empty(&self) -> bool {
        self.email.is_empty()
            && self.website.is_empty()
            && self.imprint.is_empty()
            && self.privacy.is_empty()
    }
}

/// A web address safe to link: http(s) only.
pub fn linkable(url: &str) -> Option<&str> {
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationPage {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent: Option<(String, String)>,
    pub contact: OrganisationContact,
    /// The logo's URL path, or empty.
    pub logo: String,
    pub consultations: Vec<ConsultationCard>,
    /// Open consultations of the organisations below this one.
    pub from_below: Vec<ConsultationCard>,
}

/// Top-level paths that belong to the application, never to an organisation.
pub const RESERVED_SLUGS: &[&str] = &[
    "account",
    "admin",
    "api",
    "barrierefreiheit",
    "datenschutz",
    "favicon.svg",
    "healthz",
    "impressum",
    "login",
    "manage",
    "media",
    "metrics",
    "moderation",
    "notifications",
    "password",
    "pkg",
    "register",
    "robots.txt",
    "vendor",
    "verify",
];

/// An organisation's short name in URLs: 2 to 50 of `a-z`, `0-9`, `-`, not reserved.
#[cfg(feature = "ssr")]
pub fn parse_slug(raw: &str) -> Result<String, crate::error::AppError> {
    use crate::error::{AppError, Field, Problem};
    let slug = raw.trim().to_string();
    let ok = (2..=50).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !RESERVED_SLUGS.contains(&slug.as_str());
    if ok {
        Ok(slug)
    } else {
        Err(AppError::invalid(Field::Slug, Problem::InvalidSlug))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn slugs_are_url_safe_and_never_reserved() {
        assert_eq!(super::parse_slug(" musterstadt ").unwrap(), "musterstadt");
        for bad in [
            "a",
            "Musterstadt",
            "muster stadt",
            "-x",
            "login",
            "api",
            "../etc",
            "straße",
        ] {
            assert!(super::parse_slug(bad).is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod link_tests {
    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            super::linkable("https://musterstadt.example"),
            Some("https://musterstadt.example")
        );
        assert_eq!(super::linkable("javascript:alert(1)"), None);
        assert_eq!(super::linkable("data:text/html,x"), None);
        assert_eq!(super::linkable(""), None);
    }
}
