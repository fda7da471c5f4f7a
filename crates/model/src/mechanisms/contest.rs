//! M7 Armed contests: operations between hostile armed groups.
//!
//! Rules (brief §4 M7):
//! - The government starts an operation against a faction that holds out or
//!   fights when a force lever in force targets it; it commits that lever's
//!   share of the state forces' reserve (M5 allocation). The target turns
//!   insurgent. An insurgency starts an offensive on a region by an event; the
//!   defenders are the state forces policing that region plus their reserve.
//! - Forces add up across fronts: a region under offensive draws only the
//!   share of the reserve the state's own operations do not hold, split
//!   evenly between the regions under offensive that day
//!   ([`reserve_for_defence`]); a new state operation commits at most what
//!   neither its other operations nor those defences hold.
//! - Political endings on the capital: an abandoned leader flees when the
//!   attackers' odds of the day reach `φ + (1 − φ) · B`; a caretaker calls
//!   off force, alarms every state force and hands the capital over
//!   `contest.handover_days` later unless its defenders break first;
//!   officers who deposed the leader (M9) hand it over at odds φ.
//! - Who prevails: the ratio-form contest success function
//!   `p_a = (π_a E_a)^m / ((π_a E_a)^m + (π_b E_b)^m)` (Hirshleifer 1989),
//!   with E effective strength, π = 1 + intel for the state (precision) and 1
//!   otherwise, m = `contest.csf_exponent`.
//! - Attrition per day (Lanchester's linear form): side b takes hits worth
//!   `α · π_a F_a · p_a` fighters and side a `α · π_b F_b · (1 − p_a)`,
//!   α = `contest.attrition`, F the strength each side brings to bear: when
//!   the state attacks a group that holds its own ground, at most
//!   `contest.frontage_ratio` times the other side's (force-to-space; the
//!   odds weigh whole strengths). Fire removes combatants: hits convert to
//!   listed fighters through the fill rate alone (morale and supply set the
//!   fire a side brings, not how many of its people a hit takes). The
//!   defenders of a region keep a ledger of what each force lost there, so
//!   the loss falls on the troops in the region, not on the force's other
//!   garrisons. A share `contest.killed_share` of
//!   faction losses are killed; of the others, `contest.captured_share` are
//!   detained and the rest desert (40%, 30%, 30%); state losses are killed and shared among the
//!   state forces that fought, by the strength each put in (its reserve when
//!   the state attacks; its police in the region and reserve when it
//!   defends). Detentions are limited by the room left in the host's
//!   detention (M5's capacity, shared with the border): fighters who would
//!   be detained beyond it disperse (deserted). Losses shock each group's
//!   morale by `contest.loss_morale` times the share of its fighters lost
//!   that day.
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
//!   broken faction dissolves (`contest.captured_share` of its fighters are
//!   detained, room permitting, the rest disperse); broken defenders of the capital mean
//!   the capital falls.

use crate::ids::*;
use crate::mechanisms::policy::{self, csf, in_reach, precision_of, state_precision};
use crate::mechanisms::{Ctx, coalition, loyalty};
use crate::observer::{Narrator, Topic};
use crate::state::{Operation, State};
use crate::world::{Front, GroupRole, Stance};

/// Share of the ordered strength (force lever × reserve) the state must be
/// able to commit before it opens an operation: below it the reserve is
/// held by other operations and the order waits, instead of a token force
/// of a few troops being sent against thousands (A1).
const MIN_COMMITMENT: f64 = 0.5;

/// The weight of a community's collateral-damage shock when it has no
/// alignment with the patron; each unit of alignment adds one, so the shock
/// is scaled by `0.5 + alignment` (a patron-aligned community takes force
/// against the patron's clients as aimed at itself, A1).
const COLLATERAL_UNALIGNED: f64 = 0.5;

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

