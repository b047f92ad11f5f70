//! Staff exports of a consultation: CSV read back by a real parser (quotes, line breaks,
//! semicolons, formula prefixes), XLSX opened as the zip it is, JSON and JSON lines parsed,
//! GeoJSON checked against the spec's structure; personal data only when an organisation admin
//! asks; nobody else exports; every export is audited; `mitreden export` and `mitreden
//! seed-load` on the same database. SQLite and PostgreSQL.

use crate::common;
use crate::reports::{scalar, JSON};

use common::{TestApp, ALTSTADT};

on_both_backends!(
    csv_round_trips_every_field_with_either_separator,
    xlsx_json_and_geojson_hold_the_rows,
    personal_data_only_for_organisation_admins_and_nobody_else_exports,
    the_command_line_exports_what_seed_load_wrote,
);

const EXPORT: &str = "/manage/musterstadt/verkehrsberuhigung-altstadt/export";
const INITIATOR: &str = "redaktion@musterstadt.example";

/// Texts that break naive CSV: quotes, separators, line breaks, formula prefixes.
const TRICKY: [&str; 6] = [
    "Sie sagte \"Tempo 30\"; dann ging sie, und zwar schnell.",
    "Erste Zeile\nZweite Zeile\r\nDritte Zeile",
    "=HYPERLINK(\"http://böse.example\",\"klick\")",
    "+49 170 1234567 ist keine Formel",
    "-5 Grad am Morgen, Glätte an der Brücke",
    "@Stadtverwaltung bitte prüfen",
];

async fn download(app: &TestApp, cookie: Option<&str>, query: &str) -> (u16, String, Vec<u8>) {
    let mut req = app.client.get(app.url(&format!("{EXPORT}{query}")));
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.expect("GET export");
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = res.bytes().await.expect("body").to_vec();
    (status, content_type, bytes)
}

/// Posts the tricky comments as Anna; returns their ids in order.
async fn tricky_comments(app: &TestApp) -> Vec<i64> {
    let anna = app.resident_cookie().await;
    let mut ids = Vec::new();
    for text in TRICKY {
        let res = app
            .post_comment_as(
                Some(&anna),
                JSON,
                "musterstadt",
                "verkehrsberuhigung-altstadt",
                "",
                text,
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        ids.push(v["Published"]["id"].as_i64().expect("id"));
    }
    ids
}

async fn stored_body(app: &TestApp, id: i64) -> String {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT body FROM comments WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await)
    .unwrap()
}

async fn comment_count(app: &TestApp) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM comments c JOIN consultations k ON k.id = c.consultation_id \
         WHERE k.slug = 'verkehrsberuhigung-altstadt'"
    )
    .fetch_one(pool)
    .await)
    .unwrap()
}

async fn csv_round_trips_every_field_with_either_separator(app: &TestApp) {
    let ids = tricky_comments(app).await;
    let staff = app.staff_cookie(INITIATOR).await;
    for (sep, byte) in [("", b','), ("%3B", b';')] {
        let (status, content_type, bytes) = download(
            app,
            Some(&staff),
            &format!("?kind=contributions&format=csv&sep={sep}"),
        )
        .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "byte-order mark");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(byte)
            .from_reader(&bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
        let (id_col, text_col, participant_col) = (col("id"), col("text"), col("participant"));
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len() as i64, comment_count(app).await);
        for id in &ids {
            let row = records
                .iter()
                .find(|r| r[id_col] == id.to_string())
                .expect("every comment has its row");
            let stored = stored_body(app, *id).await;
            let cell = &row[text_col];
            if stored.starts_with(['=', '+', '-', '@', '\t']) {
                assert_eq!(cell, format!("'{stored}"), "formula made inert");
            } else {
                assert_eq!(cell, stored, "round trip");
            }
            assert!(row[participant_col].starts_with("T-"), "pseudonymous");
            assert_eq!(row.len(), headers.len());
        }
        // No cell outside the formula guard starts like a formula.
        for r in &records {
            for cell in r.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '@', '\t']),
                    "a live formula: {cell}"
                );
            }
        }
    }
}

