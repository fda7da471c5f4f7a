//! The world's ties indexed by their ends, the population of each region,
//! each segment's crossings by kind with their capacities, and the offer and
//! payroll levers, built once per run.
//!
//! Mechanisms ask the same questions of the tie list every day ("what pays
//! this group?", "who controls this crossing?", "are these two hostile?").
//! Scanning all ties for each question made the scans a third of a run's
//! time. [`Links`] answers them from per-endpoint lists instead. Each list
//! keeps the ties in scenario order, so a sum over a list adds the same
//! terms in the same order as the scan it replaces: the results are the
//! same bits.

use crate::ids::*;
use crate::world::{GroupRole, LeverKind, Tie, TieKind, TieTarget, World};

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
    /// Per border segment: the capacity of its official crossings (people
    /// a day), summed in the segment's order.
    pub official_capacity: Vec<f64>,
    /// Per border segment: the capacity of its informal crossings (people
    /// a day), summed in the segment's order.
    pub informal_capacity: Vec<f64>,
    /// Indices (into `World::levers`) of the offer levers, in scenario order:
    /// M3 reads every faction's terms each day.
    pub offer_levers: Vec<usize>,
    /// Indices of the payroll levers, in scenario order: M4 reads them for
    /// every paid group each day.
    pub payroll_levers: Vec<usize>,
    /// Per armed group: its sponsors other than the host (the sources of
    /// funds, arms, commands and combat-support ties pointing at it) with
    /// the channel and the tie's weight, in scenario order (M1's received
    /// support).
    pub sponsors: Vec<Vec<(ActorRef, TieKind, f64)>>,
    /// Per armed group: the weight of the arms ties pointing at it, summed
    /// in scenario order: the share of its materiel its sponsors deliver
    /// (M2's stocks).
    pub arms_share: Vec<f64>,
    /// Per armed group: the states that offer it sanctuary (patrons or
    /// outside powers) with the tie's weight, in scenario order (M1 level,
    /// M7 reach). Not part of `sponsors`: shelter is not support the
    /// client's morale counts.
    pub sanctuary: Vec<Vec<(ActorRef, f64)>>,
    /// Per community: the states whose gas and power exports supply its
    /// electricity, with the tie's weight (the share they supply), in
    /// scenario order (M1 level, M6 hardship).
    pub energy: Vec<Vec<(ActorRef, f64)>>,
    /// Per armed group: the pays and funds ties pointing at it, in scenario
    /// order (M2's income).
    pub income: Vec<Vec<Income>>,
    /// Per armed group: the daily revenue of each crossing it controls times
    /// the control tie's weight (US dollars a day), in scenario order (M2).
    pub controlled_revenue: Vec<Vec<f64>>,
    /// Per community: the authorities it follows by ideology, with the ties'
    /// weights, in scenario order (M6's guidance).
    pub followed: Vec<Vec<(AuthorityId, f64)>>,
    /// The ties that pull on a group's allegiance (M3), in scenario order.
    pub pulls: Vec<Pull>,
    /// Per patron: the factions tied to it by ideology that hold a home
    /// region, with the region, in scenario order (M5: the factions its
    /// loose newcomers can join).
    pub faithful: Vec<Vec<(GroupId, RegionId)>>,
    /// The hostile ties from a faction to an outside power, in scenario
    /// order (M10: the holdouts that strike back at a power's troops).
    pub retaliation: Vec<usize>,
}

/// A tie that brings a group income (M2).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Income {
    /// The host's payroll, with the tie's weight.
    Payroll(f64),
    /// A sponsor's funds, with the tie's weight.
    Funds(ActorRef, f64),
}

/// A tie that pulls on a group's allegiance (M3), with its weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pull {
    /// The group's ideology tie to a patron: a patron pull by continuity,
    /// and membership of the patron's peer group.
    PatronIdeology(GroupId, PatronId, f64),
    /// The group's ideology tie to an authority: a host pull by its guidance.
    Guidance(GroupId, AuthorityId, f64),
    /// A patron's command over the group: a patron pull by capacity.
    Commands(GroupId, PatronId, f64),
    /// A patron's funds or arms: a patron pull by expected support.
    Sponsorship(GroupId, f64),
    /// The host's payroll: material pull by pay rate.
    Payroll(GroupId, f64),
}

