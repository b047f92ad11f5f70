//! `spawn_app()`: the real server on 127.0.0.1:0 with a fresh database — a SQLite file in a
//! temporary directory, or a new database on the PostgreSQL cluster named by
//! MITREDEN_TEST_PG_URL (which `make test` starts; without it the PostgreSQL tests fail).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use app::db::{Db, PoolSettings};
use server::config::{DatabaseArgs, ServeArgs};
use server::startup::Application;

pub mod process;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const BASE_URL: &str = "http://mitreden.test";
pub const ALTSTADT: &str = "/musterstadt/verkehrsberuhigung-altstadt";
pub const DEMO_PASSWORD: &str = "demo-passwort-fuer-tests";

pub struct TestApp {
    pub address: String,
    pub db: Db,
    /// The app's state, for calling domain functions directly (e.g. `notify::reply_published`).
    pub state: app::state::AppState,
    /// The database's URL, for running the `mitreden` command against it.
    pub database_url: String,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    data_dir: PathBuf,
    pg_database: Option<(String, String)>,
    /// The demo resident's session, signed in on first use by the comment helpers.
    resident: tokio::sync::OnceCell<String>,
}

pub fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "mitreden_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

pub async fn fresh_database(
    backend: Backend,
    data_dir: &std::path::Path,
) -> (String, Option<(String, String)>) {
    match backend {
        Backend::Sqlite => (format!("sqlite://{}/mitreden.db", data_dir.display()), None),
        Backend::Postgres => {
            let admin_url = std::env::var("MITREDEN_TEST_PG_URL").expect(
                "MITREDEN_TEST_PG_URL is not set: the PostgreSQL tests need a cluster \
                 (run them through `make test` or scripts/with-postgres.sh)",
            );
            let name = unique_name();
            let admin = Db::connect(&admin_url, &PoolSettings { max_connections: 1 })
                .await
                .expect("cannot connect to the PostgreSQL test cluster");
            let Db::Postgres(pool) = &admin else {
                panic!("MITREDEN_TEST_PG_URL is not a postgres:// URL")
            };
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(pool)
                .await
                .expect("create test database");
            admin.close().await;
            let (prefix, _) = admin_url.rsplit_once('/').expect("database URL has a path");
            (format!("{prefix}/{name}"), Some((admin_url, name)))
        }
    }
}

/// The smallest PNG there is (1×1 pixel).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// The consultation editor's form (a new draft of musterstadt, every field present), with the
/// values of each layer in turn replacing or adding fields: a test file's defaults, then a test's.
pub fn consultation_form<'a>(layers: &[&[(&'a str, &'a str)]]) -> Vec<(&'a str, &'a str)> {
    // Every field the editor has (the app's own list), empty; then the organisation and the
    // defaults a new consultation's form shows.
    let mut form: Vec<(&str, &str)> = app::consultation::editor::FIELDS
        .iter()
        .map(|&name| (name, ""))
        .collect();
    form.extend([("org", "musterstadt"), ("original", "")]);
    let defaults: &[(&str, &str)] = &[("moderation", "post"), ("rule", "account")];
    let layers = [&[defaults], layers].concat();
    for (k, v) in layers.iter().flat_map(|layer| layer.iter()) {
        match form.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = v,
            None => form.push((k, v)),
        }
    }
    form
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    server::telemetry::init(server::config::LogFormat::Text);
    let data_dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&data_dir).expect("create data dir");
    let (database_url, pg_database) = fresh_database(backend, &data_dir).await;
    let args = ServeArgs {
        addr: "127.0.0.1:0".parse().unwrap(),
        database: DatabaseArgs {
            database_url: database_url.clone(),
            db_max_connections: 5,
        },
        base_url: Some(BASE_URL.to_string()),
        data_dir: data_dir.clone(),
        site_root: data_dir.join("site"),
        max_body_bytes: 256 * 1024,
        tile_url: server::config::DEFAULT_TILE_URL.to_string(),
        tile_attribution: server::config::DEFAULT_TILE_ATTRIBUTION.to_string(),
        mail: "file".to_string(),
        mail_from: None,
        trusted_proxies: Vec::new(),
        geoip_db: None,
    };
    let app = Application::build(args).await.expect("build application");
    let db = app.state().db.clone();
    let state = app.state().clone();
    app::demo::seed(&db, DEMO_PASSWORD)
        .await
        .expect("seed demo data");
    let address = format!("http://{}", app.local_addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        db,
        state,
        database_url,
        client,
        shutdown: Some(tx),
        server: Some(server),
        data_dir,
        pg_database,
        resident: tokio::sync::OnceCell::new(),
    }
}

