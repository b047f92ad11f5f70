//! Rendered pages for anonymous readers, kept in memory and served again for as long as the
//! database has not changed — never a page that misses a write someone was already told about.
//!
//! Why it is safe: before a page is rendered, the database's *change token* is read; the page is
//! stored under that token. A later request reads the token again and gets the stored page only
//! if the token is the same, which means no transaction has committed in between. A write that
//! was acknowledged before that request arrived had committed before the token was read, so it
//! changed the token (the stored page is not used) or it committed before the stored page's own
//! token was read (so the page's queries saw it). The token is the database's, not the
//! process's, so any number of instances, the command line and the daily jobs are covered:
//! - SQLite: `PRAGMA data_version` on one connection kept for this purpose: it changes whenever
//!   any other connection (of this process or another) commits.
//! - PostgreSQL: `pg_current_snapshot()`: it changes whenever a transaction gets an id (writes)
//!   or one that was running ends.
//!
//! Any write anywhere invalidates every stored page; under writes pages are rendered as before,
//! one per change at most per page and language, while reads between writes cost a token check.
//! Stored pages also expire after [`MAX_AGE`], as a page may show what time it is (a
//! consultation that closes at midnight).
//!
//! What is stored: only 200 answers with HTML and no `Set-Cookie`, to `GET` requests without any
//! cookie but the language one, on the pages everyone sees alike: the home page, organisation and
//! consultation pages and the legal pages. The per-response CSP nonce is replaced by a fresh one
//! on every answer, so a stored page never repeats a nonce. Browsers revalidate (`no-cache`) with
//! the `ETag` and get `304 Not Modified` while nothing changed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::sqlite::SqliteConnection;
use sqlx::Connection;

use app::db::Db;

/// How long a stored page may be served at most, changes or not.
pub const MAX_AGE: Duration = Duration::from_secs(10);
/// How long the request that renders an old page again has before another one may.
const REFRESH_GRACE: Duration = Duration::from_secs(2);
/// Pages larger than this are not stored.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// All stored pages together; the oldest go first.
const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;

/// The language cookie (see `lang`): the only cookie a request may carry to get a stored page.
const LANG_COOKIE: &str = "mitreden_lang";

/// Reads the database's change token. One read at a time: requests that arrive while a read is
/// under way wait for the next one and share it (a read that *began* after a request arrived
/// reflects every write acknowledged before it arrived), so a crowd of readers costs the database
/// a query now and then, not one each.
struct ChangeWatch {
    db: Db,
    tickets: AtomicU64,
    state: tokio::sync::Mutex<WatchState>,
}

#[derive(Default)]
struct WatchState {
    /// SQLite: the watch connection, and how many were opened (a new connection's counter
    /// starts afresh, so its number is part of the token).
    conn: Option<SqliteConnection>,
    opened: u64,
    /// The ticket taken when the last read began, and what it found.
    began: u64,
    token: Option<String>,
}

impl ChangeWatch {
    fn new(db: &Db) -> Self {
        ChangeWatch {
            db: db.clone(),
            tickets: AtomicU64::new(0),
            state: tokio::sync::Mutex::new(WatchState::default()),
        }
    }

    async fn token(&self) -> Option<String> {
        let arrived = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let mut state = self.state.lock().await;
        if state.began > arrived {
            return state.token.clone();
        }
        let began = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        // Recorded only once the read is done: a request that goes away in the middle of it
        // (its future dropped) must not leave its ticket next to the previous read's token.
        let token = self.read(&mut state).await;
        state.began = began;
        state.token = token.clone();
        token
    }

    async fn read(&self, state: &mut WatchState) -> Option<String> {
        match &self.db {
            Db::Sqlite(pool) => {
                if state.conn.is_none() {
                    state.conn = SqliteConnection::connect_with(&pool.connect_options())
                        .await
                        .ok();
                    state.opened += 1;
                }
                let version = sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                    .fetch_one(state.conn.as_mut()?)
                    .await;
                match version {
                    Ok(v) => Some(format!("{}:{v}", state.opened)),
                    Err(_) => {
                        // A broken connection: the next read opens a new one.
                        state.conn = None;
                        None
                    }
                }
            }
            Db::Postgres(pool) => {
                sqlx::query_scalar::<_, String>("SELECT pg_current_snapshot()::text")
                    .fetch_one(pool)
                    .await
                    .ok()
            }
        }
    }
}

struct Entry {
    token: String,
    stored: Instant,
    status_headers: HeaderMap,
    /// The body cut at each occurrence of the nonce it was rendered with.
    parts: Vec<Bytes>,
    /// The CSP header cut the same way.
    csp: Option<Vec<String>>,
    etag: HeaderValue,
    size: usize,
    /// When (milliseconds after `stored`) the one request that renders the page again once it
    /// is older than [`MAX_AGE`] took that on (0: nobody yet); meanwhile the others still get
    /// this one (nothing was written since: same token). A render that never gets stored (the
    /// client went away, an error) lets another request take it on [`REFRESH_GRACE`] later.
    refreshing: AtomicU64,
}

