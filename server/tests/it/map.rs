//! Maps: initiators give a consultation a place and an area (as text, with or without
//! JavaScript), its page shows them without JavaScript (text, SVG sketch) and for the map script
//! (`data-map`), residents pin comments inside the area only, and the home page's map never shows
//! what is not open. SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, ALTSTADT};

on_both_backends!(
    an_initiator_saves_a_place_with_and_without_javascript,
    a_bad_area_is_refused_with_the_text_kept,
    the_page_shows_the_place_without_javascript,
    a_pin_inside_the_area_is_accepted_and_shown,
    a_pin_outside_the_area_is_refused_with_the_text_kept,
    the_home_map_shows_open_consultations_only,
    the_tile_server_is_the_only_other_image_source,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";
const TRIANGLE: &str = "51.53, 9.93\n51.53, 9.94\n51.54, 9.94";

/// The editor's form for a new draft in musterstadt, with `overrides`.
fn form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    common::consultation_form(&[
        &[
            ("org", "musterstadt"),
            ("original", ""),
            ("slug", "marktplatz-karte"),
            ("title", "Marktplatz mit Karte"),
            ("summary", "Wo sollen die Bänke stehen?"),
            ("plain_summary", ""),
            ("body", "## Worum es geht\n\nDer Platz."),
            ("topic", ""),
            ("office", ""),
            ("contact", ""),
            ("opens_at", ""),
            ("closes_at", ""),
            ("moderation", "post"),
            ("rule", "account"),
            ("location", "Marktplatz 1, vor dem Rathaus"),
            ("area", TRIANGLE),
        ],
        overrides,
    ])
}

async fn save(
    app: &TestApp,
    cookie: &str,
    accept: &str,
    overrides: &[(&str, &str)],
) -> common::Page {
    app.post_form(
        "/api/save_consultation",
        accept,
        Some(cookie),
        &form(overrides),
    )
    .await
}

async fn place_of(app: &TestApp, slug: &str) -> app::consultation::Place {
    let c = app::consultation::repo::find_for_staff(&app.db, "musterstadt", slug)
        .await
        .unwrap()
        .expect("consultation exists");
    app::consultation::repo::place(&app.db, c.id).await.unwrap()
}

fn json(page: &common::Page) -> serde_json::Value {
    serde_json::from_str(&page.body).unwrap_or_else(|_| panic!("not JSON: {}", page.body))
}

/// A comment by Anna with a pin, posted by her hydrated page (`JSON`) or a plain form (`HTML`).
async fn pin_comment(
    app: &TestApp,
    accept: &str,
    path: &str,
    body: &str,
    lat: &str,
    lon: &str,
) -> common::Page {
    let (org, slug) = path.trim_start_matches('/').split_once('/').unwrap();
    let anna = app.resident_cookie().await;
    app.post_form(
        "/api/post_comment",
        accept,
        Some(&anna),
        &[
            ("org", org),
            ("slug", slug),
            ("parent_id", ""),
            ("body", body),
            ("pin_lat", lat),
            ("pin_lon", lon),
        ],
    )
    .await
}

