//! Statements of reasons and appeals: the author of a contribution a moderator hid sees why and
//! may appeal once; the moderator who hid it may not decide, another moderator of the
//! organisation does; upheld publishes it again; the author is told by e-mail and on the page;
//! every decision is in the audit log. SQLite and PostgreSQL.

use crate::common;
use crate::reports::{comment, hide_as_moderator, scalar, status_of, user_id, HTML, JSON};

use common::{TestApp, ALTSTADT};

on_both_backends!(
    an_author_appeals_once_and_another_moderator_upholds_it,
    a_rejected_appeal_keeps_it_hidden_and_blocks_do_not_stop_appeals,
    organisation_admins_decide_appeals_and_other_organisations_cannot,
);

const SLUG: &str = "verkehrsberuhigung-altstadt";

async fn appeal(app: &TestApp, accept: &str, cookie: &str, id: i64, body: &str) -> common::Page {
    let id = id.to_string();
    app.post_form(
        "/api/appeal_comment",
        accept,
        Some(cookie),
        &[
            ("org", "musterstadt"),
            ("slug", SLUG),
            ("comment_id", &id),
            ("body", body),
            ("return_to", ALTSTADT),
        ],
    )
    .await
}

async fn decide(
    app: &TestApp,
    accept: &str,
    cookie: Option<&str>,
    appeal_id: i64,
    outcome: &str,
    note: &str,
) -> common::Page {
    let id = appeal_id.to_string();
    app.post_form(
        "/api/decide_appeal",
        accept,
        cookie,
        &[("appeal_id", &id), ("outcome", outcome), ("note", note)],
    )
    .await
}

/// Musterstadt's initiator takes on `role` too; returns their two-factor session.
async fn initiator_as(app: &TestApp, role: app::account::Role) -> String {
    let id = user_id(app, "redaktion@musterstadt.example").await;
    let org = app::organisation::repo::find_by_slug(&app.db, "musterstadt")
        .await
        .unwrap()
        .unwrap();
    app::account::repo::grant(&app.db, id, org.id, role)
        .await
        .unwrap();
    app.staff_cookie("redaktion@musterstadt.example").await
}

/// A second moderator for musterstadt: the initiator takes on the role.
async fn second_moderator(app: &TestApp) -> String {
    initiator_as(app, app::account::Role::Moderator).await
}

