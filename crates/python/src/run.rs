//! `run`: one run of a scenario, its outcome record (what `patronfall run
//! --json` prints, `patronfall_results::record`) and, on request, its daily
//! series as an Arrow table.

use crate::errors::{argument, guard};
use crate::scenario::PyScenario;
use patronfall_model::{CoaId, Outcome, Recorder, RunSpec, ShockId};
use patronfall_scenario::Scenario;
use pyo3::prelude::*;

/// The course of action named `name`, or the scenario's default.
pub fn pick_coa(s: &Scenario, name: Option<&str>) -> PyResult<CoaId> {
    match name {
        None => Ok(s.default_coa),
        Some(n) => s.coa(n).ok_or_else(|| {
            argument(
                "coa",
                format!(
                    "`{n}` is not a course of action of {}; it has: {}",
                    s.id,
                    s.ids.coas.join(", ")
                ),
            )
        }),
    }
}

/// The shock named `name` (`none` for none), or the scenario's default.
pub fn pick_shock(s: &Scenario, name: Option<&str>) -> PyResult<Option<ShockId>> {
    match name {
        None => Ok(s.default_shock),
        Some("none") if s.shock("none").is_none() => Ok(None),
        Some(n) => s.shock(n).map(Some).ok_or_else(|| {
            argument(
                "shock",
                format!(
                    "`{n}` is not a shock of {}; it has: {} (or `none`)",
                    s.id,
                    s.ids.shocks.join(", ")
                ),
            )
        }),
    }
}

/// `days`, or the scenario's horizon, held to the rule every command
/// shares.
pub fn pick_days(s: &Scenario, days: Option<u32>) -> PyResult<u32> {
    let d = days.unwrap_or(s.world.horizon_days);
    patronfall_scenario::check_days(u64::from(d)).map_err(|e| argument("days", e))
}

/// Runs `scenario` once and returns `(record, series)`: the record as JSON
/// text (without its `series`), and the daily series of every outcome as
/// a `pyarrow.Table` (day 0 is the start) if `series`, else None.
#[pyfunction]
#[pyo3(signature = (scenario, coa = None, seed = 1, days = None, shock = None, series = false))]
pub fn run(
    py: Python<'_>,
    scenario: &PyScenario,
    coa: Option<&str>,
    seed: u64,
    days: Option<u32>,
    shock: Option<&str>,
    series: bool,
) -> PyResult<(String, Option<Py<PyAny>>)> {
    let s = scenario.inner.clone();
    let coa = pick_coa(&s, coa)?;
    let shock = pick_shock(&s, shock)?;
    let days = pick_days(&s, days)?;
    let (record, table) = py.detach(|| {
        guard(|| {
            let mut rec = Recorder::default();
            let spec = RunSpec {
                world: &s.world,
                coa,
                shock,
                days,
                seed,
            };
            let result = patronfall_model::run(spec, &mut rec);
            let mut record =
                patronfall_results::record::run_record(&s, coa, shock, seed, &result, &rec);
            if let Some(map) = record.as_object_mut() {
                map.remove("series");
            }
            let table = series.then(|| {
                let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.name()).collect();
                let columns = Outcome::ALL
                    .iter()
                    .map(|o| rec.series.iter().map(|d| d.get(*o)).collect())
                    .collect();
                crate::arrow::day_table(&names, columns)
            });
            (record.to_string(), table)
        })
    })?;
    let table = match table {
        Some(Ok(batch)) => Some(crate::arrow::to_pyarrow(
            py,
            vec![batch.clone()],
            batch.schema(),
        )?),
        Some(Err(e)) => return Err(crate::errors::PatronfallError::new_err(e)),
        None => None,
    };
    Ok((record, table))
}

/// The outcome catalogue's names, in catalogue order: the record's
/// `outcomes` keys and the runs table's outcome columns.
#[pyfunction]
pub fn outcome_names() -> Vec<&'static str> {
    Outcome::ALL.iter().map(|o| o.name()).collect()
}
