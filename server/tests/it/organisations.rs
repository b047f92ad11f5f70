//! The staff area: organisation profile, logo upload, staff pages — reachable only by the roles
//! they are for, on SQLite and PostgreSQL.

use crate::common;

use common::TestApp;

on_both_backends!(
    staff_see_the_staff_area_and_others_do_not,
    an_admin_edits_the_profile_and_bad_links_are_refused,
    a_logo_is_recognised_by_content_and_served_inertly,
    tenants_see_nothing_of_each_other_in_the_staff_area,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";

async fn staff_see_the_staff_area_and_others_do_not(app: &TestApp) {
    let resident = app.resident_cookie().await;
    let home = app.get_with_cookie("/", &resident).await;
    assert!(
        !home.body.contains("href=\"/manage\""),
        "staff link shown to a resident"
    );
    let manage = app.get_with_cookie("/manage", &resident).await;
    assert!(
        manage.body.contains("Dafür fehlt Ihnen die Berechtigung."),
        "{}",
        manage.body
    );
    assert!(!manage.body.contains("Stadt Musterstadt"));

    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let home = app.get_with_cookie("/", &initiator).await;
    assert!(home.body.contains("href=\"/manage\""));
    let manage = app.get_with_cookie("/manage", &initiator).await;
    assert!(
        manage.body.contains("href=\"/manage/musterstadt\""),
        "{}",
        manage.body
    );
    assert!(!manage.body.contains("/manage/kreis-beispiel"));
    assert!(!manage.body.contains("new-organisation-form"));
    // Their organisation's page lists drafts, but no staff list or profile form (not an admin).
    let page = app.get_with_cookie("/manage/musterstadt", &initiator).await;
    assert!(page.body.contains("Radweg Nord"), "{}", page.body);
    assert!(page
        .body
        .contains("/manage/musterstadt/spielstrasse-lindenweg/codes"));
    assert!(!page.body.contains("id=\"profile-form\""));
    assert!(!page.body.contains("id=\"appoint-form\""));

    let admin = app.staff_cookie("admin@example.org").await;
    let manage = app.get_with_cookie("/manage", &admin).await;
    assert!(manage.body.contains("/manage/kreis-beispiel"));
    assert!(manage.body.contains("id=\"new-organisation-form\""));
    // A new organisation without JavaScript: errors come back next to the field, text kept.
    let bad = app
        .post_form(
            "/api/create_organisation",
            HTML,
            Some(&admin),
            &[
                ("slug", "Login"),
                ("name", "Neustadt <b>"),
                ("parent", "gibt-es-nicht"),
            ],
        )
        .await;
    assert_eq!(bad.status, 302);
    let cookie = format!("{admin}; {}", bad.cookie("mitreden_flash").unwrap());
    let page = app.get_with_cookie("/manage", &cookie).await;
    assert!(
        page.body.contains("id=\"new-org-slug-error\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"Neustadt &lt;b&gt;\""),
        "name kept, escaped"
    );
    let ok = app
        .post_form(
            "/api/create_organisation",
            HTML,
            Some(&admin),
            &[
                ("slug", "neustadt"),
                ("name", "Stadt Neustadt"),
                ("parent", "kreis-beispiel"),
            ],
        )
        .await;
    assert_eq!(ok.status, 302);
    assert_eq!(ok.header("location"), "/manage/neustadt");
    let kreis = app.get("/kreis-beispiel").await;
    assert_eq!(kreis.status, 200);
    assert_eq!(app.get("/neustadt").await.status, 200);
}

async fn an_admin_edits_the_profile_and_bad_links_are_refused(app: &TestApp) {
    let admin = app.staff_cookie("admin@example.org").await;
    let profile = |website: &'static str, email: &'static str| {
        let admin = admin.clone();
        async move {
            app.post_form(
                "/api/update_organisation",
                JSON,
                Some(&admin),
                &[
                    ("org", "musterstadt"),
                    ("name", "Stadt Musterstadt"),
                    ("description", "Die Stadt am Fluss."),
                    ("contact_email", email),
                    ("website", website),
                    ("imprint", "https://musterstadt.example/impressum"),
                    ("privacy", ""),
                ],
            )
            .await
        }
    };
    for (website, field) in [
        ("javascript:alert(1)", "website"),
        ("musterstadt.de", "website"),
    ] {
        let res = profile(website, "").await;
        assert_eq!(res.status, 422, "{website}");
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{}",
            res.body
        );
    }
    let res = profile("https://musterstadt.example", "keine-adresse").await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("contact_email"));
    let res = profile("https://musterstadt.example", "rathaus@musterstadt.example").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page = app.get("/musterstadt").await;
    assert!(page.body.contains("Die Stadt am Fluss."));
    assert!(page
        .body
        .contains("href=\"https://musterstadt.example/impressum\""));
    assert!(page.body.contains("mailto:rathaus@musterstadt.example"));
    // Without JavaScript: a refused change comes back with what was typed.
    let res = app
        .post_form(
            "/api/update_organisation",
            HTML,
            Some(&admin),
            &[
                ("org", "musterstadt"),
                ("name", ""),
                ("description", "Entwurf"),
                ("contact_email", ""),
                ("website", ""),
                ("imprint", ""),
                ("privacy", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 302);
    let cookie = format!("{admin}; {}", res.cookie("mitreden_flash").unwrap());
    let page = app.get_with_cookie("/manage/musterstadt", &cookie).await;
    assert!(
        page.body.contains("id=\"profile-name-error\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(">Entwurf</textarea>"));
}

async fn a_logo_is_recognised_by_content_and_served_inertly(app: &TestApp) {
    let admin = app.staff_cookie("admin@example.org").await;
    // Not images, whatever their names say.
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    let res = app
        .post_logo(Some(&admin), JSON, "musterstadt", "logo.png", svg)
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("unsupported_image"));
    let res = app
        .post_logo(Some(&admin), JSON, "musterstadt", "leer.png", b"")
        .await;
    assert_eq!(res.status, 422);
    let mut big = common::PNG.to_vec();
    big.resize(201 * 1024, 0);
    let res = app
        .post_logo(Some(&admin), JSON, "musterstadt", "gross.png", &big)
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("file_too_large"));
    // Not multipart at all: refused before decoding.
    let res = app
        .post_form(
            "/api/upload_logo",
            JSON,
            Some(&admin),
            &[("org", "musterstadt")],
        )
        .await;
    assert_eq!(res.status, 415);
    // Without JavaScript the error is shown on the staff page.
    let res = app
        .post_logo(Some(&admin), HTML, "musterstadt", "../../etc/passwd", svg)
        .await;
    assert_eq!(res.status, 302);
    let cookie = format!("{admin}; {}", res.cookie("mitreden_flash").unwrap());
    let page = app.get_with_cookie("/manage/musterstadt", &cookie).await;
    assert!(page.body.contains("PNG, JPEG oder WebP"), "{}", page.body);
    assert!(page.body.contains("id=\"logo-error\""));

    // A real PNG.
    let res = app
        .post_logo(Some(&admin), HTML, "musterstadt", "logo.png", common::PNG)
        .await;
    assert_eq!(res.status, 302);
    let page = app.get("/musterstadt").await;
    let start = page
        .body
        .find("src=\"/media/logos/")
        .expect("logo on the page")
        + 5;
    let src = &page.body[start..start + page.body[start..].find('"').unwrap()];
    assert!(!src.contains("passwd") && src.ends_with(".png"), "{src}");
    let file = app.client.get(app.url(src)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert!(file.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(file.bytes().await.unwrap().as_ref(), common::PNG);
    // Replacing it removes the old file.
    let res = app
        .post_logo(Some(&admin), JSON, "musterstadt", "logo2.png", common::PNG)
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(app.get(src).await.status, 404);
    // Nothing else is served from there.
    for path in [
        "/media/logos/..%2F..%2Fmitreden.db",
        "/media/logos/0123456789abcdef0123456789abcdef.svg",
        "/media/outbox/0123456789abcdef0123456789abcdef.png",
    ] {
        assert_eq!(app.get(path).await.status, 404, "{path}");
    }
}

async fn tenants_see_nothing_of_each_other_in_the_staff_area(app: &TestApp) {
    let kreis = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let page = app.get_with_cookie("/manage/musterstadt", &kreis).await;
    assert!(
        !page.body.contains("Radweg Nord"),
        "draft of another organisation shown"
    );
    assert!(!page.body.contains("musterstadt.example"));
    for (path, form) in [
        ("/api/manage_organisation", vec![("org", "musterstadt")]),
        ("/api/list_staff", vec![("org", "musterstadt")]),
        (
            "/api/access_code_overview",
            vec![("org", "musterstadt"), ("slug", "radweg-nord")],
        ),
    ] {
        let res = app.post_form(path, JSON, Some(&kreis), &form).await;
        assert_eq!(res.status, 403, "{path}: {}", res.body);
        assert!(
            !res.body.contains("Radweg") && !res.body.contains('@'),
            "{}",
            res.body
        );
    }
    // Their own organisation works, and shows its own pending-moderation consultation.
    let own = app
        .post_form(
            "/api/manage_organisation",
            JSON,
            Some(&kreis),
            &[("org", "kreis-beispiel")],
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("nahverkehrsplan"));
    assert!(!own.body.contains("radweg-nord"));
}
