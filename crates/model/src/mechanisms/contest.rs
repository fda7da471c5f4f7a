//! M7 Armed contests: operations between hostile armed groups.
//!
//! Rules (brief §4 M7):
//! - The government starts an operation against a faction that holds out or
//!   fights when a force lever in force targets it; it commits that lever's
//!   share of the state forces' reserve (M5 allocation). The target turns
//!   insurgent. An insurgency starts an offensive on a region by an event; the
//!   defenders are the state forces policing that region plus their reserve.
//! - Who prevails: the ratio-form contest success function
//!   `p_a = (π_a E_a)^m / ((π_a E_a)^m + (π_b E_b)^m)` (Hirshleifer 1989),
//!   with E effective strength, π = 1 + intel for the state (precision) and 1
//!   otherwise, m = `contest.csf_exponent`.
//! - Attrition per day (Lanchester's linear form): side b loses
//!   `α · π_a E_a · p_a` effective fighters and side a loses `α · π_b E_b · (1 − p_a)`,
//!   α = `contest.attrition`; effective losses convert to listed fighters
//!   through fill rate and morale. Faction losses are 40% killed, 30%
//!   detained, 30% deserted; state losses are killed and shared among the
//!   state forces that fought, by the strength each put in (its reserve when
//!   the state attacks; its police in the region and reserve when it
//!   defends). Detentions are limited by the room left in the host's
//!   detention (M5's capacity, shared with the border): fighters who would
//!   be detained beyond it disperse (deserted). Losses shock each group's
//!   morale by half the share of its strength lost that day.
//! - Collateral damage: `contest.collateral · losses / π_attacker` civilian
//!   casualties in the region; when the state attacks, each community there
//!   adds `contest.legitimacy_per_casualty · casualties/1000 · (0.5 + its
//!   alignment with the patron)` to its legitimacy shock, which lowers its
//!   legitimacy target and decays (M6): force against a holdout costs
//!   legitimacy in the communities affected.
//! - A side breaks when its effective strength falls below
//!   `contest.break_share` of its starting value. An insurgency whose
//!   offensive on a region broke attacks it again once
//!   `contest.regroup_days` have passed and its force ratio against the
//!   region's defenders (effective strengths) is back to
//!   `contest.regroup_ratio` times the ratio when that offensive began. A
//!   broken faction dissolves (half its fighters are detained, room
//!   permitting, the rest disperse); broken defenders of the capital mean
//!   the capital falls.

use crate::ids::*;
use crate::mechanisms::{Ctx, government, stance};
use crate::observer::{Narrator, Topic};
use crate::state::{Operation, State};
use crate::world::{Front, GroupRole, Stance};

/// Kills up to `n` listed fighters of a group; returns how many died.
pub fn kill(state: &mut State, g: GroupId, n: f64) -> f64 {
    let gs = &mut state.groups[g.index()];
    let k = n.min(gs.active).max(0.0);
    gs.active -= k;
    gs.killed += k;
    state.casualties_other += k;
    k
}

/// Detains up to `n` of a group's fighters who have already left its active
/// strength, as far as the host's detention has room; the rest disperse
/// (counted as deserted). Returns how many were detained.
fn detain_or_disperse(cx: &Ctx, state: &mut State, g: GroupId, n: f64) -> f64 {
    let held = n.min(crate::mechanisms::firebreak::detention_room(
        cx.world, state,
    ));
    let gs = &mut state.groups[g.index()];
    gs.detained += held;
    gs.deserted += n - held;
    held
}

/// Contest success function for side a: `x^m / (x^m + y^m)`.
pub fn csf(a: f64, b: f64, m: f64) -> f64 {
    let (x, y) = (a.max(0.0).powf(m), b.max(0.0).powf(m));
    if x + y <= 0.0 { 0.5 } else { x / (x + y) }
}

/// Probability the state prevails against a faction if it commits its whole reserve.
pub fn state_win_probability(cx: &Ctx, state: &State, g: GroupId) -> f64 {
    let precision = 1.0 + government::intel(cx, state);
    let reserve = stance::state_reserve(cx, state);
    csf(
        precision * reserve,
        state.groups[g.index()].effective,
        cx.p.csf_exponent,
    )
}

