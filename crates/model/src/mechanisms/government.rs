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
//! decisiveness, `government.indecisive_credibility`; Walter 1997's
//! commitment problem) and feeds legitimacy (M6). An offer's value weighs
//! its terms by `government.immunity_weight`, `government.compensation_weight`
//! and `government.posts_weight`. What the levers in force mean to the
//! other mechanisms is derived in `policy.rs`.

use crate::ids::*;
use crate::mechanisms::{Ctx, policy};
use crate::observer::{Narrator, Topic};
use crate::outcomes::Reductions;
use crate::state::State;

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
pub fn step(
    cx: &Ctx,
    state: &mut State,
    so_far: &Reductions,
    coups: &mut crate::rng::Draws,
    defections: &mut crate::rng::Draws,
    narr: &mut Narrator,
) {
    crate::mechanisms::coalition::step(cx, state, narr);
    crate::mechanisms::coup::step(cx, state, coups, narr);
    crate::mechanisms::defection::step(cx, state, defections, narr);
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
                state.government.fell.is_some() || state.government.deposed.is_some(),
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
    policy::refresh_policy(cx, state);
}
