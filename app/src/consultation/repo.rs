//! Consultation queries. Drafts never leave this module through the public functions.

use super::{ConsultationCard, Moderation, Status};
use crate::db::{now, Backend, Db};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
struct CardRow {
    org_slug: String,
    org_name: String,
    slug: String,
    title: String,
    summary: String,
    status: String,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
}

impl CardRow {
    fn into_card(self) -> ConsultationCard {
        ConsultationCard {
            org_slug: self.org_slug,
            org_name: self.org_name,
            slug: self.slug,
            title: self.title,
            summary: self.summary,
            status: Status::effective(
                Status::parse(&self.status).unwrap_or(Status::Draft),
                self.opens_at,
                self.closes_at,
                now(),
            ),
            opens_at: self.opens_at,
            closes_at: self.closes_at,
        }
    }
}

/// The SQL condition for "the public may see it" (not a draft, not scheduled), with the current
/// time as parameter `$n`.
pub(crate) fn public_at(n: usize) -> String {
    format!(
        "c.status <> 'draft' AND NOT (c.status = 'open' AND c.opens_at IS NOT NULL AND c.opens_at > ${n})"
    )
}

/// The SQL condition for "open for participation now", the time as parameter `$n`.
fn open_at(n: usize) -> String {
    format!(
        "c.status = 'open' AND (c.opens_at IS NULL OR c.opens_at <= ${n}) \
         AND (c.closes_at IS NULL OR c.closes_at > ${n})"
    )
}

const CARD_COLUMNS: &str = "o.slug AS org_slug, o.name AS org_name, c.slug, c.title, c.summary, \
                            c.status, c.opens_at, c.closes_at";

/// A page of public consultations matching a filter, and how many match in all. Every value
/// is a bound parameter; the status filter comes from an allow-list.
pub async fn discover(
    db: &Db,
    filter: &super::Filter,
) -> Result<(Vec<ConsultationCard>, i64), sqlx::Error> {
    enum Param {
        Text(String),
        Int(i64),
    }
    let mut params: Vec<Param> = vec![Param::Int(now())];
    let mut conditions = vec![public_at(1)];
    match filter.status_in_effect() {
        "open" => conditions.push(open_at(1)),
        "closed" => conditions.push(
            "(c.status = 'closed' OR (c.status = 'open' AND c.closes_at IS NOT NULL AND c.closes_at <= $1))"
                .to_string(),
        ),
        "results" => conditions.push("c.status = 'results_published'".to_string()),
        _ => {}
    }
    let term = filter.q.trim();
    if !term.is_empty() {
        let term: String = term.chars().take(100).collect();
        params.push(Param::Text(format!("%{}%", escape_like(&term))));
        let n = params.len();
        conditions.push(match db.backend() {
            Backend::Postgres => {
                format!("(c.title ILIKE ${n} ESCAPE '\\' OR c.summary ILIKE ${n} ESCAPE '\\')")
            }
            Backend::Sqlite => {
                format!("(c.title LIKE ${n} ESCAPE '\\' OR c.summary LIKE ${n} ESCAPE '\\')")
            }
        });
    }
    if !filter.topic.is_empty() {
        params.push(Param::Text(filter.topic.clone()));
        conditions.push(format!("c.topic = ${}", params.len()));
    }
    let mut with = String::new();
    if !filter.org.is_empty() {
        params.push(Param::Text(filter.org.clone()));
        with = format!(
            "WITH RECURSIVE scope(id, depth) AS ( \
                 SELECT id, 0 FROM organisations WHERE slug = ${} \
                 UNION ALL SELECT o.id, s.depth + 1 FROM organisations o JOIN scope s ON o.parent_id = s.id WHERE s.depth < 10 \
             ) ",
            params.len()
        );
        conditions.push("c.organisation_id IN (SELECT id FROM scope)".to_string());
    }
    let from = format!(
        "FROM consultations c JOIN organisations o ON o.id = c.organisation_id WHERE {}",
        conditions.join(" AND ")
    );
    let page = filter.page.max(1);
    let list_sql = format!(
        "{with}SELECT {CARD_COLUMNS} {from} \
         ORDER BY c.status = 'open' DESC, c.closes_at IS NULL, c.closes_at, c.title, c.id \
         LIMIT {} OFFSET {}",
        super::PAGE_SIZE,
        (page - 1) * super::PAGE_SIZE
    );
    let count_sql = format!("{with}SELECT COUNT(*) {from}");
    macro_rules! bind_all {
        ($q:expr) => {{
            let mut q = $q;
            for p in &params {
                q = match p {
                    Param::Text(s) => q.bind(s.as_str()),
                    Param::Int(i) => q.bind(*i),
                };
            }
            q
        }};
    }
    let rows = on_db!(db, |pool| bind_all!(sqlx::query_as::<_, CardRow>(
        &list_sql
    ))
    .fetch_all(pool)
    .await)?;
    let total = on_db!(db, |pool| bind_all!(sqlx::query_scalar::<_, i64>(
        &count_sql
    ))
    .fetch_one(pool)
    .await)?;
    Ok((rows.into_iter().map(CardRow::into_card).collect(), total))
}

