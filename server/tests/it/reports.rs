//! Reports and what residents see of moderation: a contribution hidden exactly at the
//! consultation's threshold of reports (with an audit entry), one report per person, pending
//! contributions seen by their author only (page, thread API, feed), blocks refused with their
//! date, and the public figures. SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, ALTSTADT};

on_both_backends!(
    the_report_threshold_hides_exactly_at_n,
    one_report_per_person_and_contribution,
    pending_contributions_are_seen_by_their_author_only,
    blocked_participants_are_refused_with_the_date,
    the_public_figures_match_the_contributions,
    the_threshold_is_set_in_the_editor_within_bounds,
);

pub const JSON: &str = "application/json";
pub const HTML: &str = "text/html,application/xhtml+xml";
const SLUG: &str = "verkehrsberuhigung-altstadt";

/// Posts a comment as `cookie` (JS) to musterstadt's `slug` and returns its id.
pub async fn comment(app: &TestApp, cookie: &str, slug: &str, text: &str) -> i64 {
    let res = app
        .post_comment_as(Some(cookie), JSON, "musterstadt", slug, "", text)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    v["Published"]["id"].as_i64().expect("published comment")
}

pub async fn report(
    app: &TestApp,
    accept: &str,
    cookie: &str,
    slug: &str,
    id: i64,
    reason: &str,
    note: &str,
) -> common::Page {
    let id = id.to_string();
    app.post_form(
        "/api/report_comment",
        accept,
        Some(cookie),
        &[
            ("org", "musterstadt"),
            ("slug", slug),
            ("comment_id", &id),
            ("reason", reason),
            ("note", note),
            ("return_to", &format!("/musterstadt/{slug}")),
        ],
    )
    .await
}

pub async fn scalar(app: &TestApp, sql: &str, id: i64) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(pool)
        .await)
    .unwrap()
}

/// Runs one statement with one bound id (test set-up the application has no function for).
pub async fn exec(app: &TestApp, sql: &str, id: i64) {
    app::on_db!(&app.db, |pool| sqlx::query(sql)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))
    .unwrap();
}

pub async fn status_of(app: &TestApp, id: i64) -> String {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT status FROM comments WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await)
    .unwrap()
}

/// Hides a comment as a moderator's decision would (the queue's own function is tested there).
pub async fn hide_as_moderator(app: &TestApp, id: i64, moderator: i64, reason: &str, note: &str) {
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE comments SET status = 'hidden', hidden_reason = $1, hidden_note = $2, \
         hidden_by = $3, hidden_at = $4 WHERE id = $5"
    )
    .bind(reason)
    .bind(note)
    .bind(moderator)
    .bind(app::db::now())
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
}

pub async fn user_id(app: &TestApp, email: &str) -> i64 {
    let address = app::account::Email::parse(email).unwrap();
    app::account::repo::find_id_by_email(&app.db, &address)
        .await
        .unwrap()
        .expect("account exists")
}

/// The comment thread API (`/api/comment_thread`) as `cookie` sees it.
async fn thread_api(
    app: &TestApp,
    cookie: Option<&str>,
    org: &str,
    slug: &str,
    id: i64,
) -> common::Page {
    let id = id.to_string();
    app.post_form(
        "/api/comment_thread",
        JSON,
        cookie,
        &[("org", org), ("slug", slug), ("id", &id)],
    )
    .await
}

