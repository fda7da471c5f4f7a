//! Jobs: the baseline ensembles and the what-ifs, run off the async
//! executor, at most `--jobs` at once, each with its progress and a flag
//! that cancels it between chunks of runs.
//!
//! A job is the baseline under one shock, or a what-if: the scenario with
//! some figures changed, run on the same plan as the baseline under its
//! shock (the same sampler, keyed by figure path, seed, samples and days),
//! so that every run pairs with the baseline's run of the same sample and
//! course of action (common random numbers; see
//! `patronfall_results::analyses::compare`). A what-if first makes sure the
//! baseline under its shock exists, running it if not, then runs its own
//! ensemble, compares the two, saves the comparison in its results
//! directory and builds both directories' reports (fan charts, the
//! network, a representative run's narrative, the drivers) and saves the
//! signposts of both (`analysis/signposts.json`) for the drivers page.
//!
//! A drivers job runs, on request, a Morris design (`--sampler morris`)
//! of a finished job's scenario for one course of action under its shock,
//! and the elementary effects of every future's indicator
//! (`patronfall_results::analyses::sensitivity`), saved in its own results
//! directory under the job's folder, `drivers/COA.GROUPING.rT/`.
//!
//! Every change of a job's state (status, phase, progress, report) bumps a
//! counter on a `tokio::sync::watch` channel, which the page's
//! server-sent events follow ([`Job::subscribe`]).

use crate::whatif::WhatIf;
use crate::workspace::Workspace;
use patronfall_analysis::futures::FutureTable;
use patronfall_analysis::prim::Selection;
use patronfall_ensemble::runner::Options;
use patronfall_ensemble::{Grouping, Plan, PlanSpec, Sampler};
use patronfall_results::analyses::compare::{self, Comparison};
use patronfall_results::analyses::sensitivity::{self, Bootstrap};
use patronfall_results::analyses::{self, Results, discover, signposts};
use patronfall_scenario::Scenario;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// The plan every ensemble of one server shares, but for the shock and
/// the courses of action.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Scenario samples.
    pub runs: usize,
    /// Master seed.
    pub seed: u64,
    /// Days per run.
    pub days: u32,
    /// Worker threads of each ensemble.
    pub threads: usize,
}

/// What a job does.
#[derive(Clone, Debug)]
pub enum Work {
    /// The scenario as read, every course of action, under this shock.
    Baseline {
        /// The shock's id, or `none`.
        shock: String,
    },
    /// A what-if.
    WhatIf(Box<WhatIf>),
    /// The sensitivity drivers of a finished job.
    Drivers(Box<Drivers>),
}

/// A drivers job: a Morris design of job `of`'s scenario for one course
/// of action under its shock.
#[derive(Clone, Debug)]
pub struct Drivers {
    /// The job whose drivers these are.
    pub of: usize,
    /// The course of action.
    pub coa: String,
    /// How the figures are grouped: `kind`, `entity` or `figures`.
    pub grouping: String,
    /// Morris trajectories.
    pub trajectories: usize,
    /// The shock (job `of`'s).
    pub shock: String,
    /// Job `of`'s scenario.
    pub scenario: Scenario,
    /// The results directory.
    pub dir: PathBuf,
}

/// Most Morris trajectories a drivers job may ask for.
pub const MAX_TRAJECTORIES: usize = 200;

/// Bootstrap resamples of the intervals of μ* (and the noise floor), as
/// `patronfall analyze sensitivity`'s default.
pub const DRIVERS_RESAMPLES: usize = 100;

/// The grouping of a drivers job by its name.
pub fn grouping(name: &str) -> Option<Grouping> {
    match name {
        "kind" => Some(Grouping::Kind),
        "entity" => Some(Grouping::Entity),
        "figures" => Some(Grouping::Figures),
        _ => None,
    }
}

/// The folder of a drivers job's results, under `root` (a job's
/// `drivers/` folder): `COA.GROUPING.rT`.
pub fn drivers_dir(root: &Path, coa: &str, grouping: &str, trajectories: usize) -> PathBuf {
    root.join(format!("{coa}.{grouping}.r{trajectories}"))
}

/// Where a job stands.
#[derive(Clone, Debug)]
pub enum Status {
    /// Waiting for a free slot.
    Queued,
    /// Running; the phase says which ensemble or step.
    Running,
    /// Finished: its futures (and, for a what-if, the comparison).
    Ready(Arc<Finished>),
    /// Failed, with the message for people.
    Failed(String),
    /// Cancelled before it finished.
    Cancelled,
}

