//! Coups, part of M9: an army abandoned by its sponsors and bleeding men can
//! move against its own leader.
//!
//! Rules (part of M9, after the coalition and before the day's decisions):
//! - While the host's leader is in office (he has not fled, no coup has
//!   deposed him) and the capital stands, the officers attempt a coup with
//!   probability `h = r_c · (1 − B) · L` a day, where B is the backing the
//!   state forces still expect from their sponsors against what they were
//!   used to (`policy::backing`, the same B as the leader's flight in M7)
//!   and L the share of the state forces' listed fighters gone since the
//!   start (deserted, defected, killed or captured). An army its patron
//!   still backs, or one that has lost nobody, does not move.
//! - An attempt succeeds with probability `s` (Powell and Thyne 2011: 48%
//!   of the coup attempts of 1950-2010). The plotters depose the leader and
//!   seek a negotiated end to the war, as the Derg's plotters of May 1989
//!   did (cases brief 3.3): every force lever goes to 0 and stays there and
//!   the state's operations end (as when a coalition breaks), and M7 has
//!   them hand the capital over to an offensive once its odds of winning the
//!   day reach `contest.flight_odds` (a leader who no longer expects anything
//!   from his sponsors flees at the same odds).
//! - A failed attempt is followed by a purge: every state force loses
//!   `government.purge_morale` of its morale and its alarm (M3) rises to at
//!   least that much (after May 1989 nine generals died, 180 officers were
//!   held and the Second Army mutinied: cases brief 3.4).
//!
//! - A scripted `coup` event is an attempt on its day, resolved by the same
//!   rule with the event's own chance of success.
//!
//! One attempt at most succeeds; after it no further coup is modelled (the
//! coup trap, in which one coup invites the next, is left out). Two
//! uniforms are drawn every day, used or not, so the stream stays paired
//! across courses of action.

use crate::mechanisms::{Ctx, coalition, policy};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::State;
use crate::world::GroupRole;

/// The daily probability of a coup attempt, `r_c · (1 − B) · L`, for a
/// backing B and a share L of the state forces' listed fighters gone,
/// both in [0, 1].
pub fn hazard(rate: f64, backing: f64, gone: f64) -> f64 {
    (rate * (1.0 - backing.clamp(0.0, 1.0)) * gone.clamp(0.0, 1.0)).clamp(0.0, 1.0)
}

/// The share of the state forces' listed fighters gone since the start, in
/// [0, 1] (0 when the host has no forces).
pub fn gone(cx: &Ctx, state: &State) -> f64 {
    let (mut start, mut now) = (0.0, 0.0);
    for (g, group) in cx.world.groups.iter().enumerate() {
        if group.role == GroupRole::StateForce {
            start += group.fighters;
            now += state.groups[g].active;
        }
    }
    if start > 0.0 {
        (1.0 - now / start).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Today's coup attempt, if any, and its outcome.
pub fn step(cx: &Ctx, state: &mut State, draws: &mut Draws, narr: &mut Narrator) {
    let (attempt, success) = (draws.uniform(), draws.uniform());
    let scripted = state.government.scripted_coup.take();
    if state.government.deposed.is_some()
        || state.leader_fled.is_some()
        || state.capital_fell.is_some()
    {
        return;
    }
    let (backing, gone) = (policy::backing(cx, state), gone(cx, state));
    let (h, chance) = match scripted {
        Some(chance) => (1.0, chance),
        None => (hazard(cx.p.coup_rate, backing, gone), cx.p.coup_success),
    };
    if attempt >= h {
        return;
    }
    state.government.coup_attempts += 1;
    let leader = &cx.world.host.leader.name;
    if success < chance {
        state.government.deposed = Some(cx.day);
        coalition::call_off_force(cx, state);
        narr.say(
            Topic::Government,
            3,
            || format!("officers depose {leader} and seek a negotiated end to the war: the army's backing is down to {backing:.2} of what it was and {:.0}% of its listed fighters are gone", gone * 100.0),
            &[("backing", backing), ("gone", gone), ("hazard", h)],
        );
    } else {
        let purge = cx.p.purge_morale;
        for (g, group) in cx.world.groups.iter().enumerate() {
            if group.role == GroupRole::StateForce {
                let gs = &mut state.groups[g];
                gs.morale = (gs.morale - purge).max(0.0);
                gs.alarm = gs.alarm.max(purge);
            }
        }
        narr.say(
            Topic::Government,
            3,
            || format!("a coup against {leader} fails and he purges the officer corps: every state force loses {purge:.2} of its morale"),
            &[("backing", backing), ("gone", gone), ("hazard", h)],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backed_or_unbloodied_army_does_not_move() {
        assert_eq!(hazard(0.01, 1.0, 0.5), 0.0);
        assert_eq!(hazard(0.01, 0.2, 0.0), 0.0);
        assert!((hazard(0.01, 0.5, 0.4) - 0.002).abs() < 1e-12);
        // Out-of-range inputs are clamped, never a probability above 1.
        assert_eq!(hazard(5.0, -1.0, 2.0), 1.0);
    }
}
