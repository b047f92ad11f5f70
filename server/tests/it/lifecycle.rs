//! The lifecycle of a consultation — draft, scheduled, open, closed, results published — driven
//! by its dates and by staff actions; what is not public stays invisible. SQLite and PostgreSQL.

use crate::common;

use common::TestApp;

on_both_backends!(
    a_scheduled_consultation_is_invisible_until_it_opens,
    staff_move_a_consultation_through_its_phases,
    a_window_that_ended_closes_participation_by_itself,
    the_feed_lists_public_consultations_only,
    residents_find_consultations_by_filter_and_page_through_them,
);

const JSON: &str = "application/json";
const DAY: i64 = 86_400;

/// A consultation of musterstadt, stored as published (`open`) with the given window.
async fn published(
    app: &TestApp,
    slug: &str,
    title: &str,
    opens: Option<i64>,
    closes: Option<i64>,
) {
    let rule = app::participation::Rule::Account;
    app.musterstadt_consultation(slug, title, (opens, closes), rule)
        .await;
}

async fn phase(app: &TestApp, cookie: Option<&str>, slug: &str, action: &str) -> common::Page {
    app.post_form(
        "/api/change_phase",
        JSON,
        cookie,
        &[("org", "musterstadt"), ("slug", slug), ("action", action)],
    )
    .await
}

async fn a_scheduled_consultation_is_invisible_until_it_opens(app: &TestApp) {
    let now = app::db::now();
    published(
        app,
        "marktplatz",
        "Marktplatz Zukunft",
        Some(now + 7 * DAY),
        Some(now + 30 * DAY),
    )
    .await;
    let path = "/musterstadt/marktplatz";
    let resident = app.resident_cookie().await;
    let other = app.staff_cookie("moderation@kreis-beispiel.example").await;
    for (who, cookie) in [
        ("anonymous", None),
        ("resident", Some(&resident)),
        ("other organisation", Some(&other)),
    ] {
        let page = match cookie {
            Some(c) => app.get_with_cookie(path, c).await,
            None => app.get(path).await,
        };
        assert_eq!(page.status, 404, "{who}");
        assert!(!page.body.contains("Marktplatz Zukunft"), "{who}");
    }
    for listing in ["/", "/?q=Marktplatz", "/musterstadt", "/kreis-beispiel"] {
        assert!(
            !app.get(listing).await.body.contains("Marktplatz Zukunft"),
            "{listing}"
        );
    }
    let res = app
        .post_comment_js("musterstadt", "marktplatz", "", "Zu früh")
        .await;
    assert_eq!(res.status, 404);
    // Its organisation's staff see a preview, marked as such.
    let staff = app.staff_cookie("moderation@musterstadt.example").await;
    let page = app.get_with_cookie(path, &staff).await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Vorschau: Diese Beteiligung ist noch nicht öffentlich"));
    assert!(page.body.contains("Geplant"));
    assert!(!page.body.contains("id=\"comment-form\""));
    // Drafts too.
    let draft = app
        .get_with_cookie("/musterstadt/radweg-nord", &staff)
        .await;
    assert_eq!(draft.status, 200);
    assert_eq!(app.get("/musterstadt/radweg-nord").await.status, 404);
}

