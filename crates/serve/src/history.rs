//! The workspace's history of what-ifs, kept across starts of the server.
//!
//! A finished what-if's folder (`serve-N/job-K/`) holds its scenario file,
//! its results directory and `whatif.json`, the small manifest written
//! here ([`record`], atomically, once its comparison is saved): what was
//! asked (courses of action, shock, note, the changed figures), where its
//! scenario, results and baseline are (paths relative to the workspace)
//! and the plan's settings. At start, [`load`] reads every
//! `serve-*/job-*/whatif.json` of the workspace, checks that what it names
//! is there and whole (the results finished, the comparison computed from
//! these runs, the scenario file readable by the scenario rules), and
//! lists it again; an entry that fails a check is reported, with its file
//! and why, and skipped.

use crate::jobs::{Finished, ReportState};
use crate::whatif::WhatIf;
use crate::workspace::Workspace;
use patronfall_results::analyses::{self, Stored, compare::Comparison};
use patronfall_scenario::Scenario;
use patronfall_scenario::edit::Change;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The manifest's file name in a what-if's folder.
pub const FILE: &str = "whatif.json";

/// The manifest's format version.
pub const FORMAT: u32 = 1;

/// One changed figure, as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changed {
    /// The figure's path.
    pub path: String,
    /// Its value as written before (`null`: left to its default).
    pub was: Option<String>,
    /// Its value as written in the what-if.
    pub now: String,
}

/// `whatif.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// [`FORMAT`].
    pub format: u32,
    /// The patronfall version that ran it.
    pub version: String,
    /// The scenario's id.
    pub scenario: String,
    /// Courses of action run.
    pub coas: Vec<String>,
    /// The shock, or `none`.
    pub shock: String,
    /// The note.
    pub note: String,
    /// The figures changed.
    pub changes: Vec<Changed>,
    /// The scenario file, relative to the workspace.
    pub scenario_file: String,
    /// The results directory, relative to the workspace.
    pub results: String,
    /// The baseline's results directory, relative to the workspace.
    pub baseline: String,
    /// Seconds from the start of its runs to its comparison.
    pub seconds: f64,
}

