//! M8 Political settlement: the seam where stakeholder bargaining over the
//! scenario's issues sets delegated levers.
//!
//! Each issue is bargained every `every_days` days; stakeholders'
//! capabilities follow the simulation (patron-aligned stakeholders scale with
//! their patron's capacity, outside powers with their presence, factions with
//! their effective strength). The predicted position sets each delegated
//! lever: `value = low + (high − low) · position / 100`.
//!
//! The bargaining model itself (KTAB's Spatial Model of Politics) lives in the
//! `patronfall-bargain` crate; until it is connected here, a round uses the
//! capability-and-salience-weighted mean position, which is the first-round
//! central position of the spatial model (the weighted mean SMP starts its
//! search from). The step is a no-op for scenarios without issues.

use crate::ids::*;
use crate::mechanisms::Ctx;
use crate::observer::{Narrator, Topic};
use crate::state::State;

/// A stakeholder's capability today given the simulation state.
pub fn capability(cx: &Ctx, state: &State, actor: ActorRef, base: f64) -> f64 {
    match actor {
        ActorRef::Patron(p) => base * state.patrons[p.index()].capacity,
        ActorRef::Outside(o) => {
            let start = cx.world.outside[o.index()].presence;
            if start > 0.0 {
                base * (0.5 + 0.5 * state.outside[o.index()].presence / start)
            } else {
                base
            }
        }
        ActorRef::Group(g) => {
            let gs = &state.groups[g.index()];
            if gs.effective_start > 0.0 {
                base * gs.effective / gs.effective_start
            } else {
                base
            }
        }
        _ => base,
    }
}

/// Runs the bargaining rounds due today.
pub fn step(cx: &Ctx, state: &mut State, narr: &mut Narrator) {
    for issue in &cx.world.issues {
        if issue.every_days == 0 || cx.day % issue.every_days != 0 {
            continue;
        }
        let mut num = 0.0;
        let mut den = 0.0;
        for s in &issue.stakeholders {
            let weight = capability(cx, state, s.actor, s.capability) * s.salience;
            num += weight * s.position;
            den += weight;
        }
        if den <= 0.0 {
            continue;
        }
        let position = num / den;
        for &(lever, low, high) in &issue.delegates {
            state.government.levers[lever.index()] = low + (high - low) * position / 100.0;
        }
        narr.say(
            Topic::Settlement,
            2,
            || {
                format!(
                    "bargaining round on {}: predicted position {position:.1}",
                    issue.name
                )
            },
            &[("position", position)],
        );
    }
}
