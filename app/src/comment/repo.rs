//! Comment queries.

use super::{AuthorName, Comment, CommentBody, HiddenInfo, Sort, Visibility, Votes};
use crate::db::{now, Db};
use crate::on_db;

/// The columns every comment query reads, for the reader `$V` (0 for nobody): the comment as
/// the public sees it plus whether the reader wrote it and how they voted.
/// A comment's HTML as stored; comments written before texts were stored as HTML are rendered
/// now (through the same sanitiser).
pub fn stored_html(body: &str, body_html: String) -> String {
    if body_html.is_empty() && !body.is_empty() {
        crate::markdown::render_comment(body)
    } else {
        body_html
    }
}

const COLUMNS: &str = "c.id, c.parent_id, c.author_name, c.author_deleted, c.body, c.body_html, \
     c.created_at, c.edited_at, c.deleted_at, c.section_id, c.section_title, c.pin_lat, c.pin_lon, \
     c.up_votes, c.down_votes, CAST(COALESCE(v.value, 0) AS BIGINT) AS my_vote, \
     (c.author_user_id IS NOT NULL AND c.author_user_id = $V) AS mine, \
     c.status, c.hidden_reason, c.hidden_note, a.outcome AS appeal_outcome, \
     COALESCE(a.note, '') AS appeal_note, (a.id IS NOT NULL) AS appealed, \
     EXISTS (SELECT 1 FROM comment_reports rp WHERE rp.comment_id = c.id AND rp.user_id = $V) \
     AS reported";

/// The appeal against a comment's hiding (read for its author only, see `into_comment`).
const APPEAL_JOIN: &str = "LEFT JOIN appeals a ON a.comment_id = c.id";

/// Which comments the reader `$V` gets rows for: published ones; their own awaiting review or
/// hidden (with the statement of reasons); and other hidden ones, which `into_comment` empties
/// to a placeholder and `thread` drops unless they have replies.
const VISIBLE: &str = "(c.status IN ('published', 'hidden') \
     OR (c.status = 'pending' AND c.author_user_id = $V))";

#[derive(Debug, sqlx::FromRow)]
struct CommentRow {
    id: i64,
    parent_id: Option<i64>,
    author_name: String,
    author_deleted: bool,
    body: String,
    body_html: String,
    created_at: i64,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    section_id: String,
    section_title: String,
    pin_lat: Option<f64>,
    pin_lon: Option<f64>,
    up_votes: i64,
    down_votes: i64,
    my_vote: i64,
    mine: bool,
    status: String,
    hidden_reason: Option<String>,
    hidden_note: String,
    appeal_outcome: Option<String>,
    appeal_note: String,
    appealed: bool,
    reported: bool,
}

impl CommentRow {
    fn into_comment(self, now: i64) -> Comment {
        let visibility = match (self.status.as_str(), self.mine) {
            ("published", _) => Visibility::Published,
            ("pending", true) => Visibility::Pending,
            ("hidden", true) => Visibility::Hidden(HiddenInfo {
                reason: self
                    .hidden_reason
                    .as_deref()
                    .and_then(crate::moderation::Reason::parse),
                note: self.hidden_note.clone(),
                appeal: self
                    .appealed
                    .then(|| crate::moderation::appeal::AppealState {
                        outcome: self
                            .appeal_outcome
                            .as_deref()
                            .and_then(crate::moderation::appeal::AppealOutcome::parse),
                        note: self.appeal_note.clone(),
                    }),
            }),
            _ => Visibility::Removed,
        };
        if visibility == Visibility::Removed {
            // Nothing of a hidden contribution reaches anyone but its author.
            return Comment {
                id: self.id,
                parent_id: self.parent_id,
                created_at: self.created_at,
                deleted: self.deleted_at.is_some(),
                visibility,
                ..Comment::default()
            };
        }
        let deleted = self.deleted_at.is_some();
        let hidden = matches!(visibility, Visibility::Hidden(_));
        let editable_until = (self.mine && !deleted && !hidden)
            .then_some(self.created_at + super::EDIT_WINDOW_SECS)
            .filter(|until| *until > now);
        let body_html = if deleted {
            String::new()
        } else {
            stored_html(&self.body, self.body_html)
        };
        Comment {
            id: self.id,
            parent_id: self.parent_id,
            author_name: (!self.author_name.is_empty() && !deleted).then_some(self.author_name),
            author_deleted: self.author_deleted,
            // The Markdown source only for the author's own edit form.
            body: if editable_until.is_some() {
                self.body
            } else {
                String::new()
            },
            body_html,
            created_at: self.created_at,
            edited: self.edited_at.is_some(),
            deleted,
            section: (!self.section_id.is_empty()).then_some((self.section_id, self.section_title)),
            pin: if deleted {
                None
            } else {
                self.pin_lat
                    .zip(self.pin_lon)
                    .and_then(|(lat, lon)| crate::geo::LatLon::new(lat, lon))
            },
            votes: Votes {
                up: self.up_votes,
                down: self.down_votes,
                mine: self.my_vote.clamp(-1, 1) as i8,
            },
            editable_until,
            mine: self.mine,
            visibility,
            reported: self.reported,
            answer: None,
        }
    }
}

