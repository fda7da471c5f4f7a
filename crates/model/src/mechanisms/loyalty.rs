//! M3 Loyalty and cohesion: allegiance, morale, the desertion cascade and
//! effective strength.
//!
//! Rules (brief §4 M3), per armed group g not integrated or dissolved:
//! - Pulls on allegiance, each ≥ 0:
//!   patron `= Σ_ideology w·continuity + Σ_commands w·c_p + Σ_sponsor w·E_g`;
//!   host `= (w_pays·π_g + offer value·credibility)·(1 − commitment) +
//!   c·inclusiveness + Σ_followed clerics w·max(0, guidance)` (material
//!   incentives move ideologues least: Humphreys and Weinstein 2005;
//!   c = `loyalty.inclusiveness_pull`);
//!   self `= s + a·min(1, arrears/horizon)` (s = `loyalty.self_pull`,
//!   a = `loyalty.arrears_pull`).
//!   (A weighted linear update after domain-facts §7.5 (1), with the patron's
//!   shown support entering through expected support.) Target shares are the
//!   pulls over their sum; allegiance moves toward them at `loyalty.allegiance_rate`
//!   a day, then toward the mean allegiance of its peers (groups tied to the
//!   same patron by ideology) at `loyalty.contagion` (S3 contagion).
//! - Morale target `m* = m_0 · (1 − d + d·min(1, E_g/s_g,0)) · (1 − a·min(1, arrears/H))`
//!   (s_g,0 the support received on day 0: a group judges support against
//!   what it is used to)
//!   with d the sponsor dependence, a = `loyalty.arrears_morale`,
//!   H = `resources.arrears_horizon`; morale moves toward it at
//!   `loyalty.morale_rate` a day (shocks from events and M7 act directly).
//!   A group short of stocks (M2) loses `resources.stocks_morale ·
//!   (1 − σ_S)` of its target as well, σ_S = min(1, S/critical).
//! - Desertion has two phases. Pressure
//!   `q = pressure_weight · max(0, 1 − morale/morale_0)` (morale lost since
//!   the start, scaled by `1 − loyalty.ideology_cohesion · ideology`:
//!   ideologues hold together longest; a unit at its usual morale is under
//!   no pressure), and for the host's own forces by the leader's factor
//!   `1 + c·(1 − integrity − inclusiveness)` (M9, see [`leader_cohesion`]).
//!   *Hollowing*: every day `loyalty.hollowing_rate · q` of the active
//!   fighters slip away, trigger or none. *Breaking* (Granovetter 1978):
//!   thresholds θ ~ N(μ_g, σ_g); the cascade's pressure is `q · alarm`, so a
//!   unit breaks only once something alarms it (M7: losing a fight, the
//!   capital threatened; events: elite defection). A fighter leaves when
//!   the share s(r) he sees gone plus `q · alarm` exceeds θ: the equilibrium
//!   is the smallest fixed point r* ≥ r of `r = Φ((s(r) + q·alarm − μ)/σ)`,
//!   s(r) = r for factions and insurgencies and, for the host's forces, the
//!   larger of r and the share gone from the host's whole army ([`Seen`]). Each
//!   day the share closes `loyalty.desertion_speed` of the gap to r*. Alarm
//!   fades by `loyalty.alarm_decay` a day. Of those who leave in the
//!   cascade, the group's `defection_share` go over to the group it defects
//!   to, with their arms (cases brief: SLA units and Derg commanders).
//! - Effective strength `= active · fill rate · σ_S · morale`
//!   (domain-facts §7.5 (4), with stocks).

use crate::ids::*;
use crate::links::Pull;
use crate::mechanisms::{Ctx, policy};
use crate::observer::{Narrator, Topic};
use crate::rng::normal_cdf;
use crate::state::{Seen, State};
use crate::world::{GroupRole, Stance};

