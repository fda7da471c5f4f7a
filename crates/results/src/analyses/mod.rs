//! Analyses over a results directory, and the files they are saved in.
//!
//! [`open`] reads and checks the manifest and `runs.csv` into [`Results`];
//! each analysis is a function from it to a type that serialises and
//! deserialises: [`futures`] (shares of futures with intervals, paired
//! differences), [`margins`] (what decided the futures: how often each
//! condition held, and the futures with one threshold swept), [`sensitivity`] (Sobol indices or Morris elementary
//! effects), [`discover`] (PRIM), [`robustness`] (regret, satisficing),
//! [`signposts`] (what to watch), [`compare`] (two versions of a scenario
//! on paired runs) and [`update`] (the futures' odds given
//! observations, and the hold-out check of that update). The
//! numbers come from the pure functions of `patronfall_analysis`; this
//! module turns a directory into their inputs and their outputs into files.
//!
//! [`save`] writes one to `DIR/analysis/<name>.json` atomically with
//! `runs_sha256`, the identity of the `runs.csv` it was computed from;
//! [`load`] reads it back as the same type, and only if it belongs to the
//! directory's runs, so a report never shows an analysis of other runs.
//! `patronfall analyze` writes these files and the report reads them; the
//! JSON contract is in docs/results.md.

pub mod compare;
pub mod discover;
pub mod follow_up;
pub mod futures;
pub mod margins;
pub mod robustness;
mod runs;
pub mod sensitivity;
pub mod signposts;
pub mod update;

pub use runs::{Output, Results, open, outputs};

use crate::error::ResultsError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// An analysis saved as `analysis/<NAME>.json`.
pub trait Analysis: Serialize + DeserializeOwned {
    /// The file's stem, also the analysis's name on the command line.
    const NAME: &'static str;
}

/// The file of an analysis: the analysis, and the SHA-256 of the `runs.csv`
/// it was computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved<T> {
    /// The analysis.
    #[serde(flatten)]
    pub analysis: T,
    /// SHA-256 of `runs.csv`, hex.
    pub runs_sha256: String,
}

/// What [`load`] found.
#[derive(Clone, Debug, PartialEq)]
pub enum Stored<T> {
    /// No such file: the analysis was not run.
    Absent,
    /// The file belongs to other runs (or does not say which): why, in a
    /// phrase that follows the file's name.
    Stale(String),
    /// The analysis of these runs.
    Current(T),
}

/// The file an analysis is saved in.
pub fn path<T: Analysis>(dir: &Path) -> PathBuf {
    dir.join("analysis").join(format!("{}.json", T::NAME))
}

/// Saves an analysis of the runs in `dir` atomically; returns the file and
/// its text.
pub fn save<T: Analysis>(dir: &Path, analysis: T) -> Result<(PathBuf, String), ResultsError> {
    let saved = Saved {
        analysis,
        runs_sha256: crate::read::runs_sha256(dir)?,
    };
    let path = path::<T>(dir);
    let text = serde_json::to_string_pretty(&saved).map_err(ResultsError::encode(&path))?;
    let folder = dir.join("analysis");
    std::fs::create_dir_all(&folder).map_err(ResultsError::io("create", &folder))?;
    crate::write_atomic(&path, format!("{text}\n").as_bytes())
        .map_err(ResultsError::io("write", &path))?;
    Ok((path, text))
}

