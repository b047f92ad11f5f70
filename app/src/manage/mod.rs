//! The staff area (`/manage`): each staff member reaches the organisations they serve; an
//! organisation's admins edit its profile and staff, its initiators its consultations' rules.

pub mod api;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::account::api::FormDraft;
use crate::account::Role;
use crate::consultation::ConsultationCard;
use crate::organisation::api::StaffMember;
use crate::organisation::OrganisationContact;
use crate::participation::Rule;

/// An organisation as a staff member sees it in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationEntry {
    pub slug: String,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The start page of the staff area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManageHome {
    pub organisations: Vec<OrganisationEntry>,
    pub instance_admin: bool,
    /// What a no-JavaScript post of the "new organisation" form left.
    pub kept: Option<FormDraft>,
}

/// One organisation's staff page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedOrganisation {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub contact: OrganisationContact,
    /// The logo's URL path, or empty.
    pub logo: String,
    /// Organisation admin here (or instance admin): edits the profile and the staff.
    pub is_admin: bool,
    /// Initiator here (or instance admin): sets participation rules, makes access codes.
    pub is_initiator: bool,
    /// All consultations, drafts included, with their participation rule.
    pub consultations: Vec<(ConsultationCard, Rule)>,
    /// Only for admins.
    pub staff: Vec<StaffMember>,
    /// What a no-JavaScript post of one of the page's forms left (`form` says which).
    pub kept: Option<FormDraft>,
}

pub const MAX_ORG_NAME_CHARS: usize = 120;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_URL_CHARS: usize = 500;

/// A web address for a link on a public page: empty, or http(s) and not too long.
#[cfg(feature = "ssr")]
pub fn parse_web_address(
    field: crate::error::Field,
    raw: &str,
) -> Result<String, crate::error::AppError> {
    use crate::error::{AppError, Problem};
    let url = raw.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let count = url.chars().count();
    if count > MAX_URL_CHARS {
        return Err(AppError::invalid(
            field,
            Problem::TooLong {
                max: MAX_URL_CHARS,
                actual: count,
            },
        ));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(url.to_string())
        }
        _ => Err(AppError::invalid(field, Problem::InvalidUrl)),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::error::Field;

    #[test]
    fn only_http_addresses_are_kept() {
        assert_eq!(
            parse_web_address(Field::Website, " https://musterstadt.de/impressum ").unwrap(),
            "https://musterstadt.de/impressum"
        );
        assert_eq!(parse_web_address(Field::Website, "").unwrap(), "");
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "https:///x",
            "ftp://x.de",
            "https://a b.de",
            "musterstadt.de",
        ] {
            assert!(parse_web_address(Field::Website, bad).is_err(), "{bad}");
        }
    }
}