/// Smallest fixed point r* ≥ r0 of r = Φ((s(r) + q − μ)/σ), s the share
/// seen gone ([`Seen`]; s(r) = r for a group that watches only itself:
/// Granovetter's equilibrium reached from r0), by monotone iteration (s is
/// nondecreasing in r).
pub fn cascade_equilibrium(r0: f64, pressure: f64, seen: Seen, mu: f64, sigma: f64) -> f64 {
    let sigma = sigma.max(1e-6);
    let mut r = r0;
    for _ in 0..200 {
        let next = normal_cdf((seen.share(r) + pressure - mu) / sigma).max(r0);
        if (next - r).abs() < 1e-9 {
            return next;
        }
        r = next;
    }
    r
}

/// The factor on the desertion pressure of the host's own forces that the
/// leader's profile sets (M9: the leader sets the cohesion of the security
/// forces): `1 + c · (1 − integrity − inclusiveness)`, c =
/// `loyalty.leader_cohesion`; 1 for a leader at 0.5 on both, below 1 for an
/// honest, inclusive one. After SIGAR (2021): sacking security chiefs along
/// ethnic lines undermined the Afghan forces' cohesion.
pub fn leader_cohesion(w: &crate::world::World, p: &crate::params::Params) -> f64 {
    let leader = &w.host.leader;
    (1.0 + p.leader_cohesion * (1.0 - leader.integrity - leader.inclusiveness)).max(0.0)
}

/// The factor supply puts on a group's combat power:
/// `min(1, max(S/critical, flow))`: stocks above the critical level leave it
/// whole, and a group whose stocks are gone still fights with what arrives
/// each day (its supply flow, M2).
pub fn stocks_factor(p: &crate::params::Params, gs: &crate::state::GroupState) -> f64 {
    (gs.stocks / p.critical_stocks.max(1e-9))
        .max(gs.supply_flow)
        .clamp(0.0, 1.0)
}

/// A group's effective strength from its state: active fighters times fill
/// rate, stocks factor and morale.
pub fn effective(
    group: &crate::world::ArmedGroup,
    gs: &crate::state::GroupState,
    p: &crate::params::Params,
) -> f64 {
    gs.active * per_listed(group, gs, p)
}

/// Effective fighters per listed fighter: fill rate × stocks factor × morale.
pub fn per_listed(
    group: &crate::world::ArmedGroup,
    gs: &crate::state::GroupState,
    p: &crate::params::Params,
) -> f64 {
    group.fill_rate * stocks_factor(p, gs) * gs.morale
}

/// Raises a group's alarm to at least `level` (M3's cascade trigger).
pub fn alarm(state: &mut State, g: usize, level: f64) {
    let gs = &mut state.groups[g];
    gs.alarm = gs.alarm.max(level.clamp(0.0, 1.0));
}

