//! The results directory: the only crate that writes result files.
//!
//! ```text
//! DIR/manifest.json       version, scenario hash, seeds, sampler, COAs, uncertainties, completeness
//! DIR/runs.csv            one row per experiment: ids, seed, sampled values, scalar outcomes, future
//! DIR/runs.parquet        the same table as Parquet
//! DIR/timeseries.parquet  per COA, day and outcome: quantiles of the daily values
//! DIR/series.parquet      per experiment and day: every outcome (only with --keep-series)
//! DIR/indicators.csv      one row per experiment: every indicator's value on each observation day
//! DIR/indicators.json     what each indicator observes, when, with which measurement error
//! DIR/series-sample.parquet  a shard's daily series of its runs in the fan charts' sample
//! ```
//!
//! Files are streamed to hidden temporary names while the ensemble runs and
//! renamed into place when it ends, interrupted or not; the manifest is
//! written atomically at the start (`complete: false`) and again last, and
//! says whether every experiment finished. After a hard kill only the
//! hidden names are left; [`recover`](recover::recover) makes their
//! finished rows readable.
//!
//! A shard of a plan (`patronfall ensemble --shard K/N`) writes a directory
//! of its own; [`merge`] joins the shards into the directory one machine
//! would have written.
//!
//! [`directory`] makes a directory ready for an ensemble and fills it with
//! a plan's runs, for every caller that writes one (the CLI's `ensemble`,
//! `update` and `compare`, and the Python package).

pub mod analyses;
pub mod directory;
pub mod ema;
pub mod error;
mod float_text;
pub mod indicators;
pub mod manifest;
pub mod merge;
mod parquet_journal;
pub mod read;
pub mod record;
pub mod recover;
mod runs_parquet;
pub mod to_csv;
pub mod write;

pub use error::ResultsError;
pub use manifest::Manifest;
pub use write::{ResultsWriter, RunsFormats};

use std::path::Path;

/// Writes bytes to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = temp_path(path);
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The hidden temporary name a file is written under before its rename.
pub fn temp_path(path: &Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.partial"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("pf-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.txt");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "second");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
