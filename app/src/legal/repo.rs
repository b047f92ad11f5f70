//! Storage of the legal pages, the instance settings and the barrier reports.

use super::{BarrierReport, InstanceSettings, PageKind, MAX_RETENTION_MONTHS};
use crate::audit::{Action, Entry, Object, ObjectKind};
use crate::db::{now, Db};
use crate::i18n::Lang;
use crate::on_db;

const RETENTION_MONTHS: &str = "retention_months";
const RETENTION_JOB: &str = "retention_job";
const RETENTION_LAST_DAY: &str = "retention_last_day";

async fn setting(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT value FROM instance_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })
}

/// The instance settings; defaults for what was never saved.
pub async fn settings(db: &Db) -> Result<InstanceSettings, sqlx::Error> {
    let defaults = InstanceSettings::default();
    let months = setting(db, RETENTION_MONTHS)
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|m| (1..=MAX_RETENTION_MONTHS).contains(m))
        .unwrap_or(defaults.retention_months);
    let job = setting(db, RETENTION_JOB)
        .await?
        .map_or(defaults.retention_job, |v| v != "off");
    Ok(InstanceSettings {
        retention_months: months,
        retention_job: job,
    })
}

/// Saves the settings and records who changed them, together.
pub async fn save_settings(
    db: &Db,
    settings: &InstanceSettings,
    actor: (i64, &str),
) -> Result<(), sqlx::Error> {
    let ts = now();
    let reason = format!(
        "retention_months={} retention_job={}",
        settings.retention_months,
        if settings.retention_job { "on" } else { "off" }
    );
    let entry = Entry::new(
        Action::SettingsChanged,
        Object::new(ObjectKind::Instance, None, ""),
    )
    .by(actor.0, actor.1)
    .reason(&reason);
    let job = if settings.retention_job { "on" } else { "off" };
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for (key, value) in [
            (RETENTION_MONTHS, settings.retention_months.to_string()),
            (RETENTION_JOB, job.to_string()),
        ] {
            sqlx::query(
                "INSERT INTO instance_settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        crate::audit_insert!(&entry).execute(&mut *tx).await?;
        tx.commit().await
    })
}

/// Claims today's run of the daily retention job: true for exactly one caller per day, however
/// many app instances share the database.
pub async fn claim_daily_run(db: &Db, day: i64) -> Result<bool, sqlx::Error> {
    let day = day.to_string();
    let done = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO instance_settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
             WHERE instance_settings.value <> excluded.value",
        )
        .bind(RETENTION_LAST_DAY)
        .bind(&day)
        .bind(now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// A page's stored (markdown, html, saved at) in one language.
pub async fn page(
    db: &Db,
    kind: PageKind,
    lang: Lang,
) -> Result<Option<(String, String, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String, i64)>(
            "SELECT markdown, html, updated_at FROM legal_pages WHERE kind = $1 AND lang = $2",
        )
        .bind(kind.as_str())
        .bind(lang.code())
        .fetch_optional(pool)
        .await
    })
}

/// When each page was last saved (`None`: never, the template shows).
pub async fn pages_saved(db: &Db) -> Result<Vec<(PageKind, Option<i64>)>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, i64)>(
            "SELECT kind, MAX(updated_at) FROM legal_pages GROUP BY kind",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(PageKind::ALL
        .into_iter()
        .map(|k| {
            let saved = rows.iter().find(|(s, _)| s == k.as_str()).map(|(_, t)| *t);
            (k, saved)
        })
        .collect())
}