async fn the_report_threshold_hides_exactly_at_n(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let text = "Tempo 20 in der ganzen Altstadt, sofort und überall";
    let id = comment(app, &anna, SLUG, text).await;
    let reporters = app.participants("melder", 3).await;
    // The default threshold is 3: two reports leave it visible to everyone.
    for (_, cookie) in &reporters[..2] {
        let res = report(app, JSON, cookie, SLUG, id, "spam", "").await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    assert_eq!(status_of(app, id).await, "published");
    assert!(app.get(ALTSTADT).await.body.contains(text));
    let reporter_page = app.get_with_cookie(ALTSTADT, &reporters[0].1).await;
    assert!(reporter_page.body.contains(text));
    assert!(reporter_page.body.contains("Von Ihnen gemeldet"));
    let other = app.get_with_cookie(ALTSTADT, &reporters[2].1).await;
    assert!(other.body.contains(text));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'comment_hidden'",
            id
        )
        .await,
        0
    );

    // The third, without JavaScript: hidden now, in the same request.
    let res = report(app, HTML, &reporters[2].1, SLUG, id, "insult", "").await;
    let page = app.follow(&res, &reporters[2].1).await;
    assert!(page.body.contains("Danke, wir prüfen den Beitrag"));
    assert_eq!(status_of(app, id).await, "hidden");
    assert!(!page.body.contains(text), "hidden from the reporter too");
    assert!(!app.get(ALTSTADT).await.body.contains(text));
    // Its author is told why.
    let own = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(own.body.contains(text));
    assert!(own
        .body
        .contains("Nach Meldungen vorläufig ausgeblendet, wird geprüft"));
    assert!(
        !own.body.contains("Widerspruch einlegen"),
        "no appeal against the threshold"
    );
    // The system's action is in the audit log, without an actor.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'comment_hidden' \
             AND actor_user_id IS NULL AND reason = 'reported'",
            id
        )
        .await,
        1
    );

    // A consultation's own threshold: 1 hides at the first report.
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE consultations SET report_threshold = 1 WHERE slug = $1"
    )
    .bind(SLUG)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let second = comment(app, &anna, SLUG, "Noch ein Vorschlag zur Altstadt").await;
    let res = report(app, JSON, &reporters[0].1, SLUG, second, "off_topic", "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(status_of(app, second).await, "hidden");
    // A hidden contribution cannot be reported any more.
    let res = report(app, JSON, &reporters[1].1, SLUG, second, "spam", "").await;
    assert_eq!(res.status, 404, "{}", res.body);
}

async fn one_report_per_person_and_contribution(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, "Ein Beitrag, der gemeldet wird").await;
    let people = app.participants("zweimal", 1).await;
    let cookie = &people[0].1;
    assert_eq!(
        report(app, JSON, cookie, SLUG, id, "spam", "").await.status,
        200
    );
    let again = report(app, JSON, cookie, SLUG, id, "insult", "").await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("already_reported"), "{}", again.body);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_reports WHERE comment_id = $1",
            id
        )
        .await,
        1
    );
    assert_eq!(
        scalar(app, "SELECT report_count FROM comments WHERE id = $1", id).await,
        1
    );
    // Without JavaScript the refusal comes back in words, on the page.
    let res = report(app, HTML, cookie, SLUG, id, "insult", "").await;
    let page = app.follow(&res, cookie).await;
    assert!(page
        .body
        .contains("Sie haben diesen Beitrag bereits gemeldet."));
    // One's own contribution is not reported; "other" needs an explanation, kept when refused.
    let own = report(app, JSON, &anna, SLUG, id, "spam", "").await;
    assert_eq!(own.status, 409);
    let other = comment(app, &anna, SLUG, "Noch ein Beitrag").await;
    let res = report(app, HTML, cookie, SLUG, other, "other", "").await;
    let page = app.follow(&res, cookie).await;
    assert!(page.body.contains("Anderer Grund"));
    assert!(page.body.contains("kurz, was nicht stimmt"));
    let res = report(app, JSON, cookie, SLUG, other, "other", &"x".repeat(1001)).await;
    assert_eq!(res.status, 422);
    // Guests cannot report.
    let guest = app
        .post_form(
            "/api/report_comment",
            JSON,
            None,
            &[
                ("org", "musterstadt"),
                ("slug", SLUG),
                ("comment_id", &other.to_string()),
                ("reason", "spam"),
            ],
        )
        .await;
    assert_eq!(guest.status, 403, "{}", guest.body);
}

