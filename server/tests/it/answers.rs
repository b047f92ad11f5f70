//! Official answers (Abwägung): an initiator answers one contribution and a group of three, the
//! authors get one mail each with the outcome in words, the public answers page lists them by
//! outcome, the CSV defuses formulas; residents, moderators and another organisation's initiator
//! are refused on the page and every server function; forged, pending and hidden contributions
//! cannot be answered; every action is in the audit log. SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, ALTSTADT};

on_both_backends!(
    an_initiator_answers_one_and_a_group_of_three,
    outsiders_are_refused_on_the_page_and_every_server_function,
    forged_pending_and_hidden_contributions_cannot_be_answered,
    a_failed_plain_post_keeps_the_text_and_says_why,
    the_csv_defuses_formulas_and_is_audited,
    changing_and_removing_an_answer_is_audited_and_mailed,
    authors_can_turn_answer_mails_off,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";
const ORG: &str = "musterstadt";
const SLUG: &str = "verkehrsberuhigung-altstadt";
const STAFF_PAGE: &str = "/manage/musterstadt/verkehrsberuhigung-altstadt/answers";
const CSV: &str = "/manage/musterstadt/verkehrsberuhigung-altstadt/answers.csv";
const INITIATOR: &str = "redaktion@musterstadt.example";

/// Posts a comment as `cookie` to `org/slug` and returns its id.
async fn comment(app: &TestApp, cookie: &str, org: &str, slug: &str, text: &str) -> i64 {
    let res = app
        .post_comment_as(Some(cookie), JSON, org, slug, "", text)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    v["Published"]["id"].as_i64().expect("published comment")
}

/// Answers the comments as `cookie` with `accept`.
async fn answer(
    app: &TestApp,
    accept: &str,
    cookie: Option<&str>,
    (org, slug): (&str, &str),
    ids: &[i64],
    status: &str,
    reason: &str,
) -> common::Page {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mut form = vec![
        ("org", org),
        ("slug", slug),
        ("status", status),
        ("reason", reason),
    ];
    for id in &ids {
        form.push(("comment_ids[]", id));
    }
    app.post_form("/api/answer_contributions", accept, cookie, &form)
        .await
}

fn answer_id(page: &common::Page) -> i64 {
    assert_eq!(page.status, 200, "{}", page.body);
    let v: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    v["answer_id"].as_i64().expect("answer id")
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await)
    .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    scalar(
        app,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND object_type = 'answer'"
        ),
    )
    .await
}

/// Three residents with confirmed addresses, each with one contribution to the Altstadt.
async fn three_contributions(app: &TestApp, prefix: &str) -> Vec<(i64, String, i64)> {
    let mut out = Vec::new();
    for (i, (user_id, cookie)) in app.participants(prefix, 3).await.into_iter().enumerate() {
        let id = comment(
            app,
            &cookie,
            ORG,
            SLUG,
            &format!("Vorschlag {i} von {prefix}: mehr Bänke"),
        )
        .await;
        let _ = user_id;
        out.push((id, cookie, i as i64));
    }
    out
}

/// An initiator of kreis-beispiel (another organisation) with two-factor sign-in set up.
async fn other_initiator(app: &TestApp) -> String {
    let (user_id, cookie) = app.participants("kreis-initiator", 1).await.remove(0);
    let kreis = app::organisation::repo::find_by_slug(&app.db, "kreis-beispiel")
        .await
        .unwrap()
        .unwrap();
    app::account::repo::grant(&app.db, user_id, kreis.id, app::account::Role::Initiator)
        .await
        .unwrap();
    let secret = app::account::totp::new_secret();
    app::account::repo::set_totp_secret(&app.db, user_id, &secret)
        .await
        .unwrap();
    app::account::repo::enable_totp(&app.db, user_id, &[])
        .await
        .unwrap();
    cookie
}