/// The topics of public consultations, for the filter.
pub async fn public_topics(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "SELECT DISTINCT c.topic FROM consultations c WHERE {} AND c.topic <> '' ORDER BY c.topic LIMIT 100",
        public_at(1)
    );
    on_db!(db, |pool| sqlx::query_scalar::<_, String>(&sql)
        .bind(now())
        .fetch_all(pool)
        .await)
}

fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for ch in term.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Open consultations of the organisations below this one (children, grandchildren, …), for a
/// district's or state's page. A recursive query; the same SQL on both backends.
pub async fn list_open_of_descendants(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<ConsultationCard>, sqlx::Error> {
    let sql = format!(
        "WITH RECURSIVE below(id, depth) AS ( \
             SELECT id, 1 FROM organisations WHERE parent_id = $1 \
             UNION ALL SELECT o.id, b.depth + 1 FROM organisations o JOIN below b ON o.parent_id = b.id WHERE b.depth < 10 \
         ) \
         SELECT {CARD_COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.organisation_id IN (SELECT id FROM below) AND {} \
         ORDER BY c.closes_at IS NULL, c.closes_at, c.title LIMIT 500",
        open_at(2)
    );
    let rows = on_db!(db, |pool| sqlx::query_as::<_, CardRow>(&sql)
        .bind(organisation_id)
        .bind(now())
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(CardRow::into_card).collect())
}

pub async fn list_public_of_organisation(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<ConsultationCard>, sqlx::Error> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.organisation_id = $1 AND {} \
         ORDER BY c.status = 'open' DESC, c.closes_at DESC, c.title LIMIT 500",
        public_at(2)
    );
    let rows = on_db!(db, |pool| sqlx::query_as::<_, CardRow>(&sql)
        .bind(organisation_id)
        .bind(now())
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(CardRow::into_card).collect())
}

/// The newest public consultations of an organisation, for its feed (newest change first).
pub async fn feed_of_organisation(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<super::feed::Entry>, sqlx::Error> {
    dated_public(
        db,
        Some(organisation_id),
        "c.updated_at DESC, c.id DESC",
        50,
    )
    .await
}

/// Every public consultation with its last change, for the sitemap (at most 50,000, the format's
/// limit).
pub async fn sitemap_entries(db: &Db) -> Result<Vec<super::feed::Entry>, sqlx::Error> {
    dated_public(db, None, "o.slug, c.slug", 50_000).await
}

/// Public consultations (of one organisation, or all) with their last change. `order` is one of
/// the constant orders above, never input.
async fn dated_public(
    db: &Db,
    organisation_id: Option<i64>,
    order: &'static str,
    limit: i64,
) -> Result<Vec<super::feed::Entry>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        updated_at: i64,
        #[sqlx(flatten)]
        card: CardRow,
    }
    let sql = format!(
        "SELECT c.updated_at, {CARD_COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE ($1 IS NULL OR c.organisation_id = $1) AND {} ORDER BY {order} LIMIT {limit}",
        public_at(2)
    );
    let rows = on_db!(db, |pool| sqlx::query_as::<_, Row>(&sql)
        .bind(organisation_id)
        .bind(now())
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| super::feed::Entry {
            updated_at: r.updated_at,
            card: r.card.into_card(),
        })
        .collect())
}