async fn pending_contributions_are_seen_by_their_author_only(app: &TestApp) {
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE consultations SET moderation = 'pre' WHERE slug = $1"
    )
    .bind(SLUG)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let anna = app.resident_cookie().await;
    let before = app.get(ALTSTADT).await.body;
    let text = "Ein noch ungeprüfter Vorschlag für Nachtbusse";
    let res = app
        .post_comment_as(Some(&anna), JSON, "musterstadt", SLUG, "", text)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("Pending"), "{}", res.body);
    let anna_id = user_id(app, "anna@example.org").await;
    let id = scalar(
        app,
        "SELECT MAX(id) FROM comments WHERE author_user_id = $1",
        anna_id,
    )
    .await;
    assert_eq!(status_of(app, id).await, "pending");

    // The author sees it, marked, on the page and its own page.
    let own = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(own.body.contains(text));
    assert!(own.body.contains("Wartet auf Prüfung"));
    let own_thread = app
        .get_with_cookie(&format!("{ALTSTADT}/comments/{id}"), &anna)
        .await;
    assert_eq!(own_thread.status, 200);
    assert!(own_thread.body.contains(text));
    assert!(own_thread.body.contains("Wartet auf Prüfung"));
    let api = thread_api(app, Some(&anna), "musterstadt", SLUG, id).await;
    assert_eq!(api.status, 200);
    assert!(api.body.contains(text));

    // Nobody else: not on the page, not through the thread API, not in the feed, not counted.
    let others = app.participants("neugierig", 1).await;
    for cookie in [None, Some(others[0].1.as_str())] {
        let page = match cookie {
            Some(c) => app.get_with_cookie(ALTSTADT, c).await,
            None => app.get(ALTSTADT).await,
        };
        assert!(!page.body.contains(text));
        assert!(!page.body.contains("Wartet auf Prüfung"));
        let api = thread_api(app, cookie, "musterstadt", SLUG, id).await;
        assert_eq!(api.status, 404, "{}", api.body);
        assert!(!api.body.contains(text));
        let thread = match cookie {
            Some(c) => {
                app.get_with_cookie(&format!("{ALTSTADT}/comments/{id}"), c)
                    .await
            }
            None => app.get(&format!("{ALTSTADT}/comments/{id}")).await,
        };
        assert!(!thread.body.contains(text));
    }
    let heading = |body: &str| {
        let start = body.find("id=\"comments-heading\"").unwrap();
        body[start..start + 200].to_string()
    };
    assert_eq!(heading(&before), heading(&app.get(ALTSTADT).await.body));
    let feed = app.get("/musterstadt/feed.atom").await;
    assert_eq!(feed.status, 200);
    assert!(!feed.body.contains(text));
    // The demo's pending comment in kreis-beispiel stays invisible too.
    let kreis = app.get("/kreis-beispiel/nahverkehrsplan").await;
    assert!(!kreis.body.contains("Buslinie 7 auch sonntags"));
}

async fn blocked_participants_are_refused_with_the_date(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let people = app.participants("andere", 1).await;
    let target = comment(app, &people[0].1, SLUG, "Ein Beitrag von jemand anderem").await;
    let anna_id = user_id(app, "anna@example.org").await;
    // Blocked until 2 March 2099, 12:00 UTC.
    let until = 4_076_136_000_i64;
    app::on_db!(&app.db, |pool| sqlx::query(
        "INSERT INTO organisation_blocks (organisation_id, user_id, blocked_until, reason, created_at) \
         SELECT id, $1, $2, 'insult', $3 FROM organisations WHERE slug = 'musterstadt'"
    )
    .bind(anna_id)
    .bind(until)
    .bind(app::db::now())
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let post = app
        .post_comment_as(Some(&anna), JSON, "musterstadt", SLUG, "", "Gesperrt?")
        .await;
    assert_eq!(post.status, 403, "{}", post.body);
    assert!(post.body.contains("blocked"), "{}", post.body);
    assert!(post.body.contains(&until.to_string()), "{}", post.body);
    let vote = app
        .post_form(
            "/api/vote_comment",
            JSON,
            Some(&anna),
            &[
                ("org", "musterstadt"),
                ("slug", SLUG),
                ("comment_id", &target.to_string()),
                ("vote", "up"),
            ],
        )
        .await;
    assert_eq!(vote.status, 403, "{}", vote.body);
    let rep = report(app, JSON, &anna, SLUG, target, "spam", "").await;
    assert_eq!(rep.status, 403, "{}", rep.body);
    assert!(rep.body.contains("blocked"));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_reports WHERE comment_id = $1",
            target
        )
        .await,
        0
    );
    // Without JavaScript the message names the date, and the text is kept.
    let res = app
        .post_comment_form("musterstadt", SLUG, "", "Mein gesperrter Text")
        .await;
    let page = app.follow(&res, &anna).await;
    assert!(
        page.body
            .contains("Sie sind bis 2. März 2099 für Beiträge in dieser Organisation gesperrt."),
        "{}",
        &page.body[page.body.find("comment-form").unwrap_or(0)..][..2000.min(page.body.len())]
    );
    assert!(page.body.contains("Mein gesperrter Text"));
    // Other organisations are not affected.
    let elsewhere = app
        .post_comment_as(
            Some(&anna),
            JSON,
            "kreis-beispiel",
            "nahverkehrsplan",
            "",
            "In einer anderen Organisation",
        )
        .await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.body);
    // A block that is over no longer counts.
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE organisation_blocks SET blocked_until = $1 WHERE user_id = $2"
    )
    .bind(app::db::now() - 1)
    .bind(anna_id)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let post = app
        .post_comment_as(Some(&anna), JSON, "musterstadt", SLUG, "", "Wieder frei")
        .await;
    assert_eq!(post.status, 200, "{}", post.body);
}