async fn xlsx_json_and_geojson_hold_the_rows(app: &TestApp) {
    use std::io::Read;
    let anna = app.resident_cookie().await;
    let pinned = app
        .post_form(
            "/api/post_comment",
            JSON,
            Some(&anna),
            &[
                ("org", "musterstadt"),
                ("slug", "verkehrsberuhigung-altstadt"),
                ("parent_id", ""),
                (
                    "body",
                    "Hier fehlt ein Zebrastreifen <b>jetzt</b> & sofort.",
                ),
                ("pin_lat", "51.5337"),
                ("pin_lon", "9.936"),
            ],
        )
        .await;
    assert_eq!(pinned.status, 200, "{}", pinned.body);
    let total = comment_count(app).await;
    let staff = app.staff_cookie(INITIATOR).await;

    // XLSX: a zip with one sheet per kind; the contributions sheet has a row per comment.
    let (status, content_type, bytes) = download(app, Some(&staff), "?format=xlsx").await;
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    for sheet in ["contributions", "responses", "votes"] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{workbook}"
        );
    }
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert_eq!(
        sheet.matches("<row ").count() as i64,
        total + 1,
        "header and rows"
    );
    assert!(sheet.contains("Hier fehlt ein Zebrastreifen &lt;b&gt;jetzt&lt;/b&gt; &amp; sofort."));

    // JSON: one array; JSON lines: one object a line; the same rows.
    let (status, _, bytes) = download(app, Some(&staff), "?format=json").await;
    assert_eq!(status, 200);
    let array: Vec<serde_json::Value> = serde_json::from_slice(&bytes).expect("JSON array");
    assert_eq!(array.len() as i64, total);
    let (status, _, bytes) = download(app, Some(&staff), "?format=jsonl").await;
    assert_eq!(status, 200);
    let lines: Vec<serde_json::Value> = String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one object a line"))
        .collect();
    assert_eq!(lines, array);
    let with_pin = array
        .iter()
        .find(|r| r["lat"] == 51.5337)
        .expect("the pinned comment");
    assert_eq!(with_pin["lon"], 9.936);

    // GeoJSON (RFC 7946): a FeatureCollection of Features, the area first, then the pins with
    // [longitude, latitude].
    let (status, content_type, bytes) = download(app, Some(&staff), "?format=geojson").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/geo+json");
    let geo: serde_json::Value = serde_json::from_slice(&bytes).expect("GeoJSON");
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert!(f["properties"].is_object());
        let kind = f["geometry"]["type"].as_str().unwrap();
        assert!(["Point", "Polygon"].contains(&kind), "{kind}");
        assert!(f["geometry"]["coordinates"].is_array());
    }
    assert_eq!(features[0]["properties"]["kind"], "area");
    assert_eq!(features[0]["geometry"]["type"], "Polygon");
    let ring = features[0]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    assert_eq!(ring.first(), ring.last(), "a closed ring");
    let pins: Vec<&serde_json::Value> = features[1..].iter().collect();
    assert_eq!(pins.len(), 1, "only pinned comments");
    assert_eq!(
        pins[0]["geometry"]["coordinates"],
        serde_json::json!([9.936, 51.5337])
    );
    assert_eq!(pins[0]["properties"]["id"], with_pin["id"]);
}

