//! Passwords: argon2id hashes (PHC strings with their parameters), and the rules a new password
//! must meet.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::AppError;

/// Hashes with argon2id and the OWASP-recommended default parameters (19 MiB, 2 passes).
pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

const DUMMY: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Gp8ZYHUpmKmEJEKD3zYRfoZHD6C0ikzCfz+f8C0SSCo";
#[cfg(test)]
const DUMMY_FOR_TESTS: &str = DUMMY;

/// Checks a password against a stored hash. Without a stored hash (unknown account) a dummy hash
/// is checked instead, so that the answer takes as long either way.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (DUMMY, false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verifiable() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "same salt twice");
        assert!(verify("correct horse battery", Some(&a)));
        assert!(!verify("correct horse batterY", Some(&a)));
        assert!(!verify("anything", None));
        // The dummy must be a real hash, or unknown accounts would answer faster.
        assert!(PasswordHash::new(DUMMY_FOR_TESTS).is_ok());
    }
}

/// The 10,000 most common passwords, lower-case and sorted (see app/data/README.md).
const COMMON: &str = include_str!("../../data/common-passwords.txt");

/// Whether a password is on the common-passwords list (case-insensitive).
pub fn is_common(password: &str) -> bool {
    let needle = password.to_lowercase();
    // The file is sorted bytewise (LC_ALL=C), which is how str compares.
    let lines: Vec<&str> = COMMON.lines().collect();
    lines.binary_search(&needle.as_str()).is_ok()
}

/// The rules for a new password: 10 to 128 characters, not a common password, not the e-mail
/// address or display name.
pub fn check_new(password: &str, email: &str, display_name: &str) -> Result<(), AppError> {
    use super::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
    use crate::error::{Field, Problem};
    let count = password.chars().count();
    if count == 0 {
        return Err(AppError::invalid(Field::Password, Problem::Empty));
    }
    if count < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            Field::Password,
            Problem::TooShort {
                min: MIN_PASSWORD_CHARS,
                actual: count,
            },
        ));
    }
    if count > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(
            Field::Password,
            Problem::TooLong {
                max: MAX_PASSWORD_CHARS,
                actual: count,
            },
        ));
    }
    let lower = password.to_lowercase();
    if is_common(password)
        || lower == email.to_lowercase()
        || (!display_name.is_empty() && lower == display_name.to_lowercase())
    {
        return Err(AppError::invalid(Field::Password, Problem::CommonPassword));
    }
    Ok(())
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn the_common_list_is_sorted_and_found() {
        let lines: Vec<&str> = COMMON.lines().collect();
        assert_eq!(lines.len(), 10_000);
        assert!(
            lines.windows(2).all(|w| w[0] < w[1]),
            "list must be sorted for binary search"
        );
        assert!(is_common("password"));
        assert!(is_common("PassWord"));
        assert!(is_common("1234567890"));
        assert!(!is_common("Lindenpark-Rutsche-2026"));
    }

    #[test]
    fn new_passwords_follow_the_rules() {
        assert!(check_new("kurz", "a@b.de", "A").is_err());
        assert!(check_new(&"x".repeat(129), "a@b.de", "A").is_err());
        assert!(check_new("1234567890", "a@b.de", "A").is_err());
        assert!(check_new("anna@example.org", "Anna@example.org", "A").is_err());
        assert!(check_new("Lindenpark-Rutsche-2026", "a@b.de", "A").is_ok());
        assert!(
            check_new(&"ü".repeat(10), "a@b.de", "A").is_ok(),
            "length counts characters"
        );
    }
}