fn main_state_force(cx: &Ctx, state: &State) -> Option<GroupId> {
    cx.world
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == GroupRole::StateForce)
        .max_by(|a, b| {
            state.groups[a.0]
                .effective
                .total_cmp(&state.groups[b.0].effective)
                .then(b.0.cmp(&a.0))
        })
        .map(|(i, _)| GroupId::at(i))
}

/// Renews the offensives of insurgencies that have regrouped: their wait
/// is over, the force ratio against the region's defenders is back to the
/// one they wait for, they still fight and are in no other operation.
fn resume_offensives(cx: &Ctx, state: &mut State, narr: &mut Narrator) {
    for g in 0..state.groups.len() {
        let Some((day, region, need)) = state.groups[g].regroup else {
            continue;
        };
        let gs = &state.groups[g];
        if matches!(gs.stance, Stance::Integrated | Stance::Dissolved) || gs.active <= 0.0 {
            state.groups[g].regroup = None;
            continue;
        }
        let gid = GroupId::at(g);
        let fighting = state
            .operations
            .iter()
            .any(|o| !o.over && (o.attacker == gid || o.defender == gid));
        if cx.day < day || fighting {
            continue;
        }
        let ratio = gs.effective / defenders(cx, state, region).max(1e-9);
        if ratio < need {
            continue;
        }
        state.groups[g].regroup = None;
        start_offensive(cx, state, gid, region, narr);
    }
}

/// Starts an insurgency's offensive on a region.
pub fn start_offensive(
    cx: &Ctx,
    state: &mut State,
    attacker: GroupId,
    region: RegionId,
    narr: &mut Narrator,
) {
    let Some(defender) = main_state_force(cx, state) else {
        return;
    };
    let strength = defenders(cx, state, region);
    let a = state.groups[attacker.index()].effective;
    state.groups[attacker.index()].stance = Stance::Insurgent;
    state.operations.push(Operation {
        attacker,
        defender,
        region: Some(region),
        start_day: cx.day,
        attacker_start: a,
        defender_start: strength,
        attacker_strength: a,
        over: false,
    });
    let (an, rn) = (
        &cx.world.groups[attacker.index()].name,
        &cx.world.regions[region.index()].name,
    );
    narr.say(
        Topic::Contest,
        3,
        || format!("{an} launches an offensive on {rn}: {a:.0} effective fighters against {strength:.0} defenders"),
        &[("attacker", a), ("defenders", strength)],
    );
}

/// Effective state strength defending a region: forces policing it plus reserves.
fn defenders(cx: &Ctx, state: &State, region: RegionId) -> f64 {
    defending_forces(cx, state, region).map(|(_, e)| e).sum()
}

/// Each state force's effective strength defending a region (fighters): its
/// share policing the region plus its reserve, in group order.
fn defending_forces<'a>(
    cx: &'a Ctx,
    state: &'a State,
    region: RegionId,
) -> impl Iterator<Item = (GroupId, f64)> + 'a {
    state_forces(cx, state, move |gid| {
        crate::mechanisms::firebreak::front_share(cx, state, gid, Front::Region(region))
            + crate::mechanisms::firebreak::reserve_share(cx, state, gid)
    })
}

/// Each state force with its effective strength times `share` of it (capped
/// at the whole force), in group order.
fn state_forces<'a>(
    cx: &'a Ctx,
    state: &'a State,
    share: impl Fn(GroupId) -> f64 + 'a,
) -> impl Iterator<Item = (GroupId, f64)> + 'a {
    cx.world
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == GroupRole::StateForce)
        .map(move |(i, _)| {
            let gid = GroupId::at(i);
            (gid, state.groups[i].effective * share(gid).min(1.0))
        })
}

/// Books the state's effective losses `eff_loss` to the forces that fought,
/// in proportion to the strength each put in (`forces`, fighters); to
/// `fallback` alone when none put any in. Returns listed fighters lost.
fn state_losses(
    cx: &Ctx,
    state: &mut State,
    forces: &[(GroupId, f64)],
    fallback: GroupId,
    eff_loss: f64,
) -> f64 {
    let total: f64 = forces.iter().map(|(_, e)| e).sum();
    if total <= 0.0 {
        return take_losses(cx, state, fallback, eff_loss, false);
    }
    forces
        .iter()
        .filter(|(_, e)| *e > 0.0)
        .map(|&(g, e)| take_losses(cx, state, g, eff_loss * e / total, false))
        .sum()
}