#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    watch: ChangeWatch,
    entries: Mutex<HashMap<(String, &'static str), Arc<Entry>>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl PageCache {
    pub fn new(db: &Db) -> Self {
        PageCache(Arc::new(Inner {
            watch: ChangeWatch::new(db),
            entries: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }))
    }

    /// (answers from the store, pages rendered for it), for /metrics.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.0.hits.load(Ordering::Relaxed),
            self.0.misses.load(Ordering::Relaxed),
        )
    }

    fn lookup(&self, key: &(String, &'static str), token: &str) -> Option<Arc<Entry>> {
        let entries = self.0.entries.lock().ok()?;
        let entry = entries.get(key)?;
        if entry.token != token {
            return None;
        }
        let age = entry.stored.elapsed();
        if age < MAX_AGE {
            return Some(entry.clone());
        }
        let now = age.as_millis() as u64;
        let taken = entry.refreshing.load(Ordering::Relaxed);
        let someone_else =
            taken != 0 && now.saturating_sub(taken) < REFRESH_GRACE.as_millis() as u64;
        if someone_else
            || entry
                .refreshing
                .compare_exchange(taken, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            Some(entry.clone())
        } else {
            None
        }
    }

    fn store(&self, key: (String, &'static str), entry: Entry) -> Arc<Entry> {
        let entry = Arc::new(entry);
        if let Ok(mut entries) = self.0.entries.lock() {
            entries.insert(key, entry.clone());
            let mut total: usize = entries.values().map(|e| e.size).sum();
            while total > MAX_TOTAL_BYTES {
                let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, e)| e.stored)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                if let Some(e) = entries.remove(&oldest) {
                    total -= e.size;
                }
            }
        }
        entry
    }
}

/// Whether the page at `path` looks the same to every anonymous reader.
fn cacheable_path(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    // Slugs only: a-z, 0-9 and '-' (not /sitemap.xml, /{org}/feed.atom, files).
    let slug = |s: &&str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !segments.iter().all(slug) {
        return false;
    }
    match segments.as_slice() {
        [first]
            if app::legal::PageKind::ALL
                .iter()
                .any(|kind| kind.path().trim_start_matches('/') == *first) =>
        {
            true
        }
        [org] | [org, _] => !app::organisation::RESERVED_SLUGS.contains(org),
        _ => false,
    }
}

/// Whether the request carries no cookie but the language one.
fn anonymous(headers: &HeaderMap) -> bool {
    headers.get_all(header::COOKIE).iter().all(|value| {
        value.to_str().is_ok_and(|v| {
            v.split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .all(|c| {
                    c.split_once('=')
                        .is_some_and(|(name, _)| name == LANG_COOKIE)
                })
        })
    })
}

fn nonce_of(csp: &str) -> Option<&str> {
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(&csp[start..start + len]).filter(|n| !n.is_empty())
}

/// Cuts `haystack` at every occurrence of `needle`.
fn split_bytes(haystack: &Bytes, needle: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            parts.push(haystack.slice(start..i));
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(haystack.slice(start..));
    parts
}

fn etag_of(parts: &[Bytes]) -> HeaderValue {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        part.hash(&mut hasher);
    }
    HeaderValue::from_str(&format!("W/\"{:016x}\"", hasher.finish()))
        .unwrap_or(HeaderValue::from_static("W/\"0\""))
}

fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    let bare = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == bare || t == "*")
}

fn not_modified(entry: &Entry) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    let h = res.headers_mut();
    h.insert(header::ETAG, entry.etag.clone());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// The stored page with a nonce of its own.
fn answer(entry: &Entry) -> Response {
    let nonce = &app::secret::random_token()[..32];
    let mut body = Vec::with_capacity(entry.size + entry.parts.len() * nonce.len());
    for (i, part) in entry.parts.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(nonce.as_bytes());
        }
        body.extend_from_slice(part);
    }
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = entry.status_headers.clone();
    if let Some(csp) = &entry.csp {
        if let Ok(v) = HeaderValue::from_str(&csp.join(nonce)) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    res.headers_mut().insert(header::ETAG, entry.etag.clone());
    res
}

