//! M9 Leadership and government policy: the course of action's levers, the
//! decision delay, and the leader's profile.
//!
//! Rule: a course of action's setting (or a trigger that fires) is a decision;
//! it takes effect after a delay. For the government's levers the delay is
//!
//! `delay = D * (1 - decisiveness) * (1 + w * constraint)` days,
//!
//! where D is `government.decision_delay`, w is `government.constraint_weight`
//! and `constraint` is the seat share of the blocs aligned with the patron,
//! weighted by their alignment and by the patrons' mean capacity (a weakened
//! patron frees the government's hand: seed 000's "caught off guard" blocs).
//! Outside powers act after `outside.response_delay` days (the seeds' 72 hours).
//! Triggers are checked each day, from their first day, on the outcomes up to
//! the previous day; each fires at most once.
//!
//! The leader's profile also sets the credibility of offers (integrity and
//! decisiveness; Walter 1997's commitment problem) and feeds legitimacy (M6).

use crate::ids::*;
use crate::mechanisms::Ctx;
use crate::observer::{Narrator, Topic};
use crate::outcomes::Reductions;
use crate::state::{Policy, State};
use crate::world::{LeverKind, OfferPart};

/// The government's decision delay today (days).
pub fn decision_delay(cx: &Ctx, state: &State) -> f64 {
    let leader = &cx.world.host.leader;
    cx.p.decision_delay
        * (1.0 - leader.decisiveness)
        * (1.0 + cx.p.constraint_weight * political_constraint(cx, state))
}

/// Seat share of patron-aligned blocs, weighted by alignment and by the
/// patrons' mean capacity, in [0, 1].
pub fn political_constraint(cx: &Ctx, state: &State) -> f64 {
    let seats: f64 = cx.world.blocs.iter().map(|b| b.seats).sum();
    if seats <= 0.0 {
        return 0.0;
    }
    let aligned: f64 = cx
        .world
        .blocs
        .iter()
        .map(|b| b.seats * b.patron_alignment)
        .sum();
    (aligned / seats) * mean_capacity(state)
}

/// Mean capacity of the patrons (1 when there are none).
pub fn mean_capacity(state: &State) -> f64 {
    if state.patrons.is_empty() {
        1.0
    } else {
        state.patrons.iter().map(|p| p.capacity).sum::<f64>() / state.patrons.len() as f64
    }
}

/// Takes today's decisions and applies those whose delay has passed.
pub fn step(cx: &Ctx, state: &mut State, so_far: &Reductions, narr: &mut Narrator) {
    crate::mechanisms::coalition::step(cx, state, narr);
    let day = cx.day;
    let gov_delay = decision_delay(cx, state).round().max(0.0) as u32;
    let outside_delay = cx.p.response_delay.round().max(0.0) as u32;
    let delay_of = |lever: LeverId| {
        if cx.world.levers[lever.index()].kind.by_government() {
            gov_delay
        } else {
            outside_delay
        }
    };
    for s in cx.coa.settings.iter().filter(|s| s.from_day == day) {
        let effective = day + delay_of(s.lever);
        state.government.pending.push((effective, s.lever, s.value));
    }
    for (i, t) in cx.coa.triggers.iter().enumerate() {
        if state.government.fired[i] || day < t.from_day || !so_far.holds(&t.when) {
            continue;
        }
        state.government.fired[i] = true;
        let effective = day + delay_of(t.lever);
        state.government.pending.push((effective, t.lever, t.value));
        let lever = &cx.world.levers[t.lever.index()];
        narr.say(
            Topic::Government,
            2,
            || {
                format!(
                    "trigger: {} {} {} {} held, so {} will be set to {} (in effect on day {})",
                    t.when.stat.name(),
                    t.when.outcome.name(),
                    t.when.op.symbol(),
                    t.when.value,
                    lever.name,
                    t.value,
                    effective
                )
            },
            &[
                ("observed", so_far.value(t.when.outcome, t.when.stat)),
                ("threshold", t.when.value),
            ],
        );
    }
    // Apply due decisions in the order they were taken.
    let mut i = 0;
    while i < state.government.pending.len() {
        let (effective, lever, value) = state.government.pending[i];
        if effective <= day {
            state.government.pending.remove(i);
            if crate::mechanisms::coalition::refuses(
                cx,
                state.government.fell.is_some(),
                lever.index(),
            ) {
                continue;
            }
            let old = state.government.levers[lever.index()];
            state.government.levers[lever.index()] = value;
            if old != value {
                let name = &cx.world.levers[lever.index()].name;
                narr.say(
                    Topic::Government,
                    2,
                    || format!("{name} set to {value} (was {old})"),
                    &[("value", value), ("previous", old)],
                );
            }
        } else {
            i += 1;
        }
    }
    refresh_policy(cx, state);
}

/// Derives the [`Policy`] and the state forces' allocation to fronts (M5's
/// `firebreak::allocate`) from the levers when they have moved since they
/// were last derived. Whatever sets a lever calls it (M9's decisions here,
/// M8's delegated levers), and so does the start of a run, so every
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
    crate::mechanisms::firebreak::allocate(cx, state);
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

/// Value of an offer before credibility, in [0, 1]: immunity and compensation
/// weigh 0.4 each, posts 0.2 (the seeds name immunity and compensation first).
pub fn offer_value(terms: [f64; 3]) -> f64 {
    0.4 * terms[0] + 0.4 * terms[1] + 0.2 * terms[2]
}

/// Credibility of the government's offers today, in [0, 1]:
/// `1 - (1 - c_gov)(1 - c_judiciary * immunity)(1 - c_guarantee)` with
/// `c_gov = integrity * (0.5 + 0.5 * decisiveness)`; a third-party guarantee
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
            government: leader.integrity * (0.5 + 0.5 * leader.decisiveness),
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
/// baseline intel (half of it once their presence has ended: support from
/// over the horizon is thinner) or their intel lever, whichever is larger.
pub fn intel(cx: &Ctx, state: &State) -> f64 {
    let levers = &state.government.policy.intel;
    cx.world
        .outside
        .iter()
        .zip(&state.outside)
        .zip(levers)
        .fold(0.0, |total, ((power, os), lever)| {
            let baseline = if os.presence > 0.0 {
                power.intel
            } else {
                0.5 * power.intel
            };
            total + baseline.max(*lever)
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