async fn an_initiator_answers_one_and_a_group_of_three(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let anna = app.resident_cookie().await;
    let annas = comment(
        app,
        &anna,
        ORG,
        SLUG,
        "Tempo 20 in der ganzen Altstadt, bitte.",
    )
    .await;
    let group = three_contributions(app, "oa-group").await;
    let before = app.mails().len();

    // One contribution, with JavaScript.
    let one = answer(
        app,
        JSON,
        Some(&staff),
        (ORG, SLUG),
        &[annas],
        "adopted",
        "Wir führen **Tempo 20** ein.",
    )
    .await;
    let first = answer_id(&one);

    // A group of three, without JavaScript: redirect back to the page, which says so.
    let ids: Vec<i64> = group.iter().map(|(id, ..)| *id).collect();
    let res = answer(
        app,
        HTML,
        Some(&staff),
        (ORG, SLUG),
        &ids,
        "not_adopted",
        "Für weitere Bänke fehlt der Platz auf den Gehwegen.",
    )
    .await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert!(
        res.header("location").starts_with(STAFF_PAGE),
        "{}",
        res.header("location")
    );
    let page = app.follow(&res, &staff).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Die Antwort ist für 3 Beiträge veröffentlicht."),
        "{}",
        page.body
    );

    // Each author got exactly one mail, with the outcome in words, the reason and the link.
    let mails = app.mails();
    assert_eq!(mails.len() - before, 4, "one mail per author");
    let annas_mails = app.mails_to("anna@example.org");
    assert_eq!(annas_mails.len(), 1);
    let m = &annas_mails[0].decoded;
    assert!(m.contains("Übernommen"), "{m}");
    assert!(m.contains("Tempo 20"), "{m}");
    assert!(
        m.contains(&format!(
            "/musterstadt/verkehrsberuhigung-altstadt/comments/{annas}"
        )),
        "{m}"
    );
    assert!(m.contains("/notifications/unsubscribe?token="), "{m}");
    for (id, _, i) in &group {
        let to = format!("oa-group{i}@example.org");
        let theirs = app.mails_to(&to);
        assert_eq!(theirs.len(), 1, "{to}");
        assert!(theirs[0].decoded.contains("Nicht übernommen"));
        assert!(theirs[0].decoded.contains("fehlt der Platz"));
        assert!(theirs[0].decoded.contains(&format!("/comments/{id}")));
    }
    // Notified once: another notification run for the same answers mails nobody.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM official_answer_comments WHERE notified_at IS NULL"
        )
        .await,
        0
    );

    // The public answers page: by outcome, with counts, the reason and links to the contributions.
    let public = app.get(&format!("{ALTSTADT}/answers")).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Übernommen"));
    assert!(public.body.contains("Nicht übernommen"));
    assert!(
        public.body.contains("<strong>Tempo 20</strong>"),
        "reason rendered as Markdown"
    );
    assert!(public.body.contains("3 Beiträge"));
    assert!(public
        .body
        .contains(&format!("{ALTSTADT}/comments/{}", ids[0])));
    // Linked from the consultation page.
    let consultation = app.get(ALTSTADT).await;
    assert!(consultation
        .body
        .contains(&format!("href=\"{ALTSTADT}/answers\"")));
    // The staff list shows them answered.
    let staff_page = app.get_with_cookie(STAFF_PAGE, &staff).await;
    assert_eq!(staff_page.status, 200);
    assert!(staff_page.body.contains(&format!("#answer-{first}")));

    // Answering one of them again is refused with the reason; nothing changes.
    let again = answer(
        app,
        JSON,
        Some(&staff),
        (ORG, SLUG),
        &[ids[0]],
        "adopted",
        "Doch.",
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("already_answered"), "{}", again.body);

    // Anna's data download carries the answer on her contribution.
    let data = app.get_with_cookie("/api/my_data", &anna).await;
    assert!(data.body.contains("\"official_answers\""), "{}", data.body);
    assert!(data.body.contains("adopted"));

    assert_eq!(audit_count(app, "answer_published").await, 2);

    // A draft's answers page does not exist for the public.
    assert_eq!(
        app.get("/musterstadt/radweg-nord/answers").await.status,
        404
    );
    assert_eq!(
        app.get("/musterstadt/gibt-es-nicht/answers").await.status,
        404
    );
}