/// Puts each published comment's official answer on it (one query for all of them).
async fn with_answers(db: &Db, mut comments: Vec<Comment>) -> Result<Vec<Comment>, sqlx::Error> {
    let ids: Vec<i64> = comments
        .iter()
        .filter(|c| c.visibility.is_published() && !c.deleted)
        .map(|c| c.id)
        .collect();
    let mut answers = crate::answer::repo::for_comments(db, &ids).await?;
    for c in &mut comments {
        c.answer = answers.remove(&c.id);
    }
    Ok(comments)
}

/// `sql` with the reader's id put in for `$V` as the given placeholder.
fn with_viewer(sql: &str, placeholder: &str) -> String {
    sql.replace("$V", placeholder)
}

/// One page of a consultation's threads in the given order, with every published reply in them,
/// in ONE query (the top-level comments of the page are picked and ranked in a CTE; the rows
/// come back in rank order, replies after their thread's first comment). Also returns how many
/// threads there are.
pub async fn page(
    db: &Db,
    consultation_id: i64,
    viewer: Option<i64>,
    sort: Sort,
    page: usize,
) -> Result<(Vec<Comment>, i64), sqlx::Error> {
    // The order comes from this match, never from the request's text.
    let order = match sort {
        Sort::Newest => "c.created_at DESC, c.id DESC",
        Sort::Oldest => "c.created_at ASC, c.id ASC",
        Sort::Supported => {
            "c.up_votes - c.down_votes DESC, c.up_votes DESC, c.created_at DESC, c.id DESC"
        }
        Sort::Discussed => "COALESCE(d.n, 0) DESC, c.created_at DESC, c.id DESC",
    };
    let offset = (page.max(1) - 1) * super::THREADS_PER_PAGE;
    let sql = format!(
        "WITH d AS (SELECT root_id, COUNT(*) AS n FROM comments \
           WHERE consultation_id = $1 AND status = 'published' AND deleted_at IS NULL \
           AND root_id IS NOT NULL GROUP BY root_id), \
         roots AS (SELECT c.id, ROW_NUMBER() OVER (ORDER BY {order}) AS rank, \
           COUNT(*) OVER () AS threads FROM comments c LEFT JOIN d ON d.root_id = c.id \
           WHERE c.consultation_id = $1 AND c.parent_id IS NULL \
           AND (c.status = 'published' \
             OR (c.status IN ('pending', 'hidden') AND c.author_user_id = $2) \
             OR (c.status = 'hidden' AND d.n IS NOT NULL)) \
           AND (c.deleted_at IS NULL OR d.n IS NOT NULL)) \
         SELECT {columns}, r.rank, r.threads FROM comments c \
         JOIN roots r ON r.id = COALESCE(c.root_id, c.id) \
         LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = $2 {APPEAL_JOIN} \
         WHERE c.consultation_id = $1 AND {visible} \
         AND r.rank > $3 AND r.rank <= $4 \
         ORDER BY r.rank, c.created_at, c.id",
        columns = with_viewer(COLUMNS, "$2"),
        visible = with_viewer(VISIBLE, "$2"),
    );
    #[derive(sqlx::FromRow)]
    struct Ranked {
        #[sqlx(flatten)]
        row: CommentRow,
        threads: i64,
    }
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, Ranked>(&sql)
            .bind(consultation_id)
            .bind(viewer.unwrap_or(0))
            .bind(offset as i64)
            .bind((offset + super::THREADS_PER_PAGE) as i64)
            .fetch_all(pool)
            .await
    })?;
    let threads = rows.first().map_or(0, |r| r.threads);
    let threads = if rows.is_empty() && page > 1 {
        count_threads(db, consultation_id).await?
    } else {
        threads
    };
    let now = now();
    let comments = rows.into_iter().map(|r| r.row.into_comment(now)).collect();
    Ok((with_answers(db, comments).await?, threads))
}

