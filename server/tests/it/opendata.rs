//! The open-data API (`/api/v1/…`, `/api/openapi.json`) and the public results page: only public
//! consultations, only published contributions, nothing about people; lists paged; bad
//! parameters refused in the reader's language; results with charts and tables once published.
//! SQLite and PostgreSQL.

use crate::common;
use crate::reports::{comment, exec, scalar};

use common::TestApp;

on_both_backends!(
    the_api_never_shows_unpublished_hidden_or_personal_data,
    lists_are_paged_and_bad_parameters_refused,
    published_results_have_figures_charts_tables_and_open_data,
);

async fn json(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let res = app.get(path).await;
    assert_eq!(
        res.header("content-type"),
        "application/json",
        "{path}: {}",
        res.body
    );
    let value = serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{path}: {e}"));
    (res.status, value)
}

/// Every item of every page of a list.
async fn all_items(app: &TestApp, first: &str) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(path) = next {
        let (status, page) = json(app, &path).await;
        assert_eq!(status, 200, "{path}: {page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        next = page["paging"]["next"].as_str().map(str::to_string);
    }
    items
}

const ALTSTADT_API: &str = "/api/v1/consultations/musterstadt/verkehrsberuhigung-altstadt";

async fn the_api_never_shows_unpublished_hidden_or_personal_data(app: &TestApp) {
    let (user_id, cookie) = app.participants("Offenedaten", 1).await.remove(0);
    let slug = "verkehrsberuhigung-altstadt";
    let shown = comment(app, &cookie, slug, "Sichtbar: bitte Tempo 20 am Markt").await;
    let hidden = comment(app, &cookie, slug, "Versteckt: Werbung für Kaffeefahrten").await;
    let deleted = comment(app, &cookie, slug, "Gelöscht: doch nicht so gemeint").await;
    exec(
        app,
        "UPDATE comments SET status = 'hidden', hidden_reason = 'spam' WHERE id = $1",
        hidden,
    )
    .await;
    exec(
        app,
        "UPDATE comments SET deleted_at = 1 WHERE id = $1",
        deleted,
    )
    .await;
    // A consultation published to open next year: scheduled, not public yet.
    let next_year = app::db::now() + 365 * 86_400;
    app.musterstadt_consultation(
        "api-geplant",
        "Geplant für später",
        (Some(next_year), None),
        app::participation::Rule::Account,
    )
    .await;

    let items = all_items(app, &format!("{ALTSTADT_API}/contributions")).await;
    let ids: Vec<i64> = items.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&shown), "the published comment is listed");
    assert!(!ids.contains(&hidden), "a hidden comment is not listed");
    assert!(!ids.contains(&deleted), "a deleted comment is not listed");
    let visible = scalar(
        app,
        "SELECT COUNT(*) FROM comments WHERE consultation_id = \
         (SELECT id FROM consultations WHERE slug = 'verkehrsberuhigung-altstadt') \
         AND status = 'published' AND deleted_at IS NULL AND $1 = $1",
        0,
    )
    .await;
    assert_eq!(items.len() as i64, visible, "exactly the published ones");
    let mine = items.iter().find(|c| c["id"] == shown).unwrap();
    assert!(mine["body_html"]
        .as_str()
        .unwrap()
        .contains("Sichtbar: bitte Tempo 20"));
    assert_eq!(mine["url"], format!("/musterstadt/{slug}/comments/{shown}"));

    // Nothing about people anywhere in the API's answers.
    let display_name = "Offenedaten 0";
    let email = "offenedaten0@example.org";
    for path in [
        format!("{ALTSTADT_API}/contributions"),
        ALTSTADT_API.to_string(),
        format!("{ALTSTADT_API}/results"),
        "/api/v1/organisations".to_string(),
        "/api/v1/consultations".to_string(),
    ] {
        let body = app.get(&path).await.body;
        for secret in [
            display_name,
            email,
            "author",
            "user_id",
            "Versteckt:",
            "Gelöscht:",
        ] {
            assert!(!body.contains(secret), "{path} shows {secret:?}: {body}");
        }
    }
    assert!(user_id > 0);

    // The pending (pre-moderated) demo comment of the Kreis is not shown.
    let kreis = all_items(
        app,
        "/api/v1/consultations/kreis-beispiel/nahverkehrsplan/contributions",
    )
    .await;
    assert!(
        !serde_json::to_string(&kreis)
            .unwrap()
            .contains("Buslinie 7 auch sonntags"),
        "pending comments stay out"
    );

    // Drafts and scheduled consultations: neither listed nor reachable.
    let listed = all_items(app, "/api/v1/consultations").await;
    let slugs: Vec<&str> = listed.iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert!(
        slugs.contains(&"verkehrsberuhigung-altstadt") && slugs.contains(&"spielplatz-lindenpark")
    );
    assert!(
        !slugs.contains(&"radweg-nord"),
        "a draft is not listed: {slugs:?}"
    );
    assert!(
        !slugs.contains(&"api-geplant"),
        "a scheduled one is not listed: {slugs:?}"
    );
    for slug in ["radweg-nord", "api-geplant", "gibt-es-nicht"] {
        for tail in ["", "/contributions", "/results", "/results.csv"] {
            let path = format!("/api/v1/consultations/musterstadt/{slug}{tail}");
            let res = app.get(&path).await;
            assert_eq!(res.status, 404, "{path}");
            assert!(
                !res.body.contains("Radweg") && !res.body.contains("Geplant"),
                "{path}: {}",
                res.body
            );
        }
    }
    // Not even through a signed-in staff member's cookie: the API is the public view.
    let staff = app.staff_cookie("redaktion@musterstadt.example").await;
    let res = app
        .get_with_cookie("/api/v1/consultations/musterstadt/radweg-nord", &staff)
        .await;
    assert_eq!(res.status, 404);

    let (_, orgs) = json(app, "/api/v1/organisations").await;
    let musterstadt = orgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "musterstadt")
        .expect("musterstadt listed");
    assert_eq!(musterstadt["parent"], "kreis-beispiel");
    assert!(
        !orgs.to_string().contains("@"),
        "no contact addresses: {orgs}"
    );
}