/// Raises the alarm of the state forces: of all of them when the capital is
/// fought over, else of those defending the region (police there or reserve).
fn alarm_state_forces(cx: &Ctx, state: &mut State, region: Option<RegionId>, level: f64) {
    let capital = region.is_some() && region == cx.world.host.capital;
    for g in 0..cx.world.groups.len() {
        if cx.world.groups[g].role != GroupRole::StateForce {
            continue;
        }
        let gid = GroupId::at(g);
        let defends = capital
            || region.is_none_or(|r| {
                policy::front_share(cx, state, gid, Front::Region(r))
                    + policy::reserve_share(cx, state, gid)
                    > 0.0
            });
        if defends {
            loyalty::alarm(state, g, level);
        }
    }
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
        let Some((day, region, need, commit, then)) = state.groups[g].regroup.clone() else {
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
        let ratio = commit * gs.effective / defenders(cx, state, region, 1.0, &[]).max(1e-9);
        if ratio < need {
            continue;
        }
        state.groups[g].regroup = None;
        start_offensive(cx, state, gid, region, commit, then, narr);
    }
}

/// Starts an insurgency's offensive on a region.
pub fn start_offensive(
    cx: &Ctx,
    state: &mut State,
    attacker: GroupId,
    region: RegionId,
    commit: f64,
    then: Vec<RegionId>,
    narr: &mut Narrator,
) {
    let Some(defender) = main_state_force(cx, state) else {
        return;
    };
    let a = commit * state.groups[attacker.index()].effective;
    state.groups[attacker.index()].stance = Stance::Insurgent;
    state.operations.push(Operation {
        attacker,
        defender,
        region: Some(region),
        start_day: cx.day,
        attacker_start: a,
        defender_peak: 0.0,
        defender_fighters_start: 0.0,
        guerrilla: false,
        attacker_strength: a,
        commit,
        then,
        defender_losses: Vec::new(),
        over: false,
    });
    // Counted once the offensive is on the list, so that a reserve already
    // split with other regions under offensive is split with this one too.
    let strength = defenders(cx, state, region, arrived(cx, cx.day), &[]);
    if let Some(op) = state.operations.last_mut() {
        op.defender_peak = strength;
    }
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

/// Effective state strength defending a region: forces policing it plus
/// the share `arrived` of their reserves, less what they have lost there
/// (`lost`, see [`defending_forces`]).
fn defenders(cx: &Ctx, state: &State, region: RegionId, arrived: f64, lost: &[f64]) -> f64 {
    defending_forces(cx, state, region, arrived, lost)
        .map(|(_, e)| e)
        .sum()
}

/// The share of the reserves that has reached a region on day `day` of an
/// offensive on it (day 1 its first): `min(1, day / contest.redeploy_days)`.
fn arrived(cx: &Ctx, start_day: u32) -> f64 {
    (f64::from(cx.day.saturating_sub(start_day) + 1) / cx.p.redeploy_days.max(1.0)).min(1.0)
}

/// Each state force's effective strength defending a region (fighters): its
/// share s of the force (policing the region plus the share `arrived` of
/// its reserve), in group order, less what it has lost there. A force's
/// strength E already counts its losses L in the region, spread by M3 over
/// all of it; the troops in the region took all of them, so the region
/// holds s · E − (1 − s) · L, at least 0 (`lost[g]` = L, 0 beyond its
/// end). Without this a region's defenders would lose only s of each day's
/// loss and the force's other garrisons the rest: a long fight would drain
/// the whole army while its defenders never broke.
fn defending_forces<'a>(
    cx: &'a Ctx,
    state: &'a State,
    region: RegionId,
    arrived: f64,
    lost: &'a [f64],
) -> impl Iterator<Item = (GroupId, f64)> + 'a {
    let reserve = arrived * reserve_for_defence(cx, state);
    state_forces(
        cx,
        state,
        move |gid| {
            policy::front_share(cx, state, gid, Front::Region(region))
                + reserve * policy::reserve_share(cx, state, gid)
        },
        lost,
    )
}

/// The state's reserve its own operations hold today (effective fighters):
/// what each ongoing operation it started still has in the field.
fn reserve_on_offence(cx: &Ctx, state: &State) -> f64 {
    state
        .operations
        .iter()
        .filter(|o| !o.over && cx.world.groups[o.attacker.index()].role == GroupRole::StateForce)
        .map(|o| o.attacker_strength)
        .sum()
}

/// The regions under an insurgent offensive today, each once, in the order
/// their offensives began.
fn regions_under_offensive(cx: &Ctx, state: &State) -> Vec<RegionId> {
    let mut regions = Vec::new();
    for o in state
        .operations
        .iter()
        .filter(|o| !o.over && cx.world.groups[o.attacker.index()].role != GroupRole::StateForce)
    {
        if let Some(r) = o.region
            && !regions.contains(&r)
        {
            regions.push(r);
        }
    }
    regions
}

