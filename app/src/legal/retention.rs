//! Retention: personal data is removed once it is no longer needed (DSGVO Art. 5(1)(e)).
//! `mitreden retention` runs it, and `mitreden serve` once a day unless an admin switched that off.
//!
//! Past a consultation's period (the instance's, 12 months after the end by default, or the
//! consultation's shorter one) the e-mail addresses of participants without a password go, once
//! every consultation they took part in is past it, and so does the link between an access code
//! and its holder. Independently of consultations: rate-limit keys after a day, expired sessions
//! and tokens, accounts never confirmed after 30 days, and barrier reports' contact addresses 30
//! days after the answer. Contributions and votes stay, under the pseudonym (or as "deleted
//! account").
//!
//! Everything runs in batches of short transactions, so writers are never held up for long; each
//! kind is selected by what still holds personal data, so a second run finds nothing.

use super::{CONTACT_DAYS, RATE_KEY_HOURS, UNVERIFIED_DAYS};
use crate::audit::{Action, Entry, Object, ObjectKind};
use crate::db::{in_list, Db};
use crate::on_db;

/// Rows handled per transaction.
pub const BATCH: i64 = 500;
/// The seconds in a month (an average Gregorian one).
pub const MONTH_SECS: i64 = 2_629_746;

/// What one run removed (or, with `dry_run`, would remove), per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub participant_emails: u64,
    pub access_code_links: u64,
    pub unverified_accounts: u64,
    pub report_contacts: u64,
    pub sessions: u64,
    pub tokens: u64,
    pub rate_limit_keys: u64,
}

