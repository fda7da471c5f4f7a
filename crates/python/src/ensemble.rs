//! `ensemble`: an ensemble of a scenario into a results directory, as
//! `patronfall ensemble` writes it (`patronfall_results::directory`), on
//! the Rust thread pool with the GIL released; and `merge`, which joins the
//! shards of a plan (`patronfall results merge`).

use crate::errors::{ResultsError as PyResultsError, argument, guard, results_error};
use crate::run::{pick_days, pick_shock};
use crate::scenario::PyScenario;
use patronfall_ensemble::{Grouping, Options, Plan, PlanSpec, RunError, Sampler, Shard};
use patronfall_results::directory::{
    Control, Destination, Filled, prepare_dir, run_plan, runs_formats,
};
use patronfall_results::manifest::FigureColumns;
use patronfall_results::{Manifest, RunsFormats};
use pyo3::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Experiments run in parallel and written together (the CLI's chunk: the
/// row groups of `series.parquet` follow it).
const CHUNK: usize = 256;

/// What `ensemble` returns to the package: the directory written (None
/// when it was a temporary one, removed), experiments finished and
/// planned, the runs table (`runs.parquet`) as a `pyarrow.Table`, and the
/// futures table as JSON (`patronfall_results::analyses::futures::shares`).
type Ran = (Option<String>, u64, u64, Py<PyAny>, String);

/// Runs an ensemble. The options are `patronfall ensemble`'s, by the same
/// names; `out` None writes to a temporary directory that is removed once
/// the runs table is read. A Ctrl-C (KeyboardInterrupt) stops between
/// chunks of experiments, keeps what finished in `out` and is raised again.
#[pyfunction]
#[pyo3(signature = (
    scenario, *, runs = 200, replications = 1, coa = None, shock = None, sampler = "lhs",
    vary = Vec::new(), groups = None, seed = 1, threads = None, days = None, out = None,
    force = false, figure_columns = "all", keep_series = false, series_sample = 500, shard = None,
    runs_format = None
))]
#[allow(clippy::too_many_arguments)]
pub fn ensemble(
    py: Python<'_>,
    scenario: &PyScenario,
    runs: usize,
    replications: usize,
    coa: Option<Vec<String>>,
    shock: Option<&str>,
    sampler: &str,
    vary: Vec<String>,
    groups: Option<&str>,
    seed: u64,
    threads: Option<usize>,
    days: Option<u32>,
    out: Option<PathBuf>,
    force: bool,
    figure_columns: &str,
    keep_series: bool,
    series_sample: usize,
    shard: Option<&str>,
    runs_format: Option<&str>,
) -> PyResult<Ran> {
    let s = scenario.inner.clone();
    if !scenario.fixed.is_empty() {
        return Err(argument(
            "scenario",
            "a scenario with figures fixed by with_values runs one run at a time (`run`); an \
             ensemble's results name the scenario file, which does not hold these values: write \
             them into a copy of the file, or keep figures at their nominal values with `vary`",
        ));
    }
    let coas = match coa {
        None => (0..s.ids.coas.len())
            .map(patronfall_model::CoaId::at)
            .collect(),
        Some(names) if names.iter().any(|c| c == "all") => (0..s.ids.coas.len())
            .map(patronfall_model::CoaId::at)
            .collect(),
        Some(names) => names
            .iter()
            .map(|c| crate::run::pick_coa(&s, Some(c)))
            .collect::<PyResult<Vec<_>>>()?,
    };
    let sampler = Sampler::from_name(sampler).ok_or_else(|| {
        argument(
            "sampler",
            format!("`{sampler}` is not a sampler; give mc, lhs, lhs-keyed, sobol, saltelli, morris or factorial"),
        )
    })?;
    let grouping = match groups {
        None | Some("figures") => Grouping::Figures,
        Some("entity") => Grouping::Entity,
        Some("kind") => Grouping::Kind,
        Some(other) => {
            return Err(argument(
                "groups",
                format!(
                    "`{other}`: give `entity` or `kind`; a groups file is read by `patronfall ensemble --groups FILE`"
                ),
            ));
        }
    };
    let figure_columns = match figure_columns {
        "all" => FigureColumns::All,
        "varied" => FigureColumns::Varied,
        other => {
            return Err(argument(
                "figure_columns",
                format!("`{other}`: give `all` or `varied`"),
            ));
        }
    };
    let shard = shard
        .map(|k| Shard::parse(k).map_err(|e| argument("shard", e)))
        .transpose()?;
    // The package returns the runs table from runs.parquet, so it is
    // always among the files.
    let asked = match runs_format {
        None => None,
        Some("both") => Some(RunsFormats::Both),
        Some("parquet") => Some(RunsFormats::Parquet),
        Some(other) => {
            return Err(argument(
                "runs_format",
                format!(
                    "`{other}`: give `both` or `parquet` (or None for both unless runs.csv would \
                     exceed 1 GiB); the package reads the runs table from runs.parquet, so it \
                     always writes it, and `patronfall results csv DIR` writes runs.csv from it"
                ),
            ));
        }
    };
    let shock_id = pick_shock(&s, shock)?;
    let days = pick_days(&s, days)?;
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(argument("threads", "must be at least 1"));
    }
    let spec = PlanSpec {
        sampler,
        runs,
        replications,
        coas,
        shock: shock_id,
        days,
        seed,
        vary: vary.clone(),
    };
    let plan = guard(|| Plan::grouped(&s, spec, &grouping))?
        .map_err(|e| argument("ensemble", format!("cannot plan the ensemble: {e}")))?;
    let options = Options {
        threads,
        chunk: CHUNK,
        keep_series,
        series_sample,
    };
    let block = shard.map_or(0..plan.experiments(), |k| k.range(plan.experiments()));

    // Without `out`, a temporary directory, removed once the runs are read.
    let (dir, temporary) = match &out {
        Some(d) => (d.clone(), None),
        None => {
            let t = tempfile::Builder::new()
                .prefix("patronfall-ensemble-")
                .tempdir()
                .map_err(|e| {
                    PyResultsError::new_err(format!(
                        "cannot create a temporary results directory: {e}"
                    ))
                })?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    prepare_dir(&dir, force).map_err(|e| results_error(py, &e))?;
    let command = cli_command(
        &s.file,
        &Call {
            runs,
            replications,
            plan: &plan,
            scenario: &s,
            shock,
            sampler,
            vary: &vary,
            groups,
            seed,
            days,
            out: &dir,
            figure_columns,
            keep_series,
            series_sample,
            shard,
            runs_format: asked,
            vary_parameters: s.reading.vary_parameters,
        },
    );
    let mut manifest = Manifest::new(&s, &plan, &options, command);
    manifest.figure_columns = figure_columns;
    if let Some(k) = shard {
        manifest = manifest.for_shard(k);
    }
    let choice = runs_formats(asked, &manifest, &s);
    if let Some(csv) = choice.csv_left_out {
        let message = std::ffi::CString::new(format!(
            "runs.csv would take about {} ({} rows of {} columns), so only runs.parquet is \
             written; `patronfall results csv DIR` writes the CSV from it, and \
             runs_format=\"both\" writes both",
            patronfall_ensemble::budget::human_bytes(csv.bytes),
            csv.rows,
            csv.columns
        ))
        .unwrap_or_default();
        PyErr::warn(
            py,
            &py.get_type::<pyo3::exceptions::PyUserWarning>(),
            &message,
            1,
        )?;
    }

    // A KeyboardInterrupt seen between chunks stops the ensemble there.
    let cancel = AtomicBool::new(false);
    let never = AtomicBool::new(false);
    let mut interrupted: Option<PyErr> = None;
    let filled = py.detach(|| {
        let mut progress = |_, _| {
            if interrupted.is_none()
                && let Err(e) = Python::attach(|py| py.check_signals())
            {
                cancel.store(true, Ordering::SeqCst);
                interrupted = Some(e);
            }
        };
        let control = Control {
            cancel: &cancel,
            abort: &never,
            progress: &mut progress,
        };
        guard(|| {
            run_plan(
                &s,
                &plan,
                options,
                Destination {
                    dir: &dir,
                    formats: choice.formats,
                },
                manifest,
                block,
                control,
            )
        })
    })?;
    let Filled {
        completion,
        futures,
        ..
    } = filled.map_err(|e| match e {
        RunError::Sink(e) => results_error(py, &e),
        RunError::Threads(e) => argument("threads", format!("cannot start worker threads: {e}")),
    })?;
    if let Some(e) = interrupted {
        return Err(e);
    }
    let (batches, schema) =
        crate::arrow::read_parquet(&dir.join("runs.parquet")).map_err(|e| results_error(py, &e))?;
    let table = crate::arrow::to_pyarrow(py, batches, schema)?;
    let shares = patronfall_results::analyses::futures::shares(&futures);
    let futures_json = serde_json::to_string(&shares)
        .map_err(|e| PyResultsError::new_err(format!("cannot encode the futures table: {e}")))?;
    if let Some(t) = temporary {
        t.close().map_err(|e| {
            PyResultsError::new_err(format!(
                "cannot remove the temporary results directory: {e}"
            ))
        })?;
    }
    Ok((
        out.map(|d| d.display().to_string()),
        completion.done,
        completion.total,
        table,
        futures_json,
    ))
}

/// The options of an `ensemble` call, for the command the manifest records.
struct Call<'a> {
    runs: usize,
    replications: usize,
    plan: &'a Plan,
    scenario: &'a patronfall_scenario::Scenario,
    shock: Option<&'a str>,
    sampler: Sampler,
    vary: &'a [String],
    groups: Option<&'a str>,
    seed: u64,
    days: u32,
    out: &'a Path,
    figure_columns: FigureColumns,
    keep_series: bool,
    series_sample: usize,
    shard: Option<Shard>,
    runs_format: Option<RunsFormats>,
    vary_parameters: bool,
}

