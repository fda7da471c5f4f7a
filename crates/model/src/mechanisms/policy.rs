//! Policy: what the levers in force and the state's forces mean to the
//! mechanisms that share them. Not a mechanism of the day (it is in no
//! step of `DAY_ORDER`): M9's decisions and M8's delegated levers set
//! levers, [`refresh_policy`] derives from them the [`Policy`] and the state
//! forces' allocation, and M4, M5, M6 and M7 read the quantities below.
//!
//! Why a module of its own: each of these quantities is read by more than
//! one mechanism. Kept in one of them, the others import it, and mechanisms
//! import each other in a cycle (M7 and M4 shared the reserve and the odds
//! of winning; M5 and M9 the allocation, border shares and intelligence).
//! This module imports no mechanism, so the mechanisms' import graph has no
//! cycle (`tests/tidy.rs` checks it).
//!
//! Rules:
//! - Allocation: each state force's share on each front is its
//!   `allocation` in the scenario, with a border lever in force as a floor
//!   on a segment's share (split between the lever's segments by length);
//!   the extra comes first from the reserve, then from the other fronts in
//!   proportion, so shares never exceed 1. The reserve is what is left:
//!   `r_f = max(0, 1 − Σ shares)`.
//! - Intelligence: `intel = Σ_o max(baseline_o, lever_o)` over outside
//!   powers, the baseline scaled by `outside.remote_intel` (a half) once a
//!   power's presence has ended.
//! - The state's reserve: `R = Σ_f E_f · r_f` over state forces (effective
//!   fighters).
//! - Precision: `π = 1 + w · combat support` for a group and
//!   `π_state = 1 + intel + w · combat support` for the state (w =
//!   `contest.combat_support_weight`).
//! - Odds of winning: the ratio-form contest success function
//!   `p_a = x^m / (x^m + y^m)` (Hirshleifer 1989); the state's odds against
//!   a faction are `csf(π_state · R, δ · π_g · E_g, m)`, δ =
//!   `contest.defender_advantage`, m = `contest.csf_exponent`.

use crate::ids::*;
use crate::mechanisms::Ctx;
use crate::params::Params;
use crate::state::{Policy, State};
use crate::world::{Front, GroupRole, LeverKind, OfferPart};

/// Derives the [`Policy`] and the state forces' allocation to fronts
/// ([`allocate`]) from the levers when they have moved since they were last
/// derived. Whatever sets a lever calls it (M9's decisions, M8's delegated
/// levers), and so does the start of a run, so every
/// mechanism reads the policy of the levers in force. The values are those
/// the functions below compute from the levers; reading them from the
/// policy gives the same numbers without scanning the levers again.
pub fn refresh_policy(cx: &Ctx, state: &mut State) {
    if state.government.policy_for.as_ref() == Some(&state.government.levers) {
        return;
    }
    let w = cx.world;
    let groups = || (0..w.groups.len()).map(GroupId::at);
    let policy = Policy {
        offer_terms: groups().map(|g| offer_terms(cx, state, g)).collect(),
        force_against: groups().map(|g| force_against(cx, state, g)).collect(),
        payroll_share: groups().map(|g| payroll_share(cx, state, g)).collect(),
        policing: (0..w.regions.len())
            .map(|r| policing(cx, state, RegionId::at(r)))
            .collect(),
        neighbor_pressure: (0..w.segments.len())
            .map(|s| {
                let seg = SegmentId::at(s);
                outside_lever(cx, state, |k| {
                    matches!(k, LeverKind::NeighborPressure { segments, .. } if segments.contains(&seg))
                })
            })
            .collect(),
        intel: intel_levers(cx, state),
        guarantee: guarantee(cx, state),
        aid: outside_lever(cx, state, |k| matches!(k, LeverKind::Aid { .. }))
            .max(w.outside.iter().map(|o| o.aid).fold(0.0, f64::max)),
        dissuasion: outside_lever(cx, state, |k| matches!(k, LeverKind::Dissuasion { .. })),
    };
    state.government.policy = policy;
    state.government.policy_for = Some(state.government.levers.clone());
    allocate(cx, state);
}

fn targets_group(targets: &[GroupId], g: GroupId) -> bool {
    targets.is_empty() || targets.contains(&g)
}

