//! Elite defection, part of M9: commanders who take their whole unit over
//! to the other side.
//!
//! Rules (part of M9, after coups):
//! - A group that can go over to another side (its `defects_to`, a
//!   scenario fact) defects as a whole, its commanders taking every active
//!   fighter and their arms with them, with probability
//!   `h = r_e · (1 − B) · L` a day, B and L the regime's backing and losses
//!   that drive coups (`policy::backing`, the share of the state forces'
//!   listed fighters gone): an abandoned army that is bleeding men is where
//!   officers either seize power or change sides, and a backed or unbloodied
//!   one does neither (r_e = `government.defection_rate`). It can happen
//!   while the leader is in office and the capital stands, once per group,
//!   and only while the side it would join is still in the field.
//! - A defection is elite defection: every group of the defector's role is
//!   alarmed to the full (M3's cascade trigger), as for a scripted
//!   `defection` event, and the defector is gone from the books of its side
//!   (dissolved). Outcome `elite_defections` counts both kinds.
//!
//! One uniform is drawn per group that can defect every day, used or not,
//! from a stream of its own, so no other mechanism's draws move.

use crate::ids::*;
use crate::mechanisms::{Ctx, coup, loyalty, policy};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::State;
use crate::world::Stance;

/// Today's elite defections, if any.
pub fn step(cx: &Ctx, state: &mut State, draws: &mut Draws, narr: &mut Narrator) {
    let mut regime: Option<(f64, f64)> = None;
    for (g, group) in cx.world.groups.iter().enumerate() {
        let Some((to, _)) = group.defection else {
            continue;
        };
        let u = draws.uniform();
        if state.leader_fled.is_some()
            || state.capital_fell.is_some()
            || state.groups[g].stance == Stance::Dissolved
            || state.groups[g].active <= 0.0
            || matches!(
                state.groups[to.index()].stance,
                Stance::Integrated | Stance::Dissolved
            )
        {
            continue;
        }
        let (backing, gone) =
            *regime.get_or_insert_with(|| (policy::backing(cx, state), coup::gone(cx, state)));
        let h = coup::hazard(cx.p.defection_rate, backing, gone);
        if u >= h {
            continue;
        }
        let name = &group.name;
        narr.say(
            Topic::Government,
            3,
            || format!("{name}'s commanders go over to the other side: the army's backing is down to {backing:.2} of what it was and {:.0}% of its listed fighters are gone", gone * 100.0),
            &[("backing", backing), ("gone", gone), ("hazard", h)],
        );
        loyalty::elite_defection(cx, state, GroupId::at(g), Some(to), 1.0, narr);
        state.groups[g].stance = Stance::Dissolved;
    }
}
