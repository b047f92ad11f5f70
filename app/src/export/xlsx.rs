//! The XLSX export: one sheet per kind, written in rust_xlsxwriter's constant-memory mode (each
//! row goes to a temporary file as soon as the next one starts), saved into the data
//! directory's `tmp/` and streamed from there. A kind with more rows than a sheet holds
//! continues on a further sheet.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::encode::Value;
use super::rows::{self, ExportError, RowSink, Scope};
use super::Kind;
use crate::db::Db;

/// Rows per sheet: Excel's limit (1,048,576) less the header.
const MAX_ROWS: u32 = 1_048_575;

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> ExportError {
        ExportError::Xlsx(e.to_string())
    }
}

struct Sheets<'a> {
    workbook: &'a mut Workbook,
    kind: Kind,
    columns: Vec<&'static str>,
    part: u32,
    row: u32,
}

impl Sheets<'_> {
    fn sheet(&mut self) -> Result<&mut Worksheet, ExportError> {
        let index = self.workbook.worksheets().len() - 1;
        Ok(self.workbook.worksheet_from_index(index)?)
    }

    fn start(&mut self) -> Result<(), ExportError> {
        self.part += 1;
        let name = if self.part == 1 {
            self.kind.as_str().to_string()
        } else {
            format!("{} ({})", self.kind.as_str(), self.part)
        };
        let columns = self.columns.clone();
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(&name)?;
        for (col, c) in columns.iter().enumerate() {
            sheet.write_string(0, col as u16, *c)?;
        }
        self.row = 0;
        Ok(())
    }

    fn write(&mut self, values: &[Value]) -> Result<(), ExportError> {
        if self.row == MAX_ROWS {
            self.start()?;
        }
        self.row += 1;
        let row = self.row;
        let sheet = self.sheet()?;
        for (col, v) in values.iter().enumerate() {
            let col = col as u16;
            match v {
                Value::Null => {}
                Value::Int(i) => {
                    sheet.write_number(row, col, *i as f64)?;
                }
                Value::Float(f) => {
                    sheet.write_number(row, col, *f)?;
                }
                // Strings are never formulas in XLSX: written as text, they stay text.
                Value::Text(_) | Value::Time(_) => {
                    sheet.write_string(row, col, v.text())?;
                }
            }
        }
        Ok(())
    }
}

impl RowSink for Sheets<'_> {
    async fn row(&mut self, values: Vec<Value>) -> Result<(), ExportError> {
        self.write(&values)
    }
}

/// Writes the workbook with every kind to `path`; returns the number of rows.
pub async fn write(
    db: &Db,
    scope: &Scope,
    tmp: &std::path::Path,
    path: &std::path::Path,
) -> Result<u64, ExportError> {
    let mut workbook = Workbook::new();
    workbook.set_tempdir(tmp)?;
    let mut total = 0;
    for kind in Kind::ALL {
        let mut sheets = Sheets {
            workbook: &mut workbook,
            kind,
            columns: rows::columns(kind, scope.personal),
            part: 0,
            row: 0,
        };
        sheets.start()?;
        total += rows::stream(db, scope, kind, &mut sheets).await?;
    }
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || workbook.save(&path))
        .await
        .map_err(|e| ExportError::Xlsx(e.to_string()))??;
    Ok(total)
}
