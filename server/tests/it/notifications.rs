//! Reply notifications: opt-in (off by default), one mail per reply or a daily digest, in the
//! recipient's language, each mail with a one-click unsubscribe link (RFC 8058) that only a POST
//! with its token uses — on SQLite and PostgreSQL.

use crate::common;

use app::db::Db;
use app::notify::ReplyNotifications;
use common::{TestApp, BASE_URL, DEMO_PASSWORD};

on_both_backends!(
    replies_notify_nobody_who_did_not_opt_in,
    an_immediate_subscriber_gets_one_mail_per_reply_in_her_language,
    a_daily_subscriber_gets_one_digest_with_the_replies_still_visible,
    the_one_click_unsubscribe_needs_its_token_and_no_origin,
    opening_the_unsubscribe_link_changes_nothing_until_confirmed,
    concurrent_digest_runs_send_each_digest_once,
    the_account_page_offers_the_choice_with_and_without_javascript,
    access_code_participants_learn_why_there_is_nothing_to_choose,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";

/// A resident with a confirmed address, signed in: (account id, session cookie).
async fn resident(app: &TestApp, name: &str) -> (i64, String) {
    use app::account::{password, repo, Email};
    let email = Email::parse(&format!("{}@example.org", name.to_lowercase())).unwrap();
    let hash = password::hash(DEMO_PASSWORD).unwrap();
    let id = repo::create(
        &app.db,
        &repo::NewUser {
            email: &email,
            display_name: name,
            password_hash: &hash,
            verified: true,
            is_instance_admin: false,
        },
    )
    .await
    .unwrap()
    .expect("new account");
    (id, app.login_cookie(email.as_str()).await)
}

/// Chooses how the signed-in person hears about replies, as the hydrated account page does, on
/// a page in `lang`.
async fn choose(app: &TestApp, cookie: &str, replies: &str, lang: &str) {
    let res = app
        .post_form(
            &format!("/api/set_reply_notifications?lang={lang}"),
            JSON,
            Some(cookie),
            &[("replies", replies)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}

async fn choice_of(app: &TestApp, user_id: i64) -> ReplyNotifications {
    app::notify::repo::settings(&app.db, user_id)
        .await
        .unwrap()
        .unwrap()
        .0
}

/// Runs one statement with integer parameters.
async fn execute(db: &Db, sql: &str, binds: &[i64]) {
    app::on_db!(db, |pool| {
        let mut query = sqlx::query(sql);
        for b in binds {
            query = query.bind(*b);
        }
        query.execute(pool).await.map(|_| ())
    })
    .unwrap();
}

async fn altstadt_id(db: &Db) -> i64 {
    app::on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT k.id FROM consultations k JOIN organisations o ON o.id = k.organisation_id \
             WHERE o.slug = 'musterstadt' AND k.slug = 'verkehrsberuhigung-altstadt'",
        )
        .fetch_one(pool)
        .await
    })
    .unwrap()
}

/// A published comment on the Altstadt consultation (a reply when `parent` is given), written
/// straight into the database as the comment module would.
async fn comment(app: &TestApp, author: (i64, &str), parent: Option<i64>, body: &str) -> i64 {
    let consultation = altstadt_id(&app.db).await;
    let now = app::db::now();
    app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO comments (consultation_id, parent_id, root_id, author_user_id, author_name, \
             body, status, created_at) VALUES ($1, $2, $2, $3, $4, $5, 'published', $6) RETURNING id",
        )
        .bind(consultation)
        .bind(parent)
        .bind(author.0)
        .bind(author.1)
        .bind(body)
        .bind(now)
        .fetch_one(pool)
        .await
    })
    .unwrap()
}

/// A reply that became visible, and the hook the comment module calls for it.
async fn reply(app: &TestApp, author: (i64, &str), parent: i64, body: &str) -> i64 {
    let id = comment(app, author, Some(parent), body).await;
    app::notify::reply_published(&app.state, id)
        .await
        .expect("notification");
    id
}

async fn digests(app: &TestApp) -> app::notify::DigestRun {
    app::notify::send_digests(&app.db, &app.state.mailer, BASE_URL)
        .await
        .unwrap()
}