async fn outsiders_are_refused_on_the_page_and_every_server_function(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let anna = app.resident_cookie().await;
    let annas = comment(app, &anna, ORG, SLUG, "Ein Beitrag zum Beantworten.").await;
    let other = comment(app, &anna, ORG, SLUG, "Noch ein Beitrag.").await;
    let given = answer_id(
        &answer(
            app,
            JSON,
            Some(&staff),
            (ORG, SLUG),
            &[annas],
            "considered",
            "Geprüft.",
        )
        .await,
    );
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    let kreis_initiator = other_initiator(app).await;
    let given_s = given.to_string();
    for (who, cookie) in [
        ("resident", Some(anna.as_str())),
        ("moderator", Some(moderator.as_str())),
        (
            "other organisation's initiator",
            Some(kreis_initiator.as_str()),
        ),
        ("anonymous", None),
    ] {
        let expected: &[u16] = if cookie.is_some() { &[403] } else { &[401] };
        let page = match cookie {
            Some(c) => app.get_with_cookie(STAFF_PAGE, c).await,
            None => app.get(STAFF_PAGE).await,
        };
        assert!(
            expected.contains(&page.status),
            "{who}: page {}",
            page.status
        );
        let res = answer(app, JSON, cookie, (ORG, SLUG), &[other], "adopted", "Nein.").await;
        assert!(
            expected.contains(&res.status),
            "{who}: answer {}",
            res.status
        );
        let res = app
            .post_form(
                "/api/change_answer",
                JSON,
                cookie,
                &[
                    ("answer_id", &given_s),
                    ("status", "adopted"),
                    ("reason", "Geändert"),
                ],
            )
            .await;
        assert!(
            expected.contains(&res.status),
            "{who}: change {}",
            res.status
        );
        let res = app
            .post_form(
                "/api/remove_answer",
                JSON,
                cookie,
                &[("answer_id", &given_s)],
            )
            .await;
        assert!(
            expected.contains(&res.status),
            "{who}: remove {}",
            res.status
        );
        let csv = match cookie {
            Some(c) => app.get_with_cookie(CSV, c).await,
            None => app.get(CSV).await,
        };
        assert!(expected.contains(&csv.status), "{who}: csv {}", csv.status);
        let staff_data = app
            .post_form(
                "/api/staff_answers",
                JSON,
                cookie,
                &[("org", ORG), ("slug", SLUG)],
            )
            .await;
        assert!(
            expected.contains(&staff_data.status),
            "{who}: data {}",
            staff_data.status
        );
    }
    // The other organisation's initiator may not smuggle musterstadt's contributions into an
    // answer of their own consultation either.
    let res = answer(
        app,
        JSON,
        Some(&kreis_initiator),
        ("kreis-beispiel", "nahverkehrsplan"),
        &[other],
        "adopted",
        "Fremd.",
    )
    .await;
    assert_eq!(res.status, 404, "{}", res.body);
    // Nothing changed.
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM official_answers").await,
        1
    );
    assert_eq!(
        scalar(app, &format!("SELECT COUNT(*) FROM official_answers WHERE id = {given} AND status = 'considered'")).await,
        1
    );
    assert_eq!(audit_count(app, "answer_published").await, 1);
    assert_eq!(audit_count(app, "answer_changed").await, 0);
    assert_eq!(audit_count(app, "answer_removed").await, 0);
}

