//! Object-level authorisation: every server function is either public (possibly personal, for
//! the signed-in person only) or a staff function with a required role, and every staff function
//! refuses everyone below that role — on SQLite and PostgreSQL. A new server function that is in
//! neither list fails `every_server_function_is_classified`.

use crate::common;

use common::TestApp;

/// Server functions anyone may call; those about "me" check the session themselves.
const PUBLIC: &[&str] = &[
    "/api/account_form_draft",
    "/api/account_overview",
    "/api/begin_two_factor_setup",
    "/api/change_email",
    "/api/change_password",
    "/api/confirm_email_change",
    "/api/confirm_two_factor_setup",
    "/api/current_user",
    "/api/delete_account",
    "/api/get_consultation",
    "/api/get_questionnaire",
    "/api/submit_questionnaire",
    "/api/consultation_changes",
    "/api/get_organisation",
    "/api/list_consultations",
    "/api/login",
    "/api/login_second_factor",
    "/api/logout",
    "/api/logout_everywhere",
    "/api/my_data",
    "/api/notification_settings",
    "/api/set_reply_notifications",
    "/api/unsubscribe_link_status",
    "/api/unsubscribe_reply_notifications",
    "/api/post_comment",
    "/api/edit_comment",
    "/api/delete_comment",
    "/api/vote_comment",
    "/api/comment_thread",
    "/api/redeem_access_code",
    "/api/request_sign_in_link",
    "/api/sign_in_with_link",
    "/api/register",
    "/api/request_password_reset",
    "/api/reset_password",
    "/api/verify_email",
    "/api/report_comment",
    "/api/appeal_comment",
    "/api/moderation_counts",
    // Staff, but about one appeal (none in the demo data): moderators of the comment's
    // organisation only, other than the one who hid it — the refusals are in appeals.rs.
    "/api/decide_appeal",
    "/api/public_answers",
    "/api/get_results_report",
    "/api/legal_page",
    "/api/report_barrier",
    "/api/footer_links",
    "/api/answer_count",
    "/api/set_answer_notifications",
    // Staff (initiators and organisation admins of the consultation's organisation), about
    // contributions and answers that the demo data does not have — the refusals of residents,
    // moderators, another organisation's initiator and anonymous callers are in answers.rs.
    "/api/answer_contributions",
    "/api/change_answer",
    "/api/remove_answer",
    // The moderators' queue and its decisions: the caller must moderate the organisation of each
    // contribution (a kreis-beispiel moderator sees and decides only kreis-beispiel's) — the
    // refusals of anonymous callers, residents and another organisation's moderator, forged ids
    // included, are in moderation_queue.rs.
    "/api/moderation_queue",
    "/api/approve_comments",
    "/api/hide_comments",
    "/api/redact_comment",
    "/api/block_author",
    "/api/set_moderation_alerts",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Needs {
    InstanceAdmin,
    OrgAdminOfMusterstadt,
    InitiatorOfMusterstadt,
    /// Any staff role in musterstadt.
    StaffOfMusterstadt,
    /// Any staff role anywhere (the staff area's start page).
    AnyStaff,
}

impl Needs {
    /// Whether the actor (see `ACTORS`) is below what the function needs.
    fn refuses(self, actor: usize) -> bool {
        let highest_refused = match self {
            Needs::InstanceAdmin | Needs::OrgAdminOfMusterstadt => 4,
            Needs::InitiatorOfMusterstadt => 3,
            Needs::StaffOfMusterstadt => 2,
            Needs::AnyStaff => 1,
        };
        actor <= highest_refused
    }
}

/// Who tries, from least to most: anonymous, resident, moderator of kreis-beispiel, moderator of
/// musterstadt, initiator of musterstadt.
const ACTORS: [&str; 5] = [
    "anonymous",
    "resident",
    "staff of another organisation",
    "moderator of musterstadt",
    "initiator of musterstadt",
];

/// A request's form fields.
type Form = &'static [(&'static str, &'static str)];

/// Staff functions with a valid request for organisation "musterstadt" and the role it needs.
const STAFF: &[(&str, Form, Needs)] = &[
    (
        "/api/list_staff",
        &[("org", "musterstadt")],
        Needs::OrgAdminOfMusterstadt,
    ),
    (
        "/api/appoint_staff",
        &[
            ("org", "musterstadt"),
            ("email", "anna@example.org"),
            ("role", "moderator"),
        ],
        Needs::OrgAdminOfMusterstadt,
    ),
    (
        "/api/remove_staff",
        &[
            ("org", "musterstadt"),
            ("email", "redaktion@musterstadt.example"),
            ("role", "initiator"),
        ],
        Needs::OrgAdminOfMusterstadt,
    ),
    (
        "/api/create_organisation",
        &[("slug", "neustadt"), ("name", "Neustadt"), ("parent", "")],
        Needs::InstanceAdmin,
    ),
    (
        "/api/update_organisation",
        &[
            ("org", "musterstadt"),
            ("name", "Stadt Musterstadt"),
            ("description", "Neu beschrieben"),
            ("contact_email", ""),
            ("website", "https://musterstadt.example"),
            ("imprint", ""),
            ("privacy", ""),
        ],
        Needs::OrgAdminOfMusterstadt,
    ),
    (
        "/api/set_participation_rule",
        &[
            ("org", "musterstadt"),
            ("slug", "radweg-nord"),
            ("rule", "email"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/create_access_codes",
        &[
            ("org", "musterstadt"),
            ("slug", "radweg-nord"),
            ("count", "2"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/staff_answers",
        &[
            ("org", "musterstadt"),
            ("slug", "verkehrsberuhigung-altstadt"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/export_overview",
        &[
            ("org", "musterstadt"),
            ("slug", "verkehrsberuhigung-altstadt"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/access_code_overview",
        &[("org", "musterstadt"), ("slug", "radweg-nord")],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/manage_organisation",
        &[("org", "musterstadt")],
        Needs::StaffOfMusterstadt,
    ),
    ("/api/manage_home", &[], Needs::AnyStaff),
    ("/api/list_appeals", &[], Needs::AnyStaff),
    (
        "/api/audit_log",
        &[("org", "musterstadt"), ("action", "drop")],
        Needs::StaffOfMusterstadt,
    ),
    (
        "/api/change_phase",
        &[
            ("org", "musterstadt"),
            ("slug", "radweg-nord"),
            ("action", "publish"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/consultation_editor",
        &[("org", "musterstadt"), ("slug", "radweg-nord")],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/save_consultation",
        &[
            ("org", "musterstadt"),
            ("original", ""),
            ("slug", "neu-im-test"),
            ("title", "Neu im Test"),
            ("summary", "Kurz"),
            ("plain_summary", ""),
            ("body", ""),
            ("topic", ""),
            ("office", ""),
            ("contact", ""),
            ("opens_at", ""),
            ("closes_at", ""),
            ("moderation", "post"),
            ("rule", "account"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    // Sent as multipart uploads of `common::PNG` (see `call`).
    (
        "/api/upload_consultation_file",
        &[
            ("org", "musterstadt"),
            ("slug", "radweg-nord"),
            ("purpose", "attachment"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    // After the upload: the instance admin removes the file it made (id 1).
    (
        "/api/remove_consultation_file",
        &[
            ("org", "musterstadt"),
            ("slug", "radweg-nord"),
            ("file_id", "1"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/upload_logo",
        &[("org", "musterstadt")],
        Needs::OrgAdminOfMusterstadt,
    ),
    (
        "/api/questionnaire_editor",
        &[("org", "musterstadt"), ("slug", "radweg-nord")],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/save_question",
        &[
            ("org", "musterstadt"),
            ("slug", "radweg-nord"),
            ("question_id", ""),
            ("kind", "yes_no"),
            ("prompt", "Braucht es den Radweg?"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    // Question 1: the first of the demo questionnaire (Altstadt, no answers yet in a fresh
    // database); moved down, then deleted by the instance admin.
    (
        "/api/move_question",
        &[
            ("org", "musterstadt"),
            ("slug", "verkehrsberuhigung-altstadt"),
            ("question_id", "1"),
            ("direction", "down"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/delete_question",
        &[
            ("org", "musterstadt"),
            ("slug", "verkehrsberuhigung-altstadt"),
            ("question_id", "1"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
    ("/api/admin_overview", &[], Needs::InstanceAdmin),
    (
        "/api/save_instance_settings",
        &[("retention_months", "12"), ("retention_job", "on")],
        Needs::InstanceAdmin,
    ),
    (
        "/api/legal_page_source",
        &[("kind", "imprint")],
        Needs::InstanceAdmin,
    ),
    (
        "/api/save_legal_page",
        &[("kind", "imprint"), ("de", "## Impressum"), ("en", "")],
        Needs::InstanceAdmin,
    ),
    ("/api/barrier_reports", &[], Needs::InstanceAdmin),
    // The report the story files first.
    (
        "/api/answer_barrier_report",
        &[("id", "1"), ("note", "erledigt")],
        Needs::InstanceAdmin,
    ),
    (
        "/api/consultation_period",
        &[("org", "musterstadt"), ("slug", "spielplatz-lindenpark")],
        Needs::InitiatorOfMusterstadt,
    ),
    (
        "/api/set_consultation_period",
        &[
            ("org", "musterstadt"),
            ("slug", "spielplatz-lindenpark"),
            ("months", "6"),
        ],
        Needs::InitiatorOfMusterstadt,
    ),
];

/// Calls a staff function as JSON (uploads as multipart).
async fn call(app: &TestApp, path: &str, cookie: Option<&str>, form: Form) -> common::Page {
    if path == "/api/upload_logo" {
        app.post_logo(
            cookie,
            "application/json",
            "musterstadt",
            "logo.png",
            common::PNG,
        )
        .await
    } else if path == "/api/upload_consultation_file" {
        app.post_multipart(
            path,
            cookie,
            "application/json",
            form,
            ("file", "plan.png", common::PNG),
        )
        .await
    } else {
        app.post_form(path, "application/json", cookie, form).await
    }
}

#[test]
fn every_server_function_is_classified() {
    let mut unknown = Vec::new();
    for (path, _method) in leptos::server_fn::axum::server_fn_paths() {
        if !PUBLIC.contains(&path) && !STAFF.iter().any(|(p, _, _)| *p == path) {
            unknown.push(path);
        }
    }
    assert!(
        unknown.is_empty(),
        "server functions without an authorisation classification (add them to PUBLIC or STAFF here, \
         and give staff ones a require_role check): {unknown:?}"
    );
    assert!(leptos::server_fn::axum::server_fn_paths().count() >= PUBLIC.len());
}

on_both_backends!(
    staff_functions_refuse_everyone_below_the_required_role,
    organisation_admins_manage_their_own_staff_only,
    staff_without_a_second_factor_are_refused,
);

async fn staff_functions_refuse_everyone_below_the_required_role(app: &TestApp) {
    // A barrier report (anyone may file one) for the admin to answer.
    let report = app
        .post_form(
            "/api/report_barrier",
            "application/json",
            None,
            &[
                ("page_url", "/"),
                ("description", "Kontrast"),
                ("contact_email", ""),
            ],
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    let resident = app.login_cookie("anna@example.org").await;
    let other_org = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let wrong_role = app.staff_cookie("moderation@musterstadt.example").await;
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let cookies: [Option<&str>; 5] = [
        None,
        Some(&resident),
        Some(&other_org),
        Some(&wrong_role),
        Some(&initiator),
    ];
    for (path, form, needs) in STAFF {
        for (actor, cookie) in cookies.into_iter().enumerate() {
            if !needs.refuses(actor) {
                continue;
            }
            let who = ACTORS[actor];
            let res = call(app, path, cookie, form).await;
            assert!(
                [401, 403, 404].contains(&res.status),
                "{who} got {} from {path}: {}",
                res.status,
                res.body
            );
            assert!(
                !res.body.contains("@"),
                "{who} learned an e-mail address from {path}: {}",
                res.body
            );
        }
    }
    // Nothing changed.
    let admin = app.staff_cookie("admin@example.org").await;
    let staff = app
        .post_form(
            "/api/list_staff",
            "application/json",
            Some(&admin),
            &[("org", "musterstadt")],
        )
        .await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    assert!(!staff.body.contains("anna@example.org"));
    assert!(staff.body.contains("redaktion@musterstadt.example"));
    assert_eq!(app.get("/neustadt").await.status, 404);
    // The instance admin may do all of it.
    for (path, form, _) in STAFF {
        let res = call(app, path, Some(&admin), form).await;
        assert_eq!(res.status, 200, "admin refused at {path}: {}", res.body);
    }
    assert_eq!(app.get("/neustadt").await.status, 200);
}

async fn organisation_admins_manage_their_own_staff_only(app: &TestApp) {
    let admin = app.staff_cookie("admin@example.org").await;
    let appointed = app
        .post_form(
            "/api/appoint_staff",
            "application/json",
            Some(&admin),
            &[
                ("org", "kreis-beispiel"),
                ("email", "moderation@kreis-beispiel.example"),
                ("role", "org_admin"),
            ],
        )
        .await;
    assert_eq!(appointed.status, 200, "{}", appointed.body);
    // The appointed person is told, with the way to the staff area and the second factor.
    let mails = app.mails_to("moderation@kreis-beispiel.example");
    let notice = mails.last().expect("appointment mail");
    assert!(
        notice.decoded.contains("Kreis Beispiel"),
        "{}",
        notice.decoded
    );
    assert!(notice.decoded.contains("Organisations-Admin"));
    assert!(notice.decoded.contains("http://mitreden.test/manage"));
    let kreis_admin = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let own = app
        .post_form(
            "/api/list_staff",
            "application/json",
            Some(&kreis_admin),
            &[("org", "kreis-beispiel")],
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("moderation@kreis-beispiel.example"));
    // Tenant isolation: the child organisation's staff list is not the parent's business.
    let other = app
        .post_form(
            "/api/list_staff",
            "application/json",
            Some(&kreis_admin),
            &[("org", "musterstadt")],
        )
        .await;
    assert_eq!(other.status, 403);
    assert!(!other.body.contains("musterstadt.example"));
    let unknown = app
        .post_form(
            "/api/appoint_staff",
            "application/json",
            Some(&kreis_admin),
            &[
                ("org", "kreis-beispiel"),
                ("email", "niemand@example.org"),
                ("role", "moderator"),
            ],
        )
        .await;
    assert_eq!(unknown.status, 422);
    let bad_role = app
        .post_form(
            "/api/appoint_staff",
            "application/json",
            Some(&kreis_admin),
            &[
                ("org", "kreis-beispiel"),
                ("email", "anna@example.org"),
                ("role", "kaiser"),
            ],
        )
        .await;
    assert_eq!(bad_role.status, 422);
    let bad_slug = app
        .post_form(
            "/api/create_organisation",
            "application/json",
            Some(&admin),
            &[("slug", "login"), ("name", "X"), ("parent", "")],
        )
        .await;
    assert_eq!(bad_slug.status, 422, "reserved slug accepted");
}

async fn staff_without_a_second_factor_are_refused(app: &TestApp) {
    // The instance admin with only a password.
    let cookie = app.login_cookie("admin@example.org").await;
    let res = app
        .post_form(
            "/api/list_staff",
            "application/json",
            Some(&cookie),
            &[("org", "musterstadt")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("two_factor_required"), "{}", res.body);
}
