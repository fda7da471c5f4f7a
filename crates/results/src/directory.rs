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
            for stale in [
                crate::write::RUNS_JOURNAL,
                crate::recover::RECOVERING_CSV,
                crate::recover::RECOVERING_PARQUET,
            ] {
                let path = dir.join(stale);
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(ResultsError::io("remove", &path)(e)),
                }
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

/// Above this estimated size of `runs.csv`, a plan's runs table is written
/// as `runs.parquet` only unless the caller asks for formats: 1 GiB, where
/// the CSV stops being a file to open in a spreadsheet or load whole into
/// pandas, and where writing it costs more than the Parquet file
/// (docs/performance.md); below it both files cost little and the CSV is
/// the one people open first.
pub const PARQUET_ONLY_ABOVE: u64 = 1 << 30;

/// The estimated size of a plan's `runs.csv`, at
/// [`crate::write::CSV_BYTES_PER_FIELD`] a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvEstimate {
    /// Rows: the experiments of the whole plan (of every shard together).
    pub rows: u64,
    /// Columns, as the manifest lays them out.
    pub columns: usize,
    /// Bytes.
    pub bytes: u64,
}

/// The formats of a plan's runs table, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunsFormatsChoice {
    /// The files that hold the runs table.
    pub formats: crate::RunsFormats,
    /// Set when the size rule left `runs.csv` out (nothing was asked and
    /// the CSV would exceed [`PARQUET_ONLY_ABOVE`]), so that the caller can
    /// say so.
    pub csv_left_out: Option<CsvEstimate>,
}

/// The one rule for the files of the runs table, for every writer of a
/// plan's runs (`ensemble`, a follow-up, `compare`, `serve`, the Python
/// package): the formats `asked`, or without them both files unless
/// `runs.csv` would exceed [`PARQUET_ONLY_ABOVE`], then `runs.parquet`
/// only. The estimate counts the rows of the whole plan, not one shard's,
/// so every shard of a plan chooses as one machine running it all would
/// (and `results merge` finds the same formats in each).
pub fn runs_formats(
    asked: Option<crate::RunsFormats>,
    manifest: &Manifest,
    scenario: &Scenario,
) -> RunsFormatsChoice {
    if let Some(formats) = asked {
        return RunsFormatsChoice {
            formats,
            csv_left_out: None,
        };
    }
    let rows = manifest
        .shard
        .as_ref()
        .map_or(manifest.experiments_planned, |s| s.plan_experiments);
    let columns = crate::write::run_columns(
        &manifest
            .figure_columns()
            .into_iter()
            .map(|(_, path)| path)
            .collect::<Vec<_>>(),
        &manifest.margin_columns(),
        &scenario.ids.groups,
    )
    .len();
    let bytes = crate::write::estimated_csv_bytes(rows, columns);
    if bytes <= PARQUET_ONLY_ABOVE {
        RunsFormatsChoice {
            formats: crate::RunsFormats::Both,
            csv_left_out: None,
        }
    } else {
        RunsFormatsChoice {
            formats: crate::RunsFormats::Parquet,
            csv_left_out: Some(CsvEstimate {
                rows,
                columns,
                bytes,
            }),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RunsFormats;
    use patronfall_ensemble::{PlanSpec, Sampler, Shard};

    /// The template scenario's manifest for a small plan, and the scenario.
    fn small() -> (Manifest, Scenario) {
        let s = patronfall_scenario::open("template").unwrap();
        let spec = PlanSpec {
            sampler: Sampler::LatinHypercube,
            runs: 4,
            replications: 1,
            coas: vec![s.coa("act").unwrap()],
            shock: None,
            days: 10,
            seed: 1,
            vary: Vec::new(),
        };
        let plan = Plan::new(&s, spec).unwrap();
        let options = Options {
            threads: 1,
            chunk: 8,
            keep_series: false,
            series_sample: 2,
        };
        let m = Manifest::new(&s, &plan, &options, vec!["patronfall".into()]);
        (m, s)
    }

    /// The rows at which the template's `runs.csv` reaches the threshold.
    fn rows_at_threshold(m: &Manifest, s: &Scenario) -> u64 {
        let paths: Vec<String> = m.figure_columns().into_iter().map(|(_, p)| p).collect();
        let columns = crate::write::run_columns(&paths, &m.margin_columns(), &s.ids.groups).len();
        PARQUET_ONLY_ABOVE / (columns as u64 * crate::write::CSV_BYTES_PER_FIELD)
    }

    #[test]
    fn both_files_up_to_a_gibibyte_of_csv_then_parquet_only() {
        let (mut m, s) = small();
        let choice = runs_formats(None, &m, &s);
        assert_eq!(choice.formats, RunsFormats::Both);
        assert_eq!(choice.csv_left_out, None);

        let at = rows_at_threshold(&m, &s);
        m.experiments_planned = at;
        assert_eq!(runs_formats(None, &m, &s).formats, RunsFormats::Both);
        m.experiments_planned = at + 1;
        let choice = runs_formats(None, &m, &s);
        assert_eq!(choice.formats, RunsFormats::Parquet);
        let left_out = choice.csv_left_out.expect("says why the CSV was left out");
        assert_eq!(left_out.rows, at + 1);
        assert!(left_out.bytes > PARQUET_ONLY_ABOVE);
        assert_eq!(
            left_out.bytes,
            crate::write::estimated_csv_bytes(at + 1, left_out.columns)
        );
    }

    #[test]
    fn formats_asked_for_override_the_size_rule() {
        let (mut m, s) = small();
        m.experiments_planned = u64::MAX / 2;
        for asked in [RunsFormats::Csv, RunsFormats::Parquet, RunsFormats::Both] {
            let choice = runs_formats(Some(asked), &m, &s);
            assert_eq!((choice.formats, choice.csv_left_out), (asked, None));
        }
    }

    #[test]
    fn a_shard_chooses_by_the_whole_plan_as_one_machine_would() {
        let (mut m, s) = small();
        let whole = rows_at_threshold(&m, &s) * 3;
        m.experiments_planned = whole;
        let one_machine = runs_formats(None, &m, &s).formats;
        assert_eq!(one_machine, RunsFormats::Parquet);
        for k in 1..=4 {
            let shard = m
                .clone()
                .for_shard(Shard::parse(&format!("{k}/4")).unwrap());
            // Each shard alone would stay under the threshold.
            assert!(shard.experiments_planned < whole / 3);
            assert_eq!(runs_formats(None, &shard, &s).formats, one_machine);
        }
    }

    #[test]
    fn force_clears_what_a_killed_recovery_left() {
        let dir = std::env::temp_dir().join(format!(
            "patronfall-prepare-{}-{}",
            std::process::id(),
            line!()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for stale in [
            crate::recover::RECOVERING_CSV,
            crate::recover::RECOVERING_PARQUET,
            crate::write::RUNS_JOURNAL,
        ] {
            std::fs::write(dir.join(stale), b"stale").unwrap();
        }
        assert!(prepare_dir(&dir, false).is_err(), "refused without --force");
        prepare_dir(&dir, true).unwrap();
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(left.is_empty(), "left behind: {left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
