//! Synthetic load data for benchmarks (`mitreden seed-load`): participants without e-mail
//! addresses (they cannot sign in) — or, for retention timings, with confirmed addresses under
//! `example.invalid` like participants who signed in by e-mail link — comments with about one reply in five, and support votes
//! spread over the comments, one per participant and comment. Written in batches of multi-row
//! inserts, each batch one transaction; the support counts are set from the vote rows at the end.

use crate::db::{now, Db};
use crate::on_db;

/// What a run added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Made {
    pub participants: u64,
    pub comments: u64,
    pub votes: u64,
    /// The session cookies (`mitreden_session=…`) of the participants, when asked for.
    pub sessions: Vec<String>,
}

/// The password of signed-in synthetic participants: they count as accounts with a password
/// (every consultation's account rule), but this is no hash any password matches.
const UNUSABLE_PASSWORD: &str = "!load-test: no password";

/// How long the sessions of synthetic participants stay valid.
const SESSION_SECONDS: i64 = 2 * 3600;

const BATCH: usize = 500;

/// A comment about to be written: its parent (id, thread root), author index, text, HTML, time.
type NewComment = (Option<(i64, i64)>, usize, String, String, i64);

fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const WORDS: [&str; 16] = [
    "Radweg",
    "Kreuzung",
    "Tempo 30",
    "Bushaltestelle",
    "Schulweg",
    "Parkplätze",
    "Bäume",
    "Beleuchtung",
    "Zebrastreifen",
    "Lieferverkehr",
    "Spielplatz",
    "Lärm",
    "Gehweg",
    "Ampel",
    "Fahrradständer",
    "Marktplatz",
];

fn text(i: u64) -> String {
    let a = WORDS[(i % 16) as usize];
    let b = WORDS[(i / 16 % 16) as usize];
    format!(
        "Beitrag {i}: Beim Thema {a} wünsche ich mir mehr Sorgfalt. Auch {b} sollte in der \
         Planung berücksichtigt werden, damit der Alltag im Viertel sicherer und ruhiger wird."
    )
}

/// Who writes the synthetic contributions.
#[derive(Debug, Default, Clone, Copy)]
pub struct Participants {
    /// How many; by default a fifth of the comments (50 to 20,000), enough for the votes.
    pub count: Option<u64>,
    /// With confirmed e-mail addresses (`…@example.invalid`), like e-mail-link participants.
    pub with_email: bool,
    /// Signed in: a session each, for load tests that write through HTTP.
    pub sessions: bool,
}