/// Saves a page in both languages (an empty English text removes the English version) and
/// records the admin's change, together. `actor` is `None` when seed-demo installs the templates:
/// an installation, not a change, so not recorded.
pub async fn save_page(
    db: &Db,
    kind: PageKind,
    de: &str,
    en: &str,
    actor: Option<(i64, &str)>,
) -> Result<(), sqlx::Error> {
    let ts = now();
    let texts = [(Lang::De, de), (Lang::En, en)];
    let entry = actor.map(|(id, name)| {
        Entry::new(
            Action::LegalPageSaved,
            Object::new(ObjectKind::Instance, None, kind.path()),
        )
        .by(id, name)
    });
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for (lang, markdown) in texts {
            if markdown.trim().is_empty() {
                sqlx::query("DELETE FROM legal_pages WHERE kind = $1 AND lang = $2")
                    .bind(kind.as_str())
                    .bind(lang.code())
                    .execute(&mut *tx)
                    .await?;
                continue;
            }
            sqlx::query(
                "INSERT INTO legal_pages (kind, lang, markdown, html, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (kind, lang) DO UPDATE SET markdown = excluded.markdown, html = excluded.html, \
                 updated_at = excluded.updated_at",
            )
            .bind(kind.as_str())
            .bind(lang.code())
            .bind(markdown)
            .bind(crate::markdown::render(markdown))
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(entry) = &entry {
            crate::audit_insert!(entry).execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

/// Installs the built-in templates of pages never saved (seed-demo; idempotent).
pub async fn install_templates(db: &Db) -> Result<(), sqlx::Error> {
    for (kind, saved) in pages_saved(db).await? {
        if saved.is_none() {
            save_page(
                db,
                kind,
                super::templates::template(kind, Lang::De),
                super::templates::template(kind, Lang::En),
                None,
            )
            .await?;
        }
    }
    Ok(())
}

/// Stores a barrier report; returns its id.
pub async fn insert_report(
    db: &Db,
    page_url: &str,
    description: &str,
    contact: Option<&str>,
    lang: Lang,
) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO barrier_reports (page_url, description, contact_email, lang, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(page_url)
        .bind(description)
        .bind(contact)
        .bind(lang.code())
        .bind(now())
        .fetch_one(pool)
        .await
    })
}

/// All reports: open ones first (oldest first), then answered ones (latest answer first).
pub async fn reports(db: &Db) -> Result<Vec<BarrierReport>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        String,
        String,
        i64,
        Option<i64>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(
            "SELECT r.id, r.page_url, r.description, r.contact_email, r.lang, r.status, r.created_at, \
             r.answered_at, u.display_name, r.answer_note \
             FROM barrier_reports r LEFT JOIN users u ON u.id = r.answered_by \
             ORDER BY r.status = 'answered', \
                      CASE WHEN r.status = 'open' THEN r.created_at ELSE -r.answered_at END, r.id \
             LIMIT 1000",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| BarrierReport {
            id: r.0,
            page_url: r.1,
            description: r.2,
            contact_email: r.3,
            lang: r.4,
            answered: r.5 == "answered",
            created_at: r.6,
            answered_at: r.7,
            answered_by: r.8.unwrap_or_default(),
            answer_note: r.9,
        })
        .collect())
}

/// (open, overdue) reports at `now`.
pub async fn report_counts(db: &Db, now: i64) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at < $1 THEN 1 ELSE 0 END), 0) \
             FROM barrier_reports WHERE status = 'open'",
        )
        .bind(now - super::ANSWER_DAYS * 86_400)
        .fetch_one(pool)
        .await
    })
}

/// Marks an open report answered and records it; false when it is not open (or not there).
pub async fn answer_report(
    db: &Db,
    id: i64,
    note: &str,
    actor: (i64, &str),
) -> Result<bool, sqlx::Error> {
    let label = format!("#{id}");
    let entry = Entry::new(
        Action::BarrierReportAnswered,
        Object::new(ObjectKind::Instance, Some(id), label),
    )
    .by(actor.0, actor.1)
    .reason(note);
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let done = sqlx::query(
            "UPDATE barrier_reports SET status = 'answered', answered_at = $1, answered_by = $2, \
             answer_note = $3 WHERE id = $4 AND status = 'open'",
        )
        .bind(now())
        .bind(actor.0)
        .bind(note)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            crate::audit_insert!(&entry).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done)
    })
}

/// The instance admins' addresses (with their chosen mail language), for new reports.
pub async fn admin_addresses(db: &Db) -> Result<Vec<(String, Lang)>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, Option<String>)>(
            "SELECT u.email, n.lang FROM users u LEFT JOIN notification_settings n ON n.user_id = u.id \
             WHERE u.is_instance_admin = TRUE AND u.deleted_at IS NULL AND u.email IS NOT NULL \
             ORDER BY u.id",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(email, lang)| {
            let lang = lang
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::De);
            (email, lang)
        })
        .collect())
}

/// Public consultations whose own period is shorter than the instance's: (title, path, months).
pub async fn shorter_periods(
    db: &Db,
    instance_months: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String, String, i64)>(
            "SELECT c.title, o.slug, c.slug, c.retention_months FROM consultations c \
             JOIN organisations o ON o.id = c.organisation_id \
             WHERE c.status <> 'draft' AND c.retention_months IS NOT NULL AND c.retention_months < $1 \
             ORDER BY c.retention_months, c.title LIMIT 500",
        )
        .bind(instance_months)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(title, org, slug, months)| (title, format!("/{org}/{slug}"), months))
        .collect())
}

/// A consultation's own period (`None`: the instance's), recorded in its organisation's log.
pub async fn set_consultation_period(
    db: &Db,
    consultation: (i64, i64, &str),
    months: Option<i64>,
    actor: (i64, &str),
) -> Result<(), sqlx::Error> {
    let (id, organisation_id, title) = consultation;
    let reason = months.map(|m| m.to_string()).unwrap_or_default();
    let entry = Entry::new(Action::RetentionChanged, Object::consultation(id, title))
        .by(actor.0, actor.1)
        .organisation(organisation_id)
        .consultation(id)
        .reason(&reason);
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE consultations SET retention_months = $1 WHERE id = $2")
            .bind(months)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        crate::audit_insert!(&entry).execute(&mut *tx).await?;
        tx.commit().await
    })
}

/// A consultation's own period.
pub async fn consultation_period(db: &Db, id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, Option<i64>>(
            "SELECT retention_months FROM consultations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
    .map(Option::flatten)
}