/// How many threads a consultation has (for a page past the end).
async fn count_threads(db: &Db, consultation_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM comments c WHERE c.consultation_id = $1 \
             AND c.status = 'published' AND c.parent_id IS NULL",
        )
        .bind(consultation_id)
        .fetch_one(pool)
        .await
    })
}

/// How many published, not deleted comments (and replies) a consultation has.
pub async fn count_published(db: &Db, consultation_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM comments WHERE consultation_id = $1 \
             AND status = 'published' AND deleted_at IS NULL",
        )
        .bind(consultation_id)
        .fetch_one(pool)
        .await
    })
}

/// The whole thread a comment belongs to (its top-level comment and every published reply), in
/// one query; empty if the comment is not a published comment of the consultation.
pub async fn thread_of(
    db: &Db,
    consultation_id: i64,
    comment_id: i64,
    viewer: Option<i64>,
) -> Result<Vec<Comment>, sqlx::Error> {
    let sql = format!(
        "SELECT {columns} FROM comments c \
         LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = $3 {APPEAL_JOIN} \
         WHERE c.consultation_id = $1 AND {visible} AND COALESCE(c.root_id, c.id) = \
           (SELECT COALESCE(t.root_id, t.id) FROM comments t \
            WHERE t.id = $2 AND t.consultation_id = $1 \
            AND (t.status = 'published' OR t.author_user_id = $3)) \
         ORDER BY c.created_at, c.id",
        columns = with_viewer(COLUMNS, "$3"),
        visible = with_viewer(VISIBLE, "$3"),
    );
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, CommentRow>(&sql)
            .bind(consultation_id)
            .bind(comment_id)
            .bind(viewer.unwrap_or(0))
            .fetch_all(pool)
            .await
    })?;
    let now = now();
    with_answers(db, rows.into_iter().map(|r| r.into_comment(now)).collect()).await
}

/// One comment as `viewer` sees it (after an edit or a vote), if it is published or theirs.
pub async fn one(
    db: &Db,
    consultation_id: i64,
    comment_id: i64,
    viewer: Option<i64>,
) -> Result<Option<Comment>, sqlx::Error> {
    let sql = format!(
        "SELECT {columns} FROM comments c \
         LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = $3 {APPEAL_JOIN} \
         WHERE c.id = $2 AND c.consultation_id = $1 \
         AND (c.status = 'published' OR c.author_user_id = $3)",
        columns = with_viewer(COLUMNS, "$3"),
    );
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, CommentRow>(&sql)
            .bind(consultation_id)
            .bind(comment_id)
            .bind(viewer.unwrap_or(0))
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|r| r.into_comment(now())))
}

/// Every pinned comment of a consultation (id, place) for its map: all pages at once.
pub async fn pins(
    db: &Db,
    consultation_id: i64,
) -> Result<Vec<(i64, crate::geo::LatLon)>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, f64, f64)>(
            "SELECT id, pin_lat, pin_lon FROM comments WHERE consultation_id = $1 \
             AND status = 'published' AND deleted_at IS NULL \
             AND pin_lat IS NOT NULL AND pin_lon IS NOT NULL ORDER BY id LIMIT 5000",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, lat, lon)| crate::geo::LatLon::new(lat, lon).map(|p| (id, p)))
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
            "SELECT id FROM comments WHERE id = $1 AND consultation_id = $2 \
             AND status = 'published' AND deleted_at IS NULL",
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

