//! The audit log: every staff action leaves exactly one entry (who, what, on what, where, why),
//! staff of the organisation read and filter it at `/manage/{org}/audit`, everyone else is
//! refused, and the database refuses to change or delete an entry — on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, PNG};

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";
const REFUSED: &str = "Dafür fehlt Ihnen die Berechtigung.";

/// One stored entry, as the database has it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
struct Stored {
    id: i64,
    organisation_id: Option<i64>,
    consultation_id: Option<i64>,
    actor_user_id: Option<i64>,
    actor_name: String,
    action: String,
    object_type: String,
    object_id: Option<i64>,
    object_label: String,
    subject_user_id: Option<i64>,
    reason: String,
}

async fn entries(app: &TestApp) -> Vec<Stored> {
    app::on_db!(&app.db, |pool| sqlx::query_as::<_, Stored>(
        "SELECT id, organisation_id, consultation_id, actor_user_id, actor_name, action, \
         object_type, object_id, object_label, subject_user_id, reason FROM audit_log ORDER BY id"
    )
    .fetch_all(pool)
    .await)
    .unwrap()
}

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(bind)
        .fetch_one(pool)
        .await)
    .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    scalar(app, "SELECT id FROM users WHERE email = $1", email).await
}

async fn org_id(app: &TestApp, slug: &str) -> i64 {
    scalar(app, "SELECT id FROM organisations WHERE slug = $1", slug).await
}

async fn consultation_id(app: &TestApp, slug: &str) -> i64 {
    scalar(app, "SELECT id FROM consultations WHERE slug = $1", slug).await
}

/// Runs one staff action (which must succeed) and answers the one entry it left.
async fn only_entry_of(
    app: &TestApp,
    action: impl std::future::Future<Output = common::Page>,
) -> Stored {
    let before = entries(app).await;
    let res = action.await;
    assert!(
        [200, 302, 303].contains(&res.status),
        "{}: {}",
        res.status,
        res.body
    );
    let after = entries(app).await;
    assert_eq!(
        after.len(),
        before.len() + 1,
        "new entries: {:?}",
        &after[before.len()..]
    );
    after.last().unwrap().clone()
}

fn editor_form<'a>(layers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    common::consultation_form(&[
        &[
            ("slug", "protokoll-test"),
            ("title", "Protokoll-Test"),
            ("summary", "Worum es geht"),
        ],
        layers,
    ])
}

