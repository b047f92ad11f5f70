//! Places on the map: the area staff enter (coordinates, one "lat, lon" per line, or a pasted
//! GeoJSON geometry), GeoJSON in and out, whether a pin lies inside, and a static SVG sketch for
//! pages without JavaScript or without map tiles. Pure Rust, used by server and browser alike.

use serde::{Deserialize, Serialize};

use crate::error::Problem;

/// The most corners an area may have (a district's outline fits; a traced coastline does not).
pub const MAX_VERTICES: usize = 500;
/// A point area means "here": a pin within this distance of it counts as inside.
pub const POINT_RADIUS_M: f64 = 300.0;
/// Mean earth radius (m).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A position in WGS 84 degrees. Only finite numbers inside the valid ranges are ever made (see
/// [`LatLon::new`]), which is why equality is total.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl Eq for LatLon {}

impl LatLon {
    /// A checked position, rounded to six decimals (about 10 cm).
    pub fn new(lat: f64, lon: f64) -> Option<LatLon> {
        let ok = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        ok.then(|| LatLon {
            lat: round6(lat),
            lon: round6(lon),
        })
    }

    /// "51.53361, 9.9355": how the editor and the page write a position.
    pub fn text(self) -> String {
        format!("{}, {}", decimal(self.lat), decimal(self.lon))
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A number with up to six decimals and no trailing zeros.
fn decimal(x: f64) -> String {
    let s = format!("{:.6}", round6(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A consultation's area: one point, or a simple polygon (its ring stored open: the last corner
/// is not a repetition of the first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Area {
    Point(LatLon),
    Polygon(Vec<LatLon>),
}

impl Area {
    /// The editor's text: one "lat, lon" line per point (empty = no area), or a pasted GeoJSON
    /// geometry (also inside a Feature or a FeatureCollection of one). One point makes a point,
    /// three or more a polygon, closed automatically; two are an error.
    pub fn parse_editor(text: &str) -> Result<Option<Area>, Problem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.starts_with('{') {
            let points = geojson_points(trimmed).ok_or(Problem::AreaGeojson)?;
            return Area::from_points(points).map(Some);
        }
        let mut points = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if points.len() > MAX_VERTICES {
                return Err(Problem::AreaTooManyPoints { max: MAX_VERTICES });
            }
            let (lat, lon) = parse_pair(line).ok_or(Problem::AreaLine { line: i + 1 })?;
            let point = LatLon::new(lat, lon).ok_or(Problem::AreaRange { line: i + 1 })?;
            points.push(point);
        }
        Area::from_points(points).map(Some)
    }

    /// Checks a list of positions: repeated neighbours and a closing repetition of the first are
    /// dropped; a polygon must have at least three corners, at most [`MAX_VERTICES`], enclose
    /// some area and not cross itself.
    fn from_points(mut points: Vec<LatLon>) -> Result<Area, Problem> {
        points.dedup();
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        match points.len() {
            0 => Err(Problem::AreaGeojson),
            1 => Ok(Area::Point(points[0])),
            2 => Err(Problem::AreaTwoPoints),
            n if n > MAX_VERTICES => Err(Problem::AreaTooManyPoints { max: MAX_VERTICES }),
            _ => {
                if signed_area(&points).abs() < 1e-12 || self_intersects(&points) {
                    return Err(Problem::AreaSelfIntersecting);
                }
                Ok(Area::Polygon(points))
            }
        }
    }

    /// The GeoJSON geometry as stored (`[lon, lat]` order, the polygon's ring closed).
    pub fn to_geojson(&self) -> String {
        let pair = |p: &LatLon| serde_json::json!([p.lon, p.lat]);
        let value = match self {
            Area::Point(p) => serde_json::json!({ "type": "Point", "coordinates": pair(p) }),
            Area::Polygon(ring) => {
                let mut coords: Vec<_> = ring.iter().map(pair).collect();
                coords.push(pair(&ring[0]));
                serde_json::json!({ "type": "Polygon", "coordinates": [coords] })
            }
        };
        value.to_string()
    }

    /// A stored geometry ('' or anything unreadable: none).
    pub fn from_geojson(stored: &str) -> Option<Area> {
        if stored.trim().is_empty() {
            return None;
        }
        Area::from_points(geojson_points(stored)?).ok()
    }

    /// The editor's text for this area: one "lat, lon" line per corner.
    pub fn to_editor_text(&self) -> String {
        match self {
            Area::Point(p) => p.text(),
            Area::Polygon(ring) => ring.iter().map(|p| p.text()).collect::<Vec<_>>().join("\n"),
        }
    }

    /// Whether a pin belongs to this area: inside the polygon, or near the point
    /// ([`POINT_RADIUS_M`]).
    pub fn contains(&self, p: LatLon) -> bool {
        match self {
            Area::Point(c) => c.distance_m(p) <= POINT_RADIUS_M,
            Area::Polygon(ring) => {
                let mut inside = false;
                let n = ring.len();
                for i in 0..n {
                    let (a, b) = (ring[i], ring[(i + 1) % n]);
                    if (a.lat > p.lat) != (b.lat > p.lat) {
                        let lon_at = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                        if p.lon < lon_at {
                            inside = !inside;
                        }
                    }
                }
                inside
            }
        }
    }

    /// Where a single marker for this area goes: the point, or the polygon's centroid.
    pub fn centroid(&self) -> LatLon {
        match self {
            Area::Point(p) => *p,
            Area::Polygon(ring) => {
                let a = signed_area(ring);
                let n = ring.len();
                let (mut cx, mut cy) = (0.0, 0.0);
                for i in 0..n {
                    let (p, q) = (ring[i], ring[(i + 1) % n]);
                    let cross = p.lon * q.lat - q.lon * p.lat;
                    cx += (p.lon + q.lon) * cross;
                    cy += (p.lat + q.lat) * cross;
                }
                LatLon {
                    lat: round6(cy / (6.0 * a)),
                    lon: round6(cx / (6.0 * a)),
                }
            }
        }
    }

    /// South-west and north-east corners of the area.
    pub fn bounds(&self) -> (LatLon, LatLon) {
        let points: &[LatLon] = match self {
            Area::Point(p) => std::slice::from_ref(p),
            Area::Polygon(ring) => ring,
        };
        let mut sw = points[0];
        let mut ne = points[0];
        for p in points {
            sw.lat = sw.lat.min(p.lat);
            sw.lon = sw.lon.min(p.lon);
            ne.lat = ne.lat.max(p.lat);
            ne.lon = ne.lon.max(p.lon);
        }
        (sw, ne)
    }

    /// How many corners (1 for a point).
    pub fn corners(&self) -> usize {
        match self {
            Area::Point(_) => 1,
            Area::Polygon(ring) => ring.len(),
        }
    }

    /// A link that shows the area's centre on openstreetmap.org (a link only: nothing
    /// is requested from there until someone follows it).
    pub fn osm_link(&self) -> String {
        let c = self.centroid();
        let (lat, lon) = (decimal(c.lat), decimal(c.lon));
        format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}")
    }
}

/// A pin typed into the comment form: both fields empty is no pin; otherwise two numbers in range
/// (a decimal comma is fine).
pub fn parse_pin(lat: &str, lon: &str) -> Result<Option<LatLon>, Problem> {
    let (lat, lon) = (lat.trim(), lon.trim());
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let number = |s: &str| s.replace(',', ".").parse::<f64>().ok();
    match (number(lat), number(lon)) {
        (Some(a), Some(b)) => LatLon::new(a, b).map(Some).ok_or(Problem::PinInvalid),
        _ => Err(Problem::PinInvalid),
    }
}

/// "51.5, 9.9", "51.5 9.9", "51.5;9.9" or, with decimal commas, "51,5 9,9" / "51,5; 9,9".
fn parse_pair(line: &str) -> Option<(f64, f64)> {
    let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    let two = |parts: Vec<&str>| match parts.as_slice() {
        [a, b] => Some((number(a)?, number(b)?)),
        _ => None,
    };
    if line.contains(';') {
        return two(line.split(';').collect());
    }
    let by_comma_or_space: Vec<&str> = line
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    if by_comma_or_space.len() == 2 {
        return two(by_comma_or_space);
    }
    two(line.split_whitespace().collect())
}

/// The positions of a GeoJSON Point or Polygon (outer ring, without holes), also wrapped in a
/// Feature or a FeatureCollection with one feature.
fn geojson_points(text: &str) -> Option<Vec<LatLon>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let geometry = match value.get("type")?.as_str()? {
        "Feature" => value.get("geometry")?.clone(),
        "FeatureCollection" => match value.get("features")?.as_array()?.as_slice() {
            [feature] => feature.get("geometry")?.clone(),
            _ => return None,
        },
        _ => value,
    };
    let position = |v: &serde_json::Value| -> Option<LatLon> {
        let pair = v.as_array()?;
        if !(2..=3).contains(&pair.len()) {
            return None;
        }
        LatLon::new(pair[1].as_f64()?, pair[0].as_f64()?)
    };
    let coordinates = geometry.get("coordinates")?;
    match geometry.get("type")?.as_str()? {
        "Point" => Some(vec![position(coordinates)?]),
        "Polygon" => match coordinates.as_array()?.as_slice() {
            [ring] => {
                let ring = ring.as_array()?;
                if ring.len() > MAX_VERTICES + 1 {
                    return None;
                }
                ring.iter().map(position).collect()
            }
            _ => None,
        },
        _ => None,
    }
}

