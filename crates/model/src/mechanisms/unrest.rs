//! M6 Internal volatility (mean field): hardship, legitimacy and the share of
//! each community active in unrest.
//!
//! Rules (brief §4 M6; Epstein 2002):
//! - Grievance `G = H · (1 − L)`, with hardship H ~ U(h − w, h + w),
//!   w = min(h, 1 − h) (Epstein's U(0, 1) when h = 1/2), and risk aversion
//!   R ~ U(0, 1).
//! - Perceived arrest risk `P(a) = 1 − exp(−k · C_v / (A_v + 1))`, with
//!   k = `unrest.arrest_k` (2.3), C_v = ρ · (0.074/0.7) · V police and
//!   A_v = a · V actives among the V = `unrest.vision` people a person sees;
//!   ρ is the region's police per thousand over `unrest.police_per_1000`
//!   (so ρ = 1 is Epstein's canonical cop density), scaled by policing
//!   competence (`0.5 + 0.5·competence`: police of no competence count half). The mean field drops Epstein's
//!   rounding of C/A: expected values have no integer part.
//! - A person is active when `G − R · P > max(0, T − γ·a)` (T = `unrest.active_threshold`,
//!   γ = `unrest.social_contagion`): seeing others active lowers the bar. This term
//!   is a departure from Epstein's Model I, after the contagion extension of
//!   Lemos, Lopes and Coelho (2018); without it the mean field has no tipping
//!   (Thron and Jackson's smoothness critique), with it the fixed point can
//!   jump and stay high. γ = 0 recovers Epstein's rule.
//!   The active share is a fixed point `a = F(a) = Pr[G − R·P(a) > T]`; F is
//!   computed exactly (H and R uniform give a piecewise-linear integrand) and
//!   iterated from yesterday's share, so the share can tip and stays tipped
//!   (hysteresis). The day closes `unrest.active_speed` of the gap.
//! - Hardship `h = h_0 + s_a · alignment · mean patron loss +
//!   s_p · newcomers/(population/1000) + s_e · Σ_energy w · (1 − ℓ) − r_a · aid`,
//!   where s_a = `unrest.alignment_shock`, s_p = `unrest.presence_shock`,
//!   s_e = `unrest.energy_hardship`, r_a = `unrest.aid_relief`, the patron
//!   loss is 1 − c/c_0, newcomers are the unaffiliated armed arrivals in the
//!   region, and each `energy` tie into the community (weight w, the share of
//!   its electricity the exporter supplies) adds the part of the exporter's
//!   energy level ℓ (M1) that is gone.
//! - Legitimacy target `L* = L_0 + g · Σ_clerics w · sign(guidance) +
//!   i · (inclusiveness − 0.5) + l_a · aid − shocks`, g =
//!   `unrest.guidance_effect`, i = `unrest.inclusiveness_legitimacy`, l_a =
//!   `unrest.aid_legitimacy`; calm (+1), state monopoly (+0.6) and
//!   mobilization (−1) act through the community's ideology ties to clerics.
//!   Shocks (collateral damage, strikes) decay at the legitimacy rate over
//!   `unrest.shock_persistence` (a fifth of it).
//!   L moves toward L* at `unrest.legitimacy_rate`.
//! - Casualties: `a · population · casualty_rate · (2 − competence)` a day.
//!
//! M6-agents (`unrest = "agents"` in a scenario): instead of the fixed point,
//! each community has an Epstein grid (the `patronfall-epstein` crate, Mesa
//! variant, citizen density 0.7) of `side × side` cells, stepped once a day
//! with the same inputs: its legitimacy L, hardship H ~ U(h − w, h + w), and
//! cops = round(ρ · 0.074 · cells) from the region's police density ρ. The
//! active share is the grid's active citizens over its citizens. It has no
//! contagion term and keeps Epstein's rounding, local clustering and jail;
//! where those matter the two differ (docs/model.md, M6). A grid that
//! refuses its inputs (more cops than it has empty cells) stops the run
//! with an [`AgentsProblem`].