/// Adds `comments` comments and `votes` votes to the consultation.
pub async fn seed(
    db: &Db,
    consultation_id: i64,
    comments: u64,
    votes: u64,
    who: Participants,
) -> Result<Made, sqlx::Error> {
    if comments == 0 {
        return Ok(Made::default());
    }
    let tag = &crate::secret::random_token()[..8];
    let participants = who
        .count
        .unwrap_or((comments / 5).clamp(50, 20_000))
        .max(votes.div_ceil(comments))
        .max(1);
    let ts = now();

    // Participants.
    let mut users: Vec<(i64, String)> = Vec::with_capacity(participants as usize);
    let mut i = 0u64;
    while i < participants {
        let n = (participants - i).min(BATCH as u64) as usize;
        let names: Vec<String> = (0..n as u64)
            .map(|k| format!("Last {tag}-{}", i + k))
            .collect();
        let sql = format!(
            "INSERT INTO users (display_name, email, email_verified_at, created_at, password_hash) \
             VALUES {} RETURNING id",
            placeholders(n, 5)
        );
        let mut ids: Vec<i64> = on_db!(db, |pool| {
            let mut q = sqlx::query_scalar::<_, i64>(&sql);
            for (k, name) in names.iter().enumerate() {
                let email = who
                    .with_email
                    .then(|| format!("last-{tag}-{}@example.invalid", i + k as u64));
                let verified = who.with_email.then_some(ts);
                q = q
                    .bind(name)
                    .bind(email)
                    .bind(verified)
                    .bind(ts)
                    .bind(who.sessions.then_some(UNUSABLE_PASSWORD));
            }
            q.fetch_all(pool).await
        })?;
        ids.sort_unstable();
        users.extend(ids.into_iter().zip(names));
        i += n as u64;
    }
    let mut sessions = Vec::new();
    if who.sessions {
        for batch in users.chunks(BATCH) {
            let tokens: Vec<String> = batch
                .iter()
                .map(|_| crate::secret::random_token())
                .collect();
            let sql = format!(
                "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, \
                 pending_second_factor) VALUES {}",
                placeholders(batch.len(), 6)
            );
            on_db!(db, |pool| {
                let mut q = sqlx::query(&sql);
                for ((user, _), token) in batch.iter().zip(&tokens) {
                    q = q
                        .bind(crate::secret::token_hash(token))
                        .bind(*user)
                        .bind(ts)
                        .bind(ts)
                        .bind(ts + SESSION_SECONDS)
                        .bind(false);
                }
                q.execute(pool).await.map(|_| ())
            })?;
            sessions.extend(tokens.into_iter().map(|t| format!("mitreden_session={t}")));
        }
    }

    // Comments: (id, root) of every one written so far, for the replies.
    let mut written: Vec<(i64, i64)> = Vec::with_capacity(comments as usize);
    let mut i = 0u64;
    while i < comments {
        let n = (comments - i).min(BATCH as u64) as usize;
        let before = written.len();
        let rows: Vec<NewComment> = (0..n as u64)
            .map(|k| {
                let index = i + k;
                let parent = (before > 0 && index % 5 == 4)
                    .then(|| written[(index.wrapping_mul(7919) % before as u64) as usize]);
                let body = text(index);
                let html = crate::markdown::render_comment(&body);
                let author = (index % participants) as usize;
                let created = ts - (comments - index) as i64;
                (parent, author, body, html, created)
            })
            .collect();
        let sql = format!(
            "INSERT INTO comments (consultation_id, parent_id, root_id, author_user_id, \
             author_name, body, body_html, status, created_at) VALUES {} RETURNING id",
            placeholders(n, 9)
        );
        let mut ids: Vec<i64> = on_db!(db, |pool| {
            let mut q = sqlx::query_scalar::<_, i64>(&sql);
            for (parent, author, body, html, created) in &rows {
                let (user, name) = &users[*author];
                q = q
                    .bind(consultation_id)
                    .bind(parent.map(|(id, _)| id))
                    .bind(parent.map(|(_, root)| root))
                    .bind(*user)
                    .bind(name)
                    .bind(body)
                    .bind(html)
                    .bind("published")
                    .bind(*created);
            }
            q.fetch_all(pool).await
        })?;
        ids.sort_unstable();
        for (id, (parent, ..)) in ids.into_iter().zip(&rows) {
            written.push((id, parent.map_or(id, |(_, root)| root)));
        }
        i += n as u64;
    }

    // Votes: vote v goes to comment v % N from participant v / N, so no pair repeats.
    let mut v = 0u64;
    while v < votes {
        let n = (votes - v).min(BATCH as u64) as usize;
        let pairs: Vec<(i64, i64)> = (0..n as u64)
            .map(|k| {
                let index = v + k;
                let comment = written[(index % comments) as usize].0;
                let user = users[(index / comments) as usize].0;
                (comment, user)
            })
            .collect();
        let sql = format!(
            "INSERT INTO comment_votes (comment_id, user_id, value, created_at) VALUES {}",
            placeholders(n, 4)
        );
        on_db!(db, |pool| {
            let mut q = sqlx::query(&sql);
            for (comment, user) in &pairs {
                q = q.bind(*comment).bind(*user).bind(1i32).bind(ts);
            }
            q.execute(pool).await.map(|_| ())
        })?;
        v += n as u64;
    }
    if votes > 0 {
        on_db!(db, |pool| {
            sqlx::query(
                "UPDATE comments SET up_votes = (SELECT COUNT(*) FROM comment_votes v \
                 WHERE v.comment_id = comments.id AND v.value = 1) WHERE consultation_id = $1",
            )
            .bind(consultation_id)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
    }
    Ok(Made {
        participants,
        comments,
        votes,
        sessions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_cell() {
        assert_eq!(placeholders(2, 2), "($1, $2), ($3, $4)");
    }
}
