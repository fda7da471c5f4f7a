//! `patronfall analyze`: analyses over a results directory written by
//! `patronfall ensemble`.
//!
//! Each analysis is one submodule: it reads the manifest and `runs.csv`,
//! calls the pure functions of `patronfall-analysis`, prints a table (or JSON
//! with `--json`) and always saves its JSON to `DIR/analysis/<name>.json`
//! atomically, for the report. The JSON shapes are documented in
//! docs/results.md.

mod discover;
mod futures;
mod robustness;
mod runs;
mod sensitivity;

use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use serde::Serialize;
use std::path::Path;

/// Arguments of `patronfall analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    analysis: Analysis,
}

#[derive(Debug, clap::Subcommand)]
enum Analysis {
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
        Analysis::Futures(a) => futures::run(a),
        Analysis::Sensitivity(a) => sensitivity::run(a),
        Analysis::Discover(a) => discover::run(a),
        Analysis::Robustness(a) => robustness::run(a),
    }
}

/// Saves an analysis's JSON to `DIR/analysis/<name>.json` atomically and,
/// when `print` is set, also prints it to standard output.
///
/// The document records `runs_sha256`, the identity of the `runs.csv` it was
/// computed from, so that a report never shows an analysis of other runs.
fn save_json<T: Serialize>(dir: &Path, name: &str, value: &T, print: bool) -> CommandResult {
    let mut doc = serde_json::to_value(value).map_err(Failure::failed)?;
    let identity = patronfall_results::read::runs_sha256(dir).map_err(Failure::failed)?;
    match &mut doc {
        serde_json::Value::Object(map) => {
            map.insert("runs_sha256".into(), identity.into());
        }
        _ => {
            return Err(Failure::failed(format!(
                "the {name} analysis is not a JSON object"
            )));
        }
    }
    let text = serde_json::to_string_pretty(&doc).map_err(Failure::failed)?;
    let folder = dir.join("analysis");
    std::fs::create_dir_all(&folder)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", folder.display())))?;
    let path = folder.join(format!("{name}.json"));
    patronfall_results::write_atomic(&path, format!("{text}\n").as_bytes())
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    if print {
        outln!("{text}");
    } else {
        outln!("\nsaved: {}", path.display());
    }
    Ok(())
}

/// Replaces non-finite numbers by `None` so that JSON stays valid (`null`).
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}
