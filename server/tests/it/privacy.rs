//! The account page's self-service: comments under one's name, password change, signing out
//! everywhere, downloading one's data, deleting the account — on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, ALTSTADT, DEMO_PASSWORD};

const NEW_PASSWORD: &str = "Neues-Passwort-fuer-Anna";

on_both_backends!(
    signed_in_residents_comment_under_their_account_name,
    a_resident_downloads_all_their_data_and_only_theirs,
    changing_the_password_needs_the_current_one_and_signs_out_other_devices,
    signing_out_everywhere_ends_every_session,
    a_deleted_account_leaves_its_contributions_without_personal_data,
);

async fn signed_in_residents_comment_under_their_account_name(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    let form = [
        ("org", "musterstadt"),
        ("slug", "verkehrsberuhigung-altstadt"),
        ("parent_id", ""),
        ("author_name", "Jemand Anderes"),
        ("body", "Von Anna"),
    ];
    let res = app
        .post_form(
            "/api/post_comment",
            "application/json",
            Some(&cookie),
            &form,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["Published"]["author_name"], "Anna");
    let page = app.get_with_cookie(ALTSTADT, &cookie).await;
    assert!(page.body.contains("Sie schreiben als Anna."));
    assert!(
        !page.body.contains("name=\"author_name\" type=\"text\""),
        "name field shown to a signed-in resident"
    );
}

async fn a_resident_downloads_all_their_data_and_only_theirs(app: &TestApp) {
    let anonymous = app.get("/api/my_data").await;
    assert_eq!(anonymous.status, 401);
    let cookie = app.login_cookie("anna@example.org").await;
    let form = [
        ("org", "musterstadt"),
        ("slug", "verkehrsberuhigung-altstadt"),
        ("parent_id", ""),
        ("body", "Meine Meinung"),
    ];
    app.post_form(
        "/api/post_comment",
        "application/json",
        Some(&cookie),
        &form,
    )
    .await;
    let other = app.login_cookie("redaktion@musterstadt.example").await;
    let theirs = app
        .post_comment_as(
            Some(&other),
            "application/json",
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "Fremde Meinung",
        )
        .await;
    let theirs: serde_json::Value = serde_json::from_str(&theirs.body).unwrap();
    let theirs = theirs["Published"]["id"].as_i64().unwrap();
    // Anna supports it: her vote is part of her data.
    let voted = app
        .post_form(
            "/api/vote_comment",
            "application/json",
            Some(&cookie),
            &[
                ("org", "musterstadt"),
                ("slug", "verkehrsberuhigung-altstadt"),
                ("comment_id", &theirs.to_string()),
                ("vote", "up"),
            ],
        )
        .await;
    assert_eq!(voted.status, 200, "{}", voted.body);
    let res = app.get_with_cookie("/api/my_data", &cookie).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.header("content-disposition").starts_with("attachment"));
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["account"]["email"], "anna@example.org");
    assert_eq!(json["account"]["display_name"], "Anna");
    assert_eq!(json["sessions"].as_array().unwrap().len(), 1);
    let texts: Vec<&str> = json["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["Meine Meinung"]);
    assert_eq!(json["votes"][0]["comment"], theirs);
    assert_eq!(json["votes"][0]["value"], 1);
    assert!(json["questionnaires"]["answers"].is_array());
    let staff = app.login_cookie("moderation@musterstadt.example").await;
    let json: serde_json::Value =
        serde_json::from_str(&app.get_with_cookie("/api/my_data", &staff).await.body).unwrap();
    assert_eq!(json["roles"][0]["role"], "moderator");
    assert!(json["comments"].as_array().unwrap().is_empty());
}

async fn changing_the_password_needs_the_current_one_and_signs_out_other_devices(app: &TestApp) {
    let phone = app.login_cookie("anna@example.org").await;
    let laptop = app.login_cookie("anna@example.org").await;
    let wrong = app
        .post_form(
            "/api/change_password",
            "application/json",
            Some(&laptop),
            &[
                ("current_password", "falsch-falsch"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("wrong_password"));
    let weak = app
        .post_form(
            "/api/change_password",
            "application/json",
            Some(&laptop),
            &[
                ("current_password", DEMO_PASSWORD),
                ("password", "1q2w3e4r5t"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    let ok = app
        .post_form(
            "/api/change_password",
            "application/json",
            Some(&laptop),
            &[
                ("current_password", DEMO_PASSWORD),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let renewed = ok
        .cookie("mitreden_session")
        .expect("a fresh session for this browser");
    assert!(app
        .get_with_cookie("/", &renewed)
        .await
        .body
        .contains("Angemeldet als Anna"));
    assert!(
        !app.get_with_cookie("/", &phone)
            .await
            .body
            .contains("Angemeldet als"),
        "other device still signed in"
    );
    assert!(
        !app.get_with_cookie("/", &laptop)
            .await
            .body
            .contains("Angemeldet als"),
        "old session id still valid"
    );
    assert_eq!(
        app.login("anna@example.org", NEW_PASSWORD).await.status,
        200
    );
    // Unauthenticated callers are refused.
    let anonymous = app
        .post_form(
            "/api/change_password",
            "application/json",
            None,
            &[
                ("current_password", NEW_PASSWORD),
                ("password", "Noch-ein-Passwort-123"),
            ],
        )
        .await;
    assert_eq!(anonymous.status, 401);
}

async fn signing_out_everywhere_ends_every_session(app: &TestApp) {
    let one = app.login_cookie("anna@example.org").await;
    let two = app.login_cookie("anna@example.org").await;
    let other_user = app.login_cookie("redaktion@musterstadt.example").await;
    let res = app
        .post_form(
            "/api/logout_everywhere",
            "application/json",
            Some(&one),
            &[],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    for cookie in [&one, &two] {
        assert!(!app
            .get_with_cookie("/", cookie)
            .await
            .body
            .contains("Angemeldet als"));
    }
    assert!(app
        .get_with_cookie("/", &other_user)
        .await
        .body
        .contains("Angemeldet als Redaktion Musterstadt"));
}

async fn a_deleted_account_leaves_its_contributions_without_personal_data(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    let form = [
        ("org", "musterstadt"),
        ("slug", "verkehrsberuhigung-altstadt"),
        ("parent_id", ""),
        ("body", "Bleibt stehen"),
    ];
    app.post_form(
        "/api/post_comment",
        "application/json",
        Some(&cookie),
        &form,
    )
    .await;
    let wrong = app
        .post_form(
            "/api/delete_account",
            "application/json",
            Some(&cookie),
            &[("password", "falsch-falsch")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    let res = app
        .post_form(
            "/api/delete_account",
            "application/json",
            Some(&cookie),
            &[("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        app.login("anna@example.org", DEMO_PASSWORD).await.status,
        401
    );
    let page = app.get(ALTSTADT).await;
    assert!(page.body.contains("Bleibt stehen"));
    assert!(page.body.contains("Gelöschtes Konto"));
    let leftovers: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>(
            "SELECT COALESCE(email, '') || display_name FROM users WHERE email = 'anna@example.org' OR display_name = 'Anna' \
             UNION ALL SELECT author_name FROM comments WHERE body = 'Bleibt stehen' AND author_name <> ''",
        )
        .fetch_all(pool)
        .await
    })
    .unwrap();
    assert!(leftovers.is_empty(), "personal data left: {leftovers:?}");
    // The name is free again.
    let res = app
        .post_form(
            "/api/register",
            "application/json",
            None,
            &[
                ("email", "anna2@example.org"),
                ("display_name", "Anna"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}
