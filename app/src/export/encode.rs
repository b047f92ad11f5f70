//! Rows into bytes: CSV (UTF-8 with a byte-order mark, RFC 4180 quoting, a selectable separator,
//! no cell a spreadsheet would run as a formula), JSON (one array), JSON lines and GeoJSON. The
//! encoder keeps one buffer that the caller drains whenever it is full, so memory does not grow
//! with the number of rows.

use super::{Format, Separator};

/// A cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    /// Unix seconds, written as RFC 3339 (UTC).
    Time(i64),
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        v.map_or(Value::Null, Value::Int)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        v.map_or(Value::Null, Value::Text)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl Value {
    /// The value as a spreadsheet or JSON would show it in words ('' for none).
    pub fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Text(s) => s.clone(),
            Value::Time(t) => crate::consultation::feed::rfc3339(*t),
        }
    }
}

/// One CSV cell: text that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a leading apostrophe so spreadsheets show it as text; a cell holding a
/// separator (either), a quote or a line break is quoted, quotes doubled.
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// How many bytes the encoder gathers before the caller should send them on.
pub const CHUNK: usize = 64 * 1024;

/// Turns rows of one table into one of the text formats.
pub struct Encoder {
    format: Format,
    separator: u8,
    columns: Vec<&'static str>,
    /// GeoJSON: the columns holding latitude and longitude.
    point: Option<(usize, usize)>,
    rows: u64,
    buf: Vec<u8>,
}

