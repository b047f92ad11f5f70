//! The page store for anonymous readers (`server::http::page_cache`), seen from the outside: a
//! stored page is served again (the hit counter in /metrics moves), yet never one that misses a
//! write acknowledged before the request — through HTTP, straight in the database from another
//! connection, or by the `mitreden` command in another process, and under a crowd of readers.
//! Every answer has a nonce of its own that matches its policy; browsers revalidate with the ETag
//! and get 304 without a policy; signed-in requests, other cookies and other paths never get
//! (or count as) stored pages; languages never mix. SQLite and PostgreSQL.
//!
//! On PostgreSQL the change token is the cluster's snapshot, which other tests' databases on the
//! same cluster move too: where a test needs a stored answer it asks until it gets one (see
//! [`stored`]) rather than expecting the second request to be one.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common;
use crate::reports::JSON;

use common::{Page, TestApp, ALTSTADT};

on_both_backends!(
    an_acknowledged_comment_is_on_the_next_anonymous_page,
    an_acknowledged_support_vote_changes_the_count_at_once,
    writes_outside_this_process_count_too,
    readers_under_a_stream_of_writes_never_miss_an_acknowledged_comment,
    every_answer_has_its_own_nonce_matching_its_policy,
    revalidation_gets_304_until_the_page_changes,
    signed_in_readers_never_get_stored_pages,
    languages_never_mix_between_stored_pages,
    other_paths_and_cookies_bypass_the_store,
);

const SLUG: &str = "verkehrsberuhigung-altstadt";
/// How often [`stored`] asks before giving up (a write elsewhere on the PostgreSQL cluster
/// between two requests makes the second one render again), with a short pause after a miss:
/// a few seconds at most, while other tests write to their databases on the same cluster.
const ATTEMPTS: usize = 100;

