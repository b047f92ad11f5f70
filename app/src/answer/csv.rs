//! The answers as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads umlauts),
//! RFC 4180 quoting, and no cell that a spreadsheet would run as a formula.

use super::repo::ExportRow;

use crate::export::encode::csv_cell as cell;

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
    fn the_file_starts_with_a_byte_order_mark() {
        let bytes = answers(&[]);
        assert!(bytes.starts_with("\u{feff}comment_id".as_bytes()));
    }
}
