//! The Foundation's stories, told from outside: real server, real HTTP, fresh database, on
//! SQLite and PostgreSQL.

use crate::common;

use app::consultation::repo::{self as consultations, NewConsultation};
use app::consultation::{Moderation, Status};
use common::{TestApp, ALTSTADT, BASE_URL};

on_both_backends!(
    health_check_reports_a_working_database,
    metrics_count_requests_per_route_template_and_show_the_pool,
    the_home_page_lists_open_consultations_but_no_drafts,
    search_finds_published_consultations_of_any_status_but_no_drafts,
    the_consultation_page_is_complete_without_javascript,
    drafts_and_unknown_pages_are_not_found,
    the_organisation_page_lists_its_published_consultations,
    markdown_with_scripts_and_javascript_links_renders_inert,
    a_resident_comments_without_javascript_and_sees_the_comment,
    an_empty_comment_is_refused_next_to_the_field_and_the_text_is_kept,
    a_too_long_comment_is_refused_and_the_text_is_kept,
    the_kept_text_is_shown_once_only,
    the_hydrated_form_gets_json_with_a_4xx_status_for_invalid_input,
    a_reply_appears_under_its_parent,
    a_reply_to_a_comment_of_another_consultation_is_refused,
    a_closed_consultation_takes_no_comments,
    pre_moderated_comments_stay_hidden_until_approved,
    cross_site_posts_are_refused_and_change_nothing,
    pages_send_security_headers_and_a_script_nonce,
    english_is_chosen_by_query_and_remembered_in_a_cookie,
    oversized_request_bodies_are_refused,
    an_oversized_upload_from_a_browser_gets_a_page_saying_so,
    pages_describe_themselves_for_search_engines_and_link_previews,
);

async fn health_check_reports_a_working_database(app: &TestApp) {
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 200);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["database"], "ok");
}

async fn metrics_count_requests_per_route_template_and_show_the_pool(app: &TestApp) {
    app.get(ALTSTADT).await;
    app.get("/kreis-beispiel/nahverkehrsplan").await;
    let page = app.get("/metrics").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/plain"));
    let line = page
        .body
        .lines()
        .find(|l| l.starts_with("mitreden_http_requests_total{method=\"GET\",route=\"/{org}/{slug}\",status=\"200\"}"))
        .unwrap_or_else(|| panic!("no counter for the consultation route in:\n{}", page.body));
    assert!(line.ends_with(" 2"), "{line}");
    assert!(page.body.contains("mitreden_http_request_duration_seconds_bucket{method=\"GET\",route=\"/{org}/{slug}\",le=\"+Inf\"} 2"));
    assert!(page.body.contains("mitreden_db_pool_max_connections"));
    // Loopback is in no country; the statistics count it as unknown.
    assert!(
        page.body
            .contains("mitreden_requests_by_country_total{country=\"unknown\"}"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("verkehrsberuhigung"),
        "raw paths must not become labels"
    );
}

async fn the_home_page_lists_open_consultations_but_no_drafts(app: &TestApp) {
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"de\""));
    assert!(
        page.body.contains(&format!("href=\"{ALTSTADT}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Verkehrsberuhigung in der Altstadt"));
    assert!(page.body.contains("Nahverkehrsplan des Kreises"));
    assert!(!page.body.contains("Radweg Nord"), "draft listed");
    assert!(
        !page.body.contains("Spielplatz"),
        "closed consultation listed as open"
    );
}

async fn search_finds_published_consultations_of_any_status_but_no_drafts(app: &TestApp) {
    let page = app.get("/?q=spielplatz").await;
    assert!(
        page.body.contains("Neuer Spielplatz im Lindenpark"),
        "{}",
        page.body
    );
    let page = app.get("/?q=Radweg").await;
    assert!(!page.body.contains("Radweg Nord"));
    assert!(page
        .body
        .contains("Keine Beteiligung passt zu Ihrer Suche."));
    // LIKE wildcards are literal.
    let page = app.get("/?q=%25").await;
    assert!(page
        .body
        .contains("Keine Beteiligung passt zu Ihrer Suche."));
}