async fn personal_data_only_for_organisation_admins_and_nobody_else_exports(app: &TestApp) {
    tricky_comments(app).await;
    let exported = || async {
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'exported' AND consultation_id = $1",
            app::consultation::repo::find_for_staff(
                &app.db,
                "musterstadt",
                "verkehrsberuhigung-altstadt",
            )
            .await
            .unwrap()
            .unwrap()
            .id,
        )
        .await
    };
    // Without personal data: pseudonyms, no names, no addresses.
    let staff = app.staff_cookie(INITIATOR).await;
    let (status, _, bytes) = download(app, Some(&staff), "?format=csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("Anna"), "no display names by default");
    assert!(!text.contains("@example.org"), "never an address");
    assert!(!text.contains("participant_name"));
    assert_eq!(exported().await, 1);
    // The same person has the same pseudonym in the next export.
    let (_, _, again) = download(app, Some(&staff), "?format=csv").await;
    assert_eq!(String::from_utf8(again).unwrap(), text);

    // Display names: not for initiators, for organisation admins (the instance admin here).
    let (status, _, _) = download(app, Some(&staff), "?format=csv&personal=1").await;
    assert_eq!(status, 403);
    let admin = app.staff_cookie("admin@example.org").await;
    let (status, _, bytes) = download(app, Some(&admin), "?format=csv&personal=1").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("participant_name"));
    assert!(text.contains("Anna"));
    assert!(!text.contains("@example.org"), "never an address");
    assert_eq!(exported().await, 3);
    let reason = app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT reason FROM audit_log WHERE action = 'exported' ORDER BY id DESC LIMIT 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(reason, "export contributions csv, with display names");

    // Nobody else: signed out, a resident, another organisation's moderator, a wrong value.
    assert_eq!(download(app, None, "?format=csv").await.0, 401);
    let anna = app.resident_cookie().await;
    assert_eq!(download(app, Some(&anna), "?format=csv").await.0, 403);
    let kreis = app.staff_cookie("moderation@kreis-beispiel.example").await;
    assert_eq!(download(app, Some(&kreis), "?format=csv").await.0, 403);
    let mod_muster = app.staff_cookie("moderation@musterstadt.example").await;
    assert_eq!(download(app, Some(&mod_muster), "?format=csv").await.0, 403);
    assert_eq!(download(app, Some(&staff), "?format=pdf").await.0, 422);
    assert_eq!(download(app, Some(&staff), "?kind=users").await.0, 422);
    assert_eq!(exported().await, 3, "refusals are not exports");
    let res = app
        .get_with_cookie(
            "/manage/kreis-beispiel/verkehrsberuhigung-altstadt/export",
            &staff,
        )
        .await;
    assert!([403, 404].contains(&res.status), "{}", res.status);
    let _ = ALTSTADT;
}

async fn the_command_line_exports_what_seed_load_wrote(app: &TestApp) {
    let mitreden = env!("CARGO_BIN_EXE_mitreden");
    let before = comment_count(app).await;
    let out = std::process::Command::new(mitreden)
        .args([
            "seed-load",
            "--consultation",
            "musterstadt/verkehrsberuhigung-altstadt",
            "--comments",
            "1200",
            "--votes",
            "3000",
            "--database-url",
            &app.database_url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(comment_count(app).await, before + 1200);
    let votes = app::on_db!(&app.db, |pool| sqlx::query_as::<_, (i64, i64)>(
        "SELECT (SELECT COUNT(*) FROM comment_votes v JOIN comments c ON c.id = v.comment_id \
         JOIN consultations k ON k.id = c.consultation_id \
         WHERE k.slug = 'verkehrsberuhigung-altstadt'), \
         (SELECT CAST(COALESCE(SUM(c.up_votes), 0) AS BIGINT) FROM comments c \
         JOIN consultations k ON k.id = c.consultation_id \
         WHERE k.slug = 'verkehrsberuhigung-altstadt')"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let demo_votes = votes.0 - 3000;
    assert!(demo_votes >= 0);
    assert_eq!(votes.0, votes.1, "counts match the vote rows");

    let dir = std::env::temp_dir().join(format!("mitreden-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("out.csv");
    let out = std::process::Command::new(mitreden)
        .args([
            "export",
            "--consultation",
            "musterstadt/verkehrsberuhigung-altstadt",
            "--format",
            "csv",
            "--separator",
            "semicolon",
            "--output",
            file.to_str().unwrap(),
            "--database-url",
            &app.database_url,
            "--data-dir",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&file).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let rows = reader.records().count() as i64;
    assert_eq!(rows, before + 1200);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{rows} row(s)")));
    // Votes too, and an audit entry without an actor.
    let out = std::process::Command::new(mitreden)
        .args([
            "export",
            "--consultation",
            "musterstadt/verkehrsberuhigung-altstadt",
            "--kind",
            "votes",
            "--format",
            "jsonl",
            "--database-url",
            &app.database_url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count() as i64,
        votes.0
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'exported' AND actor_user_id IS NULL \
             AND id > $1",
            0
        )
        .await,
        2
    );
    // One-line errors.
    let out = std::process::Command::new(mitreden)
        .args([
            "export",
            "--consultation",
            "musterstadt",
            "--database-url",
            &app.database_url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ORG/SLUG"));
    let _ = std::fs::remove_dir_all(dir);
}
