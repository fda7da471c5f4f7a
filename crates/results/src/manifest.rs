//! `manifest.json`: what an ensemble ran, with what, and how far it got.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Format version of the results directory.
pub const RESULTS_FORMAT: u32 = 1;

/// One uncertain figure of the run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UncertaintyEntry {
    /// Its path, also its column name in `runs.csv`.
    pub path: String,
    /// Distribution name.
    pub dist: String,
    /// Smallest and largest value it can take.
    pub support: [f64; 2],
    /// Nominal value.
    pub nominal: f64,
    /// Whether the plan varied it (otherwise it stayed nominal).
    pub varied: bool,
}

/// The manifest of a results directory.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Results format version.
    pub format: u32,
    /// patronfall version that wrote it.
    pub version: String,
    /// The command that produced it, as typed.
    pub command: Vec<String>,
    /// Scenario id.
    pub scenario: String,
    /// Scenario file (or `builtin:<name>`).
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Sampler name.
    pub sampler: String,
    /// Samples asked for (base size for Saltelli, trajectories for Morris).
    pub runs: usize,
    /// Scenario samples in the plan.
    pub samples: usize,
    /// Replications per sample.
    pub replications: usize,
    /// Master seed; run seeds derive from (seed, sample · replications + replication).
    pub seed: u64,
    /// Courses of action, in plan order.
    pub coas: Vec<String>,
    /// Shock played.
    pub shock: String,
    /// Days per run.
    pub days: u32,
    /// Futures in rule order.
    pub futures: Vec<String>,
    /// Uncertain figures.
    pub uncertainties: Vec<UncertaintyEntry>,
    /// The model's general parameters (nominal values).
    pub parameters: BTreeMap<String, f64>,
    /// Samples per COA whose daily series feed `timeseries.parquet`.
    pub series_sample: usize,
    /// Whether per-experiment series were kept.
    pub keep_series: bool,
    /// Experiments in the plan.
    pub experiments_planned: u64,
    /// Experiments finished and written.
    pub experiments_done: u64,
    /// Whether every experiment finished.
    pub complete: bool,
    /// Files in the directory.
    pub files: Vec<String>,
}
