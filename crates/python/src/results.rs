//! Reading a results directory and its analyses
//! (`patronfall_results::analyses`), each returned as the JSON its
//! `analysis/NAME.json` holds, which the package turns into DataFrames.

use crate::errors::{argument, guard, results_error};
use patronfall_results::analyses;
use pyo3::prelude::*;
use std::path::PathBuf;

/// Reads a results directory: its manifest (JSON text) and its runs table
/// (`runs.parquet`) as a `pyarrow.Table`.
#[pyfunction]
pub fn read_results(py: Python<'_>, dir: PathBuf) -> PyResult<(String, Py<PyAny>)> {
    let read = py.detach(|| {
        guard(|| {
            let manifest = patronfall_results::read::manifest(&dir)?;
            let text = serde_json::to_string(&manifest).map_err(
                patronfall_results::ResultsError::encode(&dir.join("manifest.json")),
            )?;
            let table = crate::arrow::read_parquet(&dir.join("runs.parquet"))?;
            Ok::<_, patronfall_results::ResultsError>((text, table))
        })
    })?;
    let (manifest, (batches, schema)) = read.map_err(|e| results_error(py, &e))?;
    Ok((manifest, crate::arrow::to_pyarrow(py, batches, schema)?))
}

/// The futures analysis of a results directory (`patronfall analyze
/// futures`): each future's share per course of action with its Wilson
/// interval, and paired differences against `baseline` (the first course
/// of action if None) in the futures and in the chosen `outcomes`.
#[pyfunction]
#[pyo3(signature = (dir, baseline = None, outcomes = Vec::new()))]
pub fn futures(
    py: Python<'_>,
    dir: PathBuf,
    baseline: Option<String>,
    outcomes: Vec<String>,
) -> PyResult<String> {
    let done = py.detach(|| {
        guard(|| {
            let results = analyses::open(&dir)?;
            let baseline = results.coa_or_first(baseline.as_deref(), "baseline")?;
            let a = analyses::futures::analyse(&results, &baseline, &outcomes)?;
            serde_json::to_string(&a).map_err(patronfall_results::ResultsError::encode(&dir))
        })
    })?;
    done.map_err(|e| results_error(py, &e))
}

/// The robustness analysis (`patronfall analyze robustness`): per course of
/// action, the mean of `outcome` over the samples, its largest and 90th
/// percentile regret, and the share of samples meeting `threshold`.
/// `direction` is `maximize` or `minimize`.
#[pyfunction]
#[pyo3(signature = (dir, outcome, direction, threshold = None))]
pub fn robustness(
    py: Python<'_>,
    dir: PathBuf,
    outcome: String,
    direction: &str,
    threshold: Option<f64>,
) -> PyResult<String> {
    let better = match direction {
        "maximize" => analyses::robustness::Better::Maximize,
        "minimize" => analyses::robustness::Better::Minimize,
        other => {
            return Err(argument(
                "direction",
                format!("`{other}`: give `maximize` or `minimize`"),
            ));
        }
    };
    let done = py.detach(|| {
        guard(|| {
            let results = analyses::open(&dir)?;
            let a = analyses::robustness::analyse(&results, &outcome, better, threshold)?;
            serde_json::to_string(&a).map_err(patronfall_results::ResultsError::encode(&dir))
        })
    })?;
    done.map_err(|e| results_error(py, &e))
}