async fn the_consultation_page_is_complete_without_javascript(app: &TestApp) {
    let page = app.get(ALTSTADT).await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    assert!(
        b.contains("<h1>Verkehrsberuhigung in der Altstadt</h1>"),
        "{b}"
    );
    assert!(
        b.contains("<h2 id=\"md-worum-es-geht\">Worum es geht</h2>"),
        "Markdown body missing: {b}"
    );
    assert!(b.contains("<table>"));
    assert!(b.contains("Beteiligung läuft"));
    assert!(b.contains("<time datetime="));
    assert!(b.contains("Tempo 20 ist überfällig"), "comments missing");
    assert!(b.contains("auch Kontrollen"), "reply missing");
    // Signed out: how to take part; signed in: the form, a real form post.
    assert!(b.contains("id=\"participate\""));
    let cookie = app.resident_cookie().await;
    let signed_in = app.get_with_cookie(ALTSTADT, &cookie).await;
    let b = &signed_in.body;
    assert!(b.contains("id=\"comment-form\""));
    assert!(b.contains("action=\"/api/post_comment\""));
    assert!(b.contains("name=\"body\""));
    assert!(
        !b.contains("Wird geladen"),
        "a Suspense fallback was sent instead of content"
    );
}

async fn drafts_and_unknown_pages_are_not_found(app: &TestApp) {
    for path in [
        "/musterstadt/radweg-nord",
        "/musterstadt/gibt-es-nicht",
        "/niemand",
        "/a/b/c",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.body.contains("Seite nicht gefunden"),
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains("Entwurf: ein durchgehender Radweg"));
    }
}

async fn the_organisation_page_lists_its_published_consultations(app: &TestApp) {
    let page = app.get("/musterstadt").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Stadt Musterstadt</h1>"));
    assert!(page.body.contains("Neuer Spielplatz im Lindenpark"));
    assert!(
        page.body.contains("href=\"/kreis-beispiel\""),
        "parent organisation linked"
    );
    assert!(!page.body.contains("Radweg Nord"));
    assert!(page
        .body
        .contains("href=\"mailto:beteiligung@musterstadt.example\""));
    assert!(page
        .body
        .contains("href=\"https://musterstadt.example/impressum\""));
    // The district's page also lists its municipalities' open consultations (not closed, not drafts).
    let kreis = app.get("/kreis-beispiel").await;
    assert!(
        kreis
            .body
            .contains("Laufende Beteiligungen in den Kommunen von Kreis Beispiel"),
        "{}",
        kreis.body
    );
    assert!(kreis.body.contains("Verkehrsberuhigung in der Altstadt"));
    assert!(!kreis.body.contains("Neuer Spielplatz im Lindenpark"));
    assert!(!kreis.body.contains("Radweg Nord"));
}

async fn markdown_with_scripts_and_javascript_links_renders_inert(app: &TestApp) {
    let org = app::organisation::repo::find_by_slug(&app.db, "musterstadt")
        .await
        .unwrap()
        .unwrap();
    consultations::create(
        &app.db,
        &NewConsultation {
            organisation_id: org.id,
            slug: "boese",
            title: "Böse",
            summary: "x",
            body_markdown: "# Titel\n\n<script>alert('xss')</script>\n\n[Klick](javascript:alert(1))\n\n\
                            <img src=\"x.png\" onerror=\"alert(2)\">\n\n<a href=\"jAvAsCrIpT:alert(3)\">a</a>",
            status: Status::Open,
            moderation: Moderation::Post,
            opens_at: None,
            closes_at: None,
        },
    )
    .await
    .unwrap()
    .expect("created");
    let page = app.get("/musterstadt/boese").await;
    assert_eq!(page.status, 200);
    let prose_start = page.body.find("class=\"prose\"").expect("prose block");
    let prose = &page.body[prose_start..];
    let prose = &prose[..prose.find("</div>").unwrap()];
    let lower = prose.to_lowercase();
    assert!(prose.contains("Titel"), "{prose}");
    for needle in ["<script", "javascript:", "onerror", "alert("] {
        assert!(!lower.contains(needle), "{needle} survived: {prose}");
    }
}

