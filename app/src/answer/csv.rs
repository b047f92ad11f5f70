//! The answers as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads umlauts),
//! RFC 4180 quoting, and no cell that a spreadsheet would run as a formula.

use super::repo::ExportRow;

/// One cell, quoted where needed; text that starts like a formula (`=`, `+`, `-`, `@`, or a tab
/// or carriage return before one) gets a leading apostrophe, so spreadsheets show it as text.
pub fn cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The CSV file: a header row, then one row per answered contribution.
pub fn answers(rows: &[ExportRow]) -> Vec<u8> {
    let mut out = String::from("\u{feff}comment_id,status,reason,answered_at\r\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            r.comment_id,
            cell(r.status.as_str()),
            cell(&r.reason),
            cell(&crate::consultation::feed::rfc3339(r.answered_at)),
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_doubled() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("Zeile 1\nZeile 2"), "\"Zeile 1\nZeile 2\"");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn the_file_starts_with_a_byte_order_mark() {
        let bytes = answers(&[]);
        assert!(bytes.starts_with("\u{feff}comment_id".as_bytes()));
    }
}
