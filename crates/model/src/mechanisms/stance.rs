//! M4 Stance and disarmament (DDR): each faction's periodic choice of stance.
//!
//! Rule (brief §4 M4): every `stance.decision_interval` days (staggered by
//! faction) a faction compares the utilities of the stances open to it and
//! draws one by a logit rule with inertia:
//! `P(o) ∝ exp(λ · (U_o + ι·[o = current]))` (λ = `stance.logit_scale`,
//! ι = `stance.inertia`). One uniform is drawn per faction per decision day,
//! whether or not it can choose.
//!
//! Terms (all in utility units, weights from the `stance.*` parameters):
//! - ideology `I = w_I · commitment · (A_patron · continuity + A_self · (1 − continuity))`:
//!   a successor regime that drops the cause does not free committed
//!   fighters from it; they carry it as their own (continuity from M1);
//! - offer `O = w_O · value · credibility` (government module; Walter 1997:
//!   a third-party guarantee raises credibility);
//! - host `H = w_H · A_host`;
//! - security dilemma `S = w_S · R/(R + E_own)`, R the effective strength of
//!   hostile armed groups outside state control;
//! - foreign precondition `F = w_F · (presence now / presence at start)` for
//!   factions that demand foreign forces leave first (domain-facts §7.4);
//! - resources `Q = w_Q · min(1, support·(1 − dependence on payroll) + illicit share)`;
//! - coercion `C = w_C · P(force) · P(state wins)`, P(force) the force lever in
//!   force against it or, before any order, `r · decisiveness` (the state's
//!   shown readiness, r = `stance.shown_readiness`), P(state wins) the contest success function of the
//!   state's reserve against the faction (M7).
//!
//! Utilities: aligned `r·I + Q − C/2`; hedging `H/2 + Q/2 − C/4`;
//! autonomous `(1 − r)·I + Q − C/2`, r the standing of the group's
//! strongest patron (its capacity against the start; 0 with no patron);
//! holdout `I + Q − C`; negotiating `O/2 + H − I/2 − S/2 − F/2`;
//! integrated `O + H − I − S − F`; insurgent (only under attack)
//! `I + Q − w_C·P(state wins)`.
//! Open stances: without an offer {aligned, hedging, autonomous}, aligned
//! only for a group a patron sponsors or holds; with an offer
//! {holdout, negotiating, integrated}; under attack {insurgent} and, with an
//! offer in force, integrated (laying down arms needs terms).
//! Integrated and dissolved are final. When a faction integrates, a share
//! `stance.splinter_commitment · commitment · A_patron` of its fighters moves
//! to its splinter group (if the scenario gives one), which holds out (S7).
//! A faction with fewer than `stance.dissolve_share` (5%) of its listed
//! fighters left dissolves.

use crate::ids::*;
use crate::mechanisms::{Ctx, policy};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::State;
use crate::world::{GroupRole, Stance, TieKind, TieTarget};