async fn a_resident_comments_without_javascript_and_sees_the_comment(app: &TestApp) {
    let res = app
        .post_comment_form(
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "Mehr Bänke am Markt, bitte!",
        )
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let location = res.header("location");
    assert!(
        location.starts_with(&format!("{ALTSTADT}#comment-")),
        "{location}"
    );
    let cookie = res.cookie("mitreden_flash").expect("flash cookie");
    assert!(res.headers.get_all("set-cookie").iter().any(|v| {
        let v = v.to_str().unwrap();
        v.contains("HttpOnly") && v.contains("SameSite=Lax")
    }));
    let page = app.get_with_flash(ALTSTADT, &cookie).await;
    assert!(page.body.contains("Mehr Bänke am Markt, bitte!"));
    assert!(page
        .body
        .contains("Vielen Dank! Ihr Beitrag wurde veröffentlicht."));
    let id = location.rsplit('-').next().unwrap();
    assert!(page.body.contains(&format!("id=\"comment-{id}\"")));
    // Everyone sees it, without the notice.
    let page = app.get(ALTSTADT).await;
    assert!(page.body.contains("Mehr Bänke am Markt, bitte!"));
    assert!(!page.body.contains("Vielen Dank"));
}

async fn an_empty_comment_is_refused_next_to_the_field_and_the_text_is_kept(app: &TestApp) {
    let res = app
        .post_comment_form("musterstadt", "verkehrsberuhigung-altstadt", "", "   \r\n ")
        .await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), format!("{ALTSTADT}#comment-form"));
    let page = app
        .get_with_flash(ALTSTADT, &res.cookie("mitreden_flash").unwrap())
        .await;
    let b = &page.body;
    assert!(b.contains("id=\"comment-body-error\""), "{b}");
    assert!(b.contains("Bitte schreiben Sie einen Beitrag."));
    assert!(b.contains("aria-invalid=\"true\""));
    assert!(b.contains("aria-describedby=\"comment-body-hint comment-body-error\""));
}

async fn a_too_long_comment_is_refused_and_the_text_is_kept(app: &TestApp) {
    let text = format!("</textarea><b>Lang</b> {}", "ü".repeat(4989));
    let res = app
        .post_comment_form("musterstadt", "verkehrsberuhigung-altstadt", "", &text)
        .await;
    assert_eq!(res.status, 302);
    let page = app
        .get_with_flash(ALTSTADT, &res.cookie("mitreden_flash").unwrap())
        .await;
    assert!(
        page.body
            .contains("Ihr Text ist zu lang: höchstens 5000 Zeichen erlaubt, Sie haben 5012."),
        "{}",
        page.body
    );
    let escaped = text.replace('<', "&lt;").replace('>', "&gt;");
    assert!(
        page.body.contains(&format!(">{escaped}</textarea>")),
        "text not kept (or not escaped)"
    );
    let visible = app.get(ALTSTADT).await;
    assert!(
        !visible.body.contains("Lang</b>") && !visible.body.contains("&lt;b&gt;Lang"),
        "stored anyway"
    );
}

async fn the_kept_text_is_shown_once_only(app: &TestApp) {
    let res = app
        .post_comment_form("musterstadt", "verkehrsberuhigung-altstadt", "", "")
        .await;
    let cookie = res.cookie("mitreden_flash").unwrap();
    let first = app.get_with_flash(ALTSTADT, &cookie).await;
    assert!(first.body.contains("Bitte schreiben Sie einen Beitrag."));
    assert!(first
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("mitreden_flash=;")));
    let second = app.get_with_flash(ALTSTADT, &cookie).await;
    assert!(
        !second.body.contains("Bitte schreiben Sie einen Beitrag."),
        "flash reused"
    );
    // Another visitor's page never shows it.
    let res = app
        .post_comment_form("musterstadt", "verkehrsberuhigung-altstadt", "", "")
        .await;
    let other = app
        .get_with_flash(ALTSTADT, &format!("mitreden_flash={}", "0".repeat(64)))
        .await;
    assert!(!other.body.contains("Bitte schreiben Sie einen Beitrag."));
    drop(res);
}

async fn the_hydrated_form_gets_json_with_a_4xx_status_for_invalid_input(app: &TestApp) {
    let res = app
        .post_comment_js("musterstadt", "verkehrsberuhigung-altstadt", "", " ")
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["kind"], "invalid");
    assert_eq!(json["field"], "body");
    assert_eq!(json["problem"]["code"], "empty");

    let res = app
        .post_comment_js(
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "Gute Idee",
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["Published"]["body"], "Gute Idee");
    assert_eq!(json["Published"]["author_name"], "Anna");

    let res = app
        .post_comment_js("musterstadt", "gibt-es-nicht", "", "x")
        .await;
    assert_eq!(res.status, 404);
}

