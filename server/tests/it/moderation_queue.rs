//! The moderators' queue at `/moderation` and its decisions: only moderators of the comment's own
//! organisation reach them (residents and other organisations' moderators are refused, forged ids
//! included); pre-moderated contributions wait in the queue, invisible to others until approved;
//! hiding tells the author why; redaction keeps the original; blocks stop posting; bulk approval;
//! one audit entry per decision; moderator alerts once per news. SQLite and PostgreSQL.

use crate::common;
use crate::reports::{comment, scalar, status_of, user_id, HTML, JSON};

use common::{TestApp, ALTSTADT};

on_both_backends!(
    residents_and_other_organisations_moderators_are_refused,
    pre_moderated_items_wait_in_the_queue_until_approved,
    hide_redact_and_block_from_the_queue,
    moderator_alerts_go_out_once_per_news,
);

const SLUG: &str = "verkehrsberuhigung-altstadt";
const KREIS: &str = "/kreis-beispiel/nahverkehrsplan";
const KREIS_MOD: &str = "moderation@kreis-beispiel.example";
const MUSTER_MOD: &str = "moderation@musterstadt.example";

/// A contribution to the (pre-moderated) Nahverkehrsplan; its id.
async fn pending(app: &TestApp, cookie: &str, parent: &str, text: &str) -> i64 {
    let res = app
        .post_comment_as(
            Some(cookie),
            JSON,
            "kreis-beispiel",
            "nahverkehrsplan",
            parent,
            text,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("Pending"), "{}", res.body);
    last_comment_id(app).await
}

async fn last_comment_id(app: &TestApp) -> i64 {
    scalar(app, "SELECT MAX(id) FROM comments WHERE id > $1", 0).await
}

async fn decide(
    app: &TestApp,
    accept: &str,
    cookie: Option<&str>,
    path: &str,
    form: &[(&str, &str)],
) -> common::Page {
    app.post_form(path, accept, cookie, form).await
}

async fn audit_count(app: &TestApp, actor: i64) -> i64 {
    scalar(
        app,
        "SELECT COUNT(*) FROM audit_log WHERE actor_user_id = $1 AND action IN \
         ('comment_approved', 'comment_hidden', 'comment_redacted', 'author_blocked')",
        actor,
    )
    .await
}

async fn thread_api(app: &TestApp, cookie: Option<&str>, id: i64) -> common::Page {
    let id = id.to_string();
    app.post_form(
        "/api/comment_thread",
        JSON,
        cookie,
        &[
            ("org", "kreis-beispiel"),
            ("slug", "nahverkehrsplan"),
            ("id", &id),
        ],
    )
    .await
}