/// Updates allegiance, morale, desertion and effective strength.
pub fn step(cx: &Ctx, state: &mut State, narr: &mut Narrator) {
    let w = cx.world;
    let p = cx.p;
    let n = w.groups.len();
    // Pulls are computed from the day's snapshot, then applied together.
    // One pass over the ties adds each tie to the group it pulls (per group
    // in tie order, as a per-group scan would).
    let mut patron_pull = vec![0.0; n];
    let mut host_pull = vec![0.0; n];
    let mut material = vec![0.0; n];
    // members[pa·n + g]: group g holds an ideology tie to patron pa.
    let mut members = vec![false; w.patrons.len() * n];
    for pull in &cx.links.pulls {
        match *pull {
            Pull::PatronIdeology(f, pa, weight) => {
                patron_pull[f.index()] += weight * state.patrons[pa.index()].continuity;
                members[pa.index() * n + f.index()] = true;
            }
            Pull::Guidance(f, a, weight) => {
                host_pull[f.index()] +=
                    weight * state.guidance[a.index()].legitimacy_sign().max(0.0);
            }
            Pull::Commands(g, pa, weight) => {
                patron_pull[g.index()] += weight * state.patrons[pa.index()].capacity;
            }
            Pull::Sponsorship(g, weight) => {
                patron_pull[g.index()] += weight * state.groups[g.index()].expected_support;
            }
            Pull::Payroll(g, weight) => {
                material[g.index()] += weight * state.groups[g.index()].pay_rate;
            }
        }
    }
    let mut targets = vec![[0.0f64; 3]; n];
    let credibility = policy::OfferCredibility::today(cx, state);
    for (g, group) in w.groups.iter().enumerate() {
        let gs = &state.groups[g];
        let mut material = material[g];
        if group.role == GroupRole::Faction {
            let terms = state.government.policy.offer_terms[g];
            let value = policy::offer_value(p, terms);
            if value > 0.0 {
                material += value * credibility.at(terms[0]);
            }
        }
        // Ideologues are moved least by material incentives (Humphreys and
        // Weinstein 2005).
        let host_pull = host_pull[g]
            + (material * (1.0 - group.ideology)
                + p.inclusiveness_pull * w.host.leader.inclusiveness);
        let patron_pull = patron_pull[g];
        let self_pull = p.self_pull + p.arrears_pull * (gs.arrears / p.arrears_horizon).min(1.0);
        let total = patron_pull + host_pull + self_pull;
        targets[g] = [patron_pull / total, host_pull / total, self_pull / total];
    }
    // Peer means: groups tied by ideology to the same patron, weighted by fighters.
    let mut peer_mean = vec![None; n];
    for pa in 0..w.patrons.len() {
        let members: Vec<usize> = (0..n).filter(|&g| members[pa * n + g]).collect();
        let weight: f64 = members.iter().map(|&g| state.groups[g].active).sum();
        if members.len() < 2 || weight <= 0.0 {
            continue;
        }
        let mut mean = [0.0; 3];
        for &g in &members {
            for (k, m) in mean.iter_mut().enumerate() {
                *m += state.groups[g].allegiance[k] * state.groups[g].active / weight;
            }
        }
        for &g in &members {
            peer_mean[g] = Some(mean);
        }
    }
    let leadership = leader_cohesion(w, p);
    // The host's army as its soldiers see it: listed fighters and those
    // gone across all its forces, as the day starts.
    let (army_listed, army_gone) = w
        .groups
        .iter()
        .zip(&state.groups)
        .filter(|(g, _)| g.role == GroupRole::StateForce)
        .fold((0.0, 0.0), |(listed, gone), (g, gs)| {
            (listed + g.fighters, gone + gs.desertion_share * g.fighters)
        });
    // A state force whose desertion passes a quarter of its fighters today
    // is seen running by the rest of the host's forces.
    let mut routed = false;
    for (g, group) in w.groups.iter().enumerate() {
        let gs = &mut state.groups[g];
        if matches!(gs.stance, Stance::Integrated | Stance::Dissolved) {
            gs.effective = 0.0;
            continue;
        }
        for k in 0..3 {
            gs.allegiance[k] += p.allegiance_rate * (targets[g][k] - gs.allegiance[k]);
            if let Some(mean) = peer_mean[g] {
                gs.allegiance[k] += p.contagion * (mean[k] - gs.allegiance[k]);
            }
        }
        let sum: f64 = gs.allegiance.iter().sum();
        gs.allegiance
            .iter_mut()
            .for_each(|a| *a = (*a / sum).clamp(0.0, 1.0));

        let d = group.sponsor_dependence;
        let arrears = (gs.arrears / p.arrears_horizon).min(1.0);
        // Support is judged against the level the group is used to (day 0).
        let relative = if gs.support_start > 0.0 {
            (gs.expected_support / gs.support_start).min(1.0)
        } else {
            1.0
        };
        let stocks = stocks_factor(p, gs);
        let target = group.morale
            * (1.0 - d + d * relative)
            * (1.0 - p.arrears_morale * arrears)
            * (1.0 - p.stocks_morale * (1.0 - stocks));
        gs.morale = (gs.morale + p.morale_rate * (target - gs.morale)).clamp(0.0, 1.0);
        // Fighters judge their morale against what they are used to, which
        // follows it slowly (τ_R): lasting hardship stops pressing once it is
        // the norm.
        let usual = gs.morale_usual;
        gs.morale_usual += (gs.morale - usual) / p.reference_days;

        let mut defectors = None;
        if group.fighters > 0.0 && group.threshold_sd > 0.0 {
            let seen = if group.role == GroupRole::StateForce && army_listed > group.fighters {
                Seen {
                    own_weight: group.fighters / army_listed,
                    elsewhere: (army_gone - gs.desertion_share * group.fighters).max(0.0)
                        / army_listed,
                }
            } else {
                Seen::OWN
            };
            let lost = if usual > 0.0 {
                p.pressure_weight
                    * (1.0 - gs.morale / usual).max(0.0)
                    * (1.0 - p.ideology_cohesion * group.ideology)
                    * if group.role == GroupRole::StateForce {
                        leadership
                    } else {
                        1.0
                    }
            } else {
                0.0
            };
            // Hollowing: a steady trickle under lost morale.
            let slipping = (p.hollowing_rate * lost * gs.active)
                .min(gs.active)
                .max(0.0);
            gs.active -= slipping;
            gs.deserted += slipping;
            // The share counts listed fighters at the start; recruits and
            // defectors who joined can take more away, so it stops at 1.
            gs.desertion_share = (gs.desertion_share + slipping / group.fighters).min(1.0);
            // The share already gone that the others see fades as it ages,
            // with the time constant of the morale they are used to (τ_R):
            // desertions of years ago, their places since taken by
            // recruits, no longer push the rest to follow.
            gs.desertion_share *= 1.0 - 1.0 / p.reference_days.max(1.0);
            // Breaking: the cascade, which needs alarm.
            let pressure = lost * gs.alarm;
            let r_star = match gs.desertion_memo {
                // The same inputs, bit for bit, give the same equilibrium.
                Some((start, q, s, r_star))
                    if start.to_bits() == gs.desertion_share.to_bits()
                        && q.to_bits() == pressure.to_bits()
                        && s.own_weight.to_bits() == seen.own_weight.to_bits()
                        && s.elsewhere.to_bits() == seen.elsewhere.to_bits() =>
                {
                    r_star
                }
                _ => {
                    let r_star = cascade_equilibrium(
                        gs.desertion_share,
                        pressure,
                        seen,
                        group.threshold_mean,
                        group.threshold_sd,
                    );
                    gs.desertion_memo = Some((gs.desertion_share, pressure, seen, r_star));
                    r_star
                }
            };
            let before = gs.desertion_share;
            let next = before + p.desertion_speed * (r_star - before);
            let leaving = ((next - before) * group.fighters).min(gs.active).max(0.0);
            gs.active -= leaving;
            gs.desertion_share = next;
            match group.defection {
                Some((to, share)) if leaving > 0.0 && share > 0.0 => {
                    gs.deserted += leaving * (1.0 - share);
                    gs.defected += leaving * share;
                    defectors = Some((to, leaving * share));
                }
                _ => gs.deserted += leaving,
            }
            let rout = cx.p.rout_share;
            if group.role == GroupRole::StateForce && before < rout && next >= rout {
                routed = true;
            }
            for mark in [0.1, 0.25, 0.5] {
                if before < mark && next >= mark {
                    let name = &group.name;
                    let morale = gs.morale;
                    narr.say(
                        Topic::Cohesion,
                        if mark >= 0.25 { 3 } else { 2 },
                        || format!("{name}: desertion cascade passes {:.0}% of its fighters (morale {morale:.2}, {leaving:.0} left today)", mark * 100.0),
                        &[("desertion_share", next), ("morale", morale), ("deserted_today", leaving)],
                    );
                }
            }
        }
        gs.alarm *= 1.0 - p.alarm_decay;
        gs.effective = effective(group, gs, p);
        if let Some((to, n)) = defectors {
            defect(cx, state, GroupId::at(g), to, n, narr);
        }
    }
    // Tomorrow every state force cascades on full alarm (the forces that
    // routed included: their own collapse keeps them looking at each other).
    if routed {
        for (g, group) in w.groups.iter().enumerate() {
            if group.role == GroupRole::StateForce {
                alarm(state, g, 1.0);
            }
        }
    }
}

