//! The mechanisms of one day, each a module of plain functions over the
//! world and the state. The order in which a day applies them is fixed in
//! [`DAY_ORDER`] and in `run::step_day`; it is part of the model.

use crate::links::Links;
use crate::params::Params;
use crate::world::{Coa, World};

pub mod coalition;
pub mod contest;
pub mod coup;
pub mod defection;
pub mod events;
pub mod firebreak;
pub mod government;
pub mod loyalty;
pub mod outside;
pub mod patron;
pub mod policy;
pub mod resources;
pub mod settlement;
pub mod stance;
pub mod unrest;

/// What every mechanism reads: the world, its parameters, its ties indexed
/// by endpoint, the course of action, and the day being simulated.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The world.
    pub world: &'a World,
    /// Its parameters.
    pub p: &'a Params,
    /// The course of action played.
    pub coa: &'a crate::world::Coa,
    /// The world's ties by endpoint.
    pub links: &'a Links,
    /// The day being simulated (1 is the first).
    pub day: u32,
}

impl<'a> Ctx<'a> {
    /// A context for `day`.
    pub fn new(world: &'a World, links: &'a Links, coa: &'a Coa, day: u32) -> Self {
        Ctx {
            world,
            p: &world.params,
            coa,
            links,
            day,
        }
    }
}

/// The order of a day, by mechanism; `run::step_day` follows it and a test
/// checks that `docs/model.md` lists it the same way.
pub const DAY_ORDER: [&str; 11] = [
    "events",
    "M10 outside actors",
    "M1 patron",
    "M9 government",
    "M8 political settlement",
    "M2 resources",
    "M5 fire break",
    "M3 loyalty and cohesion",
    "M4 stance",
    "M7 armed contests",
    "M6 internal volatility",
];