use crate::ids::*;
use crate::mechanisms::patron::level_of;
use crate::mechanisms::{Ctx, policy};
use crate::observer::{Narrator, Topic};
use crate::state::State;
use crate::world::TieKind;

/// Epstein's canonical cops per citizen (0.074 / 0.7).
const CANONICAL_COPS_PER_CITIZEN: f64 = 0.074 / 0.7;

/// The share of their strength that police of no competence count for in
/// the police density; competence adds the rest (`0.5 + 0.5 · competence`):
/// an incompetent force still deters by being there (A1).
const INCOMPETENT_POLICE: f64 = 0.5;

/// The leader's inclusiveness at which a community's legitimacy target
/// neither gains nor loses: the middle of its [0, 1] scale.
const NEUTRAL_INCLUSIVENESS: f64 = 0.5;

/// `∫_0^1 clamp(α − βR, 0, 1) dR` for β ≥ 0.
fn clamped_linear_integral(alpha: f64, beta: f64) -> f64 {
    if beta <= 1e-12 {
        return alpha.clamp(0.0, 1.0);
    }
    let r1 = ((alpha - 1.0) / beta).clamp(0.0, 1.0);
    let r0 = (alpha / beta).clamp(0.0, 1.0);
    let ones = r1;
    let linear = alpha * (r0 - r1) - beta * (r0 * r0 - r1 * r1) / 2.0;
    (ones + linear).clamp(0.0, 1.0)
}

/// F(a): the share active when a share `a` is already active.
pub fn response(
    a: f64,
    hardship: f64,
    legitimacy: f64,
    rho: f64,
    p: &crate::params::Params,
) -> f64 {
    if legitimacy >= 1.0 {
        return 0.0;
    }
    let h = hardship.clamp(0.0, 1.0);
    let w = h.min(1.0 - h).max(1e-6);
    let cops = rho * CANONICAL_COPS_PER_CITIZEN * p.vision;
    let actives = a * p.vision + 1.0;
    let risk = 1.0 - patronfall_math::exp(-p.arrest_k * cops / actives);
    let one_minus_l = 1.0 - legitimacy;
    let threshold = (p.active_threshold - p.social_contagion * a).max(0.0);
    let alpha = (h + w - threshold / one_minus_l) / (2.0 * w);
    let beta = risk / (one_minus_l * 2.0 * w);
    clamped_linear_integral(alpha, beta)
}

/// How close to the fixed point [`equilibrium`] stops (a share of the
/// community): far below anything an outcome can show, and a bound on the
/// estimated distance left, not on the last step.
pub const EQUILIBRIUM_TOLERANCE: f64 = 1e-9;

/// The fixed point of F reached from `a0` by monotone iteration.
///
/// F is nondecreasing in a (more actives dilute the arrest risk and lower
/// the threshold), so the iterates move monotonically toward the nearest
/// fixed point in the direction of F(a0) − a0, never past it: that is the
/// hysteresis. Convergence is linear: with ρ = Δ_k/Δ_{k−1} the observed
/// ratio of successive steps (0 < ρ < 1), the distance left after step Δ_k
/// is about |Δ_k| · ρ/(1 − ρ), the tail of a geometric series. The
/// iteration stops once that estimate is below [`EQUILIBRIUM_TOLERANCE`],
/// or once a step is below 1e-10. Stopping early never changes which fixed
/// point is reached, only how many of the last digits are computed.
pub fn equilibrium(
    a0: f64,
    hardship: f64,
    legitimacy: f64,
    rho: f64,
    p: &crate::params::Params,
) -> f64 {
    let mut a = a0.clamp(0.0, 1.0);
    let mut last_step = f64::NAN;
    for _ in 0..200 {
        let next = response(a, hardship, legitimacy, rho, p);
        let step = next - a;
        // With ρ = step/last_step in (0, 1), |step| · ρ/(1 − ρ) equals
        // step²/(|last_step| − |step|): the estimate without dividing.
        let (now, before) = (step.abs(), last_step.abs());
        if now < 1e-10
            || (step * last_step > 0.0
                && now < before
                && step * step < EQUILIBRIUM_TOLERANCE * (before - now))
        {
            return next;
        }
        last_step = step;
        a = next;
    }
    a
}

