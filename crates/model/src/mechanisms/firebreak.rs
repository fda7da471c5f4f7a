//! M5 Fire break: border crossings, interdiction and detention.
//!
//! Rules (brief §4 M5), per segment s and day:
//! - Guards `F_s`: effective strength of each state force times its share on
//!   s (its allocation, or a border lever in force; other fronts give way in
//!   proportion so shares never exceed 1).
//! - Detection rate `λ_s = k · F_s / L_s · (1 + intel) · (1 − terrain) · ε`,
//!   k = `firebreak.interdiction_k`, L_s the length in km and ε a daily
//!   log-normal noise `exp(σ·z)` (σ = `firebreak.noise_sd`), one z per segment
//!   per day whatever the state, so more guards never mean fewer
//!   interdictions under the same random numbers.
//! - At crossing x: `p_x = 1 − exp(−λ_s · f_x · (1 − collusion_x))`, with
//!   f_x = `firebreak.official_factor` at official crossings and 1 on
//!   informal routes; collusion_x is the control tie's weight times the
//!   controller's allegiance to its patron (a faction in control colludes),
//!   zero once the controller is integrated or dissolved.
//! - Attempts split between official crossings (by capacity, up to it) and
//!   informal routes (share `firebreak.informal_preference`, and all overflow).
//!   People who find no capacity wait for the next day.
//! - Interdicted at x: `⌊n · p_x + u_x⌋` (u_x one uniform per crossing per day),
//!   monotone in p_x for fixed u_x.
//! - Interdicted people are detained while detention has room (capacity less
//!   everyone held, including fighters detained in operations, M7); beyond it
//!   they are turned back to where they came from.
//! - Insurgent infiltration: an insurgency abroad sends
//!   `min(abroad, attempts/day · (1 − cooperation_s))` a day, where
//!   cooperation_s is the neighbour's cooperation b plus outside pressure:
//!   `b + (1 − b) · e · pressure`, e = `firebreak.pressure_effect`.
//! - Crossers join the pool's allied group, or the insurgency, or stay an
//!   unaffiliated armed presence in the region the segment leads into.

use crate::ids::*;
use crate::mechanisms::Ctx;
use crate::mechanisms::policy::{self, strength_on_fronts};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::{Flow, Source, State};
use crate::world::{GroupRole, Stance, TieKind, World};

/// Room left in the host's detention today (people): its capacity less
/// everyone already held, from border interdictions (M5) and from operations
/// (M7), never below zero. Detention is one facility: what M7 fills, M5
/// cannot use, and the other way round.
pub fn detention_room(w: &World, state: &State) -> f64 {
    (w.host.detention_capacity - state.detained()).max(0.0)
}

fn collusion(cx: &Ctx, state: &State, x: CrossingId) -> f64 {
    let mut c: f64 = 0.0;
    for tie in crate::links::ties(cx.world, &cx.links.to_crossing[x.index()])
        .filter(|t| t.kind == TieKind::Controls)
    {
        if let ActorRef::Group(g) = tie.from {
            let gs = &state.groups[g.index()];
            if gs.stance.outside_state_control()
                && cx.world.groups[g.index()].role != GroupRole::StateForce
            {
                c = c.max(tie.weight * gs.allegiance[0]);
            }
        }
    }
    c.clamp(0.0, 1.0)
}

/// Cooperation on the far side of a segment, in [0, 1].
pub fn cooperation(cx: &Ctx, state: &State, seg: SegmentId) -> f64 {
    let base = cx
        .world
        .outside
        .iter()
        .flat_map(|o| o.border_cooperation.iter())
        .filter(|(s, _)| *s == seg)
        .map(|(_, c)| *c)
        .fold(0.0, f64::max);
    let pressure = state.government.policy.neighbor_pressure[seg.index()];
    (base + (1.0 - base) * pressure * cx.p.pressure_effect).clamp(0.0, 1.0)
}