/// The terms offered to a faction today: (immunity, compensation, posts), each in [0, 1].
fn offer_terms(cx: &Ctx, state: &State, g: GroupId) -> [f64; 3] {
    let mut terms = [0.0; 3];
    for &l in &cx.links.offer_levers {
        if let LeverKind::Offer { part, targets } = &cx.world.levers[l].kind
            && targets_group(targets, g)
        {
            let slot = match part {
                OfferPart::Immunity => 0,
                OfferPart::Compensation => 1,
                OfferPart::Posts => 2,
            };
            terms[slot] = f64::max(terms[slot], state.government.levers[l]);
        }
    }
    terms
}

/// The strongest third-party guarantee in force, in [0, 1].
fn guarantee(cx: &Ctx, state: &State) -> f64 {
    let mut g: f64 = 0.0;
    for (l, lever) in cx.world.levers.iter().enumerate() {
        if let LeverKind::Guarantee { power } = lever.kind {
            g = g.max(state.government.levers[l] * cx.world.outside[power.index()].guarantee);
        }
    }
    g
}

/// Intensity of force ordered against a faction, in [0, 1].
fn force_against(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    let mut f: f64 = 0.0;
    for (l, lever) in cx.world.levers.iter().enumerate() {
        if let LeverKind::Force { targets } = &lever.kind
            && targets_group(targets, g)
        {
            f = f.max(state.government.levers[l]);
        }
    }
    f
}

/// Share of a group's payroll the state pays, in [0, 1] (1 when no lever says otherwise).
fn payroll_share(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    let mut share = 1.0;
    for &l in &cx.links.payroll_levers {
        if let LeverKind::Payroll { targets } = &cx.world.levers[l].kind
            && targets.contains(&g)
        {
            share = f64::min(share, state.government.levers[l]);
        }
    }
    share
}

/// Share of a state force assigned to a segment by a border lever, if any lever covers it.
pub fn border_share(cx: &Ctx, state: &State, force: GroupId, seg: SegmentId) -> Option<f64> {
    for (l, lever) in cx.world.levers.iter().enumerate() {
        if let LeverKind::BorderShare { force: f, segments } = &lever.kind
            && *f == force
            && segments.contains(&seg)
        {
            let total_km: f64 = segments
                .iter()
                .map(|s| cx.world.segments[s.index()].length_km)
                .sum();
            let km = cx.world.segments[seg.index()].length_km;
            let part = if total_km > 0.0 {
                km / total_km
            } else {
                1.0 / segments.len() as f64
            };
            return Some(state.government.levers[l] * part);
        }
    }
    None
}

/// Intelligence support in force: the sum over outside powers of their
/// baseline intel (`outside.remote_intel` of it once their presence has
/// ended: support from over the horizon is thinner) or their intel lever
/// times their resolve (M10), whichever is larger.
pub fn intel(cx: &Ctx, state: &State) -> f64 {
    let levers = &state.government.policy.intel;
    cx.world
        .outside
        .iter()
        .zip(&state.outside)
        .zip(levers)
        .enumerate()
        .fold(0.0, |total, (o, ((power, os), lever))| {
            let baseline = if os.presence > 0.0 {
                power.intel
            } else {
                cx.p.remote_intel * power.intel
            };
            // Attacks on its troops cost the power resolve (M10): what its
            // lever adds beyond the baseline shrinks.
            let lever = if *lever > baseline {
                *lever * resolve(cx, state, OutsideId::at(o))
            } else {
                *lever
            };
            total + baseline.max(lever)
        })
}

/// Per outside power, its strongest intel lever in force (negative
/// infinity when no lever names it, so the baseline stands).
fn intel_levers(cx: &Ctx, state: &State) -> Vec<f64> {
    let mut level = vec![f64::NEG_INFINITY; cx.world.outside.len()];
    for (l, lever) in cx.world.levers.iter().enumerate() {
        if let LeverKind::Intel { power: p } = lever.kind {
            level[p.index()] = level[p.index()].max(state.government.levers[l]);
        }
    }
    level
}

/// Value of an outside-power lever of the given shape, the largest in force.
fn outside_lever(cx: &Ctx, state: &State, pick: impl Fn(&LeverKind) -> bool) -> f64 {
    cx.world
        .levers
        .iter()
        .enumerate()
        .filter(|(_, l)| pick(&l.kind))
        .map(|(i, _)| state.government.levers[i])
        .fold(0.0, f64::max)
}

