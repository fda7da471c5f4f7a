//! `patronfall ensemble`: the main job. Samples the scenario's uncertainties,
//! runs every course of action on the same samples and seeds, streams the
//! results to a directory, and prints each future's probability per course
//! of action with 95% intervals.

use crate::commands::common::{DEFAULT_SCENARIO, open_scenario_with, pick_shock, run_days};
use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use indicatif::{ProgressBar, ProgressStyle};
use patronfall_ensemble::summary::FutureTable;
use patronfall_ensemble::{Options, Plan, PlanSpec, RunError, Sampler, Shard};
use patronfall_results::Manifest;
use patronfall_results::RunsFormats;
use patronfall_results::directory::{Control, Destination, Filled, run_plan as run_plan_into};
use patronfall_results::manifest::FigureColumns;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Arguments of `patronfall ensemble`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in scenario name or a scenario file.
    #[arg(long, default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Scenario samples per course of action (base size N for saltelli, trajectories for morris).
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    /// Replications (seeds) per sample.
    #[arg(long, default_value_t = 1)]
    pub replications: usize,
    /// Courses of action to compare, or `all`.
    #[arg(long, num_args = 1.., default_value = "all")]
    pub coa: Vec<String>,
    /// Shock to play (the scenario's default if absent; `none` for none).
    #[arg(long)]
    pub shock: Option<String>,
    /// How samples are drawn.
    #[arg(long, value_enum, default_value_t = SamplerArg::Lhs)]
    pub sampler: SamplerArg,
    /// Only vary these uncertain figures (paths; a trailing `*` matches a prefix); the rest stay nominal.
    #[arg(long, num_args = 1..)]
    pub vary: Vec<String>,
    /// Also vary the model's behavioural parameters, each uniform over its
    /// plausible range in the parameter registry (the same for every
    /// scenario; `patronfall scenario show --parameters` lists them), as
    /// uncertain figures `parameters.GROUP.NAME`; a scenario's `[parameters]`
    /// entry that narrows a plausible range is refused.
    #[arg(long)]
    pub vary_parameters: bool,
    /// How a saltelli or morris design groups the varied figures: `entity`
    /// (the actor or other entry a figure is written under), `kind` (the
    /// kind of figure), or a groups file (TOML, `name = ["path.pattern", …]`);
    /// every figure is a factor of its own if absent.
    #[arg(long, value_name = "entity|kind|FILE")]
    pub groups: Option<String>,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (all cores if absent).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Days per run (the scenario's horizon if absent).
    #[arg(long)]
    pub days: Option<u32>,
    /// Results directory.
    #[arg(long, default_value = "results/latest")]
    pub out: PathBuf,
    /// Overwrite an existing results directory.
    #[arg(long)]
    pub force: bool,
    /// Which uncertain figures get a column in runs.csv and runs.parquet:
    /// `all`, or `varied` (the others stay at the nominal values the
    /// manifest records; a row of the built-in scenario is about 8 kB with
    /// every figure).
    #[arg(long, value_enum, default_value_t = FigureColumnsArg::All)]
    pub figure_columns: FigureColumnsArg,
    /// Which files hold the runs table: `csv` (runs.csv), `parquet`
    /// (runs.parquet, about a sixth of the size) or `both`. If absent:
    /// both, unless runs.csv would exceed 1 GiB (about 130,000 rows of the
    /// built-in scenario), then parquet only; every command reads either,
    /// and `patronfall results csv DIR` writes the CSV afterwards.
    #[arg(long, value_enum)]
    pub runs_format: Option<RunsFormatsArg>,
    /// Also write every experiment's daily series (series.parquet).
    #[arg(long)]
    pub keep_series: bool,
    /// Samples per course of action whose daily series feed the fan charts.
    #[arg(long, default_value_t = 500)]
    pub series_sample: usize,
    /// Do not build the report at the end (`patronfall report DIR` builds it later).
    #[arg(long)]
    pub no_report: bool,
    /// Run only shard K of N of the plan (K from 1 to N): a contiguous
    /// block of its experiments, written to --out as a shard; `patronfall
    /// results merge` joins the N shards. A shard builds no report.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
}