impl Status {
    /// The status's name in the page and the JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Ready(_) => "ready",
            Status::Failed(_) => "failed",
            Status::Cancelled => "cancelled",
        }
    }
}

/// A finished job's results.
#[derive(Debug)]
pub struct Finished {
    /// Its results directory.
    pub results: PathBuf,
    /// The baseline's, for a what-if.
    pub baseline: Option<PathBuf>,
    /// The scenario the baseline ran, for a what-if (to replay its runs).
    pub baseline_scenario: Option<Scenario>,
    /// Its courses of action.
    pub coas: Vec<String>,
    /// Its futures per course of action (a baseline's; a what-if shows
    /// its comparison, a drivers job its effects).
    pub table: Option<FutureTable>,
    /// The what-if against the baseline, paired.
    pub comparison: Option<Comparison>,
    /// Seconds from the start of its runs to its futures (and comparison).
    pub seconds: f64,
}

/// How a job's report stands (built after its futures are shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportState {
    /// Not built yet.
    Pending,
    /// `report.html` is in the results directory.
    Built,
    /// It could not be built: why.
    Failed(String),
    /// This job builds none (a drivers job: its page shows the effects).
    None,
}

impl ReportState {
    /// The state's name in the JSON and the events.
    pub fn name(&self) -> String {
        match self {
            ReportState::Pending => "pending".to_string(),
            ReportState::Built => "built".to_string(),
            ReportState::Failed(m) => format!("failed: {m}"),
            ReportState::None => "none".to_string(),
        }
    }
}

/// What a running job has done.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// What it is doing.
    pub phase: String,
    /// Runs finished in this phase.
    pub done: u64,
    /// Runs in this phase.
    pub total: u64,
}

/// One job.
#[derive(Debug)]
pub struct Job {
    /// Its number, from 1, in the order asked for.
    pub id: usize,
    /// What it does.
    pub work: Work,
    /// Raised to stop it between chunks.
    pub cancel: AtomicBool,
    status: Mutex<Status>,
    progress: Mutex<Progress>,
    report: Mutex<ReportState>,
    /// Bumped on every change of the above.
    changed: tokio::sync::watch::Sender<u64>,
}