async fn every_staff_action_leaves_exactly_one_entry(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let admin = app.staff_cookie("admin@example.org").await;
    let initiator_id = user_id(app, "redaktion@musterstadt.example").await;
    let admin_id = user_id(app, "admin@example.org").await;
    let anna_id = user_id(app, "anna@example.org").await;
    let musterstadt = org_id(app, "musterstadt").await;
    let by_initiator = |e: &Stored| {
        assert_eq!(e.actor_user_id, Some(initiator_id), "{e:?}");
        assert_eq!(e.actor_name, "Redaktion Musterstadt");
        assert_eq!(e.organisation_id, Some(musterstadt), "{e:?}");
    };

    // The consultation editor: created, then saved.
    let form = editor_form(&[]);
    let e = only_entry_of(
        app,
        app.post_form("/api/save_consultation", JSON, Some(&initiator), &form),
    )
    .await;
    let c = consultation_id(app, "protokoll-test").await;
    by_initiator(&e);
    assert_eq!(
        (
            e.action.as_str(),
            e.object_type.as_str(),
            e.object_id,
            e.object_label.as_str()
        ),
        (
            "consultation_created",
            "consultation",
            Some(c),
            "Protokoll-Test"
        )
    );
    assert_eq!(e.consultation_id, Some(c));
    let form = editor_form(&[
        ("original", "protokoll-test"),
        ("title", "Protokoll-Test 2"),
    ]);
    let e = only_entry_of(
        app,
        app.post_form("/api/save_consultation", JSON, Some(&initiator), &form),
    )
    .await;
    by_initiator(&e);
    assert_eq!(
        (e.action.as_str(), e.object_id, e.object_label.as_str()),
        ("consultation_saved", Some(c), "Protokoll-Test 2")
    );

    // Its participation rule, access codes, files and questions.
    let base = [("org", "musterstadt"), ("slug", "protokoll-test")];
    let rule = [&base[..], &[("rule", "code")]].concat();
    let e = only_entry_of(
        app,
        app.post_form("/api/set_participation_rule", JSON, Some(&initiator), &rule),
    )
    .await;
    by_initiator(&e);
    assert_eq!(
        (e.action.as_str(), e.reason.as_str()),
        ("consultation_saved", "participation: code")
    );
    let codes = [&base[..], &[("count", "3")]].concat();
    let e = only_entry_of(
        app,
        app.post_form("/api/create_access_codes", JSON, Some(&initiator), &codes),
    )
    .await;
    by_initiator(&e);
    assert_eq!(
        (e.action.as_str(), e.consultation_id, e.reason.as_str()),
        ("access_codes_created", Some(c), "3")
    );
    let upload = [&base[..], &[("purpose", "attachment"), ("alt", "")]].concat();
    let e = only_entry_of(
        app,
        app.post_multipart(
            "/api/upload_consultation_file",
            Some(&initiator),
            JSON,
            &upload,
            ("file", "lageplan.png", PNG),
        ),
    )
    .await;
    by_initiator(&e);
    assert_eq!(
        (
            e.action.as_str(),
            e.object_type.as_str(),
            e.object_label.as_str(),
            e.consultation_id
        ),
        ("file_added", "file", "lageplan.png", Some(c))
    );
    let file_id = scalar(
        app,
        "SELECT id FROM consultation_files WHERE original_name = $1",
        "lageplan.png",
    )
    .await
    .to_string();
    let remove = [&base[..], &[("file_id", file_id.as_str())]].concat();
    let e = only_entry_of(
        app,
        app.post_form(
            "/api/remove_consultation_file",
            JSON,
            Some(&initiator),
            &remove,
        ),
    )
    .await;
    by_initiator(&e);
    assert_eq!(
        (e.action.as_str(), e.object_label.as_str(), e.object_id),
        ("file_removed", "lageplan.png", file_id.parse().ok())
    );
    for prompt in ["Erste Frage?", "Zweite Frage?"] {
        let q = [
            &base[..],
            &[("question_id", ""), ("kind", "yes_no"), ("prompt", prompt)],
        ]
        .concat();
        let e = only_entry_of(
            app,
            app.post_form("/api/save_question", JSON, Some(&initiator), &q),
        )
        .await;
        by_initiator(&e);
        assert_eq!(
            (e.action.as_str(), e.object_type.as_str()),
            ("questionnaire_changed", "questionnaire")
        );
        assert!(e.reason.ends_with("added"), "{e:?}");
    }
    let first = scalar(
        app,
        "SELECT id FROM questionnaire_questions WHERE prompt = $1",
        "Erste Frage?",
    )
    .await
    .to_string();
    let moved = [
        &base[..],
        &[("question_id", first.as_str()), ("direction", "down")],
    ]
    .concat();
    let e = only_entry_of(
        app,
        app.post_form("/api/move_question", JSON, Some(&initiator), &moved),
    )
    .await;
    assert_eq!(e.action, "questionnaire_changed");
    assert_eq!(e.reason, format!("question {first} moved down"));
    let deleted = [&base[..], &[("question_id", first.as_str())]].concat();
    let e = only_entry_of(
        app,
        app.post_form("/api/delete_question", JSON, Some(&initiator), &deleted),
    )
    .await;
    assert_eq!(e.reason, format!("question {first} deleted"));

    // The lifecycle: the new phase is the reason.
    let publish = [&base[..], &[("action", "publish")]].concat();
    let e = only_entry_of(
        app,
        app.post_form("/api/change_phase", JSON, Some(&initiator), &publish),
    )
    .await;
    by_initiator(&e);
    assert_eq!(
        (e.action.as_str(), e.object_id, e.reason.as_str()),
        ("phase_changed", Some(c), "open")
    );

    // Roles: the appointed person is the subject, the role the reason.
    let staff = [
        ("org", "musterstadt"),
        ("email", "anna@example.org"),
        ("role", "moderator"),
    ];
    for (path, action) in [
        ("/api/appoint_staff", "staff_appointed"),
        ("/api/remove_staff", "staff_removed"),
    ] {
        let e = only_entry_of(app, app.post_form(path, JSON, Some(&admin), &staff)).await;
        assert_eq!(
            (e.action.as_str(), e.actor_user_id, e.organisation_id),
            (action, Some(admin_id), Some(musterstadt))
        );
        assert_eq!(
            (
                e.object_type.as_str(),
                e.object_id,
                e.subject_user_id,
                e.reason.as_str()
            ),
            ("account", Some(anna_id), Some(anna_id), "moderator")
        );
    }

    // The organisation: its profile, its logo, a new one.
    let profile = [
        ("org", "musterstadt"),
        ("name", "Stadt Musterstadt"),
        ("description", "Die Stadt am Fluss."),
        ("contact_email", ""),
        ("website", ""),
        ("imprint", ""),
        ("privacy", ""),
    ];
    let e = only_entry_of(
        app,
        app.post_form("/api/update_organisation", JSON, Some(&admin), &profile),
    )
    .await;
    assert_eq!(
        (
            e.action.as_str(),
            e.object_id,
            e.organisation_id,
            e.reason.as_str()
        ),
        (
            "organisation_updated",
            Some(musterstadt),
            Some(musterstadt),
            "profile"
        )
    );
    let e = only_entry_of(
        app,
        app.post_logo(Some(&admin), JSON, "musterstadt", "logo.png", PNG),
    )
    .await;
    assert_eq!(
        (e.action.as_str(), e.reason.as_str()),
        ("organisation_updated", "logo")
    );
    let new_org = [
        ("slug", "neustadt"),
        ("name", "Stadt Neustadt"),
        ("parent", ""),
    ];
    let e = only_entry_of(
        app,
        app.post_form("/api/create_organisation", JSON, Some(&admin), &new_org),
    )
    .await;
    let neustadt = org_id(app, "neustadt").await;
    assert_eq!(
        (
            e.action.as_str(),
            e.organisation_id,
            e.object_id,
            e.object_label.as_str()
        ),
        (
            "organisation_created",
            Some(neustadt),
            Some(neustadt),
            "Stadt Neustadt"
        )
    );
    assert_eq!(e.actor_user_id, Some(admin_id));

    // A refused action leaves nothing.
    let before = entries(app).await.len();
    let res = app
        .post_form("/api/change_phase", JSON, Some(&initiator), &publish)
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    let resident = app.resident_cookie().await;
    let res = app
        .post_form("/api/update_organisation", JSON, Some(&resident), &profile)
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(entries(app).await.len(), before);
}