/// The page store's counters in /metrics: (hits, misses).
async fn counts(app: &TestApp) -> (u64, u64) {
    let page = app.get("/metrics").await;
    assert_eq!(page.status, 200);
    let value = |result: &str| {
        let prefix = format!("mitreden_page_cache_total{{result=\"{result}\"}} ");
        page.body
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no {result} counter in /metrics:\n{}", page.body))
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    (value("hit"), value("miss"))
}

/// A GET of `path` with these headers (none: an anonymous browser's first visit).
async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = app.client.get(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    crate::common::into_page(req.send().await.expect("GET")).await
}

/// Asks for `path` (with `headers`) until an answer comes from the store, and returns it.
async fn stored(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    for _ in 0..ATTEMPTS {
        let before = counts(app).await;
        let page = get_with(app, path, headers).await;
        let after = counts(app).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert_eq!(
            after.0 + after.1,
            before.0 + before.1 + 1,
            "{path}: each anonymous page request counts once, as hit or miss"
        );
        if after.0 == before.0 + 1 {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{path} never came from the page store in {ATTEMPTS} requests");
}

/// The text between `id="comment-{id}"` and the next comment.
fn comment_section(body: &str, id: i64) -> &str {
    let start = body
        .find(&format!("id=\"comment-{id}\""))
        .unwrap_or_else(|| panic!("comment {id} not on the page"));
    let rest = &body[start + 1..];
    let end = rest.find("<li id=\"comment-").unwrap_or(rest.len());
    &rest[..end]
}

/// The nonce in a page's Content-Security-Policy and every `nonce="…"` of its HTML.
fn nonces(page: &Page) -> (String, Vec<String>) {
    let csp = page.header("content-security-policy");
    let start = csp
        .find("'nonce-")
        .unwrap_or_else(|| panic!("no nonce in the policy {csp:?}"))
        + "'nonce-".len();
    let len = csp[start..].find('\'').expect("closing quote");
    let header = csp[start..start + len].to_string();
    let attributes = page
        .body
        .split("nonce=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("closing quote")].to_string())
        .collect();
    (header, attributes)
}

/// Posts a comment as `cookie` (JS) and returns its id; the answer is the acknowledgement.
async fn comment(app: &TestApp, cookie: &str, text: &str) -> i64 {
    let res = app
        .post_comment_as(Some(cookie), JSON, "musterstadt", SLUG, "", text)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    v["Published"]["id"].as_i64().expect("published comment")
}

async fn an_acknowledged_comment_is_on_the_next_anonymous_page(app: &TestApp) {
    let text = "Zwischengespeichert, aber nie veraltet: Poller am Marktplatz";
    let first = app.get(ALTSTADT).await;
    assert_eq!(first.status, 200);
    assert!(!first.body.contains(text));
    let hit = stored(app, ALTSTADT, &[]).await;
    assert!(!hit.body.contains(text));
    assert!(hit.body.contains("Verkehrsberuhigung"), "the consultation");

    let res = app.post_comment_js("musterstadt", SLUG, "", text).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let next = app.get(ALTSTADT).await;
    assert_eq!(next.status, 200);
    assert!(
        next.body.contains(text),
        "the anonymous page right after an acknowledged comment misses it"
    );
    // And the new page is stored in its turn.
    assert!(stored(app, ALTSTADT, &[]).await.body.contains(text));
}

async fn an_acknowledged_support_vote_changes_the_count_at_once(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, "Mehr Bänke am Marktplatz, bitte").await;
    let hit = stored(app, ALTSTADT, &[]).await;
    assert!(
        comment_section(&hit.body, id).contains("0 Unterstützungen"),
        "{}",
        comment_section(&hit.body, id)
    );
    let voters = app.participants("unterstuetzer", 2).await;
    for (n, (_, cookie)) in voters.iter().enumerate() {
        let sid = id.to_string();
        let res = app
            .post_form(
                "/api/vote_comment",
                JSON,
                Some(cookie),
                &[
                    ("org", "musterstadt"),
                    ("slug", SLUG),
                    ("comment_id", &sid),
                    ("vote", "up"),
                ],
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let shown = match n + 1 {
            1 => "1 Unterstützung<".to_string(),
            n => format!("{n} Unterstützungen<"),
        };
        let page = app.get(ALTSTADT).await;
        assert!(
            comment_section(&page.body, id).contains(&shown),
            "after {} acknowledged vote(s) the anonymous page shows {}",
            n + 1,
            comment_section(&page.body, id)
        );
        // Stored again with the new count.
        let hit = stored(app, ALTSTADT, &[]).await;
        assert!(comment_section(&hit.body, id).contains(&shown));
    }
}

async fn writes_outside_this_process_count_too(app: &TestApp) {
    // The title, changed from a connection of its own (not the server's pool, not through any
    // of the application's functions).
    let title = "Verkehrsberuhigung Altstadt (geänderter Titel 7Q2)";
    let hit = stored(app, ALTSTADT, &[]).await;
    assert!(!hit.body.contains(title));
    let other = app::db::Db::connect(
        &app.database_url,
        &app::db::PoolSettings { max_connections: 1 },
    )
    .await
    .unwrap();
    app::on_db!(&other, |pool| sqlx::query(
        "UPDATE consultations SET title = $1 WHERE slug = $2"
    )
    .bind(title)
    .bind(SLUG)
    .execute(pool)
    .await
    .map(|r| assert_eq!(r.rows_affected(), 1)))
    .unwrap();
    other.close().await;
    let page = app.get(ALTSTADT).await;
    assert!(
        page.body.contains(title),
        "a title changed in the database is not on the next anonymous page"
    );

    // A comment written by another process: `mitreden seed-load`.
    let text = "Beitrag 0: Beim Thema";
    let hit = stored(app, ALTSTADT, &[]).await;
    assert!(hit.body.contains(title));
    assert!(!hit.body.contains(text));
    let url = app.database_url.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_mitreden"))
            .args([
                "seed-load",
                "--database-url",
                &url,
                "--consultation",
                &format!("musterstadt/{SLUG}"),
                "--comments",
                "1",
                "--participants",
                "1",
            ])
            .output()
            .expect("run mitreden seed-load")
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "seed-load: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = app.get(ALTSTADT).await;
    assert!(
        page.body.contains(text),
        "a comment written by another process is not on the next anonymous page"
    );
}

async fn readers_under_a_stream_of_writes_never_miss_an_acknowledged_comment(app: &TestApp) {
    const WRITES: usize = 20;
    const READERS: usize = 4;
    let text = |i: usize| format!("Gleichzeitig geschrieben, Nummer {i:02}.");
    // Two authors: one person may write only 20 comments in ten minutes.
    let authors = app.participants("schreiber", 2).await;
    let (hits_before, _) = counts(app).await;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let mut readers = tokio::task::JoinSet::new();
    for _ in 0..READERS {
        let client = app.client.clone();
        let url = app.url(ALTSTADT);
        let acknowledged = acknowledged.clone();
        let done = done.clone();
        readers.spawn(async move {
            let mut failures = Vec::new();
            let mut reads = 0usize;
            // Bounded: the writer finishes in seconds; 2,000 reads is far more than it takes.
            while !done.load(Ordering::SeqCst) && reads < 2000 {
                let known = acknowledged.load(Ordering::SeqCst);
                let res = client.get(&url).send().await.expect("GET");
                let status = res.status().as_u16();
                let body = res.text().await.unwrap_or_default();
                reads += 1;
                if status != 200 {
                    failures.push(format!("status {status}"));
                    continue;
                }
                for i in 0..known {
                    if !body.contains(&text(i)) {
                        failures.push(format!(
                            "a read begun after {known} acknowledged comments lacks number {i}"
                        ));
                    }
                }
            }
            (reads, failures)
        });
    }
    for i in 0..WRITES {
        comment(app, &authors[i % 2].1, &text(i)).await;
        acknowledged.store(i + 1, Ordering::SeqCst);
        let page = app.get(ALTSTADT).await;
        for k in 0..=i {
            assert!(
                page.body.contains(&text(k)),
                "after {} acknowledged comments the next anonymous page lacks number {k}",
                i + 1
            );
        }
    }
    done.store(true, Ordering::SeqCst);
    let mut reads = 0;
    let mut failures = Vec::new();
    while let Some(reader) = readers.join_next().await {
        let (n, f) = reader.expect("reader task");
        reads += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of {reads} concurrent reads were wrong, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let (hits_after, _) = counts(app).await;
    assert!(reads >= READERS, "the readers read");
    // The readers between the writes got stored pages too (on PostgreSQL other tests' writes on
    // the same cluster may move the token all along, so there only the first check holds).
    if matches!(app.db, app::db::Db::Sqlite(_)) {
        assert!(
            hits_after > hits_before,
            "the readers between the writes got no stored page at all ({reads} reads)"
        );
    }
}

async fn every_answer_has_its_own_nonce_matching_its_policy(app: &TestApp) {
    let mut seen = HashSet::new();
    let mut pages = vec![app.get(ALTSTADT).await];
    for _ in 0..4 {
        pages.push(stored(app, ALTSTADT, &[]).await);
    }
    // ETag → the page without its nonce.
    let mut bodies = std::collections::HashMap::new();
    for page in &pages {
        assert_eq!(page.status, 200);
        let (header, attributes) = nonces(page);
        assert!(header.len() >= 16, "a nonce worth the name: {header:?}");
        assert!(!attributes.is_empty(), "the page has nonce'd scripts");
        for attribute in &attributes {
            assert_eq!(
                attribute, &header,
                "a nonce in the HTML differs from the policy's"
            );
        }
        assert!(seen.insert(header.clone()), "the nonce {header} came twice");
        // Answers of one stored page (one ETag) differ in their nonce only.
        let body = page.body.replace(&header, "NONCE");
        let etag = page.header("etag").to_string();
        assert!(!etag.is_empty());
        let first = bodies.entry(etag).or_insert_with(|| body.clone());
        assert!(
            *first == body,
            "two answers with one ETag differ in more than the nonce"
        );
    }
    // The page store's answers also keep the other headers of the page.
    let last = pages.last().unwrap();
    assert!(last.header("content-type").starts_with("text/html"));
    assert_eq!(last.header("x-content-type-options"), "nosniff");
    assert_eq!(last.header("x-frame-options"), "DENY");
}

/// A GET with `If-None-Match: etag`, and whether it came from the store.
async fn revalidate(app: &TestApp, etag: &str) -> (Page, bool) {
    let before = counts(app).await;
    let page = get_with(app, ALTSTADT, &[("if-none-match", etag)]).await;
    let after = counts(app).await;
    assert_eq!(
        after.0 + after.1,
        before.0 + before.1 + 1,
        "a revalidation counts once"
    );
    (page, after.0 > before.0)
}

/// Checks a 304: the ETag, `no-cache`, no policy, no body.
fn assert_not_modified(page: &Page, etag: &str) {
    assert_eq!(page.status, 304, "{}", page.body);
    assert_eq!(page.header("etag"), etag);
    assert_eq!(page.header("cache-control"), "no-cache");
    assert!(
        page.headers.get("content-security-policy").is_none(),
        "a 304 must not replace the policy whose nonce the browser's copy carries"
    );
    assert!(page.body.is_empty());
}

/// A stored page's ETag, and the answer to revalidating it that came from the store. A page
/// rendered again (on PostgreSQL another database's write moves the token) may come with
/// another ETag even if nothing changed: the order of Leptos' resource list in the page varies
/// between renders. Such answers are checked for consistency and the test asks again.
async fn stored_and_revalidated(app: &TestApp) -> (String, Page) {
    for _ in 0..20 {
        let page = stored(app, ALTSTADT, &[]).await;
        let etag = page.header("etag").to_string();
        assert!(!etag.is_empty(), "a stored page has an ETag");
        assert_eq!(page.header("cache-control"), "no-cache");
        let (res, hit) = revalidate(app, &etag).await;
        if hit {
            assert_not_modified(&res, &etag);
            return (etag, res);
        }
        // Rendered again: 304 exactly when the new page has the same ETag.
        if res.status == 304 {
            assert_not_modified(&res, &etag);
        } else {
            assert_eq!(res.status, 200);
            assert_ne!(res.header("etag"), etag);
            assert_eq!(res.header("cache-control"), "no-cache");
        }
    }
    panic!("no revalidation came from the page store in 20 attempts");
}

async fn revalidation_gets_304_until_the_page_changes(app: &TestApp) {
    let (etag, _) = stored_and_revalidated(app).await;
    // A list of ETags matches too (from the store, or rendered again with the same ETag).
    let listed = format!("\"other\", {etag}");
    let (res, hit) = revalidate(app, &listed).await;
    if hit || res.header("etag") == etag {
        assert_not_modified(&res, &etag);
    }
    // An ETag of another page does not.
    let other = get_with(app, "/musterstadt", &[]).await;
    assert!(!other.header("etag").is_empty());
    assert_ne!(other.header("etag"), etag);
    let (res, _) = revalidate(app, other.header("etag")).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Verkehrsberuhigung"));

    // After a write the same revalidation gets the new page with a new ETag.
    let text = "Nach der Änderung: neue Fassung der Seite";
    let res = app.post_comment_js("musterstadt", SLUG, "", text).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let (changed, _) = revalidate(app, &etag).await;
    assert_eq!(
        changed.status, 200,
        "a 304 after an acknowledged write keeps the browser on the old page"
    );
    assert!(changed.body.contains(text));
    let new_etag = changed.header("etag").to_string();
    assert!(!new_etag.is_empty());
    assert_ne!(new_etag, etag);
    assert_eq!(changed.header("cache-control"), "no-cache");
    assert!(changed.headers.get("content-security-policy").is_some());
    // And the page from now on revalidates with its own ETag, never the old one.
    let (now, _) = stored_and_revalidated(app).await;
    assert_ne!(now, etag);
    let (res, _) = revalidate(app, &etag).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains(text));
}

async fn signed_in_readers_never_get_stored_pages(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let anonymous = stored(app, ALTSTADT, &[]).await;
    assert!(!anonymous.body.contains("Abmelden"), "anonymous page");
    let etag = anonymous.header("etag").to_string();

    let before = counts(app).await;
    let mine = app.get_with_cookie(ALTSTADT, &anna).await;
    assert_eq!(mine.status, 200);
    assert!(
        mine.body.contains("Abmelden"),
        "a signed-in reader got the anonymous page"
    );
    // Even when the browser revalidates the anonymous copy it kept from before signing in.
    let revalidated = get_with(
        app,
        ALTSTADT,
        &[("cookie", &anna), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(
        revalidated.status, 200,
        "a 304 would keep the anonymous page"
    );
    assert!(revalidated.body.contains("Abmelden"));
    // With the language cookie too.
    let both = format!("mitreden_lang=de; {anna}");
    let mine = app.get_with_cookie(ALTSTADT, &both).await;
    assert!(mine.body.contains("Abmelden"));
    let after = counts(app).await;
    assert_eq!(
        after, before,
        "signed-in requests are neither served from nor counted by the page store"
    );
    assert!(
        mine.headers.get("etag").is_none(),
        "a personal page has no ETag of the store"
    );

    // Nothing personal was stored for the next anonymous reader.
    for _ in 0..2 {
        let page = app.get(ALTSTADT).await;
        assert!(
            !page.body.contains("Abmelden"),
            "an anonymous reader got a signed-in page"
        );
    }
    let page = stored(app, ALTSTADT, &[]).await;
    assert!(!page.body.contains("Abmelden"));
}

fn german(page: &Page) -> bool {
    page.body.contains("<html lang=\"de\"") && page.body.contains("Meiste Unterstützung")
}

fn english(page: &Page) -> bool {
    page.body.contains("<html lang=\"en\"") && page.body.contains("Most supported")
}

async fn languages_never_mix_between_stored_pages(app: &TestApp) {
    let en_cookie = [("cookie", "mitreden_lang=en")];
    let en_header = [("accept-language", "en-GB,en;q=0.9")];
    let de_cookie = [("cookie", "mitreden_lang=de")];
    for _ in 0..2 {
        let de = stored(app, ALTSTADT, &[]).await;
        assert!(german(&de), "the German anonymous page");
        let en = stored(app, ALTSTADT, &en_cookie).await;
        assert!(english(&en), "mitreden_lang=en got a German stored page");
        let en = stored(app, ALTSTADT, &en_header).await;
        assert!(english(&en), "Accept-Language: en got a German stored page");
        let de = stored(app, ALTSTADT, &de_cookie).await;
        assert!(german(&de), "mitreden_lang=de got an English stored page");
        let de = stored(app, ALTSTADT, &[]).await;
        assert!(
            german(&de),
            "an anonymous German reader got the English page"
        );
        assert_ne!(
            de.header("etag"),
            en.header("etag"),
            "one ETag for two languages"
        );
    }

    // `?lang=en` sets the cookie (outside the store) and answers in English, every time.
    for _ in 0..3 {
        let page = get_with(app, &format!("{ALTSTADT}?lang=en"), &[]).await;
        assert_eq!(page.status, 200);
        assert!(english(&page));
        assert_eq!(
            page.cookie("mitreden_lang").as_deref(),
            Some("mitreden_lang=en")
        );
    }
    let hit = stored(app, &format!("{ALTSTADT}?lang=en"), &[]).await;
    assert!(english(&hit));
    assert_eq!(
        hit.cookie("mitreden_lang").as_deref(),
        Some("mitreden_lang=en"),
        "a stored answer to ?lang=en must still remember the choice"
    );
    // With the cookie already set, no Set-Cookie; a switch back to German sets it again.
    let page = stored(app, &format!("{ALTSTADT}?lang=en"), &en_cookie).await;
    assert!(english(&page));
    assert!(page.cookie("mitreden_lang").is_none());
    let page = stored(app, &format!("{ALTSTADT}?lang=de"), &en_cookie).await;
    assert!(german(&page), "?lang=de wins over the cookie");
    assert_eq!(
        page.cookie("mitreden_lang").as_deref(),
        Some("mitreden_lang=de")
    );
    // The plain page is still German for a reader without a choice.
    assert!(german(&app.get(ALTSTADT).await));
}

async fn other_paths_and_cookies_bypass_the_store(app: &TestApp) {
    let anna = app.resident_cookie().await;
    // Pages everyone sees alike are stored: home, organisation, consultation, legal pages.
    for path in ["/", "/musterstadt", ALTSTADT, "/impressum", "/datenschutz"] {
        let page = stored(app, path, &[]).await;
        assert!(page.header("content-type").starts_with("text/html"));
        assert!(!page.header("etag").is_empty(), "{path}");
    }
    let before = counts(app).await;
    let others = [
        "/account",
        "/login",
        "/register",
        "/manage",
        "/moderation",
        "/admin",
        "/password/forgot",
        "/verify?token=00",
        "/healthz",
        "/api/v1/consultations",
        "/api/openapi.json",
    ]
    .map(str::to_string)
    .into_iter()
    .chain(["changes", "answers", "results", "comments/1"].map(|sub| format!("{ALTSTADT}/{sub}")));
    for path in others {
        let page = app.get(&path).await;
        assert!(
            page.headers.get("etag").is_none(),
            "{path} answered from the page store"
        );
        assert_eq!(
            counts(app).await,
            before,
            "{path} counted by the page store"
        );
    }
    // Listed paths with any cookie but the language one, or not GET.
    for cookie in [
        anna.as_str(),
        "mitreden_flash=x",
        "tracking=1",
        "mitreden_lang=en; other=1",
    ] {
        let page = app.get_with_cookie(ALTSTADT, cookie).await;
        assert_eq!(page.status, 200);
        assert!(
            page.headers.get("etag").is_none(),
            "{cookie}: answered from the page store"
        );
        assert_eq!(counts(app).await, before, "{cookie}: counted");
    }
    let head = app
        .client
        .head(app.url(ALTSTADT))
        .send()
        .await
        .expect("HEAD");
    assert!(head.headers().get("etag").is_none(), "HEAD from the store");
    assert_eq!(counts(app).await, before, "HEAD counted");
    // A page that is not found is counted (it was asked for) but never stored.
    let missing = app.get("/musterstadt/gibt-es-nicht").await;
    assert_eq!(missing.status, 404);
    let missing = app.get("/musterstadt/gibt-es-nicht").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.get("etag").is_none());
    let after = counts(app).await;
    assert_eq!(after.0, before.0, "a 404 came from the store");
    // Not pages, though their paths look like an organisation's: never stored either.
    for path in ["/sitemap.xml", "/musterstadt/feed.atom"] {
        for _ in 0..2 {
            let page = app.get(path).await;
            assert_eq!(page.status, 200, "{path}");
            assert!(page.header("content-type").contains("xml"), "{path}");
            assert!(page.headers.get("etag").is_none(), "{path} from the store");
        }
    }
    assert_eq!(counts(app).await.0, before.0, "a feed came from the store");
}

/// The change token is read by one request at a time, and requests that waited for a read which
/// *began* after they arrived take its result. A read that never finishes — its request was
/// dropped, as when a browser goes away, while the read waited for the database — must not pass
/// on the result of an older read to them. PostgreSQL only: there the read needs a connection
/// of the server's pool, so the test can hold it up by taking them all; SQLite's watch has a
/// connection of its own that nothing holds up (the window there is the read's microseconds).
mod postgres_only {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_token_read_never_hands_out_an_older_token() {
        let app = crate::common::spawn_app(crate::common::Backend::Postgres).await;
        super::a_dropped_token_read_never_hands_out_an_older_token(&app).await;
        app.stop().await;
    }
}

async fn a_dropped_token_read_never_hands_out_an_older_token(app: &TestApp) {
    let title = "Verkehrsberuhigung Altstadt (nach dem Abbruch 3KX)";
    let old = stored(app, ALTSTADT, &[]).await;
    assert!(!old.body.contains(title));
    let app::db::Db::Postgres(pool) = &app.db else {
        panic!("PostgreSQL only")
    };
    // Every connection of the server's pool, so that token reads wait (up to the pool's
    // acquire timeout, 2 s: the requests below go away well before).
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await.unwrap());
    }
    // The write, committed and acknowledged before any of the requests below is sent.
    let done = sqlx::query("UPDATE consultations SET title = $1 WHERE slug = $2")
        .bind(title)
        .bind(SLUG)
        .execute(&mut *held[0])
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1);
    let pause = || tokio::time::sleep(std::time::Duration::from_millis(300));
    let send = || {
        let request = app.client.get(app.url(ALTSTADT)).send();
        tokio::spawn(async move {
            let res = request.await.expect("GET");
            let status = res.status().as_u16();
            (status, res.text().await.unwrap_or_default())
        })
    };
    // Y reads the token (and waits); Q and then R arrive meanwhile and wait for Y's read.
    let y = send();
    pause().await;
    let q = send();
    pause().await;
    let r = send();
    pause().await;
    // Y's client goes away: Q reads next (its read begins after R arrived) and goes away too.
    // R must read the token itself, not take what the last *finished* read found.
    y.abort();
    pause().await;
    q.abort();
    pause().await;
    drop(held);
    let (status, body) = tokio::time::timeout(std::time::Duration::from_secs(15), r)
        .await
        .expect("R answered")
        .expect("R's task");
    assert_eq!(status, 200);
    assert!(
        body.contains(title),
        "a request sent after the write was acknowledged got the page from before it"
    );
}
