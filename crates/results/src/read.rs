//! Reading a results directory back: the manifest and the runs table.
//!
//! Every reader of the runs table (the analyses, the report, the EMA
//! export, `compare`, `signposts`, `update`) reads it here into a [`RunsTable`]
//! (column names and rows of the fields `runs.csv` holds, with typed
//! accessors), from `runs.csv` or `runs.parquet`, whichever the directory
//! has ([`runs_format`]): the same fields from either, so the same
//! analysis to the byte. The identity of the runs ([`runs_sha256`]) does
//! not depend on the format either.

use crate::error::ResultsError;
use crate::manifest::Manifest;
use std::path::{Path, PathBuf};

/// The runs table as read from `runs.csv` or `runs.parquet`: the fields
/// of `runs.csv` either way.
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
pub fn manifest(dir: &Path) -> Result<Manifest, ResultsError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        ResultsError::input(
            &path,
            None,
            format!(
                "cannot read it: {e} (is this a results directory written by `patronfall ensemble`?)"
            ),
        )
    })?;
    let m = Manifest::from_json(&text)
        .map_err(|e| ResultsError::input(&path, Some(e.line() as u64), e.to_string()))?;
    // The same rule as `run` and `ensemble`: a hand-edited length must not
    // make a reader allocate for a run nobody could have made.
    patronfall_scenario::check_days(u64::from(m.days))
        .map_err(|e| ResultsError::input(&path, None, format!("days: {e}")))?;
    Ok(m)
}

/// Reads `manifest.json` of a directory that holds a whole plan, for the
/// analyses, the report and the export: a shard holds only a block of the
/// plan's experiments (a Saltelli design's blocks cut, the futures of a
/// part), so it is refused with the command that joins the shards.
pub fn whole_manifest(dir: &Path) -> Result<Manifest, ResultsError> {
    let m = manifest(dir)?;
    if let Some(shard) = &m.shard {
        return Err(ResultsError::input(
            &dir.join("manifest.json"),
            None,
            format!(
                "this directory holds shard {}/{} of an ensemble (experiments {} to {} of {}), not the whole plan; join every shard with `patronfall results merge --out OUT DIR...` and use OUT",
                shard.index,
                shard.count,
                shard.experiments[0],
                shard.experiments[1].saturating_sub(1),
                shard.plan_experiments
            ),
        ));
    }
    Ok(m)
}

/// The file format the runs table of a directory is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunsFormat {
    /// `runs.csv`: text, one line per run.
    Csv,
    /// `runs.parquet`: columnar, typed, compressed.
    Parquet,
}

impl RunsFormat {
    /// The file's name in a results directory.
    pub fn file_name(self) -> &'static str {
        match self {
            RunsFormat::Csv => "runs.csv",
            RunsFormat::Parquet => "runs.parquet",
        }
    }
}

/// Which file holds the runs table of `dir`: `runs.csv` when the manifest
/// lists it and it is there, else `runs.parquet` on the same terms, else
/// whichever of the two is there (a directory whose manifest is missing or
/// lists neither), `runs.csv` first. Both hold the same values, and every
/// reader gives the same fields from either (`crate::runs_parquet`). With
/// neither file, `runs.csv`: reading it then says why it is missing
/// ([`cannot_open_runs`]).
pub fn runs_format(dir: &Path) -> RunsFormat {
    let listed = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| Manifest::from_json(&t).ok())
        .map(|m| m.files)
        .unwrap_or_default();
    let formats = [RunsFormat::Csv, RunsFormat::Parquet];
    let there = |f: &RunsFormat| dir.join(f.file_name()).is_file();
    formats
        .iter()
        .find(|f| there(f) && listed.iter().any(|l| l == f.file_name()))
        .or_else(|| formats.iter().find(|f| there(f)))
        .copied()
        .unwrap_or(RunsFormat::Csv)
}

/// The file the runs table of `dir` is read from ([`runs_format`]), for
/// messages.
pub fn runs_path(dir: &Path) -> PathBuf {
    dir.join(runs_format(dir).file_name())
}

/// The file the runs table of a directory is read from, for messages that
/// point into it: a line of `runs.csv`, a row of `runs.parquet`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunsFile {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: RunsFormat,
}

impl RunsFile {
    /// The runs table's file of `dir` ([`runs_format`]).
    pub fn of(dir: &Path) -> RunsFile {
        let format = runs_format(dir);
        RunsFile {
            path: dir.join(format.file_name()),
            format,
        }
    }

    /// Bad input in the table's columns: at line 1 of `runs.csv`.
    pub fn header(&self, message: impl Into<String>) -> ResultsError {
        let line = (self.format == RunsFormat::Csv).then_some(1);
        ResultsError::input(&self.path, line, message)
    }

    /// Bad input in row `row` (from 0, header excluded): at its line in
    /// `runs.csv`, or its row (from 1) in `runs.parquet`.
    pub fn row(&self, row: usize, message: impl Into<String>) -> ResultsError {
        match self.format {
            RunsFormat::Csv => ResultsError::input(&self.path, Some(row as u64 + 2), message),
            RunsFormat::Parquet => ResultsError::input(
                &self.path,
                None,
                format!("row {}: {}", row + 1, message.into()),
            ),
        }
    }
}