/// Removes `eff_loss` effective fighters from a group as listed fighters;
/// returns listed fighters lost.
fn take_losses(cx: &Ctx, state: &mut State, g: GroupId, eff_loss: f64, faction_split: bool) -> f64 {
    let group = &cx.world.groups[g.index()];
    let gs = &mut state.groups[g.index()];
    let per_listed = (group.fill_rate * gs.morale).max(1e-6);
    let listed = (eff_loss / per_listed).min(gs.active).max(0.0);
    let before = gs.effective.max(1e-9);
    gs.active -= listed;
    if faction_split {
        gs.killed += 0.4 * listed;
        gs.deserted += 0.3 * listed;
        state.casualties_other += 0.4 * listed;
        detain_or_disperse(cx, state, g, 0.3 * listed);
    } else {
        gs.killed += listed;
        state.casualties_other += listed;
    }
    let gs = &mut state.groups[g.index()];
    gs.morale = (gs.morale - 0.5 * (eff_loss / before).min(1.0)).max(0.0);
    gs.effective = gs.active * group.fill_rate * gs.morale;
    listed
}

/// Starts ordered operations and fights every ongoing one for a day.
pub fn step(cx: &Ctx, state: &mut State, narr: &mut Narrator) {
    resume_offensives(cx, state, narr);
    // New operations ordered by force levers.
    for g in 0..cx.world.groups.len() {
        let gid = GroupId::at(g);
        let stance_now = state.groups[g].stance;
        if cx.world.groups[g].role != GroupRole::Faction
            || !matches!(stance_now, Stance::Holdout | Stance::Insurgent)
        {
            continue;
        }
        let force = state.government.policy.force_against[gid.index()];
        if force <= 0.0
            || state
                .operations
                .iter()
                .any(|o| !o.over && o.defender == gid)
        {
            continue;
        }
        let Some(attacker) = main_state_force(cx, state) else {
            continue;
        };
        let committed = force * stance::state_reserve(cx, state);
        if committed <= 0.0 {
            continue;
        }
        state.groups[g].stance = Stance::Insurgent;
        let d = state.groups[g].effective;
        state.operations.push(Operation {
            attacker,
            defender: gid,
            region: cx.world.groups[g].region,
            start_day: cx.day,
            attacker_start: committed,
            defender_start: d,
            attacker_strength: committed,
            over: false,
        });
        state.government.committed = force;
        let name = &cx.world.groups[g].name;
        narr.say(
            Topic::Contest,
            3,
            || format!("the state moves against {name}: {committed:.0} effective troops committed against {d:.0}"),
            &[("committed", committed), ("defender", d)],
        );
    }
    let precision_state = 1.0 + government::intel(cx, state);
    let m = cx.p.csf_exponent;
    for i in 0..state.operations.len() {
        if state.operations[i].over {
            continue;
        }
        let op = state.operations[i].clone();
        let state_attacks = cx.world.groups[op.attacker.index()].role == GroupRole::StateForce;
        let (pi_a, pi_b) = if state_attacks {
            (precision_state, 1.0)
        } else {
            (1.0, precision_state)
        };
        let e_a = op.attacker_strength;
        let e_b = if state_attacks {
            state.groups[op.defender.index()].effective
        } else {
            op.region
                .map_or(state.groups[op.defender.index()].effective, |r| {
                    defenders(cx, state, r)
                })
        };
        let p_a = csf(pi_a * e_a, pi_b * e_b, m);
        let loss_b = cx.p.attrition * pi_a * e_a * p_a;
        let loss_a = cx.p.attrition * pi_b * e_b * (1.0 - p_a);
        // The state's losses fall on every force that fought, in proportion
        // to the strength it put in: its reserve when it attacks, its police
        // in the region and its reserve when it defends.
        let (listed_a, listed_b) = if state_attacks {
            // What an operation the state starts draws on: each force's reserve.
            let forces: Vec<_> = state_forces(cx, state, |gid| {
                crate::mechanisms::firebreak::reserve_share(cx, state, gid)
            })
            .collect();
            let b = take_losses(cx, state, op.defender, loss_b, true);
            (state_losses(cx, state, &forces, op.attacker, loss_a), b)
        } else {
            let forces: Vec<_> = op
                .region
                .map_or_else(Vec::new, |r| defending_forces(cx, state, r).collect());
            let b = state_losses(cx, state, &forces, op.defender, loss_b);
            (take_losses(cx, state, op.attacker, loss_a, true), b)
        };
        state.operations[i].attacker_strength = if state_attacks {
            (e_a - loss_a).max(0.0)
        } else {
            state.groups[op.attacker.index()].effective
        };
        // Collateral damage where the fighting is.
        let civilians = cx.p.collateral * (listed_a + listed_b) / pi_a;
        if let Some(region) = op.region {
            let pop: f64 = cx
                .world
                .communities
                .iter()
                .filter(|c| c.region == region)
                .map(|c| c.population)
                .sum();
            for (c, com) in cx.world.communities.iter().enumerate() {
                if com.region != region || pop <= 0.0 {
                    continue;
                }
                let cs = &mut state.communities[c];
                let here = civilians * com.population / pop;
                cs.casualties += here;
                if state_attacks {
                    cs.grievance_shock += cx.p.legitimacy_per_casualty * civilians / 1000.0
                        * (0.5 + com.patron_alignment);
                }
            }
        } else {
            state.casualties_other += civilians;
        }
        let e_b_after = if state_attacks {
            state.groups[op.defender.index()].effective
        } else {
            op.region.map_or(0.0, |r| defenders(cx, state, r))
        };
        let attacker_broke =
            state.operations[i].attacker_strength < cx.p.break_share * op.attacker_start;
        let defender_broke = e_b_after < cx.p.break_share * op.defender_start
            || (state_attacks && state.groups[op.defender.index()].active <= 0.0);
        if defender_broke {
            state.operations[i].over = true;
            if state_attacks {
                let rest = state.groups[op.defender.index()].active;
                let held = detain_or_disperse(cx, state, op.defender, rest / 2.0);
                let gs = &mut state.groups[op.defender.index()];
                gs.deserted += rest - rest / 2.0;
                gs.active = 0.0;
                gs.effective = 0.0;
                gs.stance = Stance::Dissolved;
                gs.stance_since = cx.day;
                state.government.committed = 0.0;
                let name = &cx.world.groups[op.defender.index()].name;
                narr.say(
                    Topic::Contest,
                    3,
                    || format!("{name} is defeated after {} days: of {rest:.0} remaining fighters {held:.0} detained, the rest dispersed; {civilians:.0} civilian casualties today", cx.day - op.start_day + 1),
                    &[("remaining", rest), ("detained", held), ("civilians", civilians)],
                );
            } else if op.region.is_some()
                && op.region == cx.world.host.capital
                && state.capital_fell.is_none()
            {
                state.capital_fell = Some(cx.day);
                let (an, rn) = (
                    &cx.world.groups[op.attacker.index()].name,
                    op.region
                        .map(|r| cx.world.regions[r.index()].name.as_str())
                        .unwrap_or(""),
                );
                narr.say(
                    Topic::Contest,
                    3,
                    || format!("the capital {rn} falls to {an} on day {} of its offensive: defenders down to {e_b_after:.0} effective", cx.day - op.start_day + 1),
                    &[("defenders", e_b_after)],
                );
            }
        } else if attacker_broke {
            state.operations[i].over = true;
            if state_attacks {
                state.government.committed = 0.0;
            } else if let Some(region) = op.region {
                state.groups[op.attacker.index()].regroup = Some((
                    cx.day + cx.p.regroup_days.round() as u32,
                    region,
                    cx.p.regroup_ratio * op.attacker_start / op.defender_start.max(1e-9),
                ));
            }
            let name = &cx.world.groups[op.attacker.index()].name;
            narr.say(
                Topic::Contest,
                3,
                || {
                    format!(
                        "{name}'s operation breaks down after {} days",
                        cx.day - op.start_day + 1
                    )
                },
                &[],
            );
        }
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
