//! Changing the e-mail address from the account page: a link to the new address (single use,
//! 24 hours), the previous address told afterwards, taken addresses not revealed — on SQLite and
//! PostgreSQL.

use crate::common;

use common::{TestApp, BASE_URL, DEMO_PASSWORD};

on_both_backends!(
    a_resident_changes_the_address_through_a_link_to_the_new_one,
    a_wrong_password_or_a_pointless_address_changes_nothing_and_sends_nothing,
    a_change_link_works_once_and_only_the_latest_one,
    a_change_link_changes_only_the_account_it_was_issued_for,
    a_taken_address_gets_the_same_answer_and_its_owner_a_notice,
    without_javascript_the_form_keeps_the_address_but_never_the_password,
    change_requests_are_limited_per_account,
    an_address_change_from_another_site_is_refused,
);

const NEW: &str = "anna.neu@example.org";

async fn request_change(
    app: &TestApp,
    cookie: Option<&str>,
    email: &str,
    password: &str,
) -> common::Page {
    app.post_form(
        "/api/change_email",
        "application/json",
        cookie,
        &[("new_email", email), ("current_password", password)],
    )
    .await
}

async fn confirm(app: &TestApp, cookie: Option<&str>, token: &str) -> common::Page {
    app.post_form(
        "/api/confirm_email_change",
        "application/json",
        cookie,
        &[("token", token)],
    )
    .await
}

fn change_token(app: &TestApp, to: &str) -> String {
    app.mails_to(to)
        .last()
        .and_then(|m| m.token_for("/account/email"))
        .unwrap_or_else(|| panic!("no change link mailed to {to}"))
}

async fn email_of(app: &TestApp, display_name: &str) -> Option<String> {
    app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, Option<String>>("SELECT email FROM users WHERE display_name = $1")
            .bind(display_name)
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

async fn a_resident_changes_the_address_through_a_link_to_the_new_one(app: &TestApp) {
    let phone = app.login_cookie("anna@example.org").await;
    let laptop = app.login_cookie("anna@example.org").await;
    let res = request_change(app, Some(&laptop), "  Anna.Neu@Example.ORG ", DEMO_PASSWORD).await;
    assert_eq!(res.status, 200, "{}", res.body);

    // The link goes to the new address only; nothing has changed yet.
    let mails = app.mails_to(NEW);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].raw.contains("multipart/alternative"));
    assert!(
        mails[0].decoded.contains("Hallo Anna"),
        "{}",
        mails[0].decoded
    );
    let token = change_token(app, NEW);
    assert!(mails[0]
        .decoded
        .contains(&format!("{BASE_URL}/account/email?token={token}")));
    assert!(app.mails_to("anna@example.org").is_empty());
    assert_eq!(
        email_of(app, "Anna").await.as_deref(),
        Some("anna@example.org")
    );

    // The link opens a page with a button: fetching it uses nothing up.
    let page = app.get(&format!("/account/email?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"token\""));
    assert!(page.body.contains("Neue Adresse bestätigen"));

    let done = confirm(app, Some(&laptop), &token).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("/account?email_changed=1"),
        "{}",
        done.body
    );
    let renewed = done
        .cookie("mitreden_session")
        .expect("a fresh session for this browser");
    let account = app
        .get_with_cookie("/account?email_changed=1", &renewed)
        .await;
    assert!(account.body.contains("Ihre E-Mail-Adresse wurde geändert."));
    assert!(account
        .body
        .contains(&format!("Angemeldet als Anna ({NEW})")));
    for old_session in [&phone, &laptop] {
        assert!(
            !app.get_with_cookie("/", old_session)
                .await
                .body
                .contains("Angemeldet als"),
            "a session from before the change is still valid"
        );
    }

    // Signing in works with the new address only.
    assert_eq!(
        app.login("anna@example.org", DEMO_PASSWORD).await.status,
        401
    );
    assert_eq!(app.login(NEW, DEMO_PASSWORD).await.status, 200);

    // The previous address is told, with the new one and what to do if it was not them.
    let notices = app.mails_to("anna@example.org");
    assert_eq!(notices.len(), 1);
    assert!(notices[0]
        .decoded
        .contains("Ihre E-Mail-Adresse bei Mitreden wurde ge"));
    assert!(notices[0].decoded.contains(NEW));
    assert!(notices[0].decoded.contains("Wenn Sie das nicht waren"));
    assert!(notices[0].token_for("/account/email").is_none());
}