async fn a_reply_appears_under_its_parent(app: &TestApp) {
    let parent = app
        .post_comment_js("musterstadt", "verkehrsberuhigung-altstadt", "", "Frage?")
        .await;
    let json: serde_json::Value = serde_json::from_str(&parent.body).unwrap();
    let parent_id = json["Published"]["id"].as_i64().unwrap().to_string();
    let reply = app
        .post_comment_form(
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            &parent_id,
            "Antwort!",
        )
        .await;
    assert_eq!(reply.status, 302);
    let page = app.get(ALTSTADT).await;
    let parent_pos = page
        .body
        .find(&format!("id=\"comment-{parent_id}\""))
        .unwrap();
    let reply_pos = page.body.find("Antwort!").unwrap();
    let replies_pos = page.body[parent_pos..]
        .find("class=\"comments replies\"")
        .map(|p| p + parent_pos)
        .unwrap();
    assert!(
        parent_pos < replies_pos && replies_pos < reply_pos,
        "reply not nested under its parent"
    );
}

async fn a_reply_to_a_comment_of_another_consultation_is_refused(app: &TestApp) {
    let other = app
        .post_comment_js("kreis-beispiel", "nahverkehrsplan", "", "Woanders")
        .await;
    assert_eq!(other.status, 200);
    // Pending comments have no public id; take a published one from the closed consultation.
    let page = app.get("/musterstadt/spielplatz-lindenpark").await;
    let start = page.body.find("id=\"comment-").unwrap() + "id=\"comment-".len();
    let foreign: String = page.body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let res = app
        .post_comment_js(
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            &foreign,
            "Hallo",
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("unknown_parent"));
    let res = app
        .post_comment_js("musterstadt", "verkehrsberuhigung-altstadt", "abc", "Hallo")
        .await;
    assert_eq!(res.status, 422);
}

async fn a_closed_consultation_takes_no_comments(app: &TestApp) {
    let page = app.get("/musterstadt/spielplatz-lindenpark").await;
    assert!(page.body.contains("Ergebnisse veröffentlicht"));
    assert!(
        !page.body.contains("id=\"comment-form\""),
        "form shown on a closed consultation"
    );
    let res = app
        .post_comment_js("musterstadt", "spielplatz-lindenpark", "", "Zu spät")
        .await;
    assert_eq!(res.status, 409);
    let page = app.get("/musterstadt/spielplatz-lindenpark").await;
    assert!(!page.body.contains("Zu spät"));
}

async fn pre_moderated_comments_stay_hidden_until_approved(app: &TestApp) {
    let path = "/kreis-beispiel/nahverkehrsplan";
    let page = app.get(path).await;
    assert!(page.body.contains("Die Buslinie 7 fährt nur werktags."));
    assert!(
        !page.body.contains("Buslinie 7 auch sonntags"),
        "pending demo comment is public"
    );
    let res = app
        .post_comment_form(
            "kreis-beispiel",
            "nahverkehrsplan",
            "",
            "Nachtbus am Wochenende",
        )
        .await;
    assert_eq!(res.status, 302);
    let page = app
        .get_with_flash(path, &res.cookie("mitreden_flash").unwrap())
        .await;
    assert!(page
        .body
        .contains("nach einer Prüfung durch die Moderation veröffentlicht"));
    // The author sees it, marked as awaiting review; everyone else does not.
    assert!(page.body.contains("Nachtbus am Wochenende"));
    assert!(page.body.contains("Wartet auf Prüfung"));
    assert!(!app.get(path).await.body.contains("Nachtbus am Wochenende"));
    let res = app
        .post_comment_js("kreis-beispiel", "nahverkehrsplan", "", "Mehr Busse")
        .await;
    assert_eq!(res.body, "\"Pending\"");
}

async fn cross_site_posts_are_refused_and_change_nothing(app: &TestApp) {
    let form = [
        ("org", "musterstadt"),
        ("slug", "verkehrsberuhigung-altstadt"),
        ("parent_id", ""),
        ("body", "CSRF!"),
    ];
    let url = app.url("/api/post_comment");
    let attempts = [
        app.client.post(&url).form(&form),
        app.client
            .post(&url)
            .header("origin", "https://evil.example")
            .form(&form),
        app.client.post(&url).header("origin", "null").form(&form),
        app.client
            .post(&url)
            .header("sec-fetch-site", "cross-site")
            .form(&form),
        app.client
            .post(&url)
            .header("sec-fetch-site", "same-site")
            .form(&form),
        app.client
            .post(&url)
            .header("origin", BASE_URL.replace("http:", "https:"))
            .form(&form),
    ];
    for attempt in attempts {
        let res = attempt.send().await.unwrap();
        assert_eq!(res.status(), 403);
        assert!(res.text().await.unwrap().contains("Anfrage abgelehnt"));
    }
    // The same request from our own page passes.
    let ok = app
        .client
        .post(&url)
        .header("cookie", app.resident_cookie().await)
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let page = app.get(ALTSTADT).await;
    assert_eq!(
        page.body
            .matches("<div class=\"comment-body\"><p>CSRF!</p>")
            .count(),
        1
    );
}

