//! Running a plan: the only place in patronfall with threads.
//!
//! Experiments run in chunks; inside a chunk rayon runs them in parallel and
//! collects the rows in experiment order; the sink then receives the chunk in
//! that order. Each run's random numbers depend only on its seed, so the rows,
//! and every byte written from them, are the same for any thread count.
//! Between chunks the runner checks the cancel flag (Ctrl-C): finished chunks
//! are kept and the completion says how far it got.

use crate::indicators::{Column, Watch};
use crate::plan::{Experiment, Plan};
use patronfall_model::{CoaId, DayOutcomes, Outcome, RunSpec, Stat, run as run_model};
use patronfall_scenario::Scenario;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

/// What one experiment produced.
#[derive(Clone, Debug)]
pub struct Row {
    /// The experiment.
    pub experiment: Experiment,
    /// Its course of action.
    pub coa: CoaId,
    /// Index of the future reached.
    pub future: Option<usize>,
    /// Every condition's signed margin, future by future in rule order and
    /// in `when` order within a future (`RunResult::margins` flattened; the
    /// columns `margin.<future>.<k>` of the runs table). NaN when the run
    /// stopped on a problem.
    pub margins: Vec<f64>,
    /// Every outcome on the last day.
    pub end: DayOutcomes,
    /// Every outcome's largest daily value.
    pub max: DayOutcomes,
    /// Day the capital fell, if it did.
    pub capital_fell: Option<u32>,
    /// Numerical problems that stopped the run early.
    pub problems: Vec<String>,
    /// Every armed group's stance at the end; `None` where it means
    /// nothing (a state force, a splinter that never broke away).
    pub stances: Vec<Option<patronfall_model::Stance>>,
    /// Daily outcomes (day 0 first), when asked for.
    pub series: Option<Vec<DayOutcomes>>,
    /// The value of every uncertainty of the scenario in this experiment's sample.
    pub values: Vec<f64>,
    /// The true value of every indicator column (`indicators::columns`),
    /// NaN where the run stopped before its window.
    pub indicators: Vec<f64>,
}

/// Receives the rows of finished chunks, in experiment order.
pub trait Sink {
    /// Why the sink could not take a chunk (a file it writes failed, say);
    /// [`std::convert::Infallible`] for a sink that only counts or keeps.
    type Error;

    /// Takes one chunk's rows.
    fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error>;
}

/// Why a plan stopped before its end for another reason than a cancel.
#[derive(Debug)]
pub enum RunError<E> {
    /// The worker threads could not be started.
    Threads(rayon::ThreadPoolBuildError),
    /// The sink refused a chunk; the chunks it took before are kept.
    Sink(E),
}

impl<E: std::fmt::Display> std::fmt::Display for RunError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Threads(e) => write!(f, "cannot start worker threads: {e}"),
            RunError::Sink(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RunError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Threads(e) => Some(e),
            RunError::Sink(e) => Some(e),
        }
    }
}

/// How to run.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Worker threads (1 runs on the calling thread's pool of one).
    pub threads: usize,
    /// Experiments per chunk.
    pub chunk: usize,
    /// Keep the daily series of every experiment.
    pub keep_series: bool,
    /// Keep the daily series of the first this-many samples of each course of
    /// action (for the fan charts' quantiles).
    pub series_sample: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: 1,
            chunk: 512,
            keep_series: false,
            series_sample: 500,
        }
    }
}

/// How far a run of a plan, or of a block of its experiments, got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// Experiments finished and handed to the sink.
    pub done: u64,
    /// Experiments asked for: the plan's, or the block's.
    pub total: u64,
}

impl Completion {
    /// Whether every experiment finished.
    pub fn complete(&self) -> bool {
        self.done == self.total
    }
}

/// Runs one experiment of a plan.
pub fn run_experiment(scenario: &Scenario, plan: &Plan, e: Experiment, keep_series: bool) -> Row {
    let columns = crate::indicators::columns(scenario, plan.spec.days);
    run_experiment_with(scenario, plan, e, keep_series, &columns)
}