/// Relative police density ρ of a region (1 = Epstein's canonical density),
/// from the effective state strength policing it (`police`, fighters: see
/// [`policy::strength_on_fronts`]).
pub fn police_density(cx: &Ctx, state: &State, region: RegionId, police: f64) -> f64 {
    let pop = cx.links.region_population[region.index()];
    if pop <= 0.0 {
        return 0.0;
    }
    let competence = state.government.policy.policing[region.index()];
    police * (INCOMPETENT_POLICE + (1.0 - INCOMPETENT_POLICE) * competence) / pop * 1000.0
        / cx.p.police_per_1000
}

/// Why M6-agents could not go on: a community's Epstein grid refused what
/// it was given. The run stops and reports it in `RunResult::problems`.
#[derive(Clone, Debug)]
pub enum AgentsProblem {
    /// A community's grid could not be built at the start of the run.
    Build {
        /// The community's name.
        community: String,
        /// What the grid said.
        error: patronfall_epstein::ParamError,
    },
    /// A community's grid refused a day's inputs.
    Step {
        /// The community's name.
        community: String,
        /// The police density asked for (1 is Epstein's canonical density).
        police_density: f64,
        /// What the grid said.
        error: patronfall_epstein::ParamError,
    },
}

impl std::fmt::Display for AgentsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AgentsProblem::Build { community, error } => {
                write!(
                    f,
                    "M6-agents: the grid of {community} cannot be built: {error}"
                )
            }
            AgentsProblem::Step {
                community,
                police_density,
                error: error @ patronfall_epstein::ParamError::NoRoom { .. },
            } => write!(
                f,
                "M6-agents: the grid of {community} refused the day's police: {error} \
                 (police density {police_density:.2} of Epstein's canonical density; a grid \
                 holds at most about 4 times it beside its citizens). Lower the policing \
                 there (the state forces' allocation or `unrest.police_per_1000`) or use \
                 `unrest = \"mean_field\"`"
            ),
            AgentsProblem::Step {
                community, error, ..
            } => write!(
                f,
                "M6-agents: the grid of {community} refused the day's inputs: {error}"
            ),
        }
    }
}