/// Policing competence in a region, in [0, 1]: the leader's decisiveness,
/// raised by a policing lever that covers the region.
fn policing(cx: &Ctx, state: &State, region: RegionId) -> f64 {
    let mut level = None;
    for (l, lever) in cx.world.levers.iter().enumerate() {
        if let LeverKind::Policing { regions } = &lever.kind
            && (regions.is_empty() || regions.contains(&region))
        {
            level = Some(f64::max(level.unwrap_or(0.0), state.government.levers[l]));
        }
    }
    level.unwrap_or(0.0).max(cx.world.host.leader.decisiveness)
}

/// Share of state force `force` assigned to `front` today, in [0, 1].
///
/// A border lever sets a floor on a segment's share ("surge to at least this
/// share"); the extra comes first from the reserve, then from the other
/// fronts in proportion. Segments a lever covers share its value by length.
fn compute_front_share(cx: &Ctx, state: &State, force: GroupId, front: Front) -> f64 {
    let group = &cx.world.groups[force.index()];
    let base = |f: Front| {
        group
            .allocation
            .iter()
            .filter(|(g, _)| *g == f)
            .map(|(_, s)| *s)
            .sum::<f64>()
    };
    let lever = |f: Front| match f {
        Front::Segment(s) => border_share(cx, state, force, s),
        Front::Region(_) => None,
    };
    // Fronts: the allocation plus segments only a lever names.
    let mut raised = 0.0;
    let mut lever_base = 0.0;
    let mut others_base = 0.0;
    let mut visit = |f: Front| match lever(f) {
        Some(l) => {
            raised += base(f).max(l);
            lever_base += base(f);
        }
        None => others_base += base(f),
    };
    for &(f, _) in &group.allocation {
        visit(f);
    }
    for l in &cx.world.levers {
        if let LeverKind::BorderShare { force: f, segments } = &l.kind
            && *f == force
        {
            for &s in segments {
                if !group
                    .allocation
                    .iter()
                    .any(|(g, _)| *g == Front::Segment(s))
                {
                    visit(Front::Segment(s));
                }
            }
        }
    }
    let reserve = (1.0 - lever_base - others_base).max(0.0);
    let extra = (raised - lever_base).max(0.0);
    let from_others = (extra - reserve).max(0.0);
    match lever(front) {
        Some(l) => base(front).max(l) / raised.max(1.0),
        None if others_base > 0.0 => base(front) * (1.0 - from_others / others_base).max(0.0),
        None => base(front),
    }
}

/// Recomputes every state force's shares by front and its reserve from the
/// allocation and the border levers in force; M5, M6 and M7 read them.
/// The shares depend only on the world and the lever settings, so they are
/// derived with the rest of the policy whenever a lever moves
/// ([`refresh_policy`]).
pub fn allocate(cx: &Ctx, state: &mut State) {
    for (g, group) in cx.world.groups.iter().enumerate() {
        if group.role != GroupRole::StateForce {
            continue;
        }
        let force = GroupId::at(g);
        let mut fronts: Vec<Front> = group.allocation.iter().map(|(f, _)| *f).collect();
        for lever in &cx.world.levers {
            if let LeverKind::BorderShare { force: f, segments } = &lever.kind
                && *f == force
            {
                fronts.extend(segments.iter().map(|s| Front::Segment(*s)));
            }
        }
        fronts.sort_by_key(|f| match f {
            Front::Segment(s) => (0, s.0),
            Front::Region(r) => (1, r.0),
        });
        fronts.dedup();
        let shares: Vec<(Front, f64)> = fronts
            .iter()
            .map(|f| (*f, compute_front_share(cx, state, force, *f)))
            .collect();
        let assigned: f64 = shares.iter().map(|(_, s)| s).sum();
        state.reserve[g] = (1.0 - assigned).max(0.0);
        state.allocation[g] = shares;
    }
}

/// Share of state force `force` assigned to `front` today, in [0, 1] (as
/// last computed by [`allocate`]).
pub fn front_share(_cx: &Ctx, state: &State, force: GroupId, front: Front) -> f64 {
    state.allocation[force.index()]
        .iter()
        .filter(|(f, _)| *f == front)
        .map(|(_, s)| *s)
        .sum()
}