/// A consultation as its page, the participation functions and the staff screens need it.
#[derive(Debug, Clone)]
pub struct ConsultationRecord {
    pub id: i64,
    pub organisation_id: i64,
    pub card: ConsultationCard,
    pub body_html: String,
    pub moderation: Moderation,
    pub participation: crate::participation::Rule,
    pub about: super::About,
    /// The body's sections: anchor and heading text.
    pub sections: Vec<(String, String)>,
    pub results_visibility: super::ResultsVisibility,
    /// Participants may also object to comments, not only support them.
    pub downvotes: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct RecordRow {
    plain_summary: String,
    topic: String,
    office: String,
    contact: String,
    id: i64,
    organisation_id: i64,
    body_html: String,
    moderation: String,
    participation: String,
    sections: String,
    results_visibility: String,
    downvotes: bool,
    #[sqlx(flatten)]
    card: CardRow,
}

async fn find(
    db: &Db,
    org: &str,
    slug: &str,
    drafts_too: bool,
) -> Result<Option<ConsultationRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.organisation_id, c.body_html, c.moderation, c.participation, \
         c.sections, c.results_visibility, c.downvotes, c.plain_summary, c.topic, c.office, c.contact, \
         {CARD_COLUMNS} \
         FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE o.slug = $1 AND c.slug = $2 AND ($3 OR ({}))",
        public_at(4)
    );
    let row = on_db!(db, |pool| sqlx::query_as::<_, RecordRow>(&sql)
        .bind(org)
        .bind(slug)
        .bind(drafts_too)
        .bind(now())
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(|r| ConsultationRecord {
        id: r.id,
        organisation_id: r.organisation_id,
        body_html: r.body_html,
        moderation: Moderation::parse(&r.moderation).unwrap_or(Moderation::Pre),
        participation: crate::participation::Rule::parse(&r.participation).unwrap_or_default(),
        card: r.card.into_card(),
        sections: serde_json::from_str(&r.sections).unwrap_or_default(),
        results_visibility: super::ResultsVisibility::parse(&r.results_visibility)
            .unwrap_or_default(),
        downvotes: r.downvotes,
        about: super::About {
            plain_summary: r.plain_summary,
            topic: r.topic,
            office: r.office,
            contact: r.contact,
        },
    }))
}

/// A consultation that the public may see (not a draft), by organisation and slug.
pub async fn find_public(
    db: &Db,
    org: &str,
    slug: &str,
) -> Result<Option<ConsultationRecord>, sqlx::Error> {
    find(db, org, slug, false).await
}

/// Any consultation, drafts included: only for functions that have checked the staff role of
/// its organisation (`organisation_id`) before they show anything of it.
pub async fn find_for_staff(
    db: &Db,
    org: &str,
    slug: &str,
) -> Result<Option<ConsultationRecord>, sqlx::Error> {
    find(db, org, slug, true).await
}

/// All consultations of an organisation, drafts included, newest first (staff screens only).
pub async fn list_all_of_organisation(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<(ConsultationCard, crate::participation::Rule)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        participation: String,
        #[sqlx(flatten)]
        card: CardRow,
    }
    let sql = format!(
        "SELECT c.participation, {CARD_COLUMNS} FROM consultations c \
         JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.organisation_id = $1 ORDER BY c.created_at DESC, c.id DESC"
    );
    let rows = on_db!(db, |pool| sqlx::query_as::<_, Row>(&sql)
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.card.into_card(),
                crate::participation::Rule::parse(&r.participation).unwrap_or_default(),
            )
        })
        .collect())
}

pub struct NewConsultation<'a> {
    pub organisation_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body_markdown: &'a str,
    pub status: Status,
    pub moderation: Moderation,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
}

