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

/// The discovery analysis (`patronfall analyze discover`): PRIM boxes of
/// the uncertain figures where the runs reach `future`, over the runs of
/// `coa` (all, with the course of action as a column, if None). The step
/// of each trajectory is the highest-coverage one with at least `density`
/// (0.8 if neither `coverage` nor `point` is given), the densest with at
/// least `coverage`, or step `point`; the rest are the CLI's options.
#[pyfunction]
#[pyo3(signature = (
    dir, future, coa = None, density = None, coverage = None, point = None, mass_min = 0.05,
    significance = 0.05, boxes = 1, resamples = 20, seed = 1
))]
#[allow(clippy::too_many_arguments)]
pub fn discover(
    py: Python<'_>,
    dir: PathBuf,
    future: String,
    coa: Option<String>,
    density: Option<f64>,
    coverage: Option<f64>,
    point: Option<usize>,
    mass_min: f64,
    significance: f64,
    boxes: usize,
    resamples: usize,
    seed: u64,
) -> PyResult<String> {
    use patronfall_analysis::prim::Selection;
    let selection = match (point, coverage, density) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) | (None, Some(_), Some(_)) => {
            return Err(argument(
                "discover",
                "give one of density, coverage and point",
            ));
        }
        (Some(p), _, _) => Selection::Step(p),
        (None, Some(c), _) => Selection::Coverage(c),
        (None, None, d) => Selection::Density(d.unwrap_or(0.8)),
    };
    let done = py.detach(|| {
        guard(|| {
            let results = analyses::open(&dir)?;
            let coa = match &coa {
                Some(c) => Some(results.coa_or_first(Some(c), "coa")?),
                None => None,
            };
            let request = analyses::discover::Request {
                future: &future,
                coa: coa.as_deref(),
                selection,
                mass_min,
                significance: Some(significance),
                boxes,
                resamples,
                seed,
            };
            let a = analyses::discover::analyse(&results, &request)?;
            serde_json::to_string(&a).map_err(patronfall_results::ResultsError::encode(&dir))
        })
    })?;
    done.map_err(|e| results_error(py, &e))
}
