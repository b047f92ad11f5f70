//! The legal pages (`/barrierefreiheit`, `/datenschutz`, `/impressum`), their footer links, the
//! barrier report form, the instance admin's pages and a consultation's own retention period.

use crate::common::TestApp;
use crate::reports::{scalar, HTML, JSON};

const ADMIN: &str = "admin@example.org";
const PAGES: [(&str, &str, &str); 3] = [
    (
        "/barrierefreiheit",
        "Erklärung zur Barrierefreiheit",
        "Accessibility statement",
    ),
    ("/datenschutz", "Datenschutzerklärung", "Privacy policy"),
    ("/impressum", "Impressum", "Imprint"),
];

/// Whether `body` has the footer's three links (and the barrier report link).
fn has_footer(body: &str, privacy: &str, imprint: &str) -> bool {
    let footer = match body.find("<footer class=\"site-footer\"") {
        Some(at) => &body[at..],
        None => return false,
    };
    footer.contains("href=\"/barrierefreiheit\"")
        && footer.contains("href=\"/barrierefreiheit")
        && footer.contains("#melden\"")
        && footer.contains(&format!("href=\"{privacy}\""))
        && footer.contains(&format!("href=\"{imprint}\""))
}

async fn the_pages_speak_german_and_english_with_the_templates(app: &TestApp) {
    for (path, de, en) in PAGES {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains(&format!("<h1>{de}</h1>")), "{path}");
        assert!(
            has_footer(&page.body, "/datenschutz", "/impressum"),
            "{path}"
        );
        let page = app.get(&format!("{path}?lang=en")).await;
        assert!(page.body.contains(&format!("<h1>{en}</h1>")), "{path}");
        assert!(page.body.contains("Privacy policy") && page.body.contains(">Imprint<"));
    }
    // The accessibility statement follows BITV 2.0: conformity, known barriers, dates, feedback,
    // enforcement — and carries the report form.
    let page = app.get("/barrierefreiheit").await;
    for section in [
        "Stand der Vereinbarkeit",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontakt",
        "Schlichtungsverfahren",
        "id=\"barrier-form\"",
    ] {
        assert!(page.body.contains(section), "{section}");
    }
    let page = app.get("/barrierefreiheit?lang=en").await;
    assert!(page.body.contains("Compliance status") && page.body.contains("Enforcement procedure"));
    // Privacy: the generated periods, from the settings.
    let page = app.get("/datenschutz").await;
    assert!(page.body.contains("Speicherfristen"));
    assert!(
        page.body.contains("12 Monate nach dem Ende"),
        "{}",
        page.body
    );
}

