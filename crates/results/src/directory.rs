//! A results directory made ready for an ensemble and filled by a plan:
//! the one way `patronfall ensemble`, a follow-up (`update`), `compare` and
//! the Python package write the runs of a plan, so that they write the
//! same files.

use crate::error::ResultsError;
use crate::{Manifest, ResultsWriter};
use patronfall_ensemble::summary::FutureTable;
use patronfall_ensemble::{Completion, Options, Plan, RunError, runner};
use patronfall_scenario::Scenario;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// What an ensemble, `analyze` and `report` write in a results directory.
/// `manifest.json` comes first: once it is gone the directory no longer
/// claims to hold the previous ensemble, whatever else an interrupted
/// overwrite left behind.
const WRITTEN_FILES: [&str; 9] = [
    "manifest.json",
    "runs.csv",
    "runs.parquet",
    "timeseries.parquet",
    "series.parquet",
    crate::write::SERIES_SAMPLE,
    crate::indicators::CSV,
    crate::indicators::JSON,
    "report.html",
];
/// Folders written by `analyze` and `report`.
const WRITTEN_FOLDERS: [&str; 2] = ["analysis", "figures"];

/// Makes `dir` ready for an ensemble's results. Refuses a directory that
/// is not empty unless `force`; with `force`, removes everything a
/// previous ensemble and its analyses and report wrote (the files above,
/// their hidden `.NAME.partial` stand-ins, the journal of a Parquet-only
/// runs table, `analysis/` and `figures/`),
/// leaving anything else in the directory alone. Creates the directory.
/// The refusals are requests about the choice `out`.
pub fn prepare_dir(dir: &Path, force: bool) -> Result<(), ResultsError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ResultsError::request(
            Some("out"),
            format!(
                "{} is a file, not a directory; choose a directory for the results",
                dir.display()
            ),
        ));
    }
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
        if non_empty && !force {
            return Err(ResultsError::request(
                None,
                format!(
                    "{} exists and is not empty; choose another --out or pass --force to overwrite it",
                    dir.display()
                ),
            ));
        }
        if non_empty {
            for name in WRITTEN_FILES {
                for path in [dir.join(name), crate::temp_path(&dir.join(name))] {
                    match std::fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(ResultsError::io("remove", &path)(e)),
                    }
                }
            }
            let journal = dir.join(crate::write::RUNS_JOURNAL);
            match std::fs::remove_file(&journal) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(ResultsError::io("remove", &journal)(e)),
            }
            for name in WRITTEN_FOLDERS {
                let path = dir.join(name);
                match std::fs::remove_dir_all(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(ResultsError::io("remove", &path)(e)),
                }
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(ResultsError::io("create", dir))
}

/// How a caller follows and stops a plan's run: `cancel` stops between
/// chunks, `abort` at once (after the experiments already running); both
/// keep what finished. `progress` hears the experiments done and their
/// number after each chunk, on the calling thread.
pub struct Control<'a> {
    /// Stop between chunks.
    pub cancel: &'a AtomicBool,
    /// Stop at once.
    pub abort: &'a AtomicBool,
    /// Experiments done, of the total.
    pub progress: &'a mut dyn FnMut(u64, u64),
}

/// What [`run_plan`] wrote.
#[derive(Debug)]
pub struct Filled {
    /// The futures of the experiments that finished.
    pub futures: FutureTable,
    /// How many experiments finished, of how many.
    pub completion: Completion,
    /// The manifest as written last.
    pub manifest: Manifest,
}

/// Where a plan's runs go: a directory made ready by [`prepare_dir`], and
/// the files that hold the runs table.
#[derive(Clone, Copy, Debug)]
pub struct Destination<'a> {
    /// The results directory.
    pub dir: &'a Path,
    /// `runs.csv`, `runs.parquet` or both.
    pub formats: crate::RunsFormats,
}

/// Runs the experiments `block` of `plan` (the whole plan, or one shard's
/// block) into the prepared directory of `to` ([`prepare_dir`]): the manifest
/// first (the directory is in progress; a shard also writes
/// `series-sample.parquet`), the rows streamed in experiment order, and
/// the directory finished with the manifest saying how many experiments
/// finished.
pub fn run_plan(
    scenario: &Scenario,
    plan: &Plan,
    options: Options,
    to: Destination,
    mut manifest: Manifest,
    block: Range<u64>,
    control: Control,
) -> Result<Filled, RunError<ResultsError>> {
    let Destination { dir, formats } = to;
    let mut writer = ResultsWriter::create(
        dir,
        manifest.coas.clone(),
        manifest.futures.clone(),
        scenario.ids.groups.clone(),
        manifest.figure_columns(),
        manifest.margin_columns(),
        plan.spec.days,
        options.series_sample,
        options.keep_series,
    )
    .map_err(RunError::Sink)?;
    writer.runs_formats(formats).map_err(RunError::Sink)?;
    writer
        .indicators(scenario, plan.spec.days)
        .map_err(RunError::Sink)?;
    if manifest.shard.is_some() {
        writer.series_sample().map_err(RunError::Sink)?;
    }
    manifest.write(dir).map_err(RunError::Sink)?;
    let completion = runner::run_block(
        scenario,
        plan,
        block,
        options,
        control.cancel,
        control.abort,
        control.progress,
        &mut writer,
    )?;
    let futures = writer.counts.table(&manifest.coas, &manifest.futures);
    manifest.experiments_done = completion.done;
    manifest.complete = completion.complete();
    let manifest = writer.finish(manifest).map_err(RunError::Sink)?;
    Ok(Filled {
        futures,
        completion,
        manifest,
    })
}
