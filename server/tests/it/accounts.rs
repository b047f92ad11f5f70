//! Signing in and out, sessions and roles, on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, DEMO_PASSWORD};

on_both_backends!(
    demo_accounts_sign_in_and_out,
    the_session_cookie_is_http_only_and_same_site,
    wrong_password_and_unknown_account_get_the_same_answer,
    a_failed_login_without_javascript_keeps_the_email_but_never_the_password,
    login_without_javascript_returns_only_to_local_pages,
    a_session_id_chosen_by_an_attacker_is_never_adopted,
    login_and_logout_from_another_site_are_refused,
    staff_roles_come_with_the_account,
);

async fn demo_accounts_sign_in_and_out(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    let home = app.get_with_cookie("/", &cookie).await;
    assert!(home.body.contains("Angemeldet als Anna"), "{}", home.body);
    let out = app
        .post_form("/api/logout", "application/json", Some(&cookie), &[])
        .await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert!(out
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("mitreden_session=;")));
    // The session is gone on the server, not just in this browser.
    let home = app.get_with_cookie("/", &cookie).await;
    assert!(
        !home.body.contains("Angemeldet als"),
        "session still valid after logout"
    );
    assert!(home.body.contains("href=\"/login\""));
    // E-mail addresses are matched whatever their case.
    let again = app.login("  ANNA@Example.org ", DEMO_PASSWORD).await;
    assert_eq!(again.status, 200);
}

async fn the_session_cookie_is_http_only_and_same_site(app: &TestApp) {
    let page = app
        .login("moderation@musterstadt.example", DEMO_PASSWORD)
        .await;
    let header = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("mitreden_session="))
        .expect("session cookie");
    assert!(header.contains("HttpOnly"), "{header}");
    assert!(header.contains("SameSite=Lax"), "{header}");
    assert!(header.contains("Path=/"), "{header}");
    // The test app's base URL is plain http: no Secure flag, so no __Host- prefix either.
    assert!(!header.contains("Secure"), "{header}");
    let token = header
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("mitreden_session=");
    assert_eq!(token.len(), 64);
    // The token itself is never stored.
    let stored: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT id_hash FROM sessions")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert!(!stored.iter().any(|h| h == token));
}

async fn wrong_password_and_unknown_account_get_the_same_answer(app: &TestApp) {
    let wrong = app.login("anna@example.org", "falsches-passwort").await;
    let unknown = app.login("niemand@example.org", "falsches-passwort").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.cookie("mitreden_session").is_none());
    let empty = app.login("anna@example.org", "").await;
    assert_eq!(empty.status, 422);
    let malformed = app.login("anna-at-example.org", "x").await;
    assert_eq!(malformed.status, 422);
    assert!(malformed.body.contains("invalid_email"));
}

async fn a_failed_login_without_javascript_keeps_the_email_but_never_the_password(app: &TestApp) {
    let form = [
        ("email", "anna@example.org"),
        ("password", "geheim-und-falsch-123"),
        ("next", "/musterstadt"),
    ];
    let res = app.post_form("/api/login", "text/html", None, &form).await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), "/login?next=/musterstadt");
    let page = app
        .get_with_cookie(
            "/login?next=/musterstadt",
            &res.cookie("mitreden_flash").unwrap(),
        )
        .await;
    assert!(
        page.body
            .contains("E-Mail-Adresse oder Passwort ist falsch."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"anna@example.org\""));
    assert!(page.body.contains("name=\"next\" value=\"/musterstadt\""));
    assert!(
        !page.body.contains("geheim-und-falsch-123"),
        "password echoed"
    );
    let stored: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT payload FROM form_flashes")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert!(
        !stored.iter().any(|p| p.contains("geheim")),
        "password stored in a flash"
    );
}

async fn login_without_javascript_returns_only_to_local_pages(app: &TestApp) {
    for (next, expected) in [
        (
            "/musterstadt/verkehrsberuhigung-altstadt",
            "/musterstadt/verkehrsberuhigung-altstadt",
        ),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
    ] {
        let form = [
            ("email", "anna@example.org"),
            ("password", DEMO_PASSWORD),
            ("next", next),
        ];
        let res = app.post_form("/api/login", "text/html", None, &form).await;
        assert_eq!(res.status, 302);
        assert_eq!(res.header("location"), expected, "next={next}");
        assert!(res.cookie("mitreden_session").is_some());
    }
}

async fn a_session_id_chosen_by_an_attacker_is_never_adopted(app: &TestApp) {
    let planted = format!("mitreden_session={}", "ab".repeat(32));
    let res = app
        .post_form(
            "/api/login",
            "application/json",
            Some(&planted),
            &[
                ("email", "anna@example.org"),
                ("password", DEMO_PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    let issued = res.cookie("mitreden_session").unwrap();
    assert_ne!(issued, planted);
    let home = app.get_with_cookie("/", &planted).await;
    assert!(!home.body.contains("Angemeldet als"));
    let home = app.get_with_cookie("/", &issued).await;
    assert!(home.body.contains("Angemeldet als Anna"));
    // A second login replaces the first session.
    let second = app
        .post_form(
            "/api/login",
            "application/json",
            Some(&issued),
            &[
                ("email", "anna@example.org"),
                ("password", DEMO_PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    let newer = second.cookie("mitreden_session").unwrap();
    assert_ne!(newer, issued);
    assert!(!app
        .get_with_cookie("/", &issued)
        .await
        .body
        .contains("Angemeldet als"));
}

async fn login_and_logout_from_another_site_are_refused(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    for path in ["/api/login", "/api/logout"] {
        let res = app
            .client
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .header("cookie", &cookie)
            .form(&[
                ("email", "anna@example.org"),
                ("password", DEMO_PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
        assert!(res.headers().get("set-cookie").is_none());
    }
    assert!(
        app.get_with_cookie("/", &cookie)
            .await
            .body
            .contains("Angemeldet als Anna"),
        "logged out by a foreign site"
    );
}

async fn staff_roles_come_with_the_account(app: &TestApp) {
    let cookie = app.login_cookie("redaktion@musterstadt.example").await;
    let res = app
        .post_form("/api/current_user", "application/json", Some(&cookie), &[])
        .await;
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["display_name"], "Redaktion Musterstadt");
    assert_eq!(json["roles"][0]["organisation_slug"], "musterstadt");
    assert_eq!(json["roles"][0]["role"], "Initiator");
    assert_eq!(json["is_instance_admin"], false);
    let cookie = app.login_cookie("admin@example.org").await;
    let res = app
        .post_form("/api/current_user", "application/json", Some(&cookie), &[])
        .await;
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json["is_instance_admin"], true);
    let res = app
        .post_form("/api/current_user", "application/json", None, &[])
        .await;
    assert_eq!(res.body, "null");
}
