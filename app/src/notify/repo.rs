//! Notification queries: the settings, the replies that notify someone, the unsubscribe tokens,
//! and the atomic claims that let exactly one app instance send a digest.

use super::ReplyNotifications;
use crate::db::{now, Db};
use crate::i18n::Lang;
use crate::on_db;
use crate::secret::{is_token_shaped, random_token, token_hash};

/// How long an unsubscribe link works (people click them in old mails, too).
pub const UNSUBSCRIBE_LIFETIME_SECS: i64 = 180 * 24 * 3600;
/// How long a sent reply is remembered, so that it cannot notify twice.
pub const SENT_KEPT_SECS: i64 = 30 * 24 * 3600;

/// An account's choice and whether it has a confirmed address to write to; `None` for an
/// unknown or deleted account.
pub async fn settings(
    db: &Db,
    user_id: i64,
) -> Result<Option<(ReplyNotifications, bool)>, sqlx::Error> {
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, (Option<String>, Option<i64>, Option<String>)>(
            "SELECT u.email, u.email_verified_at, s.replies FROM users u \
             LEFT JOIN notification_settings s ON s.user_id = u.id \
             WHERE u.id = $1 AND u.deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(email, verified, replies)| {
        let replies = replies
            .as_deref()
            .and_then(ReplyNotifications::parse)
            .unwrap_or_default();
        (replies, email.is_some() && verified.is_some())
    }))
}

/// Stores an account's choice and the language its mails are to be in. Turning notifications
/// off drops what was queued for the digest.
pub async fn save(
    db: &Db,
    user_id: i64,
    replies: ReplyNotifications,
    lang: Lang,
) -> Result<(), sqlx::Error> {
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO notification_settings (user_id, replies, lang, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE \
             SET replies = excluded.replies, lang = excluded.lang, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(replies.as_str())
        .bind(lang.code())
        .bind(ts)
        .execute(&mut *tx)
        .await?;
        if replies == ReplyNotifications::Off {
            sqlx::query(DROP_QUEUED)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

/// Removes an account's queued (unsent) replies.
const DROP_QUEUED: &str =
    "DELETE FROM reply_notifications WHERE recipient_user_id = $1 AND sent_at IS NULL";

/// A visible reply together with who should hear of it and how.
#[derive(Debug, sqlx::FromRow)]
pub struct ReplyTarget {
    pub recipient_user_id: i64,
    pub email: String,
    pub replies: String,
    pub lang: String,
    pub author_name: String,
    pub body: String,
    pub consultation_title: String,
    pub consultation_slug: String,
    pub organisation_slug: String,
}

/// The recipient of a reply, in one query: the author of the comment it answers — if the reply
/// is published and not deleted, the author is someone else, the account is live with a
/// confirmed address, and it opted in.
pub async fn reply_target(db: &Db, reply_id: i64) -> Result<Option<ReplyTarget>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, ReplyTarget>(
            "SELECT p.author_user_id AS recipient_user_id, u.email, s.replies, s.lang, \
             r.author_name, r.body, k.title AS consultation_title, k.slug AS consultation_slug, \
             o.slug AS organisation_slug \
             FROM comments r \
             JOIN comments p ON p.id = r.parent_id \
             JOIN users u ON u.id = p.author_user_id \
             JOIN notification_settings s ON s.user_id = u.id \
             JOIN consultations k ON k.id = r.consultation_id \
             JOIN organisations o ON o.id = k.organisation_id \
             WHERE r.id = $1 AND r.status = 'published' AND r.deleted_at IS NULL \
             AND (r.author_user_id IS NULL OR r.author_user_id <> p.author_user_id) \
             AND u.deleted_at IS NULL AND u.email IS NOT NULL AND u.email_verified_at IS NOT NULL \
             AND s.replies <> 'off'",
        )
        .bind(reply_id)
        .fetch_optional(pool)
        .await
    })
}

/// Records that a reply notifies `recipient`: sent now (`sent`) or queued for the digest.
/// False when the reply was recorded before: a reply never notifies twice.
pub async fn record_reply(
    db: &Db,
    reply_id: i64,
    recipient: i64,
    sent: bool,
) -> Result<bool, sqlx::Error> {
    let ts = now();
    let inserted = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO reply_notifications (reply_id, recipient_user_id, queued_at, sent_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (reply_id) DO NOTHING",
        )
        .bind(reply_id)
        .bind(recipient)
        .bind(ts)
        .bind(sent.then_some(ts))
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(inserted == 1)
}