pub async fn serve_cached(
    State(cache): State<PageCache>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if req.method() != Method::GET || !cacheable_path(req.uri().path()) || !anonymous(req.headers())
    {
        return next.run(req).await;
    }
    let lang = req
        .extensions()
        .get::<app::i18n::Lang>()
        .copied()
        .unwrap_or_default()
        .code();
    let key = (req.uri().to_string(), lang);
    let Some(token) = cache.0.watch.token().await else {
        return next.run(req).await;
    };
    if let Some(entry) = cache.lookup(&key, &token) {
        cache.0.hits.fetch_add(1, Ordering::Relaxed);
        return if matches_etag(req.headers(), &entry.etag) {
            not_modified(&entry)
        } else {
            answer(&entry)
        };
    }
    cache.0.misses.fetch_add(1, Ordering::Relaxed);
    let conditional = req.headers().clone();
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        // Over the limit (or broken): the page is lost for this answer, as a stream cut short
        // would be; it is never stored.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let csp = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let nonce = csp.as_deref().and_then(nonce_of).map(str::to_string);
    let (body_parts, csp_parts) = match &nonce {
        Some(n) => (
            split_bytes(&bytes, n.as_bytes()),
            csp.as_deref()
                .map(|c| c.split(n.as_str()).map(str::to_string).collect()),
        ),
        None => (vec![bytes.clone()], None),
    };
    let mut status_headers = parts.headers.clone();
    status_headers.remove(header::CONTENT_SECURITY_POLICY);
    status_headers.remove(header::CONTENT_LENGTH);
    status_headers.remove(header::TRANSFER_ENCODING);
    status_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let etag = etag_of(&body_parts);
    let entry = Entry {
        token,
        stored: Instant::now(),
        status_headers,
        parts: body_parts,
        csp: if nonce.is_some() { csp_parts } else { None },
        etag: etag.clone(),
        size: bytes.len(),
        refreshing: AtomicU64::new(0),
    };
    let entry = cache.store(key, entry);
    if matches_etag(&conditional, &etag) {
        return not_modified(&entry);
    }
    // This answer keeps the nonce it was rendered with; the next ones get their own.
    let mut res = Response::from_parts(parts, Body::from(bytes));
    res.headers_mut().insert(header::ETAG, etag);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_everyone_sees_alike() {
        for path in [
            "/",
            "/musterstadt",
            "/musterstadt/verkehrsberuhigung-altstadt",
            "/impressum",
        ] {
            assert!(cacheable_path(path), "{path}");
        }
        for path in [
            "/account",
            "/admin",
            "/manage/musterstadt",
            "/api/post_comment",
            "/verify",
            "/login",
            "/musterstadt/verkehrsberuhigung-altstadt/x",
            "//x",
            "/musterstadt/",
            "/pkg/app.js",
            "/sitemap.xml",
            "/musterstadt/feed.atom",
            "/Musterstadt",
        ] {
            assert!(!cacheable_path(path), "{path}");
        }
    }

    #[test]
    fn only_requests_without_cookies_but_the_language() {
        let mut h = HeaderMap::new();
        assert!(anonymous(&h));
        h.insert(header::COOKIE, HeaderValue::from_static("mitreden_lang=en"));
        assert!(anonymous(&h));
        h.append(
            header::COOKIE,
            HeaderValue::from_static("mitreden_session=abc"),
        );
        assert!(!anonymous(&h));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("mitreden_lang=de; mitreden_flash=x"),
        );
        assert!(!anonymous(&h));
    }

    #[test]
    fn the_nonce_is_cut_out_everywhere() {
        let csp = "default-src 'self'; script-src 'self' 'nonce-AbC123' 'wasm-unsafe-eval'";
        assert_eq!(nonce_of(csp), Some("AbC123"));
        assert_eq!(nonce_of("script-src 'self'"), None);
        let body = Bytes::from_static(b"<script nonce=\"AbC123\">x</script><p>AbC12</p>AbC123");
        let parts = split_bytes(&body, b"AbC123");
        assert_eq!(parts.len(), 3);
        assert_eq!(&parts[0][..], b"<script nonce=\"");
        assert_eq!(&parts[1][..], b"\">x</script><p>AbC12</p>");
        assert_eq!(&parts[2][..], b"");
    }

    fn entry(token: &str, age: Duration) -> Entry {
        Entry {
            token: token.to_string(),
            stored: Instant::now().checked_sub(age).unwrap(),
            status_headers: HeaderMap::new(),
            parts: vec![Bytes::from_static(b"<p>x</p>")],
            csp: None,
            etag: HeaderValue::from_static("W/\"1\""),
            size: 8,
            refreshing: AtomicU64::new(0),
        }
    }

    #[tokio::test]
    async fn an_old_page_is_rendered_again_by_one_request_and_by_another_if_that_one_fails() {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .connect_lazy("sqlite::memory:")
            .unwrap();
        let cache = PageCache::new(&Db::Sqlite(pool));
        let key = || ("/".to_string(), "de");
        cache.store(key(), entry("1:5", Duration::from_secs(1)));
        assert!(cache.lookup(&key(), "1:5").is_some(), "fresh");
        assert!(cache.lookup(&key(), "1:6").is_none(), "written since");
        cache.store(key(), entry("1:5", MAX_AGE + Duration::from_secs(1)));
        assert!(
            cache.lookup(&key(), "1:5").is_none(),
            "the first renders it again"
        );
        assert!(
            cache.lookup(&key(), "1:5").is_some(),
            "the others meanwhile get it"
        );
        // That render was never stored: after the grace another request takes it on.
        let stale = cache.lookup(&key(), "1:5").unwrap();
        stale.refreshing.store(1, Ordering::Relaxed);
        assert!(
            cache.lookup(&key(), "1:5").is_none(),
            "another one renders it again"
        );
        assert!(cache.lookup(&key(), "1:5").is_some());
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        let etag = HeaderValue::from_static("W/\"00ff\"");
        let mut h = HeaderMap::new();
        assert!(!matches_etag(&h, &etag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"00ff\""),
        );
        assert!(matches_etag(&h, &etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"00fe\""));
        assert!(!matches_etag(&h, &etag));
    }
}