/// Reads `--shard K/N`.
fn parse_shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text).map_err(|e| e.to_string())
}

/// `--figure-columns`, by the names the manifest records
/// (`patronfall_results::manifest::FigureColumns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FigureColumnsArg {
    /// Every uncertain figure of the scenario.
    All,
    /// Only the figures the plan varies.
    Varied,
}

impl From<FigureColumnsArg> for FigureColumns {
    fn from(f: FigureColumnsArg) -> FigureColumns {
        match f {
            FigureColumnsArg::All => FigureColumns::All,
            FigureColumnsArg::Varied => FigureColumns::Varied,
        }
    }
}

/// `--runs-format`, by the names of `patronfall_results::RunsFormats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RunsFormatsArg {
    /// runs.csv only.
    Csv,
    /// runs.parquet only.
    Parquet,
    /// Both files.
    Both,
}

impl From<RunsFormatsArg> for RunsFormats {
    fn from(f: RunsFormatsArg) -> RunsFormats {
        match f {
            RunsFormatsArg::Csv => RunsFormats::Csv,
            RunsFormatsArg::Parquet => RunsFormats::Parquet,
            RunsFormatsArg::Both => RunsFormats::Both,
        }
    }
}

/// The runs table's formats for a plan (the rule is
/// `patronfall_results::directory::runs_formats`: those asked for, else
/// by the estimated size of the whole plan's `runs.csv`), saying so on
/// standard error when the CSV is left out.
pub(crate) fn runs_formats(
    asked: Option<RunsFormatsArg>,
    manifest: &Manifest,
    s: &patronfall_scenario::Scenario,
) -> RunsFormats {
    let choice = patronfall_results::directory::runs_formats(asked.map(Into::into), manifest, s);
    if let Some(csv) = choice.csv_left_out {
        note_csv_left_out(&csv);
    }
    choice.formats
}

/// Says that the size rule left `runs.csv` out, and how to get it.
pub(crate) fn note_csv_left_out(csv: &patronfall_results::directory::CsvEstimate) {
    errln!(
        "note: runs.csv would take about {} ({} rows of {} columns), so only \
         runs.parquet is written (every patronfall command reads it; pandas, polars and DuckDB \
         too); `patronfall results csv DIR` writes the CSV from it afterwards, and \
         --runs-format both writes both",
        patronfall_ensemble::budget::human_bytes(csv.bytes),
        csv.rows,
        csv.columns
    );
}

/// The samplers by their names on the command line and in the manifest
/// (`Sampler::name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SamplerArg {
    /// Independent uniform points (Monte Carlo).
    Mc,
    /// Latin hypercube.
    Lhs,
    /// Latin hypercube keyed by each figure's path: a figure keeps its
    /// values when other figures are added or removed (what `compare` runs).
    LhsKeyed,
    /// Owen-scrambled Sobol points.
    Sobol,
    /// Saltelli's scheme, for Sobol indices (--runs is the base size N).
    Saltelli,
    /// Morris trajectories, for elementary effects (--runs is the number of trajectories).
    Morris,
    /// Every combination of the discrete uncertainties (--runs is ignored).
    Factorial,
}

impl From<SamplerArg> for Sampler {
    fn from(s: SamplerArg) -> Sampler {
        match s {
            SamplerArg::Mc => Sampler::MonteCarlo,
            SamplerArg::Lhs => Sampler::LatinHypercube,
            SamplerArg::LhsKeyed => Sampler::KeyedLatinHypercube,
            SamplerArg::Sobol => Sampler::Sobol,
            SamplerArg::Saltelli => Sampler::Saltelli,
            SamplerArg::Morris => Sampler::Morris,
            SamplerArg::Factorial => Sampler::Factorial,
        }
    }
}

