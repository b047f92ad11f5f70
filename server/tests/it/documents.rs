//! A consultation's picture and documents (uploads checked by content, size and name, served as
//! downloads, drafts' files for staff only), its versioned text corrections, and comments on
//! sections. SQLite and PostgreSQL.

use crate::common;

use common::TestApp;

on_both_backends!(
    a_picture_and_a_pdf_are_uploaded_shown_and_served_safely,
    bad_files_are_refused_with_a_specific_message_and_kept_input,
    files_of_a_draft_are_for_its_staff_only,
    corrections_after_publication_are_versioned_and_shown,
    a_section_keeps_its_comments_when_other_sections_change,
    a_save_from_an_outdated_editor_is_refused_and_the_text_kept,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";
const SLUG: &str = "bolzplatz-am-wall";
const BODY: &str = "Einleitung.\n\n## Worum es geht\n\nEin neuer Spielplatz.\n\n## Zeitplan\n\nBau im Sommer 2027.";

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// Saves the test consultation (new when `original` is empty) with `body` and a change note.
async fn save(app: &TestApp, cookie: &str, original: &str, body: &str, note: &str) -> common::Page {
    save_with(app, cookie, JSON, original, body, note, &[]).await
}

/// [`save`] with other values for some fields.
async fn save_with(
    app: &TestApp,
    cookie: &str,
    accept: &str,
    original: &str,
    body: &str,
    note: &str,
    overrides: &[(&str, &str)],
) -> common::Page {
    let base: Vec<(&str, &str)> = vec![
        ("org", "musterstadt"),
        ("original", original),
        ("slug", SLUG),
        ("title", "Neuer Spielplatz im Lindenpark"),
        ("summary", "Wie soll der Spielplatz aussehen?"),
        ("plain_summary", ""),
        ("body", body),
        ("topic", "Spielen"),
        ("office", "Grünflächenamt"),
        ("contact", ""),
        ("opens_at", ""),
        ("closes_at", ""),
        ("moderation", "post"),
        ("rule", "account"),
        ("results", "closed"),
        ("change_note", note),
        ("location", ""),
        ("area", ""),
    ];
    let form = common::consultation_form(&[&base, overrides]);
    app.post_form("/api/save_consultation", accept, Some(cookie), &form)
        .await
}

/// A new draft consultation of musterstadt, saved by its initiator; answers the initiator's cookie.
async fn draft(app: &TestApp) -> String {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    let res = save(app, &initiator, "", BODY, "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    initiator
}

async fn publish(app: &TestApp, cookie: &str) {
    let res = app
        .post_form(
            "/api/change_phase",
            JSON,
            Some(cookie),
            &[
                ("org", "musterstadt"),
                ("slug", SLUG),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}

async fn upload(
    app: &TestApp,
    cookie: &str,
    accept: &str,
    purpose: &str,
    alt: &str,
    name: &str,
    bytes: &[u8],
) -> common::Page {
    app.post_multipart(
        "/api/upload_consultation_file",
        Some(cookie),
        accept,
        &[
            ("org", "musterstadt"),
            ("slug", SLUG),
            ("purpose", purpose),
            ("alt", alt),
        ],
        ("file", name, bytes),
    )
    .await
}

/// The first `/media/<kind>/…` address in a page.
fn media_url(body: &str, kind: &str) -> String {
    let start = body
        .find(&format!("/media/{kind}/"))
        .unwrap_or_else(|| panic!("no {kind} in {body}"));
    let end = start + body[start..].find('"').expect("closing quote");
    body[start..end].to_string()
}

async fn a_picture_and_a_pdf_are_uploaded_shown_and_served_safely(app: &TestApp) {
    let initiator = draft(app).await;
    let res = upload(
        app,
        &initiator,
        JSON,
        "image",
        "Skizze: Sandkasten unter Linden",
        "skizze.png",
        common::PNG,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // As a browser sends it: quotes as %22 (HTML's multipart/form-data rules).
    let name = "Lageplan %22B%22 <img src=x onerror=alert(1)> Straße.pdf";
    let res = upload(app, &initiator, JSON, "attachment", "", name, &pdf()).await;
    assert_eq!(res.status, 200, "{}", res.body);
    publish(app, &initiator).await;

    let page = app.get(&format!("/musterstadt/{SLUG}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("alt=\"Skizze: Sandkasten unter Linden\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<img src=x"), "file name not escaped");
    let shown = 1 + page.body.find(">Lageplan").expect("the document's name");
    assert!(
        page.body[shown..]
            .starts_with("Lageplan \"B\" &lt;img src=x onerror=alert(1)&gt; Straße.pdf</a>"),
        "{}",
        &page.body[shown - 200..shown + 100]
    );
    assert!(page.body.contains("PDF, 1 KB"), "{}", page.body);

    let doc = app.get(&media_url(&page.body, "attachments")).await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.header("content-type"), "application/pdf");
    assert_eq!(doc.header("x-content-type-options"), "nosniff");
    assert!(doc.header("content-security-policy").contains("sandbox"));
    let disposition = doc.header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''Lageplan%20%22B%22%20%3Cimg%20src%3Dx"),
        "{disposition}"
    );
    assert!(doc.body.starts_with("%PDF-"));

    let img = app.get(&media_url(&page.body, "images")).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.header("content-type"), "image/png");

    // A new picture replaces the old one (whose address is gone); only the text can change too.
    let old = media_url(&page.body, "images");
    let res = upload(
        app,
        &initiator,
        JSON,
        "image",
        "Neue Skizze",
        "neu.png",
        common::PNG,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(app.get(&old).await.status, 404);
    let res = upload(
        app,
        &initiator,
        JSON,
        "image",
        "Neue Skizze, beschrieben",
        "",
        b"",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page = app.get(&format!("/musterstadt/{SLUG}")).await;
    assert!(page.body.contains("alt=\"Neue Skizze, beschrieben\""));

    // Removing a document takes its address away; another consultation's file ids do nothing.
    let editor = app
        .get_with_cookie(&format!("/manage/musterstadt/{SLUG}/edit"), &initiator)
        .await;
    let list = editor
        .body
        .find("class=\"file-list\"")
        .expect("the documents");
    let id_start = list
        + editor.body[list..]
            .find("name=\"file_id\" value=\"")
            .expect("remove form")
        + 22;
    let id: String = editor.body[id_start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let doc_url = media_url(&page.body, "attachments");
    let res = app
        .post_form(
            "/api/remove_consultation_file",
            JSON,
            Some(&initiator),
            &[
                ("org", "musterstadt"),
                ("slug", "verkehrsberuhigung-altstadt"),
                ("file_id", &id),
            ],
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert_eq!(app.get(&doc_url).await.status, 200);
    let remove = [
        ("org", "musterstadt"),
        ("slug", SLUG),
        ("file_id", id.as_str()),
    ];
    let res = app
        .post_form(
            "/api/remove_consultation_file",
            JSON,
            Some(&initiator),
            &remove,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(app.get(&doc_url).await.status, 404);
}

async fn bad_files_are_refused_with_a_specific_message_and_kept_input(app: &TestApp) {
    let initiator = draft(app).await;
    let too_big = {
        let mut b = pdf();
        b.resize(10 * 1024 * 1024 + 1, b' ');
        b
    };
    for (purpose, alt, name, bytes, problem) in [
        (
            "attachment",
            "",
            "virus.exe",
            b"MZ\x90\x00\x03".to_vec(),
            "unsupported_document",
        ),
        (
            "attachment",
            "",
            "seite.pdf",
            b"<html><script>alert(1)</script>".to_vec(),
            "unsupported_document",
        ),
        ("attachment", "", "gross.pdf", too_big, "file_too_large"),
        (
            "attachment",
            "",
            "../../etc/passwd.pdf",
            pdf(),
            "bad_file_name",
        ),
        (
            "attachment",
            "",
            "..\\..\\boot.ini.pdf",
            pdf(),
            "bad_file_name",
        ),
        (
            "attachment",
            "",
            "zwei%0AZeilen.pdf",
            pdf(),
            "bad_file_name",
        ),
        ("attachment", "", "", Vec::new(), "empty"),
        ("image", "", "bild.png", common::PNG.to_vec(), "empty"),
        ("image", "Ein Plan", "plan.pdf", pdf(), "unsupported_image"),
    ] {
        let res = upload(app, &initiator, JSON, purpose, alt, name, &bytes).await;
        assert_eq!(res.status, 422, "{name}: {}", res.body);
        assert!(res.body.contains(problem), "{name}: {}", res.body);
    }
    // Nothing was stored.
    let editor = app
        .get_with_cookie(&format!("/manage/musterstadt/{SLUG}/edit"), &initiator)
        .await;
    assert!(
        !editor.body.contains("/media/attachments/"),
        "{}",
        editor.body
    );

    // Without JavaScript: back to the editor's file section, with the message and the text kept.
    let res = upload(
        app,
        &initiator,
        HTML,
        "image",
        "Spielgeräte aus Holz",
        "bild.gif",
        b"GIF89a",
    )
    .await;
    assert!(res
        .header("location")
        .ends_with(&format!("/manage/musterstadt/{SLUG}/edit#files")));
    let page = app.follow(&res, &initiator).await;
    assert!(page.body.contains("PNG, JPEG oder WebP"), "{}", page.body);
    assert!(
        page.body.contains("value=\"Spielgeräte aus Holz\""),
        "{}",
        page.body
    );
}

async fn files_of_a_draft_are_for_its_staff_only(app: &TestApp) {
    let initiator = draft(app).await;
    let res = upload(
        app,
        &initiator,
        JSON,
        "attachment",
        "",
        "entwurf.pdf",
        &pdf(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let editor = app
        .get_with_cookie(&format!("/manage/musterstadt/{SLUG}/edit"), &initiator)
        .await;
    let url = media_url(&editor.body, "attachments");
    assert_eq!(app.get_with_cookie(&url, &initiator).await.status, 200);
    let resident = app.resident_cookie().await;
    let other_org = app.staff_cookie("moderation@kreis-beispiel.example").await;
    assert_eq!(app.get(&url).await.status, 404);
    assert_eq!(app.get_with_cookie(&url, &resident).await.status, 404);
    assert_eq!(app.get_with_cookie(&url, &other_org).await.status, 404);
    // Residents cannot upload either.
    let res = upload(app, &resident, JSON, "attachment", "", "x.pdf", &pdf()).await;
    assert_eq!(res.status, 403, "{}", res.body);
    // Not in the sitemap either, until it is published.
    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(sitemap.status, 200);
    assert!(sitemap
        .body
        .contains("/musterstadt/verkehrsberuhigung-altstadt</loc>"));
    assert!(!sitemap.body.contains(SLUG), "{}", sitemap.body);
    assert!(!sitemap.body.contains("radweg-nord"), "{}", sitemap.body);
    publish(app, &initiator).await;
    assert_eq!(app.get(&url).await.status, 200);
    assert!(app
        .get("/sitemap.xml")
        .await
        .body
        .contains(&format!("/musterstadt/{SLUG}</loc>")));
}

async fn corrections_after_publication_are_versioned_and_shown(app: &TestApp) {
    let initiator = draft(app).await;
    // Drafts change freely, without a history.
    let draft_body = BODY.replace("Einleitung.", "Einleitung, Entwurf 2.");
    let res = save(app, &initiator, SLUG, &draft_body, "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    publish(app, &initiator).await;
    let page = app.get(&format!("/musterstadt/{SLUG}")).await;
    assert!(!page.body.contains("Geändert am"), "{}", page.body);
    let changes = app.get(&format!("/musterstadt/{SLUG}/changes")).await;
    assert_eq!(changes.status, 200);
    assert!(changes.body.contains("nicht geändert"), "{}", changes.body);

    let corrected = draft_body.replace("Bau im Sommer 2027.", "Bau im Herbst 2027.");
    let res = save(app, &initiator, SLUG, &corrected, "Termin verschoben").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page = app.get(&format!("/musterstadt/{SLUG}")).await;
    assert!(page.body.contains("Geändert am"), "{}", page.body);
    assert!(page.body.contains(&format!("/musterstadt/{SLUG}/changes")));
    let changes = app.get(&format!("/musterstadt/{SLUG}/changes")).await;
    assert!(
        changes.body.contains("Termin verschoben"),
        "{}",
        changes.body
    );
    assert!(changes.body.contains("Sommer"), "{}", changes.body);
    assert!(changes.body.contains("Herbst"), "{}", changes.body);
    let del = changes.body.find("<del>").expect("a deletion");
    let ins = changes.body.find("<ins>").expect("an insertion");
    assert!(changes.body[del..].contains("Sommer") && del < ins);
    assert_eq!(
        changes.body.matches("<h2>Geändert am").count(),
        1,
        "draft edits are not history: {}",
        changes.body
    );

    // Saving the same text again records nothing new.
    let res = save(app, &initiator, SLUG, &corrected, "nochmal").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let changes = app.get(&format!("/musterstadt/{SLUG}/changes")).await;
    assert!(!changes.body.contains("nochmal"), "{}", changes.body);
    // The fairness rules stay fixed: another results setting is refused.
    let res = save_with(
        app,
        &initiator,
        JSON,
        SLUG,
        &corrected,
        "",
        &[("results", "live")],
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    // A draft's changes page is as invisible as the draft.
    assert_eq!(
        app.get("/musterstadt/radweg-nord/changes").await.status,
        404
    );
}

async fn a_save_from_an_outdated_editor_is_refused_and_the_text_kept(app: &TestApp) {
    let initiator = draft(app).await;
    let editor = app
        .get_with_cookie(&format!("/manage/musterstadt/{SLUG}/edit"), &initiator)
        .await;
    let at = editor
        .body
        .find("name=\"edit_version\" value=\"")
        .expect("version")
        + 27;
    let version: String = editor.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let form = |body: &'static str, accept: &'static str| {
        let version = version.clone();
        let initiator = initiator.clone();
        async move {
            let overrides = [("edit_version", version.as_str())];
            save_with(app, &initiator, accept, SLUG, body, "", &overrides).await
        }
    };
    // Two people opened the same editor; the first one saves.
    let res = form("Fassung von Frau A.", JSON).await;
    assert_eq!(res.status, 200, "{}", res.body);
    // The second one's save would overwrite it: refused, nothing written, the text kept.
    let res = form("Fassung von Herrn B.", JSON).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("edited_meanwhile"), "{}", res.body);
    let res = form("Fassung von Herrn B.", HTML).await;
    let page = app.follow(&res, &initiator).await;
    assert!(page.body.contains("Fassung von Herrn B."), "{}", page.body);
    assert!(
        page.body.contains("seit Sie den Editor geöffnet haben"),
        "{}",
        page.body
    );
    let preview = app
        .get_with_cookie(&format!("/musterstadt/{SLUG}"), &initiator)
        .await;
    assert!(preview.body.contains("Fassung von Frau A."));
    assert!(!preview.body.contains("Fassung von Herrn B."));
}

async fn a_section_keeps_its_comments_when_other_sections_change(app: &TestApp) {
    let initiator = draft(app).await;
    publish(app, &initiator).await;
    let anna = app.resident_cookie().await;
    let comment = |section: &'static str, body: &'static str| {
        let anna = anna.clone();
        async move {
            app.post_form(
                "/api/post_comment",
                JSON,
                Some(&anna),
                &[
                    ("org", "musterstadt"),
                    ("slug", SLUG),
                    ("parent_id", ""),
                    ("body", body),
                    ("section", section),
                ],
            )
            .await
        }
    };
    let res = comment("md-zeitplan", "Bitte nicht in den Sommerferien bauen.").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = comment("md-gibt-es-nicht", "Wohin?").await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("section"), "{}", res.body);

    let page = app.get(&format!("/musterstadt/{SLUG}")).await;
    assert!(page.body.contains("href=\"#md-zeitplan\""), "{}", page.body);
    assert!(page.body.contains("1 Kommentar"), "{}", page.body);
    // The form offers the sections; a link from a section preselects it.
    let page = app
        .get_with_cookie(&format!("/musterstadt/{SLUG}?section=md-zeitplan"), &anna)
        .await;
    assert!(
        page.body.contains("<option value=\"md-zeitplan\" selected"),
        "{}",
        page.body
    );

    // Staff rewrite the other section: the comment keeps its section.
    let edited = BODY.replace(
        "Ein neuer Spielplatz.",
        "Ein neuer Spielplatz mit Wasserlauf.",
    );
    let res = save(app, &initiator, SLUG, &edited, "Wasserlauf ergänzt").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page = app.get(&format!("/musterstadt/{SLUG}")).await;
    assert!(page.body.contains("Wasserlauf"));
    assert!(page.body.contains("id=\"md-zeitplan\""));
    let at = page
        .body
        .find("Bitte nicht in den Sommerferien")
        .expect("the comment");
    let article_start = page.body[..at].rfind("<article").expect("its article");
    assert!(
        page.body[article_start..at].contains("href=\"#md-zeitplan\""),
        "{}",
        &page.body[article_start..at]
    );
    assert!(page.body.contains("1 Kommentar"), "{}", page.body);
}
