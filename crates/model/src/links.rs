//! The world's ties indexed by their ends, the population of each region,
//! each segment's crossings by kind and the offer and payroll levers, built
//! once per run.
//!
//! Mechanisms ask the same questions of the tie list every day ("what pays
//! this group?", "who controls this crossing?", "are these two hostile?").
//! Scanning all ties for each question made the scans a third of a run's
//! time. [`Links`] answers them from per-endpoint lists instead. Each list
//! keeps the ties in scenario order, so a sum over a list adds the same
//! terms in the same order as the scan it replaces: the results are the
//! same bits.

use crate::ids::*;
use crate::world::{LeverKind, Tie, TieKind, TieTarget, World};

/// Tie indices (into `World::ties`) by endpoint, in scenario order.
#[derive(Clone, Debug, Default)]
pub struct Links {
    /// Per armed group: ties pointing at it.
    pub to_group: Vec<Vec<usize>>,
    /// Per armed group: ties starting from it.
    pub from_group: Vec<Vec<usize>>,
    /// Per community: ties starting from it.
    pub from_community: Vec<Vec<usize>>,
    /// Per crossing: ties pointing at it.
    pub to_crossing: Vec<Vec<usize>>,
    /// `hostile[g·n + h]`: a hostile tie joins groups g and h, either way.
    hostile: Vec<bool>,
    groups: usize,
    /// Per region: the population of its communities (people).
    pub region_population: Vec<f64>,
    /// Per border segment: its official crossings, in the segment's order.
    pub official: Vec<Vec<CrossingId>>,
    /// Per border segment: its informal crossings, in the segment's order.
    pub informal: Vec<Vec<CrossingId>>,
    /// Indices (into `World::levers`) of the offer levers, in scenario order:
    /// M3 reads every faction's terms each day.
    pub offer_levers: Vec<usize>,
    /// Indices of the payroll levers, in scenario order: M4 reads them for
    /// every paid group each day.
    pub payroll_levers: Vec<usize>,
}

impl Links {
    /// Indexes `world`'s ties.
    pub fn new(world: &World) -> Links {
        let n = world.groups.len();
        let mut l = Links {
            to_group: vec![Vec::new(); n],
            from_group: vec![Vec::new(); n],
            from_community: vec![Vec::new(); world.communities.len()],
            to_crossing: vec![Vec::new(); world.crossings.len()],
            hostile: vec![false; n * n],
            groups: n,
            region_population: (0..world.regions.len())
                .map(|r| {
                    world
                        .communities
                        .iter()
                        .filter(|c| c.region == RegionId::at(r))
                        .map(|c| c.population)
                        .sum()
                })
                .collect(),
            official: crossings_where(world, true),
            informal: crossings_where(world, false),
            offer_levers: (0..world.levers.len())
                .filter(|&l| matches!(world.levers[l].kind, LeverKind::Offer { .. }))
                .collect(),
            payroll_levers: (0..world.levers.len())
                .filter(|&l| matches!(world.levers[l].kind, LeverKind::Payroll { .. }))
                .collect(),
        };
        for (t, tie) in world.ties.iter().enumerate() {
            match tie.from {
                ActorRef::Group(g) => l.from_group[g.index()].push(t),
                ActorRef::Community(c) => l.from_community[c.index()].push(t),
                _ => {}
            }
            match tie.to {
                TieTarget::Actor(ActorRef::Group(g)) => l.to_group[g.index()].push(t),
                TieTarget::Crossing(x) => l.to_crossing[x.index()].push(t),
                _ => {}
            }
            if tie.kind == TieKind::Hostile
                && let (ActorRef::Group(a), TieTarget::Actor(ActorRef::Group(b))) =
                    (tie.from, tie.to)
            {
                l.hostile[a.index() * n + b.index()] = true;
                l.hostile[b.index() * n + a.index()] = true;
            }
        }
        l
    }

    /// Whether a hostile tie joins groups `a` and `b` (in either direction).
    pub fn hostile(&self, a: GroupId, b: GroupId) -> bool {
        self.hostile[a.index() * self.groups + b.index()]
    }
}

/// Per segment, its crossings whose `official` flag is `official`.
fn crossings_where(world: &World, official: bool) -> Vec<Vec<CrossingId>> {
    world
        .segments
        .iter()
        .map(|seg| {
            seg.crossings
                .iter()
                .copied()
                .filter(|x| world.crossings[x.index()].official == official)
                .collect()
        })
        .collect()
}

/// The ties at `indices`, in order.
pub fn ties<'w>(world: &'w World, indices: &'w [usize]) -> impl Iterator<Item = &'w Tie> + 'w {
    indices.iter().map(move |&t| &world.ties[t])
}
