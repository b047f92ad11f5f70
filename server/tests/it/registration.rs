//! Registering, confirming the address and resetting a password — through real .eml files in the
//! outbox — on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, DEMO_PASSWORD};

const STRONG: &str = "Lindenpark-Rutsche-2026";

on_both_backends!(
    a_new_resident_registers_confirms_and_signs_in,
    a_confirmation_link_works_once_only,
    registering_a_known_address_answers_the_same_and_tells_the_owner,
    weak_passwords_and_taken_names_are_refused_with_the_reason,
    a_failed_registration_without_javascript_keeps_all_but_the_password,
    a_forgotten_password_is_reset_by_mail_once_and_ends_all_sessions,
    password_reset_answers_the_same_for_unknown_addresses,
    registration_from_another_site_is_refused,
);

async fn register(app: &TestApp, email: &str, name: &str, password: &str) -> common::Page {
    app.post_form(
        "/api/register",
        "application/json",
        None,
        &[
            ("email", email),
            ("display_name", name),
            ("password", password),
        ],
    )
    .await
}

async fn a_new_resident_registers_confirms_and_signs_in(app: &TestApp) {
    let res = register(app, "Kim@Example.org", "Kim aus der Altstadt", STRONG).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mails = app.mails_to("kim@example.org");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].raw.contains("multipart/alternative"));
    assert!(
        mails[0].decoded.contains("Hallo Kim aus der Altstadt"),
        "{}",
        mails[0].decoded
    );
    let token = mails[0].token_for("/verify").expect("link with token");
    assert!(mails[0]
        .decoded
        .contains(&format!("http://mitreden.test/verify?token={token}")));

    // Not confirmed yet: the correct password does not sign in, and the link is sent again.
    let early = app.login("kim@example.org", STRONG).await;
    assert_eq!(early.status, 403, "{}", early.body);
    assert!(early.cookie("mitreden_session").is_none());
    assert_eq!(app.mails_to("kim@example.org").len(), 2);
    let token = app.mails_to("kim@example.org")[1]
        .token_for("/verify")
        .unwrap();

    // The link opens a page with a button (fetching it changes nothing).
    let page = app.get(&format!("/verify?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"token\""));
    let confirmed = app
        .post_form(
            "/api/verify_email",
            "application/json",
            None,
            &[("token", &token)],
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let cookie = confirmed
        .cookie("mitreden_session")
        .expect("signed in after confirming");
    assert!(app
        .get_with_cookie("/", &cookie)
        .await
        .body
        .contains("Angemeldet als Kim aus der Altstadt"));
    assert_eq!(app.login("kim@example.org", STRONG).await.status, 200);
}

async fn a_confirmation_link_works_once_only(app: &TestApp) {
    register(app, "lou@example.org", "Lou", STRONG).await;
    let token = app.mails_to("lou@example.org")[0]
        .token_for("/verify")
        .unwrap();
    let first = app
        .post_form(
            "/api/verify_email",
            "application/json",
            None,
            &[("token", &token)],
        )
        .await;
    assert_eq!(first.status, 200);
    let again = app
        .post_form(
            "/api/verify_email",
            "application/json",
            None,
            &[("token", &token)],
        )
        .await;
    assert_eq!(again.status, 410, "{}", again.body);
    let forged = app
        .post_form(
            "/api/verify_email",
            "application/json",
            None,
            &[("token", &"0".repeat(64))],
        )
        .await;
    assert_eq!(forged.status, 410);
    // Without JavaScript the error comes back on the page.
    let res = app
        .post_form("/api/verify_email", "text/html", None, &[("token", &token)])
        .await;
    assert_eq!(res.status, 302);
    let page = app
        .get_with_cookie(
            res.header("location"),
            &res.cookie("mitreden_flash").unwrap(),
        )
        .await;
    assert!(
        page.body
            .contains("Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet."),
        "{}",
        page.body
    );
}

async fn registering_a_known_address_answers_the_same_and_tells_the_owner(app: &TestApp) {
    let new = register(app, "neu@example.org", "Neu Hier", STRONG).await;
    let known = register(app, "ANNA@example.org", "Jemand Anders", STRONG).await;
    assert_eq!(new.status, known.status);
    assert_eq!(new.body, known.body);
    let to_anna = app.mails_to("anna@example.org");
    assert_eq!(to_anna.len(), 1);
    assert!(
        to_anna[0].decoded.contains("bereits"),
        "{}",
        to_anna[0].decoded
    );
    assert!(to_anna[0].token_for("/password/reset").is_some());
    // Anna's password still works; no second account exists.
    assert_eq!(
        app.login("anna@example.org", DEMO_PASSWORD).await.status,
        200
    );
    assert_eq!(app.login("anna@example.org", STRONG).await.status, 401);
}