/// Creates a consultation; the Markdown body is sanitised here, once. Returns `None` when the
/// organisation already has a consultation with that slug.
pub async fn create(db: &Db, c: &NewConsultation<'_>) -> Result<Option<i64>, sqlx::Error> {
    let (body_html, sections) = rendered(c.body_markdown);
    let ts = now();
    let result = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO consultations (organisation_id, slug, title, summary, body_markdown, \
             body_html, status, moderation, opens_at, closes_at, created_at, updated_at, sections) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
        )
        .bind(c.organisation_id)
        .bind(c.slug)
        .bind(c.title)
        .bind(c.summary)
        .bind(c.body_markdown)
        .bind(&body_html)
        .bind(c.status.as_str())
        .bind(c.moderation.as_str())
        .bind(c.opens_at)
        .bind(c.closes_at)
        .bind(ts)
        .bind(&sections)
        .fetch_one(pool)
        .await
    });
    match result {
        Ok(id) => Ok(Some(id)),
        Err(err) if crate::db::is_unique_violation(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

pub async fn find_id(
    db: &Db,
    organisation_id: i64,
    slug: &str,
) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM consultations WHERE organisation_id = $1 AND slug = $2",
        )
        .bind(organisation_id)
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

/// Moves a consultation to a stored phase; `closes_at` replaces the end of the window if given.
pub async fn set_phase(
    db: &Db,
    id: i64,
    status: Status,
    closes_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE consultations SET status = $1, closes_at = COALESCE($2, closes_at), updated_at = $3 WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(closes_at)
        .bind(now())
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The body as sanitised HTML and its sections as JSON, both stored when the body is written.
fn rendered(markdown: &str) -> (String, String) {
    let (html, sections) = crate::markdown::render_with_sections(markdown);
    (
        html,
        serde_json::to_string(&sections).unwrap_or_else(|_| "[]".to_string()),
    )
}

/// What the editor writes (the Markdown body is sanitised here, once).
pub struct Details<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub plain_summary: &'a str,
    pub body_markdown: &'a str,
    pub topic: &'a str,
    pub office: &'a str,
    pub contact: &'a str,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub moderation: Moderation,
    pub participation: crate::participation::Rule,
    pub results_visibility: super::ResultsVisibility,
    pub downvotes: bool,
    /// The save count the editor was loaded with (`None`: save regardless).
    pub edit_version: Option<i64>,
}

/// How a save went.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    Done,
    /// Another consultation of the organisation has the slug.
    SlugTaken,
    /// Someone saved in the meantime (the editor's version is old): nothing was written.
    Stale,
}

/// Saves the editor's fields. With `revision` (a published consultation), the texts as they were
/// are kept first, if they change, with the note — in the same transaction.
pub async fn save_details(
    db: &Db,
    id: i64,
    d: &Details<'_>,
    revision: Option<&str>,
) -> Result<Saved, sqlx::Error> {
    let (body_html, sections) = rendered(d.body_markdown);
    let ts = now();
    let result = on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        if let Some(note) = revision {
            sqlx::query(
                "INSERT INTO consultation_revisions (consultation_id, changed_at, note, title, summary, \
                 plain_summary, body_markdown) \
                 SELECT id, $2, $3, title, summary, plain_summary, body_markdown FROM consultations \
                 WHERE id = $1 AND (title <> $4 OR summary <> $5 OR plain_summary <> $6 OR body_markdown <> $7)",
            )
            .bind(id)
            .bind(ts)
            .bind(note)
            .bind(d.title)
            .bind(d.summary)
            .bind(d.plain_summary)
            .bind(d.body_markdown)
            .execute(&mut *tx)
            .await?;
        }
        let updated = sqlx::query(
            "UPDATE consultations SET slug = $1, title = $2, summary = $3, plain_summary = $4, \
             body_markdown = $5, body_html = $6, topic = $7, office = $8, contact = $9, opens_at = $10, \
             closes_at = $11, moderation = $12, participation = $13, updated_at = $14, sections = $16, \
             results_visibility = $17, downvotes = $19, edit_version = edit_version + 1 \
             WHERE id = $15 AND ($18 < 0 OR edit_version = $18)",
        )
        .bind(d.slug)
        .bind(d.title)
        .bind(d.summary)
        .bind(d.plain_summary)
        .bind(d.body_markdown)
        .bind(&body_html)
        .bind(d.topic)
        .bind(d.office)
        .bind(d.contact)
        .bind(d.opens_at)
        .bind(d.closes_at)
        .bind(d.moderation.as_str())
        .bind(d.participation.as_str())
        .bind(ts)
        .bind(id)
        .bind(&sections)
        .bind(d.results_visibility.as_str())
        .bind(d.edit_version.unwrap_or(-1))
        .bind(d.downvotes)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Saved::Stale);
        }
        tx.commit().await.map(|_| Saved::Done)
    });
    match result {
        Err(err) if crate::db::is_unique_violation(&err) => Ok(Saved::SlugTaken),
        other => other,
    }
}