impl Links {
    /// Indexes `world`'s ties.
    pub fn new(world: &World) -> Links {
        let n = world.groups.len();
        let official = crossings_where(world, true);
        let informal = crossings_where(world, false);
        let capacity = |lists: &[Vec<CrossingId>]| -> Vec<f64> {
            lists
                .iter()
                .map(|xs| {
                    xs.iter()
                        .map(|x| world.crossings[x.index()].capacity_per_day)
                        .sum()
                })
                .collect()
        };
        let official_capacity = capacity(&official);
        let informal_capacity = capacity(&informal);
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
            official,
            informal,
            official_capacity,
            informal_capacity,
            offer_levers: (0..world.levers.len())
                .filter(|&l| matches!(world.levers[l].kind, LeverKind::Offer { .. }))
                .collect(),
            payroll_levers: (0..world.levers.len())
                .filter(|&l| matches!(world.levers[l].kind, LeverKind::Payroll { .. }))
                .collect(),
            sponsors: vec![Vec::new(); n],
            arms_share: vec![0.0; n],
            sanctuary: vec![Vec::new(); n],
            energy: vec![Vec::new(); world.communities.len()],
            income: vec![Vec::new(); n],
            controlled_revenue: vec![Vec::new(); n],
            followed: vec![Vec::new(); world.communities.len()],
            pulls: Vec::new(),
            faithful: vec![Vec::new(); world.patrons.len()],
            retaliation: Vec::new(),
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
            if tie.kind == TieKind::Hostile
                && let (ActorRef::Group(g), TieTarget::Actor(ActorRef::Outside(_))) =
                    (tie.from, tie.to)
                && world.groups[g.index()].role == GroupRole::Faction
            {
                l.retaliation.push(t);
            }
            let w = tie.weight;
            match (tie.kind, tie.from, tie.to) {
                (
                    kind @ (TieKind::Funds
                    | TieKind::Arms
                    | TieKind::Commands
                    | TieKind::CombatSupport),
                    from,
                    TieTarget::Actor(ActorRef::Group(g)),
                ) if from != ActorRef::Host => {
                    l.sponsors[g.index()].push((from, kind, w));
                    if kind == TieKind::Arms {
                        l.arms_share[g.index()] += w;
                    }
                }
                (
                    TieKind::Sanctuary,
                    from @ (ActorRef::Patron(_) | ActorRef::Outside(_)),
                    TieTarget::Actor(ActorRef::Group(g)),
                ) => l.sanctuary[g.index()].push((from, w)),
                (
                    TieKind::Energy,
                    from @ (ActorRef::Patron(_) | ActorRef::Outside(_)),
                    TieTarget::Actor(ActorRef::Community(c)),
                ) => l.energy[c.index()].push((from, w)),
                _ => {}
            }
            match (tie.kind, tie.from, tie.to) {
                (TieKind::Pays, _, TieTarget::Actor(ActorRef::Group(g))) => {
                    l.income[g.index()].push(Income::Payroll(w));
                }
                (TieKind::Funds, from, TieTarget::Actor(ActorRef::Group(g))) => {
                    l.income[g.index()].push(Income::Funds(from, w));
                }
                (TieKind::Controls, ActorRef::Group(g), TieTarget::Crossing(x)) => {
                    l.controlled_revenue[g.index()]
                        .push(w * world.crossings[x.index()].revenue_per_day);
                }
                (
                    TieKind::Ideology,
                    ActorRef::Community(c),
                    TieTarget::Actor(ActorRef::Authority(a)),
                ) => {
                    l.followed[c.index()].push((a, w));
                }
                _ => {}
            }
            if let (TieKind::Ideology, ActorRef::Group(g), TieTarget::Actor(ActorRef::Patron(p))) =
                (tie.kind, tie.from, tie.to)
                && world.groups[g.index()].role == crate::world::GroupRole::Faction
                && let Some(region) = world.groups[g.index()].region
            {
                l.faithful[p.index()].push((g, region));
            }
            let pull = match (tie.kind, tie.from, tie.to) {
                (TieKind::Ideology, ActorRef::Group(g), TieTarget::Actor(ActorRef::Patron(p))) => {
                    Some(Pull::PatronIdeology(g, p, w))
                }
                (
                    TieKind::Ideology,
                    ActorRef::Group(g),
                    TieTarget::Actor(ActorRef::Authority(a)),
                ) => Some(Pull::Guidance(g, a, w)),
                (TieKind::Commands, ActorRef::Patron(p), TieTarget::Actor(ActorRef::Group(g))) => {
                    Some(Pull::Commands(g, p, w))
                }
                (
                    TieKind::Funds | TieKind::Arms | TieKind::CombatSupport,
                    ActorRef::Patron(_),
                    TieTarget::Actor(ActorRef::Group(g)),
                ) => Some(Pull::Sponsorship(g, w)),
                (TieKind::Pays, ActorRef::Host, TieTarget::Actor(ActorRef::Group(g))) => {
                    Some(Pull::Payroll(g, w))
                }
                _ => None,
            };
            l.pulls.extend(pull);
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
