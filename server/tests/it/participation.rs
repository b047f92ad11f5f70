//! Participation rules per consultation — verified account, sign-in link by e-mail, one-time
//! access codes — enforced on the server, on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, ALTSTADT};

on_both_backends!(
    without_meeting_the_rule_nobody_writes,
    an_email_link_makes_a_participant_without_password,
    a_sign_in_link_answers_the_same_for_known_addresses,
    access_codes_make_one_participant_each,
    codes_of_one_consultation_do_not_open_another,
    the_rule_is_fixed_once_participation_opens,
    a_code_participant_has_the_same_privacy_self_service,
);

const JSON: &str = "application/json";
const NAHVERKEHR: &str = "/kreis-beispiel/nahverkehrsplan";

/// An open consultation of musterstadt with the code rule.
async fn code_consultation(app: &TestApp, slug: &str) {
    let title = "Spielstraße Lindenweg";
    app.musterstadt_consultation(slug, title, (None, None), app::participation::Rule::Code)
        .await;
}

async fn make_codes(app: &TestApp, slug: &str, count: &str) -> Vec<String> {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let res = app
        .post_form(
            "/api/create_access_codes",
            JSON,
            Some(&initiator),
            &[("org", "musterstadt"), ("slug", slug), ("count", count)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

async fn redeem(
    app: &TestApp,
    cookie: Option<&str>,
    slug: &str,
    code: &str,
    name: &str,
) -> common::Page {
    app.post_form(
        "/api/redeem_access_code",
        JSON,
        cookie,
        &[
            ("org", "musterstadt"),
            ("slug", slug),
            ("code", code),
            ("display_name", name),
        ],
    )
    .await
}

async fn comment(app: &TestApp, cookie: Option<&str>, path: &str, body: &str) -> common::Page {
    let (org, slug) = path.trim_start_matches('/').split_once('/').unwrap();
    app.post_comment_as(cookie, JSON, org, slug, "", body).await
}

async fn without_meeting_the_rule_nobody_writes(app: &TestApp) {
    // Anonymous: refused on the server even when the form is posted directly.
    let res = comment(app, None, ALTSTADT, "Ohne Anmeldung").await;
    assert_eq!(res.status, 403, "{}", res.body);
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["kind"], "not_participant");
    assert_eq!(json["rule"], "account");
    // Without JavaScript: the page says why, the text is kept.
    let res = app
        .post_comment_as(
            None,
            "text/html",
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "Mein Text bleibt",
        )
        .await;
    assert_eq!(res.status, 302);
    let page = app
        .get_with_cookie(ALTSTADT, &res.cookie("mitreden_flash").unwrap())
        .await;
    assert!(page
        .body
        .contains("Bitte melden Sie sich mit einem registrierten Konto an"));
    // The page offers sign-in instead of a form nobody could use.
    let page = app.get(ALTSTADT).await;
    assert!(page.body.contains("id=\"participate\""), "{}", page.body);
    assert!(page
        .body
        .contains("/login?next=/musterstadt/verkehrsberuhigung-altstadt"));
    assert!(!page.body.contains("id=\"comment-form\""));
    assert!(!page.body.contains("Ohne Anmeldung"));
    // A resident with a verified account writes.
    let cookie = app.resident_cookie().await;
    let page = app.get_with_cookie(ALTSTADT, &cookie).await;
    assert!(page.body.contains("id=\"comment-form\""));
    assert_eq!(
        comment(app, Some(&cookie), ALTSTADT, "Mit Konto")
            .await
            .status,
        200
    );
}

async fn an_email_link_makes_a_participant_without_password(app: &TestApp) {
    let page = app.get(NAHVERKEHR).await;
    assert!(
        page.body.contains("id=\"sign-in-link-form\""),
        "{}",
        page.body
    );
    let res = app
        .post_form(
            "/api/request_sign_in_link",
            JSON,
            None,
            &[
                ("org", "kreis-beispiel"),
                ("slug", "nahverkehrsplan"),
                ("email", "Pendlerin@Example.org"),
                ("display_name", "Pendlerin"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mails = app.mails_to("pendlerin@example.org");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].decoded.contains("Nahverkehrsplan des Kreises"));
    let token = mails[0].token_for("/login/link").expect("link in the mail");
    assert!(mails[0]
        .decoded
        .contains("&next=/kreis-beispiel/nahverkehrsplan"));
    // The link page only shows a button; the POST signs in.
    let page = app.get(&format!("/login/link?token={token}")).await;
    assert_eq!(page.status, 200);
    let res = app
        .post_form(
            "/api/sign_in_with_link",
            JSON,
            None,
            &[("token", &token), ("next", NAHVERKEHR)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains(NAHVERKEHR));
    let cookie = res.cookie("mitreden_session").expect("session");
    let posted = comment(app, Some(&cookie), NAHVERKEHR, "Ohne Passwort dabei").await;
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert_eq!(posted.body, "\"Pending\"");
    // Single use.
    let again = app
        .post_form(
            "/api/sign_in_with_link",
            JSON,
            None,
            &[("token", &token), ("next", "/")],
        )
        .await;
    assert_eq!(again.status, 410);
    // An account without password does not meet the account rule.
    let res = comment(app, Some(&cookie), ALTSTADT, "Hier nicht").await;
    assert_eq!(res.status, 403, "{}", res.body);
    // And the link form exists only where the rule is the e-mail rule.
    let res = app
        .post_form(
            "/api/request_sign_in_link",
            JSON,
            None,
            &[
                ("org", "musterstadt"),
                ("slug", "verkehrsberuhigung-altstadt"),
                ("email", "x@example.org"),
                ("display_name", "X"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
}

async fn a_sign_in_link_answers_the_same_for_known_addresses(app: &TestApp) {
    let ask = |email: &'static str, name: &'static str| async move {
        app.post_form(
            "/api/request_sign_in_link",
            JSON,
            None,
            &[
                ("org", "kreis-beispiel"),
                ("slug", "nahverkehrsplan"),
                ("email", email),
                ("display_name", name),
            ],
        )
        .await
    };
    let known = ask("anna@example.org", "Ganz Neu").await;
    let unknown = ask("neu@example.org", "Ganz Neu").await;
    assert_eq!(known.status, 200);
    assert_eq!((known.status, known.body), (unknown.status, unknown.body));
    assert_eq!(app.mails_to("anna@example.org").len(), 1);
    // Anna keeps her name; the name typed was not used for her.
    let token = app.mails_to("anna@example.org")[0]
        .token_for("/login/link")
        .unwrap();
    let res = app
        .post_form(
            "/api/sign_in_with_link",
            JSON,
            None,
            &[("token", &token), ("next", "/")],
        )
        .await;
    let cookie = res.cookie("mitreden_session").unwrap();
    let me = app.get_with_cookie("/", &cookie).await;
    assert!(me.body.contains("Angemeldet als Anna"), "{}", me.body);
    // Bad input is refused next to its field.
    let bad = ask("keine-adresse", "Jemand").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("email"));
}

async fn access_codes_make_one_participant_each(app: &TestApp) {
    code_consultation(app, "spielstrasse").await;
    let path = "/musterstadt/spielstrasse";
    let codes = make_codes(app, "spielstrasse", "3").await;
    assert_eq!(codes.len(), 3);
    // Only hashes are stored.
    let stored: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT code_hash FROM access_codes")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert!(codes.iter().all(|c| !stored.contains(c)));
    // Without a code: refused; the page offers the code form.
    assert_eq!(comment(app, None, path, "x").await.status, 403);
    let page = app.get(path).await;
    assert!(page.body.contains("id=\"access-code-form\""));
    // A household redeems its code (typed in lower case, without dashes) and writes.
    let typed = codes[0].to_lowercase().replace('-', "");
    let res = redeem(app, None, "spielstrasse", &typed, "Familie Linde").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let household = res.cookie("mitreden_session").expect("session");
    let posted = comment(app, Some(&household), path, "Bitte Tempo 10").await;
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert!(posted.body.contains("Familie Linde"));
    // The same code again: refused, for anyone.
    let again = redeem(app, None, "spielstrasse", &codes[0], "Trittbrett").await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("unknown_access_code"));
    let anna = app.resident_cookie().await;
    assert_eq!(
        redeem(app, Some(&anna), "spielstrasse", &codes[0], "")
            .await
            .status,
        422
    );
    // A made-up code: the same answer.
    let made_up = redeem(app, None, "spielstrasse", "ABCD-EFGH-JKMN", "Rater").await;
    assert_eq!(made_up.status, 422);
    // A signed-in resident binds a code to her account.
    assert_eq!(comment(app, Some(&anna), path, "vorher").await.status, 403);
    assert_eq!(
        redeem(app, Some(&anna), "spielstrasse", &codes[1], "")
            .await
            .status,
        200
    );
    assert_eq!(comment(app, Some(&anna), path, "nachher").await.status, 200);
    // A code participant has no password account: the account rule still refuses them.
    assert_eq!(
        comment(app, Some(&household), ALTSTADT, "x").await.status,
        403
    );
    // Counts for the staff: 3 made, 2 redeemed.
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let overview = app
        .post_form(
            "/api/access_code_overview",
            JSON,
            Some(&initiator),
            &[("org", "musterstadt"), ("slug", "spielstrasse")],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&overview.body).unwrap();
    assert_eq!(
        (json["total"].as_i64(), json["redeemed"].as_i64()),
        (Some(3), Some(2))
    );
    // Batch limits.
    for bad in ["0", "501", "viele"] {
        let res = app
            .post_form(
                "/api/create_access_codes",
                JSON,
                Some(&initiator),
                &[
                    ("org", "musterstadt"),
                    ("slug", "spielstrasse"),
                    ("count", bad),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{bad}");
    }
}

async fn codes_of_one_consultation_do_not_open_another(app: &TestApp) {
    code_consultation(app, "spielstrasse").await;
    code_consultation(app, "schulweg").await;
    let codes = make_codes(app, "spielstrasse", "1").await;
    let res = redeem(app, None, "schulweg", &codes[0], "Falscher Ort").await;
    assert_eq!(res.status, 422, "{}", res.body);
    let res = redeem(app, None, "spielstrasse", &codes[0], "Richtiger Ort").await;
    let cookie = res.cookie("mitreden_session").unwrap();
    assert_eq!(
        comment(app, Some(&cookie), "/musterstadt/schulweg", "x")
            .await
            .status,
        403
    );
    let here = comment(app, Some(&cookie), "/musterstadt/spielstrasse", "x").await;
    assert_eq!(here.status, 200);
    // Nor does the code let its holder support comments of the other consultation.
    let codes = make_codes(app, "schulweg", "1").await;
    let res = redeem(app, None, "schulweg", &codes[0], "Schulweg Anwohner").await;
    let other = res.cookie("mitreden_session").unwrap();
    let there = comment(app, Some(&other), "/musterstadt/schulweg", "Zebrastreifen").await;
    let v: serde_json::Value = serde_json::from_str(&there.body).unwrap();
    let id = v["Published"]["id"].as_i64().unwrap().to_string();
    let vote = |slug: &'static str, cookie: String| {
        let id = id.clone();
        async move {
            app.post_form(
                "/api/vote_comment",
                JSON,
                Some(&cookie),
                &[
                    ("org", "musterstadt"),
                    ("slug", slug),
                    ("comment_id", &id),
                    ("vote", "up"),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(vote("schulweg", cookie.clone()).await, 403);
    // A comment of another consultation is not found through this one.
    assert_eq!(vote("spielstrasse", cookie.clone()).await, 404);
}

async fn the_rule_is_fixed_once_participation_opens(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let cookie = initiator.as_str();
    let set = |slug: &'static str, rule: &'static str| async move {
        app.post_form(
            "/api/set_participation_rule",
            JSON,
            Some(cookie),
            &[("org", "musterstadt"), ("slug", slug), ("rule", rule)],
        )
        .await
    };
    assert_eq!(set("radweg-nord", "email").await.status, 200);
    assert_eq!(set("radweg-nord", "jeder").await.status, 422);
    let open = set("verkehrsberuhigung-altstadt", "code").await;
    assert_eq!(open.status, 409, "{}", open.body);
    // Another organisation's consultation: not found for musterstadt's initiator.
    let res = app
        .post_form(
            "/api/set_participation_rule",
            JSON,
            Some(&initiator),
            &[
                ("org", "kreis-beispiel"),
                ("slug", "nahverkehrsplan"),
                ("rule", "code"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    let staff_page = app
        .post_form(
            "/api/manage_organisation",
            JSON,
            Some(&initiator),
            &[("org", "musterstadt")],
        )
        .await;
    assert!(staff_page.body.contains("\"radweg-nord\""));
    assert!(staff_page.body.contains("\"email\""));
}

async fn a_code_participant_has_the_same_privacy_self_service(app: &TestApp) {
    code_consultation(app, "spielstrasse").await;
    let codes = make_codes(app, "spielstrasse", "1").await;
    let res = redeem(app, None, "spielstrasse", &codes[0], "Haushalt Nr 7").await;
    let cookie = res.cookie("mitreden_session").unwrap();
    assert_eq!(
        comment(app, Some(&cookie), "/musterstadt/spielstrasse", "Bleibt")
            .await
            .status,
        200
    );
    let account = app.get_with_cookie("/account", &cookie).await;
    assert!(
        account
            .body
            .contains("Angemeldet als Haushalt Nr 7 (mit Zugangscode"),
        "{}",
        account.body
    );
    let data = app.get_with_cookie("/api/my_data", &cookie).await;
    assert_eq!(data.status, 200, "{}", data.body);
    assert!(data.body.contains("Haushalt Nr 7"));
    // No password to confirm: the session is the proof.
    let gone = app
        .post_form(
            "/api/delete_account",
            JSON,
            Some(&cookie),
            &[("password", "")],
        )
        .await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    let page = app.get("/musterstadt/spielstrasse").await;
    assert!(page.body.contains("Bleibt"));
    assert!(!page.body.contains("Haushalt Nr 7"));
}