/// Twice-halved shoelace area in square degrees (positive counter-clockwise).
fn signed_area(ring: &[LatLon]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (p, q) = (ring[i], ring[(i + 1) % n]);
            p.lon * q.lat - q.lon * p.lat
        })
        .sum::<f64>()
        / 2.0
}

/// Whether two edges of the ring that are not neighbours touch or cross (O(n²), n ≤ 500).
fn self_intersects(ring: &[LatLon]) -> bool {
    let n = ring.len();
    let edge = |i: usize| (ring[i], ring[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let neighbours = j == i + 1 || (i == 0 && j == n - 1);
            if neighbours {
                continue;
            }
            let ((a, b), (c, d)) = (edge(i), edge(j));
            if segments_touch(a, b, c, d) {
                return true;
            }
        }
    }
    false
}

fn orientation(a: LatLon, b: LatLon, c: LatLon) -> f64 {
    (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
}

fn on_segment(a: LatLon, b: LatLon, p: LatLon) -> bool {
    p.lon >= a.lon.min(b.lon)
        && p.lon <= a.lon.max(b.lon)
        && p.lat >= a.lat.min(b.lat)
        && p.lat <= a.lat.max(b.lat)
}

fn segments_touch(a: LatLon, b: LatLon, c: LatLon, d: LatLon) -> bool {
    let (o1, o2) = (orientation(a, b, c), orientation(a, b, d));
    let (o3, o4) = (orientation(c, d, a), orientation(c, d, b));
    if ((o1 > 0.0 && o2 < 0.0) || (o1 < 0.0 && o2 > 0.0))
        && ((o3 > 0.0 && o4 < 0.0) || (o3 < 0.0 && o4 > 0.0))
    {
        return true;
    }
    (o1 == 0.0 && on_segment(a, b, c))
        || (o2 == 0.0 && on_segment(a, b, d))
        || (o3 == 0.0 && on_segment(c, d, a))
        || (o4 == 0.0 && on_segment(c, d, b))
}

/// Web Mercator (x east, y north) in radians.
fn mercator(p: LatLon) -> (f64, f64) {
    let lat = p.lat.clamp(-85.0, 85.0).to_radians();
    (
        p.lon.to_radians(),
        (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
    )
}

const SVG_W: f64 = 640.0;
const SVG_H: f64 = 400.0;
const SVG_MARGIN: f64 = 40.0;

/// A sketch of the area (and of pins in it) as an inline SVG, without map tiles: the outline in a
/// frame, north up, for pages read without JavaScript or without a tile server. `label` is its
/// text alternative (escaped here).
pub fn svg(area: &Area, pins: &[LatLon], label: &str) -> String {
    let centre = area.centroid();
    // A point area shows its radius; the frame never gets smaller than that circle.
    let radius = POINT_RADIUS_M / EARTH_RADIUS_M / centre.lat.to_radians().cos().max(0.01);
    let corners: Vec<(f64, f64)> = match area {
        Area::Point(p) => vec![mercator(*p)],
        Area::Polygon(ring) => ring.iter().map(|p| mercator(*p)).collect(),
    };
    let (cx, cy) = mercator(centre);
    let mut min = (cx - radius, cy - radius);
    let mut max = (cx + radius, cy + radius);
    let pinned: Vec<(f64, f64)> = pins.iter().map(|p| mercator(*p)).collect();
    for &(x, y) in corners.iter().chain(pinned.iter()) {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    }
    let (dx, dy) = ((max.0 - min.0).max(1e-9), (max.1 - min.1).max(1e-9));
    let scale = ((SVG_W - 2.0 * SVG_MARGIN) / dx).min((SVG_H - 2.0 * SVG_MARGIN) / dy);
    let (ox, oy) = ((SVG_W - dx * scale) / 2.0, (SVG_H - dy * scale) / 2.0);
    let at = |(x, y): (f64, f64)| ((x - min.0) * scale + ox, (max.1 - y) * scale + oy);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"area-sketch\" viewBox=\"0 0 {SVG_W} {SVG_H}\" \
         role=\"img\" aria-label=\"{}\" focusable=\"false\">\
         <rect class=\"area-frame\" x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#f3f5f7\" stroke=\"#6b7680\" stroke-width=\"2\"/>",
        crate::ui::escape_html(label),
        SVG_W - 2.0,
        SVG_H - 2.0,
    );
    match area {
        Area::Point(p) => {
            let (x, y) = at(mercator(*p));
            out.push_str(&format!(
                "<circle class=\"area-shape\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"#0b5394\" fill-opacity=\"0.15\" stroke=\"#0b5394\" stroke-width=\"3\"/>\
                 <circle class=\"area-point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"8\" fill=\"#0b5394\"/>",
                radius * scale
            ));
        }
        Area::Polygon(_) => {
            let points: Vec<String> = corners
                .iter()
                .map(|&c| {
                    let (x, y) = at(c);
                    format!("{x:.1},{y:.1}")
                })
                .collect();
            out.push_str(&format!(
                "<polygon class=\"area-shape\" points=\"{}\" fill=\"#0b5394\" fill-opacity=\"0.15\" stroke=\"#0b5394\" stroke-width=\"3\" stroke-linejoin=\"round\"/>",
                points.join(" ")
            ));
        }
    }
    for pin in pins {
        let (x, y) = at(mercator(*pin));
        out.push_str(&format!(
            "<circle class=\"area-pin\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"#b00020\" stroke=\"#ffffff\" stroke-width=\"2\"/>"
        ));
    }
    // North is up: a small arrow in the corner, since the sketch has no map around it.
    out.push_str(&format!(
        "<path class=\"area-north\" d=\"M{x} 18 l8 18 h-16 z\" fill=\"#1a1a1a\"/>\
         <text class=\"area-north\" x=\"{x}\" y=\"54\" text-anchor=\"middle\" font-size=\"16\" font-family=\"sans-serif\" fill=\"#1a1a1a\">N</text></svg>",
        x = SVG_W - 28.0
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).unwrap()
    }

    const SQUARE: &str = "51.53, 9.93\n51.53, 9.94\n51.54, 9.94\n51.54, 9.93";

    #[test]
    fn one_line_is_a_point_three_or_more_a_closed_polygon() {
        assert_eq!(Area::parse_editor("  \n "), Ok(None));
        assert_eq!(
            Area::parse_editor("51.5336, 9.9355"),
            Ok(Some(Area::Point(ll(51.5336, 9.9355))))
        );
        let Some(Area::Polygon(ring)) = Area::parse_editor(SQUARE).unwrap() else {
            panic!("a polygon")
        };
        assert_eq!(ring.len(), 4);
        // Closing the ring by hand changes nothing; nor do blank lines and repeated points.
        let closed = format!("{SQUARE}\n\n51.53, 9.93\n");
        assert_eq!(
            Area::parse_editor(&closed),
            Area::parse_editor(SQUARE),
            "closed ring"
        );
        let json = Area::parse_editor(SQUARE).unwrap().unwrap().to_geojson();
        assert!(json.contains("\"type\":\"Polygon\""), "{json}");
        assert!(
            json.contains("[[[9.93,51.53],[9.94,51.53],[9.94,51.54],[9.93,51.54],[9.93,51.53]]]"),
            "{json}"
        );
    }

    #[test]
    fn the_separators_people_type_are_understood() {
        for line in [
            "51.5336, 9.9355",
            "51.5336 9.9355",
            "51.5336,9.9355",
            "51.5336;9.9355",
            "51,5336 9,9355",
            "51,5336; 9,9355",
            "\t51.5336 ,  9.9355 ",
        ] {
            assert_eq!(
                Area::parse_editor(line),
                Ok(Some(Area::Point(ll(51.5336, 9.9355)))),
                "{line}"
            );
        }
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        assert_eq!(
            Area::parse_editor("51.53, 9.93\n51.54, 9.94"),
            Err(Problem::AreaTwoPoints)
        );
        assert_eq!(
            Area::parse_editor("51.53, 9.93\n\nMarktplatz\n51.54, 9.94"),
            Err(Problem::AreaLine { line: 3 })
        );
        assert_eq!(
            Area::parse_editor("51.53, 9.93\n95, 9.94\n51.54, 9.95"),
            Err(Problem::AreaRange { line: 2 })
        );
        assert_eq!(
            Area::parse_editor("9.93, 191"),
            Err(Problem::AreaRange { line: 1 })
        );
        assert_eq!(
            Area::parse_editor("1 2 3"),
            Err(Problem::AreaLine { line: 1 })
        );
        assert_eq!(
            Area::parse_editor("NaN, 9"),
            Err(Problem::AreaRange { line: 1 })
        );
        // A bow tie crosses itself; points on one line enclose nothing.
        assert_eq!(
            Area::parse_editor("0, 0\n1, 1\n0, 1\n1, 0"),
            Err(Problem::AreaSelfIntersecting)
        );
        assert_eq!(
            Area::parse_editor("0, 0\n1, 1\n2, 2"),
            Err(Problem::AreaSelfIntersecting)
        );
        let many: String = (0..=MAX_VERTICES)
            .map(|i| {
                let a = i as f64 / (MAX_VERTICES as f64 + 1.0) * std::f64::consts::TAU;
                format!("{}, {}\n", 51.0 + a.sin() / 100.0, 9.0 + a.cos() / 100.0)
            })
            .collect();
        assert_eq!(
            Area::parse_editor(&many),
            Err(Problem::AreaTooManyPoints { max: MAX_VERTICES })
        );
    }

    #[test]
    fn pasted_geojson_is_taken_as_a_geometry() {
        let point = r#"{"type":"Point","coordinates":[9.9355,51.5336]}"#;
        assert_eq!(
            Area::parse_editor(point),
            Ok(Some(Area::Point(ll(51.5336, 9.9355))))
        );
        let feature = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
            "coordinates":[[[9.93,51.53],[9.94,51.53],[9.94,51.54],[9.93,51.54],[9.93,51.53]]]}}"#;
        assert_eq!(Area::parse_editor(feature), Area::parse_editor(SQUARE));
        for bad in [
            "{",
            r#"{"type":"LineString","coordinates":[[9,51],[10,52]]}"#,
            r#"{"type":"Point","coordinates":["9","51"]}"#,
            r#"{"type":"Polygon","coordinates":[[[9,51],[10,51],[10,52],[9,51]],[[9.1,51.1],[9.2,51.1],[9.2,51.2],[9.1,51.1]]]}"#,
        ] {
            assert_eq!(Area::parse_editor(bad), Err(Problem::AreaGeojson), "{bad}");
        }
    }

    #[test]
    fn stored_geojson_and_editor_text_round_trip() {
        for text in ["51.5336, 9.9355", SQUARE, "-33.8688, 151.2093"] {
            let area = Area::parse_editor(text).unwrap().unwrap();
            assert_eq!(Area::from_geojson(&area.to_geojson()), Some(area.clone()));
            assert_eq!(area.to_editor_text(), text);
        }
        assert_eq!(Area::from_geojson(""), None);
        assert_eq!(Area::from_geojson("kaputt"), None);
    }

    #[test]
    fn pins_are_inside_a_polygon_or_near_a_point() {
        let square = Area::parse_editor(SQUARE).unwrap().unwrap();
        assert!(square.contains(ll(51.535, 9.935)));
        assert!(!square.contains(ll(51.545, 9.935)));
        assert!(!square.contains(ll(51.535, 9.945)));
        // A concave outline: the notch is outside.
        let u = Area::parse_editor("0, 0\n0, 3\n3, 3\n3, 2\n1, 2\n1, 1\n3, 1\n3, 0")
            .unwrap()
            .unwrap();
        assert!(u.contains(ll(0.5, 1.5)));
        assert!(!u.contains(ll(1.5, 1.5)));
        assert!(u.contains(ll(2.5, 0.5)) && u.contains(ll(2.5, 2.5)));
        let point = Area::Point(ll(51.5336, 9.9355));
        // 0.002° of latitude is about 222 m; 0.003° about 334 m.
        assert!(point.contains(ll(51.5356, 9.9355)));
        assert!(!point.contains(ll(51.5366, 9.9355)));
    }

    #[test]
    fn pins_typed_into_the_form_are_two_numbers_or_nothing() {
        assert_eq!(parse_pin(" ", ""), Ok(None));
        assert_eq!(
            parse_pin("51,5336", "9.9355"),
            Ok(Some(ll(51.5336, 9.9355)))
        );
        assert_eq!(parse_pin("51.5", ""), Err(Problem::PinInvalid));
        assert_eq!(parse_pin("hier", "9"), Err(Problem::PinInvalid));
        assert_eq!(parse_pin("91", "9"), Err(Problem::PinInvalid));
    }

    #[test]
    fn centroid_and_bounds_place_one_marker() {
        let square = Area::parse_editor(SQUARE).unwrap().unwrap();
        assert_eq!(square.centroid(), ll(51.535, 9.935));
        assert_eq!(square.bounds(), (ll(51.53, 9.93), ll(51.54, 9.94)));
        assert_eq!(square.corners(), 4);
        assert!(square.osm_link().contains("mlat=51.535&mlon=9.935"));
    }

    #[test]
    fn the_sketch_draws_the_outline_and_pins_in_its_frame() {
        let square = Area::parse_editor(SQUARE).unwrap().unwrap();
        let svg = svg(&square, &[ll(51.535, 9.935)], "Gebiet <Altstadt>");
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains("role=\"img\" aria-label=\"Gebiet &lt;Altstadt&gt;\""));
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert_eq!(svg.matches("class=\"area-pin\"").count(), 1);
        // Every coordinate lands inside the 640 × 400 frame.
        let points = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for xy in points.split(' ') {
            let (x, y) = xy.split_once(',').unwrap();
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(
                (0.0..=640.0).contains(&x) && (0.0..=400.0).contains(&y),
                "{xy}"
            );
        }
        // The pin in the middle of the square is drawn in the middle of the frame.
        assert!(svg.contains("cx=\"320.0\" cy=\"200.0\""), "{svg}");
        let point = svg_of_point();
        assert!(point.contains("class=\"area-point\"") && !point.contains("<polygon"));
    }

    fn svg_of_point() -> String {
        svg(&Area::Point(ll(51.5336, 9.9355)), &[], "Punkt")
    }
}