/// A parsed HTTP response, for assertions.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The `name=value` part of the Set-Cookie for `name`, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|kv| kv.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

/// The answer as a [`Page`], for assertions.
pub async fn into_page(res: reqwest::Response) -> Page {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.text().await.unwrap_or_default();
    Page {
        status,
        headers,
        body,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Page {
        into_page(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Page {
        into_page(
            self.client
                .get(self.url(path))
                .header("cookie", cookie)
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    /// Follows the redirect of a no-JavaScript post as the browser does: with `cookie` and the
    /// flash cookie the answer set.
    pub async fn follow(&self, res: &Page, cookie: &str) -> Page {
        assert!(
            [302, 303].contains(&res.status),
            "not a redirect: {}",
            res.status
        );
        let flash = res.cookie("mitreden_flash").expect("flash cookie");
        let target = res.header("location");
        let path = target.split('#').next().unwrap_or(target);
        self.get_with_cookie(path, &format!("{cookie}; {flash}"))
            .await
    }

    /// A page as Anna's browser sees it, with the flash cookie a no-JavaScript post left.
    pub async fn get_with_flash(&self, path: &str, flash: &str) -> Page {
        let cookie = format!("{}; {flash}", self.resident_cookie().await);
        self.get_with_cookie(path, &cookie).await
    }

    /// The demo resident Anna's session cookie (signed in once per app).
    pub async fn resident_cookie(&self) -> String {
        self.resident
            .get_or_init(|| self.login_cookie("anna@example.org"))
            .await
            .clone()
    }

    /// A comment form posted by Anna's browser without JavaScript (same origin). The answer's
    /// flash cookie comes with Anna's session (`Page::session_and_flash`).
    pub async fn post_comment_form(
        &self,
        org: &str,
        slug: &str,
        parent_id: &str,
        body: &str,
    ) -> Page {
        let cookie = self.resident_cookie().await;
        self.post_comment_as(
            Some(&cookie),
            "text/html,application/xhtml+xml",
            org,
            slug,
            parent_id,
            body,
        )
        .await
    }

    /// The same form submitted by Anna's hydrated page (fetch, JSON answer).
    pub async fn post_comment_js(
        &self,
        org: &str,
        slug: &str,
        parent_id: &str,
        body: &str,
    ) -> Page {
        let cookie = self.resident_cookie().await;
        self.post_comment_as(
            Some(&cookie),
            "application/json",
            org,
            slug,
            parent_id,
            body,
        )
        .await
    }

    /// A comment posted with the given session (or none).
    pub async fn post_comment_as(
        &self,
        cookie: Option<&str>,
        accept: &str,
        org: &str,
        slug: &str,
        parent_id: &str,
        body: &str,
    ) -> Page {
        let form = [
            ("org", org),
            ("slug", slug),
            ("parent_id", parent_id),
            ("body", body),
        ];
        let mut req = self
            .client
            .post(self.url("/api/post_comment"))
            .header("origin", BASE_URL)
            .header("accept", accept)
            .header("referer", format!("{BASE_URL}/{org}/{slug}"));
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        into_page(req.form(&form).send().await.expect("POST")).await
    }

    /// Posts a form to a server function as a browser on our own page would.
    pub async fn post_form(
        &self,
        path: &str,
        accept: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> Page {
        let mut req = self
            .client
            .post(self.url(path))
            .header("origin", BASE_URL)
            .header("accept", accept);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        into_page(req.form(form).send().await.expect("POST")).await
    }

    /// Uploads a logo as the staff page's multipart form does (a plain form post, or `accept`).
    pub async fn post_logo(
        &self,
        cookie: Option<&str>,
        accept: &str,
        org: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Page {
        self.post_multipart(
            "/api/upload_logo",
            cookie,
            accept,
            &[("org", org)],
            ("logo", file_name, bytes),
        )
        .await
    }

    /// Posts a multipart form as a browser does: text fields, then one file field
    /// (`(field name, file name, bytes)`).
    pub async fn post_multipart(
        &self,
        path: &str,
        cookie: Option<&str>,
        accept: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Page {
        let boundary = "----mitredenTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        let (field, file_name, bytes) = file;
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = self
            .client
            .post(self.url(path))
            .header("origin", BASE_URL)
            .header("accept", accept)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            );
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        into_page(req.body(body).send().await.expect("POST")).await
    }

    /// Signs in through the hydrated login form; returns the response.
    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.post_form(
            "/api/login",
            "application/json",
            None,
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    /// Signs in and returns the session cookie (`name=value`).
    pub async fn login_cookie(&self, email: &str) -> String {
        let page = self.login(email, DEMO_PASSWORD).await;
        assert_eq!(page.status, 200, "login of {email} failed: {}", page.body);
        page.cookie("mitreden_session").expect("session cookie")
    }

    /// Signs a staff member in with both factors (setting up TOTP for them first if needed) and
    /// returns the session cookie.
    pub async fn staff_cookie(&self, email: &str) -> String {
        use app::account::{repo, totp, Email};
        let address = Email::parse(email).unwrap();
        let user_id = repo::find_id_by_email(&self.db, &address)
            .await
            .unwrap()
            .expect("account exists");
        let secret = match repo::totp_state(&self.db, user_id).await.unwrap() {
            Some((Some(secret), true, _)) => secret,
            _ => {
                let secret = totp::new_secret();
                repo::set_totp_secret(&self.db, user_id, &secret)
                    .await
                    .unwrap();
                repo::enable_totp(&self.db, user_id, &[]).await.unwrap();
                secret
            }
        };
        let first = self.login(email, DEMO_PASSWORD).await;
        assert_eq!(first.status, 200, "{}", first.body);
        let pending = first.cookie("mitreden_session").unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        // A step no earlier login of this test used: codes work once. The current step rather
        // than the one before: the server allows one step either way, so the code still works
        // if its clock passes a step boundary before it checks.
        let last = repo::totp_state(&self.db, user_id)
            .await
            .unwrap()
            .and_then(|(_, _, last)| last);
        let step = (now / totp::STEP_SECS).max(last.map_or(i64::MIN, |l| l + 1));
        let code = totp::code_at(&totp::base32_decode(&secret).unwrap(), step);
        let second = self
            .post_form(
                "/api/login_second_factor",
                "application/json",
                Some(&pending),
                &[("code", &code), ("next", "/")],
            )
            .await;
        assert_eq!(
            second.status, 200,
            "second factor for {email}: {}",
            second.body
        );
        second.cookie("mitreden_session").unwrap()
    }

    /// The mails written to the outbox so far, decoded (quoted-printable), oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        let dir = self.data_dir.join("outbox");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| Mail::parse(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    /// The mails to `address`.
    pub fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.to == address)
            .collect()
    }

    pub async fn stop(mut self) {
        self.shutdown_inner().await;
    }

    async fn shutdown_inner(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stopped cleanly");
        }
        if let Some((admin_url, name)) = self.pg_database.take() {
            if let Ok(admin) = Db::connect(&admin_url, &PoolSettings { max_connections: 1 }).await {
                if let Db::Postgres(pool) = &admin {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(pool)
                        .await;
                }
                admin.close().await;
            }
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Runs a story once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = $crate::common::spawn_app($crate::common::Backend::Sqlite).await;
                    super::$story(&app).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = $crate::common::spawn_app($crate::common::Backend::Postgres).await;
                    super::$story(&app).await;
                    app.stop().await;
                }
            )*
        }
    };
}

/// A mail from the outbox: recipient, raw source and the decoded text.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub raw: String,
    pub decoded: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let to = raw
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .unwrap_or_default()
            .trim()
            .to_string();
        Mail {
            to,
            raw: raw.to_string(),
            decoded: decode_quoted_printable(raw),
        }
    }

    /// The token of the first link to `path` (`/verify`, `/password/reset`).
    pub fn token_for(&self, path: &str) -> Option<String> {
        let needle = format!("{path}?token=");
        let start = self.decoded.find(&needle)? + needle.len();
        let token: String = self.decoded[start..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        (token.len() == 64).then_some(token)
    }
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            ) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Many participants at once, for concurrency tests: verified accounts with password (they meet
/// every consultation's account rule) and a signed-in session each, made directly in the
/// database (signing in through the login form would hash a password per person). Answers each
/// (user id, session cookie `mitreden_session=…`).
pub async fn participants(db: &Db, prefix: &str, n: usize) -> Vec<(i64, String)> {
    use app::db::now;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let email = app::account::Email::parse(&format!("{prefix}{i}@example.org")).unwrap();
        let id = app::account::repo::create(
            db,
            &app::account::repo::NewUser {
                email: &email,
                display_name: &format!("{prefix} {i}"),
                password_hash: "not-a-real-hash",
                verified: true,
                is_instance_admin: false,
            },
        )
        .await
        .unwrap()
        .expect("fresh participant");
        let token = app::secret::random_token();
        let ts = now();
        let sql = "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, \
                   pending_second_factor) VALUES ($1, $2, $3, $3, $4, FALSE)";
        app::on_db!(db, |pool| {
            sqlx::query(sql)
                .bind(app::secret::token_hash(&token))
                .bind(id)
                .bind(ts)
                .bind(ts + 3600)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .unwrap();
        out.push((id, format!("mitreden_session={token}")));
    }
    out
}

impl TestApp {
    /// [`participants`] in this app's database.
    pub async fn participants(&self, prefix: &str, n: usize) -> Vec<(i64, String)> {
        participants(&self.db, prefix, n).await
    }
}

impl TestApp {
    /// Posts every (session cookie, form) to `path` at the same moment, as that many browsers
    /// would (JSON answers); returns each (status, body), in no particular order.
    pub async fn post_all_at_once(
        &self,
        path: &str,
        posts: Vec<(String, Vec<(String, String)>)>,
    ) -> Vec<(u16, String)> {
        let mut tasks = tokio::task::JoinSet::new();
        for (cookie, form) in posts {
            let request = self
                .client
                .post(self.url(path))
                .header("origin", BASE_URL)
                .header("accept", "application/json")
                .header("cookie", cookie)
                .form(&form);
            tasks.spawn(async move {
                let res = request.send().await.expect("POST");
                (res.status().as_u16(), res.text().await.unwrap_or_default())
            });
        }
        let mut answers = Vec::new();
        while let Some(answer) = tasks.join_next().await {
            answers.push(answer.expect("request task"));
        }
        answers
    }
}

/// A form's fields as owned pairs (for `post_all_at_once`).
pub fn owned_form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

impl TestApp {
    /// A consultation of musterstadt stored as published (`open`, post-moderation) with the
    /// given window and participation rule; answers its id.
    pub async fn musterstadt_consultation(
        &self,
        slug: &str,
        title: &str,
        window: (Option<i64>, Option<i64>),
        rule: app::participation::Rule,
    ) -> i64 {
        use app::consultation::{repo, Moderation, Status};
        let org = app::organisation::repo::find_by_slug(&self.db, "musterstadt")
            .await
            .unwrap()
            .unwrap();
        let id = repo::create(
            &self.db,
            &repo::NewConsultation {
                organisation_id: org.id,
                slug,
                title,
                summary: "Zusammenfassung",
                body_markdown: "Text",
                status: Status::Open,
                moderation: Moderation::Post,
                opens_at: window.0,
                closes_at: window.1,
            },
        )
        .await
        .unwrap()
        .expect("a free slug");
        app::participation::repo::set_rule(&self.db, id, rule)
            .await
            .unwrap();
        id
    }
}