/// Why the runs table of `dir` cannot be opened, in words that say what to
/// do. Without `runs.csv` and `runs.parquet` but with a hidden stand-in
/// (`.runs.csv.partial`, `.runs.parquet.partial`), the ensemble that wrote
/// the directory never finished: it was killed (or is still running), and
/// `patronfall recover` can make its finished rows readable.
pub fn cannot_open_runs(dir: &Path, e: impl std::fmt::Display) -> ResultsError {
    let formats = [RunsFormat::Csv, RunsFormat::Parquet];
    let none = formats.iter().all(|f| !dir.join(f.file_name()).exists());
    let partial = formats
        .iter()
        .map(|f| crate::temp_path(&dir.join(f.file_name())))
        .find(|p| p.exists());
    match partial {
        Some(partial) if none => ResultsError::input(
            dir,
            None,
            format!(
                "the ensemble writing this directory did not finish: it was killed, or is still \
                 running, so its runs table (runs.csv, runs.parquet) was never written; its \
                 finished rows are in {}. If it is not running, `patronfall recover {}` makes \
                 them readable (or run the ensemble again with --force)",
                partial.display(),
                dir.display()
            ),
        ),
        _ => ResultsError::input(&runs_path(dir), None, format!("cannot read it: {e}")),
    }
}

/// An [`std::io::Write`] that hashes what it is given.
struct Hashing(sha2::Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.0, buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The SHA-256 of `runs.csv`, hex: the identity of the runs an analysis was
/// computed from. `patronfall analyze` records it in every
/// `analysis/<name>.json`, and the report shows an analysis only when it
/// matches the directory's runs.
///
/// It does not depend on the format the table is read from: for a
/// directory with `runs.parquet` only it is the SHA-256 of the `runs.csv`
/// the same ensemble writes, rendered from the Parquet rows field for field
/// as the writer renders them (`crate::runs_parquet`), so an analysis keeps
/// its identity when either file is removed or the other is written from
/// it.
pub fn runs_sha256(dir: &Path) -> Result<String, ResultsError> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let hash = match runs_format(dir) {
        RunsFormat::Csv => {
            let path = dir.join("runs.csv");
            let mut file = std::fs::File::open(&path).map_err(|e| cannot_open_runs(dir, e))?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = file.read(&mut buf).map_err(|e| {
                    ResultsError::input(&path, None, format!("cannot read it: {e}"))
                })?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            hasher.finalize()
        }
        RunsFormat::Parquet => {
            let path = dir.join("runs.parquet");
            let mut csv = csv::Writer::from_writer(Hashing(Sha256::new()));
            let failed = |e: csv::Error| ResultsError::input(&path, None, e.to_string());
            let cell = std::cell::RefCell::new(&mut csv);
            crate::runs_parquet::scan(
                &path,
                |_| true,
                |_| true,
                |header| cell.borrow_mut().write_record(&header).map_err(failed),
                |fields| cell.borrow_mut().write_record(fields).map_err(failed),
            )?;
            let hashing = csv
                .into_inner()
                .map_err(|e| ResultsError::input(&path, None, e.to_string()))?;
            hashing.0.finalize()
        }
    };
    Ok(hash.iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads the runs table (`runs.csv` or `runs.parquet`, [`runs_format`]).
pub fn runs(dir: &Path) -> Result<RunsTable, ResultsError> {
    runs_where(dir, |_| true, |_| true)
}

/// Reads the columns of the runs table whose names pass `column` and the
/// rows (0-based, header excluded) that pass `row`, from `runs.csv` or
/// `runs.parquet` ([`runs_format`]), with the same fields from either.
/// Memory grows with what is kept, not with the file: the report keeps a
/// few columns of every row and every column of a few rows.
pub fn runs_where(
    dir: &Path,
    column: impl Fn(&str) -> bool,
    row: impl Fn(usize) -> bool,
) -> Result<RunsTable, ResultsError> {
    match runs_format(dir) {
        RunsFormat::Csv => csv_where(dir, column, row),
        RunsFormat::Parquet => {
            let path = dir.join("runs.parquet");
            if !path.exists() {
                return Err(cannot_open_runs(dir, "it is missing"));
            }
            let mut columns = Vec::new();
            let mut rows = Vec::new();
            crate::runs_parquet::scan(
                &path,
                column,
                |i| row(i as usize),
                |h| {
                    columns = h;
                    Ok(())
                },
                |fields| {
                    rows.push(fields.to_vec());
                    Ok(())
                },
            )?;
            Ok(RunsTable { columns, rows })
        }
    }
}

fn csv_where(
    dir: &Path,
    column: impl Fn(&str) -> bool,
    row: impl Fn(usize) -> bool,
) -> Result<RunsTable, ResultsError> {
    let path = dir.join("runs.csv");
    let mut r = csv::Reader::from_path(&path).map_err(|e| cannot_open_runs(dir, e))?;
    let header = r
        .headers()
        .map_err(|e| ResultsError::input(&path, Some(1), e.to_string()))?
        .clone();
    let kept: Vec<usize> = (0..header.len()).filter(|&i| column(&header[i])).collect();
    let columns = kept.iter().map(|&i| header[i].to_string()).collect();
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    let mut i = 0u64;
    loop {
        let more = r
            .read_record(&mut rec)
            .map_err(|e| ResultsError::input(&path, Some(i + 2), e.to_string()))?;
        if !more {
            break;
        }
        if row(i as usize) {
            rows.push(
                kept.iter()
                    .map(|&c| rec.get(c).unwrap_or_default().to_string())
                    .collect(),
            );
        }
        i += 1;
    }
    Ok(RunsTable { columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_chosen_columns_and_rows() {
        let dir = std::env::temp_dir().join(format!("pf-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("runs.csv"), "a,b,c\n1,2,3\n4,5,6\n7,8,9\n").unwrap();
        let all = runs(&dir).unwrap();
        assert_eq!(all.rows.len(), 3);
        let some = runs_where(&dir, |c| c != "b", |r| r != 1).unwrap();
        assert_eq!(some.columns, ["a", "c"]);
        assert_eq!(some.rows, [["1", "3"], ["7", "9"]]);
        assert_eq!(some.floats("c").unwrap(), [3.0, 9.0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
