//! Reading a results directory back: the manifest and the runs table.
//!
//! Analyses read `runs.csv` into a [`RunsTable`] (column names and rows of
//! strings, with typed accessors); the Parquet files are for analysts' own
//! tools (pandas, polars, DuckDB; see docs/results.md).

use crate::manifest::Manifest;
use std::path::Path;

/// The runs table as read from `runs.csv`.
#[derive(Clone, Debug)]
pub struct RunsTable {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows of raw values.
    pub rows: Vec<Vec<String>>,
}

impl RunsTable {
    /// Index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A numeric column (NaN where empty or not a number).
    pub fn floats(&self, name: &str) -> Option<Vec<f64>> {
        let i = self.column(name)?;
        Some(
            self.rows
                .iter()
                .map(|r| r[i].parse().unwrap_or(f64::NAN))
                .collect(),
        )
    }

    /// A text column.
    pub fn strings(&self, name: &str) -> Option<Vec<&str>> {
        let i = self.column(name)?;
        Some(self.rows.iter().map(|r| r[i].as_str()).collect())
    }
}

/// Reads `manifest.json`.
pub fn manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (is this a results directory written by `patronfall ensemble`?)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: line {}: {e}", path.display(), e.line()))
}

/// Reads `runs.csv`.
pub fn runs(dir: &Path) -> Result<RunsTable, String> {
    let path = dir.join("runs.csv");
    let mut r = csv::Reader::from_path(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let columns: Vec<String> = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}: line {}: {e}", path.display(), i + 2))?;
        rows.push(rec.iter().map(String::from).collect());
    }
    Ok(RunsTable { columns, rows })
}
