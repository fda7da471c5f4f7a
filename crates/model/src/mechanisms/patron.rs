//! M1 Patron: capacity, regime state, clients' expected support, and the
//! flight of the patron's pools toward the border.
//!
//! Rules (brief §4 M1):
//! - Capacity c(t) in [0, 1] follows the active trajectory: linear from its
//!   value at the onset to the floor over the event's duration (collapse or
//!   pullback). Regime: stable → strained (pullback) or collapsing →
//!   collapsed (collapse, once the floor is reached) → successor (event).
//! - A sponsor's support level is, for a patron,
//!   `ℓ = c(t) · (1 + w·(P_host/P_host,0 − 1)) · (1 − cut)`, clamped to
//!   [0, 1.5], where P_host is its personnel in the host theatre (S2: personnel
//!   redirected to the host raise support; withdrawn personnel lower it) and
//!   `cut` is the share cut by announced decisions now in effect; for an
//!   outside power, `ℓ = 1 − cut`.
//! - A client's received support s_g is the tie-weighted mean level of its
//!   sponsors (funds, arms and commands ties); its expected support E_g follows
//!   the announced support ŝ_g with a lag: `E_g ← E_g + (ŝ_g − E_g)/τ`
//!   (τ = `patron.expectation_lag`), where `ŝ_g = s_g + b · (s̄_g − s_g)`,
//!   s̄_g is s_g with every cut a sponsor has announced but not yet made
//!   counted as in force and b = `patron.announcement_belief`: clients
//!   believe a share of the announcement. Announcements also lower E_g at
//!   once (events module).
//! - Reinforcement: while a client is under attack (the defender of an
//!   operation, or a state force defending a region against an offensive),
//!   each of its patrons whose regime stands (stable or strained) raises the
//!   levels that rest on its personnel (commands, combat support) to that
//!   client by the share `patron.surge`: `min(1.5, ℓ · (1 + ρ))`. Resupply
//!   needs no rule of its own: an intact sponsor's arms deliveries already
//!   follow the client's use of supply in combat (M2).
//! - Flight (S4): once a collapse starts, each pool sends
//!   `leavers · r · progress` people a day toward its routes, where r is
//!   `patron.flight_rate` and `progress` the share of the collapse completed.

use crate::ids::*;
use crate::mechanisms::Ctx;
use crate::observer::{Narrator, Topic};
use crate::state::{Flow, Regime, Source, State};
use crate::world::TieKind;

/// Updates capacity, regime and flight, and queues today's flows.
pub fn step(cx: &Ctx, state: &mut State, narr: &mut Narrator) {
    for (pi, ps) in state.patrons.iter_mut().enumerate() {
        if let Some((day, share)) = ps.pending_cut
            && day <= cx.day
        {
            ps.cut = (ps.cut + share).min(1.0);
            ps.pending_cut = None;
        }
        if let Some(traj) = ps.trajectory {
            ps.capacity = traj.capacity(cx.day).clamp(0.0, 1.0);
            let span = traj.from - traj.floor;
            if span > 0.0 && ps.regime == Regime::Collapsing {
                ps.collapse_progress = ((traj.from - ps.capacity) / span).clamp(0.0, 1.0);
            }
            if ps.regime == Regime::Collapsing && ps.collapse_progress >= 1.0 {
                ps.regime = Regime::Collapsed;
                let name = &cx.world.patrons[pi].name;
                let cap = ps.capacity;
                narr.say(
                    Topic::Patron,
                    3,
                    || format!("{name}'s regime has collapsed: capacity {cap:.2}"),
                    &[("capacity", cap)],
                );
            }
        }
        if !ps.fleeing {
            continue;
        }
        let patron = &cx.world.patrons[pi];
        for (qi, pool) in patron.pools.iter().enumerate() {
            let q = &mut ps.pools[qi];
            let leaving = q.leavers * (cx.p.flight_rate * ps.collapse_progress).clamp(0.0, 1.0);
            if leaving <= 0.0 {
                continue;
            }
            let total_w: f64 = pool.routes.iter().map(|r| r.1).sum();
            if total_w <= 0.0 {
                continue;
            }
            q.leavers -= leaving;
            for &(segment, w) in &pool.routes {
                state.flows.push(Flow {
                    source: Source::Pool(PatronId::at(pi), qi),
                    segment,
                    people: leaving * w / total_w,
                });
            }
        }
    }
}

/// A sponsor's support level today on one channel (see the module rules).
pub fn sponsor_level(cx: &Ctx, state: &State, sponsor: ActorRef, channel: TieKind) -> f64 {
    level_with_cut(cx, state, sponsor, channel, |cut, _| cut)
}

/// A sponsor's support level on one channel once the cut it has announced
/// but not yet made is in force: what its clients expect (M1).
pub fn announced_level(cx: &Ctx, state: &State, sponsor: ActorRef, channel: TieKind) -> f64 {
    level_with_cut(cx, state, sponsor, channel, |cut, pending| match pending {
        Some((_, share)) => (cut + share).min(1.0),
        None => cut,
    })
}