/// Whether the radio button `id` is selected in a page.
fn radio_checked(body: &str, id: &str) -> bool {
    let Some(at) = body.find(&format!("id=\"{id}\"")) else {
        return false;
    };
    let start = body[..at].rfind("<input").unwrap_or(at);
    let end = at + body[at..].find('>').unwrap_or(0);
    body[start..end].contains("checked")
}

/// The value of a header in a mail's source (the first line of it).
fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(str::trim)
}

fn unsubscribe_token(mail: &common::Mail) -> String {
    mail.token_for("/notifications/unsubscribe")
        .expect("unsubscribe link in the mail")
}

/// The one-click POST of a mail provider: no Origin, no cookies, the RFC 8058 body.
async fn one_click(app: &TestApp, query: &str) -> common::Page {
    let res = app
        .client
        .post(app.url(&format!("/notifications/unsubscribe{query}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.text().await.unwrap();
    common::Page {
        status,
        headers,
        body,
    }
}

async fn replies_notify_nobody_who_did_not_opt_in(app: &TestApp) {
    let (bertha, _) = resident(app, "Bertha").await;
    let (carl, _) = resident(app, "Carl").await;
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Off);
    let question = comment(app, (bertha, "Bertha"), None, "Wo parken Anwohner?").await;
    reply(app, (carl, "Carl"), question, "Im Parkhaus am Wall.").await;
    assert!(digests(app).await.mails == 0);
    assert!(app.mails_to("bertha@example.org").is_empty());
    assert!(app.mails_to("carl@example.org").is_empty());
}

async fn an_immediate_subscriber_gets_one_mail_per_reply_in_her_language(app: &TestApp) {
    let (bertha, cookie) = resident(app, "Bertha").await;
    let (carl, _) = resident(app, "Carl").await;
    choose(app, &cookie, "immediate", "en").await;
    let question = comment(app, (bertha, "Bertha"), None, "Wo parken Anwohner?").await;
    let answer = reply(
        app,
        (carl, "Carl"),
        question,
        "<b>Im Parkhaus</b> & am Wall, wie im Plan.",
    )
    .await;

    let mails = app.mails_to("bertha@example.org");
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    let token = unsubscribe_token(mail);
    let link = format!("{BASE_URL}/notifications/unsubscribe?token={token}");
    assert_eq!(
        header(&mail.raw, "List-Unsubscribe"),
        Some(format!("<{link}>").as_str()),
        "{}",
        mail.raw
    );
    assert_eq!(
        header(&mail.raw, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(
        header(&mail.raw, "Subject"),
        Some("Carl replied to your comment")
    );
    assert!(mail.raw.contains("multipart/alternative"));
    assert!(mail.raw.contains("text/plain") && mail.raw.contains("text/html"));
    let d = &mail.decoded;
    // Who, where, what (escaped in HTML, plain in text), the permalink, the settings.
    assert!(d.contains("Verkehrsberuhigung in der Altstadt"), "{d}");
    assert!(
        d.contains("<b>Im Parkhaus</b> & am Wall, wie im Plan."),
        "{d}"
    );
    assert!(
        d.contains("&lt;b&gt;Im Parkhaus&lt;/b&gt; &amp; am Wall"),
        "{d}"
    );
    assert!(d.contains(&format!(
        "{BASE_URL}/musterstadt/verkehrsberuhigung-altstadt/comments/{answer}"
    )));
    assert!(d.contains(&format!("{BASE_URL}/account#notifications")));
    assert!(d.contains(&link), "the unsubscribe link is in the body too");
    assert!(d.contains(">Unsubscribe</a>"), "{d}");
    assert!(d.contains("<html lang=\"en\">"));
    // Only a hash of the token is stored.
    let stored: Vec<String> = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, String>("SELECT token_hash FROM unsubscribe_tokens")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    assert_eq!(stored, vec![app::secret::token_hash(&token)]);

    // The hook may run twice (posting, then approval): a reply notifies once.
    app::notify::reply_published(&app.state, answer)
        .await
        .unwrap();
    assert_eq!(app.mails_to("bertha@example.org").len(), 1);
    // Her own reply to her own comment: no mail.
    reply(app, (bertha, "Bertha"), question, "Danke, Carl!").await;
    // Carl did not opt in: Bertha's answer to his reply tells him nothing.
    reply(app, (bertha, "Bertha"), answer, "Gute Idee.").await;
    assert_eq!(app.mails_to("bertha@example.org").len(), 1);
    assert!(app.mails_to("carl@example.org").is_empty());
    // Nothing waits for a digest either.
    assert_eq!(digests(app).await.mails, 0);
}

async fn a_daily_subscriber_gets_one_digest_with_the_replies_still_visible(app: &TestApp) {
    let (bertha, cookie) = resident(app, "Bertha").await;
    let (carl, _) = resident(app, "Carl").await;
    let (dora, _) = resident(app, "Dora").await;
    choose(app, &cookie, "daily", "de").await;
    let question = comment(app, (bertha, "Bertha"), None, "Wo parken Anwohner?").await;
    reply(app, (carl, "Carl"), question, "Im Parkhaus am Wall.").await;
    reply(app, (dora, "Dora"), question, "Auf dem Marktplatz, nachts.").await;
    let hidden = reply(app, (dora, "Dora"), question, "Das wird gleich versteckt.").await;
    let deleted = reply(app, (carl, "Carl"), question, "Das löscht Carl wieder.").await;
    assert!(
        app.mails_to("bertha@example.org").is_empty(),
        "not before the digest"
    );
    execute(
        &app.db,
        "UPDATE comments SET status = 'hidden' WHERE id = $1",
        &[hidden],
    )
    .await;
    execute(
        &app.db,
        "UPDATE comments SET deleted_at = $1 WHERE id = $2",
        &[app::db::now(), deleted],
    )
    .await;

    // The command an operator (or cron) runs.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mitreden"))
        .args([
            "send-digests",
            "--database-url",
            &app.database_url,
            "--base-url",
            BASE_URL,
            "--data-dir",
        ])
        .arg(&app.state.settings.data_dir)
        .env_remove("MITREDEN_MAIL")
        .env_remove("MITREDEN_MAIL_FROM")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 digest(s) sent"));

    let mails = app.mails_to("bertha@example.org");
    assert_eq!(mails.len(), 1, "{mails:?}");
    let d = &mails[0].decoded;
    assert!(
        d.contains("seit der letzten Zusammenfassung gibt es 2 neue Antworten"),
        "{d}"
    );
    assert!(d.contains("Im Parkhaus am Wall.") && d.contains("Auf dem Marktplatz, nachts."));
    assert!(
        d.contains("Carl in „Verkehrsberuhigung in der Altstadt“"),
        "{d}"
    );
    assert!(!d.contains("versteckt") && !d.contains("löscht"), "{d}");
    assert_eq!(
        header(&mails[0].raw, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(unsubscribe_token(&mails[0]).len() == 64);

    // Once a day: a second run, and a new reply today, wait for tomorrow.
    assert_eq!(digests(app).await, app::notify::DigestRun::default());
    reply(app, (carl, "Carl"), question, "Noch eine Idee.").await;
    assert_eq!(digests(app).await.mails, 0);
    assert_eq!(app.mails_to("bertha@example.org").len(), 1);
    // A day later it goes out.
    execute(
        &app.db,
        "UPDATE notification_settings SET last_digest_at = last_digest_at - 86400",
        &[],
    )
    .await;
    assert_eq!(digests(app).await.mails, 1);
    let mails = app.mails_to("bertha@example.org");
    assert_eq!(mails.len(), 2);
    assert!(mails[1].decoded.contains("Noch eine Idee."));
    assert!(!mails[1].decoded.contains("Im Parkhaus"));
}

async fn the_one_click_unsubscribe_needs_its_token_and_no_origin(app: &TestApp) {
    let (bertha, cookie) = resident(app, "Bertha").await;
    let (carl, _) = resident(app, "Carl").await;
    choose(app, &cookie, "immediate", "de").await;
    let question = comment(app, (bertha, "Bertha"), None, "Wo parken Anwohner?").await;
    reply(app, (carl, "Carl"), question, "Im Parkhaus am Wall.").await;
    let token = unsubscribe_token(&app.mails_to("bertha@example.org")[0]);

    // Without a token, with a wrong one, with one of the wrong shape: nothing changes.
    for query in [
        String::new(),
        "?token=".to_string(),
        format!("?token={}", app::secret::random_token()),
        "?token=xyz".to_string(),
    ] {
        let res = one_click(app, &query).await;
        assert_eq!(res.status, 404, "{query}: {}", res.body);
        assert!(
            res.body.contains("Abmeldelink ist unbekannt"),
            "{}",
            res.body
        );
        assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Immediate);
    }
    // The confirm button's server function keeps the Origin check.
    let forged = app
        .client
        .post(app.url("/api/unsubscribe_reply_notifications"))
        .header("origin", "https://evil.example")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Immediate);

    let res = one_click(app, &format!("?token={token}")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("keine E-Mails mehr"), "{}", res.body);
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Off);
    // A second click says the same and changes nothing more.
    assert_eq!(one_click(app, &format!("?token={token}")).await.status, 200);

    reply(app, (carl, "Carl"), question, "Hallo?").await;
    assert_eq!(app.mails_to("bertha@example.org").len(), 1);
    // The link signs nobody in.
    assert!(res.cookie("mitreden_session").is_none());
}

async fn opening_the_unsubscribe_link_changes_nothing_until_confirmed(app: &TestApp) {
    let (bertha, cookie) = resident(app, "Bertha").await;
    let (carl, _) = resident(app, "Carl").await;
    choose(app, &cookie, "daily", "de").await;
    let question = comment(app, (bertha, "Bertha"), None, "Wo parken Anwohner?").await;
    reply(app, (carl, "Carl"), question, "Im Parkhaus am Wall.").await;
    assert_eq!(digests(app).await.mails, 1);
    let token = unsubscribe_token(&app.mails_to("bertha@example.org")[0]);
    let path = format!("/notifications/unsubscribe?token={token}");

    // A mail scanner (or the person) opens the link: a page with a button, nothing changed.
    let page = app.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("id=\"unsubscribe-form\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Benachrichtigungen abschalten"));
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Daily);
    // An unknown link: a 404 that says what is wrong, and no button.
    let unknown = app
        .get(&format!(
            "/notifications/unsubscribe?token={}&lang=en",
            app::secret::random_token()
        ))
        .await;
    assert_eq!(unknown.status, 404);
    assert!(unknown
        .body
        .contains("This unsubscribe link is unknown or has expired"));
    assert!(!unknown.body.contains("id=\"unsubscribe-form\""));

    // The button without JavaScript: Post/Redirect/Get, then the page says it is done.
    let res = app
        .post_form(
            "/api/unsubscribe_reply_notifications",
            HTML,
            None,
            &[("token", &token)],
        )
        .await;
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Off);
    let done = app.follow(&res, "").await;
    assert!(
        done.body
            .contains("Erledigt: Sie bekommen keine E-Mails mehr"),
        "{}",
        done.body
    );
    // With JavaScript, a wrong token gets the 404 answer.
    let wrong = app
        .post_form(
            "/api/unsubscribe_reply_notifications",
            JSON,
            None,
            &[("token", "0123")],
        )
        .await;
    assert_eq!(wrong.status, 404, "{}", wrong.body);
}