async fn staff_move_a_consultation_through_its_phases(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    let path = "/musterstadt/radweg-nord";
    // Only initiators; moderators and everyone else are refused.
    assert_eq!(
        phase(app, Some(&moderator), "radweg-nord", "publish")
            .await
            .status,
        403
    );
    assert!([401, 403].contains(&phase(app, None, "radweg-nord", "publish").await.status));
    // Steps that do not fit the phase are refused.
    let res = phase(app, Some(&initiator), "radweg-nord", "close").await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(
        phase(app, Some(&initiator), "radweg-nord", "tanzen")
            .await
            .status,
        422
    );

    // Publish: without dates it opens at once.
    let res = phase(app, Some(&initiator), "radweg-nord", "publish").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page = app.get(path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Beteiligung läuft"));
    assert!(app.get("/").await.body.contains("Radweg Nord"));
    // Its rule (code) no longer changes.
    let rule = app
        .post_form(
            "/api/set_participation_rule",
            JSON,
            Some(&initiator),
            &[
                ("org", "musterstadt"),
                ("slug", "radweg-nord"),
                ("rule", "account"),
            ],
        )
        .await;
    assert_eq!(rule.status, 409);

    // Close now: read-only, out of the open list, comments refused on the server.
    assert_eq!(
        phase(app, Some(&initiator), "radweg-nord", "close")
            .await
            .status,
        200
    );
    let page = app.get(path).await;
    assert!(page.body.contains("Beteiligung beendet"), "{}", page.body);
    assert!(!app.get("/").await.body.contains("Radweg Nord"));
    let anna = app.resident_cookie().await;
    let res = app
        .post_comment_as(
            Some(&anna),
            JSON,
            "musterstadt",
            "radweg-nord",
            "",
            "Zu spät",
        )
        .await;
    assert!([403, 409].contains(&res.status), "{}", res.body);
    assert_eq!(
        phase(app, Some(&initiator), "radweg-nord", "unpublish")
            .await
            .status,
        409
    );

    // Results.
    assert_eq!(
        phase(app, Some(&initiator), "radweg-nord", "publish_results")
            .await
            .status,
        200
    );
    assert!(app
        .get(path)
        .await
        .body
        .contains("Ergebnisse veröffentlicht"));

    // Without JavaScript: back to the staff page, which shows the new phase.
    let page = app.get_with_cookie("/manage/musterstadt", &initiator).await;
    assert!(page.body.contains("Ergebnisse veröffentlicht"));
}

async fn a_window_that_ended_closes_participation_by_itself(app: &TestApp) {
    let now = app::db::now();
    published(
        app,
        "altes-thema",
        "Altes Thema",
        Some(now - 30 * DAY),
        Some(now - DAY),
    )
    .await;
    let page = app.get("/musterstadt/altes-thema").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Beteiligung beendet"), "{}", page.body);
    assert!(!page.body.contains("id=\"comment-form\""));
    assert!(!app.get("/").await.body.contains("Altes Thema"));
    let res = app
        .post_comment_js("musterstadt", "altes-thema", "", "Nachzügler")
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    // Publishing a draft whose window is over is refused with a reason.
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let id = app::consultation::repo::find_for_staff(&app.db, "musterstadt", "radweg-nord")
        .await
        .unwrap()
        .unwrap()
        .id;
    app::on_db!(&app.db, |pool| {
        sqlx::query("UPDATE consultations SET closes_at = $1 WHERE id = $2")
            .bind(now - DAY)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
    .unwrap();
    let res = phase(app, Some(&initiator), "radweg-nord", "publish").await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("window_over"), "{}", res.body);
}

async fn the_feed_lists_public_consultations_only(app: &TestApp) {
    let now = app::db::now();
    published(
        app,
        "marktplatz",
        "Marktplatz Zukunft",
        Some(now + 7 * DAY),
        None,
    )
    .await;
    let res = app
        .client
        .get(app.url("/musterstadt/feed.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let xml = res.text().await.unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<title>Beteiligungen von Stadt Musterstadt</title>"));
    assert!(xml.contains("<id>http://mitreden.test/musterstadt/verkehrsberuhigung-altstadt</id>"));
    assert!(xml.contains("Spielplatz im Lindenpark") || xml.contains("spielplatz-lindenpark"));
    assert!(!xml.contains("radweg-nord"), "draft in the feed");
    assert!(!xml.contains("Marktplatz Zukunft"), "scheduled in the feed");
    assert_eq!(app.get("/gibt-es-nicht/feed.atom").await.status, 404);
    // The organisation page points to it.
    let page = app.get("/musterstadt").await;
    assert!(page.body.contains("href=\"/musterstadt/feed.atom\""));
}

async fn residents_find_consultations_by_filter_and_page_through_them(app: &TestApp) {
    let now = app::db::now();
    for i in 0..23 {
        published(
            app,
            &format!("thema-{i:02}"),
            &format!("Thema Nummer {i:02}"),
            None,
            Some(now + (i + 1) * DAY),
        )
        .await;
    }
    app::on_db!(&app.db, |pool| {
        sqlx::query("UPDATE consultations SET topic = 'Verkehr' WHERE slug IN ('verkehrsberuhigung-altstadt', 'nahverkehrsplan')")
            .execute(pool)
            .await
            .map(|_| ())
    })
    .unwrap();
    // Open ones by default, 20 to a page, paging with plain links.
    let first = app.get("/").await;
    assert!(first.body.contains("26 Beteiligungen"), "{}", first.body);
    assert!(first.body.contains("Seite 1 von 2"));
    assert!(first.body.contains("href=\"/?page=2\""));
    let second = app.get("/?page=2").await;
    assert!(second.body.contains("Seite 2 von 2"));
    assert!(
        second.body.contains("Thema Nummer 22"),
        "closing last, so on the last page"
    );
    // Topic, status and organisation (with the organisations below it).
    let topic = app.get("/?topic=Verkehr").await;
    assert!(topic.body.contains("2 Beteiligungen"), "{}", topic.body);
    assert!(
        topic.body.contains("Verkehrsberuhigung in der Altstadt")
            && topic.body.contains("Nahverkehrsplan")
    );
    let results = app.get("/?status=results").await;
    assert!(results.body.contains("1 Beteiligung<"), "{}", results.body);
    assert!(results.body.contains("Spielplatz"));
    let kreis = app.get("/?org=kreis-beispiel&status=all").await;
    assert!(
        kreis.body.contains("27 Beteiligungen"),
        "children included: {}",
        kreis.body
    );
    let musterstadt = app.get("/?org=musterstadt&status=all").await;
    assert!(
        musterstadt.body.contains("26 Beteiligungen"),
        "parent not included"
    );
    let stadt = app.get("/?org=musterstadt&topic=Verkehr").await;
    assert!(stadt.body.contains("1 Beteiligung<") && !stadt.body.contains("Nahverkehrsplan"));
    // Nothing private, whatever the filter; unknown filter values fall back, never reach SQL.
    let all = app.get("/?status=all&q=Radweg").await;
    assert!(!all.body.contains("Radweg Nord"));
    let odd = app
        .get("/?status=x%27%3B%20DROP%20TABLE%20consultations%3B--&page=-3")
        .await;
    assert_eq!(odd.status, 200);
    assert!(odd.body.contains("Seite 1 von 2"));
    // The contract's search: all published, any status.
    let search = app.get("/?q=Spielplatz").await;
    assert!(
        search.body.contains("Spielplatz im Lindenpark") || search.body.contains("Spielplatz"),
        "{}",
        search.body
    );
}