/// Reads an analysis of `dir` if it was saved from the runs whose
/// `runs.csv` has the SHA-256 `runs_sha256`.
pub fn load<T: Analysis>(dir: &Path, runs_sha256: &str) -> Result<Stored<T>, ResultsError> {
    let path = path::<T>(dir);
    if !path.exists() {
        return Ok(Stored::Absent);
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ResultsError::input(&path, None, format!("cannot read it: {e}")))?;
    let doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| ResultsError::input(&path, Some(e.line() as u64), e.to_string()))?;
    match doc.get("runs_sha256").and_then(|x| x.as_str()) {
        Some(r) if r == runs_sha256 => {}
        Some(r) => {
            return Ok(Stored::Stale(format!(
                "was computed from other runs (runs.csv SHA-256 {r}, not {runs_sha256})"
            )));
        }
        None => {
            return Ok(Stored::Stale(
                "does not say which runs it was computed from".to_string(),
            ));
        }
    }
    let saved: Saved<T> = serde_json::from_str(&text).map_err(|e| {
        ResultsError::input(
            &path,
            Some(e.line() as u64),
            format!(
                "{e}; it was not written by this version of `patronfall analyze {}`: run it again",
                T::NAME
            ),
        )
    })?;
    Ok(Stored::Current(saved.analysis))
}

/// A number for JSON: non-finite values become `None` (`null`).
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use robustness::{Better, CoaRobustness, Robustness};
    use sensitivity::{MorrisEffect, Sensitivity};

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pf-analyses-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("runs.csv"), "experiment,coa\n0,a\n").unwrap();
        d
    }

    fn robustness() -> Robustness {
        Robustness {
            outcome: "casualties".into(),
            direction: Better::Minimize,
            threshold: None,
            scenarios: 3,
            coas: vec![CoaRobustness {
                coa: "a".into(),
                mean: Some(1.5),
                max_regret: None,
                p90_regret: Some(0.0),
                satisficing: None,
            }],
        }
    }

    #[test]
    fn what_is_saved_loads_back_as_the_same_value() {
        let d = dir("round");
        let sha = crate::read::runs_sha256(&d).unwrap();
        assert_eq!(load::<Robustness>(&d, &sha).unwrap(), Stored::Absent);
        let (path, text) = save(&d, robustness()).unwrap();
        assert!(path.ends_with("analysis/robustness.json"));
        assert!(text.contains("\"direction\": \"minimize\"") && text.contains(&sha));
        assert_eq!(
            load::<Robustness>(&d, &sha).unwrap(),
            Stored::Current(robustness())
        );
        let morris = Sensitivity::Morris {
            confidence: 0.95,
            grouping: "figures".into(),
            indices: vec![MorrisEffect {
                coa: "a".into(),
                outcome: "future:x".into(),
                factor: "p.q".into(),
                figures: vec!["p.q".into()],
                mu: Some(-1.0),
                mu_star: Some(1.0),
                mu_star_low: Some(0.5),
                mu_star_high: Some(1.5),
                sigma: None,
                above_noise: Some(true),
                sources: vec!["S1".into(), "A1".into()],
                basis: "mixed".into(),
            }],
        };
        let (_, text) = save(&d, morris.clone()).unwrap();
        assert!(text.contains("\"method\": \"morris\""), "{text}");
        assert_eq!(load(&d, &sha).unwrap(), Stored::Current(morris));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn an_analysis_of_other_runs_is_stale_and_a_foreign_shape_an_error() {
        let d = dir("stale");
        let sha = crate::read::runs_sha256(&d).unwrap();
        save(&d, robustness()).unwrap();
        let Stored::Stale(why) = load::<Robustness>(&d, "0123").unwrap() else {
            panic!("not stale")
        };
        assert!(why.contains("computed from other runs"), "{why}");
        std::fs::write(path::<Robustness>(&d), "{\"coas\": []}").unwrap();
        let Stored::Stale(why) = load::<Robustness>(&d, &sha).unwrap() else {
            panic!("not stale")
        };
        assert!(why.contains("does not say"), "{why}");
        let foreign = format!("{{\"indices\": [], \"runs_sha256\": \"{sha}\"}}");
        std::fs::write(path::<Sensitivity>(&d), foreign).unwrap();
        let e = load::<Sensitivity>(&d, &sha).unwrap_err();
        assert!(e.is_bad_input());
        assert!(e.to_string().contains("sensitivity.json"), "{e}");
        assert!(e.to_string().contains("run it again"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
