//! Backtests: does the model reproduce past cases of a patron leaving its client?
//!
//! A past case is an ordinary scenario with `[[observed]]` milestones (brief
//! §8), one of which is scored: a collapse condition over an outcome (the
//! capital's fall, `capital_held < 0.5`, or the client's strength, e.g.
//! `client_fighters_share < 0.5`) and its kind: `collapse` on the day it
//! happened, or `survival` to the day the client was still standing.
//! [`backtest::run_case`] runs an ensemble of the case's default shock and one
//! of its control (a shock with no events: the patron stays) on the same
//! samples and seeds, and [`score`] turns the simulated days of collapse into
//! scores against the observed one: share of runs that collapse, quantiles,
//! median error, share within a window around the observed lag, and the
//! continuous ranked probability score (CRPS); [`score_survival`] scores a
//! survival milestone. [`library`] lists the built-in past cases. [`figure`]
//! draws simulated against observed timing as SVG text. [`run_signposts`]
//! weighs a case's runs by the readings seen early (`[[seen]]`) as
//! `patronfall update` does and reports how the odds of what happened moved.
//!
//! This crate does no I/O: it returns values and strings; the command line
//! prints and writes them. Threads come only from `patronfall-ensemble`, and
//! results do not depend on their number.

pub mod backtest;
pub mod figure;
pub mod score;
pub mod signposts;

pub use backtest::{BacktestError, CaseReport, Options, Verdict, library, run_case};
pub use score::{Scores, crps, score, score_survival};
pub use signposts::{KNOWN_BY, SignpostReport, Weighed, readings, run_signposts};