/// Share of a force in reserve (not on any front), in [0, 1].
pub fn reserve_share(_cx: &Ctx, state: &State, force: GroupId) -> f64 {
    state.reserve[force.index()]
}

/// Effective state strength on every front today (fighters): per segment
/// (the guards) and per region (the police), in one pass over the state
/// forces' allocations.
///
/// Each front's total adds `effective × share` over the state forces in
/// group order, the terms a per-front scan with [`front_share`] would add
/// (a force without that front adds zero), so the sums are the same bits.
pub fn strength_on_fronts(cx: &Ctx, state: &State) -> FrontStrength {
    let mut out = FrontStrength {
        segments: vec![0.0; cx.world.segments.len()],
        regions: vec![0.0; cx.world.regions.len()],
    };
    for (i, group) in cx.world.groups.iter().enumerate() {
        if group.role != GroupRole::StateForce {
            continue;
        }
        let effective = state.groups[i].effective;
        for &(front, share) in &state.allocation[i] {
            match front {
                Front::Segment(s) => out.segments[s.index()] += effective * share,
                Front::Region(r) => out.regions[r.index()] += effective * share,
            }
        }
    }
    out
}

/// Effective state strength by front, as [`strength_on_fronts`] computes it.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontStrength {
    /// Per border segment: the guards (effective fighters).
    pub segments: Vec<f64>,
    /// Per region: the state forces policing it (effective fighters).
    pub regions: Vec<f64>,
}

/// Effective strength the state can commit against a target: the reserve of
/// every state force (used by M7 and by the coercion term).
pub fn state_reserve(cx: &Ctx, state: &State) -> f64 {
    cx.world
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == GroupRole::StateForce)
        .map(|(i, _)| state.groups[i].effective * reserve_share(cx, state, GroupId::at(i)))
        .sum()
}

/// Contest success function for side a: `x^m / (x^m + y^m)`.
pub fn csf(a: f64, b: f64, m: f64) -> f64 {
    let (x, y) = (
        patronfall_math::powf(a.max(0.0), m),
        patronfall_math::powf(b.max(0.0), m),
    );
    if x + y <= 0.0 { 0.5 } else { x / (x + y) }
}

/// Probability the state prevails against a faction if it commits its whole
/// reserve against the faction's defence.
pub fn state_win_probability(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    let precision = state_precision(cx, state);
    let reserve = state_reserve(cx, state);
    csf(
        precision * reserve,
        cx.p.defender_advantage * precision_of(cx, state, g) * in_reach(state, g.index()),
        cx.p.csf_exponent,
    )
}

/// A group's effective strength within the state's reach: what shelters
/// in its sanctuary across the border cannot be attacked (M7).
pub fn in_reach(state: &State, g: usize) -> f64 {
    let gs = &state.groups[g];
    (1.0 - gs.sanctuary) * gs.effective
}

/// A group's precision in a contest: `1 + w · combat support` (M1's
/// combat-support channel, w = `contest.combat_support_weight`).
pub fn precision_of(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    1.0 + cx.p.combat_support_weight * state.groups[g.index()].combat_support
}

/// The state's precision: `1 + intel + w · combat support`, the combat
/// support of its forces weighted by their effective strength.
pub fn state_precision(cx: &Ctx, state: &State) -> f64 {
    let (mut support, mut weight) = (0.0, 0.0);
    for (g, group) in cx.world.groups.iter().enumerate() {
        if group.role == GroupRole::StateForce {
            let e = state.groups[g].effective.max(0.0);
            support += e * state.groups[g].combat_support;
            weight += e;
        }
    }
    let support = if weight > 0.0 { support / weight } else { 0.0 };
    1.0 + intel(cx, state) + cx.p.combat_support_weight * support
}

/// The backing the host's forces still expect from their sponsors, against
/// what they were used to: the effective-strength-weighted mean of
/// `min(1, E_g / s_g,0)` over the state forces (1 with no sponsors).
pub fn backing(cx: &Ctx, state: &State) -> f64 {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (g, group) in cx.world.groups.iter().enumerate() {
        if group.role == GroupRole::StateForce {
            let gs = &state.groups[g];
            let e = gs.effective.max(0.0) + 1e-9;
            let relative = if gs.support_start > 0.0 {
                (gs.expected_support / gs.support_start).clamp(0.0, 1.0)
            } else {
                1.0
            };
            sum += e * relative;
            weight += e;
        }
    }
    if weight > 0.0 { sum / weight } else { 1.0 }
}

