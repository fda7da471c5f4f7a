//! Recovering the finished rows of an ensemble that was killed.
//!
//! An ensemble streams `runs.csv` to its hidden stand-in `.runs.csv.partial`
//! and renames it into place when it stops. A hard kill (SIGKILL, a third
//! Ctrl-C, a crash of the machine) leaves the stand-in and the manifest
//! written at the start (`complete: false`, no experiment done). [`recover`]
//! keeps the stand-in's header and every whole row after it, writes them as
//! `runs.csv`, and rewrites the manifest to say how many experiments it
//! holds. The Parquet stand-ins cannot be read without the footer their
//! writer never wrote, so they are removed; the recovered directory has no
//! `runs.parquet` and no fan charts (`timeseries.parquet`), and says so in
//! its manifest's `files`.
//!
//! An ensemble that wrote `runs.parquet` only (`--runs-format parquet`)
//! leaves `.runs.parquet.partial` and its journal
//! (`crate::parquet_journal`): [`recover`] cuts the stand-in after the last
//! row group the journal records as on disk, appends their footer, and
//! writes it as `runs.parquet`. The rows of the row group still being
//! built at the kill (up to [`RUNS_ROW_GROUP`](crate::write::RUNS_ROW_GROUP)
//! of them) are lost.

use crate::manifest::Manifest;
use crate::read::RunsFormat;
use crate::{temp_path, write_atomic};
use std::path::Path;

/// The staging file a recovery writes a runs table to before renaming it
/// over the stand-in: left behind only if the recovery itself is killed,
/// and removed by `prepare_dir` with `--force`.
pub const RECOVERING_CSV: &str = ".runs.csv.recovering";

/// The same for a Parquet runs table.
pub const RECOVERING_PARQUET: &str = ".runs.parquet.recovering";

/// What [`recover`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovered {
    /// Whole rows kept in the runs table.
    pub rows: u64,
    /// Bytes of a last, unfinished row that were dropped (`runs.csv`), or
    /// of the row groups that had not wholly reached the disk
    /// (`runs.parquet`).
    pub dropped_bytes: usize,
    /// The file the rows were recovered into.
    pub format: RunsFormat,
}

/// Why a directory cannot be recovered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecoverError {
    /// Nothing to recover (no stand-in, or `runs.csv` already there).
    Nothing(String),
    /// The directory is not a results directory, or a file cannot be read
    /// or written.
    Failed(String),
}

impl std::fmt::Display for RecoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecoverError::Nothing(m) | RecoverError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RecoverError {}

/// Number of fields of one CSV line (no embedded newlines: the writer's
/// fields are ids, numbers and names without line breaks).
fn fields(line: &str) -> Option<usize> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match r.read_record(&mut record) {
        Ok(true) => Some(record.len()),
        _ => None,
    }
}