async fn residents_and_other_organisations_moderators_are_refused(app: &TestApp) {
    let people = app.participants("autor", 1).await;
    let text = "Ein gemeldeter Beitrag aus Musterstadt zur Altstadt";
    let id = comment(app, &people[0].1, SLUG, text).await;
    // A report puts it into musterstadt's queue.
    let reporter = app.participants("melder", 1).await;
    let res = crate::reports::report(app, JSON, &reporter[0].1, SLUG, id, "spam", "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let muster = app.staff_cookie(MUSTER_MOD).await;
    let page = app.get_with_cookie("/moderation", &muster).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(text));

    let anna = app.resident_cookie().await;
    let kreis = app.staff_cookie(KREIS_MOD).await;
    // The page: residents refused, the other organisation's moderator sees none of it.
    let res = app.get_with_cookie("/moderation", &anna).await;
    assert_eq!(res.status, 403);
    assert!(!res.body.contains(text));
    let res = app.get("/moderation").await;
    assert!(res.status == 401 || res.status == 403, "{}", res.status);
    let res = app.get_with_cookie("/moderation", &kreis).await;
    assert_eq!(res.status, 200);
    assert!(!res.body.contains(text));
    let res = app
        .get_with_cookie("/moderation?org=musterstadt", &kreis)
        .await;
    assert!(!res.body.contains(text));

    // Every decision, with a forged id of musterstadt's comment, for all three.
    let own_kreis = scalar(
        app,
        "SELECT c.id FROM comments c JOIN consultations k ON k.id = c.consultation_id \
         WHERE k.slug = 'nahverkehrsplan' AND c.status = 'pending' AND c.id > $1 LIMIT 1",
        0,
    )
    .await;
    let id_s = id.to_string();
    let own_s = own_kreis.to_string();
    for cookie in [None, Some(anna.as_str()), Some(kreis.as_str())] {
        for (path, form) in [
            ("/api/approve_comments", vec![("ids[0]", id_s.as_str())]),
            (
                "/api/approve_comments",
                vec![("ids[0]", own_s.as_str()), ("ids[1]", id_s.as_str())],
            ),
            (
                "/api/hide_comments",
                vec![("ids[0]", id_s.as_str()), ("reason", "spam")],
            ),
            (
                "/api/redact_comment",
                vec![("id", id_s.as_str()), ("body", "überschrieben")],
            ),
            (
                "/api/block_author",
                vec![
                    ("id", id_s.as_str()),
                    ("days", "7"),
                    ("reason", "spam"),
                    ("also_hide", "on"),
                ],
            ),
        ] {
            let res = decide(app, JSON, cookie, path, &form).await;
            assert!(
                res.status == 401 || res.status == 403,
                "{path} {cookie:?}: {} {}",
                res.status,
                res.body
            );
        }
    }
    assert_eq!(status_of(app, own_kreis).await, "pending");
    assert_eq!(status_of(app, id).await, "published");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_redactions WHERE comment_id = $1",
            id
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM organisation_blocks WHERE user_id = $1",
            people[0].0
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE object_id = $1",
            id
        )
        .await,
        0
    );
}

async fn pre_moderated_items_wait_in_the_queue_until_approved(app: &TestApp) {
    let kreis = app.staff_cookie(KREIS_MOD).await;
    let moderator = user_id(app, KREIS_MOD).await;
    let people = app.participants("nahverkehr", 7).await;
    let parent_text = "Mehr Busse am Wochenende nach Beispielhausen";
    let parent = pending(app, &people[0].1, "", parent_text).await;

    // In the queue, not for anybody else.
    let queue = app
        .get_with_cookie("/moderation?consultation=nahverkehrsplan", &kreis)
        .await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains(parent_text));
    assert!(queue.body.contains("Wartet auf Freigabe"));
    for cookie in [None, Some(people[1].1.as_str())] {
        let page = match cookie {
            Some(c) => app.get_with_cookie(KREIS, c).await,
            None => app.get(KREIS).await,
        };
        assert!(!page.body.contains(parent_text));
        let api = thread_api(app, cookie, parent).await;
        assert_eq!(api.status, 404, "{}", api.body);
    }

    // Approved with JavaScript: visible to all.
    let res = decide(
        app,
        JSON,
        Some(&kreis),
        "/api/approve_comments",
        &[("ids[0]", &parent.to_string())],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(status_of(app, parent).await, "published");
    assert!(app.get(KREIS).await.body.contains(parent_text));
    assert_eq!(thread_api(app, None, parent).await.status, 200);

    // A pending reply notifies the parent's author (who asked for reply mails) only on approval.
    app::on_db!(&app.db, |pool| sqlx::query(
        "INSERT INTO notification_settings (user_id, replies, lang, updated_at) VALUES ($1, 'immediate', 'de', 0)"
    )
    .bind(people[0].0)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let before = app.mails_to("nahverkehr0@example.org").len();
    let reply = pending(
        app,
        &people[1].1,
        &parent.to_string(),
        "Unbedingt, auch sonntags am Abend",
    )
    .await;
    assert_eq!(app.mails_to("nahverkehr0@example.org").len(), before);

    // Bulk approval of five (and the reply) without JavaScript.
    let mut ids = vec![reply];
    for (i, p) in people[2..7].iter().enumerate() {
        ids.push(
            pending(
                app,
                &p.1,
                "",
                &format!("Sammelvorschlag Nummer {i} für die Linie"),
            )
            .await,
        );
    }
    let names: Vec<String> = (0..ids.len()).map(|i| format!("ids[{i}]")).collect();
    let values: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let mut form: Vec<(&str, &str)> = names
        .iter()
        .zip(&values)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    form.push(("back", "?consultation=nahverkehrsplan"));
    let res = decide(app, HTML, Some(&kreis), "/api/approve_comments", &form).await;
    assert!(
        res.status == 302 || res.status == 303,
        "{} {}",
        res.status,
        res.body
    );
    assert!(res
        .header("location")
        .starts_with("/moderation?consultation=nahverkehrsplan"));
    let page = app.follow(&res, &kreis).await;
    assert!(
        page.body.contains("6 Beiträge freigegeben"),
        "{}",
        page.body
    );
    for id in &ids {
        assert_eq!(status_of(app, *id).await, "published");
    }
    assert!(app.mails_to("nahverkehr0@example.org").len() > before);
    assert_eq!(audit_count(app, moderator).await, 7);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE actor_user_id = $1 AND subject_user_id IS NOT NULL \
             AND action = 'comment_approved'",
            moderator
        )
        .await,
        7
    );
}