/// A lock that a panicking holder cannot poison for the others.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Job {
    /// A queued job.
    pub fn new(id: usize, work: Work) -> Job {
        Job {
            id,
            work,
            cancel: AtomicBool::new(false),
            status: Mutex::new(Status::Queued),
            progress: Mutex::new(Progress::default()),
            report: Mutex::new(ReportState::Pending),
            changed: tokio::sync::watch::Sender::new(0),
        }
    }

    /// A job that finished before this start of the server (from the
    /// workspace's history).
    pub fn finished(id: usize, work: Work, finished: Arc<Finished>, report: ReportState) -> Job {
        let job = Job::new(id, work);
        *lock(&job.status) = Status::Ready(finished);
        *lock(&job.report) = report;
        job
    }

    /// A receiver that sees every change of the job's state.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Whether nothing more will change: it ended, and its report (if it
    /// builds one) is built or failed.
    pub fn settled(&self) -> bool {
        !matches!(self.status(), Status::Queued | Status::Running)
            && self.report() != ReportState::Pending
    }

    fn touch(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Raises the cancel flag.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.touch();
    }

    /// Where it stands.
    pub fn status(&self) -> Status {
        lock(&self.status).clone()
    }

    /// What it has done.
    pub fn progress(&self) -> Progress {
        lock(&self.progress).clone()
    }

    /// How its report stands.
    pub fn report(&self) -> ReportState {
        lock(&self.report).clone()
    }

    /// The shock it plays.
    pub fn shock(&self) -> &str {
        match &self.work {
            Work::Baseline { shock } => shock,
            Work::WhatIf(w) => &w.shock,
            Work::Drivers(d) => &d.shock,
        }
    }

    fn set_status(&self, s: Status) {
        *lock(&self.status) = s;
        self.touch();
    }

    fn set_report(&self, r: ReportState) {
        *lock(&self.report) = r;
        self.touch();
    }

    fn phase(&self, phase: impl Into<String>, total: u64) {
        *lock(&self.progress) = Progress {
            phase: phase.into(),
            done: 0,
            total,
        };
        self.touch();
    }

    fn advance(&self, done: u64, total: u64) {
        {
            let mut p = lock(&self.progress);
            p.done = done;
            p.total = total;
        }
        self.touch();
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The baseline scenario and how its runs are laid out.
#[derive(Debug)]
pub struct Runner {
    /// The scenario as read at start.
    pub scenario: Scenario,
    /// The plan's settings.
    pub settings: Settings,
    /// This start's folder in the workspace.
    pub session: PathBuf,
    /// The workspace.
    pub workspace: Workspace,
    /// Finished baselines by shock.
    baselines: Mutex<BTreeMap<String, Arc<Finished>>>,
    /// Held while a baseline is looked up or run, so that two jobs never
    /// run the same one.
    baseline_run: Mutex<()>,
    /// Held while a drivers job runs, so that two never write one
    /// directory (the second finds the first's and reuses it).
    drivers_run: Mutex<()>,
}

/// Why a job stopped early.
enum Stop {
    Cancelled,
    Failed(String),
}

fn failed(e: impl std::fmt::Display) -> Stop {
    Stop::Failed(e.to_string())
}

impl Runner {
    /// A runner for `scenario` writing under `session`.
    pub fn new(
        scenario: Scenario,
        settings: Settings,
        session: PathBuf,
        workspace: Workspace,
    ) -> Runner {
        Runner {
            scenario,
            settings,
            session,
            workspace,
            baselines: Mutex::new(BTreeMap::new()),
            baseline_run: Mutex::new(()),
            drivers_run: Mutex::new(()),
        }
    }

    /// The baseline under `shock`, if it has finished.
    pub fn baseline(&self, shock: &str) -> Option<Arc<Finished>> {
        lock(&self.baselines).get(shock).cloned()
    }

    /// The plan of one ensemble of `scenario`.
    fn plan(&self, scenario: &Scenario, coas: &[String], shock: &str) -> Result<Plan, Stop> {
        let shock_id = match scenario.shock(shock) {
            Some(k) => Some(k),
            None if shock == "none" => None,
            None => return Err(failed(format!("`{shock}` is not a shock of the scenario"))),
        };
        let spec = PlanSpec {
            sampler: compare::SAMPLER,
            runs: self.settings.runs,
            replications: 1,
            coas: coas.iter().filter_map(|c| scenario.coa(c)).collect(),
            shock: shock_id,
            days: self.settings.days,
            seed: self.settings.seed,
            vary: Vec::new(),
        };
        Plan::new(scenario, spec).map_err(failed)
    }

    /// The plan of a drivers job: Morris trajectories, grouped.
    fn drivers_plan(&self, d: &Drivers) -> Result<Plan, Stop> {
        let Some(g) = grouping(&d.grouping) else {
            return Err(failed(format!("`{}` is not a grouping", d.grouping)));
        };
        let shock = match d.scenario.shock(&d.shock) {
            Some(k) => Some(k),
            None if d.shock == "none" => None,
            None => {
                return Err(failed(format!(
                    "`{}` is not a shock of the scenario",
                    d.shock
                )));
            }
        };
        let spec = PlanSpec {
            sampler: Sampler::Morris,
            runs: d.trajectories,
            replications: 1,
            coas: d.scenario.coa(&d.coa).into_iter().collect(),
            shock,
            days: self.settings.days,
            seed: self.settings.seed,
            vary: Vec::new(),
        };
        Plan::grouped(&d.scenario, spec, &g).map_err(failed)
    }

    /// Runs one ensemble into `dir` with the job's progress and cancel.
    fn ensemble(
        &self,
        job: &Job,
        scenario: &Scenario,
        plan: &Plan,
        dir: &Path,
        what: &str,
    ) -> Result<(), Stop> {
        std::fs::create_dir_all(dir).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
        job.phase(what, plan.experiments());
        let options = Options {
            threads: self.settings.threads,
            chunk: 128,
            keep_series: false,
            series_sample: 500,
        };
        let command = vec![
            "patronfall".to_string(),
            "serve".to_string(),
            format!("(job {}: {what})", job.id),
        ];
        let (manifest, _) = compare::run_version_with(
            scenario,
            plan,
            options,
            (dir, None),
            command,
            &job.cancel,
            &mut |done, total| job.advance(done, total),
        )
        .map_err(failed)?;
        if !manifest.complete {
            return Err(Stop::Cancelled);
        }
        Ok(())
    }

    /// The baseline under `shock`: found, or run now as part of `job`.
    fn ensure_baseline(&self, job: &Job, shock: &str) -> Result<Arc<Finished>, Stop> {
        let _only_one = lock(&self.baseline_run);
        if let Some(b) = self.baseline(shock) {
            return Ok(b);
        }
        let dir = self.session.join(format!("baseline-{shock}"));
        if dir.exists() {
            // A cancelled attempt: start again from an empty folder.
            std::fs::remove_dir_all(&dir).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
        }
        let start = Instant::now();
        let plan = self.plan(&self.scenario, &self.scenario.ids.coas, shock)?;
        self.ensemble(
            job,
            &self.scenario,
            &plan,
            &dir,
            &format!("baseline, shock {shock}"),
        )?;
        let results = analyses::open(&dir).map_err(failed)?;
        let finished = Arc::new(Finished {
            results: dir,
            baseline: None,
            baseline_scenario: None,
            coas: results.manifest.coas.clone(),
            table: Some(analyses::futures::tabulate(&results)),
            comparison: None,
            seconds: start.elapsed().as_secs_f64(),
        });
        lock(&self.baselines).insert(shock.to_string(), finished.clone());
        Ok(finished)
    }

    /// Runs `job` to its end; its status says how it ended.
    pub fn run(&self, job: &Job) {
        if job.cancelled() {
            job.set_status(Status::Cancelled);
            return;
        }
        job.set_status(Status::Running);
        let outcome = match &job.work {
            Work::Baseline { shock } => self.ensure_baseline(job, shock),
            Work::WhatIf(w) => self.what_if(job, w),
            Work::Drivers(d) => self.drivers(job, d),
        };
        match outcome {
            Ok(finished) if matches!(job.work, Work::Drivers(_)) => {
                job.set_status(Status::Ready(finished));
                job.set_report(ReportState::None);
            }
            Ok(finished) => {
                let dirs: Vec<PathBuf> = std::iter::once(finished.results.clone())
                    .chain(finished.baseline.clone())
                    .collect();
                if let Work::WhatIf(w) = &job.work {
                    // Kept in the workspace's history: a what-if that cannot
                    // be recorded still shows now, and says why it will not
                    // be listed after a restart.
                    if let Err(e) = crate::history::record(&self.workspace, w, &finished) {
                        job.set_status(Status::Ready(finished));
                        job.set_report(ReportState::Failed(format!(
                            "the what-if could not be kept in the history: {e}"
                        )));
                        return;
                    }
                }
                job.set_status(Status::Ready(finished));
                job.phase("report", 0);
                job.set_report(match reports(&dirs) {
                    Ok(()) => ReportState::Built,
                    Err(e) => ReportState::Failed(e),
                });
            }
            Err(Stop::Cancelled) => job.set_status(Status::Cancelled),
            Err(Stop::Failed(m)) => job.set_status(Status::Failed(m)),
        }
    }

    /// A what-if: its baseline, its own runs, the comparison.
    fn what_if(&self, job: &Job, w: &WhatIf) -> Result<Arc<Finished>, Stop> {
        job.phase(
            format!("waiting for the baseline under shock {}", w.shock),
            0,
        );
        let baseline = self.ensure_baseline(job, &w.shock)?;
        if job.cancelled() {
            return Err(Stop::Cancelled);
        }
        let start = Instant::now();
        let plan = self.plan(&w.scenario, &w.coas, &w.shock)?;
        let dir = w.folder.join("results");
        self.ensemble(job, &w.scenario, &plan, &dir, "what-if")?;
        let (a, b) = (
            analyses::open(&baseline.results).map_err(failed)?,
            analyses::open(&dir).map_err(failed)?,
        );
        let comparison = compare::compare(&a, &b, &w.coas, &[]).map_err(failed)?;
        analyses::save(&dir, comparison.clone()).map_err(failed)?;
        Ok(Arc::new(Finished {
            results: dir,
            baseline: Some(baseline.results.clone()),
            baseline_scenario: Some(self.scenario.clone()),
            coas: b.manifest.coas.clone(),
            table: None,
            comparison: Some(comparison),
            seconds: start.elapsed().as_secs_f64(),
        }))
    }

    /// A drivers job: the Morris design's runs, then the elementary
    /// effects of every future's indicator. A directory that already
    /// holds this design's finished runs and effects is reused.
    fn drivers(&self, job: &Job, d: &Drivers) -> Result<Arc<Finished>, Stop> {
        job.phase("waiting for another drivers job", 0);
        let _one_at_a_time = lock(&self.drivers_run);
        if job.cancelled() {
            return Err(Stop::Cancelled);
        }
        let start = Instant::now();
        let done = analyses::open(&d.dir)
            .ok()
            .filter(|r| r.manifest.complete)
            .filter(|_| current_sensitivity(&d.dir).is_some());
        let results = match done {
            Some(r) => r,
            None => {
                if d.dir.exists() {
                    std::fs::remove_dir_all(&d.dir)
                        .map_err(|e| failed(format!("{}: {e}", d.dir.display())))?;
                }
                let plan = self.drivers_plan(d)?;
                let what = format!(
                    "Morris design, {} trajectories of {} factors",
                    d.trajectories,
                    plan.design.as_ref().map_or(0, |x| x.groups.len())
                );
                self.ensemble(job, &d.scenario, &plan, &d.dir, &what)?;
                job.phase("elementary effects", 0);
                let results = analyses::open(&d.dir).map_err(failed)?;
                let outputs = analyses::outputs(&results, &[], &[]);
                let bootstrap = Bootstrap {
                    resamples: DRIVERS_RESAMPLES,
                    seed: 1,
                };
                let (analysis, _notes) = sensitivity::analyse(
                    &results,
                    std::slice::from_ref(&d.coa),
                    &outputs,
                    bootstrap,
                )
                .map_err(failed)?;
                analyses::save(&d.dir, analysis).map_err(failed)?;
                results
            }
        };
        Ok(Arc::new(Finished {
            results: d.dir.clone(),
            baseline: None,
            baseline_scenario: None,
            coas: results.manifest.coas.clone(),
            table: None,
            comparison: None,
            seconds: start.elapsed().as_secs_f64(),
        }))
    }
}

/// The sensitivity analysis saved in `dir`, if it is of its runs.
pub fn current_sensitivity(dir: &Path) -> Option<sensitivity::Sensitivity> {
    let sha = patronfall_results::read::runs_sha256(dir).ok()?;
    match analyses::load::<sensitivity::Sensitivity>(dir, &sha) {
        Ok(analyses::Stored::Current(s)) => Some(s),
        _ => None,
    }
}

/// Each directory's scenario discovery and signposts, then its report; a
/// directory whose report exists is left as it is.
fn reports(dirs: &[PathBuf]) -> Result<(), String> {
    for dir in dirs {
        if dir.join("report.html").exists() {
            continue;
        }
        let results = analyses::open(dir).map_err(|e| e.to_string())?;
        discovery(&results, dir)?;
        watch(&results, dir)?;
        patronfall_report::build(dir)
            .map_err(|e| format!("the report of {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// Scenario discovery (PRIM) over every course of action for the second
/// most frequent future (the most frequent one is usually what happens
/// anyway; the next is the turn worth explaining), with
/// `patronfall analyze discover`'s defaults, saved where the report finds
/// it. Fewer than ten runs of it, or no box, leaves the section out.
fn discovery(results: &Results, dir: &Path) -> Result<(), String> {
    let table = analyses::futures::tabulate(results);
    let mut totals: Vec<(u64, usize)> = (0..table.futures.len())
        .filter(|&f| table.futures[f] != patronfall_analysis::futures::NO_FUTURE)
        .map(|f| (table.counts.iter().map(|c| c[f]).sum(), f))
        .collect();
    totals.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let Some(&(count, f)) = totals.get(1).or(totals.first()) else {
        return Ok(());
    };
    if count < 10 {
        return Ok(());
    }
    let request = discover::Request {
        future: &table.futures[f],
        coa: None,
        selection: Selection::Density(0.8),
        mass_min: 0.05,
        significance: Some(0.05),
        boxes: 1,
        resamples: 20,
        seed: 1,
    };
    match discover::analyse(results, &request) {
        Ok(d) => analyses::save(dir, d)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        // Too few runs of the future or no box found: no section.
        Err(e) if e.is_bad_input() => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// The signposts of every course of action, as `patronfall signposts`
/// saves them, when the ensemble wrote the scenario's indicators.
fn watch(results: &Results, dir: &Path) -> Result<(), String> {
    if !dir.join(patronfall_results::indicators::CSV).exists() {
        return Ok(());
    }
    let table = signposts::indicator_table(results).map_err(|e| e.to_string())?;
    let all: Vec<usize> = (0..results.manifest.coas.len()).collect();
    let analysis = signposts::analyse(results, &table, &all).map_err(|e| e.to_string())?;
    analyses::save(dir, analysis)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
