//! Moderator alerts: a moderator hears of new items in the queue by e-mail, at once (the default)
//! or at most once a day, or not at all. The background task of `mitreden serve` (and
//! `mitreden send-digests`) calls [`send`]; each alert is claimed in the database with a
//! compare-and-set on `last_alert_at`, so several instances send it once.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How a moderator hears of new items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertMode {
    Off,
    #[default]
    Immediate,
    Daily,
}

impl AlertMode {
    pub const ALL: [AlertMode; 3] = [AlertMode::Off, AlertMode::Immediate, AlertMode::Daily];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertMode::Off => "off",
            AlertMode::Immediate => "immediate",
            AlertMode::Daily => "daily",
        }
    }

    pub fn parse(s: &str) -> Option<AlertMode> {
        AlertMode::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            AlertMode::Off => t.mq_alert_off,
            AlertMode::Immediate => t.mq_alert_immediate,
            AlertMode::Daily => t.mq_alert_daily,
        }
    }
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlertRun {
    pub mails: usize,
    pub failed: usize,
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::AlertMode;
    use crate::db::{now, Db};
    use crate::on_db;

    pub async fn mode(db: &Db, user_id: i64) -> Result<AlertMode, sqlx::Error> {
        let mode = on_db!(db, |pool| {
            sqlx::query_scalar::<_, String>("SELECT mode FROM moderation_alerts WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(mode
            .as_deref()
            .and_then(AlertMode::parse)
            .unwrap_or_default())
    }

    pub async fn set(db: &Db, user_id: i64, mode: AlertMode) -> Result<(), sqlx::Error> {
        let ts = now();
        on_db!(db, |pool| {
            sqlx::query(
                "INSERT INTO moderation_alerts (user_id, mode, last_alert_at, updated_at) \
                 VALUES ($1, $2, $3, $3) ON CONFLICT (user_id) DO UPDATE SET \
                 mode = excluded.mode, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(mode.as_str())
            .bind(ts)
            .execute(pool)
            .await
            .map(|_| ())
        })
    }

    #[derive(Debug, sqlx::FromRow)]
    pub struct Moderator {
        pub user_id: i64,
        pub email: String,
        pub lang: Option<String>,
        pub mode: Option<String>,
        pub last_alert_at: Option<i64>,
    }

    /// Everyone who moderates some organisation, with a confirmed address.
    pub async fn moderators(db: &Db) -> Result<Vec<Moderator>, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query_as::<_, Moderator>(
                "SELECT u.id AS user_id, u.email, s.lang, a.mode, a.last_alert_at FROM users u \
                 LEFT JOIN moderation_alerts a ON a.user_id = u.id \
                 LEFT JOIN notification_settings s ON s.user_id = u.id \
                 WHERE u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL \
                 AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id \
                   AND m.role IN ('moderator', 'org_admin')) ORDER BY u.id",
            )
            .fetch_all(pool)
            .await
        })
    }

    /// A first alert row: only items after now are news.
    pub async fn baseline(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
        let ts = now();
        on_db!(db, |pool| {
            sqlx::query(
                "INSERT INTO moderation_alerts (user_id, mode, last_alert_at, updated_at) \
                 VALUES ($1, 'immediate', $2, $2) ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(ts)
            .execute(pool)
            .await
            .map(|_| ())
        })
    }

    /// New queue items since `since` per organisation name, for what `user_id` moderates.
    pub async fn news(
        db: &Db,
        user_id: i64,
        since: i64,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT o.name, COUNT(*) FROM comments c \
                 JOIN consultations k ON k.id = c.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 WHERE c.deleted_at IS NULL AND o.id IN (SELECT m.organisation_id FROM memberships m \
                   WHERE m.user_id = $1 AND m.role IN ('moderator', 'org_admin')) \
                 AND ((c.status = 'pending' AND c.created_at > $2) \
                   OR (c.status <> 'pending' AND EXISTS (SELECT 1 FROM comment_reports r \
                     WHERE r.comment_id = c.id AND r.resolved_at IS NULL AND r.created_at > $2))) \
                 GROUP BY o.name ORDER BY o.name",
            )
            .bind(user_id)
            .bind(since)
            .fetch_all(pool)
            .await
        })
    }

    /// Claims the alert: true if `last_alert_at` was still `seen` (no other instance sent it).
    pub async fn claim(db: &Db, user_id: i64, seen: i64, ts: i64) -> Result<bool, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query(
                "UPDATE moderation_alerts SET last_alert_at = $1 \
                 WHERE user_id = $2 AND last_alert_at = $3",
            )
            .bind(ts)
            .bind(user_id)
            .bind(seen)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
        })
    }
}

/// Sends the moderator alerts that are due (see the module).
#[cfg(feature = "ssr")]
pub async fn send(
    db: &crate::db::Db,
    mailer: &crate::mail::Mailer,
    base_url: &str,
) -> Result<AlertRun, AppError> {
    use crate::db::now;
    use crate::i18n::{Lang, Texts};
    let mut run = AlertRun::default();
    for m in repo::moderators(db).await? {
        let mode = m
            .mode
            .as_deref()
            .and_then(AlertMode::parse)
            .unwrap_or_default();
        let Some(seen) = m.last_alert_at else {
            repo::baseline(db, m.user_id).await?;
            continue;
        };
        let ts = now();
        let due = match mode {
            AlertMode::Off => false,
            AlertMode::Immediate => true,
            AlertMode::Daily => ts - seen >= 86_400,
        };
        if !due {
            continue;
        }
        let news = repo::news(db, m.user_id, seen).await?;
        if news.is_empty() || !repo::claim(db, m.user_id, seen, ts).await? {
            continue;
        }
        let lang = m
            .lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default();
        let t = Texts::get(lang);
        let link = format!("{base_url}{}", super::queue::QUEUE_PATH);
        let lines: Vec<String> = news
            .iter()
            .map(|(org, n)| (t.mq_alert_line)(org, *n as usize))
            .collect();
        let total: i64 = news.iter().map(|(_, n)| n).sum();
        let mail =
            crate::mail::templates::moderator_alert(lang, &m.email, &lines, total as usize, &link);
        match mailer.send(mail).await {
            Ok(()) => run.mails += 1,
            Err(error) => {
                tracing::warn!(user_id = m.user_id, ?error, "moderator alert not sent");
                run.failed += 1;
            }
        }
    }
    Ok(run)
}

/// Sets how the signed-in moderator hears of new items.
#[server(prefix = "/api", endpoint = "set_moderation_alerts")]
pub async fn set_moderation_alerts(
    #[server(default)] mode: String,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::error::{Field, Problem};
    use crate::moderation::queue::{flash_scope, moderator, Filter, QueueFlash};
    let state = crate::state::app_state()?;
    let user = moderator().await;
    let result = async {
        let user = user.clone()?;
        let mode = AlertMode::parse(&mode)
            .ok_or(AppError::invalid(Field::Notifications, Problem::Empty))?;
        repo::set(&state.db, user.id, mode).await?;
        Ok(())
    }
    .await;
    if !crate::flash::is_plain_form_post() {
        return crate::error::with_status(result);
    }
    match (&result, user) {
        (Ok(()), Ok(user)) => {
            crate::flash::put(&state, &flash_scope(user.id), &QueueFlash::AlertsSaved).await?;
            leptos_axum::redirect(&format!("{}#alerts", Filter::from_query(&back).path()));
            Ok(())
        }
        _ => crate::error::with_status(result),
    }
}