async fn forged_pending_and_hidden_contributions_cannot_be_answered(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let anna = app.resident_cookie().await;
    let mine = comment(app, &anna, ORG, SLUG, "Ein ordentlicher Beitrag.").await;
    // A contribution of kreis-beispiel's consultation (the demo's pending one) and one of
    // another musterstadt consultation.
    let pending = scalar(
        app,
        "SELECT id FROM comments WHERE status = 'pending' AND body LIKE '%Buslinie 7 auch sonntags%'",
    )
    .await;
    let elsewhere = scalar(
        app,
        "SELECT c.id FROM comments c JOIN consultations k ON k.id = c.consultation_id \
         WHERE k.slug = 'nahverkehrsplan' AND c.status = 'published' ORDER BY c.id LIMIT 1",
    )
    .await;
    // Forged: ids of another organisation's consultation, mixed with a good one: refused whole.
    for forged in [pending, elsewhere] {
        let res = answer(
            app,
            JSON,
            Some(&staff),
            (ORG, SLUG),
            &[mine, forged],
            "adopted",
            "Ja.",
        )
        .await;
        assert_eq!(res.status, 404, "{}", res.body);
    }
    let res = answer(app, JSON, Some(&staff), (ORG, SLUG), &[mine], "adopted", "").await;
    assert_eq!(res.status, 422, "empty reason: {}", res.body);
    let long = "x".repeat(10_001);
    let res = answer(
        app,
        JSON,
        Some(&staff),
        (ORG, SLUG),
        &[mine],
        "adopted",
        &long,
    )
    .await;
    assert_eq!(res.status, 422, "too long: {}", res.body);
    let res = answer(
        app,
        JSON,
        Some(&staff),
        (ORG, SLUG),
        &[mine],
        "accepted",
        "Ja.",
    )
    .await;
    assert_eq!(res.status, 422, "unknown status: {}", res.body);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM official_answers").await,
        0
    );

    // Pending (in a pre-moderated consultation, answered by the instance admin who may answer
    // there) and hidden contributions are refused with their reason.
    let admin = app.staff_cookie("admin@example.org").await;
    let res = answer(
        app,
        JSON,
        Some(&admin),
        ("kreis-beispiel", "nahverkehrsplan"),
        &[pending],
        "adopted",
        "Ja.",
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("not_answerable"), "{}", res.body);
    let hidden = comment(app, &anna, ORG, SLUG, "Wird gleich verborgen.").await;
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE comments SET status = 'hidden', hidden_reason = 'spam' WHERE id = $1"
    )
    .bind(hidden)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let res = answer(
        app,
        JSON,
        Some(&staff),
        (ORG, SLUG),
        &[mine, hidden],
        "adopted",
        "Ja.",
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("not_answerable"));
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM official_answers").await,
        0
    );
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM official_answer_comments").await,
        0
    );
    // The hidden one is not even offered on the staff page.
    let page = app.get_with_cookie(STAFF_PAGE, &staff).await;
    assert!(page.body.contains(&format!("value=\"{mine}\"")));
    assert!(!page.body.contains(&format!("value=\"{hidden}\"")));
}

async fn a_failed_plain_post_keeps_the_text_and_says_why(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let res = answer(
        app,
        HTML,
        Some(&staff),
        (ORG, SLUG),
        &[],
        "partly_adopted",
        "Meine sorgfältige Begründung <mit> Zeichen",
    )
    .await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert!(res.header("location").contains("#answer-form"));
    let page = app.follow(&res, &staff).await;
    assert!(
        page.body
            .contains("Bitte wählen Sie mindestens einen Beitrag aus."),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Meine sorgfältige Begründung &lt;mit&gt; Zeichen"));
    assert!(
        page.body.contains("value=\"partly_adopted\" checked"),
        "status kept"
    );
}

async fn the_csv_defuses_formulas_and_is_audited(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, ORG, SLUG, "Bitte prüfen.").await;
    answer_id(
        &answer(
            app,
            JSON,
            Some(&staff),
            (ORG, SLUG),
            &[id],
            "not_relevant",
            "=HYPERLINK(\"http://evil.example\", \"klick\")",
        )
        .await,
    );
    let csv = app.get_with_cookie(CSV, &staff).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.header("content-disposition").contains("attachment"));
    assert!(csv.body.starts_with('\u{feff}'), "BOM for Excel");
    assert!(
        csv.body.contains(&format!(
            "{id},not_relevant,\"'=HYPERLINK(\"\"http://evil.example\"\", \"\"klick\"\")\""
        )),
        "{}",
        csv.body
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'exported'"
        )
        .await,
        1
    );
}

