//! `runs.csv` written from `runs.parquet` (`patronfall results csv DIR`),
//! for a directory an ensemble wrote in Parquet only (`--runs-format
//! parquet`, the default for large designs) when a CSV is wanted after all.
//!
//! The rows are rendered by the one reader of Parquet runs tables
//! (`crate::runs_parquet`), field for field as the ensemble's writer
//! renders them, so the file is byte for byte the `runs.csv` the same
//! ensemble writes with `--runs-format both`, and the runs hash, and with
//! it every saved analysis, stays current.

use crate::error::ResultsError;
use std::path::Path;

/// What [`write_csv`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// Rows written, the header excluded.
    pub rows: u64,
    /// Bytes of the file.
    pub bytes: u64,
}

/// Writes `runs.csv` of `dir` from its `runs.parquet` (through a hidden
/// name and a rename) and lists it in the manifest's `files`. Refuses a
/// directory that has a `runs.csv` already or no `runs.parquet`.
pub fn write_csv(dir: &Path) -> Result<Written, ResultsError> {
    let mut manifest = crate::read::manifest(dir)?;
    let csv_path = dir.join("runs.csv");
    if csv_path.exists() {
        return Err(ResultsError::input(
            &csv_path,
            None,
            "exists already: this directory has its runs as CSV; nothing to write",
        ));
    }
    let parquet = dir.join("runs.parquet");
    if !parquet.is_file() {
        return Err(ResultsError::input(
            &parquet,
            None,
            "is missing: the CSV is written from it; if the ensemble was killed, `patronfall \
             recover` first",
        ));
    }
    let staging = dir.join(".runs.csv.writing");
    let file = std::fs::File::create(&staging).map_err(ResultsError::io("create", &csv_path))?;
    let failed = |e: csv::Error| ResultsError::Encode {
        file: csv_path.clone(),
        message: e.to_string(),
    };
    let csv = std::cell::RefCell::new((csv::Writer::from_writer(file), 0u64));
    let scanned = crate::runs_parquet::scan(
        &parquet,
        |_| true,
        |_| true,
        |header| csv.borrow_mut().0.write_record(&header).map_err(failed),
        |fields| {
            let mut w = csv.borrow_mut();
            w.1 += 1;
            w.0.write_record(fields).map_err(failed)
        },
    );
    let (writer, rows) = csv.into_inner();
    let finished = scanned.and_then(|()| {
        let file = writer
            .into_inner()
            .map_err(|e| ResultsError::io("write", &csv_path)(e.into_error()))?;
        file.sync_all()
            .map_err(ResultsError::io("write", &csv_path))
    });
    if let Err(e) = finished {
        let _ = std::fs::remove_file(&staging);
        return Err(e);
    }
    let bytes = std::fs::metadata(&staging).map_or(0, |m| m.len());
    std::fs::rename(&staging, &csv_path).map_err(ResultsError::io("move into place", &csv_path))?;
    let at = manifest
        .files
        .iter()
        .position(|f| f == "runs.parquet")
        .unwrap_or(0);
    manifest.files.insert(at, "runs.csv".to_string());
    manifest.write(dir)?;
    Ok(Written { rows, bytes })
}