async fn an_author_appeals_once_and_another_moderator_upholds_it(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let text = "Der Bürgermeister sollte selbst einmal Rad fahren";
    let id = comment(app, &anna, SLUG, text).await;
    let hider = user_id(app, "moderation@musterstadt.example").await;
    // Hidden through the moderators' queue (its own tests are in the queue's story).
    let hider_cookie = app.staff_cookie("moderation@musterstadt.example").await;
    let id_text = id.to_string();
    let hidden = app
        .post_form(
            "/api/hide_comments",
            JSON,
            Some(&hider_cookie),
            &[
                ("ids[0]", id_text.as_str()),
                ("reason", "insult"),
                ("note", "Bitte bleiben Sie sachlich."),
            ],
        )
        .await;
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    assert_eq!(
        scalar(app, "SELECT hidden_by FROM comments WHERE id = $1", id).await,
        hider
    );

    // The author sees the statement of reasons and the appeal form; others see nothing.
    let own = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(own.body.contains(text));
    assert!(own
        .body
        .contains("Ausgeblendet: Beleidigung oder Belästigung"));
    assert!(own.body.contains("Bitte bleiben Sie sachlich."));
    assert!(own.body.contains("Widerspruch einlegen"));
    let public = app.get(ALTSTADT).await;
    assert!(!public.body.contains(text));
    assert!(!public.body.contains("Bitte bleiben Sie sachlich."));

    // Only the author may appeal.
    let others = app.participants("fremd", 1).await;
    let res = appeal(
        app,
        JSON,
        &others[0].1,
        id,
        "Das war doch nicht beleidigend.",
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("appeal_not_allowed"));

    // A text too short comes back with the text kept and the reason (without JavaScript).
    let res = appeal(app, HTML, &anna, id, "Nein!").await;
    let page = app.follow(&res, &anna).await;
    assert!(page.body.contains("Zu kurz: mindestens 10 Zeichen"));
    assert!(page.body.contains("Nein!</textarea>"));
    // With JavaScript: filed; a second appeal is refused.
    let why = "Das war Kritik an einer Entscheidung, keine Beleidigung.";
    let res = appeal(app, JSON, &anna, id, why).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let again = appeal(app, JSON, &anna, id, "Und noch einmal: bitte prüfen.").await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("appeal_exists"));
    let own = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(own
        .body
        .contains("Widerspruch eingelegt – noch nicht entschieden."));
    let appeal_id = scalar(app, "SELECT id FROM appeals WHERE comment_id = $1", id).await;

    // Residents and other organisations' moderators reach none of it.
    for cookie in [
        None,
        Some(anna.clone()),
        Some(app.staff_cookie("moderation@kreis-beispiel.example").await),
    ] {
        let res = decide(app, JSON, cookie.as_deref(), appeal_id, "upheld", "").await;
        assert!(
            [401, 403].contains(&res.status),
            "{}: {}",
            res.status,
            res.body
        );
        let list = app
            .post_form("/api/list_appeals", JSON, cookie.as_deref(), &[])
            .await;
        assert!(!list.body.contains(why), "{}", list.body);
    }

    // The moderator who hid it sees the appeal but may not decide it.
    let page = app
        .get_with_cookie("/moderation/appeals", &hider_cookie)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(why));
    assert!(page
        .body
        .contains("Sie haben diesen Beitrag selbst ausgeblendet"));
    let res = decide(app, JSON, Some(&hider_cookie), appeal_id, "upheld", "").await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("same_moderator"));
    assert_eq!(status_of(app, id).await, "hidden");
    // The database refuses it as well, whatever the application does.
    let direct = app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE appeals SET decided_by = $1, decided_at = 1, outcome = 'upheld' WHERE id = $2"
    )
    .bind(hider)
    .bind(appeal_id)
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(direct.is_err());

    // Another moderator decides, without JavaScript: upheld.
    let other = second_moderator(app).await;
    let page = app.get_with_cookie("/moderation/appeals", &other).await;
    assert!(page.body.contains(why));
    assert!(page.body.contains("Stattgeben"));
    let res = decide(app, JSON, Some(&other), appeal_id, "maybe", "").await;
    assert_eq!(res.status, 422, "{}", res.body);
    let res = decide(
        app,
        HTML,
        Some(&other),
        appeal_id,
        "upheld",
        "Sachliche Kritik.",
    )
    .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let page = app.follow(&res, &other).await;
    assert!(page.body.contains("Die Entscheidung ist gespeichert"));
    assert!(!page.body.contains(why), "no longer open");
    assert_eq!(status_of(app, id).await, "published");
    assert!(app.get(ALTSTADT).await.body.contains(text));
    let res = decide(app, JSON, Some(&other), appeal_id, "rejected", "").await;
    assert_eq!(res.status, 409, "decided once");

    // The author is told, by e-mail and on the page.
    let mails = app.mails_to("anna@example.org");
    let mail = mails.last().expect("a mail to the author");
    assert!(mail.decoded.contains("stattgegeben"), "{}", mail.decoded);
    assert!(mail.decoded.contains("Sachliche Kritik."));
    assert!(mail.decoded.contains(&format!("/comments/{id}")));
    let own = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(own.body.contains(text));
    assert!(!own.body.contains("Ausgeblendet: Beleidigung"));

    // The decision is in the audit log, with who made it.
    let redaktion = user_id(app, "redaktion@musterstadt.example").await;
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'appeal_decided' AND object_id = $1 \
             AND reason LIKE 'upheld%'",
            id
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            app,
            "SELECT actor_user_id FROM audit_log WHERE action = 'appeal_decided' AND object_id = $1",
            id
        )
        .await,
        redaktion
    );
}