/// Puts a reply whose mail could not be sent back in the queue: the next digest carries it.
pub async fn requeue(db: &Db, reply_id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE reply_notifications SET sent_at = NULL WHERE reply_id = $1")
            .bind(reply_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// A fresh unsubscribe token for one mail to `user_id` (only its hash is stored).
pub async fn issue_unsubscribe_token(db: &Db, user_id: i64) -> Result<String, sqlx::Error> {
    let token = random_token();
    let ts = now();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO unsubscribe_tokens (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(ts)
        .bind(ts + UNSUBSCRIBE_LIFETIME_SECS)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(token)
}

/// Whether an unsubscribe token is known and unexpired (without using it).
pub async fn unsubscribe_token_is_valid(db: &Db, token: &str) -> Result<bool, sqlx::Error> {
    if !is_token_shaped(token) {
        return Ok(false);
    }
    let found = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT user_id FROM unsubscribe_tokens WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash(token))
        .bind(now())
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

/// Turns off the reply and answer notifications of the account a valid unsubscribe token was
/// issued to, and drops its queue; the account's id, or `None` for an unknown or expired token. The token
/// keeps working until it expires (a second click says "off" again, it changes nothing more).
pub async fn turn_off_by_token(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    if !is_token_shaped(token) {
        return Ok(None);
    }
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let user_id = sqlx::query_scalar::<_, i64>(
            // Every notification mail (replies, official answers) carries such a link, and an
            // account that never chose has no row yet: made here, with both kinds off.
            "INSERT INTO notification_settings (user_id, replies, answers, updated_at) \
             SELECT user_id, 'off', 0, $2 FROM unsubscribe_tokens \
             WHERE token_hash = $1 AND expires_at > $2 \
             ON CONFLICT (user_id) DO UPDATE SET replies = 'off', answers = 0, \
             updated_at = excluded.updated_at \
             RETURNING user_id",
        )
        .bind(token_hash(token))
        .bind(ts)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(user_id) = user_id {
            sqlx::query(DROP_QUEUED)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(user_id)
    })
}

/// Accounts with queued replies whose last digest is at least a day old (or who never had one),
/// with that last digest's time as the claim must find it.
pub async fn due_recipients(db: &Db, cutoff: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT s.user_id, COALESCE(s.last_digest_at, 0) FROM notification_settings s \
             WHERE s.replies <> 'off' AND COALESCE(s.last_digest_at, 0) <= $1 \
             AND EXISTS (SELECT 1 FROM reply_notifications q \
                         WHERE q.recipient_user_id = s.user_id AND q.sent_at IS NULL) \
             ORDER BY s.user_id LIMIT 1000",
        )
        .bind(cutoff)
        .fetch_all(pool)
        .await
    })
}

/// Claims the day's digest of an account: a compare-and-set on `last_digest_at`, so that of
/// several app instances running the digest at once exactly one gets it.
pub async fn claim_digest(
    db: &Db,
    user_id: i64,
    previous: i64,
    ts: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE notification_settings SET last_digest_at = $1 \
             WHERE user_id = $2 AND COALESCE(last_digest_at, 0) = $3 AND replies <> 'off'",
        )
        .bind(ts)
        .bind(user_id)
        .bind(previous)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(claimed == 1)
}

/// Gives a claimed digest back (nothing was sent): the next run may try again.
pub async fn release_digest(
    db: &Db,
    user_id: i64,
    previous: i64,
    ts: i64,
    reply_ids: &[i64],
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for id in reply_ids {
            sqlx::query(
                "UPDATE reply_notifications SET sent_at = NULL WHERE reply_id = $1 AND sent_at = $2",
            )
            .bind(id)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE notification_settings SET last_digest_at = $1 WHERE user_id = $2 AND last_digest_at = $3",
        )
        .bind((previous > 0).then_some(previous))
        .bind(user_id)
        .bind(ts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })
}

/// Marks an account's queued replies as sent and answers their ids (one statement: a row is
/// claimed once).
pub async fn claim_queued(db: &Db, user_id: i64, ts: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "UPDATE reply_notifications SET sent_at = $1 \
             WHERE recipient_user_id = $2 AND sent_at IS NULL RETURNING reply_id",
        )
        .bind(ts)
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// Where a digest goes: the address and language of a live account with a confirmed address
/// that still wants notifications.
pub async fn digest_recipient(
    db: &Db,
    user_id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String)>(
            "SELECT u.email, s.lang FROM users u JOIN notification_settings s ON s.user_id = u.id \
             WHERE u.id = $1 AND u.deleted_at IS NULL AND u.email IS NOT NULL \
             AND u.email_verified_at IS NOT NULL AND s.replies <> 'off'",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// A reply as a digest lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct DigestReply {
    pub author_name: String,
    pub body: String,
    pub consultation_title: String,
    pub consultation_slug: String,
    pub organisation_slug: String,
    pub reply_id: i64,
}

/// The replies among `ids` that are still visible (not deleted or hidden since they were
/// queued), oldest first.
pub async fn visible_replies(db: &Db, ids: &[i64]) -> Result<Vec<DigestReply>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT r.author_name, r.body, k.title AS consultation_title, k.slug AS consultation_slug, \
         o.slug AS organisation_slug, r.id AS reply_id \
         FROM comments r JOIN consultations k ON k.id = r.consultation_id \
         JOIN organisations o ON o.id = k.organisation_id \
         WHERE r.id IN ({placeholders}) AND r.status = 'published' AND r.deleted_at IS NULL \
         ORDER BY r.created_at, r.id"
    );
    on_db!(db, |pool| {
        let mut query = sqlx::query_as::<_, DigestReply>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })
}

/// Forgets sent replies older than [`SENT_KEPT_SECS`] and expired unsubscribe tokens.
pub async fn purge(db: &Db, ts: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM reply_notifications WHERE sent_at IS NOT NULL AND sent_at < $1")
            .bind(ts - SENT_KEPT_SECS)
            .execute(pool)
            .await?;
        sqlx::query("DELETE FROM unsubscribe_tokens WHERE expires_at < $1")
            .bind(ts)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// What is stored about an account's notifications, for its data export.
pub async fn export(db: &Db, user_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let settings = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String, Option<i64>, i64)>(
            "SELECT replies, lang, last_digest_at, updated_at FROM notification_settings WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    let queued = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM reply_notifications WHERE recipient_user_id = $1 AND sent_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?;
    Ok(match settings {
        Some((replies, lang, last_digest_at, updated_at)) => serde_json::json!({
            "replies": replies,
            "language": lang,
            "last_digest_at": last_digest_at,
            "updated_at": updated_at,
            "replies_waiting_for_digest": queued,
        }),
        None => serde_json::json!({ "replies": "off" }),
    })
}
