//! Epstein's (2002) civil-violence Model I, "central authority against
//! decentralised rebellion", as a reference model and a reusable agent-level
//! unrest engine.
//!
//! Citizens with hardship H and risk aversion R on a torus turn active when
//! grievance H·(1 − L) exceeds net risk R·P by a threshold T, where P =
//! 1 − exp(−k·C/A) from the cops C and actives A they see; cops jail one
//! random active citizen in view; everyone moves to a random empty cell in
//! view. Source: Epstein, J. M. (2002), *Modeling civil violence: An
//! agent-based computational approach*, PNAS 99 suppl. 3: 7243–7250.
//!
//! Key types:
//! - [`Params`] with the canonical sets [`Params::netlogo`],
//!   [`Params::mesa_app`] and [`Params::mesa_defaults`], and [`Variant`], the
//!   implementation choices on which NetLogo and Mesa differ;
//! - [`Grid`]: the world; `Grid::new(params, seed)`, [`Grid::step`],
//!   [`Grid::counts`], with legitimacy, hardship and cop count settable
//!   between steps (the M6-agents interface);
//! - [`run()`] with a [`Plan`] of [`LegitimacyPath`] and [`CopPath`];
//! - [`outbursts`] for peaks and waiting times.
//!
//! ```
//! use patronfall_epstein::{Grid, Params};
//! let mut grid = Grid::new(Params::netlogo(), 42).unwrap();
//! for _ in 0..10 {
//!     grid.step();
//! }
//! let c = grid.counts();
//! assert_eq!(c.quiet + c.active + c.jailed, grid.citizen_count());
//! ```
//!
//! Architecture invariants: no I/O, no threads, no clock; every random draw
//! comes from the run's seeded xoshiro256++ stream; a tick allocates nothing.

mod grid;
mod hardship;
mod neighbourhood;
mod params;
mod rules;
mod run;
mod schedule;
mod stats;
mod variant;

pub use grid::{AuditError, Citizen, CitizenState, Counts, Grid};
pub use hardship::Hardship;
pub use neighbourhood::Neighbourhood;
pub use params::{MAX_SIDE, MAX_VISION, ParamError, Params};
pub use rules::{arrest_probability, grievance, is_active, rounded_ratio};
pub use run::{Plan, Record, run, series};
pub use schedule::{CopPath, LegitimacyPath};
pub use stats::{Outbursts, mean, outbursts};
pub use variant::{
    Activation, AfterArrest, Centre, JailCountdown, JailRange, JailedCell, Movement, Placement,
    Ratio, Shape, TurnOrder, Variant,
};
