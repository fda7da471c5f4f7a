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

/// A sponsor's support level today (see the module rules).
pub fn sponsor_level(cx: &Ctx, state: &State, sponsor: crate::ids::ActorRef) -> f64 {
    level_with_cut(cx, state, sponsor, |cut, _| cut)
}

/// A sponsor's support level once the cut it has announced but not yet made
/// is in force: what its clients expect (M1).
pub fn announced_level(cx: &Ctx, state: &State, sponsor: crate::ids::ActorRef) -> f64 {
    level_with_cut(cx, state, sponsor, |cut, pending| match pending {
        Some((_, share)) => (cut + share).min(1.0),
        None => cut,
    })
}

/// Whether any sponsor has announced a cut not yet in force.
fn any_pending_cut(state: &State) -> bool {
    state.patrons.iter().any(|p| p.pending_cut.is_some())
        || state.outside.iter().any(|o| o.pending_cut.is_some())
}

fn level_with_cut(
    cx: &Ctx,
    state: &State,
    sponsor: crate::ids::ActorRef,
    cut: impl Fn(f64, Option<(u32, f64)>) -> f64,
) -> f64 {
    match sponsor {
        ActorRef::Patron(p) => {
            let ps = &state.patrons[p.index()];
            let patron = &cx.world.patrons[p.index()];
            let mut factor = 1.0;
            for (t, theater) in patron.theaters.iter().enumerate() {
                if theater.is_host && theater.personnel > 0.0 {
                    factor =
                        1.0 + cx.p.presence_weight * (ps.personnel[t] / theater.personnel - 1.0);
                }
            }
            (ps.capacity * factor * (1.0 - cut(ps.cut, ps.pending_cut))).clamp(0.0, 1.5)
        }
        ActorRef::Outside(o) => {
            let os = &state.outside[o.index()];
            1.0 - cut(os.cut, os.pending_cut)
        }
        _ => 1.0,
    }
}

/// Whether a tie kind carries sponsorship (support a client can lose).
pub fn is_sponsorship(kind: TieKind) -> bool {
    matches!(kind, TieKind::Funds | TieKind::Arms | TieKind::Commands)
}

/// Updates each group's received and expected support.
pub fn update_support(cx: &Ctx, state: &mut State) {
    // Each sponsor's level once a day, not once per tie.
    let levels = |f: fn(&Ctx, &State, ActorRef) -> f64| {
        let patrons: Vec<f64> = (0..state.patrons.len())
            .map(|p| f(cx, state, ActorRef::Patron(PatronId::at(p))))
            .collect();
        let outside: Vec<f64> = (0..state.outside.len())
            .map(|o| f(cx, state, ActorRef::Outside(OutsideId::at(o))))
            .collect();
        (patrons, outside)
    };
    let received = support_by_group(cx, state, &levels(sponsor_level));
    // Clients expect the level a sponsor has announced, not the one it still
    // gives; without pending cuts the two are the same numbers.
    let expected: Option<Vec<f64>> = any_pending_cut(state).then(|| {
        let belief = cx.p.announcement_belief;
        support_by_group(cx, state, &levels(announced_level))
            .into_iter()
            .zip(&received)
            .map(|(announced, now)| now + belief * (announced - now))
            .collect()
    });
    for (g, (gs, support)) in state.groups.iter_mut().zip(received).enumerate() {
        let target = expected.as_ref().map_or(support, |e| e[g]);
        gs.support = support;
        gs.expected_support += (target - gs.expected_support) / cx.p.expectation_lag.max(1.0);
    }
}

/// Each group's tie-weighted mean level of its sponsors, from the levels of
/// the patrons and outside powers (`levels`); other sponsors announce no cuts.
fn support_by_group(cx: &Ctx, state: &State, levels: &(Vec<f64>, Vec<f64>)) -> Vec<f64> {
    let level = |sponsor: ActorRef| match sponsor {
        ActorRef::Patron(p) => levels.0[p.index()],
        ActorRef::Outside(o) => levels.1[o.index()],
        other => sponsor_level(cx, state, other),
    };
    (0..state.groups.len())
        .map(|g| {
            let mut weighted = 0.0;
            let mut weights = 0.0;
            for &(sponsor, weight) in &cx.links.sponsors[g] {
                weighted += weight * level(sponsor);
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