/// Queues insurgent infiltration, then resolves every flow at the border
/// with the state forces as the policy allocates them.
pub fn step(cx: &Ctx, state: &mut State, draws: &mut Draws, narr: &mut Narrator) {
    let w = cx.world;
    for (g, group) in w.groups.iter().enumerate() {
        if let Some((seg, per_day)) = group.infiltration {
            if state.groups[g].stance == Stance::Dissolved {
                continue;
            }
            let coop = cooperation(cx, state, seg);
            let gs = &mut state.groups[g];
            let n = (per_day * (1.0 - coop)).min(gs.abroad).max(0.0);
            if n > 0.0 {
                gs.abroad -= n;
                state.flows.push(Flow {
                    source: Source::Insurgency(GroupId::at(g)),
                    segment: seg,
                    people: n,
                });
            }
        }
    }
    let intel = policy::intel(cx, state);
    for s in state.segments.iter_mut() {
        s.attempts_today = 0.0;
        s.crossers_today = 0.0;
        s.interdicted_today = 0.0;
    }
    let mut flows = std::mem::take(&mut state.flows);
    let on_fronts = strength_on_fronts(cx, state);
    for (si, seg) in w.segments.iter().enumerate() {
        // Fixed draws: one normal per segment, one uniform per crossing.
        let eps = patronfall_math::exp(cx.p.noise_sd * draws.normal());
        for &x in &seg.crossings {
            let xs = &mut state.crossings[x.index()];
            xs.u = draws.uniform();
            xs.crossed_today = 0.0;
            xs.interdicted_today = 0.0;
        }
        let guards = on_fronts.segments[si];
        let lambda = if seg.length_km > 0.0 {
            cx.p.interdiction_k * guards / seg.length_km * (1.0 + intel) * (1.0 - seg.terrain) * eps
        } else {
            0.0
        };
        let ss = &mut state.segments[si];
        ss.guards = guards;
        ss.p_informal = 1.0 - patronfall_math::exp(-lambda);
        // Guards, noise and collusion are fixed for the day (resolving a
        // flow moves people, not stances or allegiances), so each crossing's
        // probability is computed once a day, not once per flow.
        if flows.iter().any(|f| f.segment.index() == si) {
            for &x in &seg.crossings {
                let factor = if w.crossings[x.index()].official {
                    cx.p.official_factor
                } else {
                    1.0
                };
                let p =
                    1.0 - patronfall_math::exp(-lambda * factor * (1.0 - collusion(cx, state, x)));
                state.crossings[x.index()].p_today = p;
            }
        }
        for flow in flows.iter().filter(|f| f.segment.index() == si) {
            resolve(cx, state, flow);
        }
        if narr.wants() {
            for &x in &seg.crossings {
                let xs = &state.crossings[x.index()];
                let (crossed, stopped) = (xs.crossed_today, xs.interdicted_today);
                if crossed + stopped < 1.0 {
                    continue;
                }
                let importance = if crossed >= 500.0 { 3 } else { 2 };
                let name = &w.crossings[x.index()].name;
                let guards = state.segments[si].guards;
                narr.say(
                    Topic::Border,
                    importance,
                    || format!("{crossed:.0} crossed at {name}, {stopped:.0} interdicted ({} segment: {guards:.0} effective guards)", seg.name),
                    &[("crossed", crossed), ("interdicted", stopped), ("guards", guards)],
                );
            }
        }
    }
    flows.clear();
    state.flows = flows;
    settle_newcomers(cx, state);
}

/// What becomes of the armed newcomers who crossed and joined no group,
/// region by region, each day: the police round up ρ_d · policing of them
/// (held while detention has room), ρ_j join the strongest faction of the
/// region tied by ideology to their patron (if one stands), and ρ_l leave
/// the host, home or onward. The rest stay, armed and unaffiliated.
fn settle_newcomers(cx: &Ctx, state: &mut State) {
    let w = cx.world;
    let p = cx.p;
    let any = state
        .patrons
        .iter()
        .flat_map(|pa| &pa.pools)
        .any(|q| q.unaffiliated.iter().any(|&u| u > 0.0));
    if !any {
        return;
    }
    let mut room = detention_room(w, state);
    for pa in 0..w.patrons.len() {
        for q in 0..w.patrons[pa].pools.len() {
            for r in 0..w.regions.len() {
                let here = state.patrons[pa].pools[q].unaffiliated[r];
                if here <= 0.0 {
                    continue;
                }
                let policing = state.government.policy.policing[r];
                let held = (p.roundup_rate * policing * here).min(room);
                let faction = faction_of(cx, state, pa, RegionId::at(r));
                let joining = faction.map_or(0.0, |_| p.join_rate * here);
                let leaving = p.leave_rate * here;
                // Shares of the same people: never more than are here.
                let scale = (here / (held + joining + leaving).max(here)).min(1.0);
                let (held, joining, leaving) = (held * scale, joining * scale, leaving * scale);
                room -= held;
                let qs = &mut state.patrons[pa].pools[q];
                qs.unaffiliated[r] = (here - held - joining - leaving).max(0.0);
                qs.detained += held;
                qs.departed += leaving;
                qs.joined += joining;
                if let Some(g) = faction {
                    state.groups[g].active += joining;
                }
            }
        }
    }
}