async fn every_page_links_them_in_its_footer_even_errors(app: &TestApp) {
    for path in ["/", "/login", "/gibt-es-nicht", "/gibt-es-nicht/x/y/z"] {
        let page = app.get(path).await;
        assert!(
            has_footer(&page.body, "/datenschutz", "/impressum"),
            "{path}: {}",
            page.status
        );
    }
    // musterstadt set its own imprint and privacy policy (demo): its pages link those.
    for path in ["/musterstadt", "/musterstadt/verkehrsberuhigung-altstadt"] {
        let page = app.get(path).await;
        assert!(
            has_footer(
                &page.body,
                "https://musterstadt.example/datenschutz",
                "https://musterstadt.example/impressum"
            ),
            "{path}"
        );
        // The report link names the page it was on (the path only).
        assert!(page
            .body
            .contains(&format!("/barrierefreiheit?from={path}#melden")));
    }
    // The prefilled address.
    let page = app
        .get("/barrierefreiheit?from=/musterstadt/verkehrsberuhigung-altstadt")
        .await;
    assert!(page
        .body
        .contains("value=\"/musterstadt/verkehrsberuhigung-altstadt\""));
    // A request too large is refused with a page that has the footer too.
    let big = "x".repeat(300 * 1024);
    let res = app
        .client
        .post(app.url("/api/report_barrier"))
        .header("origin", crate::common::BASE_URL)
        .header("accept", HTML)
        .form(&[("page_url", "/"), ("description", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let body = res.text().await.unwrap();
    assert!(has_footer(&body, "/datenschutz", "/impressum"), "{body}");
}

async fn a_barrier_report_without_javascript_keeps_the_text_and_reaches_the_admins(app: &TestApp) {
    // Refused: no description; the address and e-mail come back.
    let form = [
        ("page_url", "/musterstadt"),
        ("description", "  "),
        ("contact_email", "melderin@example.org"),
    ];
    let res = app
        .post_form("/api/report_barrier", HTML, None, &form)
        .await;
    assert!([302, 303].contains(&res.status), "{}", res.status);
    assert!(res.header("location").starts_with("/barrierefreiheit"));
    let back = app.follow(&res, "").await;
    assert!(back.body.contains("value=\"melderin@example.org\""));
    assert!(back.body.contains("value=\"/musterstadt\""));
    assert!(back.body.contains("aria-invalid=\"true\""));
    // Refused: not an address; the description is kept (escaped).
    let form = [
        ("page_url", "javascript:alert(1)"),
        (
            "description",
            "Der Kontrast </textarea><b>ist</b> zu schwach",
        ),
        ("contact_email", ""),
    ];
    let res = app
        .post_form("/api/report_barrier", HTML, None, &form)
        .await;
    let back = app.follow(&res, "").await;
    assert!(back
        .body
        .contains("Bitte geben Sie die Adresse der Seite an"));
    assert!(back
        .body
        .contains("Der Kontrast &lt;/textarea&gt;&lt;b&gt;ist&lt;/b&gt; zu schwach"));
    // Accepted.
    let form = [
        ("page_url", "/musterstadt/verkehrsberuhigung-altstadt"),
        (
            "description",
            "Die Karte lässt sich nicht mit der Tastatur bedienen.",
        ),
        ("contact_email", "Melderin@Example.org"),
    ];
    let res = app
        .post_form("/api/report_barrier", HTML, None, &form)
        .await;
    assert!([302, 303].contains(&res.status), "{}", res.status);
    let done = app.follow(&res, "").await;
    assert!(done.body.contains("Danke! Ihre Meldung ist eingegangen."));
    assert!(!done.body.contains("id=\"barrier-form\""));
    let stored = scalar(
        app,
        "SELECT COUNT(*) FROM barrier_reports WHERE contact_email = 'melderin@example.org' \
         AND status = 'open' AND id > $1",
        0,
    )
    .await;
    assert_eq!(stored, 1);
    let to_admin = app.mails_to(ADMIN);
    assert_eq!(to_admin.len(), 1);
    assert!(to_admin[0].decoded.contains("Neue Barriere-Meldung"));
    assert!(to_admin[0]
        .decoded
        .contains("nicht mit der Tastatur bedienen"));
    assert!(to_admin[0].decoded.contains("/admin/reports#report-"));
    let confirmation = app.mails_to("melderin@example.org");
    assert_eq!(confirmation.len(), 1);
    assert!(confirmation[0]
        .decoded
        .contains("Ihre Barriere-Meldung ist eingegangen"));
}

async fn a_barrier_report_with_javascript_answers_json_and_is_rate_limited(app: &TestApp) {
    let report = |i: usize| {
        let description = format!("Bericht {i}: der Fokus ist unsichtbar");
        async move {
            app.post_form(
                "/api/report_barrier",
                JSON,
                None,
                &[
                    ("page_url", "https://beteiligung.example/musterstadt"),
                    ("description", &description),
                    ("contact_email", ""),
                ],
            )
            .await
        }
    };
    let res = report(0).await;
    assert_eq!(res.status, 200, "{}", res.body);
    // No address: no confirmation, only the admin's mail.
    assert_eq!(app.mails().len(), 1);
    let res = app
        .post_form(
            "/api/report_barrier",
            JSON,
            None,
            &[
                ("page_url", "/"),
                ("description", "x"),
                ("contact_email", "keine-adresse"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("contact_email"), "{}", res.body);
    for i in 1..10 {
        assert_eq!(report(i).await.status, 200, "report {i}");
    }
    // Ten an hour from one network.
    let res = report(10).await;
    assert_eq!(res.status, 429, "{}", res.body);
    let n = scalar(app, "SELECT COUNT(*) FROM barrier_reports WHERE id > $1", 0).await;
    assert_eq!(n, 10);
}

async fn the_admin_edits_pages_and_answers_reports_and_others_cannot(app: &TestApp) {
    // Everyone else is refused: residents, organisation staff, strangers.
    let anna = app.login_cookie("anna@example.org").await;
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    for cookie in [anna.as_str(), moderator.as_str(), ""] {
        let res = app
            .post_form(
                "/api/save_legal_page",
                JSON,
                Some(cookie),
                &[("kind", "imprint"), ("de", "Gekapert"), ("en", "")],
            )
            .await;
        assert!([401, 403].contains(&res.status), "{}", res.status);
        let res = app
            .post_form("/api/barrier_reports", JSON, Some(cookie), &[])
            .await;
        assert!([401, 403].contains(&res.status), "{}", res.status);
    }
    assert!(!app.get("/impressum").await.body.contains("Gekapert"));

    let admin = app.staff_cookie(ADMIN).await;
    // Markdown through the sanitiser; the English text may be left out.
    let res = app
        .post_form(
            "/api/save_legal_page",
            HTML,
            Some(&admin),
            &[
                ("kind", "imprint"),
                (
                    "de",
                    "## Angaben\n\nStadt Musterstadt, Rathausplatz 1\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))",
                ),
                ("en", ""),
            ],
        )
        .await;
    assert!([302, 303].contains(&res.status), "{}", res.body);
    let page = app.get("/impressum").await;
    assert!(page.body.contains("Rathausplatz 1"));
    assert!(!page.body.contains("<script>alert(1)") && !page.body.contains("href=\"javascript"));
    let en = app.get("/impressum?lang=en").await;
    assert!(en.body.contains("Rathausplatz 1"));
    assert!(en.body.contains("This text is available in German only."));
    // Recorded in the instance's log, shown on /admin.
    let logged = scalar(
        app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'legal_page_saved' AND organisation_id IS NULL \
         AND object_label = '/impressum' AND actor_user_id IS NOT NULL AND id > $1",
        0,
    )
    .await;
    assert_eq!(logged, 1);
    let overview = app.get_with_cookie("/admin", &admin).await;
    assert_eq!(overview.status, 200);
    assert!(overview.body.contains("Rechtliche Seite gespeichert"));
    // An empty German text is refused with the text kept.
    let res = app
        .post_form(
            "/api/save_legal_page",
            JSON,
            Some(&admin),
            &[("kind", "privacy"), ("de", " "), ("en", "Only English")],
        )
        .await;
    assert_eq!(res.status, 422);

    // Reports: an old open one is overdue; answering settles it once.
    app.post_form(
        "/api/report_barrier",
        JSON,
        None,
        &[
            ("page_url", "/login"),
            ("description", "Das Captcha ist nicht vorlesbar"),
            ("contact_email", ""),
        ],
    )
    .await;
    let id = scalar(app, "SELECT MAX(id) FROM barrier_reports WHERE id > $1", 0).await;
    crate::reports::exec(
        app,
        "UPDATE barrier_reports SET created_at = created_at - 43 * 86400 WHERE id = $1",
        id,
    )
    .await;
    let list = app.get_with_cookie("/admin/reports", &admin).await;
    assert!(list.body.contains("Das Captcha ist nicht vorlesbar"));
    assert!(list.body.contains("überfällig") && list.body.contains("seit 43 Tagen"));
    let overview = app.get_with_cookie("/admin", &admin).await;
    assert!(overview.body.contains("1 offen, davon 1 überfällig"));
    let id_text = id.to_string();
    let answer = [
        ("id", id_text.as_str()),
        ("note", "Per Telefon beantwortet"),
    ];
    let res = app
        .post_form("/api/answer_barrier_report", JSON, Some(&admin), &answer)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = app
        .post_form("/api/answer_barrier_report", JSON, Some(&admin), &answer)
        .await;
    assert_eq!(res.status, 404, "answered twice");
    let list = app.get_with_cookie("/admin/reports", &admin).await;
    assert!(list.body.contains("beantwortet am") && !list.body.contains("badge-warning"));
    let logged = scalar(
        app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'barrier_report_answered' AND object_id = $1",
        id,
    )
    .await;
    assert_eq!(logged, 1);
}

async fn the_privacy_policy_shows_the_periods_as_configured(app: &TestApp) {
    let admin = app.staff_cookie(ADMIN).await;
    // Out of range: refused, nothing changes.
    for months in ["0", "121", "zwölf"] {
        let res = app
            .post_form(
                "/api/save_instance_settings",
                JSON,
                Some(&admin),
                &[("retention_months", months)],
            )
            .await;
        assert_eq!(res.status, 422, "{months}");
    }
    let res = app
        .post_form(
            "/api/save_instance_settings",
            HTML,
            Some(&admin),
            &[("retention_months", "6")],
        )
        .await;
    assert!([302, 303].contains(&res.status), "{}", res.status);
    let page = app.get("/datenschutz").await;
    assert!(
        page.body.contains("6 Monate nach dem Ende"),
        "{}",
        page.body
    );
    // The daily job was switched off (the checkbox was not sent): the page says so.
    assert!(page.body.contains("vom Betrieb regelmäßig per Zeitplan"));
    let settings = app::legal::repo::settings(&app.db).await.unwrap();
    assert_eq!(settings.retention_months, 6);
    assert!(!settings.retention_job);

    // A consultation's own period: shorter only, by its initiator, listed on the privacy page.
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let period = |months: &'static str| {
        let cookie = initiator.clone();
        async move {
            app.post_form(
                "/api/set_consultation_period",
                JSON,
                Some(&cookie),
                &[
                    ("org", "musterstadt"),
                    ("slug", "spielplatz-lindenpark"),
                    ("months", months),
                ],
            )
            .await
        }
    };
    assert_eq!(period("7").await.status, 422, "longer than the instance's");
    assert_eq!(period("3").await.status, 200);
    let page = app.get("/datenschutz").await;
    assert!(page.body.contains("Neuer Spielplatz im Lindenpark"));
    assert!(page.body.contains("3 Monate"));
    let exports = app
        .get_with_cookie(
            "/manage/musterstadt/spielplatz-lindenpark/exports",
            &initiator,
        )
        .await;
    assert!(exports.body.contains("id=\"retention-own-months\""));
    assert!(exports.body.contains("value=\"3\""));
    // Another organisation's moderator cannot.
    let other = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let res = app
        .post_form(
            "/api/set_consultation_period",
            JSON,
            Some(&other),
            &[
                ("org", "musterstadt"),
                ("slug", "spielplatz-lindenpark"),
                ("months", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(period("").await.status, 200);
    assert!(!app
        .get("/datenschutz")
        .await
        .body
        .contains("Neuer Spielplatz im Lindenpark"));
}

on_both_backends!(
    the_pages_speak_german_and_english_with_the_templates,
    every_page_links_them_in_its_footer_even_errors,
    a_barrier_report_without_javascript_keeps_the_text_and_reaches_the_admins,
    a_barrier_report_with_javascript_answers_json_and_is_rate_limited,
    the_admin_edits_pages_and_answers_reports_and_others_cannot,
    the_privacy_policy_shows_the_periods_as_configured,
);
