//! The consultation editor: initiators create and correct consultations; drafts stay private,
//! dates are Europe/Berlin, fairness rules freeze once participation opens. SQLite and PostgreSQL.

use crate::common;

use common::TestApp;

on_both_backends!(
    an_initiator_creates_a_draft_and_previews_it,
    bad_input_is_refused_field_by_field_and_kept,
    dates_are_berlin_time_and_a_future_start_schedules_it,
    after_opening_texts_change_but_not_the_rules,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";

fn form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    common::consultation_form(&[
        &[
            ("org", "musterstadt"),
            ("original", ""),
            ("slug", "neuer-marktplatz"),
            ("title", "Neuer Marktplatz"),
            ("summary", "Wie soll der Marktplatz aussehen?"),
            (
                "plain_summary",
                "Der Markt-Platz wird neu.\nSagen Sie uns Ihre Meinung.",
            ),
            (
                "body",
                "## Worum es geht\n\nDer Platz.\n\n## Zeitplan\n\n<script>alert(1)</script>Bau 2027",
            ),
            ("topic", "Stadtentwicklung"),
            ("office", "Stadtplanungsamt"),
            ("contact", "planung@musterstadt.example"),
            ("opens_at", ""),
            ("closes_at", ""),
            ("moderation", "post"),
            ("rule", "account"),
        ],
        overrides,
    ])
}

async fn save(
    app: &TestApp,
    cookie: &str,
    accept: &str,
    overrides: &[(&str, &str)],
) -> common::Page {
    app.post_form(
        "/api/save_consultation",
        accept,
        Some(cookie),
        &form(overrides),
    )
    .await
}

async fn an_initiator_creates_a_draft_and_previews_it(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let page = app
        .get_with_cookie("/manage/musterstadt/new", &initiator)
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"consultation-editor\""),
        "{}",
        page.body
    );
    let res = save(app, &initiator, JSON, &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res
        .body
        .contains("/manage/musterstadt/neuer-marktplatz/edit?saved=1"));
    // A draft: nobody but staff sees it.
    assert_eq!(app.get("/musterstadt/neuer-marktplatz").await.status, 404);
    assert!(!app
        .get("/?q=Marktplatz")
        .await
        .body
        .contains("Neuer Marktplatz"));
    let preview = app
        .get_with_cookie("/musterstadt/neuer-marktplatz", &initiator)
        .await;
    assert_eq!(preview.status, 200);
    let b = &preview.body;
    assert!(b.contains("Vorschau"));
    assert!(b.contains("In Leichter Sprache") && b.contains("Sagen Sie uns Ihre Meinung."));
    assert!(b.contains("Stadtplanungsamt") && b.contains("Stadtentwicklung"));
    assert!(b.contains("<h2 id=\"md-zeitplan\">Zeitplan</h2>"), "{b}");
    assert!(!b.contains("<script>alert"), "script survived");
    // The editor shows what is stored.
    let edit = app
        .get_with_cookie(
            "/manage/musterstadt/neuer-marktplatz/edit?saved=1",
            &initiator,
        )
        .await;
    assert!(edit.body.contains("value=\"Neuer Marktplatz\""));
    assert!(edit.body.contains("Gespeichert."));
    // Moderators and other organisations' staff may not.
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    assert_eq!(
        save(app, &moderator, JSON, &[("slug", "x-y")]).await.status,
        403
    );
    let kreis = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let res = app
        .post_form(
            "/api/consultation_editor",
            JSON,
            Some(&kreis),
            &[("org", "musterstadt"), ("slug", "neuer-marktplatz")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(!res.body.contains("Marktplatz"));
}

async fn bad_input_is_refused_field_by_field_and_kept(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    for (overrides, field, code) in [
        (vec![("title", "  ")], "title", "empty"),
        (vec![("summary", "")], "summary", "empty"),
        (vec![("slug", "Neuer Platz")], "slug", "invalid_slug"),
        (
            vec![("slug", "verkehrsberuhigung-altstadt")],
            "slug",
            "taken",
        ),
        (vec![("opens_at", "morgen")], "opens_at", "invalid_date"),
        (
            vec![
                ("opens_at", "2030-05-01T10:00"),
                ("closes_at", "2030-04-01T10:00"),
            ],
            "closes_at",
            "end_before_start",
        ),
        (vec![("rule", "alle")], "participation", "unknown_rule"),
    ] {
        let res = save(app, &initiator, JSON, &overrides).await;
        assert_eq!(res.status, 422, "{overrides:?}: {}", res.body);
        let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(json["field"], field, "{overrides:?}");
        assert_eq!(json["problem"]["code"], code, "{overrides:?}");
    }
    let long = "x".repeat(100_001);
    let res = save(app, &initiator, JSON, &[("body", &long)]).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("too_long") && res.body.contains("\"field\":\"body\""));
    // Without JavaScript: back to the editor, the error at its field, every text kept (escaped).
    let res = save(
        app,
        &initiator,
        HTML,
        &[("title", ""), ("body", "Entwurf </textarea><b>fett</b>")],
    )
    .await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), "/manage/musterstadt/new");
    let cookie = format!("{initiator}; {}", res.cookie("mitreden_flash").unwrap());
    let page = app
        .get_with_cookie("/manage/musterstadt/new", &cookie)
        .await;
    assert!(
        page.body.contains("id=\"editor-title-error\""),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Entwurf &lt;/textarea&gt;&lt;b&gt;fett&lt;/b&gt;</textarea>"));
    assert!(page.body.contains("Stadtplanungsamt"));
}