/// Stores a comment (its text sanitised to HTML once, here) and returns it as its author sees it.
pub async fn insert(db: &Db, c: &NewComment<'_>) -> Result<Comment, sqlx::Error> {
    let created_at = now();
    let body_html = crate::markdown::render_comment(c.body.as_str());
    let id = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO comments (consultation_id, parent_id, root_id, author_user_id, author_name, \
             body, body_html, status, created_at, section_id, section_title, pin_lat, pin_lon) \
             VALUES ($1, $2, (SELECT COALESCE(p.root_id, p.id) FROM comments p WHERE p.id = $2), \
             $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(c.consultation_id)
        .bind(c.parent_id)
        .bind(c.author_user_id)
        .bind(c.author_name.as_deref().unwrap_or(""))
        .bind(c.body.as_str())
        .bind(&body_html)
        .bind(if c.published { "published" } else { "pending" })
        .bind(created_at)
        .bind(c.section.map_or("", |s| s.0))
        .bind(c.section.map_or("", |s| s.1))
        .bind(c.pin.map(|p| p.lat))
        .bind(c.pin.map(|p| p.lon))
        .fetch_one(pool)
        .await
    })?;
    let mine = c.author_user_id.is_some();
    Ok(Comment {
        id,
        parent_id: c.parent_id,
        author_name: c.author_name.as_deref().map(str::to_owned),
        author_deleted: false,
        body: if mine {
            c.body.as_str().to_owned()
        } else {
            String::new()
        },
        body_html,
        created_at,
        edited: false,
        deleted: false,
        section: c
            .section
            .map(|(id, title)| (id.to_string(), title.to_string())),
        pin: c.pin,
        votes: Votes::default(),
        editable_until: mine.then_some(created_at + super::EDIT_WINDOW_SECS),
        mine,
        visibility: if c.published {
            Visibility::Published
        } else {
            Visibility::Pending
        },
        reported: false,
        answer: None,
    })
}

/// Why an author's change to their comment did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such published comment here, or someone else's (not told apart: ids are not probed).
    NotFound,
    /// Deleted already.
    Deleted,
    /// Past the edit window.
    TooLate,
}

/// Replaces the text of `author`'s comment if it is still within the edit window (checked in the
/// same statement that writes).
pub async fn edit(
    db: &Db,
    consultation_id: i64,
    comment_id: i64,
    author: i64,
    body: &CommentBody,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let ts = now();
    let html = crate::markdown::render_comment(body.as_str());
    let changed = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE comments SET body = $1, body_html = $2, edited_at = $3 \
             WHERE id = $4 AND consultation_id = $5 AND author_user_id = $6 \
             AND status IN ('published', 'pending') AND deleted_at IS NULL AND created_at > $7",
        )
        .bind(body.as_str())
        .bind(&html)
        .bind(ts)
        .bind(comment_id)
        .bind(consultation_id)
        .bind(author)
        .bind(ts - super::EDIT_WINDOW_SECS)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if changed == 1 {
        return Ok(Ok(()));
    }
    Ok(Err(why_not(db, consultation_id, comment_id, author).await?))
}

/// Deletes `author`'s comment: text, name and pin go, the row stays as a placeholder so that the
/// replies keep their thread. Votes on it go too.
pub async fn delete(
    db: &Db,
    consultation_id: i64,
    comment_id: i64,
    author: i64,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let ts = now();
    let changed = on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE comments SET body = '', body_html = '', pin_lat = NULL, pin_lon = NULL, \
             deleted_at = $1, up_votes = 0, down_votes = 0 \
             WHERE id = $2 AND consultation_id = $3 AND author_user_id = $4 AND deleted_at IS NULL",
        )
        .bind(ts)
        .bind(comment_id)
        .bind(consultation_id)
        .bind(author)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            sqlx::query("DELETE FROM comment_votes WHERE comment_id = $1")
                .bind(comment_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(changed)
    })?;
    if changed == 1 {
        return Ok(Ok(()));
    }
    Ok(Err(why_not(db, consultation_id, comment_id, author).await?))
}

async fn why_not(
    db: &Db,
    consultation_id: i64,
    comment_id: i64,
    author: i64,
) -> Result<Refusal, sqlx::Error> {
    let row = on_db!(db, |pool| {
        sqlx::query_as::<_, (Option<i64>,)>(
            "SELECT deleted_at FROM comments WHERE id = $1 AND consultation_id = $2 \
             AND author_user_id = $3",
        )
        .bind(comment_id)
        .bind(consultation_id)
        .bind(author)
        .fetch_optional(pool)
        .await
    })?;
    Ok(match row {
        None => Refusal::NotFound,
        Some((Some(_),)) => Refusal::Deleted,
        Some((None,)) => Refusal::TooLate,
    })
}