/// Whether group g is under attack today: the defender of an ongoing
/// operation, or a state force while an insurgent offensive on a region is
/// fought (every state force defends with its police there and its
/// reserve). Its patrons reinforce it (M1).
pub fn under_attack(cx: &Ctx, state: &State, g: usize) -> bool {
    let state_force = cx.world.groups[g].role == GroupRole::StateForce;
    state.operations.iter().filter(|o| !o.over).any(|o| {
        o.defender.index() == g
            || (state_force
                && o.region.is_some()
                && cx.world.groups[o.attacker.index()].role != GroupRole::StateForce)
    })
}

/// An outside power's resolve, in [0, 1]: `max(0, 1 − k · attacks)`, k =
/// `outside.attack_resolve`, the share of its support beyond its baseline
/// it still lends the host after the attacks its troops have suffered.
pub fn resolve(cx: &Ctx, state: &State, o: OutsideId) -> f64 {
    (1.0 - cx.p.attack_resolve * state.outside[o.index()].attacks).clamp(0.0, 1.0)
}

/// Value of an offer before credibility, in [0, 1]: the mean of its terms
/// (immunity, compensation, posts) weighted by `government.immunity_weight`,
/// `government.compensation_weight` and `government.posts_weight` (0.4,
/// 0.4 and 0.2: the seeds name immunity and compensation first); 0 when
/// every weight is 0.
pub fn offer_value(p: &Params, terms: [f64; 3]) -> f64 {
    let total = p.immunity_weight + p.compensation_weight + p.posts_weight;
    if total <= 0.0 {
        return 0.0;
    }
    (p.immunity_weight * terms[0] + p.compensation_weight * terms[1] + p.posts_weight * terms[2])
        / total
}

/// Credibility of the government's offers today, in [0, 1]:
/// `1 - (1 - c_gov)(1 - c_judiciary * immunity)(1 - c_guarantee)` with
/// `c_gov = integrity * (b + (1 - b) * decisiveness)`, b =
/// `government.indecisive_credibility`; a third-party guarantee
/// is the guarantor's credibility times its guarantee lever (Walter 1997).
pub fn offer_credibility(cx: &Ctx, state: &State, immunity: f64) -> f64 {
    OfferCredibility::today(cx, state).at(immunity)
}

/// The parts of [`offer_credibility`] that do not depend on the offer, for
/// a mechanism that judges many offers on the same day.
#[derive(Clone, Copy, Debug)]
pub struct OfferCredibility {
    /// `c_gov`, in [0, 1].
    government: f64,
    /// The most credible judiciary's credibility, in [0, 1].
    judiciary: f64,
    /// `c_guarantee`, in [0, 1].
    guarantee: f64,
}

impl OfferCredibility {
    /// Today's parts.
    pub fn today(cx: &Ctx, state: &State) -> OfferCredibility {
        let leader = &cx.world.host.leader;
        OfferCredibility {
            government: leader.integrity
                * (cx.p.indecisive_credibility
                    + (1.0 - cx.p.indecisive_credibility) * leader.decisiveness),
            judiciary: cx
                .world
                .authorities
                .iter()
                .filter(|a| a.role == crate::world::AuthorityRole::Judiciary)
                .map(|a| a.credibility)
                .fold(0.0, f64::max),
            guarantee: state.government.policy.guarantee,
        }
    }

    /// The credibility of an offer with this immunity term, in [0, 1].
    pub fn at(&self, immunity: f64) -> f64 {
        let c_jud = self.judiciary * immunity;
        1.0 - (1.0 - self.government) * (1.0 - c_jud) * (1.0 - self.guarantee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csf_is_symmetric_and_monotone() {
        assert!((csf(1.0, 1.0, 1.0) - 0.5).abs() < 1e-12);
        assert!(csf(2.0, 1.0, 1.0) > csf(1.5, 1.0, 1.0));
        assert!((csf(3.0, 1.0, 1.0) - 0.75).abs() < 1e-12);
        assert!(csf(3.0, 1.0, 2.0) > csf(3.0, 1.0, 1.0));
        assert_eq!(csf(0.0, 0.0, 1.0), 0.5);
    }
}