async fn the_public_figures_match_the_contributions(app: &TestApp) {
    let slug = "zahlen";
    app.musterstadt_consultation(
        slug,
        "Zahlen",
        (None, None),
        app::participation::Rule::Account,
    )
    .await;
    let people = app.participants("zahl", 3).await;
    let mut ids = Vec::new();
    for (i, (_, cookie)) in people.iter().enumerate() {
        ids.push(comment(app, cookie, slug, &format!("Beitrag Nummer {i}")).await);
    }
    ids.push(comment(app, &people[0].1, slug, "Vierter Beitrag").await);
    ids.push(comment(app, &people[1].1, slug, "Fünfter Beitrag").await);
    let moderator = user_id(app, "moderation@musterstadt.example").await;
    hide_as_moderator(app, ids[0], moderator, "spam", "").await;
    hide_as_moderator(app, ids[1], moderator, "spam", "").await;
    hide_as_moderator(app, ids[2], moderator, "insult", "").await;
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE comments SET status = 'pending' WHERE id = $1"
    )
    .bind(ids[3])
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    // Two appeals: one upheld, one rejected (decided as a moderator would).
    for (id, outcome) in [(ids[0], "upheld"), (ids[1], "rejected")] {
        app::on_db!(&app.db, |pool| sqlx::query(
            "INSERT INTO appeals (comment_id, user_id, body, hidden_by, created_at, decided_at, outcome) \
             SELECT id, author_user_id, 'Bitte noch einmal prüfen', hidden_by, 1, 2, $2 \
             FROM comments WHERE id = $1"
        )
        .bind(id)
        .bind(outcome)
        .execute(pool)
        .await
        .map(|_| ()))
        .unwrap();
    }
    let res = app
        .post_form(
            "/api/moderation_counts",
            JSON,
            None,
            &[("org", "musterstadt"), ("slug", slug)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(v["received"], 5);
    assert_eq!(v["published"], 1);
    assert_eq!(v["pending"], 1);
    assert_eq!(v["hidden_by_reports"], 0);
    assert_eq!(v["hidden"], serde_json::json!([["spam", 2], ["insult", 1]]));
    assert_eq!(v["appeals_upheld"], 1);
    assert_eq!(v["appeals_rejected"], 1);
    // On the page, for everyone, without JavaScript.
    let page = app.get("/musterstadt/zahlen").await;
    assert!(page.body.contains("Moderation in Zahlen"));
    assert!(page
        .body
        .contains("Ausgeblendet: Spam oder Werbung</dt><dd>2</dd>"));
    assert!(page
        .body
        .contains("Ausgeblendet: Beleidigung oder Belästigung</dt><dd>1</dd>"));
    assert!(page.body.contains("Eingegangene Beiträge</dt><dd>5</dd>"));
}

async fn the_threshold_is_set_in_the_editor_within_bounds(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let form = |threshold: &'static str| {
        common::consultation_form(&[&[
            ("slug", "schwelle"),
            ("title", "Schwelle"),
            ("summary", "Wie viele Meldungen?"),
            ("report_threshold", threshold),
        ]])
    };
    let editor = app
        .get_with_cookie("/manage/musterstadt/new", &initiator)
        .await;
    assert!(editor.body.contains("name=\"report_threshold\""));
    assert!(editor
        .body
        .contains("Meldungen bis zur vorläufigen Ausblendung"));
    for bad in ["0", "101", "drei"] {
        let res = app
            .post_form("/api/save_consultation", JSON, Some(&initiator), &form(bad))
            .await;
        assert_eq!(res.status, 422, "{bad}: {}", res.body);
        assert!(res.body.contains("report_threshold"), "{}", res.body);
    }
    // Without JavaScript the message is specific and the value kept.
    let res = app
        .post_form("/api/save_consultation", HTML, Some(&initiator), &form("0"))
        .await;
    let page = app.follow(&res, &initiator).await;
    assert!(page
        .body
        .contains("Die Zahl der Meldungen muss zwischen 1 und 100 liegen."));
    let res = app
        .post_form("/api/save_consultation", JSON, Some(&initiator), &form("5"))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let stored = app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(report_threshold AS BIGINT) FROM consultations WHERE slug = 'schwelle'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(stored, 5);
    let editor = app
        .get_with_cookie("/manage/musterstadt/schwelle/edit", &initiator)
        .await;
    assert!(
        editor.body.contains("value=\"5\""),
        "the stored value is shown"
    );
    // A resident cannot change it.
    let anna = app.resident_cookie().await;
    let res = app
        .post_form("/api/save_consultation", JSON, Some(&anna), &form("1"))
        .await;
    assert_eq!(res.status, 403);
}