/// [`run_experiment`] with the indicator columns worked out once for the plan.
pub fn run_experiment_with(
    scenario: &Scenario,
    plan: &Plan,
    e: Experiment,
    keep_series: bool,
    columns: &[Column],
) -> Row {
    let values = plan.values(e.sample);
    let world = scenario.world_with(&values);
    let coa = plan.spec.coas[e.coa_slot];
    let spec = RunSpec {
        world: &world,
        coa,
        shock: plan.spec.shock,
        days: plan.spec.days,
        seed: e.seed,
    };
    let mut watch = Watch::new(scenario, columns, plan.spec.days, keep_series);
    let result = run_model(spec, &mut watch);
    let mut end = DayOutcomes::default();
    let mut max = DayOutcomes::default();
    for o in Outcome::ALL {
        end.set(o, result.reductions.value(o, Stat::End));
        max.set(o, result.reductions.value(o, Stat::Max));
    }
    Row {
        experiment: e,
        coa,
        future: result.future,
        margins: result.margins.concat(),
        end,
        max,
        capital_fell: result.capital_fell,
        problems: result.problems,
        stances: result
            .stances
            .iter()
            .zip(&result.has_stance)
            .map(|(s, has)| has.then_some(*s))
            .collect(),
        series: watch.series,
        values,
        indicators: watch.values,
    }
}

/// Runs every experiment of the plan, handing rows to the sink chunk by chunk.
///
/// While the worker threads run one chunk, the calling thread hands the
/// previous chunk to the sink, so writing (CSV, Parquet, quantiles) overlaps
/// with computing instead of leaving the workers idle. The sink still sees
/// every chunk, in order, on the calling thread. A cancel stops the next
/// chunk from starting; the chunk already running finishes and is kept.
pub fn run<S: Sink + ?Sized>(
    scenario: &Scenario,
    plan: &Plan,
    options: Options,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
    sink: &mut S,
) -> Result<Completion, RunError<S::Error>> {
    let never = AtomicBool::new(false);
    run_with_abort(scenario, plan, options, cancel, &never, progress, sink)
}

/// [`run`] with a second, harder stop: once `abort` is raised, no further
/// experiment starts, not even in the chunk already running. The experiments
/// running at that moment (one per thread) finish; of the chunk, the rows
/// before the first experiment that did not run are handed to the sink,
/// so the sink still sees an unbroken prefix of the plan, in order.
pub fn run_with_abort<S: Sink + ?Sized>(
    scenario: &Scenario,
    plan: &Plan,
    options: Options,
    cancel: &AtomicBool,
    abort: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
    sink: &mut S,
) -> Result<Completion, RunError<S::Error>> {
    let all = 0..plan.experiments();
    run_block(scenario, plan, all, options, cancel, abort, progress, sink)
}