/// The share of the state's reserve that one region under an insurgent
/// offensive can draw on, in [0, 1]: the share its own operations do not
/// hold, `1 − H/R` (H from [`reserve_on_offence`], R the reserve), split
/// evenly between the regions under offensive today. Forces add up across
/// fronts: troops sent against a holdout are not also defending a province,
/// and a reserve split between two offensives defends each with half.
pub fn reserve_for_defence(cx: &Ctx, state: &State) -> f64 {
    let reserve = policy::state_reserve(cx, state);
    if reserve <= 0.0 {
        return 0.0;
    }
    let free = (1.0 - reserve_on_offence(cx, state) / reserve).clamp(0.0, 1.0);
    free / regions_under_offensive(cx, state).len().max(1) as f64
}

/// The state's reserve held today by defending regions under insurgent
/// offensive (effective fighters): per region, the share of the free
/// reserve that has arrived there.
fn reserve_in_defence(cx: &Ctx, state: &State) -> f64 {
    let per_region = reserve_for_defence(cx, state) * policy::state_reserve(cx, state);
    regions_under_offensive(cx, state)
        .into_iter()
        .map(|r| {
            let first = state
                .operations
                .iter()
                .filter(|o| {
                    !o.over
                        && o.region == Some(r)
                        && cx.world.groups[o.attacker.index()].role != GroupRole::StateForce
                })
                .map(|o| o.start_day)
                .min()
                .unwrap_or(cx.day);
            arrived(cx, first) * per_region
        })
        .sum()
}

/// How much the state's reserve is tied down today, in [0, 1]: the share
/// held by its own operations and by the defence of regions under
/// offensive. Insurgents strike when the state is busy elsewhere
/// (`contest.opportunism`, events module).
pub fn distraction(cx: &Ctx, state: &State) -> f64 {
    if state.operations.iter().all(|o| o.over) {
        return 0.0;
    }
    let reserve = policy::state_reserve(cx, state);
    if reserve <= 0.0 {
        return 0.0;
    }
    ((reserve_on_offence(cx, state) + reserve_in_defence(cx, state)) / reserve).clamp(0.0, 1.0)
}

/// What a force holds in a region where it has the share `share` of its
/// strength `effective` and has lost `lost_here` there: s · E − (1 − s) · L,
/// at least 0. E already counts L; taking the whole of L from the region
/// leaves the force's strength elsewhere, E − held, at what it was before
/// the loss.
fn held_in_region(share: f64, effective: f64, lost_here: f64) -> f64 {
    (effective * share - (1.0 - share) * lost_here).max(0.0)
}

/// Each state force with what it holds of the fight: `share` of its
/// effective strength (capped at the whole force) less what it lost there
/// (`lost`, by group index; see [`held_in_region`]), in group order.
fn state_forces<'a>(
    cx: &'a Ctx,
    state: &'a State,
    share: impl Fn(GroupId) -> f64 + 'a,
    lost: &'a [f64],
) -> impl Iterator<Item = (GroupId, f64)> + 'a {
    cx.world
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == GroupRole::StateForce)
        .map(move |(i, _)| {
            let gid = GroupId::at(i);
            let lost_here = lost.get(i).copied().unwrap_or(0.0);
            (
                gid,
                held_in_region(share(gid).min(1.0), state.groups[i].effective, lost_here),
            )
        })
}

/// Books the state's effective losses `eff_loss` to the forces that fought,
/// in proportion to the strength each put in (`forces`, fighters); to
/// `fallback` alone when none put any in. Adds the effective strength each
/// force lost to `ledger` (by group index, when it is long enough). Returns
/// listed fighters lost.
fn state_losses(
    cx: &Ctx,
    state: &mut State,
    forces: &[(GroupId, f64)],
    fallback: GroupId,
    eff_loss: f64,
    ledger: &mut [f64],
) -> f64 {
    let total: f64 = forces.iter().map(|(_, e)| e).sum();
    if total <= 0.0 {
        return take_losses(cx, state, fallback, eff_loss, Losses::State).0;
    }
    let mut listed = 0.0;
    for &(g, e) in forces.iter().filter(|(_, e)| *e > 0.0) {
        let (l, lost) = take_losses(cx, state, g, eff_loss * e / total, Losses::State);
        listed += l;
        if let Some(slot) = ledger.get_mut(g.index()) {
            *slot += lost;
        }
    }
    listed
}