/// Makes the finished rows of a killed ensemble in `dir` readable (see the
/// module's documentation).
pub fn recover(dir: &Path) -> Result<Recovered, RecoverError> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        RecoverError::Failed(format!(
            "cannot read {}: {e} (is this a results directory written by `patronfall ensemble`?)",
            manifest_path.display()
        ))
    })?;
    let mut manifest = Manifest::from_json(&text).map_err(|e| {
        RecoverError::Failed(format!(
            "{}: line {}: {e}",
            manifest_path.display(),
            e.line()
        ))
    })?;
    let runs = dir.join("runs.csv");
    let partial = temp_path(&runs);
    for name in ["runs.csv", "runs.parquet"] {
        if dir.join(name).exists() {
            return Err(RecoverError::Nothing(format!(
                "{} exists: the ensemble finished writing this directory, there is nothing to recover",
                dir.join(name).display()
            )));
        }
    }
    if !partial.exists() && temp_path(&dir.join("runs.parquet")).exists() {
        return recover_parquet(dir, manifest);
    }
    let bytes = std::fs::read(&partial).map_err(|e| {
        RecoverError::Nothing(format!(
            "there is nothing to recover in {}: {} cannot be read ({e})",
            dir.display(),
            partial.display()
        ))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    // Only whole lines: a kill can cut the last row anywhere.
    let whole = text.rfind('\n').map_or(0, |i| i + 1);
    let mut lines = text[..whole].split_inclusive('\n');
    let header = lines.next().ok_or_else(|| {
        RecoverError::Nothing(format!(
            "there is nothing to recover in {}: {} holds no whole line",
            dir.display(),
            partial.display()
        ))
    })?;
    let width = fields(header).unwrap_or(0);
    let mut out = String::with_capacity(whole);
    out.push_str(header);
    let mut rows = 0u64;
    for line in lines {
        if fields(line) != Some(width) {
            break;
        }
        out.push_str(line);
        rows += 1;
    }
    let dropped_bytes = bytes.len() - out.len();
    // Not through `write_atomic`, whose temporary name is the stand-in
    // itself: until the rename, the stand-in stays as the kill left it.
    let staging = dir.join(RECOVERING_CSV);
    std::fs::write(&staging, out.as_bytes())
        .and_then(|()| std::fs::rename(&staging, &runs))
        .map_err(|e| RecoverError::Failed(format!("cannot write {}: {e}", runs.display())))?;
    manifest.experiments_done = rows;
    manifest.complete = false;
    manifest.files = vec!["runs.csv".into(), "manifest.json".into()];
    write_atomic(&manifest_path, manifest.to_json().as_bytes()).map_err(|e| {
        RecoverError::Failed(format!("cannot write {}: {e}", manifest_path.display()))
    })?;
    for name in [
        "runs.csv",
        "runs.parquet",
        "series.parquet",
        "timeseries.parquet",
    ] {
        let _ = std::fs::remove_file(temp_path(&dir.join(name)));
    }
    Ok(Recovered {
        rows,
        dropped_bytes,
        format: RunsFormat::Csv,
    })
}

/// Recovers the row groups of a killed ensemble that wrote `runs.parquet`
/// only (see the module's documentation).
fn recover_parquet(dir: &Path, mut manifest: Manifest) -> Result<Recovered, RecoverError> {
    let runs = dir.join("runs.parquet");
    let partial = temp_path(&runs);
    let journal = crate::parquet_journal::journal_path(dir);
    if !journal.exists() {
        return Err(RecoverError::Nothing(format!(
            "there is nothing to recover in {}: {} has no journal ({}) to read it by",
            dir.display(),
            partial.display(),
            journal.display()
        )));
    }
    let staging = dir.join(RECOVERING_PARQUET);
    let (rows, dropped) = crate::parquet_journal::rebuild(&partial, &journal, &staging)
        .map_err(|e| RecoverError::Failed(format!("cannot recover {}: {e}", runs.display())))?
        .ok_or_else(|| {
            RecoverError::Nothing(format!(
                "there is nothing to recover in {}: no row group of runs.parquet had reached the \
                 disk (the first does once {} experiments have finished); run the ensemble again \
                 with --force",
                dir.display(),
                crate::write::RUNS_ROW_GROUP
            ))
        })?;
    std::fs::rename(&staging, &runs)
        .map_err(|e| RecoverError::Failed(format!("cannot write {}: {e}", runs.display())))?;
    manifest.experiments_done = rows;
    manifest.complete = false;
    manifest.files = vec!["runs.parquet".into(), "manifest.json".into()];
    let manifest_path = dir.join("manifest.json");
    write_atomic(&manifest_path, manifest.to_json().as_bytes()).map_err(|e| {
        RecoverError::Failed(format!("cannot write {}: {e}", manifest_path.display()))
    })?;
    for name in ["runs.parquet", "series.parquet", "timeseries.parquet"] {
        let _ = std::fs::remove_file(temp_path(&dir.join(name)));
    }
    let _ = std::fs::remove_file(&journal);
    Ok(Recovered {
        rows,
        dropped_bytes: dropped as usize,
        format: RunsFormat::Parquet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn killed(name: &str, partial: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("pf-recover-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let m = r#"{"format": 1, "version": "0", "command": [], "scenario": "s",
            "scenario_file": "builtin:s", "scenario_sha256": "x", "sampler": "lhs",
            "runs": 3, "samples": 3, "replications": 1, "seed": 1,
            "coas": ["a"], "shock": "none", "days": 1, "futures": ["f"],
            "uncertainties": [], "parameters": {}, "series_sample": 0,
            "keep_series": false, "experiments_planned": 3,
            "experiments_done": 0, "complete": false, "files": []}"#;
        std::fs::write(dir.join("manifest.json"), m).unwrap();
        std::fs::write(dir.join(".runs.csv.partial"), partial).unwrap();
        std::fs::write(dir.join(".runs.parquet.partial"), "PAR1").unwrap();
        dir
    }

    #[test]
    fn keeps_whole_rows_and_drops_a_cut_one() {
        let dir = killed("cut", "experiment,coa,x\n0,a,1.5\n1,a,2\n2,a,");
        let r = recover(&dir).unwrap();
        assert_eq!(
            r,
            Recovered {
                rows: 2,
                dropped_bytes: 4,
                format: RunsFormat::Csv,
            }
        );
        let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
        assert_eq!(runs, "experiment,coa,x\n0,a,1.5\n1,a,2\n");
        let m: Manifest =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!((m.experiments_done, m.complete), (2, false));
        assert_eq!(m.files, vec!["runs.csv", "manifest.json"]);
        assert!(!dir.join(".runs.csv.partial").exists());
        assert!(!dir.join(".runs.parquet.partial").exists());
        // A second time there is nothing left to do.
        assert!(matches!(recover(&dir), Err(RecoverError::Nothing(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_row_cut_between_fields_is_dropped_too() {
        let dir = killed("short", "experiment,coa,x\n0,a,1\n1,a\n");
        assert_eq!(recover(&dir).unwrap().rows, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
