//! Reading a results directory back: the manifest and the runs table.
//!
//! Analyses read `runs.csv` into a [`RunsTable`] (column names and rows of
//! strings, with typed accessors); the Parquet files are for analysts' own
//! tools (pandas, polars, DuckDB; see docs/results.md).

use crate::error::ResultsError;
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

/// Why `runs.csv` cannot be opened, in words that say what to do. Without
/// `runs.csv` but with its hidden stand-in `.runs.csv.partial`, the ensemble
/// that wrote the directory never finished: it was killed (or is still
/// running), and `patronfall recover` can make its finished rows readable.
pub fn cannot_open_runs(dir: &Path, e: impl std::fmt::Display) -> ResultsError {
    let path = dir.join("runs.csv");
    let partial = crate::temp_path(&path);
    if !path.exists() && partial.exists() {
        ResultsError::input(
            dir,
            None,
            format!(
                "the ensemble writing this directory did not finish: it was killed, or is still \
                 running, so runs.csv was never written; its finished rows are in {}. If it is not \
                 running, `patronfall recover {}` makes them readable (or run the ensemble again with \
                 --force)",
                partial.display(),
                dir.display()
            ),
        )
    } else {
        ResultsError::input(&path, None, format!("cannot read it: {e}"))
    }
}

/// The SHA-256 of `runs.csv`, hex: the identity of the runs an analysis was
/// computed from. `patronfall analyze` records it in every
/// `analysis/<name>.json`, and the report shows an analysis only when it
/// matches the directory's `runs.csv`.
pub fn runs_sha256(dir: &Path) -> Result<String, ResultsError> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let path = dir.join("runs.csv");
    let mut file = std::fs::File::open(&path).map_err(|e| cannot_open_runs(dir, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| ResultsError::input(&path, None, format!("cannot read it: {e}")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Reads `runs.csv`.
pub fn runs(dir: &Path) -> Result<RunsTable, ResultsError> {
    runs_where(dir, |_| true, |_| true)
}

/// Reads the columns of `runs.csv` whose names pass `column` and the rows
/// (0-based, header excluded) that pass `row`. Memory grows with what is
/// kept, not with the file: the report keeps a few columns of every row
/// and every column of a few rows.
pub fn runs_where(
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
