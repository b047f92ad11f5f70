-- Reply notifications: opt-in per account, mailed at once or as a daily digest, each mail with a
-- one-click unsubscribe link.
--
-- notification_settings: one row per account that ever chose (no row = off). lang: the language
-- the account chose it in, for the mails. last_digest_at: when the account's last digest was
-- claimed; the compare-and-set on it lets exactly one app instance send a day's digest.
CREATE TABLE notification_settings (
    user_id        INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    replies        TEXT NOT NULL DEFAULT 'off' CHECK (replies IN ('off', 'immediate', 'daily')),
    lang           TEXT NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en')),
    last_digest_at INTEGER,
    updated_at     INTEGER NOT NULL
);

-- One row per reply that notifies someone (a reply answers one comment, so one recipient): the
-- primary key keeps a reply from notifying twice. sent_at NULL: queued for the digest; rows that
-- were sent are kept 30 days for that check, then removed.
CREATE TABLE reply_notifications (
    reply_id          INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
    recipient_user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    queued_at         INTEGER NOT NULL,
    sent_at           INTEGER
);
CREATE INDEX reply_notifications_recipient ON reply_notifications (recipient_user_id, sent_at);

-- The unsubscribe links of the mails: SHA-256 of a random token; it can only turn the account's
-- reply notifications off (it signs nobody in).
CREATE TABLE unsubscribe_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX unsubscribe_tokens_user ON unsubscribe_tokens (user_id);
CREATE INDEX unsubscribe_tokens_expiry ON unsubscribe_tokens (expires_at);
