//! Resilience, proven from the outside on the real `mitreden serve` process (`common::process`):
//! whatever the server acknowledged (answered 2xx) is in the database afterwards, and the
//! database stays consistent — under load, when the process is killed, when the database goes
//! away for a while.
//!
//! - A thousand participants at once (48 requests in flight), each writing a comment (every
//!   fifth a reply) and supporting three comments: two of the demo's, which everybody supports,
//!   and one of another participant's. Every answer is 2xx, every acknowledged comment and vote
//!   is stored, and each comment's support count equals its vote rows. SQLite and PostgreSQL.
//! - `kill -9` of the server while requests are in flight, after some hundred acknowledged
//!   writes: it starts again on the same database, every acknowledged write is there, the
//!   database is consistent (SQLite's integrity check too), and it takes writes again. Requests
//!   the kill cut count as not acknowledged. SQLite and PostgreSQL.
//! - PostgreSQL stopped under load (`pg_ctl -m immediate`, as a crash would): pages, server
//!   functions and /healthz answer 503 with `Retry-After` within seconds, rather than hanging or
//!   failing with 500; once the database runs again the server recovers by itself (no restart),
//!   and nothing acknowledged before, during or after is lost. This one stops the cluster that
//!   every PostgreSQL test shares (`MITREDEN_TEST_PG_CTL`, see scripts/with-postgres.sh), so
//!   it runs alone (.config/nextest.toml).
//!
//! Each participant comes from a network of its own (`X-Forwarded-For` through the trusted proxy
//! 127.0.0.1), as a thousand residents at home would: the per-network rate limits count each
//! alone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::db::{Db, PoolSettings};
use app::on_db;

use crate::common::process::{mitreden, ServerProcess, ORIGIN};
use crate::common::{self, Backend};

const ORG: &str = "musterstadt";
const SLUG: &str = "verkehrsberuhigung-altstadt";
const PAGE: &str = "/musterstadt/verkehrsberuhigung-altstadt";
const PARTICIPANTS: usize = 1000;
const IN_FLIGHT: usize = 48;
/// How long an answer may take while the database is away ("quickly, not hanging"): the pool
/// gives up on a connection after `app::db::ACQUIRE_TIMEOUT` (2 s) — twice for a page to
/// anonymous readers, whose page store first tries to read the database's change token.
const PROMPT: Duration = Duration::from_secs(6);

/// A comment the server acknowledged. Its text is unique, so it is found by text even when the
/// answer's body (with the id) did not arrive.
#[derive(Clone, Debug)]
struct AckedComment {
    id: Option<i64>,
    author: i64,
    parent: Option<i64>,
    body: String,
}

/// What the participants saw.
#[derive(Default, Debug)]
struct Tally {
    comments: Vec<AckedComment>,
    /// Acknowledged support: (comment, voter).
    votes: Vec<(i64, i64)>,
    /// Write requests sent.
    writes: usize,
    /// Answers other than 2xx, by status.
    refused: BTreeMap<u16, usize>,
    /// The first few refusals, for the failure message.
    samples: Vec<String>,
    /// Requests without an answer (the connection cut or refused).
    cut: usize,
    slowest_refusal: Duration,
}

impl Tally {
    fn refusals(&self) -> usize {
        self.refused.values().sum()
    }

    fn merge(&mut self, other: Tally) {
        self.comments.extend(other.comments);
        self.votes.extend(other.votes);
        self.writes += other.writes;
        for (status, n) in other.refused {
            *self.refused.entry(status).or_default() += n;
        }
        self.samples.extend(other.samples);
        self.cut += other.cut;
        self.slowest_refusal = self.slowest_refusal.max(other.slowest_refusal);
    }

    fn summary(&self) -> String {
        format!(
            "{} writes sent, {} comments and {} votes acknowledged, refused {:?}, {} cut; \
             slowest refusal {:?}; e.g. {:?}",
            self.writes,
            self.comments.len(),
            self.votes.len(),
            self.refused,
            self.cut,
            self.slowest_refusal,
            self.samples
        )
    }
}

