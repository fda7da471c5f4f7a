//! `manifest.json`: what an ensemble ran, with what, and how far it got.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Format version of the results directory.
pub const RESULTS_FORMAT: u32 = 1;

/// The platform this binary runs on, as `arch-os-env` (the target's
/// architecture, operating system and C library or ABI).
pub fn platform() -> String {
    let env = if cfg!(target_env = "gnu") {
        "gnu"
    } else if cfg!(target_env = "musl") {
        "musl"
    } else if cfg!(target_env = "msvc") {
        "msvc"
    } else {
        "none"
    };
    format!("{}-{}-{env}", std::env::consts::ARCH, std::env::consts::OS)
}

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
    /// The platform that computed it, as `arch-os-env` (for example
    /// `x86_64-linux-gnu`): reruns are bit-identical on the same platform,
    /// while the system's math library may differ in last bits elsewhere.
    /// Empty in directories written before it was recorded.
    #[serde(default)]
    pub platform: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest as the first format wrote it, before `platform`.
    const WITHOUT_PLATFORM: &str = r#"{
        "format": 1, "version": "0.1.0", "command": ["patronfall"],
        "scenario": "s", "scenario_file": "builtin:s", "scenario_sha256": "00",
        "sampler": "lhs", "runs": 1, "samples": 1, "replications": 1, "seed": 1,
        "coas": ["a"], "shock": "none", "days": 1, "futures": ["f"],
        "uncertainties": [], "parameters": {}, "series_sample": 0,
        "keep_series": false, "experiments_planned": 1, "experiments_done": 1,
        "complete": true, "files": []
    }"#;

    #[test]
    fn platform_names_architecture_system_and_environment() {
        let p = platform();
        let parts: Vec<&str> = p.split('-').collect();
        assert_eq!(parts.len(), 3, "{p}");
        assert!(parts.iter().all(|s| !s.is_empty()), "{p}");
        assert_eq!(parts[0], std::env::consts::ARCH);
        assert_eq!(parts[1], std::env::consts::OS);
    }

    #[test]
    fn manifests_written_before_the_platform_still_read() {
        let m: Manifest = serde_json::from_str(WITHOUT_PLATFORM).expect("reads");
        assert_eq!(m.platform, "");
        let again: Manifest =
            serde_json::from_str(&serde_json::to_string(&m).unwrap()).expect("round trip");
        assert_eq!(again, m);
    }
}
