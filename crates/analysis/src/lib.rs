//! Experimental designs and analyses over tables of patronfall runs.
//!
//! The ensemble (a) draws a design on the unit hypercube with [`design`] and maps
//! each column through its uncertainty's inverse CDF, (b) runs the model, and
//! (c) writes a table of runs. This crate provides pure functions for (a) and for
//! the analyses over (c):
//!
//! * [`design`] — Monte Carlo, Latin hypercube, scrambled Sobol (4,096
//!   dimensions), full factorial, Saltelli and Morris designs, plain or grouped.
//! * [`proportion`] — Wilson intervals, paired COA differences for binary and
//!   continuous outcomes.
//! * [`futures`] — the futures table every output shares: counts per course
//!   of action and future, the one confidence level, the one label for runs
//!   that reached no future.
//! * [`sensitivity`] — Sobol first-order and total indices and Morris
//!   elementary effects, per factor or per group, with bootstrap intervals;
//!   the noise floor set by a dummy factor.
//! * [`prim`] — PRIM scenario discovery with peeling trajectory and quasi-p values.
//! * [`robustness`] — regret and satisficing across scenarios.
//! * [`signposts`] — how well an indicator tells the futures apart:
//!   distributions per future, likelihood ratios with Katz intervals,
//!   mutual information with a bootstrap interval.
//! * [`update`] — the futures' odds and the uncertain figures updated from
//!   observations by importance weighting of runs (ABC), with Kish's
//!   effective sample size.
//! * [`follow_up`] — a targeted follow-up: new samples resampled from the
//!   weighted ones and perturbed (population Monte Carlo ABC), with the
//!   importance correction of each.
//!
//! A Sobol analysis end to end (the closure stands in for the model):
//!
//! ```
//! use patronfall_analysis::design::saltelli;
//! use patronfall_analysis::sensitivity::{SobolOptions, sobol_indices};
//!
//! let design = saltelli(1024, 3, 7)?; // n = 1024 base rows, k = 3 parameters
//! let outputs: Vec<f64> = design
//!     .stacked()
//!     .iter_rows()
//!     .map(|u| 4.0 * u[0] + u[1] * u[2]) // one scalar outcome per run
//!     .collect();
//! let s = sobol_indices(3, &outputs, &SobolOptions::default())?;
//! assert!(s.first[0] > s.first[1] && s.total[0] > 0.8);
//! # Ok::<(), patronfall_analysis::AnalysisError>(())
//! ```
//!
//! Architecture invariant: no I/O, no threads, no clock, never calls the model;
//! every random choice takes an explicit seed. Bad shapes are reported as
//! [`AnalysisError`], never as panics. Methods and sources: `docs/analysis.md`.

pub mod design;
pub mod error;
pub mod follow_up;
pub mod futures;
pub mod matrix;
pub mod prim;
pub mod proportion;
pub mod robustness;
pub mod sensitivity;
pub mod signposts;
pub mod stats;
pub mod update;

pub use error::{AnalysisError, Result};
pub use matrix::Matrix;
