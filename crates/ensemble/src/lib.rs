//! Ensembles: many runs of one scenario under explicit uncertainty.
//!
//! The pipeline:
//! 1. [`plan`]: sample the scenario's uncertainties (Monte Carlo, Latin
//!    hypercube, keyed Latin hypercube, scrambled Sobol, Saltelli, Morris,
//!    factorial) and pair every
//!    sample with every course of action and replication, with common random
//!    numbers;
//! 2. [`runner`]: run the experiments in parallel chunks (this crate is the
//!    only one with threads) and hand each chunk's rows, in experiment order,
//!    to a [`Sink`](runner::Sink) that streams them to disk;
//! 3. [`timeseries`]: accumulate the daily series of a bounded sample of runs
//!    for the fan charts;
//! 4. [`summary`]: the futures per course of action with Wilson intervals
//!    (`patronfall_analysis::futures`, counted as a sink).
//!
//! Every run also fills the scenario's [`indicators`]: one value per
//! indicator and observation day, watched as the run goes.
//!
//! [`shard`] splits a plan into contiguous blocks of experiments, one per
//! machine, which [`runner::run_block`] runs alone.
//!
//! [`budget`] works out from a plan's shape the memory and disk it will
//! need, so that the CLI can refuse a plan too large before it starts.
//!
//! Results do not depend on the thread count: every run's random numbers come
//! from its seed, which the plan derives from the experiment's number alone,
//! and rows are handed on in experiment order.

pub mod budget;
pub mod indicators;
pub mod plan;
mod points;
pub mod runner;
pub mod shard;
pub mod summary;
pub mod timeseries;

pub use plan::{
    DUMMY, Experiment, Grouping, NamedGroup, Plan, PlanError, PlanSpec, Sampler, SensitivityDesign,
};
pub use runner::{Completion, Options, Row, RunError, Sink};
pub use shard::{Shard, ShardError};