/// The utility of each open stance for one faction today.
pub fn utilities(cx: &Ctx, state: &State, g: GroupId) -> Vec<(Stance, f64)> {
    let w = cx.world;
    let p = cx.p;
    let group = &w.groups[g.index()];
    let gs = &state.groups[g.index()];
    let continuity = patron_continuity(cx, state, g);
    // When a successor regime drops the cause, committed fighters keep it as
    // their own: the cause moves from the patron to the group itself.
    let cause = gs.allegiance[0] * continuity + gs.allegiance[2] * (1.0 - continuity);
    let ideology = p.ideology_weight * group.ideology * cause;
    let terms = state.government.policy.offer_terms[g.index()];
    let value = policy::offer_value(p, terms);
    let offer = p.offer_weight * value * policy::offer_credibility(cx, state, terms[0]);
    let host = p.host_weight * gs.allegiance[1];
    let rivals = hostile_strength(cx, state, g);
    let security = p.security_weight
        * if rivals + gs.effective > 0.0 {
            rivals / (rivals + gs.effective)
        } else {
            0.0
        };
    let foreign = if group.foreign_exit_precondition {
        p.foreign_weight * foreign_presence(cx, state)
    } else {
        0.0
    };
    let payroll_dependence = crate::links::ties(w, &cx.links.to_group[g.index()])
        .filter(|t| t.kind == TieKind::Pays)
        .map(|t| t.weight)
        .sum::<f64>()
        .min(1.0);
    let illicit_share = if gs.active > 0.0 && group.cost_per_fighter > 0.0 {
        group.illicit_revenue / (gs.active * group.cost_per_fighter)
    } else {
        0.0
    };
    let resources = p.resource_weight
        * (gs.support.min(1.0) * (1.0 - payroll_dependence) + illicit_share).min(1.0);
    let state_wins = policy::state_win_probability(cx, state, g);
    let ordered = state.government.policy.force_against[g.index()];
    let p_force = if ordered > 0.0 {
        ordered
    } else {
        p.shown_readiness * w.host.leader.decisiveness
    };
    let coercion = p.coercion_weight * p_force * state_wins;
    let mut out = Vec::with_capacity(3);
    if gs.stance == Stance::Insurgent {
        out.push((
            Stance::Insurgent,
            ideology + resources - p.coercion_weight * state_wins,
        ));
        // Laying down arms needs terms: with no offer in force an
        // insurgency fights on, and its fighters leave only by desertion
        // or defeat (Walter 1997: settlements need terms someone will keep).
        if value > 0.0 {
            out.push((
                Stance::Integrated,
                offer.max(0.0) + host - ideology - security - foreign,
            ));
        }
    } else if value > 0.0 {
        out.push((Stance::Holdout, ideology + resources - coercion));
        out.push((
            Stance::Negotiating,
            offer / 2.0 + host - ideology / 2.0 - security / 2.0 - foreign / 2.0,
        ));
        out.push((
            Stance::Integrated,
            offer + host - ideology - security - foreign,
        ));
    } else {
        // The cause is followed with the patron while the patron stands,
        // and on the group's own as the patron fails; a group with no
        // patron has only its own way.
        let standing = patron_standing(cx, state, g);
        if let Some(r) = standing {
            out.push((Stance::Aligned, r * ideology + resources - coercion / 2.0));
        }
        out.push((
            Stance::Hedging,
            host / 2.0 + resources / 2.0 - coercion / 4.0,
        ));
        out.push((
            Stance::Autonomous,
            (1.0 - standing.unwrap_or(0.0)) * ideology + resources - coercion / 2.0,
        ));
    }
    out
}