async fn lists_are_paged_and_bad_parameters_refused(app: &TestApp) {
    let id = scalar(
        app,
        "SELECT id FROM consultations WHERE slug = 'verkehrsberuhigung-altstadt' AND $1 = $1",
        0,
    )
    .await;
    let before = scalar(
        app,
        "SELECT COUNT(*) FROM comments WHERE consultation_id = $1 AND status = 'published' AND deleted_at IS NULL",
        id,
    )
    .await;
    for i in 0..(app::opendata::PER_PAGE + 5) {
        app::on_db!(&app.db, |pool| sqlx::query(
            "INSERT INTO comments (consultation_id, author_name, body, body_html, status, created_at) \
             VALUES ($1, 'Jemand', $2, '', 'published', $3)"
        )
        .bind(id)
        .bind(format!("Beitrag Nummer {i} mit *Betonung*"))
        .bind(1_700_000_000 + i)
        .execute(pool)
        .await
        .map(|_| ()))
        .unwrap();
    }
    let total = before + app::opendata::PER_PAGE + 5;
    let (status, first) = json(app, &format!("{ALTSTADT_API}/contributions")).await;
    assert_eq!(status, 200);
    assert_eq!(first["paging"]["total"], total);
    assert_eq!(first["paging"]["per_page"], app::opendata::PER_PAGE);
    assert_eq!(
        first["items"].as_array().unwrap().len() as i64,
        app::opendata::PER_PAGE
    );
    assert_eq!(
        first["paging"]["next"],
        format!("{ALTSTADT_API}/contributions?page=2")
    );
    let (_, second) = json(app, &format!("{ALTSTADT_API}/contributions?page=2")).await;
    assert_eq!(
        second["items"].as_array().unwrap().len() as i64,
        total - app::opendata::PER_PAGE
    );
    assert!(second["paging"]["next"].is_null());
    // Stored without HTML (as older rows may be): rendered through the sanitiser on the way out.
    let text = second.to_string();
    assert!(text.contains("<em>Betonung</em>"), "{text}");
    let all = all_items(app, &format!("{ALTSTADT_API}/contributions")).await;
    let mut ids: Vec<i64> = all.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    ids.dedup();
    assert_eq!(
        ids.len() as i64,
        total,
        "every contribution once, none twice"
    );

    for (path, parameter) in [
        (format!("{ALTSTADT_API}/contributions?page=0"), "page"),
        ("/api/v1/organisations?page=zwei".to_string(), "page"),
        ("/api/v1/consultations?status=geheim".to_string(), "status"),
    ] {
        let (status, err) = json(app, &path).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(err["error"], "invalid_parameter");
        assert_eq!(err["parameter"], parameter);
        assert!(
            err["message"].as_str().unwrap().contains("muss"),
            "German by default: {err}"
        );
    }
    let (_, err) = json(app, "/api/v1/consultations?status=geheim&lang=en").await;
    assert_eq!(
        err["message"],
        "status must be open, closed, results or all."
    );

    let (_, open) = json(
        app,
        "/api/v1/consultations?status=open&organisation=kreis-beispiel",
    )
    .await;
    let slugs: Vec<&str> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert!(
        slugs.contains(&"nahverkehrsplan") && slugs.contains(&"verkehrsberuhigung-altstadt"),
        "{slugs:?}"
    );
    assert!(
        !slugs.contains(&"spielplatz-lindenpark"),
        "closed ones are filtered out: {slugs:?}"
    );

    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), "*");
    let doc: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert!(
        doc["paths"]["/api/v1/consultations/{organisation}/{slug}/contributions"]["get"]
            .is_object()
    );
    assert!(doc["components"]["schemas"]["Paging"].is_object());
}

