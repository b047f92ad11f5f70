//! Writing and reading the audit log. Entries are only ever inserted; the database's triggers
//! refuse UPDATE and DELETE on `audit_log`.

use super::{Action, Entry, Record};
use crate::db::Db;
use crate::on_db;

/// The one INSERT every entry goes through (see [`audit_insert!`](crate::audit_insert)).
pub const INSERT: &str = "INSERT INTO audit_log (organisation_id, consultation_id, actor_user_id, \
     actor_name, action, object_type, object_id, object_label, subject_user_id, reason, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/// The INSERT for one entry as a query with its binds, for use inside a transaction of either
/// backend: `audit_insert!(&entry).execute(&mut *tx).await?` — so that the action and its record
/// commit together or not at all.
#[macro_export]
macro_rules! audit_insert {
    ($entry:expr) => {{
        let entry: &$crate::audit::Entry = $entry;
        sqlx::query($crate::audit::repo::INSERT)
            .bind(entry.organisation_id)
            .bind(entry.consultation_id)
            .bind(entry.actor.map(|(id, _)| id))
            .bind(entry.actor.map_or("", |(_, name)| name).to_owned())
            .bind(entry.action.as_str())
            .bind(entry.object.kind.as_str())
            .bind(entry.object.id)
            .bind(entry.object.label.clone())
            .bind(entry.subject_user_id)
            .bind(entry.reason.to_owned())
            .bind($crate::db::now())
    }};
}

/// Records one entry on its own (for actions that are a single statement already committed).
pub async fn record(db: &Db, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        crate::audit_insert!(entry).execute(pool).await?;
    });
    Ok(())
}

/// A filter over an organisation's entries; every part optional.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<Action>,
    pub consultation_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub subject_user_id: Option<i64>,
    /// Entries with an id below this (the next page, newest first).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// The organisation's entries (`None`: the instance's), newest first, as the filter says. `link` is left empty (the
/// caller knows which objects still exist).
pub async fn list(
    db: &Db,
    organisation_id: Option<i64>,
    f: &Filter,
) -> Result<Vec<Record>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        created_at: i64,
        actor_name: String,
        action: String,
        object_type: String,
        object_id: Option<i64>,
        object_label: String,
        consultation_id: Option<i64>,
        subject_user_id: Option<i64>,
        subject_name: String,
        reason: String,
    }
    // Every filter is a bound value; an absent one is NULL and matches everything. Without an
    // organisation: the instance's own entries.
    let scope = match organisation_id {
        Some(_) => "a.organisation_id = $1",
        None => "a.organisation_id IS NULL AND $1 IS NULL",
    };
    let sql = format!("SELECT a.id, a.created_at, a.actor_name, a.action, a.object_type, a.object_id, \
               a.object_label, a.consultation_id, a.subject_user_id, \
               COALESCE(CASE WHEN u.deleted_at IS NULL THEN u.display_name END, '') AS subject_name, \
               a.reason FROM audit_log a LEFT JOIN users u ON u.id = a.subject_user_id \
               WHERE {scope} \
                 AND ($2 IS NULL OR a.action = $2) \
                 AND ($3 IS NULL OR a.consultation_id = $3) \
                 AND ($4 IS NULL OR a.actor_user_id = $4) \
                 AND ($5 IS NULL OR a.subject_user_id = $5) \
                 AND ($6 IS NULL OR a.id < $6) \
               ORDER BY a.id DESC LIMIT $7");
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(&sql)
            .bind(organisation_id)
            .bind(f.action.map(Action::as_str))
            .bind(f.consultation_id)
            .bind(f.actor_user_id)
            .bind(f.subject_user_id)
            .bind(f.before_id)
            .bind(f.limit.clamp(1, 500))
            .fetch_all(pool)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Record {
            id: r.id,
            created_at: r.created_at,
            actor_name: r.actor_name,
            action: Action::parse(&r.action),
            action_name: r.action,
            object_kind: r.object_type,
            object_id: r.object_id,
            object_label: r.object_label,
            consultation_id: r.consultation_id,
            subject_user_id: r.subject_user_id,
            subject_name: r.subject_name,
            reason: r.reason,
            link: None,
        })
        .collect())
}

/// The organisation's consultations (id, slug, title), by title: the filter's choices and the
/// links to those that still exist.
pub async fn consultations(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, String)>(
            "SELECT id, slug, title FROM consultations WHERE organisation_id = $1 \
             ORDER BY title, id",
        )
        .bind(organisation_id)
        .fetch_all(pool)
        .await
    })
}

/// The people who acted in the organisation's log (id, the name of their latest entry).
pub async fn actors(db: &Db, organisation_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT actor_user_id, actor_name FROM audit_log \
             WHERE organisation_id = $1 AND actor_user_id IS NOT NULL ORDER BY id DESC",
        )
        .bind(organisation_id)
        .fetch_all(pool)
        .await
    })?;
    let mut seen = std::collections::HashSet::new();
    let mut actors: Vec<(i64, String)> = rows
        .into_iter()
        .filter(|(id, _)| seen.insert(*id))
        .collect();
    actors.sort_by_key(|a| a.1.to_lowercase());
    Ok(actors)
}

/// The display name of a person concerned by entries of the organisation ('' when the account
/// is gone); `None` when no entry of the organisation concerns them (nothing to reveal).
pub async fn subject_name(
    db: &Db,
    organisation_id: i64,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, String>(
            "SELECT COALESCE(CASE WHEN u.deleted_at IS NULL THEN u.display_name END, '') \
             FROM audit_log a LEFT JOIN users u ON u.id = a.subject_user_id \
             WHERE a.organisation_id = $1 AND a.subject_user_id = $2 LIMIT 1",
        )
        .bind(organisation_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// Of the given comment ids, those that still exist (not deleted) in the organisation's
/// consultations, with their consultation's slug.
pub async fn existing_comments(
    db: &Db,
    organisation_id: i64,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // One placeholder per id ($2, $3, …): bound values, never spliced.
    let sql = format!(
        "SELECT cm.id, c.slug FROM comments cm JOIN consultations c ON c.id = cm.consultation_id \
         WHERE c.organisation_id = $1 AND cm.deleted_at IS NULL AND cm.id IN ({})",
        crate::db::in_list(2, ids.len())
    );
    on_db!(db, |pool| {
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql).bind(organisation_id);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(pool).await
    })
}