/// Whether any sponsor has announced a cut not yet in force.
fn any_pending_cut(state: &State) -> bool {
    state.patrons.iter().any(|p| p.pending_cut.is_some())
        || state.outside.iter().any(|o| o.pending_cut.is_some())
}

/// The factor a sponsor's presence puts on the channels that rest on its
/// personnel: `1 + w · (P/P_0 − 1)` for a patron's host theatre, the share
/// of its troops still present for an outside power, 1 for the rest.
fn presence_factor(cx: &Ctx, state: &State, sponsor: ActorRef) -> f64 {
    match sponsor {
        ActorRef::Patron(p) => {
            let ps = &state.patrons[p.index()];
            let mut factor = 1.0;
            for (t, theater) in cx.world.patrons[p.index()].theaters.iter().enumerate() {
                if theater.is_host && theater.personnel > 0.0 {
                    factor =
                        1.0 + cx.p.presence_weight * (ps.personnel[t] / theater.personnel - 1.0);
                }
            }
            factor
        }
        ActorRef::Outside(o) => {
            let start = cx.world.outside[o.index()].presence;
            if start > 0.0 {
                (state.outside[o.index()].presence / start).clamp(0.0, 1.0)
            } else {
                1.0
            }
        }
        _ => 1.0,
    }
}

/// The most a sponsor's level on a channel can reach, as a multiple of its
/// baseline: more personnel in the host theatre raises support
/// (`patron.presence_weight`), but a surge cannot multiply it without
/// bound (A1).
const MAX_LEVEL: f64 = 1.5;

fn level_with_cut(
    cx: &Ctx,
    state: &State,
    sponsor: ActorRef,
    channel: TieKind,
    cut: impl Fn(f64, Option<(u32, f64)>) -> f64,
) -> f64 {
    let presence = if channel.needs_presence() {
        presence_factor(cx, state, sponsor)
    } else {
        1.0
    };
    let k = channel.channel().unwrap_or(0);
    // Energy exports are trade with the host, not support of clients: they
    // outlive the regime's reach and its announced cuts of support, and stop
    // only by a `cut` of the channel.
    if channel == TieKind::Energy {
        let channel_cut = match sponsor {
            ActorRef::Patron(p) => state.patrons[p.index()].channel_cut[k],
            ActorRef::Outside(o) => state.outside[o.index()].channel_cut[k],
            _ => 0.0,
        };
        return 1.0 - channel_cut;
    }
    match sponsor {
        ActorRef::Patron(p) => {
            let ps = &state.patrons[p.index()];
            (ps.capacity
                * presence
                * (1.0 - cut(ps.cut, ps.pending_cut))
                * (1.0 - ps.channel_cut[k]))
                .clamp(0.0, MAX_LEVEL)
        }
        ActorRef::Outside(o) => {
            let os = &state.outside[o.index()];
            (presence * (1.0 - cut(os.cut, os.pending_cut)) * (1.0 - os.channel_cut[k]))
                .clamp(0.0, MAX_LEVEL)
        }
        _ => 1.0,
    }
}

/// Every sponsor's level on every channel, `[patrons, outside]` each indexed
/// `sponsor · C + channel`, C the number of channels (the order of
/// [`TieKind::CHANNELS`]).
pub type Levels = (Vec<f64>, Vec<f64>);

/// Each sponsor's level on every channel today, computed once a day.
pub fn levels(cx: &Ctx, state: &State) -> Levels {
    levels_by(cx, state, sponsor_level)
}

fn levels_by(cx: &Ctx, state: &State, f: fn(&Ctx, &State, ActorRef, TieKind) -> f64) -> Levels {
    let of = |sponsor: ActorRef| TieKind::CHANNELS.map(|k| f(cx, state, sponsor, k));
    let patrons = (0..state.patrons.len())
        .flat_map(|p| of(ActorRef::Patron(PatronId::at(p))))
        .collect();
    let outside = (0..state.outside.len())
        .flat_map(|o| of(ActorRef::Outside(OutsideId::at(o))))
        .collect();
    (patrons, outside)
}

/// A sponsor's level on a channel from the day's [`Levels`].
pub fn level_of(levels: &Levels, sponsor: ActorRef, channel: TieKind) -> f64 {
    let k = channel.channel().unwrap_or(0);
    let c = TieKind::CHANNELS.len();
    match sponsor {
        ActorRef::Patron(p) => levels.0[p.index() * c + k],
        ActorRef::Outside(o) => levels.1[o.index() * c + k],
        _ => 1.0,
    }
}

/// Whether a tie kind carries sponsorship (support a client can lose).
pub fn is_sponsorship(kind: TieKind) -> bool {
    kind.channel().is_some()
}