async fn a_wrong_password_or_a_pointless_address_changes_nothing_and_sends_nothing(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    let wrong = request_change(app, Some(&cookie), NEW, "falsch-falsch").await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("wrong_password"), "{}", wrong.body);
    let empty = request_change(app, Some(&cookie), NEW, "").await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("current_password"), "{}", empty.body);
    let invalid = request_change(app, Some(&cookie), "anna-at-example", DEMO_PASSWORD).await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body.contains("invalid_email"), "{}", invalid.body);
    let same = request_change(app, Some(&cookie), "ANNA@example.org", DEMO_PASSWORD).await;
    assert_eq!(same.status, 422);
    assert!(same.body.contains("same_as_current"), "{}", same.body);
    let anonymous = request_change(app, None, NEW, DEMO_PASSWORD).await;
    assert_eq!(anonymous.status, 401);
    assert!(app.mails().is_empty(), "mail sent: {:?}", app.mails());
    assert_eq!(
        email_of(app, "Anna").await.as_deref(),
        Some("anna@example.org")
    );
}

async fn a_change_link_works_once_and_only_the_latest_one(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    request_change(app, Some(&cookie), "zuerst@example.org", DEMO_PASSWORD).await;
    let first = change_token(app, "zuerst@example.org");
    request_change(app, Some(&cookie), NEW, DEMO_PASSWORD).await;
    let latest = change_token(app, NEW);
    // A newer request replaces the older link.
    assert_eq!(confirm(app, None, &first).await.status, 410);
    let used = confirm(app, None, &latest).await;
    assert_eq!(used.status, 200, "{}", used.body);
    let again = confirm(app, None, &latest).await;
    assert_eq!(again.status, 410, "{}", again.body);
    assert!(again.body.contains("invalid_token"));
    assert_eq!(confirm(app, None, &"0".repeat(64)).await.status, 410);
    assert_eq!(confirm(app, None, "kein-token").await.status, 410);
    assert_eq!(email_of(app, "Anna").await.as_deref(), Some(NEW));
    // Without JavaScript the error comes back on the page.
    let res = app
        .post_form(
            "/api/confirm_email_change",
            "text/html",
            None,
            &[("token", &latest)],
        )
        .await;
    assert_eq!(res.status, 302);
    assert!(res.header("location").starts_with("/account/email?token="));
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

async fn a_change_link_changes_only_the_account_it_was_issued_for(app: &TestApp) {
    let anna = app.login_cookie("anna@example.org").await;
    let other = app.login_cookie("redaktion@musterstadt.example").await;
    request_change(app, Some(&anna), NEW, DEMO_PASSWORD).await;
    let token = change_token(app, NEW);

    // Other kinds of links are no change links.
    app.post_form(
        "/api/request_password_reset",
        "application/json",
        None,
        &[("email", "redaktion@musterstadt.example")],
    )
    .await;
    let reset = app.mails_to("redaktion@musterstadt.example")[0]
        .token_for("/password/reset")
        .unwrap();
    assert_eq!(confirm(app, Some(&other), &reset).await.status, 410);

    // Someone else signed in uses Anna's link: Anna's account changes, theirs does not, and
    // their browser does not become Anna's.
    let res = confirm(app, Some(&other), &token).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.cookie("mitreden_session").is_none(),
        "session for another account's browser"
    );
    assert!(res.body.contains("/login?next="), "{}", res.body);
    assert_eq!(email_of(app, "Anna").await.as_deref(), Some(NEW));
    assert_eq!(
        email_of(app, "Redaktion Musterstadt").await.as_deref(),
        Some("redaktion@musterstadt.example")
    );
    assert!(app
        .get_with_cookie("/", &other)
        .await
        .body
        .contains("Angemeldet als Redaktion Musterstadt"));
    assert!(!app
        .get_with_cookie("/", &anna)
        .await
        .body
        .contains("Angemeldet als"));
    assert_eq!(
        app.login("redaktion@musterstadt.example", DEMO_PASSWORD)
            .await
            .status,
        200
    );
}