async fn pages_send_security_headers_and_a_script_nonce(app: &TestApp) {
    let page = app.get(ALTSTADT).await;
    let csp = page.header("content-security-policy").to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("object-src 'none'"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(nonce.len() >= 16);
    let scripts = page.body.matches("<script").count();
    assert!(scripts >= 1);
    assert_eq!(
        page.body
            .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
            .count()
            + page
                .body
                .matches(&format!("<script nonce=\"{nonce}\""))
                .count(),
        scripts,
        "a script without the nonce"
    );
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(
        page.header("referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    assert_eq!(page.header("x-frame-options"), "DENY");
    let other = app.get(ALTSTADT).await;
    assert!(
        !other.header("content-security-policy").contains(nonce),
        "nonce reused"
    );
    let health = app.get("/healthz").await;
    assert!(health
        .header("content-security-policy")
        .contains("default-src 'self'"));
}

async fn english_is_chosen_by_query_and_remembered_in_a_cookie(app: &TestApp) {
    let page = app.get("/?lang=en").await;
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(page.body.contains("Open consultations"));
    let cookie = page.cookie("mitreden_lang").expect("language cookie");
    assert_eq!(cookie, "mitreden_lang=en");
    let page = app.get_with_flash(ALTSTADT, &cookie).await;
    assert!(page.body.contains("Your contribution"));
    let res = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("<html lang=\"en\""));
    let page = app.get("/").await;
    assert!(page.body.contains("<html lang=\"de\""));
}

async fn oversized_request_bodies_are_refused(app: &TestApp) {
    let big = "x".repeat(1024 * 1024);
    let res = app
        .post_comment_js("musterstadt", "verkehrsberuhigung-altstadt", "", &big)
        .await;
    assert_eq!(res.status, 413);
}

async fn an_oversized_upload_from_a_browser_gets_a_page_saying_so(app: &TestApp) {
    // A form post over the general limit: refused before it is read, with a page that says why.
    let big = "x".repeat(300 * 1024);
    let res = app
        .post_comment_form("musterstadt", "verkehrsberuhigung-altstadt", "", &big)
        .await;
    assert_eq!(res.status, 413);
    assert!(res.header("content-type").starts_with("text/html"));
    assert!(
        res.body
            .contains("Die Anfrage ist zu groß: höchstens 256 KB."),
        "{}",
        res.body
    );
    // A file over its own limit (but not the upload endpoints' one): back to the form, which
    // names the limit.
    let admin = app.staff_cookie("admin@example.org").await;
    let res = app
        .post_logo(
            Some(&admin),
            "text/html,application/xhtml+xml",
            "musterstadt",
            "gross.png",
            &vec![0u8; 300 * 1024],
        )
        .await;
    assert_eq!(res.status, 302);
    let flash = res.cookie("mitreden_flash").expect("flash cookie");
    let page = app
        .get_with_cookie("/manage/musterstadt", &format!("{admin}; {flash}"))
        .await;
    assert!(
        page.body
            .contains("Die Datei ist zu groß: höchstens 200 KB."),
        "{}",
        page.body
    );
}

async fn pages_describe_themselves_for_search_engines_and_link_previews(app: &TestApp) {
    let page = app.get(ALTSTADT).await;
    let b = &page.body;
    assert!(
        b.contains("<meta property=\"og:title\" content=\"Verkehrsberuhigung in der Altstadt – Stadt Musterstadt\""),
        "{b}"
    );
    assert!(b.contains("<meta name=\"description\" content=\""));
    assert!(b.contains("<meta property=\"og:locale\" content=\"de_DE\""));
    let org = app.get("/musterstadt").await;
    assert!(org
        .body
        .contains("<meta property=\"og:title\" content=\"Stadt Musterstadt"));
    let en = app.get("/?lang=en").await;
    assert!(en
        .body
        .contains("<meta property=\"og:locale\" content=\"en_GB\""));
}
