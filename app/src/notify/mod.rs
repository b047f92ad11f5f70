//! Notifications about replies: opt-in per account (off, at once, or a daily digest), mailed in
//! the recipient's language, every mail with a one-click unsubscribe link (RFC 8058).

pub mod api;
#[cfg(feature = "ssr")]
mod deliver;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub use deliver::{
    excerpt, permalink, reply_published, send_digests, unsubscribe, unsubscribe_link, DigestRun,
};

/// The unsubscribe link of every notification mail. Mail providers POST to it without an
/// `Origin` header (RFC 8058), so the CSRF guard lets exactly this path through: the token in it
/// is the authorisation, and it can do nothing but turn reply notifications off.
pub const UNSUBSCRIBE_PATH: &str = "/notifications/unsubscribe";

/// Where a mail's "notification settings" link leads.
pub const SETTINGS_PATH: &str = "/account#notifications";

/// How an account hears about replies to its comments. Off unless the person chooses otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyNotifications {
    #[default]
    Off,
    /// One mail per reply, right away.
    Immediate,
    /// One mail a day with all replies since the last one.
    Daily,
}

impl ReplyNotifications {
    pub const ALL: [ReplyNotifications; 3] = [
        ReplyNotifications::Off,
        ReplyNotifications::Immediate,
        ReplyNotifications::Daily,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReplyNotifications::Off => "off",
            ReplyNotifications::Immediate => "immediate",
            ReplyNotifications::Daily => "daily",
        }
    }

    pub fn parse(raw: &str) -> Option<ReplyNotifications> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw.trim())
    }

    /// The choice's label on the account page.
    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            ReplyNotifications::Off => t.notify_off,
            ReplyNotifications::Immediate => t.notify_immediate,
            ReplyNotifications::Daily => t.notify_daily,
        }
    }
}

/// What the account page shows about notifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    pub replies: ReplyNotifications,
    /// Whether official answers to the account's contributions are mailed (on by default).
    pub answers: bool,
    /// Whether the account has a confirmed e-mail address to write to (access-code participants
    /// have none).
    pub available: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_and_nothing_else_parses() {
        for m in ReplyNotifications::ALL {
            assert_eq!(ReplyNotifications::parse(m.as_str()), Some(m));
        }
        assert_eq!(ReplyNotifications::parse("weekly"), None);
        assert_eq!(ReplyNotifications::default(), ReplyNotifications::Off);
    }
}