impl Counts {
    /// (name, count) per kind, in a fixed order: what the command prints.
    pub fn lines(&self) -> [(&'static str, u64); 7] {
        [
            ("participant e-mail addresses", self.participant_emails),
            ("access code links", self.access_code_links),
            ("unverified accounts", self.unverified_accounts),
            ("barrier report contact addresses", self.report_contacts),
            ("expired sessions", self.sessions),
            ("expired tokens", self.tokens),
            ("rate-limit keys", self.rate_limit_keys),
        ]
    }

    pub fn total(&self) -> u64 {
        self.lines().iter().map(|(_, n)| n).sum()
    }

    fn summary(&self) -> String {
        self.lines()
            .iter()
            .map(|(name, n)| format!("{name}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The moment the periods are measured against (now, or `--as-of`).
    pub as_of: i64,
    pub dry_run: bool,
}

/// A consultation `c` that has ended and whose period is over at `$2` (`$3`: the instance's
/// months). A consultation still open, or a draft, is never past.
const PAST: &str = "((c.status IN ('closed', 'results_published') \
      OR (c.status = 'open' AND c.closes_at IS NOT NULL AND c.closes_at <= $2)) \
     AND COALESCE(c.closes_at, c.updated_at) + COALESCE(c.retention_months, $3) * 2629746 < $2)";

/// Participants without password whose address is confirmed, not staff, whose every
/// consultation is past its period, and who signed up longer ago than the instance's period.
/// $1: cursor (id), $2: as of, $3: instance months, $4: batch.
fn participants_sql() -> String {
    format!(
        "SELECT u.id FROM users u \
         WHERE u.id > $1 AND u.password_hash IS NULL AND u.email IS NOT NULL \
           AND u.email_verified_at IS NOT NULL AND u.deleted_at IS NULL AND u.is_instance_admin = FALSE \
           AND u.created_at < $2 - $3 * 2629746 \
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id) \
           AND NOT EXISTS (SELECT 1 FROM comments x JOIN consultations c ON c.id = x.consultation_id \
                           WHERE x.author_user_id = u.id AND NOT {PAST}) \
           AND NOT EXISTS (SELECT 1 FROM comment_votes v JOIN comments x ON x.id = v.comment_id \
                           JOIN consultations c ON c.id = x.consultation_id \
                           WHERE v.user_id = u.id AND NOT {PAST}) \
           AND NOT EXISTS (SELECT 1 FROM questionnaire_responses r JOIN consultations c ON c.id = r.consultation_id \
                           WHERE r.user_id = u.id AND NOT {PAST}) \
         ORDER BY u.id LIMIT $4"
    )
}

/// Redeemed access codes still linked to their holder, of consultations past their period.
fn access_codes_sql() -> String {
    format!(
        "SELECT a.id FROM access_codes a JOIN consultations c ON c.id = a.consultation_id \
         WHERE a.id > $1 AND a.user_id IS NOT NULL AND {PAST} ORDER BY a.id LIMIT $4"
    )
}

/// Accounts with an address never confirmed, older than the cutoff ($2), not staff.
const UNVERIFIED_SQL: &str = "SELECT u.id FROM users u \
     WHERE u.id > $1 AND u.email IS NOT NULL AND u.email_verified_at IS NULL AND u.deleted_at IS NULL \
       AND u.is_instance_admin = FALSE AND u.created_at < $2 \
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id) \
     ORDER BY u.id LIMIT $3";

/// What a participant without password keeps nothing of once the address goes.
const PARTICIPANT_STATEMENTS: [&str; 6] = [
    "DELETE FROM sessions WHERE user_id IN ({ids})",
    "DELETE FROM account_tokens WHERE user_id IN ({ids})",
    "DELETE FROM unsubscribe_tokens WHERE user_id IN ({ids})",
    "DELETE FROM notification_settings WHERE user_id IN ({ids})",
    "DELETE FROM reply_notifications WHERE recipient_user_id IN ({ids})",
    "UPDATE users SET email = NULL, email_verified_at = NULL WHERE id IN ({ids}) AND email IS NOT NULL",
];

/// Rows that expire on their own: the table, its key columns, the condition on $1 (and $2).
struct Sweep {
    table: &'static str,
    key: &'static str,
    condition: &'static str,
}

const SESSIONS: Sweep = Sweep {
    table: "sessions",
    key: "id_hash",
    condition: "expires_at < $1 OR last_seen_at < $2",
};
const TOKENS: [Sweep; 3] = [
    Sweep {
        table: "account_tokens",
        key: "token_hash",
        condition: "expires_at < $1 OR used_at IS NOT NULL",
    },
    Sweep {
        table: "unsubscribe_tokens",
        key: "token_hash",
        condition: "expires_at < $1",
    },
    Sweep {
        table: "form_flashes",
        key: "token_hash",
        condition: "expires_at < $1",
    },
];
const RATE_KEYS: [Sweep; 3] = [
    Sweep {
        table: "rate_counters",
        key: "key, window_start",
        condition: "window_start < $1",
    },
    Sweep {
        table: "login_failures",
        key: "key",
        condition: "last_failure_at < $1",
    },
    Sweep {
        table: "daily_salts",
        key: "day",
        condition: "day < $1",
    },
];

/// Runs retention as of `opts.as_of`; with `dry_run`, counts what would go and changes nothing.
pub async fn run(db: &Db, opts: Options) -> Result<Counts, sqlx::Error> {
    let months = super::repo::settings(db).await?.retention_months;
    let as_of = opts.as_of;
    // First what expires on its own (so that a dry run counts each row where the run removes
    // it), then what the periods release.
    let mut counts = Counts {
        report_contacts: report_contacts(db, as_of - CONTACT_DAYS * 86_400, opts).await?,
        ..Counts::default()
    };
    let idle = crate::account::session::IDLE_TIMEOUT_SECS;
    counts.sessions = sweep(db, &SESSIONS, &[as_of, as_of - idle], opts).await?;
    for s in &TOKENS {
        counts.tokens += sweep(db, s, &[as_of], opts).await?;
    }
    let rate_cutoff = as_of - RATE_KEY_HOURS * 3600;
    for s in &RATE_KEYS {
        let cutoff = if s.table == "daily_salts" {
            // Salts are numbered by day; today's and yesterday's are in use.
            as_of.div_euclid(86_400) - 1
        } else {
            rate_cutoff
        };
        counts.rate_limit_keys += sweep(db, s, &[cutoff], opts).await?;
    }
    counts.participant_emails = by_ids(db, &participants_sql(), &[as_of, months], opts, |ids| {
        PARTICIPANT_STATEMENTS
            .iter()
            .map(|s| s.replace("{ids}", ids))
            .collect()
    })
    .await?;
    counts.access_code_links = by_ids(db, &access_codes_sql(), &[as_of, months], opts, |ids| {
        vec![format!(
            "UPDATE access_codes SET user_id = NULL WHERE id IN ({ids})"
        )]
    })
    .await?;
    // Unconfirmed accounts go like deleted ones (their contributions, if any, stay as "deleted
    // account").
    let cutoff = as_of - UNVERIFIED_DAYS * 86_400;
    let mut cursor = 0;
    loop {
        let ids = select_ids(db, UNVERIFIED_SQL, cursor, &[cutoff], BATCH).await?;
        let Some(&last) = ids.last() else { break };
        cursor = last;
        counts.unverified_accounts += if opts.dry_run {
            ids.len() as u64
        } else {
            crate::account::repo::delete_accounts(db, &ids).await?
        };
        tokio::task::yield_now().await;
    }
    if !opts.dry_run && counts.total() > 0 {
        let reason = counts.summary();
        let entry = Entry::new(
            Action::RetentionRun,
            Object::new(ObjectKind::Instance, None, ""),
        )
        .reason(&reason);
        crate::audit::repo::record(db, &entry).await?;
    }
    tracing::info!(
        dry_run = opts.dry_run,
        participant_emails = counts.participant_emails,
        access_code_links = counts.access_code_links,
        unverified_accounts = counts.unverified_accounts,
        report_contacts = counts.report_contacts,
        sessions = counts.sessions,
        tokens = counts.tokens,
        rate_limit_keys = counts.rate_limit_keys,
        "retention run"
    );
    Ok(counts)
}

/// The daily job of `mitreden serve`: once a day (however many instances share the database),
/// unless an instance admin switched it off. `None` when it did not run.
pub async fn daily(db: &Db, now: i64) -> Result<Option<Counts>, sqlx::Error> {
    if !super::repo::settings(db).await?.retention_job {
        return Ok(None);
    }
    if !super::repo::claim_daily_run(db, now.div_euclid(86_400)).await? {
        return Ok(None);
    }
    let opts = Options {
        as_of: now,
        dry_run: false,
    };
    run(db, opts).await.map(Some)
}

/// The next batch of ids after `cursor` that `sql` selects ($1 cursor, then `binds`, then the
/// batch size).
async fn select_ids(
    db: &Db,
    sql: &str,
    cursor: i64,
    binds: &[i64],
    batch: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        let mut q = sqlx::query_scalar::<_, i64>(sql).bind(cursor);
        for b in binds {
            q = q.bind(*b);
        }
        q.bind(batch).fetch_all(pool).await
    })
}

/// Walks what `select` finds batch by batch and applies `statements` (made for the batch's id
/// list) to each batch in one short transaction.
async fn by_ids(
    db: &Db,
    select: &str,
    binds: &[i64],
    opts: Options,
    statements: impl Fn(&str) -> Vec<String>,
) -> Result<u64, sqlx::Error> {
    let mut cursor = 0;
    let mut total = 0;
    loop {
        let ids = select_ids(db, select, cursor, binds, BATCH).await?;
        let Some(&last) = ids.last() else { break };
        cursor = last;
        total += ids.len() as u64;
        if !opts.dry_run {
            let sqls = statements(&in_list(1, ids.len()));
            on_db!(db, |pool| {
                let mut tx = pool.begin().await?;
                for sql in &sqls {
                    let mut q = sqlx::query(sql);
                    for id in &ids {
                        q = q.bind(*id);
                    }
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
            });
        }
        tokio::task::yield_now().await;
    }
    Ok(total)
}

/// Deletes (or counts) a table's expired rows, `BATCH` at a time.
async fn sweep(db: &Db, s: &Sweep, binds: &[i64], opts: Options) -> Result<u64, sqlx::Error> {
    if opts.dry_run {
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {}", s.table, s.condition);
        let n = on_db!(db, |pool| {
            let mut q = sqlx::query_scalar::<_, i64>(&sql);
            for b in binds {
                q = q.bind(*b);
            }
            q.fetch_one(pool).await
        })?;
        return Ok(n.max(0) as u64);
    }
    let sql = format!(
        "DELETE FROM {t} WHERE ({k}) IN (SELECT {k} FROM {t} WHERE {c} LIMIT {BATCH})",
        t = s.table,
        k = s.key,
        c = s.condition
    );
    let mut total = 0;
    loop {
        let n = on_db!(db, |pool| {
            let mut q = sqlx::query(&sql);
            for b in binds {
                q = q.bind(*b);
            }
            q.execute(pool).await.map(|r| r.rows_affected())
        })?;
        total += n;
        if n < BATCH as u64 {
            break;
        }
        tokio::task::yield_now().await;
    }
    Ok(total)
}

/// Contact addresses of reports answered before the cutoff.
async fn report_contacts(db: &Db, cutoff: i64, opts: Options) -> Result<u64, sqlx::Error> {
    let condition = "status = 'answered' AND contact_email IS NOT NULL AND answered_at < $1";
    if opts.dry_run {
        let sql = format!("SELECT COUNT(*) FROM barrier_reports WHERE {condition}");
        let n = on_db!(db, |pool| {
            sqlx::query_scalar::<_, i64>(&sql)
                .bind(cutoff)
                .fetch_one(pool)
                .await
        })?;
        return Ok(n.max(0) as u64);
    }
    let sql = format!("UPDATE barrier_reports SET contact_email = NULL WHERE {condition}");
    on_db!(db, |pool| {
        sqlx::query(&sql)
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_in_sql_is_the_month_here() {
        assert!(PAST.contains(&MONTH_SECS.to_string()));
        assert!(participants_sql().contains(&MONTH_SECS.to_string()));
    }

    #[test]
    fn counts_print_every_kind() {
        let c = Counts {
            participant_emails: 2,
            tokens: 3,
            ..Counts::default()
        };
        assert_eq!(c.total(), 5);
        assert!(c.summary().contains("participant e-mail addresses: 2"));
        assert_eq!(c.lines().len(), 7);
    }
}
