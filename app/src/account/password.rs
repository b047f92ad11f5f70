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
