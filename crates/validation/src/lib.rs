//! Backtests: does the model reproduce past cases of a patron leaving its client?
//!
//! A past case is an ordinary scenario with `[[observed]]` milestones (brief
//! §8): the day the capital fell, and the milestone its lag is counted from.
//! [`backtest::run_case`] runs an ensemble of the case's default shock and one
//! of its control (a shock with no events: the patron stays) on the same
//! samples and seeds, and [`score`] turns the simulated days of the capital's
//! fall into scores against the observed one: share of runs that collapse,
//! quantiles, median error, share within a window around the observed lag,
//! and the continuous ranked probability score (CRPS). [`figure`] draws
//! simulated against observed timing as SVG text.
//!
//! This crate does no I/O: it returns values and strings; the command line
//! prints and writes them. Threads come only from `patronfall-ensemble`, and
//! results do not depend on their number.

pub mod backtest;
pub mod figure;
pub mod score;

pub use backtest::{BacktestError, CaseReport, Options, Verdict, run_case};
pub use score::{Scores, crps, score};