async fn staff_read_and_filter_the_log(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let admin = app.staff_cookie("admin@example.org").await;
    let anna_id = user_id(app, "anna@example.org").await;
    let form = editor_form(&[]);
    let res = app
        .post_form("/api/save_consultation", JSON, Some(&initiator), &form)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let c = consultation_id(app, "protokoll-test").await;
    let publish = [
        ("org", "musterstadt"),
        ("slug", "protokoll-test"),
        ("action", "publish"),
    ];
    let res = app
        .post_form("/api/change_phase", JSON, Some(&initiator), &publish)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let staff = [
        ("org", "musterstadt"),
        ("email", "anna@example.org"),
        ("role", "moderator"),
    ];
    let res = app
        .post_form("/api/remove_staff", JSON, Some(&admin), &staff)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);

    // The organisation's page links to the log; the log shows every entry, newest first.
    let manage = app.get_with_cookie("/manage/musterstadt", &initiator).await;
    assert!(
        manage.body.contains("href=\"/manage/musterstadt/audit\""),
        "{}",
        manage.body
    );
    let page = app
        .get_with_cookie("/manage/musterstadt/audit", &initiator)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<caption>"), "{}", page.body);
    assert!(page.body.contains("<th scope=\"col\">"));
    let rows = |body: &str| -> Vec<String> {
        body.split("data-action=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    };
    assert_eq!(
        rows(&page.body),
        ["staff_removed", "phase_changed", "consultation_created"]
    );
    assert!(page.body.contains("Phase geändert"));
    // The new phase and the role read in words.
    let de = app::i18n::Texts::get(app::i18n::Lang::De);
    let row = |action: &str| -> String {
        let start = page
            .body
            .find(&format!("data-action=\"{action}\""))
            .unwrap();
        let end = start + page.body[start..].find("</tr>").unwrap();
        page.body[start..end].to_string()
    };
    let phase = row("phase_changed");
    assert!(
        phase.contains(app::consultation::Status::Open.label(de)),
        "{phase}"
    );
    assert!(phase.contains("Protokoll-Test"), "{phase}");
    let removed = row("staff_removed");
    assert!(
        removed.contains(app::account::Role::Moderator.label(de)),
        "{removed}"
    );
    assert!(
        removed.contains("Administration") || removed.contains("Instanz-Admin"),
        "{removed}"
    );
    assert!(page.body.contains("Redaktion Musterstadt"));
    assert!(page.body.contains("href=\"/musterstadt/protokoll-test\""));
    // The filter form offers every action, the consultation and the actors.
    assert!(page.body.contains("<option value=\"phase_changed\""));
    assert!(page.body.contains(&format!("<option value=\"{c}\"")));

    // Filtered by action, consultation, actor and person concerned.
    let only = app
        .get_with_cookie("/manage/musterstadt/audit?action=phase_changed", &initiator)
        .await;
    assert_eq!(rows(&only.body), ["phase_changed"]);
    assert!(
        only.body
            .contains("<option value=\"phase_changed\" selected"),
        "{}",
        only.body
    );
    let by_consultation = app
        .get_with_cookie(
            &format!("/manage/musterstadt/audit?consultation={c}"),
            &initiator,
        )
        .await;
    assert_eq!(
        rows(&by_consultation.body),
        ["phase_changed", "consultation_created"]
    );
    let admin_id = user_id(app, "admin@example.org").await;
    let by_actor = app
        .get_with_cookie(
            &format!("/manage/musterstadt/audit?actor={admin_id}"),
            &initiator,
        )
        .await;
    assert_eq!(rows(&by_actor.body), ["staff_removed"]);
    let subject_link = format!("/manage/musterstadt/audit?subject={anna_id}");
    assert!(
        page.body.contains(&format!("href=\"{subject_link}\"")),
        "{}",
        page.body
    );
    let concerning = app.get_with_cookie(&subject_link, &initiator).await;
    assert_eq!(rows(&concerning.body), ["staff_removed"]);
    assert!(
        concerning.body.contains("Nur Einträge zu: Anna"),
        "{}",
        concerning.body
    );

    // Values that are not a filter are ignored, cleanly.
    for bad in [
        "action=drop",
        "action=phase_changed%27%3B%20DROP%20TABLE%20audit_log%3B--",
        "consultation=1%20OR%201%3D1",
        "before=abc",
        "actor=-1",
    ] {
        let res = app
            .get_with_cookie(&format!("/manage/musterstadt/audit?{bad}"), &initiator)
            .await;
        assert_eq!(res.status, 200, "{bad}");
        assert_eq!(rows(&res.body).len(), 3, "{bad}");
    }
    let res = app
        .post_form(
            "/api/audit_log",
            JSON,
            Some(&initiator),
            &[("org", "musterstadt"), ("action", "drop")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);

    // Every staff role of the organisation reads it.
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    let page = app
        .get_with_cookie("/manage/musterstadt/audit", &moderator)
        .await;
    assert_eq!(rows(&page.body).len(), 3, "{}", page.body);
}

async fn the_log_pages_by_fifty(app: &TestApp) {
    let musterstadt = org_id(app, "musterstadt").await;
    for n in 0..55 {
        let label = format!("Eintrag {n:02}.");
        let entry = app::audit::Entry::new(
            app::audit::Action::ConsultationSaved,
            app::audit::Object::new(app::audit::ObjectKind::Consultation, None, label),
        )
        .organisation(musterstadt)
        .reason("test");
        app::audit::repo::record(&app.db, &entry).await.unwrap();
    }
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let first = app
        .get_with_cookie("/manage/musterstadt/audit", &initiator)
        .await;
    assert_eq!(first.body.matches("data-action=").count(), 50);
    assert!(first.body.contains("Eintrag 54."));
    assert!(!first.body.contains("Eintrag 04."));
    let ids = entries(app).await;
    let before = ids[5].id;
    let older = format!("/manage/musterstadt/audit?before={before}");
    assert!(
        first.body.contains(&format!("href=\"{older}\"")),
        "{}",
        first.body
    );
    let second = app.get_with_cookie(&older, &initiator).await;
    assert_eq!(second.body.matches("data-action=").count(), 5);
    assert!(second.body.contains("Eintrag 00."));
    assert!(!second.body.contains("Eintrag 05."));
    assert!(!second.body.contains("rel=\"next\""));
}

async fn others_cannot_read_the_log(app: &TestApp) {
    let musterstadt = org_id(app, "musterstadt").await;
    let entry = app::audit::Entry::new(
        app::audit::Action::PhaseChanged,
        app::audit::Object::consultation(1, "Geheimes Vorhaben"),
    )
    .organisation(musterstadt)
    .reason("open");
    app::audit::repo::record(&app.db, &entry).await.unwrap();

    let resident = app.resident_cookie().await;
    let other_org = app.staff_cookie("moderation@kreis-beispiel.example").await;
    for cookie in [None, Some(resident.as_str()), Some(other_org.as_str())] {
        let page = match cookie {
            Some(c) => app.get_with_cookie("/manage/musterstadt/audit", c).await,
            None => app.get("/manage/musterstadt/audit").await,
        };
        assert!(!page.body.contains("Geheimes Vorhaben"), "{}", page.body);
        assert!(!page.body.contains("audit-table"));
        if cookie.is_some() {
            assert!(page.body.contains(REFUSED), "{}", page.body);
        }
        let res = app
            .post_form("/api/audit_log", JSON, cookie, &[("org", "musterstadt")])
            .await;
        assert!(
            [401, 403].contains(&res.status),
            "{}: {}",
            res.status,
            res.body
        );
        assert!(!res.body.contains("Geheimes Vorhaben"));
    }
    // A staff member without a second factor is sent to set it up.
    let plain = app.login_cookie("moderation@musterstadt.example").await;
    let res = app
        .post_form(
            "/api/audit_log",
            HTML,
            Some(&plain),
            &[("org", "musterstadt")],
        )
        .await;
    assert!(!res.body.contains("Geheimes Vorhaben"));
    // An organisation that does not exist: 404.
    let admin = app.staff_cookie("admin@example.org").await;
    let res = app
        .post_form(
            "/api/audit_log",
            JSON,
            Some(&admin),
            &[("org", "gibt-es-nicht")],
        )
        .await;
    assert_eq!(res.status, 404);
}

async fn entries_cannot_be_changed_or_deleted(app: &TestApp) {
    let entry = app::audit::Entry::new(
        app::audit::Action::Exported,
        app::audit::Object::consultation(1, "Bleibt"),
    )
    .by(1, "Jemand")
    .reason("csv");
    app::audit::repo::record(&app.db, &entry).await.unwrap();
    let statements = [
        "UPDATE audit_log SET reason = 'geändert'",
        "DELETE FROM audit_log",
    ];
    for sql in statements {
        let res = app::on_db!(&app.db, |pool| sqlx::query(sql)
            .execute(pool)
            .await
            .map(|_| ()));
        let err = res.expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    if let app::db::Db::Postgres(pool) = &app.db {
        let err = sqlx::query("TRUNCATE audit_log")
            .execute(pool)
            .await
            .expect_err("TRUNCATE");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    let all = entries(app).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].reason, "csv");
    assert_eq!(all[0].object_label, "Bleibt");
}

async fn the_command_line_records_the_admins_it_makes(app: &TestApp) {
    let url = app.database_url.clone();
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mitreden"))
            .args([
                "create-admin",
                "--email",
                "chefin@example.org",
                "--database-url",
                &url,
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "eine lange Passphrase zum Testen").unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = user_id(app, "chefin@example.org").await;
    let all = entries(app).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let e = &all[0];
    assert_eq!(
        (
            e.action.as_str(),
            e.actor_user_id,
            e.actor_name.as_str(),
            e.reason.as_str()
        ),
        ("staff_appointed", None, "", "cli")
    );
    assert_eq!(
        (e.object_id, e.subject_user_id, e.organisation_id),
        (Some(id), Some(id), None)
    );
}

on_both_backends!(
    every_staff_action_leaves_exactly_one_entry,
    staff_read_and_filter_the_log,
    the_log_pages_by_fifty,
    others_cannot_read_the_log,
    entries_cannot_be_changed_or_deleted,
    the_command_line_records_the_admins_it_makes,
);
