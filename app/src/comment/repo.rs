//! Comment queries.

use super::{AuthorName, Comment, CommentBody};
use crate::db::{now, Db};
use crate::on_db;

#[derive(Debug, sqlx::FromRow)]
struct CommentRow {
    id: i64,
    parent_id: Option<i64>,
    author_name: String,
    author_deleted: bool,
    body: String,
    created_at: i64,
    section_id: String,
    section_title: String,
    pin_lat: Option<f64>,
    pin_lon: Option<f64>,
}

/// Published comments of a consultation, oldest first (threading happens in the view).
pub async fn list_published(db: &Db, consultation_id: i64) -> Result<Vec<Comment>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, CommentRow>(
            "SELECT id, parent_id, author_name, author_deleted, body, created_at, section_id, \
             section_title, pin_lat, pin_lon FROM comments \
             WHERE consultation_id = $1 AND status = 'published' ORDER BY created_at, id LIMIT 5000",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Comment {
            id: r.id,
            parent_id: r.parent_id,
            author_name: (!r.author_name.is_empty()).then_some(r.author_name),
            author_deleted: r.author_deleted,
            body: r.body,
            created_at: r.created_at,
            section: (!r.section_id.is_empty()).then_some((r.section_id, r.section_title)),
            pin: r
                .pin_lat
                .zip(r.pin_lon)
                .and_then(|(lat, lon)| crate::geo::LatLon::new(lat, lon)),
        })
        .collect())
}

/// How many published comments are about each section of a consultation.
pub async fn count_by_section(
    db: &Db,
    consultation_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (String, i64)>(
            "SELECT section_id, COUNT(*) FROM comments WHERE consultation_id = $1 \
             AND status = 'published' AND section_id <> '' GROUP BY section_id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })
}

/// Whether `parent_id` is a published comment of the same consultation (one may only answer
/// what one can see).
pub async fn is_visible_parent(
    db: &Db,
    consultation_id: i64,
    parent_id: i64,
) -> Result<bool, sqlx::Error> {
    let found = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM comments WHERE id = $1 AND consultation_id = $2 AND status = 'published'",
        )
        .bind(parent_id)
        .bind(consultation_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

pub struct NewComment<'a> {
    pub consultation_id: i64,
    pub parent_id: Option<i64>,
    pub author_name: &'a AuthorName,
    /// The signed-in author's account, if any.
    pub author_user_id: Option<i64>,
    pub body: &'a CommentBody,
    pub published: bool,
    /// The section it is about: anchor and heading.
    pub section: Option<(&'a str, &'a str)>,
    /// A place inside the consultation's area (checked by the caller).
    pub pin: Option<crate::geo::LatLon>,
}

/// Stores a comment and returns it as the public will see it.
pub async fn insert(db: &Db, c: &NewComment<'_>) -> Result<Comment, sqlx::Error> {
    let created_at = now();
    let id = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO comments (consultation_id, parent_id, author_user_id, author_name, body, status, \
             created_at, section_id, section_title, pin_lat, pin_lon) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(c.consultation_id)
        .bind(c.parent_id)
        .bind(c.author_user_id)
        .bind(c.author_name.as_deref().unwrap_or(""))
        .bind(c.body.as_str())
        .bind(if c.published { "published" } else { "pending" })
        .bind(created_at)
        .bind(c.section.map_or("", |s| s.0))
        .bind(c.section.map_or("", |s| s.1))
        .bind(c.pin.map(|p| p.lat))
        .bind(c.pin.map(|p| p.lon))
        .fetch_one(pool)
        .await
    })?;
    Ok(Comment {
        id,
        parent_id: c.parent_id,
        author_name: c.author_name.as_deref().map(str::to_owned),
        author_deleted: false,
        body: c.body.as_str().to_owned(),
        created_at,
        section: c
            .section
            .map(|(id, title)| (id.to_string(), title.to_string())),
        pin: c.pin,
    })
}

/// The comments a user wrote, for their data export.
pub async fn list_by_author(
    db: &Db,
    user_id: i64,
) -> Result<Vec<(i64, String, String, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, String, i64)>(
            "SELECT c.id, k.title, c.body, c.created_at FROM comments c \
             JOIN consultations k ON k.id = c.consultation_id WHERE c.author_user_id = $1 ORDER BY c.created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}