/// The stored editor fields of a consultation, as form values.
pub async fn editor_values(
    db: &Db,
    id: i64,
) -> Result<std::collections::BTreeMap<String, String>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        title: String,
        summary: String,
        plain_summary: String,
        body_markdown: String,
        topic: String,
        office: String,
        contact: String,
        opens_at: Option<i64>,
        closes_at: Option<i64>,
        moderation: String,
        participation: String,
        results_visibility: String,
        downvotes: bool,
        edit_version: i64,
        report_threshold: i64,
    }
    let r = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(
            "SELECT slug, title, summary, plain_summary, body_markdown, topic, office, contact, \
             opens_at, closes_at, moderation, participation, results_visibility, downvotes, edit_version, \
             CAST(report_threshold AS BIGINT) AS report_threshold \
             FROM consultations WHERE id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await
    })?;
    let date = |t: Option<i64>| {
        t.map(super::editor::format_berlin_local)
            .unwrap_or_default()
    };
    Ok([
        ("slug", r.slug),
        ("title", r.title),
        ("summary", r.summary),
        ("plain_summary", r.plain_summary),
        ("body", r.body_markdown),
        ("topic", r.topic),
        ("office", r.office),
        ("contact", r.contact),
        ("opens_at", date(r.opens_at)),
        ("closes_at", date(r.closes_at)),
        ("moderation", r.moderation),
        ("rule", r.participation),
        ("results", r.results_visibility),
        (
            "votes",
            if r.downvotes { "up_down" } else { "up" }.to_string(),
        ),
        ("edit_version", r.edit_version.to_string()),
        ("report_threshold", r.report_threshold.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect())
}

/// Sets how many reports hide a contribution of the consultation pending review (1..=100, checked
/// by the caller and the database).
pub async fn set_report_threshold(db: &Db, id: i64, threshold: i64) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE consultations SET report_threshold = $1 WHERE id = $2")
            .bind(threshold)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Where a consultation is: the place in words and its area (unreadable stored areas count as
/// none).
pub async fn place(db: &Db, id: i64) -> Result<super::Place, sqlx::Error> {
    let (location, area) = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String)>(
            "SELECT location, area FROM consultations WHERE id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await
    })?;
    Ok(super::Place {
        location,
        area: crate::geo::Area::from_geojson(&area),
    })
}

/// Saves the place in words and the area (GeoJSON as `crate::geo` wrote it, '' for none).
pub async fn save_place(db: &Db, id: i64, location: &str, area: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE consultations SET location = $1, area = $2 WHERE id = $3")
            .bind(location)
            .bind(area)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Gives a consultation a place unless it has one (for the demo data, which runs repeatedly).
pub async fn set_place_if_unset(
    db: &Db,
    id: i64,
    location: &str,
    area: &str,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE consultations SET location = $1, area = $2 \
             WHERE id = $3 AND location = '' AND area = ''",
        )
        .bind(location)
        .bind(area)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Open public consultations that have an area, each with the centre of its area: the markers
/// of the map on the home page. Drafts and scheduled ones never (the same conditions as lists).
pub async fn open_places(db: &Db) -> Result<Vec<super::MapMarker>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        area: String,
        #[sqlx(flatten)]
        card: CardRow,
    }
    let sql = format!(
        "SELECT c.area, {CARD_COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.area <> '' AND {} AND {} ORDER BY c.title, c.id LIMIT 500",
        public_at(1),
        open_at(1)
    );
    let rows = on_db!(db, |pool| sqlx::query_as::<_, Row>(&sql)
        .bind(now())
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let area = crate::geo::Area::from_geojson(&r.area)?;
            let card = r.card.into_card();
            Some(super::MapMarker {
                path: card.path(),
                title: card.title,
                org_name: card.org_name,
                at: area.centroid(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_in_search_terms_are_literal() {
        assert_eq!(super::escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