async fn weak_passwords_and_taken_names_are_refused_with_the_reason(app: &TestApp) {
    let cases = [
        ("x1@example.org", "Erster Test", "kurz", "too_short"),
        (
            "x2@example.org",
            "Zweiter Test",
            "1234567890",
            "common_password",
        ),
        (
            "x3@example.org",
            "Dritter Test",
            "BasketBall",
            "common_password",
        ),
        ("x4@example.org", "ANNA", STRONG, "taken"),
        ("x5@example.org", "<b>", STRONG, "invalid_display_name"),
        ("kein-at-zeichen", "Fünfter Test", STRONG, "invalid_email"),
    ];
    for (email, name, password, code) in cases {
        let res = register(app, email, name, password).await;
        assert_eq!(res.status, 422, "{email}: {}", res.body);
        assert!(
            res.body.contains(code),
            "{email}: expected {code} in {}",
            res.body
        );
    }
    assert!(
        app.mails().is_empty(),
        "mail sent for a refused registration"
    );
}

async fn a_failed_registration_without_javascript_keeps_all_but_the_password(app: &TestApp) {
    let form = [
        ("email", "ole@example.org"),
        ("display_name", "Ole"),
        ("password", "abc123"),
    ];
    let res = app
        .post_form("/api/register", "text/html", None, &form)
        .await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), "/register");
    let page = app
        .get_with_cookie("/register", &res.cookie("mitreden_flash").unwrap())
        .await;
    assert!(
        page.body
            .contains("Zu kurz: mindestens 10 Zeichen, Sie haben 11.")
            || page.body.contains("Zu kurz"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"ole@example.org\""));
    assert!(page.body.contains("value=\"Ole\""));
    assert!(!page.body.contains("abc123"), "password echoed");
}

async fn a_forgotten_password_is_reset_by_mail_once_and_ends_all_sessions(app: &TestApp) {
    let old_session = app.login_cookie("anna@example.org").await;
    let res = app
        .post_form(
            "/api/request_password_reset",
            "application/json",
            None,
            &[("email", "anna@example.org")],
        )
        .await;
    assert_eq!(res.status, 200);
    let token = app.mails_to("anna@example.org")[0]
        .token_for("/password/reset")
        .expect("reset link");
    // Rules apply to the new password too.
    let weak = app
        .post_form(
            "/api/reset_password",
            "application/json",
            None,
            &[("token", &token), ("password", "1q2w3e4r5t")],
        )
        .await;
    assert_eq!(weak.status, 422);
    let done = app
        .post_form(
            "/api/reset_password",
            "application/json",
            None,
            &[("token", &token), ("password", STRONG)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let again = app
        .post_form(
            "/api/reset_password",
            "application/json",
            None,
            &[("token", &token), ("password", "Noch-ein-neues-Passwort")],
        )
        .await;
    assert_eq!(again.status, 410, "reset token reused");
    assert!(
        !app.get_with_cookie("/", &old_session)
            .await
            .body
            .contains("Angemeldet als"),
        "old session survived"
    );
    assert_eq!(
        app.login("anna@example.org", DEMO_PASSWORD).await.status,
        401
    );
    assert_eq!(app.login("anna@example.org", STRONG).await.status, 200);
}

async fn password_reset_answers_the_same_for_unknown_addresses(app: &TestApp) {
    let known = app
        .post_form(
            "/api/request_password_reset",
            "application/json",
            None,
            &[("email", "anna@example.org")],
        )
        .await;
    let unknown = app
        .post_form(
            "/api/request_password_reset",
            "application/json",
            None,
            &[("email", "wer@example.org")],
        )
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert_eq!(app.mails().len(), 1);
    let known = app
        .post_form(
            "/api/request_password_reset",
            "text/html",
            None,
            &[("email", "anna@example.org")],
        )
        .await;
    let unknown = app
        .post_form(
            "/api/request_password_reset",
            "text/html",
            None,
            &[("email", "wer@example.org")],
        )
        .await;
    assert_eq!(known.header("location"), unknown.header("location"));
    let page = app
        .get_with_cookie(
            "/password/forgot",
            &unknown.cookie("mitreden_flash").unwrap(),
        )
        .await;
    assert!(page
        .body
        .contains("Wenn es ein Konto mit dieser Adresse gibt"));
}

async fn registration_from_another_site_is_refused(app: &TestApp) {
    let res = app
        .client
        .post(app.url("/api/register"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "evil@example.org"),
            ("display_name", "Evil"),
            ("password", STRONG),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(app.mails().is_empty());
}