/// [`run_with_abort`] over the experiments numbered `block` only (a shard,
/// [`crate::shard::Shard::range`]), in order: each runs exactly as it does
/// in the whole plan, so the rows are the whole plan's rows of that block.
/// Progress and the completion count the block's experiments.
#[allow(clippy::too_many_arguments)]
pub fn run_block<S: Sink + ?Sized>(
    scenario: &Scenario,
    plan: &Plan,
    block: Range<u64>,
    options: Options,
    cancel: &AtomicBool,
    abort: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
    sink: &mut S,
) -> Result<Completion, RunError<S::Error>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(RunError::Threads)?;
    let first = block.start;
    let end = block.end.clamp(first, plan.experiments());
    let total = end - first;
    let chunk = options.chunk.max(1) as u64;
    let columns = crate::indicators::columns(scenario, plan.spec.days);
    let compute = |from: u64, to: u64| -> Vec<Row> {
        let rows: Vec<Option<Row>> = pool.install(|| {
            (first + from..first + to)
                .into_par_iter()
                .map(|i| {
                    if abort.load(Ordering::SeqCst) {
                        return None;
                    }
                    let e = plan.experiment(i);
                    let keep = options.keep_series || e.sample < options.series_sample;
                    Some(run_experiment_with(scenario, plan, e, keep, &columns))
                })
                .collect()
        });
        rows.into_iter().map_while(|r| r).collect()
    };
    // `done` counts experiments handed to the sink; `ready` holds the rows of
    // the chunk that ends at `computed`, not yet handed over.
    let mut done = 0;
    let mut computed = 0;
    let mut ready: Option<Vec<Row>> = None;
    loop {
        let start_next =
            computed < total && !cancel.load(Ordering::SeqCst) && !abort.load(Ordering::SeqCst);
        let next_end = (computed + chunk).min(total);
        let (next, handed) = std::thread::scope(|scope| {
            let worker = start_next.then(|| scope.spawn(|| compute(computed, next_end)));
            let handed = match ready.take() {
                Some(rows) => sink.accept(&rows).map(|()| rows.len() as u64),
                None => Ok(0),
            };
            let next = worker.map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (next, handed)
        });
        let handed = handed.map_err(RunError::Sink)?;
        if handed > 0 {
            done += handed;
            progress(done, total);
        }
        match next {
            Some(rows) => {
                // Shorter than the chunk only after an abort.
                computed += rows.len() as u64;
                ready = Some(rows);
            }
            None => break,
        }
    }
    Ok(Completion { done, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlanSpec, Sampler};

    /// Records the experiment numbers of each chunk; raises the cancel flag
    /// after its first chunk when asked to.
    struct Recorder<'a> {
        chunks: Vec<Vec<u64>>,
        cancel_after_first: Option<&'a AtomicBool>,
    }

    impl Sink for Recorder<'_> {
        type Error = std::convert::Infallible;

        fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error> {
            self.chunks
                .push(rows.iter().map(|r| r.experiment.index).collect());
            if let Some(flag) = self.cancel_after_first {
                flag.store(true, Ordering::SeqCst);
            }
            Ok(())
        }
    }

    fn plan(s: &Scenario) -> Plan {
        let spec = PlanSpec {
            sampler: Sampler::MonteCarlo,
            runs: 10,
            replications: 1,
            coas: vec![CoaId::at(0)],
            shock: s.default_shock,
            days: 20,
            seed: 5,
            vary: vec![],
        };
        Plan::new(s, spec).expect("a valid plan")
    }

    fn options(threads: usize) -> Options {
        Options {
            threads,
            chunk: 4,
            keep_series: false,
            series_sample: 0,
        }
    }

    /// Writing overlaps computing, but the sink still gets every chunk,
    /// whole and in experiment order, and progress counts what it got.
    #[test]
    fn sink_gets_every_chunk_in_order() {
        let s = patronfall_scenario::open("iraq-after-tehran").expect("built-in");
        let plan = plan(&s);
        for threads in [1, 2] {
            let mut sink = Recorder {
                chunks: Vec::new(),
                cancel_after_first: None,
            };
            let mut seen = Vec::new();
            let cancel = AtomicBool::new(false);
            let done = run(
                &s,
                &plan,
                options(threads),
                &cancel,
                &mut |d, _| seen.push(d),
                &mut sink,
            )
            .expect("runs");
            assert_eq!(
                done,
                Completion {
                    done: 10,
                    total: 10
                }
            );
            assert_eq!(
                sink.chunks,
                vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7], vec![8, 9]]
            );
            assert_eq!(seen, vec![4, 8, 10]);
        }
    }

    /// A block runs exactly its experiments, in order, each as the whole
    /// plan runs it.
    #[test]
    fn a_block_runs_its_experiments_as_the_whole_plan_does() {
        let s = patronfall_scenario::open("iraq-after-tehran").expect("built-in");
        let plan = plan(&s);
        let never = AtomicBool::new(false);
        let mut sink = Recorder {
            chunks: Vec::new(),
            cancel_after_first: None,
        };
        let mut seen = Vec::new();
        let done = run_block(
            &s,
            &plan,
            3..9,
            options(2),
            &never,
            &never,
            &mut |d, t| seen.push((d, t)),
            &mut sink,
        )
        .expect("runs");
        assert_eq!(done, Completion { done: 6, total: 6 });
        assert_eq!(sink.chunks, vec![vec![3, 4, 5, 6], vec![7, 8]]);
        assert_eq!(seen, vec![(4, 6), (6, 6)]);
        let whole = run_experiment(&s, &plan, plan.experiment(7), false);
        struct Keep(Vec<Row>);
        impl Sink for Keep {
            type Error = std::convert::Infallible;
            fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error> {
                self.0.extend_from_slice(rows);
                Ok(())
            }
        }
        let mut keep = Keep(Vec::new());
        run_block(
            &s,
            &plan,
            7..8,
            options(1),
            &never,
            &never,
            &mut |_, _| {},
            &mut keep,
        )
        .expect("runs");
        assert_eq!(keep.0.len(), 1);
        assert_eq!(keep.0[0].experiment, whole.experiment);
        assert_eq!(keep.0[0].future, whole.future);
        assert_eq!(
            keep.0[0].end.0.map(f64::to_bits),
            whole.end.0.map(f64::to_bits)
        );
        // A block past the plan's end runs nothing.
        let mut empty = Keep(Vec::new());
        let done = run_block(
            &s,
            &plan,
            10..10,
            options(1),
            &never,
            &never,
            &mut |_, _| {},
            &mut empty,
        )
        .expect("runs");
        assert_eq!(done, Completion { done: 0, total: 0 });
        assert!(empty.0.is_empty());
    }

    /// A cancel raised while a chunk is written stops the chunk after the
    /// one already running; that one is still handed over, nothing is lost.
    #[test]
    fn cancel_keeps_the_running_chunk_and_starts_no_other() {
        let s = patronfall_scenario::open("iraq-after-tehran").expect("built-in");
        let plan = plan(&s);
        let cancel = AtomicBool::new(false);
        let mut sink = Recorder {
            chunks: Vec::new(),
            cancel_after_first: Some(&cancel),
        };
        let done = run(&s, &plan, options(2), &cancel, &mut |_, _| {}, &mut sink).expect("runs");
        assert_eq!(done, Completion { done: 8, total: 10 });
        assert!(!done.complete());
        assert_eq!(sink.chunks, vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]]);
    }

    /// An abort stops even the running chunk: what reaches the sink is an
    /// unbroken prefix of the plan, and nothing starts after it.
    #[test]
    fn abort_stops_inside_the_running_chunk() {
        let s = patronfall_scenario::open("iraq-after-tehran").expect("built-in");
        let plan = plan(&s);
        let never = AtomicBool::new(false);
        // Raised before the start: nothing runs.
        let raised = AtomicBool::new(true);
        let mut sink = Recorder {
            chunks: Vec::new(),
            cancel_after_first: None,
        };
        let done = run_with_abort(
            &s,
            &plan,
            options(2),
            &never,
            &raised,
            &mut |_, _| {},
            &mut sink,
        )
        .expect("runs");
        assert_eq!(done, Completion { done: 0, total: 10 });
        assert!(sink.chunks.is_empty());
        // Raised while the first chunk is written and the second computed.
        let abort = AtomicBool::new(false);
        let mut sink = Recorder {
            chunks: Vec::new(),
            cancel_after_first: Some(&abort),
        };
        let done = run_with_abort(
            &s,
            &plan,
            options(1),
            &never,
            &abort,
            &mut |_, _| {},
            &mut sink,
        )
        .expect("runs");
        let handed: Vec<u64> = sink.chunks.concat();
        assert_eq!(handed, (0..done.done).collect::<Vec<u64>>());
        assert!((4..=8).contains(&done.done), "{done:?}");
        assert_eq!(sink.chunks[0], vec![0, 1, 2, 3]);
    }
}
