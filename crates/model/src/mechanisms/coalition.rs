//! Coalition, part of M9: force against a bloc's own or its patron's men can break
//! the coalition the government rests on, and a fallen government calls off
//! its campaign.
//!
//! Rules (part of M9, before the day's decisions):
//! - A **campaign** is on against a faction while a force lever is in force
//!   against it (`force_against > 0`) and it still holds out or fights.
//! - Each governing bloc b still in the coalition bears a pressure
//!   `φ_b = max over factions g under a campaign of [g is b's armed wing] ∨
//!   a_b · c(g)`: 1 for its own wing, otherwise its alignment with the
//!   patron a_b times c(g), the highest capacity among the patrons that
//!   sponsor g (an intact patron presses its political allies to defend its
//!   clients; a collapsed one cannot).
//! - It counts `S_b ← S_b + φ_b` days of pressure and leaves the coalition
//!   once `S_b ≥ P` (P = `government.coalition_patience`).
//! - The government **falls** when the governing blocs still in the
//!   coalition hold less than the host's `coalition_floor` of the seats the
//!   coalition had at the start. Its successor calls off the campaign: every
//!   force lever goes to 0 and stays there (later settings and triggers of
//!   force are refused), and the state's operations end.
//!
//! The seeds' reading (seed 003: Iran keeps KH and Nujaba armed because the
//! militias give it leverage; the Coordination Framework nominates the prime
//! minister, domain-facts §5) is that force against the patron's clients is
//! politically affordable only once the patron is gone, and most affordable
//! when it targets the holdouts alone.

use crate::ids::ActorRef;
use crate::mechanisms::Ctx;
use crate::observer::{Narrator, Topic};
use crate::state::State;
use crate::world::{GroupRole, LeverKind, Stance};

/// Updates the coalition: pressure, blocs that leave, and the fall.
pub fn step(cx: &Ctx, state: &mut State, narr: &mut Narrator) {
    let w = cx.world;
    if state.government.fell.is_some() || !w.blocs.iter().any(|b| b.governing) {
        return;
    }
    // Factions under a campaign of force today.
    let campaign: Vec<usize> = (0..w.groups.len())
        .filter(|&g| {
            w.groups[g].role == GroupRole::Faction
                && state.government.policy.force_against[g] > 0.0
                && matches!(state.groups[g].stance, Stance::Holdout | Stance::Insurgent)
        })
        .collect();
    if campaign.is_empty() {
        return;
    }
    let patron_capacity = |g: usize| {
        cx.links.sponsors[g]
            .iter()
            .filter_map(|&(s, _, _)| match s {
                ActorRef::Patron(p) => Some(state.patrons[p.index()].capacity),
                _ => None,
            })
            .fold(0.0, f64::max)
    };
    let mut left = false;
    for (b, bloc) in w.blocs.iter().enumerate() {
        if !bloc.governing || state.government.coalition[b].1.is_some() {
            continue;
        }
        let pressure = campaign
            .iter()
            .map(|&g| {
                if bloc.wings.iter().any(|x| x.index() == g) {
                    1.0
                } else {
                    bloc.patron_alignment * patron_capacity(g)
                }
            })
            .fold(0.0, f64::max);
        let entry = &mut state.government.coalition[b];
        entry.0 += pressure;
        if entry.0 >= cx.p.coalition_patience {
            entry.1 = Some(cx.day);
            left = true;
            let name = &bloc.name;
            narr.say(
                Topic::Government,
                3,
                || {
                    format!(
                        "{name} leaves the governing coalition over the campaign against its allies"
                    )
                },
                &[("seats", bloc.seats)],
            );
        }
    }
    if !left {
        return;
    }
    let seats = |still: bool| -> f64 {
        w.blocs
            .iter()
            .zip(&state.government.coalition)
            .filter(|(b, c)| b.governing && (!still || c.1.is_none()))
            .map(|(b, _)| b.seats)
            .sum()
    };
    let (start, now) = (seats(false), seats(true));
    if now < w.host.coalition_floor * start {
        fall(cx, state, narr, now, start);
    }
}

/// The government falls: its successor calls off the campaign.
fn fall(cx: &Ctx, state: &mut State, narr: &mut Narrator, now: f64, start: f64) {
    state.government.fell = Some(cx.day);
    call_off_force(cx, state);
    let leader = &cx.world.host.leader.name;
    narr.say(
        Topic::Government,
        3,
        || format!("the government of {leader} falls: its coalition keeps {now:.0} of the {start:.0} seats it began with, and its successor calls off the campaign of force"),
        &[("seats_left", now), ("seats_start", start)],
    );
}

/// A new government calls off force: every force lever to 0, pending force
/// decisions dropped, the state's operations over. The caller records why
/// (`government.fell` or `government.deposed`), which makes [`refuses`]
/// refuse force from then on.
pub fn call_off_force(cx: &Ctx, state: &mut State) {
    for (l, lever) in cx.world.levers.iter().enumerate() {
        if matches!(lever.kind, LeverKind::Force { .. }) {
            state.government.levers[l] = 0.0;
        }
    }
    state
        .government
        .pending
        .retain(|&(_, l, _)| !refuses(cx, true, l.index()));
    for op in state
        .operations
        .iter_mut()
        .filter(|o| !o.over && cx.world.groups[o.attacker.index()].role == GroupRole::StateForce)
    {
        op.over = true;
    }
    state.government.committed = 0.0;
    crate::mechanisms::policy::refresh_policy(cx, state);
}

/// Whether a government that replaced a fallen or deposed one refuses a
/// setting of lever `l`: after it no force lever can be set again.
pub fn refuses(cx: &Ctx, fell: bool, l: usize) -> bool {
    fell && matches!(cx.world.levers[l].kind, LeverKind::Force { .. })
}
