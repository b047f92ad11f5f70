//! Rate limits and progressive login delays, on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, DEMO_PASSWORD};

on_both_backends!(
    failed_logins_slow_the_account_down_progressively,
    a_network_cannot_try_passwords_without_end,
    an_account_cannot_flood_a_consultation_with_comments,
    a_network_cannot_flood_a_consultation_with_comments,
    limit_keys_are_hashes_and_no_ip_is_stored,
);

async fn failed_logins_slow_the_account_down_progressively(app: &TestApp) {
    for _ in 0..3 {
        assert_eq!(
            app.login("anna@example.org", "falsch-falsch-falsch")
                .await
                .status,
            401
        );
    }
    // Now even the right password has to wait.
    let res = app.login("anna@example.org", DEMO_PASSWORD).await;
    assert_eq!(res.status, 429, "{}", res.body);
    let retry: u64 = res
        .header("retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=5).contains(&retry), "{retry}");
    assert!(res.body.contains("too_many_requests"), "{}", res.body);
    // Without JavaScript the page says how long to wait, in words.
    let form = [
        ("email", "anna@example.org"),
        ("password", DEMO_PASSWORD),
        ("next", "/"),
    ];
    let res = app.post_form("/api/login", "text/html", None, &form).await;
    let page = app
        .get_with_cookie("/login", &res.cookie("mitreden_flash").unwrap())
        .await;
    assert!(
        page.body
            .contains("Zu viele Anfragen. Bitte versuchen Sie es in"),
        "{}",
        page.body
    );
    // Other accounts are not affected.
    assert_eq!(
        app.login("redaktion@musterstadt.example", DEMO_PASSWORD)
            .await
            .status,
        200
    );
}

async fn a_network_cannot_try_passwords_without_end(app: &TestApp) {
    let mut statuses = Vec::new();
    for i in 0..31 {
        statuses.push(
            app.login(&format!("probe{i}@example.org"), "irgendein-passwort")
                .await
                .status,
        );
    }
    assert!(statuses[..30].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[30], 429);
}

async fn an_account_cannot_flood_a_consultation_with_comments(app: &TestApp) {
    for i in 0..20 {
        let res = app
            .post_comment_js(
                "musterstadt",
                "verkehrsberuhigung-altstadt",
                "",
                &format!("Beitrag {i}"),
            )
            .await;
        assert_eq!(res.status, 200, "comment {i}: {}", res.body);
    }
    let res = app
        .post_comment_js(
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "einer zu viel",
        )
        .await;
    assert_eq!(res.status, 429);
    assert!(!res.header("retry-after").is_empty());
    let res = app
        .post_comment_form(
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "auch ohne JS zu viel",
        )
        .await;
    let page = app
        .get_with_flash(common::ALTSTADT, &res.cookie("mitreden_flash").unwrap())
        .await;
    assert!(page.body.contains("Zu viele Anfragen"), "{}", page.body);
    assert!(
        page.body.contains("auch ohne JS zu viel</textarea>"),
        "text kept"
    );
}

/// A verified resident account made directly in the database; answers its session cookie.
async fn resident(app: &TestApp, n: usize) -> String {
    use app::account::{password, repo, Email};
    let email = format!("nachbar{n}@example.org");
    let hash = password::hash(DEMO_PASSWORD).unwrap();
    repo::create(
        &app.db,
        &repo::NewUser {
            email: &Email::parse(&email).unwrap(),
            display_name: &format!("Nachbar {n}"),
            password_hash: &hash,
            verified: true,
            is_instance_admin: false,
        },
    )
    .await
    .unwrap()
    .expect("new account");
    app.login_cookie(&email).await
}

async fn a_network_cannot_flood_a_consultation_with_comments(app: &TestApp) {
    // Three accounts on one network, each within its own limit: 60 comments in all.
    for n in 0..3 {
        let cookie = resident(app, n).await;
        for i in 0..20 {
            let res = app
                .post_comment_as(
                    Some(&cookie),
                    "application/json",
                    "musterstadt",
                    "verkehrsberuhigung-altstadt",
                    "",
                    &format!("Beitrag {n}/{i}"),
                )
                .await;
            assert_eq!(res.status, 200, "comment {n}/{i}: {}", res.body);
        }
    }
    let fourth = resident(app, 3).await;
    let res = app
        .post_comment_as(
            Some(&fourth),
            "application/json",
            "musterstadt",
            "verkehrsberuhigung-altstadt",
            "",
            "einer zu viel",
        )
        .await;
    assert_eq!(res.status, 429, "{}", res.body);
}

async fn limit_keys_are_hashes_and_no_ip_is_stored(app: &TestApp) {
    app.login("anna@example.org", "falsch-falsch-falsch").await;
    app.post_comment_js("musterstadt", "verkehrsberuhigung-altstadt", "", "Hallo")
        .await;
    let keys: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>(
            "SELECT key FROM rate_counters UNION ALL SELECT key FROM login_failures",
        )
        .fetch_all(pool)
        .await
    })
    .unwrap();
    assert!(keys.len() >= 3, "{keys:?}");
    assert!(
        keys.iter()
            .all(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit())),
        "{keys:?}"
    );
    let everything: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>(
            "SELECT key FROM rate_counters UNION ALL SELECT salt FROM daily_salts UNION ALL SELECT payload FROM form_flashes",
        )
        .fetch_all(pool)
        .await
    })
    .unwrap();
    assert!(
        !everything.iter().any(|v| v.contains("127.0.0")),
        "an IP address was stored"
    );
}
