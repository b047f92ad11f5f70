//! Who may take part in a consultation, and how people get there: a verified account, a sign-in
//! link by e-mail (no password), or a printed one-time access code (one code, one participant).

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::i18n::Texts;

/// A consultation's participation rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Anyone with a registered account (password) whose e-mail address is confirmed.
    #[default]
    Account,
    /// Anyone who confirms an e-mail address through a sign-in link; no password needed.
    Email,
    /// Holders of a one-time access code the municipality printed and distributed.
    Code,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::Account, Rule::Email, Rule::Code];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Account => "account",
            Rule::Email => "email",
            Rule::Code => "code",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Rule::Account => t.rule_account,
            Rule::Email => t.rule_email,
            Rule::Code => t.rule_code,
        }
    }
}

/// Most access codes made at once (a street's households, a printable batch).
pub const MAX_CODES_PER_BATCH: usize = 500;

/// The letters access codes are made of: no 0/O, 1/I/L, so that printed codes read unambiguously.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 12;

/// An access code as typed: spaces, dashes and case do not matter.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A new access code, printed in groups of four (`ABCD-EFGH-JKMN`): about 59 bits of chance.
#[cfg(feature = "ssr")]
pub fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let raw: String = (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// Whether a typed value can be one of our codes at all (saves a database look-up).
pub fn is_code_shaped(normalised: &str) -> bool {
    normalised.len() == CODE_LEN && normalised.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// What the consultation page tells a visitor about taking part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub rule: Rule,
    /// The visitor may write here now (window aside).
    pub may_participate: bool,
    /// Signed in at all (with any kind of account).
    pub signed_in: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip() {
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.as_str()), Some(r));
        }
        assert_eq!(Rule::parse("everyone"), None);
    }

    #[test]
    fn codes_are_forgiving_to_type() {
        assert_eq!(normalise_code(" abcd-efgh jkmn "), "ABCDEFGHJKMN");
        assert!(is_code_shaped("ABCDEFGHJKMN"));
        assert!(!is_code_shaped("ABCDEFGHJKM0"), "0 is not in the alphabet");
        assert!(!is_code_shaped("ABC"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn new_codes_are_shaped_and_differ() {
        let a = new_code();
        let b = new_code();
        assert_eq!(a.len(), 14);
        assert!(is_code_shaped(&normalise_code(&a)), "{a}");
        assert_ne!(a, b);
    }
}
