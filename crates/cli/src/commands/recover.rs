//! `patronfall recover DIR`: makes the finished rows of a killed ensemble
//! readable (`patronfall_results::recover`), so that `analyze`, `report`
//! and `export` work on them.

use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use patronfall_results::read::RunsFormat;
use patronfall_results::recover::{RecoverError, recover};
use std::path::PathBuf;

/// Arguments of `patronfall recover`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The results directory of an ensemble that was killed.
    pub dir: PathBuf,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let r = recover(&args.dir).map_err(|e| match e {
        RecoverError::Nothing(m) => Failure::bad_input(m),
        RecoverError::Failed(m) => Failure::failed(m),
    })?;
    let file = r.format.file_name();
    outln!(
        "recovered {} finished experiment{} into {} (manifest: complete = false)",
        r.rows,
        if r.rows == 1 { "" } else { "s" },
        args.dir.join(file).display()
    );
    match r.format {
        RunsFormat::Csv => {
            if r.dropped_bytes > 0 {
                outln!(
                    "dropped the last row, cut off by the kill ({} bytes)",
                    r.dropped_bytes
                );
            }
            outln!(
                "runs.parquet and the fan charts (timeseries.parquet) cannot be recovered; `patronfall analyze` and `patronfall report {}` work on runs.csv",
                args.dir.display()
            );
        }
        RunsFormat::Parquet => {
            if r.dropped_bytes > 0 {
                outln!(
                    "dropped the rows whose row group had not reached the disk ({} bytes)",
                    r.dropped_bytes
                );
            }
            outln!(
                "the fan charts (timeseries.parquet) cannot be recovered; `patronfall analyze` and `patronfall report {}` work on runs.parquet",
                args.dir.display()
            );
        }
    }
    Ok(())
}
