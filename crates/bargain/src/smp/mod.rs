//! KTAB's Spatial Model of Politics (bargaining brief §1.3), one module per
//! step: `utility` (distance, utility, risk), `vote`, `pce` (coalitions,
//! victory probabilities, Condorcet elections), `assess` (per-state
//! preparation and reported probabilities), `challenge` (challenge values,
//! target choice), `interp` (bargain points), `step` (one turn), `run`
//! (stopping rule and records) and `predict` (the simulation's entry point).

pub mod assess;
pub mod challenge;
pub mod interp;
pub mod model;
pub mod pce;
pub mod predict;
pub mod run;
pub mod step;
pub mod utility;
pub mod vote;