async fn hide_redact_and_block_from_the_queue(app: &TestApp) {
    let muster = app.staff_cookie(MUSTER_MOD).await;
    let moderator = user_id(app, MUSTER_MOD).await;
    let people = app.participants("laut", 1).await;
    let (author, cookie) = (people[0].0, people[0].1.clone());
    let rude = "Das ist doch alles völliger Unsinn von denen da oben";
    let id = comment(app, &cookie, SLUG, rude).await;

    // Hide without JavaScript: back to the queue with the notice; the author is told why.
    let res = decide(
        app,
        HTML,
        Some(&muster),
        "/api/hide_comments",
        &[
            ("ids[0]", &id.to_string()),
            ("reason", "insult"),
            ("note", "Bitte sachlich bleiben."),
            ("back", "?org=musterstadt"),
        ],
    )
    .await;
    assert!(res.status == 302 || res.status == 303, "{}", res.body);
    let page = app.follow(&res, &muster).await;
    assert!(page.body.contains("1 Beitrag ausgeblendet"));
    assert_eq!(status_of(app, id).await, "hidden");
    assert!(!app.get(ALTSTADT).await.body.contains(rude));
    let mails = app.mails_to("laut0@example.org");
    let mail = mails.last().expect("statement of reasons");
    assert!(mail.decoded.contains("Beleidigung"), "{}", mail.decoded);
    assert!(mail.decoded.contains("Bitte sachlich bleiben."));
    assert!(mail.decoded.contains("Verkehrsberuhigung"));
    assert!(mail.decoded.contains(&format!("{ALTSTADT}/comments/{id}")));
    assert!(mail.decoded.contains("Widerspruch"));

    // Without JavaScript a refused hide comes back open at its item, with the note kept.
    let kreis = app.staff_cookie(KREIS_MOD).await;
    let kept = pending(
        app,
        &cookie,
        "",
        "Noch so ein Beitrag </textarea><b>ohne</b> Grund",
    )
    .await;
    let res = decide(
        app,
        HTML,
        Some(&kreis),
        "/api/hide_comments",
        &[
            ("ids[0]", &kept.to_string()),
            ("reason", ""),
            (
                "note",
                "Ein Hinweis, der nicht verloren geht </textarea><b>",
            ),
            ("back", "?org=kreis-beispiel"),
        ],
    )
    .await;
    assert!(res.status == 302 || res.status == 303, "{}", res.body);
    assert!(
        res.header("location").ends_with(&format!("#item-{kept}")),
        "{}",
        res.header("location")
    );
    let page = app.follow(&res, &kreis).await;
    assert!(page.body.contains("Bitte wählen Sie einen Grund."));
    assert!(
        page.body
            .contains("Ein Hinweis, der nicht verloren geht &lt;/textarea&gt;&lt;b&gt;</textarea>"),
        "the note is kept, encoded: {}",
        page.body
    );
    assert!(page.body.contains(r#"<details open class="queue-hide">"#));
    // The contribution's own text, in the redaction field, stays text too.
    assert!(page
        .body
        .contains("Noch so ein Beitrag &lt;/textarea&gt;&lt;b&gt;ohne&lt;/b&gt; Grund</textarea>"));
    assert!(!page.body.contains("</textarea><b>"));
    assert_eq!(status_of(app, kept).await, "pending");

    // A hide without a reason is refused.
    let res = decide(
        app,
        JSON,
        Some(&muster),
        "/api/hide_comments",
        &[("ids[0]", &id.to_string()), ("reason", "gefällt mir nicht")],
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.body);

    // Redact: the original kept, the public text changed.
    let private = "Ruft mich an unter 0171 2345678, Hauptstraße 5";
    let other = comment(app, &cookie, SLUG, private).await;
    let res = decide(
        app,
        JSON,
        Some(&muster),
        "/api/redact_comment",
        &[
            ("id", &other.to_string()),
            ("body", "Ruft mich an [entfernt]"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let public = app.get(ALTSTADT).await.body;
    assert!(public.contains("Ruft mich an [entfernt]"));
    assert!(!public.contains("0171 2345678"));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_redactions WHERE comment_id = $1 \
             AND original_body LIKE '%0171 2345678%'",
            other
        )
        .await,
        1
    );

    // Block: the author cannot post in musterstadt any more.
    let res = decide(
        app,
        JSON,
        Some(&muster),
        "/api/block_author",
        &[
            ("id", &other.to_string()),
            ("days", "7"),
            ("reason", "insult"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = decide(
        app,
        JSON,
        Some(&muster),
        "/api/block_author",
        &[
            ("id", &other.to_string()),
            ("days", "3"),
            ("reason", "insult"),
        ],
    )
    .await;
    assert_eq!(res.status, 422, "days outside the allow-list: {}", res.body);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM organisation_blocks WHERE user_id = $1",
            author
        )
        .await,
        1
    );
    let res = app
        .post_comment_as(
            Some(&cookie),
            JSON,
            "musterstadt",
            SLUG,
            "",
            "Noch ein Beitrag",
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(status_of(app, other).await, "published");

    // One audit entry per decision: hide, redact, block.
    assert_eq!(audit_count(app, moderator).await, 3);
}

async fn moderator_alerts_go_out_once_per_news(app: &TestApp) {
    let db = &app.db;
    let mailer = &app.state.mailer;
    let base = app.state.settings.base_url.clone();
    let moderator = user_id(app, KREIS_MOD).await;
    // The first run only notes the time: nothing before it (the demo's pending comment) is news.
    app::moderation::alerts::send(db, mailer, &base)
        .await
        .unwrap();
    app::moderation::alerts::send(db, mailer, &base)
        .await
        .unwrap();
    assert_eq!(app.mails_to(KREIS_MOD).len(), 0);
    let people = app.participants("alarm", 1).await;
    pending(
        app,
        &people[0].1,
        "",
        "Ein neuer Beitrag für die Warteschlange",
    )
    .await;
    app::on_db!(db, |pool| sqlx::query(
        "UPDATE moderation_alerts SET last_alert_at = last_alert_at - 10 WHERE user_id = $1"
    )
    .bind(moderator)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    app::moderation::alerts::send(db, mailer, &base)
        .await
        .unwrap();
    let mails = app.mails_to(KREIS_MOD);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].decoded.contains("/moderation"));
    assert!(mails[0].decoded.contains("Landkreis") || mails[0].decoded.contains("Kreis"));
    // Nothing new: nothing sent.
    app::moderation::alerts::send(db, mailer, &base)
        .await
        .unwrap();
    assert_eq!(app.mails_to(KREIS_MOD).len(), 1);
    // Off: nothing, even with news.
    let kreis = app.staff_cookie(KREIS_MOD).await;
    let res = decide(
        app,
        JSON,
        Some(&kreis),
        "/api/set_moderation_alerts",
        &[("mode", "off")],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    pending(
        app,
        &people[0].1,
        "",
        "Noch ein neuer Beitrag für die Liste",
    )
    .await;
    app::moderation::alerts::send(db, mailer, &base)
        .await
        .unwrap();
    assert_eq!(app.mails_to(KREIS_MOD).len(), 1);
}
