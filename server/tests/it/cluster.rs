//! Two `mitreden serve` processes on one PostgreSQL database behind haproxy (round-robin, on
//! loopback), the deployment docs/DEPLOYMENT.md describes with the same haproxy configuration
//! ([`haproxy_cfg`]). Through haproxy: a session made on one instance works on both; the login
//! limit per client network counts attempts on both instances together (and a client cannot
//! dodge it with an X-Forwarded-For line of its own); concurrent votes count once per person
//! whichever instance takes them; and one instance stopped with SIGTERM and started again costs
//! a client at most one retry of a request, after which both instances serve again.
//!
//! haproxy (Debian package `haproxy`, installed by scripts/ensure-tools.sh) runs as this test's
//! own foreground process with its own configuration and ports in a temporary directory; the
//! system service the package sets up is neither needed nor touched. Without haproxy the test
//! fails and says so.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::db::{Db, PoolSettings};

use crate::common::process::{mitreden, ServerProcess, ORIGIN};
use crate::common::{self, Backend, ALTSTADT, DEMO_PASSWORD};

const HAPROXY: &str = "/usr/sbin/haproxy";
const JSON: &str = "application/json";
const SLUG: &str = "verkehrsberuhigung-altstadt";

/// The haproxy configuration of docs/DEPLOYMENT.md, on loopback: `listen` on `front`, the app
/// instances at `servers`, the runtime API at `socket`.
///
/// Which requests haproxy may send again: a request whose connection could not be made never
/// reached an instance, so it is retried on the other one whatever its method (`conn-failure`,
/// the default, with `option redispatch 1`). A request sent on a connection that then closed
/// without an answer (`empty-response`: the instance died, or shut an idle kept-alive
/// connection at that very moment) may have been processed: only GET and HEAD are sent again
/// then; a POST (a comment, a vote, a sign-in) goes back to the client as 502 instead of being
/// replayed blindly — the browser (or the person) decides.
fn haproxy_cfg(front: &str, servers: &[&str], socket: &Path) -> String {
    let mut cfg = format!(
        "\
global
    log stderr format raw local0 info
    stats socket {socket} mode 600 level admin

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout check 2s

frontend www
    bind {front}
    option forwardfor
    default_backend mitreden

backend mitreden
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    default-server check inter 500ms fastinter 250ms downinter 1s fall 2 rise 2
",
        socket = socket.display()
    );
    for (i, addr) in servers.iter().enumerate() {
        cfg.push_str(&format!("    server app{} {addr}\n", i + 1));
    }
    cfg
}

/// Our own haproxy process (`haproxy -f CFG -db`, in the foreground), stopped when dropped.
struct Haproxy {
    child: Child,
    /// `http://127.0.0.1:PORT`
    base: String,
    socket: PathBuf,
    log: PathBuf,
}

impl Haproxy {
    /// Fails (never skips) when haproxy is missing.
    fn require_installed() {
        assert!(
            Path::new(HAPROXY).is_file(),
            "haproxy is not installed ({HAPROXY} is missing): the cluster test needs the Debian \
             package haproxy — run scripts/ensure-tools.sh test (or apt-get install haproxy)"
        );
    }