async fn a_rejected_appeal_keeps_it_hidden_and_blocks_do_not_stop_appeals(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let text = "Meine Telefonnummer ist 0123 456789";
    let id = comment(app, &anna, SLUG, text).await;
    let reply_people = app.participants("antwort", 1).await;
    let reply = app
        .post_comment_as(
            Some(&reply_people[0].1),
            JSON,
            "musterstadt",
            SLUG,
            &id.to_string(),
            "Eine Antwort darauf",
        )
        .await;
    assert_eq!(reply.status, 200);
    let hider = user_id(app, "moderation@musterstadt.example").await;
    hide_as_moderator(app, id, hider, "personal_data", "").await;
    // With a reply, others see a neutral placeholder so the thread stays readable.
    let public = app.get(ALTSTADT).await;
    assert!(!public.body.contains(text));
    assert!(public
        .body
        .contains("Dieser Beitrag wurde von der Moderation ausgeblendet."));
    assert!(public.body.contains("Eine Antwort darauf"));

    // Blocked in the organisation, Anna may still appeal.
    let anna_id = user_id(app, "anna@example.org").await;
    app::on_db!(&app.db, |pool| sqlx::query(
        "INSERT INTO organisation_blocks (organisation_id, user_id, blocked_until, reason, created_at) \
         SELECT id, $1, $2, 'personal_data', $3 FROM organisations WHERE slug = 'musterstadt'"
    )
    .bind(anna_id)
    .bind(app::db::now() + 86_400)
    .bind(app::db::now())
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let res = appeal(
        app,
        JSON,
        &anna,
        id,
        "Das ist die Nummer des Vereins, nicht meine.",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let appeal_id = scalar(app, "SELECT id FROM appeals WHERE comment_id = $1", id).await;

    let other = second_moderator(app).await;
    let res = decide(
        app,
        JSON,
        Some(&other),
        appeal_id,
        "rejected",
        "Telefonnummern bitte nie.",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(status_of(app, id).await, "hidden");
    let own = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(own.body.contains("Ihr Widerspruch wurde abgelehnt"));
    assert!(own.body.contains("Telefonnummern bitte nie."));
    assert!(!own.body.contains("Widerspruch einlegen"), "once only");
    let mail = app.mails_to("anna@example.org").pop().expect("mail");
    assert!(mail.decoded.contains("abgelehnt"));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'appeal_decided' AND object_id = $1 \
             AND reason LIKE 'rejected%'",
            id
        )
        .await,
        1
    );
    // A contribution hidden by the report threshold is reviewed, not appealed.
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE organisation_blocks SET blocked_until = 0 WHERE user_id = $1"
    )
    .bind(anna_id)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let second = comment(app, &anna, SLUG, "Ein zweiter Beitrag").await;
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE comments SET status = 'hidden', hidden_reason = 'reported' WHERE id = $1"
    )
    .bind(second)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let res = appeal(
        app,
        JSON,
        &anna,
        second,
        "Bitte prüfen Sie das noch einmal.",
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("appeal_not_allowed"));
}

/// Organisation admins moderate their organisation, appeals included; the staff of another
/// organisation neither see nor decide them.
async fn organisation_admins_decide_appeals_and_other_organisations_cannot(app: &TestApp) {
    let people = app.participants("widerspruch", 1).await;
    let text = "Ein Beitrag, der zu Unrecht ausgeblendet wurde";
    let id = comment(app, &people[0].1, SLUG, text).await;
    let hider = user_id(app, "moderation@musterstadt.example").await;
    hide_as_moderator(app, id, hider, "off_topic", "").await;
    let res = appeal(
        app,
        JSON,
        &people[0].1,
        id,
        "Der Beitrag betrifft genau diese Straße.",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let appeal_id = scalar(app, "SELECT id FROM appeals WHERE comment_id = $1", id).await;

    // Kreis Beispiel's moderator: not theirs to see or decide.
    let kreis = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let list = app.get_with_cookie("/moderation/appeals", &kreis).await;
    assert_eq!(list.status, 200);
    assert!(!list
        .body
        .contains("Der Beitrag betrifft genau diese Straße."));
    let res = decide(app, JSON, Some(&kreis), appeal_id, "upheld", "").await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(status_of(app, id).await, "hidden");

    // Musterstadt's initiator made organisation admin (not moderator) decides it.
    let cookie = initiator_as(app, app::account::Role::OrgAdmin).await;
    let list = app.get_with_cookie("/moderation/appeals", &cookie).await;
    assert_eq!(list.status, 200);
    let item = format!("<li id=\"appeal-{appeal_id}\"");
    assert_eq!(list.body.matches(&item).count(), 1, "listed once");
    let res = decide(app, JSON, Some(&cookie), appeal_id, "upheld", "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(status_of(app, id).await, "published");
}