/// What became of a vote.
#[derive(Debug, PartialEq, Eq)]
pub enum VoteResult {
    Counted(Votes),
    /// No published, undeleted comment with this id in the consultation.
    NotFound,
    /// One does not vote on one's own comment.
    OwnComment,
}

/// Sets (`Some(1)` / `Some(-1)`) or withdraws (`None`) `user`'s vote on a comment, and the
/// comment's counts with it, in one transaction. The first statement writes the comment row, so
/// that concurrent votes on the same comment queue behind its lock (PostgreSQL's row lock,
/// SQLite's write lock); the vote row's primary key allows one vote per person; the counts are
/// then counted afresh in SQL — nothing is read, changed and written back by the application.
pub async fn vote(
    db: &Db,
    consultation_id: i64,
    comment_id: i64,
    user: i64,
    value: Option<i8>,
) -> Result<VoteResult, sqlx::Error> {
    let ts = now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let author = sqlx::query_scalar::<_, Option<i64>>(
            "UPDATE comments SET up_votes = up_votes WHERE id = $1 AND consultation_id = $2 \
             AND status = 'published' AND deleted_at IS NULL RETURNING author_user_id",
        )
        .bind(comment_id)
        .bind(consultation_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(author) = author else {
            return Ok(VoteResult::NotFound);
        };
        if author == Some(user) {
            return Ok(VoteResult::OwnComment);
        }
        // The comment's row is locked (the update above) until the commit, so no other vote on
        // it runs in between: the counts move by what this vote changes, without counting every
        // vote of the comment again.
        let previous = sqlx::query_scalar::<_, i16>(
            "SELECT value FROM comment_votes WHERE comment_id = $1 AND user_id = $2",
        )
        .bind(comment_id)
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
        match value {
            Some(value) => {
                sqlx::query(
                    "INSERT INTO comment_votes (comment_id, user_id, value, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (comment_id, user_id) \
                     DO UPDATE SET value = excluded.value",
                )
                .bind(comment_id)
                .bind(user)
                .bind(i16::from(value))
                .bind(ts)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM comment_votes WHERE comment_id = $1 AND user_id = $2")
                    .bind(comment_id)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let (up_change, down_change) = count_change(previous, value);
        let (up, down) = sqlx::query_as::<_, (i64, i64)>(
            "UPDATE comments SET up_votes = up_votes + $2, down_votes = down_votes + $3 \
             WHERE id = $1 RETURNING up_votes, down_votes",
        )
        .bind(comment_id)
        .bind(up_change)
        .bind(down_change)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(VoteResult::Counted(Votes {
            up,
            down,
            mine: value.unwrap_or(0),
        }))
    })
}

/// How a comment's (support, objection) counts change when a vote goes from `previous` to `now`
/// (1 support, -1 objection, none).
fn count_change(previous: Option<i16>, now: Option<i8>) -> (i64, i64) {
    let is = |v: Option<i64>, x: i64| i64::from(v == Some(x));
    let (before, after) = (previous.map(i64::from), now.map(i64::from));
    (is(after, 1) - is(before, 1), is(after, -1) - is(before, -1))
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

/// The support and objections a user gave, for their data export: (comment id, consultation
/// title, +1/-1, when).
pub async fn votes_by(db: &Db, user_id: i64) -> Result<Vec<(i64, String, i64, i64)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, i64, i64)>(
            "SELECT v.comment_id, k.title, CAST(v.value AS BIGINT), v.created_at FROM comment_votes v \
             JOIN comments c ON c.id = v.comment_id JOIN consultations k ON k.id = c.consultation_id \
             WHERE v.user_id = $1 ORDER BY v.created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::count_change;

    #[test]
    fn a_vote_moves_the_counts_by_what_it_changes() {
        assert_eq!(count_change(None, Some(1)), (1, 0));
        assert_eq!(count_change(None, Some(-1)), (0, 1));
        assert_eq!(count_change(Some(1), Some(1)), (0, 0));
        assert_eq!(count_change(Some(1), Some(-1)), (-1, 1));
        assert_eq!(count_change(Some(-1), None), (0, -1));
        assert_eq!(count_change(Some(1), None), (-1, 0));
        assert_eq!(count_change(None, None), (0, 0));
    }
}
