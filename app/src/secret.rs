//! Random secrets for cookies and links: 256 bits, hex-encoded; only their SHA-256 is stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random token (64 hex characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores instead of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether a value from a cookie or form can be one of our tokens at all.
pub fn is_token_shaped(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashes_differ_from_them() {
        let a = random_token();
        assert!(is_token_shaped(&a));
        assert_ne!(a, random_token());
        assert_ne!(token_hash(&a), a);
        assert!(!is_token_shaped("abc"));
        assert!(!is_token_shaped(&"g".repeat(64)));
    }
}