async fn dates_are_berlin_time_and_a_future_start_schedules_it(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let res = save(
        app,
        &initiator,
        JSON,
        &[
            ("opens_at", "2030-07-01T18:00"),
            ("closes_at", "2030-12-01T18:00"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let c = app::consultation::repo::find_for_staff(&app.db, "musterstadt", "neuer-marktplatz")
        .await
        .unwrap()
        .unwrap();
    // 18:00 summer time = 16:00 UTC; 18:00 winter time = 17:00 UTC.
    assert_eq!(c.card.opens_at, Some(1_909_152_000));
    assert_eq!(c.card.closes_at, Some(1_922_374_800));
    let edit = app
        .get_with_cookie("/manage/musterstadt/neuer-marktplatz/edit", &initiator)
        .await;
    assert!(edit.body.contains("value=\"2030-07-01T18:00\""));
    // Published with a future start: scheduled, still hidden.
    let res = app
        .post_form(
            "/api/change_phase",
            JSON,
            Some(&initiator),
            &[
                ("org", "musterstadt"),
                ("slug", "neuer-marktplatz"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(app.get("/musterstadt/neuer-marktplatz").await.status, 404);
    let staff_page = app.get_with_cookie("/manage/musterstadt", &initiator).await;
    assert!(staff_page.body.contains("Geplant"));
}

async fn after_opening_texts_change_but_not_the_rules(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let open = [
        ("original", "verkehrsberuhigung-altstadt"),
        ("slug", "verkehrsberuhigung-altstadt"),
        ("title", "Verkehrsberuhigung in der Altstadt"),
    ];
    // A text correction.
    let mut fix = open.to_vec();
    fix.push(("summary", "Korrigierte Zusammenfassung"));
    let res = save(app, &initiator, JSON, &fix).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(app
        .get("/musterstadt/verkehrsberuhigung-altstadt")
        .await
        .body
        .contains("Korrigierte Zusammenfassung"));
    // The rule: refused.
    let mut rule = open.to_vec();
    rule.push(("rule", "email"));
    let res = save(app, &initiator, JSON, &rule).await;
    assert_eq!(res.status, 409, "{}", res.body);
    // The address: kept, whatever is posted.
    let mut moved = open.to_vec();
    moved[1] = ("slug", "anderswo");
    let res = save(app, &initiator, JSON, &moved).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.get("/musterstadt/verkehrsberuhigung-altstadt")
            .await
            .status,
        200
    );
    assert_eq!(app.get("/musterstadt/anderswo").await.status, 404);
}