/// Writes `whatif.json` into the what-if's folder.
pub fn record(workspace: &Workspace, w: &WhatIf, f: &Finished) -> Result<(), String> {
    let baseline = f
        .baseline
        .as_ref()
        .ok_or_else(|| "a what-if without a baseline".to_string())?;
    let r = Record {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: w.scenario.id.clone(),
        coas: w.coas.clone(),
        shock: w.shock.clone(),
        note: w.note.clone(),
        changes: w
            .changes
            .iter()
            .map(|c| Changed {
                path: c.path.clone(),
                was: c.was.clone(),
                now: c.now.clone(),
            })
            .collect(),
        scenario_file: workspace.relative(&w.file),
        results: workspace.relative(&f.results),
        baseline: workspace.relative(baseline),
        seconds: f.seconds,
    };
    let path = w.folder.join(FILE);
    let text = serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?;
    patronfall_results::write_atomic(&path, format!("{text}\n").as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A what-if found in the history.
pub struct Kept {
    /// The what-if.
    pub what_if: WhatIf,
    /// Its results.
    pub finished: Finished,
    /// Whether both reports are built.
    pub report: ReportState,
}

/// Every what-if the workspace keeps, oldest first (by start, then by
/// job), and a message for each entry skipped.
pub fn load(workspace: &Workspace) -> (Vec<Kept>, Vec<String>) {
    let mut folders: Vec<(u64, u64, PathBuf)> = Vec::new();
    let mut skipped = Vec::new();
    let Ok(starts) = std::fs::read_dir(workspace.root()) else {
        return (Vec::new(), skipped);
    };
    for start in starts.flatten() {
        let name = start.file_name().to_string_lossy().into_owned();
        let Some(n) = number(&name, "serve-") else {
            continue;
        };
        let Ok(jobs) = std::fs::read_dir(start.path()) else {
            continue;
        };
        for job in jobs.flatten() {
            let jname = job.file_name().to_string_lossy().into_owned();
            if let Some(k) = number(&jname, "job-") {
                folders.push((n, k, job.path()));
            }
        }
    }
    folders.sort();
    let mut kept = Vec::new();
    for (_, _, folder) in folders {
        let file = folder.join(FILE);
        if !file.exists() {
            // A what-if refused, cancelled, failed or still running when
            // its server stopped: it has no manifest to list it by.
            if folder.join("results").exists() {
                skipped.push(format!(
                    "{}: no {FILE}: the what-if did not finish (cancelled, failed or stopped); skipped",
                    workspace.relative(&folder)
                ));
            }
            continue;
        }
        match entry(workspace, &folder, &file) {
            Ok(k) => kept.push(k),
            Err(why) => skipped.push(format!("{}: {why}; skipped", workspace.relative(&file))),
        }
    }
    (kept, skipped)
}

/// `name`'s number after `prefix`, if it is `prefix` and digits.
fn number(name: &str, prefix: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A path recorded relative to the workspace, checked to stay inside it.
fn inside(workspace: &Workspace, recorded: &str, field: &str) -> Result<PathBuf, String> {
    let parts: Vec<&str> = recorded.split('/').collect();
    workspace
        .path(&parts)
        .map_err(|e| format!("`{field}`: {e}"))
}

/// Reads and checks one entry.
fn entry(workspace: &Workspace, folder: &Path, file: &Path) -> Result<Kept, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read it: {e}"))?;
    let r: Record = serde_json::from_str(&text).map_err(|e| format!("line {}: {e}", e.line()))?;
    if r.format != FORMAT {
        return Err(format!(
            "`format` is {}; this version reads {FORMAT}",
            r.format
        ));
    }
    let scenario_file = inside(workspace, &r.scenario_file, "scenario_file")?;
    let results = inside(workspace, &r.results, "results")?;
    let baseline = inside(workspace, &r.baseline, "baseline")?;
    let whole = |dir: &Path, field: &str| -> Result<(), String> {
        let m =
            patronfall_results::read::whole_manifest(dir).map_err(|e| format!("`{field}`: {e}"))?;
        if m.complete {
            Ok(())
        } else {
            Err(format!(
                "`{field}`: {} did not finish ({} of {} experiments)",
                workspace.relative(dir),
                m.experiments_done,
                m.experiments_planned
            ))
        }
    };
    whole(&results, "results")?;
    whole(&baseline, "baseline")?;
    let sha = patronfall_results::read::runs_sha256(&results).map_err(|e| e.to_string())?;
    let comparison = match analyses::load::<Comparison>(&results, &sha) {
        Ok(Stored::Current(c)) => c,
        Ok(Stored::Absent) => {
            return Err("its results hold no comparison (analysis/compare.json)".into());
        }
        Ok(Stored::Stale(why)) => return Err(format!("its comparison {why}")),
        Err(e) => return Err(e.to_string()),
    };
    let mut scenario = patronfall_scenario::load(&scenario_file).map_err(|e| e.render())?;
    scenario.file = scenario_file.display().to_string();
    let baseline_scenario = baseline_scenario(workspace, &baseline)?;
    let built = results.join("report.html").exists() && baseline.join("report.html").exists();
    let report = if built {
        ReportState::Built
    } else {
        ReportState::Failed(
            "the reports were not built before the server stopped; `patronfall report DIR` builds them".into(),
        )
    };
    Ok(Kept {
        what_if: WhatIf {
            coas: r.coas.clone(),
            shock: r.shock,
            note: r.note,
            changes: r
                .changes
                .into_iter()
                .map(|c| Change {
                    path: c.path,
                    was: c.was,
                    now: c.now,
                })
                .collect(),
            folder: folder.to_path_buf(),
            file: scenario_file,
            scenario,
        },
        finished: Finished {
            results,
            baseline: Some(baseline),
            baseline_scenario: Some(baseline_scenario),
            coas: r.coas,
            table: None,
            comparison: Some(comparison),
            seconds: r.seconds,
        },
        report,
    })
}

/// The scenario a baseline ran, from its manifest: a built-in by name, or
/// a file inside the workspace (the copy its start made).
fn baseline_scenario(workspace: &Workspace, dir: &Path) -> Result<Scenario, String> {
    let m = patronfall_results::read::whole_manifest(dir).map_err(|e| e.to_string())?;
    let name = match m.scenario_file.strip_prefix("builtin:") {
        Some(builtin) => builtin.to_string(),
        None => {
            let real = Path::new(&m.scenario_file)
                .canonicalize()
                .map_err(|e| format!("the baseline's scenario {}: {e}", m.scenario_file))?;
            if !real.starts_with(workspace.root()) {
                return Err(format!(
                    "the baseline's scenario {} is outside the workspace",
                    m.scenario_file
                ));
            }
            real.display().to_string()
        }
    };
    patronfall_scenario::open_with(&name, m.reading()).map_err(|e| e.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(name: &str) -> Workspace {
        let d = std::env::temp_dir().join(format!(
            "patronfall-serve-history-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        Workspace::open(&d).unwrap()
    }

    #[test]
    fn only_serve_n_and_job_k_folders_are_entries() {
        assert_eq!(number("serve-12", "serve-"), Some(12));
        assert_eq!(number("job-3", "job-"), Some(3));
        for bad in ["serve-", "serve-1a", "serve--1", "job-3", "xserve-1"] {
            assert_eq!(number(bad, "serve-"), None, "{bad}");
        }
    }

    #[test]
    fn a_corrupt_or_partial_entry_is_reported_and_skipped() {
        let w = workspace("corrupt");
        let job = |k: &str| {
            let d = w.root().join("serve-1").join(k);
            std::fs::create_dir_all(d.join("results")).unwrap();
            d
        };
        std::fs::write(job("job-1").join(FILE), "{ not json").unwrap();
        let outside = Record {
            format: FORMAT,
            version: "0".into(),
            scenario: "s".into(),
            coas: vec!["a".into()],
            shock: "none".into(),
            note: String::new(),
            changes: Vec::new(),
            scenario_file: "../../etc/passwd".into(),
            results: "serve-1/job-2/results".into(),
            baseline: "serve-1/baseline-none".into(),
            seconds: 1.0,
        };
        std::fs::write(
            job("job-2").join(FILE),
            serde_json::to_string(&outside).unwrap(),
        )
        .unwrap();
        let mut later = outside.clone();
        later.format = FORMAT + 1;
        std::fs::write(
            job("job-3").join(FILE),
            serde_json::to_string(&later).unwrap(),
        )
        .unwrap();
        let mut missing = outside.clone();
        missing.scenario_file = "serve-1/job-4/scenario.toml".into();
        missing.results = "serve-1/job-4/results".into();
        std::fs::write(
            job("job-4").join(FILE),
            serde_json::to_string(&missing).unwrap(),
        )
        .unwrap();
        job("job-5");
        let (kept, skipped) = load(&w);
        assert!(kept.is_empty());
        assert_eq!(skipped.len(), 5, "{skipped:?}");
        assert!(
            skipped[0].starts_with("serve-1/job-1/whatif.json: line 1"),
            "{skipped:?}"
        );
        assert!(
            skipped[1].contains("`scenario_file`")
                && skipped[1].contains("not a name inside the workspace"),
            "{skipped:?}"
        );
        assert!(skipped[2].contains("`format` is 2"), "{skipped:?}");
        assert!(skipped[3].contains("`results`"), "{skipped:?}");
        assert!(skipped[4].contains("did not finish"), "{skipped:?}");
        let _ = std::fs::remove_dir_all(w.root());
    }
}
