//! One run explained: a run of a job's results (or of its baseline's),
//! chosen by course of action and sample, replayed through the model with
//! the report's recorder (`patronfall_report::representative::replay`),
//! from its row of sampled values and its seed. What comes back is why it
//! reached its future (every condition of every future up to the one it
//! reached, with its margin) and its narrative (turning points and notable
//! events with the numbers behind them).

use patronfall_report::representative::{self, Representative};
use patronfall_results::manifest::ConditionEntry;
use patronfall_scenario::Scenario;
use std::path::Path;

/// A run explained.
pub struct Explained {
    /// The run as replayed.
    pub run: Representative,
    /// Its sample.
    pub sample: usize,
    /// Its experiment number.
    pub experiment: String,
    /// Futures in rule order up to the one it reached (all if none), each
    /// with its conditions and their margins in this run.
    pub futures: Vec<(String, Vec<(ConditionEntry, f64)>)>,
}

/// Replays the run of `coa` on `sample` in the results directory `dir`,
/// which `scenario` ran.
pub fn explain(
    scenario: &Scenario,
    dir: &Path,
    coa: &str,
    sample: usize,
) -> Result<Explained, String> {
    let manifest = patronfall_results::read::whole_manifest(dir).map_err(|e| e.to_string())?;
    let slim = patronfall_results::read::runs_where(dir, |c| c == "coa" || c == "sample", |_| true)
        .map_err(|e| e.to_string())?;
    let (Some(ci), Some(si)) = (slim.column("coa"), slim.column("sample")) else {
        return Err("the runs table has no `coa` or `sample` column".into());
    };
    let wanted = sample.to_string();
    let Some(row) =
        (0..slim.rows.len()).find(|&r| slim.rows[r][ci] == coa && slim.rows[r][si] == wanted)
    else {
        return Err(format!(
            "no run of `{coa}` on sample {sample}: the courses of action are {}, the samples 0 to {}",
            manifest.coas.join(", "),
            manifest.samples.saturating_sub(1)
        ));
    };
    let whole = patronfall_results::read::runs_where(dir, |_| true, |r| r == row)
        .map_err(|e| e.to_string())?;
    let runs_path = dir.join("runs.csv");
    let run = representative::replay(scenario, &manifest, &whole, 0, row + 2, coa, &runs_path)
        .map_err(|e| e.to_string())?;
    let experiment = run.experiment.clone();
    let reached = run.result.future;
    let mut futures = Vec::new();
    for (f, id) in manifest.futures.iter().enumerate() {
        let conditions = manifest
            .conditions
            .iter()
            .filter(|c| &c.future == id)
            .map(|c| {
                let margin = run
                    .result
                    .margins
                    .get(f)
                    .and_then(|m| m.get(c.index))
                    .copied()
                    .unwrap_or(f64::NAN);
                (c.clone(), margin)
            })
            .collect();
        futures.push((id.clone(), conditions));
        if reached == Some(f) {
            break;
        }
    }
    Ok(Explained {
        run,
        sample,
        experiment,
        futures,
    })
}
