//! `patronfall analyze`: analyses over a results directory written by
//! `patronfall ensemble`.
//!
//! Each analysis is one submodule holding its flags and its tables: it opens
//! the directory and computes the analysis with
//! `patronfall_results::analyses`, prints a table (or JSON with `--json`) and
//! always saves the JSON to `DIR/analysis/<name>.json` atomically, for the
//! report. The JSON shapes are documented in docs/results.md.

mod discover;
mod futures;
mod robustness;
mod sensitivity;

use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use patronfall_results::analyses::{self, Analysis, Results};
use std::path::Path;

/// Arguments of `patronfall analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    analysis: Kind,
}

#[derive(Debug, clap::Subcommand)]
enum Kind {
    /// Probability of each future per course of action (Wilson intervals) and
    /// paired differences against a baseline (Newcombe intervals).
    Futures(futures::Args),
    /// Global sensitivity: Sobol indices (sampler saltelli) or Morris
    /// elementary effects (sampler morris).
    Sensitivity(sensitivity::Args),
    /// Scenario discovery with PRIM: which ranges of the uncertainties lead to a future.
    Discover(discover::Args),
    /// Robustness across scenario samples: regret and satisficing per course of action.
    Robustness(robustness::Args),
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    match args.analysis {
        Kind::Futures(a) => futures::run(a),
        Kind::Sensitivity(a) => sensitivity::run(a),
        Kind::Discover(a) => discover::run(a),
        Kind::Robustness(a) => robustness::run(a),
    }
}

/// Opens a results directory, with a note when its ensemble did not finish.
fn open(dir: &Path) -> Result<Results, Failure> {
    let results = analyses::open(dir)?;
    let m = &results.manifest;
    if !m.complete {
        errln!(
            "note: {} is incomplete ({} of {} experiments finished); analysing the finished rows",
            dir.display(),
            m.experiments_done,
            m.experiments_planned
        );
    }
    Ok(results)
}

/// Saves an analysis to `DIR/analysis/<name>.json` and prints the JSON
/// (`print`) or where it went.
fn save<T: Analysis>(dir: &Path, analysis: T, print: bool) -> CommandResult {
    let (path, text) = analyses::save(dir, analysis)?;
    if print {
        outln!("{text}");
    } else {
        outln!("\nsaved: {}", path.display());
    }
    Ok(())
}