async fn concurrent_digest_runs_send_each_digest_once(app: &TestApp) {
    let (carl, _) = resident(app, "Carl").await;
    let mut recipients = Vec::new();
    for name in ["Bertha", "Dora", "Emil"] {
        let (id, cookie) = resident(app, name).await;
        choose(app, &cookie, "daily", "de").await;
        let question = comment(app, (id, name), None, "Meine Frage").await;
        reply(app, (carl, "Carl"), question, "Carls Antwort").await;
        reply(app, (carl, "Carl"), question, "Carls zweite Antwort").await;
        recipients.push(format!("{}@example.org", name.to_lowercase()));
    }
    // Four instances at once (as several app servers sharing one database would).
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (db, mailer) = (app.db.clone(), app.state.mailer.clone());
            tokio::spawn(async move {
                app::notify::send_digests(&db, &mailer, BASE_URL)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut runs = Vec::new();
    for handle in handles {
        runs.push(handle.await.unwrap());
    }
    assert_eq!(runs.iter().map(|r| r.mails).sum::<usize>(), 3, "{runs:?}");
    for to in &recipients {
        let mails = app.mails_to(to);
        assert_eq!(mails.len(), 1, "{to}: {mails:?}");
        assert!(mails[0].decoded.contains("Carls zweite Antwort"));
    }
    assert_eq!(digests(app).await.mails, 0);
}

async fn the_account_page_offers_the_choice_with_and_without_javascript(app: &TestApp) {
    let (bertha, cookie) = resident(app, "Bertha").await;
    let page = app.get_with_cookie("/account", &cookie).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"notifications-form\""),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("<legend>E-Mail bei Antworten auf meine Beiträge</legend>"));
    assert!(radio_checked(&page.body, "notify-off"), "off by default");
    assert!(!radio_checked(&page.body, "notify-daily"));

    // Without JavaScript: a plain form post, a redirect, a notice and the new choice.
    let res = app
        .post_form(
            "/api/set_reply_notifications",
            HTML,
            Some(&cookie),
            &[("replies", "daily")],
        )
        .await;
    assert!([302, 303].contains(&res.status), "{}", res.body);
    assert_eq!(res.header("location"), "/account#notifications");
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Daily);
    let after = app.follow(&res, &cookie).await;
    assert!(
        after.body.contains("Ihre Einstellung ist gespeichert."),
        "{}",
        after.body
    );
    assert!(radio_checked(&after.body, "notify-daily"));
    assert!(!radio_checked(&after.body, "notify-off"));

    // Nonsense, signed out, or from another site: refused, nothing changed.
    let bad = app
        .post_form(
            "/api/set_reply_notifications",
            JSON,
            Some(&cookie),
            &[("replies", "hourly")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let anonymous = app
        .post_form(
            "/api/set_reply_notifications",
            JSON,
            None,
            &[("replies", "off")],
        )
        .await;
    assert_eq!(anonymous.status, 401);
    let forged = app
        .client
        .post(app.url("/api/set_reply_notifications"))
        .header("origin", "https://evil.example")
        .header("cookie", &cookie)
        .form(&[("replies", "off")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(choice_of(app, bertha).await, ReplyNotifications::Daily);

    // The data export says what is stored; deleting the account forgets it.
    let data = app.get_with_cookie("/api/my_data", &cookie).await;
    let json: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(json["notifications"]["replies"], "daily");
    let gone = app
        .post_form(
            "/api/delete_account",
            JSON,
            Some(&cookie),
            &[("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    let left: i64 = app::on_db!(&app.db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM notification_settings WHERE user_id = $1",
        )
        .bind(bertha)
        .fetch_one(pool)
        .await
    })
    .unwrap();
    assert_eq!(left, 0);
}

async fn access_code_participants_learn_why_there_is_nothing_to_choose(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let res = app
        .post_form(
            "/api/create_access_codes",
            JSON,
            Some(&initiator),
            &[
                ("org", "musterstadt"),
                ("slug", "spielstrasse-lindenweg"),
                ("count", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let codes: Vec<String> = serde_json::from_str(&res.body).unwrap();
    let res = app
        .post_form(
            "/api/redeem_access_code",
            JSON,
            None,
            &[
                ("org", "musterstadt"),
                ("slug", "spielstrasse-lindenweg"),
                ("code", &codes[0]),
                ("display_name", "Haushalt Nr 9"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let cookie = res.cookie("mitreden_session").unwrap();
    let page = app.get_with_cookie("/account", &cookie).await;
    assert!(
        page.body
            .contains("Sie nehmen mit einem Zugangscode teil, ohne E-Mail-Adresse"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"notifications-form\""));
    let refused = app
        .post_form(
            "/api/set_reply_notifications",
            JSON,
            Some(&cookie),
            &[("replies", "immediate")],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
}