/// Elite defection: the share `share` of group g's active fighters leave
/// with their commanders, going over to `to` with their arms (or home when
/// `to` is none), and every group of g's role is alarmed to the full (a
/// cascade trigger). Counted in `elite_defections`. Returns how many left.
pub fn elite_defection(
    cx: &Ctx,
    state: &mut State,
    g: GroupId,
    to: Option<GroupId>,
    share: f64,
    narr: &mut Narrator,
) -> f64 {
    let w = cx.world;
    let gs = &mut state.groups[g.index()];
    let n = gs.active * share.clamp(0.0, 1.0);
    gs.active -= n;
    match to {
        Some(to) => {
            gs.defected += n;
            defect(cx, state, g, to, n, narr);
        }
        None => gs.deserted += n,
    }
    let role = w.groups[g.index()].role;
    for (h, other) in w.groups.iter().enumerate() {
        if other.role == role {
            alarm(state, h, 1.0);
        }
    }
    let gs = &mut state.groups[g.index()];
    gs.effective = effective(&w.groups[g.index()], gs, cx.p);
    state.elite_defections += 1;
    n
}

/// Moves `n` fighters who left group `from` to group `to`, with their arms
/// (they join its active fighters; a dissolved or integrated group takes
/// none, and they count as deserted instead).
pub fn defect(
    cx: &Ctx,
    state: &mut State,
    from: GroupId,
    to: GroupId,
    n: f64,
    narr: &mut Narrator,
) {
    let ts = &mut state.groups[to.index()];
    if matches!(ts.stance, Stance::Integrated | Stance::Dissolved) || n <= 0.0 {
        let fs = &mut state.groups[from.index()];
        fs.defected -= n;
        fs.deserted += n;
        return;
    }
    ts.active += n;
    ts.effective = effective(&cx.world.groups[to.index()], ts, cx.p);
    let (a, b) = (
        &cx.world.groups[from.index()].name,
        &cx.world.groups[to.index()].name,
    );
    narr.say(
        Topic::Cohesion,
        2,
        || format!("{n:.0} fighters of {a} go over to {b} with their arms"),
        &[("defected", n)],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granovetter_jump_in_sigma() {
        // Granovetter (1978): thresholds N(0.25, σ) with no outside pressure;
        // the outcome jumps from a small share to nearly all as σ passes ≈ 0.12.
        let low = cascade_equilibrium(0.0, 0.0, Seen::OWN, 0.25, 0.10);
        let high = cascade_equilibrium(0.0, 0.0, Seen::OWN, 0.25, 0.14);
        assert!(low < 0.1, "σ=0.10 gave {low}");
        assert!(high > 0.9, "σ=0.14 gave {high}");
    }

    #[test]
    fn a_unit_that_sees_the_army_melt_breaks() {
        // Pressure 0.3 against thresholds N(0.55, 0.1): alone, a unit sheds
        // a few of its fighters; seeing a fifth of the army gone beside it,
        // it breaks.
        let alone = cascade_equilibrium(0.0, 0.3, Seen::OWN, 0.55, 0.10);
        let seen = Seen {
            own_weight: 0.8,
            elsewhere: 0.2,
        };
        let beside = cascade_equilibrium(0.0, 0.3, seen, 0.55, 0.10);
        assert!(alone < 0.1, "alone {alone}");
        assert!(beside > 0.9, "beside a melting force {beside}");
        // A unit's own collapse is never diluted by a steadier army.
        let steady = Seen {
            own_weight: 0.2,
            elsewhere: 0.0,
        };
        assert_eq!(steady.share(0.5), 0.5);
        assert_eq!(Seen::OWN.share(0.37), 0.37);
    }

    #[test]
    fn equilibrium_never_below_start() {
        assert!(cascade_equilibrium(0.3, 0.0, Seen::OWN, 0.9, 0.05) >= 0.3);
    }

    #[test]
    fn a_group_with_empty_stocks_fights_with_what_arrives() {
        let p = crate::params::Params::default();
        let gs = |stocks: f64, supply_flow: f64| crate::state::GroupState {
            stocks,
            supply_flow,
            ..Default::default()
        };
        // Stocks above the critical level leave the group whole.
        assert_eq!(stocks_factor(&p, &gs(2.0 * p.critical_stocks, 0.0)), 1.0);
        // Half the critical stocks, nothing arriving: half.
        assert_eq!(stocks_factor(&p, &gs(0.5 * p.critical_stocks, 0.0)), 0.5);
        // Empty stocks, 40% of the day's use delivered: 40%.
        assert_eq!(stocks_factor(&p, &gs(0.0, 0.4)), 0.4);
    }
}