impl Encoder {
    /// An encoder for `columns`; GeoJSON needs columns named `lat` and `lon`. `area` is the
    /// consultation's area (a GeoJSON geometry), the first feature of a GeoJSON export.
    pub fn new(
        format: Format,
        separator: Separator,
        columns: Vec<&'static str>,
        area: Option<&str>,
    ) -> Encoder {
        let point = match (
            columns.iter().position(|c| *c == "lat"),
            columns.iter().position(|c| *c == "lon"),
        ) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        let mut e = Encoder {
            format,
            separator: separator.byte(),
            columns,
            point,
            rows: 0,
            buf: Vec::with_capacity(CHUNK + 4096),
        };
        match format {
            Format::Csv => {
                e.buf.extend_from_slice("\u{feff}".as_bytes());
                let header: Vec<String> = e.columns.iter().map(|c| csv_cell(c)).collect();
                e.line(&header);
            }
            Format::Json => e.buf.push(b'['),
            Format::Geojson => {
                e.buf
                    .extend_from_slice(br#"{"type":"FeatureCollection","features":["#);
                if let Some(geometry) = area.filter(|a| !a.trim().is_empty()) {
                    e.buf.extend_from_slice(br#"{"type":"Feature","geometry":"#);
                    e.buf.extend_from_slice(geometry.trim().as_bytes());
                    e.buf
                        .extend_from_slice(br#","properties":{"kind":"area"}}"#);
                    e.rows += 1;
                }
            }
            Format::Jsonl | Format::Xlsx => {}
        }
        e
    }

    fn line(&mut self, cells: &[String]) {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push(self.separator);
            }
            self.buf.extend_from_slice(c.as_bytes());
        }
        self.buf.extend_from_slice(b"\r\n");
    }

    fn json_value(&mut self, v: &Value) {
        match v {
            Value::Null => self.buf.extend_from_slice(b"null"),
            Value::Int(i) => self.buf.extend_from_slice(i.to_string().as_bytes()),
            Value::Float(f) if f.is_finite() => {
                self.buf.extend_from_slice(f.to_string().as_bytes())
            }
            Value::Float(_) => self.buf.extend_from_slice(b"null"),
            Value::Text(_) | Value::Time(_) => {
                let s = serde_json::to_string(&v.text()).unwrap_or_else(|_| "\"\"".into());
                self.buf.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn json_object(&mut self, values: &[Value], skip: Option<(usize, usize)>) {
        self.buf.push(b'{');
        let mut first = true;
        for (i, v) in values.iter().enumerate().take(self.columns.len()) {
            if skip.is_some_and(|(a, b)| i == a || i == b) {
                continue;
            }
            let name = self.columns[i];
            if !first {
                self.buf.push(b',');
            }
            first = false;
            self.buf.push(b'"');
            self.buf.extend_from_slice(name.as_bytes());
            self.buf.extend_from_slice(b"\":");
            self.json_value(v);
        }
        self.buf.push(b'}');
    }

    /// Adds one row (its values in the order of the columns).
    pub fn row(&mut self, values: &[Value]) {
        match self.format {
            Format::Csv => {
                let cells: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        Value::Text(s) => csv_cell(s),
                        other => other.text(),
                    })
                    .collect();
                self.line(&cells);
            }
            Format::Json => {
                if self.rows > 0 {
                    self.buf.push(b',');
                }
                self.buf.push(b'\n');
                self.json_object(values, None);
            }
            Format::Jsonl => {
                self.json_object(values, None);
                self.buf.push(b'\n');
            }
            Format::Geojson => {
                let Some((lat, lon)) = self.point else {
                    return;
                };
                let (Some(Value::Float(y)), Some(Value::Float(x))) =
                    (values.get(lat), values.get(lon))
                else {
                    return;
                };
                let (x, y) = (*x, *y);
                if self.rows > 0 {
                    self.buf.push(b',');
                }
                self.buf.push(b'\n');
                self.buf.extend_from_slice(
                    format!(r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x},{y}]}},"properties":"#)
                        .as_bytes(),
                );
                self.json_object(values, Some((lat, lon)));
                self.buf.push(b'}');
            }
            Format::Xlsx => return,
        }
        self.rows += 1;
    }

    /// The bytes gathered so far once there are enough of them to send.
    pub fn take_full(&mut self) -> Option<Vec<u8>> {
        (self.buf.len() >= CHUNK).then(|| std::mem::take(&mut self.buf))
    }

    /// The last bytes (closing brackets).
    pub fn finish(mut self) -> Vec<u8> {
        match self.format {
            Format::Json => self.buf.extend_from_slice(b"\n]\n"),
            Format::Geojson => self.buf.extend_from_slice(b"\n]}\n"),
            _ => {}
        }
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut e: Encoder, rows: &[Vec<Value>]) -> String {
        let mut out = Vec::new();
        for r in rows {
            e.row(r);
            if let Some(b) = e.take_full() {
                out.extend(b);
            }
        }
        out.extend(e.finish());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formulas_are_defused_and_separators_quoted() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("a; b"), "\"a; b\"");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("Zeile 1\nZeile 2"), "\"Zeile 1\nZeile 2\"");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn csv_has_a_byte_order_mark_a_header_and_the_separator() {
        let e = Encoder::new(Format::Csv, Separator::Semicolon, vec!["id", "text"], None);
        let out = all(
            e,
            &[
                vec![Value::Int(-3), Value::Text("a;b".into())],
                vec![Value::Int(4), Value::Null],
            ],
        );
        assert_eq!(out, "\u{feff}id;text\r\n-3;\"a;b\"\r\n4;\r\n");
    }

    #[test]
    fn json_is_one_array_and_json_lines_one_object_a_line() {
        let rows = [
            vec![Value::Int(1), Value::Text("\"x\"\n".into()), Value::Time(0)],
            vec![Value::Int(2), Value::Null, Value::Time(86_400)],
        ];
        let cols = || vec!["id", "text", "at"];
        let json = all(
            Encoder::new(Format::Json, Separator::Comma, cols(), None),
            &rows,
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["text"], "\"x\"\n");
        assert_eq!(v[1]["at"], "1970-01-02T00:00:00Z");
        assert_eq!(v.as_array().unwrap().len(), 2);
        let empty = all(
            Encoder::new(Format::Json, Separator::Comma, cols(), None),
            &[],
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&empty).unwrap(),
            serde_json::json!([])
        );
        let lines = all(
            Encoder::new(Format::Jsonl, Separator::Comma, cols(), None),
            &rows,
        );
        let parsed: Vec<serde_json::Value> = lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1]["text"], serde_json::Value::Null);
    }

    #[test]
    fn geojson_has_the_area_and_only_pinned_rows() {
        let e = Encoder::new(
            Format::Geojson,
            Separator::Comma,
            vec!["id", "lat", "lon"],
            Some(r#"{"type":"Point","coordinates":[7.1,51.2]}"#),
        );
        let out = all(
            e,
            &[
                vec![Value::Int(1), Value::Float(51.5), Value::Float(7.25)],
                vec![Value::Int(2), Value::Null, Value::Null],
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        assert_eq!(features[0]["properties"]["kind"], "area");
        assert_eq!(
            features[1]["geometry"]["coordinates"],
            serde_json::json!([7.25, 51.5])
        );
        assert_eq!(features[1]["properties"]["id"], 1);
        assert!(features[1]["properties"].get("lat").is_none());
    }
}