/// A comment row: (id, author, parent, text, status).
type StoredComment = (i64, Option<i64>, Option<i64>, String, String);

/// A participant: (network number, user id, session cookie).
type Person = (usize, i64, String);

fn forwarded_for(network: usize) -> String {
    format!("10.{}.{}.7", network / 256 % 256, network % 256)
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

struct Shared {
    base: String,
    client: reqwest::Client,
    people: Vec<Person>,
    /// The demo's comments, which every participant supports two of.
    targets: Vec<i64>,
    next: AtomicUsize,
    stop: AtomicBool,
    acked: AtomicUsize,
    tally: Mutex<Tally>,
}

impl Shared {
    /// Posts a form as a participant's browser with JavaScript does; answers the JSON of a 2xx
    /// answer (`Null` if its body did not arrive in full) and counts everything else.
    async fn write(
        &self,
        network: usize,
        cookie: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Option<serde_json::Value> {
        let started = Instant::now();
        let sent = self
            .client
            .post(format!("{}{path}", self.base))
            .header("origin", ORIGIN)
            .header("accept", "application/json")
            .header("cookie", cookie)
            .header("x-forwarded-for", forwarded_for(network))
            .form(form)
            .send()
            .await;
        let answer = match sent {
            Ok(res) => Ok((res.status().as_u16(), res.text().await.ok())),
            Err(err) => Err(err),
        };
        let mut tally = self.tally.lock().unwrap();
        tally.writes += 1;
        match answer {
            Ok((status, body)) if (200..300).contains(&status) => Some(
                body.and_then(|b| serde_json::from_str(&b).ok())
                    .unwrap_or_default(),
            ),
            Ok((status, body)) => {
                *tally.refused.entry(status).or_default() += 1;
                tally.slowest_refusal = tally.slowest_refusal.max(started.elapsed());
                if tally.samples.len() < 5 {
                    tally
                        .samples
                        .push(format!("{path}: {status} {}", body.unwrap_or_default()));
                }
                None
            }
            Err(_) => {
                tally.cut += 1;
                None
            }
        }
    }

    /// One participant: a comment (every fifth a reply to one of the demo's comments), then
    /// support for two of the demo's comments and for another participant's.
    async fn participate(&self, k: usize) {
        let (network, user, cookie) = &self.people[k];
        let (network, user) = (*network, *user);
        let parent = (k % 5 == 4).then(|| self.targets[k % self.targets.len()]);
        let parent_field = parent.map(|p| p.to_string()).unwrap_or_default();
        let body = format!(
            "Belastungsprobe {network}: Tempo 20 in der Marktstraße und Ladezonen für die Geschäfte."
        );
        let form = [
            ("org", ORG),
            ("slug", SLUG),
            ("parent_id", parent_field.as_str()),
            ("body", body.as_str()),
        ];
        if let Some(json) = self
            .write(network, cookie, "/api/post_comment", &form)
            .await
        {
            let id = json["Published"]["id"].as_i64();
            if !json.is_null() {
                assert!(id.is_some(), "a comment answer without id: {json}");
            }
            self.tally.lock().unwrap().comments.push(AckedComment {
                id,
                author: user,
                parent,
                body,
            });
            self.acked.fetch_add(1, Ordering::SeqCst);
        }
        let mut supported = vec![
            self.targets[k % self.targets.len()],
            self.targets[(k + 1) % self.targets.len()],
        ];
        {
            let tally = self.tally.lock().unwrap();
            let n = tally.comments.len();
            let other = (0..n)
                .map(|j| &tally.comments[(k * 7919 + j) % n])
                .find(|c| c.author != user && c.id.is_some());
            supported.extend(other.and_then(|c| c.id));
        }
        for comment in supported {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let id = comment.to_string();
            let form = [
                ("org", ORG),
                ("slug", SLUG),
                ("comment_id", id.as_str()),
                ("vote", "up"),
            ];
            if let Some(json) = self
                .write(network, cookie, "/api/vote_comment", &form)
                .await
            {
                if !json.is_null() {
                    assert_eq!(json["mine"], 1, "{json}");
                    assert!(json["up"].as_i64().unwrap_or(0) >= 1, "{json}");
                }
                self.tally.lock().unwrap().votes.push((comment, user));
                self.acked.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Participants at work, `in_flight` at a time, until all had their turn or `stop`.
struct Load {
    shared: Arc<Shared>,
    workers: tokio::task::JoinSet<()>,
}

impl Load {
    fn start(base: &str, people: Vec<Person>, targets: &[i64], in_flight: usize) -> Load {
        let shared = Arc::new(Shared {
            base: base.to_string(),
            client: http_client(),
            people,
            targets: targets.to_vec(),
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            acked: AtomicUsize::new(0),
            tally: Mutex::new(Tally::default()),
        });
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..in_flight {
            let shared = shared.clone();
            workers.spawn(async move {
                while !shared.stop.load(Ordering::SeqCst) {
                    let k = shared.next.fetch_add(1, Ordering::SeqCst);
                    if k >= shared.people.len() {
                        break;
                    }
                    shared.participate(k).await;
                }
            });
        }
        Load { shared, workers }
    }

    /// Writes acknowledged so far.
    fn acked(&self) -> usize {
        self.shared.acked.load(Ordering::SeqCst)
    }

    /// Waits until `n` writes are acknowledged.
    async fn wait_for_acked(&self, n: usize, within: Duration) {
        let deadline = Instant::now() + within;
        while self.acked() < n {
            assert!(
                Instant::now() < deadline,
                "only {} of {n} writes acknowledged after {within:?}: {}",
                self.acked(),
                self.shared.tally.lock().unwrap().summary()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// No new requests from now on (the ones in flight go on).
    fn stop(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
    }

    /// Waits for the workers; answers what they saw and the participants no worker started.
    async fn finish(mut self) -> (Tally, Vec<Person>) {
        while let Some(done) = self.workers.join_next().await {
            done.expect("load worker");
        }
        let shared = Arc::into_inner(self.shared).expect("workers done");
        let started = shared.next.into_inner().min(shared.people.len());
        let rest = shared.people[started..].to_vec();
        (shared.tally.into_inner().unwrap(), rest)
    }
}

/// A database with the demo and the participants, for one test; the test's own pool on it for
/// checking afterwards.
struct Site {
    dir: PathBuf,
    url: String,
    pg_database: Option<(String, String)>,
    db: Db,
    consultation: i64,
    targets: Vec<i64>,
    people: Vec<Person>,
}

impl Site {
    async fn new(backend: Backend, participants: usize) -> Site {
        let dir = std::env::temp_dir().join(common::unique_name());
        std::fs::create_dir_all(&dir).unwrap();
        let (url, pg_database) = common::fresh_database(backend, &dir).await;
        mitreden(&["seed-demo", "--database-url", &url]);
        let db = Db::connect(&url, &PoolSettings { max_connections: 5 })
            .await
            .unwrap();
        let consultation = on_db!(&db, |pool| {
            sqlx::query_scalar::<_, i64>(
                "SELECT k.id FROM consultations k JOIN organisations o ON o.id = k.organisation_id \
                 WHERE o.slug = $1 AND k.slug = $2",
            )
            .bind(ORG)
            .bind(SLUG)
            .fetch_one(pool)
            .await
        })
        .unwrap();
        let targets = on_db!(&db, |pool| {
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM comments WHERE consultation_id = $1 AND status = 'published' \
                 AND deleted_at IS NULL ORDER BY id",
            )
            .bind(consultation)
            .fetch_all(pool)
            .await
        })
        .unwrap();
        assert!(targets.len() >= 2, "the demo's comments: {targets:?}");
        let people = common::participants(&db, "resilienz", participants)
            .await
            .into_iter()
            .enumerate()
            .map(|(network, (id, cookie))| (network, id, cookie))
            .collect();
        Site {
            dir,
            url,
            pg_database,
            db,
            consultation,
            targets,
            people,
        }
    }

    fn serve(&self) -> ServerProcess {
        ServerProcess::start(&self.url, &self.dir, "127.0.0.1:0", &[])
    }

    fn ids(&self) -> HashSet<i64> {
        self.people.iter().map(|(_, id, _)| *id).collect()
    }

    /// Each comment's support count, by comment id.
    async fn support(&self) -> HashMap<i64, i64> {
        on_db!(&self.db, |pool| {
            sqlx::query_as::<_, (i64, i64)>(
                "SELECT id, up_votes FROM comments WHERE consultation_id = $1",
            )
            .bind(self.consultation)
            .fetch_all(pool)
            .await
        })
        .unwrap()
        .into_iter()
        .collect()
    }

    /// Every acknowledged comment and vote is stored as acknowledged; answers how many comments
    /// and votes of the participants there are.
    async fn assert_stored(&self, tally: &Tally) -> (usize, usize) {
        let comments = on_db!(&self.db, |pool| {
            sqlx::query_as::<_, StoredComment>(
                "SELECT id, author_user_id, parent_id, body, status FROM comments \
                 WHERE consultation_id = $1",
            )
            .bind(self.consultation)
            .fetch_all(pool)
            .await
        })
        .unwrap();
        let by_body: HashMap<&str, &StoredComment> =
            comments.iter().map(|c| (c.3.as_str(), c)).collect();
        for acked in &tally.comments {
            let Some(&&(id, author, parent, _, ref status)) = by_body.get(acked.body.as_str())
            else {
                panic!("acknowledged but lost: {acked:?} ({})", tally.summary());
            };
            assert_eq!(author, Some(acked.author), "{acked:?}");
            assert_eq!(parent, acked.parent, "{acked:?}");
            assert_eq!(status, "published", "{acked:?}");
            if let Some(acked_id) = acked.id {
                assert_eq!(id, acked_id, "{acked:?}");
            }
        }
        let votes: HashMap<(i64, i64), i64> = on_db!(&self.db, |pool| {
            sqlx::query_as::<_, (i64, i64, i64)>(
                "SELECT comment_id, user_id, CAST(value AS BIGINT) FROM comment_votes",
            )
            .fetch_all(pool)
            .await
        })
        .unwrap()
        .into_iter()
        .map(|(comment, user, value)| ((comment, user), value))
        .collect();
        for vote in &tally.votes {
            assert_eq!(
                votes.get(vote),
                Some(&1),
                "acknowledged support (comment, voter) {vote:?} lost ({})",
                tally.summary()
            );
        }
        let ids = self.ids();
        let stored_comments = comments
            .iter()
            .filter(|c| c.1.is_some_and(|a| ids.contains(&a)))
            .count();
        let stored_votes = votes.keys().filter(|(_, u)| ids.contains(u)).count();
        (stored_comments, stored_votes)
    }

    /// The database is consistent: support counts equal the vote rows, replies hang in their
    /// thread, nothing points nowhere; SQLite's own checks pass.
    async fn assert_consistent(&self) {
        let checks = [
            (
                "comments whose support counts differ from their vote rows",
                "SELECT COUNT(*) FROM comments c WHERE \
                 c.up_votes <> (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = c.id AND v.value = 1) \
                 OR c.down_votes <> (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = c.id AND v.value = -1)",
            ),
            (
                "replies without their parent",
                "SELECT COUNT(*) FROM comments c WHERE c.parent_id IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM comments p WHERE p.id = c.parent_id)",
            ),
            (
                "replies outside their parent's thread",
                "SELECT COUNT(*) FROM comments c JOIN comments p ON p.id = c.parent_id \
                 WHERE c.root_id IS NULL OR c.root_id <> COALESCE(p.root_id, p.id) \
                 OR c.consultation_id <> p.consultation_id",
            ),
            (
                "top-level comments inside a thread",
                "SELECT COUNT(*) FROM comments WHERE parent_id IS NULL AND root_id IS NOT NULL",
            ),
            (
                "votes without their comment or voter",
                "SELECT COUNT(*) FROM comment_votes v \
                 WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = v.comment_id) \
                 OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = v.user_id)",
            ),
        ];
        for (what, sql) in checks {
            let n = on_db!(&self.db, |pool| {
                sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await
            })
            .unwrap();
            assert_eq!(n, 0, "{what}");
        }
        if let Db::Sqlite(pool) = &self.db {
            let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(pool)
                .await
                .unwrap();
            assert_eq!(integrity, ["ok"], "SQLite integrity check");
            let broken_keys = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(pool)
                .await
                .unwrap();
            assert_eq!(broken_keys.len(), 0, "SQLite foreign key check");
        }
    }

    /// Closes the pool, drops a PostgreSQL database, removes the directory.
    async fn finish(mut self) {
        self.db.close().await;
        if let Some((admin_url, name)) = self.pg_database.take() {
            let admin = Db::connect(&admin_url, &PoolSettings { max_connections: 1 })
                .await
                .unwrap();
            if let Db::Postgres(pool) = &admin {
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(pool)
                    .await
                    .unwrap();
            }
            admin.close().await;
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits until /healthz answers 200.
async fn wait_healthy(base: &str, within: Duration) -> Duration {
    let client = http_client();
    let started = Instant::now();
    loop {
        let res = client
            .get(format!("{base}/healthz"))
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        if res.is_ok_and(|r| r.status() == 200) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "/healthz not 200 after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn thousand_participants(backend: Backend) {
    let setup = Instant::now();
    let site = Site::new(backend, PARTICIPANTS).await;
    let setup = setup.elapsed();
    let before = site.support().await;
    let mut server = site.serve();
    let started = Instant::now();
    let load = Load::start(&server.base, site.people.clone(), &site.targets, IN_FLIGHT);
    let (tally, rest) = load.finish().await;
    let took = started.elapsed();
    assert!(rest.is_empty());
    // Nothing interferes: every request is acknowledged.
    assert_eq!(
        (tally.refusals(), tally.cut),
        (0, 0),
        "refused: {}",
        tally.summary()
    );
    assert_eq!(tally.comments.len(), PARTICIPANTS);
    assert_eq!(tally.votes.len(), tally.writes - PARTICIPANTS);
    // Each supported two of the demo's comments and, but for the very first (who found none
    // yet), one of another participant's.
    assert!(
        tally.votes.len() > 3 * PARTICIPANTS - IN_FLIGHT,
        "{}",
        tally.summary()
    );
    // Exactly what was acknowledged is stored.
    let stored = site.assert_stored(&tally).await;
    assert_eq!(stored, (tally.comments.len(), tally.votes.len()));
    site.assert_consistent().await;
    // And counted: each demo comment's support grew by the participants who gave it.
    let after = site.support().await;
    for target in &site.targets {
        let given = tally.votes.iter().filter(|(c, _)| c == target).count() as i64;
        assert_eq!(after[target] - before[target], given, "comment {target}");
    }
    eprintln!(
        "{backend:?}: {PARTICIPANTS} participants set up in {setup:?}, {} writes in {took:?}",
        tally.writes
    );
    server.terminate();
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_thousand_participants_every_acknowledged_write_is_stored() {
    thousand_participants(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_thousand_participants_every_acknowledged_write_is_stored() {
    thousand_participants(Backend::Postgres).await;
}

async fn kill9_mid_load(backend: Backend) {
    let site = Site::new(backend, PARTICIPANTS).await;
    let mut server = site.serve();
    let load = Load::start(&server.base, site.people.clone(), &site.targets, IN_FLIGHT);
    load.wait_for_acked(300, Duration::from_secs(60)).await;
    let killed = server.pid();
    server.kill9();
    load.stop();
    let (mut tally, rest) = load.finish().await;
    eprintln!("{backend:?}: killed after {}", tally.summary());
    let last_before = tally.comments.iter().rev().find_map(|c| c.id).unwrap();
    assert!(tally.cut > 0, "the kill cut requests: {}", tally.summary());
    // Refused only by the kill, never by the server.
    assert_eq!(tally.refusals(), 0, "{}", tally.summary());

    server.restart();
    assert_ne!(server.pid(), killed, "a new process");
    wait_healthy(&server.base, Duration::from_secs(10)).await;
    let (comments, votes) = site.assert_stored(&tally).await;
    // Some of the cut requests may have been written all the same; nothing else was.
    assert!(comments >= tally.comments.len() && votes >= tally.votes.len());
    assert!(comments + votes <= tally.writes, "{}", tally.summary());
    site.assert_consistent().await;

    // It takes writes again: the participants the kill kept from their turn.
    let later: Vec<Person> = rest.into_iter().take(100).collect();
    assert_eq!(later.len(), 100);
    let load = Load::start(&server.base, later, &site.targets, IN_FLIGHT);
    let (after, _) = load.finish().await;
    assert_eq!(
        (after.refusals(), after.cut),
        (0, 0),
        "after the restart: {}",
        after.summary()
    );
    assert_eq!(after.comments.len(), 100);
    tally.merge(after);
    site.assert_stored(&tally).await;
    site.assert_consistent().await;
    // The new process shows what the old one acknowledged last.
    let client = http_client();
    let page = client
        .get(format!("{}{PAGE}/comments/{last_before}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let text = page.text().await.unwrap();
    let body = &tally
        .comments
        .iter()
        .find(|c| c.id == Some(last_before))
        .unwrap()
        .body;
    assert!(
        text.contains(body.as_str()),
        "comment {last_before} on its page"
    );
    server.terminate();
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill9_mid_load_loses_nothing_acknowledged() {
    kill9_mid_load(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_kill9_mid_load_loses_nothing_acknowledged() {
    kill9_mid_load(Backend::Postgres).await;
}

/// `$MITREDEN_TEST_PG_CTL stop|start` on a blocking thread.
async fn pg_ctl(script: &str, action: &'static str) {
    let script = script.to_string();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&script)
            .arg(action)
            .output()
            .expect("run MITREDEN_TEST_PG_CTL")
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "pg-ctl {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An answer while the database is away: (status, Retry-After, how long it took).
async fn probe(req: reqwest::RequestBuilder) -> (u16, String, Duration) {
    let started = Instant::now();
    let res = req
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .expect("an answer, not a hang or a cut");
    let status = res.status().as_u16();
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let _ = res.bytes().await;
    (status, retry_after, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_answers_503_and_recovers_without_restart() {
    let pg_ctl_script = std::env::var("MITREDEN_TEST_PG_CTL").expect(
        "MITREDEN_TEST_PG_CTL is not set: the PostgreSQL outage test stops and starts the test \
         cluster (run it through `make test` or scripts/with-postgres.sh)",
    );
    // The throwaway cluster commits asynchronously (synchronous_commit = off, for speed), so
    // an immediate stop would take the last moments' commits with it — unless the server's
    // connections commit synchronously, as `Db::connect` makes them. This test shows they do.
    let mut site = Site::new(Backend::Postgres, PARTICIPANTS + 2).await;
    // Two participants of their own, for looking in during the outage and writing after it.
    let prober = site.people.pop().unwrap();
    let writer = site.people.pop().unwrap();
    let mut server = site.serve();
    let base = server.base.clone();
    let load = Load::start(&base, site.people.clone(), &site.targets, 32);
    load.wait_for_acked(200, Duration::from_secs(60)).await;

    pg_ctl(&pg_ctl_script, "stop").await;
    let stopped_at = Instant::now();
    let client = http_client();
    let post = |path: &str, person: &Person, form: Vec<(&str, String)>| {
        client
            .post(format!("{base}{path}"))
            .header("origin", ORIGIN)
            .header("accept", "application/json")
            .header("cookie", &person.2)
            .header("x-forwarded-for", forwarded_for(person.0))
            .form(&form)
    };
    let comment_form = |body: &str| {
        vec![
            ("org", ORG.to_string()),
            ("slug", SLUG.to_string()),
            ("parent_id", String::new()),
            ("body", body.to_string()),
        ]
    };
    let vote_form = vec![
        ("org", ORG.to_string()),
        ("slug", SLUG.to_string()),
        ("comment_id", site.targets[0].to_string()),
        ("vote", "up".to_string()),
    ];
    let probes = [
        ("GET /healthz", client.get(format!("{base}/healthz"))),
        ("GET the page", client.get(format!("{base}{PAGE}"))),
        (
            "GET the page signed in",
            client
                .get(format!("{base}{PAGE}"))
                .header("cookie", &prober.2),
        ),
        (
            "POST a comment",
            post(
                "/api/post_comment",
                &prober,
                comment_form("Während der Störung geschrieben"),
            ),
        ),
        (
            "POST support",
            post("/api/vote_comment", &prober, vote_form.clone()),
        ),
        // A server function that leaves its status to the error (no `with_status`).
        ("POST sign-out", post("/api/logout", &prober, Vec::new())),
    ];
    // All at once, as visitors keep coming.
    let mut asked = tokio::task::JoinSet::new();
    for (what, req) in probes {
        asked.spawn(async move { (what, probe(req).await) });
    }
    let answers = asked.join_all().await;
    for (what, (status, retry_after, took)) in &answers {
        assert_eq!(*status, 503, "{what} while the database is away");
        assert_eq!(retry_after, "5", "{what}: Retry-After");
        assert!(took < &PROMPT, "{what} took {took:?}");
    }
    // Still nothing written meanwhile.
    let outage_acked = load.acked();

    pg_ctl(&pg_ctl_script, "start").await;
    let outage = stopped_at.elapsed();
    let recovered = wait_healthy(&base, Duration::from_secs(15)).await;
    // Writes succeed again, without a restart.
    let (status, _, _) = probe(post(
        "/api/post_comment",
        &writer,
        comment_form("Nach der Störung geschrieben"),
    ))
    .await;
    assert_eq!(status, 200, "a comment after the outage");
    let (status, _, _) = probe(post("/api/vote_comment", &writer, vote_form)).await;
    assert_eq!(status, 200, "support after the outage");
    load.wait_for_acked(outage_acked + 200, Duration::from_secs(60))
        .await;
    load.stop();
    let (mut tally, _) = load.finish().await;
    eprintln!(
        "outage of {outage:?}, healthy {recovered:?} after the start; probes {:?}; load: {}",
        answers
            .iter()
            .map(|(what, (_, _, took))| format!("{what} {took:?}"))
            .collect::<Vec<_>>(),
        tally.summary()
    );
    // The load met the outage, and every refusal said so: 503, promptly.
    assert!(
        tally.refused.get(&503).is_some_and(|&n| n > 0),
        "{}",
        tally.summary()
    );
    assert_eq!(tally.refusals(), tally.refused[&503], "{}", tally.summary());
    assert_eq!(tally.cut, 0, "{}", tally.summary());
    assert!(tally.slowest_refusal < PROMPT, "{}", tally.summary());

    tally.comments.push(AckedComment {
        id: None,
        author: writer.1,
        parent: None,
        body: "Nach der Störung geschrieben".to_string(),
    });
    tally.votes.push((site.targets[0], writer.1));
    site.assert_stored(&tally).await;
    // What was refused while the database was away did nothing.
    let refused = on_db!(&site.db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT (SELECT COUNT(*) FROM comments WHERE author_user_id = $1) \
             + (SELECT COUNT(*) FROM comment_votes WHERE user_id = $1)",
        )
        .bind(prober.1)
        .fetch_one(pool)
        .await
    })
    .unwrap();
    assert_eq!(refused, 0, "the prober's comment or support was stored");
    site.assert_consistent().await;
    server.terminate();
    site.finish().await;
}