async fn an_initiator_saves_a_place_with_and_without_javascript(app: &TestApp) {
    use app::geo::{Area, LatLon};
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    // With JavaScript: three lines make a polygon, stored as GeoJSON.
    let res = save(app, &initiator, JSON, &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let place = place_of(app, "marktplatz-karte").await;
    assert_eq!(place.location, "Marktplatz 1, vor dem Rathaus");
    let Some(Area::Polygon(ring)) = &place.area else {
        panic!("a polygon: {place:?}")
    };
    assert_eq!(ring.len(), 3);
    // The editor shows it as the lines it was typed as, with the drawing map above.
    let edit = app
        .get_with_cookie("/manage/musterstadt/marktplatz-karte/edit", &initiator)
        .await;
    let b = &edit.body;
    assert!(b.contains("data-map=\"edit\""), "{b}");
    assert!(b.contains("data-target=\"editor-area\""));
    assert!(b.contains(&format!("{TRIANGLE}</textarea>")), "{b}");
    assert!(b.contains("value=\"Marktplatz 1, vor dem Rathaus\""));
    // Without JavaScript: a point instead; the editor comes back saved.
    let res = save(
        app,
        &initiator,
        HTML,
        &[
            ("original", "marktplatz-karte"),
            ("area", "51,5336; 9,9355"),
        ],
    )
    .await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert_eq!(
        res.header("location"),
        "/manage/musterstadt/marktplatz-karte/edit?saved=1"
    );
    let place = place_of(app, "marktplatz-karte").await;
    assert_eq!(
        place.area,
        Some(Area::Point(LatLon::new(51.5336, 9.9355).unwrap()))
    );
    // A pasted GeoJSON geometry works too, and an empty field removes the area.
    let geojson = r#"{"type":"Point","coordinates":[9.94,51.54]}"#;
    let res = save(
        app,
        &initiator,
        JSON,
        &[("original", "marktplatz-karte"), ("area", geojson)],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        place_of(app, "marktplatz-karte").await.area,
        Some(Area::Point(LatLon::new(51.54, 9.94).unwrap()))
    );
    let res = save(
        app,
        &initiator,
        JSON,
        &[
            ("original", "marktplatz-karte"),
            ("area", " \n "),
            ("location", ""),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        place_of(app, "marktplatz-karte").await,
        app::consultation::Place::default()
    );
    // Moderators may not.
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    let res = save(
        app,
        &moderator,
        JSON,
        &[("original", "marktplatz-karte"), ("area", TRIANGLE)],
    )
    .await;
    assert_eq!(res.status, 403);
    assert_eq!(place_of(app, "marktplatz-karte").await.area, None);
}

async fn a_bad_area_is_refused_with_the_text_kept(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    for (area, code) in [
        ("51.53, 9.93\n51.54, 9.94", "area_two_points"),
        ("Marktplatz", "area_line"),
        ("95, 9.93", "area_range"),
        ("0, 0\n1, 1\n0, 1\n1, 0", "area_self_intersecting"),
        (
            r#"{"type":"LineString","coordinates":[[9,51],[10,52]]}"#,
            "area_geojson",
        ),
    ] {
        let res = save(app, &initiator, JSON, &[("area", area)]).await;
        assert_eq!(res.status, 422, "{area}: {}", res.body);
        let json = json(&res);
        assert_eq!(json["field"], "area", "{area}");
        assert_eq!(json["problem"]["code"], code, "{area}");
    }
    // Nothing was created by the refused posts.
    assert!(
        app::consultation::repo::find_for_staff(&app.db, "musterstadt", "marktplatz-karte")
            .await
            .unwrap()
            .is_none()
    );
    // Without JavaScript: back to the editor, the error names the line, every text is kept.
    let typed = "51.53, 9.93\nbeim Brunnen\n51.54, 9.94";
    let res = save(app, &initiator, HTML, &[("area", typed)]).await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert_eq!(res.header("location"), "/manage/musterstadt/new");
    let cookie = format!("{initiator}; {}", res.cookie("mitreden_flash").unwrap());
    let page = app
        .get_with_cookie("/manage/musterstadt/new", &cookie)
        .await;
    let b = &page.body;
    assert!(b.contains("id=\"editor-area-error\""), "{b}");
    assert!(
        b.contains("Zeile 2 des Gebiets ist keine Koordinate"),
        "{b}"
    );
    assert!(b.contains(&format!("{typed}</textarea>")), "{b}");
    assert!(b.contains("value=\"Marktplatz mit Karte\""));
    assert!(b.contains("value=\"Marktplatz 1, vor dem Rathaus\""));
}

async fn the_page_shows_the_place_without_javascript(app: &TestApp) {
    let page = app.get(ALTSTADT).await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    // In words, as a sketch with a text alternative, and as a link to a full map.
    assert!(b.contains("id=\"place-heading\""), "{b}");
    assert!(b.contains("Altstadt innerhalb des Wallrings"));
    assert!(b.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"area-sketch\""));
    assert!(b.contains("role=\"img\" aria-label=\"Skizze des Gebiets, Norden oben: Eine Fläche mit 8 Eckpunkten um 51."), "{b}");
    assert!(b.contains("<polygon class=\"area-shape\""));
    assert!(b.contains("https://www.openstreetmap.org/?mlat=51."));
    // The container map.js turns into a live map: empty, with the area as GeoJSON.
    assert!(b.contains("data-map=\"view\""));
    assert!(
        b.contains("&quot;type&quot;:&quot;Polygon&quot;") || b.contains("\"type\":\"Polygon\"")
    );
    assert!(b.contains("<meta name=\"mitreden-map-tiles\" content=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""));
    assert!(b.contains(" src=\"/map.js\" defer"));
    // No comment form for a signed-out reader, so no pin fields either.
    assert!(!b.contains("name=\"pin_lat\""));
    let anna = app.resident_cookie().await;
    let page = app.get_with_cookie(ALTSTADT, &anna).await;
    assert!(page.body.contains("name=\"pin_lat\""));
    assert!(page.body.contains("data-map=\"pin\""));
    // A consultation without a place has no such section and no pin fields.
    let page = app
        .get_with_cookie("/kreis-beispiel/nahverkehrsplan", &anna)
        .await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("area-sketch"));
    assert!(!page.body.contains("place-heading"));
}

async fn a_pin_inside_the_area_is_accepted_and_shown(app: &TestApp) {
    let res = pin_comment(
        app,
        JSON,
        ALTSTADT,
        "Hier fehlt ein Zebrastreifen.",
        "51.5337",
        "9.936",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let comment = &json(&res)["Published"];
    assert_eq!(comment["pin"]["lat"], 51.5337);
    let id = comment["id"].as_i64().unwrap();
    // Without JavaScript, with a decimal comma.
    let res = pin_comment(
        app,
        HTML,
        ALTSTADT,
        "Und hier einen Fahrradständer.",
        "51,5330",
        "9,9340",
    )
    .await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert!(res
        .header("location")
        .starts_with(&format!("{ALTSTADT}#comment-")));
    let page = app.get(ALTSTADT).await;
    let b = &page.body;
    assert!(b.contains("Auf der Karte markiert: 51.5337, 9.936"), "{b}");
    assert!(b.contains("Auf der Karte markiert: 51.533, 9.934"));
    // In the sketch as red dots, and in the live map's data.
    assert_eq!(b.matches("class=\"area-pin\"").count(), 2);
    assert!(b.contains("2 Beiträge sind auf der Karte markiert"));
    assert!(
        b.contains(&format!("&quot;id&quot;:{id}")) || b.contains(&format!("\"id\":{id}")),
        "{b}"
    );
}

async fn a_pin_outside_the_area_is_refused_with_the_text_kept(app: &TestApp) {
    for (lat, lon, code) in [
        ("48.137", "11.575", "pin_outside"),
        ("51.5337", "", "pin_invalid"),
        ("hier", "9.93", "pin_invalid"),
        ("51.5337", "200", "pin_invalid"),
    ] {
        let res = pin_comment(app, JSON, ALTSTADT, "Irgendwo", lat, lon).await;
        assert_eq!(res.status, 422, "{lat} {lon}: {}", res.body);
        let json = json(&res);
        assert_eq!(json["field"], "pin");
        assert_eq!(json["problem"]["code"], code, "{lat} {lon}");
    }
    // Without JavaScript: back to the form, which is open at the pin with the error and both
    // the text and the coordinates kept.
    let res = pin_comment(app, HTML, ALTSTADT, "Mein Text bleibt", "48.137", "11.575").await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), format!("{ALTSTADT}#comment-form"));
    let page = app
        .get_with_flash(ALTSTADT, &res.cookie("mitreden_flash").unwrap())
        .await;
    let b = &page.body;
    assert!(b.contains("id=\"comment-pin-error\""), "{b}");
    assert!(b.contains("Dieser Ort liegt außerhalb des Gebiets der Beteiligung."));
    assert!(b.contains("Mein Text bleibt</textarea>"));
    assert!(b.contains("value=\"48.137\"") && b.contains("value=\"11.575\""));
    assert!(b.contains("<details open class=\"pin-details\">"), "{b}");
    assert!(!b.contains("Auf der Karte markiert"));
    // A consultation without an area takes no pins at all.
    let rule = app::participation::Rule::Account;
    app.musterstadt_consultation("ohne-karte", "Ohne Karte", (None, None), rule)
        .await;
    let res = pin_comment(app, JSON, "/musterstadt/ohne-karte", "Da", "51.5", "9.9").await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(json(&res)["problem"]["code"], "pin_no_area");
    let res = pin_comment(app, JSON, "/musterstadt/ohne-karte", "Ohne Ort", "", "").await;
    assert_eq!(res.status, 200, "{}", res.body);
}

async fn the_home_map_shows_open_consultations_only(app: &TestApp) {
    let initiator = app.staff_cookie("redaktion@musterstadt.example").await;
    // A draft and a scheduled consultation with areas, and a closed one given an area.
    let res = save(
        app,
        &initiator,
        JSON,
        &[("slug", "geheimer-entwurf"), ("title", "Geheimer Entwurf")],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = save(
        app,
        &initiator,
        JSON,
        &[
            ("slug", "kuenftige-planung"),
            ("title", "Künftige Planung"),
            ("opens_at", "2099-01-01T10:00"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = app
        .post_form(
            "/api/change_phase",
            JSON,
            Some(&initiator),
            &[
                ("org", "musterstadt"),
                ("slug", "kuenftige-planung"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let closed =
        app::consultation::repo::find_public(&app.db, "musterstadt", "spielplatz-lindenpark")
            .await
            .unwrap()
            .unwrap();
    app::consultation::repo::save_place(
        &app.db,
        closed.id,
        "Lindenpark",
        r#"{"type":"Point","coordinates":[9.92,51.54]}"#,
    )
    .await
    .unwrap();

    let markers = app::consultation::repo::open_places(&app.db).await.unwrap();
    let mut paths: Vec<&str> = markers.iter().map(|m| m.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/musterstadt/spielstrasse-lindenweg",
            "/musterstadt/verkehrsberuhigung-altstadt"
        ]
    );
    // The Altstadt's marker sits inside its area.
    let altstadt = markers.iter().find(|m| m.path == ALTSTADT).unwrap();
    let place = place_of(app, "verkehrsberuhigung-altstadt").await;
    assert!(place.area.unwrap().contains(altstadt.at));

    let home = app.get("/").await;
    let b = &home.body;
    assert!(b.contains("data-map=\"overview\""), "{b}");
    assert!(b.contains("id=\"home-map-heading\""));
    for hidden in [
        "Geheimer Entwurf",
        "Künftige Planung",
        "Neuer Spielplatz im Lindenpark",
    ] {
        assert!(!b.contains(hidden), "{hidden} on the home page");
    }
    // The map follows no filter: a search that finds nothing still has the open ones on it.
    let searched = app.get("/?q=Nichtvorhanden").await;
    assert!(searched.body.contains("Spielstraße Lindenweg"));
}

async fn the_tile_server_is_the_only_other_image_source(app: &TestApp) {
    let page = app.get(ALTSTADT).await;
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    for directive in csp.split(';').filter(|d| !d.trim().starts_with("img-src")) {
        assert!(!directive.contains("openstreetmap"), "{directive}");
    }
}