/// The `patronfall ensemble` command that writes the same results: the
/// manifest's `command`, which a merge's advice repeats for a shard that
/// must run again.
fn cli_command(file: &str, c: &Call) -> Vec<String> {
    let scenario = file.strip_prefix("builtin:").unwrap_or(file);
    let mut v: Vec<String> = ["patronfall", "ensemble", "--scenario", scenario]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut opt = |name: &str, value: String| {
        v.push(format!("--{name}"));
        v.push(value);
    };
    opt("runs", c.runs.to_string());
    opt("replications", c.replications.to_string());
    opt("sampler", c.sampler.name().to_string());
    opt("seed", c.seed.to_string());
    opt("days", c.days.to_string());
    opt("series-sample", c.series_sample.to_string());
    opt("figure-columns", c.figure_columns.name().to_string());
    if let Some(shock) = c.shock {
        opt("shock", shock.to_string());
    }
    if let Some(groups) = c.groups {
        opt("groups", groups.to_string());
    }
    if let Some(k) = c.shard {
        opt("shard", k.to_string());
    }
    if let Some(f) = c.runs_format {
        opt("runs-format", f.name().to_string());
    }
    opt("out", c.out.display().to_string());
    v.push("--coa".into());
    v.extend(
        c.plan
            .spec
            .coas
            .iter()
            .map(|k| c.scenario.ids.coas[k.index()].clone()),
    );
    if !c.vary.is_empty() {
        v.push("--vary".into());
        v.extend(c.vary.iter().cloned());
    }
    if c.keep_series {
        v.push("--keep-series".into());
    }
    if c.vary_parameters {
        v.push("--vary-parameters".into());
    }
    v
}

/// Joins the shards in `dirs` into `out` (`patronfall results merge`),
/// after checking they are every shard of one plan, each once and
/// finished. Returns the number of shards joined.
#[pyfunction]
pub fn merge(py: Python<'_>, dirs: Vec<PathBuf>, out: PathBuf) -> PyResult<u32> {
    let mut command: Vec<String> = vec!["patronfall".into(), "results".into(), "merge".into()];
    command.extend(dirs.iter().map(|d| d.display().to_string()));
    command.extend(["--out".into(), out.display().to_string()]);
    let merged = py.detach(|| guard(|| patronfall_results::merge::merge(&dirs, &out, command)))?;
    merged
        .map(|m| m.shards)
        .map_err(|e| PyResultsError::new_err(e.to_string()))
}
