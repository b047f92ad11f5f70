//! Two-factor sign-in (TOTP and recovery codes), on SQLite and PostgreSQL.

use crate::common;

use app::account::totp;
use common::{TestApp, DEMO_PASSWORD};

on_both_backends!(
    staff_set_up_an_authenticator_and_then_need_it_to_sign_in,
    the_second_step_needs_a_half_finished_login,
);

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn code_at_step(secret: &str, step: i64) -> String {
    totp::code_at(&totp::base32_decode(secret).unwrap(), step)
}

async fn overview(app: &TestApp, cookie: &str) -> serde_json::Value {
    let res = app
        .post_form(
            "/api/account_overview",
            "application/json",
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

async fn staff_set_up_an_authenticator_and_then_need_it_to_sign_in(app: &TestApp) {
    let email = "moderation@musterstadt.example";
    let cookie = app.login_cookie(email).await;
    let before = overview(app, &cookie).await;
    assert_eq!(before["is_staff"], true);
    assert_eq!(before["two_factor"], false);
    assert!(before["totp_setup"].is_null());
    let page = app.get_with_cookie("/account", &cookie).await;
    assert!(
        page.body.contains("Pflicht"),
        "staff are told it is mandatory"
    );

    let begun = app
        .post_form(
            "/api/begin_two_factor_setup",
            "application/json",
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(begun.status, 200, "{}", begun.body);
    let setup = overview(app, &cookie).await;
    let secret = setup["totp_setup"][0].as_str().expect("secret").to_string();
    assert!(setup["totp_setup"][1].as_str().unwrap().contains("<svg"));

    let wrong = app
        .post_form(
            "/api/confirm_two_factor_setup",
            "application/json",
            Some(&cookie),
            &[("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    // Fixed steps, so that a 30-second boundary during the test changes nothing.
    let setup_step = now() / totp::STEP_SECS;
    let setup_code = code_at_step(&secret, setup_step);
    let confirmed = app
        .post_form(
            "/api/confirm_two_factor_setup",
            "application/json",
            Some(&cookie),
            &[("code", &setup_code)],
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let codes: Vec<String> = serde_json::from_str(&confirmed.body).unwrap();
    assert_eq!(codes.len(), 10);
    let cookie = confirmed
        .cookie("mitreden_session")
        .expect("fresh session after enabling");
    assert_eq!(overview(app, &cookie).await["two_factor"], true);
    // Recovery codes are stored only as hashes.
    let stored: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT code_hash FROM recovery_codes")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(!stored
        .iter()
        .any(|h| codes.iter().any(|c| h.contains(&c[..4]) && h.len() < 20)));

    // Signing in now takes two steps: the password alone gives no session.
    let first = app.login(email, DEMO_PASSWORD).await;
    assert_eq!(first.status, 200);
    let json: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(json["redirect_to"], "/login/2fa?next=/");
    let pending = first.cookie("mitreden_session").unwrap();
    assert!(
        !app.get_with_cookie("/", &pending)
            .await
            .body
            .contains("Angemeldet als"),
        "half a login is no login"
    );
    let staff_only = app
        .post_form(
            "/api/account_overview",
            "application/json",
            Some(&pending),
            &[],
        )
        .await;
    assert_eq!(staff_only.status, 401);

    // The code used for the setup cannot be used again.
    let replay = app
        .post_form(
            "/api/login_second_factor",
            "application/json",
            Some(&pending),
            &[("code", &setup_code), ("next", "/")],
        )
        .await;
    assert_eq!(
        replay.status, 422,
        "replayed code accepted: {}",
        replay.body
    );
    let next = app
        .post_form(
            "/api/login_second_factor",
            "application/json",
            Some(&pending),
            &[
                ("code", &code_at_step(&secret, setup_step + 1)),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(next.status, 200, "{}", next.body);
    let full = next.cookie("mitreden_session").unwrap();
    assert_ne!(full, pending);
    assert!(app
        .get_with_cookie("/", &full)
        .await
        .body
        .contains("Angemeldet als Moderation Musterstadt"));

    // A recovery code works once, in any spelling.
    let first = app.login(email, DEMO_PASSWORD).await;
    let pending = first.cookie("mitreden_session").unwrap();
    let typed = codes[3].to_uppercase().replace('-', " ");
    let ok = app
        .post_form(
            "/api/login_second_factor",
            "application/json",
            Some(&pending),
            &[("code", &typed), ("next", "/")],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let first = app.login(email, DEMO_PASSWORD).await;
    let pending = first.cookie("mitreden_session").unwrap();
    let again = app
        .post_form(
            "/api/login_second_factor",
            "application/json",
            Some(&pending),
            &[("code", &codes[3]), ("next", "/")],
        )
        .await;
    assert_eq!(again.status, 422, "recovery code reused");
}

async fn the_second_step_needs_a_half_finished_login(app: &TestApp) {
    let res = app
        .post_form(
            "/api/login_second_factor",
            "application/json",
            None,
            &[("code", "123456"), ("next", "/")],
        )
        .await;
    assert_eq!(res.status, 401);
    // A full session is not a half-finished login either.
    let cookie = app.login_cookie("anna@example.org").await;
    let res = app
        .post_form(
            "/api/login_second_factor",
            "application/json",
            Some(&cookie),
            &[("code", "123456"), ("next", "/")],
        )
        .await;
    assert_eq!(res.status, 401);
}