async fn published_results_have_figures_charts_tables_and_open_data(app: &TestApp) {
    const PAGE: &str = "/musterstadt/verkehrsberuhigung-altstadt/results";
    let id = scalar(
        app,
        "SELECT id FROM consultations WHERE slug = 'verkehrsberuhigung-altstadt' AND $1 = $1",
        0,
    )
    .await;
    // While it is open there are no published results.
    assert_eq!(app.get(PAGE).await.status, 404);

    // Three people answer the two required questions (yes/no and a single choice).
    let questions: Vec<(i64, String)> = app::on_db!(&app.db, |pool| {
        sqlx::query_as(
        "SELECT id, kind FROM questionnaire_questions WHERE consultation_id = $1 ORDER BY position"
    )
    .bind(id)
    .fetch_all(pool)
    .await
    })
    .unwrap();
    let single = questions.iter().find(|(_, k)| k == "single").unwrap().0;
    let yes_no = questions.iter().find(|(_, k)| k == "yes_no").unwrap().0;
    let first_option = scalar(
        app,
        "SELECT MIN(id) FROM questionnaire_options WHERE question_id = $1",
        single,
    )
    .await;
    for (i, (_, cookie)) in app.participants("Ergebnis", 3).await.iter().enumerate() {
        let vote = if i < 2 { "yes" } else { "no" };
        let (q1, q2, o) = (
            format!("answers[q{yes_no}][]"),
            format!("answers[q{single}][]"),
            first_option.to_string(),
        );
        let form = [
            ("org", "musterstadt"),
            ("slug", "verkehrsberuhigung-altstadt"),
            (q1.as_str(), vote),
            (q2.as_str(), o.as_str()),
        ];
        let res = app
            .post_form(
                "/api/submit_questionnaire",
                crate::reports::JSON,
                Some(cookie),
                &form,
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
    }
    exec(
        app,
        "UPDATE consultations SET status = 'results_published' WHERE id = $1",
        id,
    )
    .await;

    let page = app.get(PAGE).await;
    assert_eq!(page.status, 200);
    let html = page.body;
    for expected in [
        "Kennzahlen",
        "Ausgefüllte Fragebögen",
        "Soll in der gesamten Altstadt Tempo 20 gelten?",
        "<svg",
        "role=\"img\"",
        "<table class=\"result-table\"",
        "Antworten der Verwaltung",
        "/api/v1/consultations/musterstadt/verkehrsberuhigung-altstadt/results.csv",
    ] {
        assert!(html.contains(expected), "results page lacks {expected:?}");
    }
    // The chart's text alternative carries the numbers: 2 of 3 said yes.
    assert!(html.contains("Ja: 2 (67 %)"), "the yes/no chart: {html}");
    let consultation = app
        .get("/musterstadt/verkehrsberuhigung-altstadt")
        .await
        .body;
    assert!(consultation.contains("href=\"/musterstadt/verkehrsberuhigung-altstadt/results\""));

    let (status, results) = json(app, &format!("{ALTSTADT_API}/results")).await;
    assert_eq!(status, 200);
    assert_eq!(results["consultation"]["status"], "results_published");
    assert_eq!(results["figures"]["responses"], 3);
    let q = results["questionnaire"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["kind"] == "yes_no")
        .unwrap();
    assert_eq!(q["answered"], 3);
    let yes = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["answer"] == "yes")
        .unwrap();
    assert_eq!(yes["count"], 2);

    let res = app.get(&format!("{ALTSTADT_API}/results.csv")).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/csv"));
    assert!(
        res.body.starts_with('\u{feff}'),
        "with a BOM for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(res.body.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "question",
            "prompt",
            "kind",
            "answered",
            "answer",
            "count",
            "share_percent",
            "mean_rank"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let yes_row = rows
        .iter()
        .find(|r| &r[2] == "yes_no" && &r[4] == "yes")
        .expect("the yes line");
    assert_eq!((&yes_row[5], &yes_row[6]), ("2", "66.7"));
}