/// The scenario and the plan the options describe: what every shard of
/// the plan must agree on (`cluster slurm` checks a plan with it before it
/// writes a job script).
pub(crate) fn plan(args: &Args) -> Result<(patronfall_scenario::Scenario, Plan), Failure> {
    let s = open_scenario_with(&args.scenario, args.vary_parameters)?;
    let sampler = Sampler::from(args.sampler);
    let coas = if args.coa.iter().any(|c| c == "all") {
        (0..s.ids.coas.len())
            .map(patronfall_model::CoaId::at)
            .collect()
    } else {
        args.coa
            .iter()
            .map(|c| {
                s.coa(c).ok_or_else(|| {
                    Failure::bad_input(format!(
                        "--coa: `{c}` is not a course of action of {}; it has: {}",
                        s.id,
                        s.ids.coas.join(", ")
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let shock = pick_shock(&s, args.shock.as_deref())?;
    let days = run_days(&s, args.days)?;
    let spec = PlanSpec {
        sampler,
        runs: args.runs,
        replications: args.replications,
        coas,
        shock,
        days,
        seed: args.seed,
        vary: args.vary.clone(),
    };
    let grouping = crate::commands::groups::grouping(args.groups.as_deref(), &s)?;
    let plan = Plan::grouped(&s, spec, &grouping)
        .map_err(|e| Failure::bad_input(format!("cannot plan the ensemble: {e}")))?;
    Ok((s, plan))
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(Failure::bad_input("--threads: must be at least 1"));
    }
    let (s, plan) = plan(&args)?;
    let options = Options {
        threads,
        chunk: CHUNK,
        keep_series: args.keep_series,
        series_sample: args.series_sample,
    };
    let block = args
        .shard
        .map_or(0..plan.experiments(), |k| k.range(plan.experiments()));
    check_budget(&s, &plan, &options, block.end - block.start)?;
    prepare_dir(&args.out, args.force)?;

    let mut manifest = Manifest::new(&s, &plan, &options, std::env::args().collect());
    manifest.figure_columns = args.figure_columns.into();
    if let Some(shard) = args.shard {
        manifest = manifest.for_shard(shard);
    }
    let formats = runs_formats(args.runs_format, &manifest, &s);
    let (futures, completion) = run_plan(&s, &plan, options, &args.out, manifest, block, formats)?;

    print_futures(&futures);
    outln!("\nresults: {}", args.out.display());
    if let Some(shard) = args.shard {
        // An unfinished shard gets the rerun advice below instead.
        if completion.complete() {
            outln!(
                "shard {shard} of the plan: once every shard has finished, `patronfall results merge --out OUT DIR...` joins them"
            );
        }
    } else if !args.no_report {
        let report = crate::commands::report::build(&args.out)?;
        outln!("report: {}", report.display());
    }
    if !completion.complete() {
        let rerun = args.shard.map_or(String::new(), |k| {
            format!("; the merge needs this shard whole: run it again with --shard {k} --force")
        });
        return Err(Failure::failed(format!(
            "interrupted: {} of {} experiments finished; they are kept in {} and the manifest says complete = false{rerun}",
            completion.done,
            completion.total,
            args.out.display()
        )));
    }
    Ok(())
}

/// Runs the experiments `block` of `plan` (the whole plan, or one shard's
/// block) into the prepared directory `out` (`prepare_dir`) as the
/// ensemble does, for `ensemble` and a follow-up alike: the manifest first
/// (the directory is in progress), the rows streamed in experiment order
/// with a progress bar, Ctrl-C handled (the first stops between chunks, the
/// second at once, both keeping what finished; the third leaves), and the
/// directory finished. The runs table is written in `formats`. Returns the
/// futures counted and the completion.
pub(crate) fn run_plan(
    s: &patronfall_scenario::Scenario,
    plan: &Plan,
    options: Options,
    out: &Path,
    manifest: Manifest,
    block: std::ops::Range<u64>,
    formats: RunsFormats,
) -> Result<(FutureTable, patronfall_ensemble::Completion), Failure> {
    // The first Ctrl-C stops between chunks (the running chunk finishes and
    // is kept); the second stops at once, after only the experiments already
    // running; either way the directory is finished and readable. A third
    // leaves without finishing it, as a kill would (`patronfall recover`).
    // Once the directory is written, only the report is left: the presses
    // still count, and the third leaves without it.
    let cancel = Arc::new(AtomicBool::new(false));
    let abort = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicBool::new(false));
    let (flag, hard, done) = (cancel.clone(), abort.clone(), written.clone());
    let presses = AtomicUsize::new(0);
    let dir = out.display().to_string();
    let _ = ctrlc::set_handler(move || {
        let press = presses.fetch_add(1, Ordering::SeqCst);
        match (done.load(Ordering::SeqCst), press) {
            (true, 0 | 1) => errln!(
                "\ninterrupt: the results in {dir} are written; finishing the report (Ctrl-C {} to leave without it)",
                if press == 0 { "twice more" } else { "again" }
            ),
            (true, _) => {
                errln!(
                    "\ninterrupt: left without the report; the results in {dir} are written and readable, and `patronfall report {dir}` writes the report"
                );
                std::process::exit(1);
            }
            (false, 0) => {
                flag.store(true, Ordering::SeqCst);
                errln!(
                    "\ninterrupt: finishing the experiments under way and keeping them (Ctrl-C again to stop at once)"
                );
            }
            (false, 1) => {
                hard.store(true, Ordering::SeqCst);
                errln!(
                    "\ninterrupt: stopping at once; writing what has finished (Ctrl-C again to leave without writing)"
                );
            }
            (false, _) => {
                errln!(
                    "\ninterrupt: left without finishing {dir}; `patronfall recover {dir}` makes the rows already on disk readable (the first arrive once {CHUNK} experiments have finished), or run the ensemble again with --force"
                );
                std::process::exit(1);
            }
        }
    });
    let bar = ProgressBar::new(block.end - block.start);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} runs · {per_sec} · ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    errln!(
        "{} experiments: {} samples × {} replication(s) × {} course(s) of action, sampler {}, {} thread(s)",
        plan.experiments(),
        plan.samples(),
        plan.spec.replications,
        manifest.coas.len(),
        plan.spec.sampler.name(),
        options.threads
    );
    if let Some(shard) = &manifest.shard {
        errln!(
            "shard {}/{}: experiments {} to {} ({} of them)",
            shard.index,
            shard.count,
            block.start,
            block.end.saturating_sub(1),
            block.end - block.start
        );
    }
    let mut progress = |done, _| bar.set_position(done);
    let control = Control {
        cancel: &cancel,
        abort: &abort,
        progress: &mut progress,
    };
    let to = Destination { dir: out, formats };
    let filled = run_plan_into(s, plan, options, to, manifest, block, control);
    bar.finish_and_clear();
    let Filled {
        futures,
        completion,
        ..
    } = filled.map_err(|e| match e {
        RunError::Sink(e) => Failure::from(e),
        e => Failure::failed(e),
    })?;
    written.store(true, Ordering::SeqCst);

    Ok((futures, completion))
}

/// Bytes of memory this machine has available now (Linux's
/// `MemAvailable`), if it says.
fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.saturating_mul(1024))
}

/// Experiments run in parallel and written together: the unit a first
/// Ctrl-C finishes, and the rows a killed ensemble leaves at a time.
pub(crate) const CHUNK: usize = 256;

/// Series larger than this (before compression) are announced.
const LARGE_SERIES_BYTES: u64 = 10_000_000_000;
/// Ensembles estimated to take longer than this are announced.
const LONG_ENSEMBLE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Before anything is written: refuses a plan whose buffers would not fit
/// in the memory available, and warns about a large `series.parquet` and a
/// long ensemble (timed by a short probe run of the first experiment).
pub(crate) fn check_budget(
    s: &patronfall_scenario::Scenario,
    plan: &Plan,
    options: &Options,
    experiments: u64,
) -> CommandResult {
    use patronfall_ensemble::budget::{human_bytes, needs};
    let n = needs(&s.world, plan, options);
    let grids = match s.world.unrest {
        patronfall_model::UnrestModel::Agents { side } => format!(
            ", and in each of {} thread(s) an agent grid of {side}×{side} cells for each of {} \
             communities",
            options.threads.max(1),
            s.world.communities.len()
        ),
        patronfall_model::UnrestModel::MeanField => String::new(),
    };
    let fewer_grids = if grids.is_empty() {
        ""
    } else {
        ", or lower agent_grid or --threads"
    };
    if let Some(free) = available_memory() {
        if n.memory_bytes > free {
            return Err(Failure::bad_input(format!(
                "this ensemble would hold about {} in memory ({} days, {} course(s) of action, \
                 the daily series of {} sample(s) each for the fan charts{grids}), more than the {} \
                 this machine has available; lower --series-sample or --days, or compare fewer \
                 courses of action{fewer_grids}",
                human_bytes(n.memory_bytes),
                plan.spec.days,
                plan.spec.coas.len(),
                options.series_sample.min(plan.samples()),
                human_bytes(free)
            )));
        }
        if n.memory_bytes > free / 2 {
            errln!(
                "warning: this ensemble will hold about {} in memory, more than half of the {} available",
                human_bytes(n.memory_bytes),
                human_bytes(free)
            );
        }
    }
    if n.series_bytes > LARGE_SERIES_BYTES {
        errln!(
            "warning: --keep-series will write about {} of daily series (before compression) to series.parquet",
            human_bytes(n.series_bytes)
        );
    }
    // One short run of the first experiment times a simulated day, agent
    // grids and bargaining included.
    let e = plan.experiment(0);
    let world = s.world_with(&plan.values(e.sample));
    let per_day = crate::commands::common::seconds_per_day(
        &world,
        plan.spec.coas[e.coa_slot],
        plan.spec.shock,
        plan.spec.days,
    );
    let estimate =
        per_day * f64::from(plan.spec.days) * experiments as f64 / options.threads.max(1) as f64;
    if estimate > LONG_ENSEMBLE.as_secs_f64() {
        errln!(
            "warning: a probe run took {:.0} ms per simulated day; {} experiments of {} days on {} thread(s) would take roughly {:.1} hours (Ctrl-C stops and keeps what has finished)",
            per_day * 1000.0,
            experiments,
            plan.spec.days,
            options.threads,
            estimate / 3600.0
        );
    }
    Ok(())
}

/// Makes `--out` ready for an ensemble's results
/// (`patronfall_results::directory::prepare_dir`): refuses a directory that
/// is not empty unless `force`, and with it removes what a previous
/// ensemble wrote.
pub(crate) fn prepare_dir(dir: &Path, force: bool) -> Result<(), Failure> {
    patronfall_results::directory::prepare_dir(dir, force).map_err(Failure::from)
}

/// Prints each future's probability per course of action with its Wilson
/// interval, runs that reached no future included.
pub(crate) fn print_futures(table: &FutureTable) {
    let mut t = Table::new();
    let mut header = vec!["course of action".to_string(), "runs".into()];
    header.extend(table.futures.iter().cloned());
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    for (c, name) in table.coas.iter().enumerate() {
        let mut row = vec![name.clone(), table.runs[c].to_string()];
        for share in &table.share[c] {
            row.push(match share {
                Some(i) => format!(
                    "{:.0}% ({:.0}–{:.0})",
                    i.estimate * 100.0,
                    i.lower * 100.0,
                    i.upper * 100.0
                ),
                None => "–".into(),
            });
        }
        t.add_row(row);
    }
    outln!(
        "Probability of each future ({:.0}% Wilson interval):\n{t}",
        patronfall_ensemble::summary::CONFIDENCE * 100.0
    );
}