/// Who bears a side's losses, and so what becomes of those lost.
#[derive(Clone, Copy, PartialEq)]
enum Losses {
    /// The host's forces: all killed.
    State,
    /// A faction or insurgency: `contest.killed_share` killed, of the rest
    /// `contest.captured_share` to be detained, the others desert.
    Faction,
}

/// Removes the fighters that `fire` (effective fighters' worth of hits, the
/// Lanchester term of M7) takes from a group; returns listed fighters lost
/// and the effective strength they carried. Its morale drops by
/// `contest.loss_morale` times the share of its people lost.
fn take_losses(cx: &Ctx, state: &mut State, g: GroupId, fire: f64, kind: Losses) -> (f64, f64) {
    let group = &cx.world.groups[g.index()];
    let gs = &mut state.groups[g.index()];
    // Fire removes combatants (Lanchester 1916): a side's quality (its
    // morale and supply) sets the fire it brings, not how many of its people
    // a shot takes. So effective losses become people through the fill rate
    // alone (the ghosts on the books go with the real fighters).
    let listed = (fire / group.fill_rate.max(1e-6)).min(gs.active).max(0.0);
    let carried = listed * loyalty::per_listed(group, gs, cx.p);
    let lost_share = listed / gs.active.max(1e-9);
    gs.active -= listed;
    if kind == Losses::Faction {
        let killed = cx.p.killed_share;
        let detained = (1.0 - killed) * cx.p.captured_share;
        let deserted = (1.0 - killed) - detained;
        gs.killed += killed * listed;
        gs.deserted += deserted * listed;
        state.casualties_other += killed * listed;
        detain_or_disperse(cx, state, g, detained * listed);
    } else {
        gs.killed += listed;
        state.casualties_other += listed;
    }
    let gs = &mut state.groups[g.index()];
    gs.morale = (gs.morale - cx.p.loss_morale * lost_share.min(1.0)).max(0.0);
    gs.effective = loyalty::effective(group, gs, cx.p);
    (listed, carried)
}

