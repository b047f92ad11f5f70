//! Accounts: who someone is (e-mail, password, pseudonymous display name), their sessions and
//! their roles in organisations.

pub mod api;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod totp;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_EMAIL_CHARS: usize = 254;

/// What the pages know about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub is_instance_admin: bool,
    pub roles: Vec<Membership>,
    /// Signs in with a second factor (TOTP): required before any staff function works.
    pub two_factor: bool,
}

impl CurrentUser {
    /// Holds the role (or is an instance admin) — whether the second factor is set up or not.
    pub fn has_role(&self, organisation_id: i64, role: Role) -> bool {
        self.is_instance_admin
            || self
                .roles
                .iter()
                .any(|m| m.organisation_id == organisation_id && m.role == role)
    }

    pub fn is_staff(&self) -> bool {
        self.is_instance_admin || !self.roles.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub organisation_id: i64,
    pub organisation_slug: String,
    pub role: Role,
}

/// A staff role in one organisation; instance admins stand above all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    OrgAdmin,
    Initiator,
    Moderator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::OrgAdmin => "org_admin",
            Role::Initiator => "initiator",
            Role::Moderator => "moderator",
        }
    }

    /// The role's name for people, in their language.
    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            Role::OrgAdmin => t.role_org_admin,
            Role::Initiator => t.role_initiator,
            Role::Moderator => t.role_moderator,
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "org_admin" => Some(Role::OrgAdmin),
            "initiator" => Some(Role::Initiator),
            "moderator" => Some(Role::Moderator),
            _ => None,
        }
    }
}

/// An e-mail address, trimmed and lower-cased: one account per address whatever its spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, AppError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(AppError::invalid(Field::Email, Problem::Empty));
        }
        let count = email.chars().count();
        if count > MAX_EMAIL_CHARS {
            return Err(AppError::invalid(
                Field::Email,
                Problem::TooLong {
                    max: MAX_EMAIL_CHARS,
                    actual: count,
                },
            ));
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !email.chars().any(|c| {
                        c.is_whitespace()
                            || c.is_control()
                            || matches!(c, '<' | '>' | ',' | ';' | '"')
                    })
                    && !domain.contains('@')
            }
            None => false,
        };
        if !valid {
            return Err(AppError::invalid(Field::Email, Problem::InvalidEmail));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A public pseudonym: 3 to 40 characters of letters, digits, spaces, `.`, `-`, `_`; unique
/// regardless of case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, AppError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(AppError::invalid(Field::DisplayName, Problem::Empty));
        }
        let count = name.chars().count();
        let allowed = name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_'));
        if !(3..=40).contains(&count) || !allowed {
            return Err(AppError::invalid(
                Field::DisplayName,
                Problem::InvalidDisplayName,
            ));
        }
        Ok(DisplayName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A local path to return to after signing in; anything else (other hosts, `//evil`) becomes `/`.
pub fn safe_next(raw: &str) -> String {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && !raw.chars().any(|c| c.is_control() || c == '\\');
    if ok {
        raw.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Anna@Example.ORG ").unwrap().as_str(),
            "anna@example.org"
        );
        for bad in [
            "anna",
            "anna@",
            "@example.org",
            "anna@example",
            "an na@example.org",
            "a@b..de",
            "a@.de",
            "a@b@c.de",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            Email::parse(" "),
            Err(AppError::invalid(Field::Email, Problem::Empty))
        );
    }

    #[test]
    fn display_names_are_pseudonyms_of_reasonable_shape() {
        assert_eq!(
            DisplayName::parse("  Radler   42 ").unwrap().as_str(),
            "Radler 42"
        );
        assert!(DisplayName::parse("Jö").is_err());
        assert!(DisplayName::parse("<script>").is_err());
        assert!(DisplayName::parse(&"x".repeat(41)).is_err());
        assert!(DisplayName::parse("Müller-Lüdenscheidt").is_ok());
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(
            safe_next("/musterstadt/x?lang=en"),
            "/musterstadt/x?lang=en"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }
}