/// Creates the M6-agents grids when the world asks for them.
pub fn start_agents(
    world: &crate::world::World,
    state: &mut State,
    seed: u64,
) -> Result<(), AgentsProblem> {
    let crate::world::UnrestModel::Agents { side } = world.unrest else {
        return Ok(());
    };
    state.agents = world
        .communities
        .iter()
        .enumerate()
        .map(|(c, com)| {
            let params = patronfall_epstein::Params {
                width: side,
                height: side,
                legitimacy: com.legitimacy,
                ..patronfall_epstein::Params::mesa_defaults()
            };
            patronfall_epstein::Grid::new(params, crate::rng::run_seed(seed, 1_000_003 + c as u64))
                .map_err(|error| AgentsProblem::Build {
                    community: com.name.clone(),
                    error,
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// Steps a community's Epstein grid one day with today's inputs; returns its active share.
fn agents_day(
    grid: &mut patronfall_epstein::Grid,
    hardship: f64,
    legitimacy: f64,
    rho: f64,
) -> Result<f64, patronfall_epstein::ParamError> {
    let w = hardship.min(1.0 - hardship);
    grid.set_legitimacy(legitimacy.clamp(0.0, 1.0))?;
    grid.set_hardship(patronfall_epstein::Hardship::Uniform {
        low: hardship - w,
        high: hardship + w,
    })?;
    // The grid's own densities (Mesa's 0.7 citizens and 0.074 cops a cell).
    let (citizen_density, cop_density) = (grid.params().citizen_density, grid.params().cop_density);
    let cells = f64::from(grid.citizen_count()) / citizen_density;
    grid.set_cop_count((rho * cop_density * cells).round().max(0.0) as u32)?;
    grid.step();
    let n = grid.citizen_count();
    Ok(if n == 0 {
        0.0
    } else {
        f64::from(grid.counts().active) / f64::from(n)
    })
}

/// Updates hardship, legitimacy, active shares and casualties. Fails when an
/// M6-agents grid refuses the day's inputs (the run then stops).
pub fn step(cx: &Ctx, state: &mut State, narr: &mut Narrator) -> Result<(), AgentsProblem> {
    let w = cx.world;
    let p = cx.p;
    let patron_loss = if state.patrons.is_empty() {
        0.0
    } else {
        state
            .patrons
            .iter()
            .map(|ps| {
                if ps.baseline > 0.0 {
                    1.0 - ps.capacity / ps.baseline
                } else {
                    0.0
                }
            })
            .sum::<f64>()
            / state.patrons.len() as f64
    }
    .clamp(0.0, 1.0);
    let aid = state.government.policy.aid;
    let inclusiveness = w.host.leader.inclusiveness;
    let mut by_region: Vec<Option<(f64, f64)>> = vec![None; w.regions.len()];
    let police = policy::strength_on_fronts(cx, state).regions;
    for (c, com) in w.communities.iter().enumerate() {
        let region_pop = cx.links.region_population[com.region.index()];
        let newcomers = state.unaffiliated_in(com.region.index());
        // Electricity lost: each exporter's share of the community's power
        // times the part of its level gone (M1's energy channel).
        let power_lost: f64 = cx.links.energy[c]
            .iter()
            .map(|&(state_ref, share)| {
                share * (1.0 - level_of(&state.sponsor_levels, state_ref, TieKind::Energy)).max(0.0)
            })
            .sum();
        let hardship = (com.hardship
            + p.alignment_shock * com.patron_alignment * patron_loss
            + p.presence_shock * newcomers / (region_pop / 1000.0).max(1e-9)
            + p.energy_hardship * power_lost
            - p.aid_relief * aid)
            .clamp(0.0, 1.0);
        let mut guidance = 0.0;
        for &(a, weight) in &cx.links.followed[c] {
            guidance += weight * state.guidance[a.index()].legitimacy_sign();
        }
        // Both read only forces and levers, which this loop leaves alone:
        // once per region and day is enough.
        let (rho, competence) = *by_region[com.region.index()].get_or_insert_with(|| {
            (
                police_density(cx, state, com.region, police[com.region.index()]),
                state.government.policy.policing[com.region.index()],
            )
        });
        let cs = &mut state.communities[c];
        cs.grievance_shock *= 1.0 - p.legitimacy_rate / p.shock_persistence;
        let target = (com.legitimacy
            + p.guidance_effect * guidance
            + p.inclusiveness_legitimacy * (inclusiveness - NEUTRAL_INCLUSIVENESS)
            + p.aid_legitimacy * aid
            - cs.grievance_shock)
            .clamp(0.0, 1.0);
        cs.legitimacy =
            (cs.legitimacy + p.legitimacy_rate * (target - cs.legitimacy)).clamp(0.0, 1.0);
        cs.hardship = hardship;
        let before = cs.active;
        cs.active = match state.agents.get_mut(c) {
            Some(grid) => agents_day(grid, hardship, cs.legitimacy, rho).map_err(|error| {
                AgentsProblem::Step {
                    community: com.name.clone(),
                    police_density: rho,
                    error,
                }
            })?,
            None => {
                let a_star = equilibrium(cs.active, hardship, cs.legitimacy, rho, p);
                (before + p.active_speed * (a_star - before)).clamp(0.0, 1.0)
            }
        };
        cs.casualties += cs.active * com.population * p.casualty_rate * (2.0 - competence);
        for mark in [0.02, 0.05, 0.1, 0.2] {
            if before < mark && cs.active >= mark {
                let (name, a, l, h) = (&com.name, cs.active, cs.legitimacy, hardship);
                narr.say(
                    Topic::Unrest,
                    if mark >= 0.05 { 3 } else { 2 },
                    || format!("unrest in {name}: {:.1}% active (legitimacy {l:.2}, hardship {h:.2}, police density {rho:.2} of canonical)", a * 100.0),
                    &[("active_share", a), ("legitimacy", l), ("hardship", h), ("police_density", rho)],
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn integral_matches_numeric() {
        for &(alpha, beta) in &[
            (0.3, 0.0),
            (1.5, 0.7),
            (0.8, 2.0),
            (2.0, 0.5),
            (-0.2, 0.3),
            (0.5, 0.4),
        ] {
            let n = 100_000;
            let numeric: f64 = (0..n)
                .map(|i| (alpha - beta * (i as f64 + 0.5) / n as f64).clamp(0.0, 1.0))
                .sum::<f64>()
                / n as f64;
            assert!(
                (clamped_linear_integral(alpha, beta) - numeric).abs() < 1e-6,
                "{alpha} {beta}"
            );
        }
    }

    #[test]
    fn epstein_calm_near_police_active_without() {
        // Epstein's canonical setting (H ~ U(0,1), L = 0.8): with canonical
        // police nobody turns active; with no police the share with
        // 0.2·H > 0.1, i.e. H > 0.5, turns active: one half.
        // With canonical police only the least risk-averse with the highest
        // hardship act (0.2·H − R > 0.1: a share of 0.025).
        let p = Params {
            social_contagion: 0.0,
            ..Params::default()
        };
        let policed = equilibrium(0.0, 0.5, 0.8, 1.0, &p);
        assert!(policed < 0.03, "{policed}");
        assert!((equilibrium(0.0, 0.5, 0.8, 0.0, &p) - 0.5).abs() < 1e-6);
    }

    /// The fixed point iterated until its steps vanish, for comparison.
    fn exact_equilibrium(a0: f64, h: f64, l: f64, rho: f64, p: &Params) -> f64 {
        let mut a = a0;
        for _ in 0..100_000 {
            let next = response(a, h, l, rho, p);
            if next == a {
                break;
            }
            a = next;
        }
        a
    }

    #[test]
    fn equilibrium_stops_within_its_tolerance_of_the_fixed_point() {
        // A grid over the conditions communities meet, from calm to riot,
        // started from calm and from a high share; the early stop must stay
        // within the tolerance of the fixed point the iteration converges to.
        let p = Params::default();
        let mut worst: f64 = 0.0;
        let mut checked = 0;
        for &a0 in &[0.0, 0.02, 0.3, 0.9] {
            for h in [0.2, 0.35, 0.45, 0.5, 0.6, 0.8] {
                for l in [0.3, 0.45, 0.56, 0.7, 0.85] {
                    for rho in [0.0, 0.2, 0.5, 1.0, 2.0] {
                        let fast = equilibrium(a0, h, l, rho, &p);
                        let exact = exact_equilibrium(a0, h, l, rho, &p);
                        worst = worst.max((fast - exact).abs());
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 600);
        assert!(
            worst <= EQUILIBRIUM_TOLERANCE,
            "worst distance {worst:e} over {checked} cases"
        );
    }

    #[test]
    fn higher_legitimacy_means_fewer_active() {
        let p = Params::default();
        let low = equilibrium(0.0, 0.6, 0.5, 0.3, &p);
        let high = equilibrium(0.0, 0.6, 0.7, 0.3, &p);
        assert!(high < low, "{high} !< {low}");
    }

    #[test]
    fn tipping_shows_hysteresis() {
        // Started from a high active share, the same conditions hold a much
        // larger share than from calm: actives dilute the arrest risk and
        // lower each other's threshold. Without contagion there is one
        // equilibrium (Thron and Jackson's smoothness).
        let p = Params {
            social_contagion: 0.2,
            ..Params::default()
        };
        let from_calm = equilibrium(0.0, 0.45, 0.56, 1.0, &p);
        let from_riot = equilibrium(0.9, 0.45, 0.56, 1.0, &p);
        assert!(
            from_riot > from_calm + 0.2,
            "calm {from_calm} riot {from_riot}"
        );
        let p0 = Params {
            social_contagion: 0.0,
            ..p
        };
        let a = equilibrium(0.0, 0.45, 0.56, 1.0, &p0);
        let b = equilibrium(0.9, 0.45, 0.56, 1.0, &p0);
        assert!((a - b).abs() < 1e-6);
    }
}