/// Updates each group's received and expected support, and the precision
/// its sponsors' combat support lends it.
pub fn update_support(cx: &Ctx, state: &mut State) {
    let today = levels(cx, state);
    let surge = surges(cx, state);
    let received = support_by_group(cx, &today, &surge);
    // Clients expect the level a sponsor has announced, not the one it still
    // gives; without pending cuts the two are the same numbers.
    let expected: Option<Vec<f64>> = any_pending_cut(state).then(|| {
        let belief = cx.p.announcement_belief;
        support_by_group(cx, &levels_by(cx, state, announced_level), &surge)
            .into_iter()
            .zip(&received)
            .map(|(announced, now)| now + belief * (announced - now))
            .collect()
    });
    let pending = |sponsor: ActorRef| match sponsor {
        ActorRef::Patron(p) => state.patrons[p.index()].pending_cut.is_some(),
        ActorRef::Outside(o) => state.outside[o.index()].pending_cut.is_some(),
        _ => false,
    };
    // Once the announced cut is made, reality replaces the belief.
    let believing: Vec<bool> = cx
        .links
        .sponsors
        .iter()
        .map(|ties| ties.iter().any(|&(s, _, _)| pending(s)))
        .collect();
    for (g, (gs, support)) in state.groups.iter_mut().zip(received).enumerate() {
        if !believing[g] {
            gs.expectation_offset = 0.0;
        }
        let target = expected.as_ref().map_or(support, |e| e[g]) - gs.expectation_offset;
        gs.support = support;
        gs.expected_support += (target - gs.expected_support) / cx.p.expectation_lag.max(1.0);
        gs.combat_support = cx.links.sponsors[g]
            .iter()
            .filter(|(_, kind, _)| *kind == TieKind::CombatSupport)
            .map(|&(sponsor, kind, w)| {
                w * surged(cx, &today, reinforcing(&surge, g), sponsor, kind)
            })
            .sum();
        gs.sanctuary = cx.links.sanctuary[g]
            .iter()
            .map(|&(state, w)| w * level_of(&today, state, TieKind::Sanctuary))
            .sum::<f64>()
            .min(1.0);
        gs.expectation_offset *= 1.0 - gs.expectation_decay;
    }
    state.sponsor_levels = today;
}

/// The patrons that reinforce each group today (by group index): a
/// client under attack (the defender of an operation, or a state force
/// while a region is defended against an offensive) is reinforced by each
/// of its patrons whose regime stands (stable or strained; a collapsing,
/// collapsed or successor regime sends nobody). Empty for every other group;
/// empty altogether (no allocation) on a day without fighting.
fn surges(cx: &Ctx, state: &State) -> Vec<Vec<PatronId>> {
    if state.operations.iter().all(|o| o.over) {
        return Vec::new();
    }
    let mut out = vec![Vec::new(); state.groups.len()];
    for (g, ties) in cx.links.sponsors.iter().enumerate() {
        if !crate::mechanisms::policy::under_attack(cx, state, g) {
            continue;
        }
        for &(sponsor, _, _) in ties {
            if let ActorRef::Patron(p) = sponsor
                && matches!(
                    state.patrons[p.index()].regime,
                    Regime::Stable | Regime::Strained
                )
                && !out[g].contains(&p)
            {
                out[g].push(p);
            }
        }
    }
    out
}

/// The patrons reinforcing group g today, from [`surges`].
fn reinforcing(surge: &[Vec<PatronId>], g: usize) -> &[PatronId] {
    surge.get(g).map_or(&[], Vec::as_slice)
}

/// A sponsor's level on a channel for a client that `reinforcing` patrons
/// are reinforcing: a patron reinforcing it raises the channels that rest
/// on its personnel (advisers, crews, air power) by the share
/// `patron.surge`, up to the ceiling every level has. The Soviet Union's
/// 1977-78 airlift of arms, advisers and Cuban troops to a client under
/// invasion is the pattern (cases brief 3, C33); a drained patron sends
/// little (Russia's limited air strikes for Assad in 2024, domain-facts
/// 6.2), which the level's capacity and cuts already say.
#[inline]
fn surged(
    cx: &Ctx,
    levels: &Levels,
    reinforcing: &[PatronId],
    sponsor: ActorRef,
    kind: TieKind,
) -> f64 {
    let level = level_of(levels, sponsor, kind);
    match sponsor {
        ActorRef::Patron(p) if kind.needs_presence() && reinforcing.contains(&p) => {
            (level * (1.0 + cx.p.surge)).min(MAX_LEVEL)
        }
        _ => level,
    }
}

/// Each group's tie-weighted mean level of its sponsors over every channel
/// they support it through, with the patrons reinforcing it (`surge`, by
/// group) surging.
fn support_by_group(cx: &Ctx, levels: &Levels, surge: &[Vec<PatronId>]) -> Vec<f64> {
    cx.links
        .sponsors
        .iter()
        .enumerate()
        .map(|(g, ties)| {
            let mut weighted = 0.0;
            let mut weights = 0.0;
            for &(sponsor, kind, weight) in ties {
                weighted += weight * surged(cx, levels, reinforcing(surge, g), sponsor, kind);
                weights += weight;
            }
            if weights > 0.0 {
                weighted / weights
            } else {
                1.0
            }
        })
        .collect()
}