/// The faction newcomers of patron `pa` join in a region: the one there
/// with the most active fighters among those tied to the patron by
/// ideology, still standing (not dissolved or integrated).
fn faction_of(cx: &Ctx, state: &State, pa: usize, region: RegionId) -> Option<usize> {
    cx.links.faithful[pa]
        .iter()
        .filter(|&&(g, r)| {
            let gs = &state.groups[g.index()];
            r == region
                && !matches!(gs.stance, Stance::Dissolved | Stance::Integrated)
                && gs.active > 0.0
        })
        .map(|&(g, _)| g.index())
        .max_by(|&a, &b| {
            state.groups[a]
                .active
                .total_cmp(&state.groups[b].active)
                .then(b.cmp(&a))
        })
}

/// Resolves one flow at its segment's crossings, with the probabilities
/// set on them for the day.
fn resolve(cx: &Ctx, state: &mut State, flow: &Flow) {
    let w = cx.world;
    let seg = &w.segments[flow.segment.index()];
    let official = &cx.links.official[flow.segment.index()];
    let informal = &cx.links.informal[flow.segment.index()];
    let n = flow.people;
    let mut to_official = if informal.is_empty() {
        n
    } else {
        n * (1.0 - cx.p.informal_preference)
    };
    let official_cap = cx.links.official_capacity[flow.segment.index()];
    if official.is_empty() {
        to_official = 0.0;
    }
    let overflow = (to_official - official_cap).max(0.0);
    to_official -= overflow;
    let mut to_informal = n - to_official;
    let informal_cap = cx.links.informal_capacity[flow.segment.index()];
    let waiting = if informal.is_empty() {
        to_informal
    } else {
        (to_informal - informal_cap).max(0.0)
    };
    to_informal -= waiting;
    let mut crossed = 0.0;
    let mut stopped = 0.0;
    for (list, amount, cap) in [
        (official, to_official, official_cap),
        (informal, to_informal, informal_cap),
    ] {
        if amount <= 0.0 || cap <= 0.0 {
            continue;
        }
        for &x in list.iter() {
            let crossing = &w.crossings[x.index()];
            let here = amount * crossing.capacity_per_day / cap;
            let xs = &mut state.crossings[x.index()];
            // min/max rather than clamp: a non-finite `here` must reach the
            // run's finiteness check, not panic.
            let caught = (here * xs.p_today + xs.u).floor().min(here).max(0.0);
            xs.crossed_today += here - caught;
            xs.interdicted_today += caught;
            xs.crossed_total += here - caught;
            stopped += caught;
            crossed += here - caught;
        }
    }
    // Detention room decides who is held and who is turned back (nobody
    // stopped, nobody held: the room need not be counted).
    let held = if stopped > 0.0 {
        stopped.min(detention_room(w, state))
    } else {
        0.0
    };
    let turned_back = stopped - held;
    let ss = &mut state.segments[flow.segment.index()];
    ss.attempts_today += n;
    ss.crossers_today += crossed;
    ss.interdicted_today += stopped;
    ss.crossers_total += crossed;
    ss.interdicted_total += stopped;
    match flow.source {
        Source::Pool(p, q) => {
            let pool = &w.patrons[p.index()].pools[q];
            let qs = &mut state.patrons[p.index()].pools[q];
            qs.detained += held;
            qs.leavers += turned_back + waiting;
            qs.turned_back += turned_back;
            match pool.joins {
                Some(g) if state.groups[g.index()].stance != Stance::Dissolved => {
                    state.patrons[p.index()].pools[q].joined += crossed;
                    state.groups[g.index()].active += crossed;
                }
                _ => {
                    state.patrons[p.index()].pools[q].unaffiliated[seg.region.index()] += crossed;
                }
            }
        }
        Source::Insurgency(g) => {
            let gs = &mut state.groups[g.index()];
            gs.detained += held;
            gs.abroad += turned_back + waiting;
            gs.active += crossed;
        }
    }
}