/// How much of its strength the group's strongest patron still has, r =
/// max over its patrons of min(1, capacity / capacity before any shock),
/// in [0, 1]; `None` when no patron sponsors it or holds its allegiance
/// (an `ideology` tie to a patron, or a `funds`, `arms`, `commands` or
/// `combat_support` tie from one).
pub fn patron_standing(cx: &Ctx, state: &State, g: GroupId) -> Option<f64> {
    let sponsored = cx.links.sponsors[g.index()]
        .iter()
        .filter_map(|&(s, _, _)| match s {
            ActorRef::Patron(p) => Some(p),
            _ => None,
        });
    let devoted = crate::links::ties(cx.world, &cx.links.from_group[g.index()]).filter_map(|t| {
        match (t.kind, t.to) {
            (TieKind::Ideology, TieTarget::Actor(ActorRef::Patron(p))) => Some(p),
            _ => None,
        }
    });
    sponsored.chain(devoted).fold(None, |best: Option<f64>, p| {
        let ps = &state.patrons[p.index()];
        let r = if ps.baseline > 0.0 {
            (ps.capacity / ps.baseline).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Some(best.map_or(r, |b| b.max(r)))
    })
}

fn patron_continuity(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    let mut c: f64 = 0.0;
    let mut any = false;
    for t in crate::links::ties(cx.world, &cx.links.from_group[g.index()]) {
        if t.kind == TieKind::Ideology
            && let TieTarget::Actor(ActorRef::Patron(p)) = t.to
        {
            c = c.max(state.patrons[p.index()].continuity);
            any = true;
        }
    }
    if any { c } else { 1.0 }
}

/// Effective strength of armed groups hostile to `g` (either direction) still outside state control.
pub fn hostile_strength(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    let mut total = 0.0;
    for (h, other) in state.groups.iter().enumerate() {
        if h == g.index()
            || !other.stance.outside_state_control()
            || cx.world.groups[h].role == GroupRole::StateForce
        {
            continue;
        }
        if cx.links.hostile(g, GroupId::at(h)) {
            total += other.effective;
        }
    }
    total
}

/// Foreign troops present as a share of those present at the start, in [0, 1].
pub fn foreign_presence(cx: &Ctx, state: &State) -> f64 {
    let start: f64 = cx.world.outside.iter().map(|o| o.presence).sum();
    if start <= 0.0 {
        return 0.0;
    }
    (state.outside.iter().map(|o| o.presence).sum::<f64>() / start).clamp(0.0, 1.0)
}

/// Draws the day's stance decisions.
pub fn step(cx: &Ctx, state: &mut State, draws: &mut Draws, narr: &mut Narrator) {
    let interval = cx.p.decision_interval.round().max(1.0) as u32;
    for g in 0..cx.world.groups.len() {
        let group = &cx.world.groups[g];
        if group.role != GroupRole::Faction || !(cx.day + g as u32).is_multiple_of(interval) {
            continue;
        }
        let u = draws.uniform();
        let gid = GroupId::at(g);
        let gs = &state.groups[g];
        let dormant_splinter = group.splinter_of.is_some() && gs.active <= 0.0;
        if matches!(gs.stance, Stance::Integrated | Stance::Dissolved) || dormant_splinter {
            continue;
        }
        if group.fighters > 0.0 && gs.active < cx.p.dissolve_share * group.fighters {
            set_stance(cx, state, gid, Stance::Dissolved);
            narr.say(
                Topic::Stance,
                3,
                || {
                    format!(
                        "{} dissolves: {:.0} fighters left",
                        group.name, state.groups[g].active
                    )
                },
                &[("active", state.groups[g].active)],
            );
            continue;
        }
        let options = utilities(cx, state, gid);
        let current = gs.stance;
        let scores: Vec<f64> = options
            .iter()
            .map(|(s, v)| cx.p.logit_scale * (v + if *s == current { cx.p.inertia } else { 0.0 }))
            .collect();
        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = scores
            .iter()
            .map(|s| patronfall_math::exp(s - top))
            .collect();
        let total: f64 = weights.iter().sum();
        let mut pick = options.len() - 1;
        let mut acc = 0.0;
        for (i, w) in weights.iter().enumerate() {
            acc += w / total;
            if u < acc {
                pick = i;
                break;
            }
        }
        let chosen = options[pick].0;
        if chosen == current {
            continue;
        }
        set_stance(cx, state, gid, chosen);
        let splinter = if chosen == Stance::Integrated {
            splinter(cx, state, gid)
        } else {
            0.0
        };
        let importance = if matches!(
            chosen,
            Stance::Integrated | Stance::Insurgent | Stance::Holdout
        ) {
            3
        } else {
            2
        };
        narr.say(
            Topic::Stance,
            importance,
            || {
                let list: Vec<String> = options
                    .iter()
                    .map(|(s, v)| format!("{} {v:.2}", s.name()))
                    .collect();
                let extra = if splinter > 0.0 {
                    format!("; {splinter:.0} hardliners splinter off")
                } else {
                    String::new()
                };
                format!(
                    "{} {} (was {}): utilities {}{extra}",
                    group.name,
                    crate::observer::takes_up(chosen),
                    current.name(),
                    list.join(", ")
                )
            },
            &options
                .iter()
                .map(|(s, v)| (s.name(), *v))
                .chain([("splinter", splinter)])
                .collect::<Vec<_>>(),
        );
    }
}

/// Sets a stance and moves fighters for final stances. A group that
/// integrates or dissolves leaves every operation it is in: the fight
/// against it ends (without this M7 went on to find no fighters left and
/// recorded a defeat that overwrote the integration).
pub fn set_stance(cx: &Ctx, state: &mut State, g: GroupId, stance: Stance) {
    let gs = &mut state.groups[g.index()];
    gs.stance = stance;
    gs.stance_since = cx.day;
    if stance == Stance::Dissolved {
        gs.deserted += gs.active;
        gs.active = 0.0;
        gs.effective = 0.0;
    }
    if matches!(stance, Stance::Integrated | Stance::Dissolved) {
        for o in &mut state.operations {
            if !o.over && (o.attacker == g || o.defender == g) {
                o.over = true;
                if cx.world.groups[o.attacker.index()].role == GroupRole::StateForce {
                    state.government.committed = 0.0;
                }
            }
        }
    }
}

/// Moves the committed share of an integrating faction to its splinter group
/// and its other fighters under state command; returns the splinter's size.
fn splinter(cx: &Ctx, state: &mut State, g: GroupId) -> f64 {
    let group = &cx.world.groups[g.index()];
    let splinter_group = cx
        .world
        .groups
        .iter()
        .position(|h| h.splinter_of == Some(g));
    let gs = &state.groups[g.index()];
    let share = (cx.p.splinter_commitment * group.ideology * gs.allegiance[0]).clamp(0.0, 1.0);
    let moving = if splinter_group.is_some() {
        gs.active * share
    } else {
        0.0
    };
    let gs = &mut state.groups[g.index()];
    gs.active -= moving;
    gs.splintered += moving;
    gs.integrated += gs.active;
    gs.active = 0.0;
    gs.effective = 0.0;
    if let Some(h) = splinter_group {
        let hs = &mut state.groups[h];
        hs.active += moving;
        if moving > 0.0 && hs.stance != Stance::Insurgent {
            hs.stance = Stance::Holdout;
            hs.stance_since = cx.day;
        }
        hs.effective = crate::mechanisms::loyalty::effective(&cx.world.groups[h], hs, cx.p);
    }
    moving
}