async fn changing_and_removing_an_answer_is_audited_and_mailed(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, ORG, SLUG, "Mehr Grün am Markt.").await;
    let given = answer_id(
        &answer(
            app,
            JSON,
            Some(&staff),
            (ORG, SLUG),
            &[id],
            "considered",
            "Wir prüfen das.",
        )
        .await,
    );
    assert_eq!(app.mails_to("anna@example.org").len(), 1);
    let given_s = given.to_string();
    // Changed without JavaScript: back to the page, the new outcome shown, Anna told again.
    let res = app
        .post_form(
            "/api/change_answer",
            HTML,
            Some(&staff),
            &[
                ("answer_id", &given_s),
                ("status", "partly_adopted"),
                ("reason", "Zwei Bäume kommen."),
            ],
        )
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let page = app.follow(&res, &staff).await;
    assert!(page.body.contains("Die Antwort ist geändert."));
    let mails = app.mails_to("anna@example.org");
    assert_eq!(mails.len(), 2);
    assert!(mails[1].decoded.contains("Teilweise übernommen"));
    assert!(mails[1].decoded.contains("Zwei Bäume kommen."));
    // Another answer's id from another consultation cannot be changed through this one: the
    // answer's own consultation decides, and only its staff may.
    let res = app
        .post_form(
            "/api/change_answer",
            JSON,
            Some(&staff),
            &[
                ("answer_id", "999999"),
                ("status", "adopted"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .post_form(
            "/api/remove_answer",
            JSON,
            Some(&staff),
            &[("answer_id", &given_s)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM official_answer_comments").await,
        0
    );
    let public = app.get(&format!("{ALTSTADT}/answers")).await;
    assert!(public
        .body
        .contains("Es gibt noch keine offiziellen Antworten."));
    assert_eq!(audit_count(app, "answer_published").await, 1);
    assert_eq!(audit_count(app, "answer_changed").await, 1);
    assert_eq!(audit_count(app, "answer_removed").await, 1);
}

async fn authors_can_turn_answer_mails_off(app: &TestApp) {
    let staff = app.staff_cookie(INITIATOR).await;
    let participants = app.participants("oa-quiet", 2).await;
    let (_, quiet) = &participants[0];
    let (_, linked) = &participants[1];
    // One turns them off on the account page.
    let res = app
        .post_form(
            "/api/set_answer_notifications",
            JSON,
            Some(quiet),
            &[("answers", "")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let a = comment(app, quiet, ORG, SLUG, "Bitte leise.").await;
    let b = comment(app, linked, ORG, SLUG, "Bitte laut.").await;
    answer_id(
        &answer(
            app,
            JSON,
            Some(&staff),
            (ORG, SLUG),
            &[a],
            "adopted",
            "Gut.",
        )
        .await,
    );
    assert!(app.mails_to("oa-quiet0@example.org").is_empty());
    answer_id(
        &answer(
            app,
            JSON,
            Some(&staff),
            (ORG, SLUG),
            &[b],
            "adopted",
            "Gut.",
        )
        .await,
    );
    let mails = app.mails_to("oa-quiet1@example.org");
    assert_eq!(mails.len(), 1);
    // The other uses the mail's unsubscribe link: answer mails are off, too.
    let token = mails[0]
        .token_for("/notifications/unsubscribe")
        .expect("unsubscribe link");
    let res = app
        .post_form(
            "/api/unsubscribe_reply_notifications",
            JSON,
            None,
            &[("token", &token)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let uid = scalar(
        app,
        "SELECT id FROM users WHERE email = 'oa-quiet1@example.org'",
    )
    .await;
    assert_eq!(
        scalar(
            app,
            &format!("SELECT answers FROM notification_settings WHERE user_id = {uid}")
        )
        .await,
        0
    );
}
