//! The patronfall model: one run of a patron–proxy system, as a pure function.
//!
//! A run takes a [`World`] (the validated scenario with every uncertain value
//! fixed), a course of action, a shock, a number of days and a seed, and
//! returns a [`RunResult`]: the future reached and the reductions of every
//! [`Outcome`]. What happens along the way goes to an [`Observer`]: the
//! narrative log with its numbers and the daily series.
//!
//! Key types: [`World`] (static description, plain data indexed by typed
//! ids), [`State`] (what changes), [`Params`] (the mechanisms' constants, one
//! registry entry each), and the mechanism modules under [`mechanisms`], each
//! a set of functions over world and state. [`mechanisms::DAY_ORDER`] is the
//! order of a day.
//!
//! This crate does no I/O and uses no threads, clock, global state or
//! hash-ordered maps: the same inputs give the same bits on any machine and
//! thread count. Random numbers come from per-mechanism ChaCha8 streams keyed
//! by the run's seed ([`rng`]).

pub mod ids;
pub mod invariants;
pub mod links;
pub mod mechanisms;
pub mod observer;
pub mod outcomes;
pub mod params;
pub mod rng;
pub mod run;
pub mod state;
pub mod world;

pub use ids::*;
pub use observer::{LogEntry, Observer, Quiet, Recorder, Topic};
pub use outcomes::{Condition, DayOutcomes, Op, Outcome, Reductions, Stat};
pub use params::{PARAMETERS, ParamSpec, Params};
/// The bargaining model's parameters, set per issue by the scenario.
pub use patronfall_bargain::SmpParams;
pub use run::{RunResult, RunSpec, has_stance, run};
pub use state::State;
pub use world::*;