async fn a_taken_address_gets_the_same_answer_and_its_owner_a_notice(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    let free = request_change(app, Some(&cookie), NEW, DEMO_PASSWORD).await;
    let taken = request_change(
        app,
        Some(&cookie),
        "Redaktion@Musterstadt.example",
        DEMO_PASSWORD,
    )
    .await;
    assert_eq!(free.status, 200, "{}", free.body);
    assert_eq!(taken.status, free.status);
    assert_eq!(taken.body, free.body);
    let notices = app.mails_to("redaktion@musterstadt.example");
    assert_eq!(notices.len(), 1);
    assert!(
        notices[0].decoded.contains("Jemand hat versucht"),
        "{}",
        notices[0].decoded
    );
    assert!(notices[0].token_for("/account/email").is_none());
    assert!(
        !notices[0].decoded.contains("anna"),
        "the notice names who tried"
    );
    assert_eq!(
        email_of(app, "Anna").await.as_deref(),
        Some("anna@example.org")
    );

    // An address someone registers while the link waits: the link fails clearly, nothing changes.
    let token = change_token(app, NEW);
    let registered = app
        .post_form(
            "/api/register",
            "application/json",
            None,
            &[
                ("email", NEW),
                ("display_name", "Schneller"),
                ("password", "Lindenpark-Rutsche-2026"),
            ],
        )
        .await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    let res = confirm(app, Some(&cookie), &token).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("email_taken"), "{}", res.body);
    assert_eq!(
        email_of(app, "Anna").await.as_deref(),
        Some("anna@example.org")
    );
    assert_eq!(email_of(app, "Schneller").await.as_deref(), Some(NEW));
    assert!(app.mails_to("anna@example.org").is_empty());
}

async fn without_javascript_the_form_keeps_the_address_but_never_the_password(app: &TestApp) {
    let session = app.login_cookie("anna@example.org").await;
    let wrong = app
        .post_form(
            "/api/change_email",
            "text/html",
            Some(&session),
            &[("new_email", NEW), ("current_password", "Geheim-Falsch-42")],
        )
        .await;
    assert_eq!(wrong.status, 302);
    assert_eq!(wrong.header("location"), "/account#change-email");
    let flash = wrong.cookie("mitreden_flash").unwrap();
    let page = app
        .get_with_cookie("/account", &format!("{session}; {flash}"))
        .await;
    assert!(
        page.body.contains(&format!("value=\"{NEW}\"")),
        "address not kept"
    );
    assert!(!page.body.contains("Geheim-Falsch-42"), "password kept");
    assert!(page.body.contains("Das Passwort stimmt nicht."));

    let ok = app
        .post_form(
            "/api/change_email",
            "text/html",
            Some(&session),
            &[("new_email", NEW), ("current_password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(ok.status, 302);
    let flash = ok.cookie("mitreden_flash").unwrap();
    let page = app
        .get_with_cookie("/account", &format!("{session}; {flash}"))
        .await;
    assert!(
        page.body.contains(&format!(
            "Wir haben einen Bestätigungslink an {NEW} geschickt."
        )),
        "{}",
        page.body
    );

    // The link's page and its button work without JavaScript too.
    let token = change_token(app, NEW);
    let done = app
        .post_form(
            "/api/confirm_email_change",
            "text/html",
            Some(&session),
            &[("token", &token)],
        )
        .await;
    assert_eq!(done.status, 302);
    assert_eq!(done.header("location"), "/account?email_changed=1");
    let renewed = done.cookie("mitreden_session").unwrap();
    let page = app
        .get_with_cookie("/account?email_changed=1", &renewed)
        .await;
    assert!(page.body.contains("Ihre E-Mail-Adresse wurde geändert."));
}

async fn change_requests_are_limited_per_account(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    for i in 0..5 {
        let res = request_change(
            app,
            Some(&cookie),
            &format!("neu{i}@example.org"),
            DEMO_PASSWORD,
        )
        .await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    let res = request_change(app, Some(&cookie), "neu9@example.org", DEMO_PASSWORD).await;
    assert_eq!(res.status, 429, "{}", res.body);
    assert!(app.mails_to("neu9@example.org").is_empty());
}

async fn an_address_change_from_another_site_is_refused(app: &TestApp) {
    let cookie = app.login_cookie("anna@example.org").await;
    let form = [("new_email", NEW), ("current_password", DEMO_PASSWORD)];
    let without_origin = app
        .client
        .post(app.url("/api/change_email"))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(without_origin.status(), 403);
    let foreign = app
        .client
        .post(app.url("/api/change_email"))
        .header("origin", "https://evil.example")
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    assert!(app.mails().is_empty());

    // Nor can another site post a link's token for someone.
    request_change(app, Some(&cookie), NEW, DEMO_PASSWORD).await;
    let token = change_token(app, NEW);
    let res = app
        .client
        .post(app.url("/api/confirm_email_change"))
        .header("origin", "https://evil.example")
        .form(&[("token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        email_of(app, "Anna").await.as_deref(),
        Some("anna@example.org")
    );
}
