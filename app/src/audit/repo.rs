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

/// The organisation's entries, newest first, as the filter says.
pub async fn list(db: &Db, organisation_id: i64, f: &Filter) -> Result<Vec<Record>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        Option<i64>,
        String,
        Option<i64>,
        Option<i64>,
        String,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(
            "SELECT id, created_at, actor_name, action, object_type, object_id, object_label, \
             consultation_id, subject_user_id, reason FROM audit_log \
             WHERE organisation_id = $1 \
               AND ($2 IS NULL OR action = $2) \
               AND ($3 IS NULL OR consultation_id = $3) \
               AND ($4 IS NULL OR actor_user_id = $4) \
               AND ($5 IS NULL OR subject_user_id = $5) \
               AND ($6 IS NULL OR id < $6) \
             ORDER BY id DESC LIMIT $7",
        )
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
            id: r.0,
            created_at: r.1,
            actor_name: r.2,
            action: Action::parse(&r.3),
            action_name: r.3,
            object_kind: r.4,
            object_id: r.5,
            object_label: r.6,
            consultation_id: r.7,
            subject_user_id: r.8,
            reason: r.9,
        })
        .collect())
}
