//! Maps: the empty containers that public/map.js turns into Leaflet maps (`data-map`), and what
//! stands in for them without JavaScript or tiles — a server-drawn SVG sketch, text and links.
//! The containers have no children in the view, so Leaflet's DOM never disturbs hydration.

use leptos::prelude::*;

use crate::consultation::{MapMarker, Place};
use crate::geo::{Area, LatLon};
use crate::i18n::{use_texts, Texts};

/// The words map.js shows (zoom buttons, drawing tools), in the page's language.
pub fn texts_json(t: &Texts) -> String {
    serde_json::json!({
        "zoomIn": t.map_zoom_in,
        "zoomOut": t.map_zoom_out,
        "polygon": t.map_tool_polygon,
        "point": t.map_tool_point,
        "undo": t.map_tool_undo,
        "clear": t.map_tool_clear,
        "help": t.map_editor_help,
        "pinClear": t.pin_clear,
        "toComment": t.map_to_comment,
    })
    .to_string()
}

/// What the area is, in words (the text alternative of every map of it).
pub fn describe(t: &Texts, area: &Area) -> String {
    match area {
        Area::Point(p) => (t.map_point_at)(&p.text()),
        Area::Polygon(ring) => (t.map_area_around)(ring.len(), &area.centroid().text()),
    }
}

/// The "Ort" section of a consultation page: the place in words, the area as an SVG sketch
/// (always, so it works without JavaScript and without tiles) and as a Leaflet map with the
/// comments pinned in it, a description and a link to OpenStreetMap.
#[component]
pub fn PlaceSection(
    place: Place,
    pins: Vec<(i64, LatLon)>,
    /// The consultation's address: each pin links to its comment's own page.
    path: String,
) -> impl IntoView {
    let t = use_texts();
    if place.location.is_empty() && place.area.is_none() {
        return ().into_any();
    }
    let figure = place.area.map(|area| {
        let what = describe(t, &area);
        let points: Vec<LatLon> = pins.iter().map(|(_, p)| *p).collect();
        let sketch = crate::geo::svg(&area, &points, &(t.map_sketch_label)(&what));
        let pins_json = serde_json::to_string(
            &pins
                .iter()
                .map(|(id, p)| {
                    serde_json::json!({
                        "id": id,
                        "lat": p.lat,
                        "lon": p.lon,
                        "href": crate::comment::permalink(&path, *id),
                    })
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".to_string());
        let count = (!pins.is_empty()).then(|| format!(" {}", (t.map_pins_count)(pins.len())));
        view! {
            <figure class="map-figure">
                <div class="map-sketch" inner_html=sketch></div>
                <div class="map map-view" data-map="view" data-area=area.to_geojson() data-pins=pins_json
                    data-label=t.map_view_label data-texts=texts_json(t)></div>
                <figcaption>
                    {what} "." {count} " "
                    <a href=area.osm_link() rel="external noopener">{t.map_osm_link}</a>
                </figcaption>
            </figure>
        }
    });
    view! {
        <section class="place" aria-labelledby="place-heading">
            <h2 id="place-heading">{t.place_title}</h2>
            {(!place.location.is_empty()).then(|| view! { <p class="location">{place.location.clone()}</p> })}
            {figure}
        </section>
    }
    .into_any()
}

/// The map of open consultations on the home page. Without JavaScript the section stays hidden:
/// the list is the way to find them, and the map only another view of it.
#[component]
pub fn OverviewMap(markers: Vec<MapMarker>) -> impl IntoView {
    let t = use_texts();
    if markers.is_empty() {
        return ().into_any();
    }
    let json = serde_json::to_string(
        &markers
            .iter()
            .map(|m| {
                serde_json::json!({
                    "href": m.path, "title": m.title, "org": m.org_name,
                    "lat": m.at.lat, "lon": m.at.lon,
                })
            })
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".to_string());
    view! {
        <section class="map-section" data-map-section="" hidden=true aria-labelledby="home-map-heading">
            <h2 id="home-map-heading">{t.home_map_title}</h2>
            <p class="hint">{t.home_map_hint}</p>
            <div class="map map-overview" data-map="overview" data-markers=json
                data-label=t.home_map_label data-texts=texts_json(t)></div>
        </section>
    }
    .into_any()
}

/// The optional pin of a comment: two text fields (they work without JavaScript and from the
/// keyboard) and, with JavaScript, a map of the area to click in, which fills them.
#[component]
pub fn PinFields(
    /// The consultation's area as GeoJSON.
    area: String,
    lat: String,
    lon: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let t = use_texts();
    let kept = !lat.is_empty() || !lon.is_empty();
    let described = move || {
        if error.read().is_some() {
            "comment-pin-hint comment-pin-error"
        } else {
            "comment-pin-hint"
        }
    };
    let invalid = move || error.read().is_some().then_some("true");
    view! {
        <details class="pin-details" open=move || kept || error.read().is_some()>
            <summary>{t.pin_summary}</summary>
            <p class="hint" id="comment-pin-hint">{t.pin_hint}</p>
            {move || error.get().map(|msg| view! { <p class="field-error" id="comment-pin-error">{msg}</p> })}
            <div class="map map-pin" data-map="pin" data-area=area data-lat="comment-pin-lat"
                data-lon="comment-pin-lon" data-label=t.pin_map_label data-texts=texts_json(t)></div>
            <div class="pin-inputs">
                <div class="field">
                    <label for="comment-pin-lat">{t.pin_lat_label}</label>
                    <input id="comment-pin-lat" name="pin_lat" type="text" inputmode="decimal" value=lat
                        autocomplete="off" aria-describedby=described aria-invalid=invalid/>
                </div>
                <div class="field">
                    <label for="comment-pin-lon">{t.pin_lon_label}</label>
                    <input id="comment-pin-lon" name="pin_lon" type="text" inputmode="decimal" value=lon
                        autocomplete="off" aria-describedby=described aria-invalid=invalid/>
                </div>
            </div>
        </details>
    }
}

/// The drawing map of the consultation editor, above the area's text field (`target`), which
/// stays the source of truth: map.js reads it, and writes every click and drag back into it.
#[component]
pub fn AreaEditorMap(target: &'static str) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="map map-editor" data-map="edit" data-target=target
            data-label=t.map_editor_label data-texts=texts_json(t)></div>
    }
}