    fn start(dir: &Path, servers: &[&str]) -> Haproxy {
        Haproxy::require_installed();
        let front = format!("127.0.0.1:{}", free_port());
        let socket = dir.join("haproxy.sock");
        let cfg = dir.join("haproxy.cfg");
        std::fs::write(&cfg, haproxy_cfg(&front, servers, &socket)).unwrap();
        let check = Command::new(HAPROXY)
            .arg("-c")
            .arg("-f")
            .arg(&cfg)
            .output()
            .expect("run haproxy -c");
        assert!(
            check.status.success(),
            "haproxy refuses the configuration: {}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let log = dir.join("haproxy.log");
        let child = Command::new(HAPROXY)
            .arg("-f")
            .arg(&cfg)
            .arg("-db")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(dir.join("haproxy.err")).unwrap())
            .spawn()
            .expect("start haproxy");
        let mut me = Haproxy {
            child,
            base: format!("http://{front}"),
            socket,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&front).is_err() || !me.socket.exists() {
            assert!(
                me.child.try_wait().unwrap().is_none(),
                "haproxy exited: {}",
                std::fs::read_to_string(dir.join("haproxy.err")).unwrap_or_default()
            );
            assert!(Instant::now() < deadline, "haproxy did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        me
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The health state haproxy has for a server (`UP`, `DOWN`, `UP 1/2`, …), from `show stat`
    /// on the runtime API.
    fn status(&self, server: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::os::unix::net::UnixStream::connect(&self.socket).expect("socket");
        stream.write_all(b"show stat\n").unwrap();
        let mut csv = String::new();
        stream.read_to_string(&mut csv).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .split(',')
            .collect();
        let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
        let (px, sv, status) = (col("pxname"), col("svname"), col("status"));
        lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|f| f.get(px) == Some(&"mitreden") && f.get(sv) == Some(&server))
            .and_then(|f| f.get(status).map(|s| s.to_string()))
            .unwrap_or_else(|| panic!("no server {server} in: {csv}"))
    }

    /// Waits until haproxy's health checks say `state` for `server`.
    async fn wait_for(&self, server: &str, state: &str, within: Duration) -> Duration {
        let start = Instant::now();
        loop {
            let now = self.status(server);
            if now == state {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < within,
                "haproxy still has {server} {now}, not {state}, after {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The requests haproxy's log shows as sent again (the retries field of `option httplog`,
    /// `+N` when redispatched to the other server).
    fn retried(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter(|line| {
                let tuples: Vec<&str> = line
                    .split_whitespace()
                    .filter(|t| t.split('/').count() == 5)
                    .collect();
                // Timers first, then actconn/feconn/beconn/srv_conn/retries.
                tuples
                    .get(1)
                    .and_then(|t| t.rsplit('/').next())
                    .is_some_and(|retries| retries != "0")
            })
            .map(str::to_owned)
            .collect()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
            + &std::fs::read_to_string(self.log.with_extension("err")).unwrap_or_default()
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// How many requests an instance answered for `method` on `route` (its own /metrics, asked
/// directly, not through haproxy; counters start at zero with each process).
async fn served(
    client: &reqwest::Client,
    instance: &ServerProcess,
    method: &str,
    route: &str,
) -> u64 {
    let prefix = format!("mitreden_http_requests_total{{method=\"{method}\",route=\"{route}\",");
    let text = client
        .get(format!("{}/metrics", instance.base))
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with(&prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

async fn count(db: &Db, sql: &str, id: i64) -> i64 {
    app::on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(id)
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

/// A server function called as the hydrated page does (same origin, JSON answer).
fn post(
    client: &reqwest::Client,
    url: String,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let mut req = client
        .post(url)
        .header("origin", ORIGIN)
        .header("accept", JSON)
        .form(form);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req
}

fn vote_form(comment_id: &str) -> [(&'static str, &str); 4] {
    [
        ("org", "musterstadt"),
        ("slug", SLUG),
        ("comment_id", comment_id),
        ("vote", "up"),
    ]
}

/// Sends all requests at the same moment; (status, body) of each, in no particular order.
async fn all_at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<(u16, String)> {
    let mut tasks = tokio::task::JoinSet::new();
    for request in requests {
        tasks.spawn(async move {
            let res = request.send().await.expect("request");
            (res.status().as_u16(), res.text().await.unwrap_or_default())
        });
    }
    let mut answers = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        answers.push(answer.expect("request task"));
    }
    answers
}

/// What a client saw during the restart: requests made, requests that needed its one retry, and
/// requests that failed even then (with why).
#[derive(Debug, Default)]
struct Tally {
    requests: u64,
    /// The longest a request took, retry included.
    slowest: Duration,
    retried: Vec<String>,
    failed: Vec<String>,
}

/// One request as a patient client makes it: once more after a failure (no answer, or a 5xx),
/// never a third time. `ok` judges an answer.
async fn with_one_retry(
    tally: &mut Tally,
    what: &str,
    make: impl Fn() -> reqwest::RequestBuilder,
    ok: impl Fn(u16, &str) -> bool,
) {
    tally.requests += 1;
    let start = Instant::now();
    let mut problem = String::new();
    for attempt in 0..2 {
        match make().send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                let body = res.text().await.unwrap_or_default();
                if ok(status, &body) {
                    if attempt == 1 {
                        tally.retried.push(format!("{what}: {problem}"));
                    }
                    tally.slowest = tally.slowest.max(start.elapsed());
                    return;
                }
                problem = format!("{status} {}", body.chars().take(200).collect::<String>());
            }
            Err(err) => problem = format!("{err}"),
        }
    }
    tally.failed.push(format!("{what}: {problem}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_haproxy_share_sessions_limits_and_votes_and_survive_a_restart() {
    let started = Instant::now();
    Haproxy::require_installed();
    let dir = std::env::temp_dir().join(common::unique_name());
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let (url, pg) = common::fresh_database(Backend::Postgres, &dir).await;
    mitreden(&[
        "seed-demo",
        "--database-url",
        &url,
        "--demo-password",
        DEMO_PASSWORD,
    ]);
    // Both instances share the data directory (uploads, outbox), each logs to its own directory.
    let data_env = data.to_str().unwrap();
    let env = [("MITREDEN_DATA_DIR", data_env)];
    let mut a = ServerProcess::start(&url, &dir.join("a"), "127.0.0.1:0", &env);
    let b = ServerProcess::start(&url, &dir.join("b"), "127.0.0.1:0", &env);
    let proxy = Haproxy::start(&dir, &[&a.addr, &b.addr]);
    let within = Duration::from_secs(10);
    proxy.wait_for("app1", "UP", within).await;
    proxy.wait_for("app2", "UP", within).await;
    let db = Db::connect(&url, &PoolSettings { max_connections: 2 })
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();

    // --- Sessions: signed in through one instance, signed in on both. ------------------------
    let login = post(
        &client,
        proxy.url("/api/login"),
        None,
        &[
            ("email", "anna@example.org"),
            ("password", DEMO_PASSWORD),
            ("next", "/"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(login.status(), 200, "login through haproxy");
    let anna = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .find(|kv| kv.starts_with("mitreden_session="))
        .expect("session cookie")
        .to_string();
    const CURRENT_USER: &str = "/api/current_user";
    let before = (
        served(&client, &a, "POST", CURRENT_USER).await,
        served(&client, &b, "POST", CURRENT_USER).await,
    );
    for i in 0..6 {
        let res = post(&client, proxy.url(CURRENT_USER), Some(&anna), &[])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("\"display_name\":\"Anna\""),
            "request {i}: not signed in as Anna: {body}"
        );
    }
    let after = (
        served(&client, &a, "POST", CURRENT_USER).await,
        served(&client, &b, "POST", CURRENT_USER).await,
    );
    assert_eq!(
        (after.0 - before.0, after.1 - before.1),
        (3, 3),
        "round-robin: each instance answered three of the six requests"
    );
    let signed_out = post(&client, proxy.url(CURRENT_USER), None, &[])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(signed_out, "null", "without the cookie nobody is signed in");

    // --- Rate limits: the login limit per network counts on both instances together. ----------
    // The client connects from a network of its own (127.0.1.0/24; loopback answers every
    // 127.x address) and writes a made-up X-Forwarded-For of another network into every
    // attempt: haproxy adds the real address as a further line, and that one counts. Every attempt names another
    // unknown account, so only the per-network limit (30 per 15 minutes) applies. A 15-minute
    // window ending during the attempts would split the count: then once more from another
    // network.
    const LOGIN_LIMIT: usize = 30;
    let mut logins_counted = false;
    for (round, network) in ["127.0.1.9", "127.0.2.9"].iter().enumerate() {
        let window = || app::db::now().div_euclid(15 * 60);
        let opened = window();
        let limited = reqwest::Client::builder()
            .local_address(network.parse::<std::net::IpAddr>().unwrap())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        let login_before = (
            served(&client, &a, "POST", "/api/login").await,
            served(&client, &b, "POST", "/api/login").await,
        );
        let mut statuses = Vec::new();
        for i in 0..=LOGIN_LIMIT {
            let email = format!("unbekannt{round}-{i}@example.org");
            let res = post(
                &limited,
                proxy.url("/api/login"),
                None,
                &[
                    ("email", &email),
                    ("password", "falsches-passwort"),
                    ("next", "/"),
                ],
            )
            // A different made-up network each time (198.18.0.0/15 is for benchmarks).
            .header("x-forwarded-for", format!("198.18.{i}.7"))
            .send()
            .await
            .unwrap();
            statuses.push(res.status().as_u16());
        }
        if window() != opened {
            continue;
        }
        let login_after = (
            served(&client, &a, "POST", "/api/login").await,
            served(&client, &b, "POST", "/api/login").await,
        );
        assert_eq!(
            (login_after.0 - login_before.0) + (login_after.1 - login_before.1),
            LOGIN_LIMIT as u64 + 1
        );
        assert!(
            login_after.0 - login_before.0 >= 15 && login_after.1 - login_before.1 >= 15,
            "both instances took attempts: {login_before:?} → {login_after:?}"
        );
        assert!(
            statuses[..LOGIN_LIMIT].iter().all(|s| *s == 401),
            "the first {LOGIN_LIMIT} attempts are wrong passwords: {statuses:?}"
        );
        assert_eq!(
            statuses[LOGIN_LIMIT],
            429,
            "attempt {} is refused, whichever instance takes it: {statuses:?}",
            LOGIN_LIMIT + 1
        );
        logins_counted = true;
        break;
    }
    assert!(
        logins_counted,
        "two rate-limit windows ended during the attempts"
    );

    // --- Votes: concurrent votes through both instances count once per person. ----------------
    let comment = |text: &'static str| {
        let client = client.clone();
        let anna = anna.clone();
        let url = proxy.url("/api/post_comment");
        async move {
            let res = post(
                &client,
                url,
                Some(&anna),
                &[
                    ("org", "musterstadt"),
                    ("slug", SLUG),
                    ("parent_id", ""),
                    ("body", text),
                ],
            )
            .send()
            .await
            .unwrap();
            assert_eq!(res.status(), 200);
            let v: serde_json::Value = res.json().await.unwrap();
            v["Published"]["id"].as_i64().expect("published comment")
        }
    };
    let one_id = comment("Bitte unterstützen, aber nur einmal").await;
    let many_id = comment("Breite Zustimmung über beide Instanzen?").await;
    let voter = crate::common::participants(&db, "eilig", 1)
        .await
        .remove(0)
        .1;
    let sid = one_id.to_string();
    let votes_before = (
        served(&client, &a, "POST", "/api/vote_comment").await,
        served(&client, &b, "POST", "/api/vote_comment").await,
    );
    let same_person = (0..60)
        .map(|_| {
            post(
                &client,
                proxy.url("/api/vote_comment"),
                Some(&voter),
                &vote_form(&sid),
            )
        })
        .collect();
    for (status, body) in all_at_once(same_person).await {
        assert_eq!(status, 200, "{body}");
    }
    let votes_after = (
        served(&client, &a, "POST", "/api/vote_comment").await,
        served(&client, &b, "POST", "/api/vote_comment").await,
    );
    assert!(
        votes_after.0 - votes_before.0 >= 25 && votes_after.1 - votes_before.1 >= 25,
        "both instances took votes: {votes_before:?} → {votes_after:?}"
    );
    let rows = "SELECT COUNT(*) FROM comment_votes WHERE comment_id = $1";
    let support = "SELECT up_votes FROM comments WHERE id = $1";
    assert_eq!(count(&db, rows, one_id).await, 1, "one vote row");
    assert_eq!(count(&db, support, one_id).await, 1, "support counted once");

    const PEOPLE: usize = 40;
    let people = crate::common::participants(&db, "menge", PEOPLE).await;
    let sid = many_id.to_string();
    let everyone = people
        .iter()
        .map(|(_, cookie)| {
            post(
                &client,
                proxy.url("/api/vote_comment"),
                Some(cookie),
                &vote_form(&sid),
            )
        })
        .collect();
    for (status, body) in all_at_once(everyone).await {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(count(&db, rows, many_id).await, PEOPLE as i64);
    assert_eq!(count(&db, support, many_id).await, PEOPLE as i64);

    // --- One instance stopped (SIGTERM) and started again while clients keep going. -----------
    // A reader (GET pages) and a signed-in participant (POSTs that change nothing when repeated:
    // who am I, and the same support vote again) each send one request after the other.
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (client, stop) = (client.clone(), stop.clone());
        let pages = [proxy.url(ALTSTADT), proxy.url("/")];
        tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let page = &pages[i % 2];
                i += 1;
                with_one_retry(
                    &mut tally,
                    &format!("GET {page}"),
                    || client.get(page),
                    |status, body| status == 200 && body.contains("Mitreden"),
                )
                .await;
            }
            tally
        })
    };
    let participant = {
        let (client, stop) = (client.clone(), stop.clone());
        let (anna, voter) = (anna.clone(), people[0].1.clone());
        let (me, vote) = (proxy.url(CURRENT_USER), proxy.url("/api/vote_comment"));
        let sid = many_id.to_string();
        tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                if i % 2 == 0 {
                    with_one_retry(
                        &mut tally,
                        "POST current_user",
                        || post(&client, me.clone(), Some(&anna), &[]),
                        |status, body| status == 200 && body.contains("\"display_name\":\"Anna\""),
                    )
                    .await;
                } else {
                    with_one_retry(
                        &mut tally,
                        "POST vote_comment",
                        || post(&client, vote.clone(), Some(&voter), &vote_form(&sid)),
                        |status, _| status == 200,
                    )
                    .await;
                }
            }
            tally
        })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    tokio::task::block_in_place(|| a.terminate());
    let marked_down = proxy.wait_for("app1", "DOWN", within).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    tokio::task::block_in_place(|| a.restart());
    let marked_up = proxy.wait_for("app1", "UP", within).await;
    // The restarted instance (its counters start at zero) takes its share of both clients.
    let deadline = Instant::now() + within;
    loop {
        let page = served(&client, &a, "GET", "/{org}/{slug}").await
            + served(&client, &a, "GET", "/").await;
        let calls = served(&client, &a, "POST", CURRENT_USER).await
            + served(&client, &a, "POST", "/api/vote_comment").await;
        if page > 0 && calls > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted instance gets no requests"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let reader = reader.await.unwrap();
    let participant = participant.await.unwrap();
    let proxy_retried = proxy.retried();
    eprintln!(
        "restart: marked down after {marked_down:?}, up {marked_up:?} after the restart; \
         haproxy sent {} requests again; \
         reader {} requests (slowest {:?}), {} retried {:?}; \
         participant {} requests (slowest {:?}), {} retried {:?}",
        proxy_retried.len(),
        reader.requests,
        reader.slowest,
        reader.retried.len(),
        reader.retried,
        participant.requests,
        participant.slowest,
        participant.retried.len(),
        participant.retried
    );
    for (who, tally) in [("reader", &reader), ("participant", &participant)] {
        assert!(
            tally.failed.is_empty(),
            "{who}: requests that failed twice: {:?}\nhaproxy log:\n{}",
            tally.failed,
            proxy.log()
        );
        assert!(tally.requests >= 10, "{who} kept going: {tally:?}");
    }
    assert!(
        reader.retried.is_empty(),
        "haproxy retries failed GETs itself, the reader never has to: {:?}",
        reader.retried
    );
    assert!(served(&client, &b, "GET", "/{org}/{slug}").await > 0);
    assert_eq!(
        count(&db, rows, many_id).await,
        PEOPLE as i64,
        "repeated votes changed nothing"
    );

    db.close().await;
    drop(proxy);
    drop(a);
    drop(b);
    if let Some((admin_url, name)) = pg {
        let admin = Db::connect(&admin_url, &PoolSettings { max_connections: 1 })
            .await
            .unwrap();
        if let Db::Postgres(pool) = &admin {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(pool)
                .await;
        }
        admin.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let took = started.elapsed();
    eprintln!("cluster test took {took:?}");
    assert!(took < Duration::from_secs(90), "took {took:?}");
}