/// Starts ordered operations and fights every ongoing one for a day.
/// The strengths two sides bring to bear in a fight over ground: each at
/// most `k` times the other's (force-to-space, `contest.frontage_ratio`).
/// The rest of a larger force waits, rotates in and replaces losses.
pub fn engaged(a: f64, b: f64, k: f64) -> (f64, f64) {
    (a.min(k * b), b.min(k * a))
}

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
        // Simultaneous operations share the reserve: what ongoing ones hold,
        // and what defends regions under offensive, is not available again.
        let engaged = reserve_on_offence(cx, state) + reserve_in_defence(cx, state);
        let reserve = policy::state_reserve(cx, state);
        let committed = (force * reserve).min(reserve - engaged);
        // While other operations hold the reserve, the state waits until it
        // can commit at least half of what the lever orders.
        if committed <= 0.0 || committed < MIN_COMMITMENT * force * reserve {
            continue;
        }
        // After an operation against it broke down, the state waits as an
        // insurgency does: the pause, then the force ratio it started with.
        if let Some((day, need)) = state.groups[g].state_pause {
            let ratio = committed / in_reach(state, g).max(1e-9);
            if cx.day < day || ratio < need {
                continue;
            }
            state.groups[g].state_pause = None;
        }
        let guerrilla = cx.world.groups[g].guerrilla;
        state.groups[g].stance = Stance::Insurgent;
        let d = in_reach(state, g);
        state.operations.push(Operation {
            attacker,
            defender: gid,
            region: cx.world.groups[g].region,
            start_day: cx.day,
            attacker_start: committed,
            defender_peak: d,
            defender_fighters_start: (1.0 - state.groups[g].sanctuary) * state.groups[g].active,
            guerrilla,
            attacker_strength: committed,
            commit: 1.0,
            then: Vec::new(),
            defender_losses: Vec::new(),
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
    let precision_state = state_precision(cx, state);
    let m = cx.p.csf_exponent;
    let delta = cx.p.defender_advantage;
    for i in 0..state.operations.len() {
        if state.operations[i].over {
            continue;
        }
        let op = state.operations[i].clone();
        let state_attacks = cx.world.groups[op.attacker.index()].role == GroupRole::StateForce;
        let (pi_a, pi_b) = if state_attacks {
            (precision_state, precision_of(cx, state, op.defender))
        } else {
            (precision_of(cx, state, op.attacker), precision_state)
        };
        let e_a = op.attacker_strength;
        let e_b = if state_attacks {
            in_reach(state, op.defender.index())
        } else {
            op.region
                .map_or(state.groups[op.defender.index()].effective, |r| {
                    defenders(cx, state, r, arrived(cx, op.start_day), &op.defender_losses)
                })
        };
        // Defenders break against the most they put in: reserves arriving
        // raise the bar.
        let defender_peak = op.defender_peak.max(e_b);
        state.operations[i].defender_peak = defender_peak;
        // Defenders fight from prepared positions (δ on their strength). A
        // group that fights as guerrillas has no positions when the state
        // moves against it, but only its exposed share is engaged on a day,
        // so both sides' losses scale by that share (Deitchman 1962).
        let (delta, exposure) = if op.guerrilla {
            (1.0, cx.p.guerrilla_exposure)
        } else {
            (delta, 1.0)
        };
        let p_a = csf(pi_a * e_a, delta * pi_b * e_b, m);
        // The state's fire on guerrillas is area fire: the chance it finds
        // one is their share of the fighters in the area (Deitchman 1962's
        // dG/dt = −b·C·G, saturating when guerrillas fill the area), so a
        // dwindling band, or one sheltering across the border, loses fewer,
        // not the same number at a faster pace. Fire at defenders who hold
        // ground is aimed: the day's odds p_a weight it.
        let hit = if op.guerrilla {
            e_b / (e_a + e_b).max(1e-9)
        } else {
            p_a
        };
        // Fire comes from the strength engaged. A group that holds its own
        // ground holds as much space as its numbers fill, so at most the
        // frontage ratio times its strength can engage it, and it no more
        // than that times the attackers' (force-to-space). Guerrillas
        // already fight only with their exposed share; the defenders of a
        // region hold the region's space whatever their numbers, so a thin
        // garrison is not shielded by its thinness.
        let (fire_a, fire_b) = if state_attacks && !op.guerrilla {
            engaged(e_a, e_b, cx.p.frontage_ratio)
        } else {
            (e_a, e_b)
        };
        let loss_b = cx.p.attrition * pi_a * fire_a * hit * exposure;
        let loss_a = cx.p.attrition * delta * pi_b * fire_b * (1.0 - p_a) * exposure;
        // Fighting alarms both sides by their odds of losing the day (M3);
        // of a guerrilla force only the exposed share fights and sees it.
        let (alarm_a, alarm_b) = (1.0 - p_a, p_a * exposure);
        if state_attacks {
            loyalty::alarm(state, op.defender.index(), alarm_b);
            loyalty::alarm(state, op.attacker.index(), alarm_a);
        } else {
            loyalty::alarm(state, op.attacker.index(), alarm_a);
            alarm_state_forces(cx, state, op.region, alarm_b);
        }
        // The state's losses fall on every force that fought, in proportion
        // to the strength it put in: its reserve when it attacks, its police
        // in the region and its reserve when it defends.
        let (listed_a, listed_b) = if state_attacks {
            // What an operation the state starts draws on: each force's reserve.
            let forces: Vec<_> =
                state_forces(cx, state, |gid| policy::reserve_share(cx, state, gid), &[]).collect();
            let b = take_losses(cx, state, op.defender, loss_b, Losses::Faction).0;
            (
                state_losses(cx, state, &forces, op.attacker, loss_a, &mut []),
                b,
            )
        } else {
            let forces: Vec<_> = op.region.map_or_else(Vec::new, |r| {
                defending_forces(cx, state, r, arrived(cx, op.start_day), &op.defender_losses)
                    .collect()
            });
            // The region's ledger of what each force has lost in it.
            let mut ledger = std::mem::take(&mut state.operations[i].defender_losses);
            ledger.resize(cx.world.groups.len(), 0.0);
            let b = state_losses(cx, state, &forces, op.defender, loss_b, &mut ledger);
            state.operations[i].defender_losses = ledger;
            (
                take_losses(cx, state, op.attacker, loss_a, Losses::Faction).0,
                b,
            )
        };
        state.operations[i].attacker_strength = if state_attacks {
            (e_a - loss_a).max(0.0)
        } else {
            op.commit * state.groups[op.attacker.index()].effective
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
                        * (COLLATERAL_UNALIGNED + com.patron_alignment);
                }
            }
        } else {
            state.casualties_other += civilians;
        }
        let e_b_after = if state_attacks {
            in_reach(state, op.defender.index())
        } else {
            op.region.map_or(0.0, |r| {
                defenders(
                    cx,
                    state,
                    r,
                    arrived(cx, op.start_day),
                    &state.operations[i].defender_losses,
                )
            })
        };
        let attacker_broke =
            state.operations[i].attacker_strength < cx.p.break_share * op.attacker_start;
        let on_capital =
            !state_attacks && op.region.is_some() && op.region == cx.world.host.capital;
        // The political endings. An abandoned leader flees before the last
        // defenders break; a caretaker government takes over, calls off
        // force and hands the capital over once `contest.handover_days`
        // have passed, unless its defenders break first. Officers who
        // deposed him in a coup (M9) to seek a negotiated end hand it over
        // at the odds at which a leader with no backing left would flee.
        let junta = state.government.deposed.is_some();
        let standing = on_capital && state.capital_fell.is_none() && state.handed_over.is_none();
        let flees = standing
            && !junta
            && state.leader_fled.is_none()
            && p_a >= cx.p.flight_odds + (1.0 - cx.p.flight_odds) * policy::backing(cx, state);
        if flees {
            state.leader_fled = Some(cx.day);
            coalition::call_off_force(cx, state);
            // The leader's flight is the elite's: every state force sees it.
            alarm_state_forces(cx, state, None, 1.0);
            let leader = &cx.world.host.leader.name;
            narr.say(
                Topic::Contest,
                3,
                || format!("{leader} flees as the attackers' odds on the capital reach {p_a:.2}; a caretaker government takes over and asks for terms"),
                &[("attacker_odds", p_a)],
            );
        }
        let handover_day = |fled: u32| fled + cx.p.handover_days.round().max(0.0) as u32;
        let political = standing
            && if junta {
                p_a >= cx.p.flight_odds
            } else {
                state.leader_fled.is_some_and(|d| cx.day >= handover_day(d))
            };
        if political {
            state.handed_over = Some(cx.day);
            let who = if junta {
                "the officers in power hand"
            } else {
                "the caretaker government hands"
            };
            narr.say(
                Topic::Contest,
                3,
                || format!("{who} the capital over as the attackers' odds on it stand at {p_a:.2}"),
                &[("attacker_odds", p_a)],
            );
        }
        // Defenders of a region break when their effective strength falls
        // below the break share; guerrillas when their fighters do (a weak
        // guerrilla force avoids battle rather than breaking).
        let defender_broke = political
            || (state_attacks && state.groups[op.defender.index()].active <= 0.0)
            || if op.guerrilla {
                let gs = &state.groups[op.defender.index()];
                (1.0 - gs.sanctuary) * gs.active < cx.p.break_share * op.defender_fighters_start
            } else {
                e_b_after < cx.p.break_share * defender_peak
            };
        // A beaten group with a sanctuary keeps the share of it that can
        // shelter there; it is destroyed only if that is too few to go on.
        let sheltered = {
            let (group, gs) = (
                &cx.world.groups[op.defender.index()],
                &state.groups[op.defender.index()],
            );
            let kept = gs.sanctuary * gs.active;
            state_attacks && kept >= 1.0 && kept >= cx.p.dissolve_share * group.fighters
        };
        if defender_broke && sheltered {
            // Those who can withdraw across the border do; the rest are
            // caught (half detained as far as there is room, half disperse),
            // and the state waits as after a failed operation before it can
            // move against the group again.
            state.operations[i].over = true;
            state.government.committed = 0.0;
            let d = op.defender.index();
            let kept = state.groups[d].sanctuary * state.groups[d].active;
            let caught = state.groups[d].active - kept;
            let held = detain_or_disperse(cx, state, op.defender, caught / 2.0);
            let gs = &mut state.groups[d];
            gs.deserted += caught - caught / 2.0;
            gs.active = kept;
            gs.effective = loyalty::effective(&cx.world.groups[d], gs, cx.p);
            gs.state_pause = Some((
                cx.day + cx.p.regroup_days.round() as u32,
                cx.p.regroup_ratio * op.attacker_start / op.defender_peak.max(1e-9),
            ));
            let name = &cx.world.groups[d].name;
            narr.say(
                Topic::Contest,
                3,
                || {
                    let after = crate::observer::days(cx.day - op.start_day + 1);
                    format!("{name} is beaten after {after}: {kept:.0} fighters withdraw into its sanctuary across the border, {caught:.0} are caught ({held:.0} detained)")
                },
                &[("kept", kept), ("caught", caught), ("detained", held)],
            );
        } else if defender_broke {
            state.operations[i].over = true;
            if state_attacks {
                let rest = state.groups[op.defender.index()].active;
                let to_detain = rest * cx.p.captured_share;
                let held = detain_or_disperse(cx, state, op.defender, to_detain);
                let gs = &mut state.groups[op.defender.index()];
                gs.deserted += rest - to_detain;
                gs.active = 0.0;
                gs.effective = 0.0;
                gs.stance = Stance::Dissolved;
                gs.stance_since = cx.day;
                state.government.committed = 0.0;
                let name = &cx.world.groups[op.defender.index()].name;
                narr.say(
                    Topic::Contest,
                    3,
                    || {
                        let after = crate::observer::days(cx.day - op.start_day + 1);
                        let fighters = if rest < 0.5 {
                            "none of its fighters remain".to_string()
                        } else if held < 0.5 {
                            format!("its {rest:.0} remaining fighters disperse")
                        } else {
                            format!("of its {rest:.0} remaining fighters {held:.0} are detained and the rest disperse")
                        };
                        format!("{name} is defeated after {after}: {fighters}; {civilians:.0} civilian casualties today")
                    },
                    &[("remaining", rest), ("detained", held), ("civilians", civilians)],
                );
            } else if op.region.is_some() {
                // A region lost alarms every state force (M3), and the
                // campaign moves on to its next objective.
                alarm_state_forces(cx, state, None, 1.0);
                if let Some((&next, rest)) = op.then.split_first() {
                    start_offensive(cx, state, op.attacker, next, op.commit, rest.to_vec(), narr);
                }
            }
            if !state_attacks
                && op.region.is_some()
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
                let how = match (state.handed_over.is_some(), junta, state.leader_fled) {
                    (true, true, _) => "politically, handed over by the officers in power",
                    (true, false, _) => "politically, handed over by the caretaker government",
                    (false, _, Some(_)) => "militarily, after its leader fled",
                    (false, _, None) => "militarily",
                };
                narr.say(
                    Topic::Contest,
                    3,
                    || format!("the capital {rn} falls to {an} {how} on day {} of its offensive: defenders down to {e_b_after:.0} effective", cx.day - op.start_day + 1),
                    &[("defenders", e_b_after)],
                );
            }
        } else if attacker_broke {
            state.operations[i].over = true;
            if state_attacks {
                state.government.committed = 0.0;
                state.groups[op.defender.index()].state_pause = Some((
                    cx.day + cx.p.regroup_days.round() as u32,
                    cx.p.regroup_ratio * op.attacker_start / op.defender_peak.max(1e-9),
                ));
            } else if let Some(region) = op.region {
                state.groups[op.attacker.index()].regroup = Some((
                    cx.day + cx.p.regroup_days.round() as u32,
                    region,
                    cx.p.regroup_ratio * op.attacker_start / op.defender_peak.max(1e-9),
                    op.commit,
                    op.then.clone(),
                ));
            }
            let name = &cx.world.groups[op.attacker.index()].name;
            narr.say(
                Topic::Contest,
                3,
                || {
                    format!(
                        "{name}'s operation breaks down after {}",
                        crate::observer::days(cx.day - op.start_day + 1)
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
    fn a_loss_in_a_region_leaves_the_other_garrisons_whole() {
        let (before, share) = (1000.0, 0.3);
        for lost in [0.0, 50.0, 200.0, 300.0] {
            let after = before - lost;
            let held = held_in_region(share, after, lost);
            assert!((held - (share * before - lost)).abs() < 1e-9, "{lost}");
            assert!(
                (after - held - (1.0 - share) * before).abs() < 1e-9,
                "{lost}"
            );
        }
        // A region cannot hold less than nothing.
        assert_eq!(held_in_region(share, 500.0, 500.0), 0.0);
    }
}
