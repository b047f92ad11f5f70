//! Sending: a mail per reply or a queued row for the digest when a reply becomes visible, the
//! daily digest run, and the unsubscribe link.

use super::{repo, ReplyNotifications, SETTINGS_PATH, UNSUBSCRIBE_PATH};
use crate::db::{now, Db};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::mail::templates::{self, ReplyItem};
use crate::mail::Mailer;
use crate::state::AppState;

/// How long an excerpt of a reply in a mail is, at most (characters).
const EXCERPT_CHARS: usize = 200;
/// The least time between two digests of one account.
pub const DIGEST_INTERVAL_SECS: i64 = 24 * 3600;

/// Tells the author of the comment a reply answers, if they opted in: `immediate` sends one
/// mail now, `daily` queues the reply for the digest. Nothing happens when the reply is not
/// visible (pending, hidden, deleted), when it answers the replier's own comment, or when the
/// parent's author is deleted, has no confirmed address or did not opt in. A reply notifies once,
/// however often this is called.
///
/// Call it after a reply became visible: when it is posted to a consultation with
/// post-moderation, and when moderation approves a pending one. It must never make that action
/// fail: callers log nothing more and ignore the error, e.g.
/// `let _ = crate::notify::reply_published(&state, comment.id).await;` — errors are logged here,
/// without personal data (ids only; never addresses or texts).
pub async fn reply_published(state: &AppState, reply_id: i64) -> Result<(), AppError> {
    let result = notify_reply(&state.db, &state.mailer, &state.settings.base_url, reply_id).await;
    if let Err(err) = &result {
        tracing::warn!(reply_id, error = %err, "reply notification failed");
    }
    result
}

async fn notify_reply(
    db: &Db,
    mailer: &Mailer,
    base_url: &str,
    reply_id: i64,
) -> Result<(), AppError> {
    let Some(target) = repo::reply_target(db, reply_id).await? else {
        return Ok(());
    };
    let immediate =
        ReplyNotifications::parse(&target.replies) == Some(ReplyNotifications::Immediate);
    if !repo::record_reply(db, reply_id, target.recipient_user_id, immediate).await? {
        return Ok(());
    }
    if !immediate {
        return Ok(());
    }
    let lang = Lang::from_code(&target.lang).unwrap_or_default();
    let token = repo::issue_unsubscribe_token(db, target.recipient_user_id).await?;
    let author = author_label(&target.author_name, lang);
    let excerpt = excerpt(&target.body);
    let link = permalink(
        base_url,
        &target.organisation_slug,
        &target.consultation_slug,
        reply_id,
    );
    let mail = templates::reply_notification(
        lang,
        &target.email,
        &ReplyItem {
            author,
            consultation: &target.consultation_title,
            excerpt: &excerpt,
            link: &link,
        },
        &format!("{base_url}{SETTINGS_PATH}"),
        &unsubscribe_link(base_url, &token),
    );
    if let Err(err) = mailer.send(mail).await {
        // Not lost: the next digest run carries it.
        repo::requeue(db, reply_id).await?;
        return Err(err);
    }
    tracing::info!(
        reply_id,
        recipient = target.recipient_user_id,
        "reply notification sent"
    );
    Ok(())
}

/// What a digest run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DigestRun {
    /// Digests sent.
    pub mails: usize,
    /// Digests that failed to send (given back for the next run).
    pub failed: usize,
}

/// Sends the digest of queued replies to every account whose last digest is at least a day old
/// (or who never had one): one mail per account with all its replies that are still visible.
///
/// Safe to run on several app instances at once: each account's digest is claimed with a
/// compare-and-set on its `last_digest_at` and its queued rows with one `UPDATE … RETURNING`,
/// so a digest goes out once. A mail that cannot be sent gives the claim back.
pub async fn send_digests(db: &Db, mailer: &Mailer, base_url: &str) -> Result<DigestRun, AppError> {
    let ts = now();
    repo::purge(db, ts).await?;
    let mut run = DigestRun::default();
    for (user_id, previous) in repo::due_recipients(db, ts - DIGEST_INTERVAL_SECS).await? {
        if !repo::claim_digest(db, user_id, previous, ts).await? {
            // Another instance has it.
            continue;
        }
        let ids = repo::claim_queued(db, user_id, ts).await?;
        match send_digest(db, mailer, base_url, user_id, &ids).await {
            Ok(true) => run.mails += 1,
            Ok(false) => repo::release_digest(db, user_id, previous, ts, &[]).await?,
            Err(err) => {
                tracing::warn!(recipient = user_id, error = %err, "digest not sent");
                repo::release_digest(db, user_id, previous, ts, &ids).await?;
                run.failed += 1;
            }
        }
    }
    if run.mails > 0 || run.failed > 0 {
        tracing::info!(mails = run.mails, failed = run.failed, "reply digests");
    }
    Ok(run)
}

/// One account's digest of the claimed replies; false when there is nothing (left) to send.
async fn send_digest(
    db: &Db,
    mailer: &Mailer,
    base_url: &str,
    user_id: i64,
    ids: &[i64],
) -> Result<bool, AppError> {
    let Some((email, lang)) = repo::digest_recipient(db, user_id).await? else {
        return Ok(false);
    };
    let replies = repo::visible_replies(db, ids).await?;
    if replies.is_empty() {
        return Ok(false);
    }
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let texts: Vec<(String, String)> = replies
        .iter()
        .map(|r| {
            (
                excerpt(&r.body),
                permalink(
                    base_url,
                    &r.organisation_slug,
                    &r.consultation_slug,
                    r.reply_id,
                ),
            )
        })
        .collect();
    let items: Vec<ReplyItem<'_>> = replies
        .iter()
        .zip(&texts)
        .map(|(r, (excerpt, link))| ReplyItem {
            author: author_label(&r.author_name, lang),
            consultation: &r.consultation_title,
            excerpt,
            link,
        })
        .collect();
    let token = repo::issue_unsubscribe_token(db, user_id).await?;
    let mail = templates::reply_digest(
        lang,
        &email,
        &items,
        &format!("{base_url}{SETTINGS_PATH}"),
        &unsubscribe_link(base_url, &token),
    );
    mailer.send(mail).await?;
    Ok(true)
}

/// Uses an unsubscribe link: the account's reply notifications are off. False for an unknown
/// or expired token, which changes nothing.
pub async fn unsubscribe(db: &Db, token: &str) -> Result<bool, AppError> {
    match repo::turn_off_by_token(db, token).await? {
        Some(user_id) => {
            tracing::info!(user_id, "reply notifications turned off by link");
            Ok(true)
        }
        None => Ok(false),
    }
}

fn author_label(name: &str, lang: Lang) -> &str {
    if name.is_empty() {
        Texts::get(lang).deleted_account
    } else {
        name
    }
}

/// A short plain-text excerpt of a contribution for a mail.
pub fn excerpt(body: &str) -> String {
    crate::ui::shorten(body, EXCERPT_CHARS)
}

/// A reply's own address.
pub fn permalink(base_url: &str, org: &str, slug: &str, comment_id: i64) -> String {
    format!("{base_url}/{org}/{slug}/comments/{comment_id}")
}

/// The unsubscribe link of a notification mail (see `UNSUBSCRIBE_PATH`).
pub fn unsubscribe_link(base_url: &str, token: &str) -> String {
    format!("{base_url}{UNSUBSCRIBE_PATH}?token={token}")
}
