//! Stakeholder bargaining for patronfall (module M8).
//!
//! Two models predict where actors with positions, saliences and
//! capabilities on an issue end up:
//!
//! - [`smp`]: KTAB's Spatial Model of Politics, turn by turn as KTAB
//!   implements it (bargaining brief §1.3), every KTAB parameter selectable
//!   by its KTAB name through [`SmpParams::set`]. [`smp::run::run`] gives the
//!   full history with explanations; [`predict`] is the cheap one-issue
//!   entry point for the simulation.
//! - [`bdm`]: the Bueno de Mesquita expected-utility model in the Scholz et
//!   al. (2011) reading (bargaining brief §2), variants as named options.
//!
//! [`read`] parses KTAB's CSV and XML files from text; only
//! [`read::read_path`] touches the file system. The crate has no serde,
//! no threads, no clock; randomness comes from an explicit seed.
//!
//! ```
//! use patronfall_bargain::{SmpParams, Stakeholder, predict};
//! let s = [
//!     Stakeholder { capability: 100.0, position: 10.0, salience: 80.0 },
//!     Stakeholder { capability: 40.0, position: 50.0, salience: 60.0 },
//!     Stakeholder { capability: 30.0, position: 90.0, salience: 70.0 },
//! ];
//! let p = predict(&s, &SmpParams::default(), 1).unwrap();
//! assert!((10.0..=90.0).contains(&p.position));
//! ```

pub mod bdm;
pub mod error;
pub mod params;
pub mod read;
pub mod scenario;
pub mod smp;

pub use error::{ActorProblem, InputError, ParamError, Unusable};
pub use params::SmpParams;
pub use scenario::{Actor, Affinity, Scenario};
pub use smp::predict::{Prediction, Stakeholder, predict};
pub use smp::run::{RunOptions, SmpRun, run};
