//! One run: a pure function of (world, course of action, shock, days, seed).
//!
//! `run` builds the day-0 state, then steps day by day in the order of
//! [`DAY_ORDER`](crate::mechanisms::DAY_ORDER), computes the day's outcomes,
//! hands them to the observer, and at the end checks the futures in order.
//! A numerical surprise (a NaN outcome) or a mechanism that cannot go on
//! (an M6-agents grid that refuses its inputs) stops that run and is
//! reported in [`RunResult::problems`] instead of aborting the caller.

use crate::ids::*;
use crate::mechanisms::{
    Ctx, contest, events, firebreak, government, loyalty, outside, patron, policy, resources,
    settlement, stance, unrest,
};
use crate::observer::{Narrator, Observer};
use crate::outcomes::{Condition, DayOutcomes, Outcome, Reductions};
use crate::rng::Streams;
use crate::state::{GroupState, State};
use crate::world::{ArmedGroup, Event, GroupRole, Stance, World};

/// What a run plays.
#[derive(Clone, Copy, Debug)]
pub struct RunSpec<'a> {
    /// The world.
    pub world: &'a World,
    /// The course of action.
    pub coa: CoaId,
    /// The shock, if any.
    pub shock: Option<ShockId>,
    /// Days to simulate.
    pub days: u32,
    /// The run's seed (derive it with [`crate::rng::run_seed`]).
    pub seed: u64,
}

/// What a run returns.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Index of the future reached (first whose rule holds), if any holds.
    pub future: Option<usize>,
    /// Per future (in rule order) and per condition of its `when`: the
    /// signed margin by which the condition held (positive or zero) or
    /// failed (negative), in the outcome's unit ([`Condition::margin`]).
    /// The future reached is the first whose margins all say "held". NaN
    /// when the run stopped on a problem.
    pub margins: Vec<Vec<f64>>,
    /// Reductions (end, max, min, mean) of every outcome.
    pub reductions: Reductions,
    /// Outcomes on day 0.
    pub start: DayOutcomes,
    /// Days actually simulated.
    pub days: u32,
    /// Day the capital fell, if it did.
    pub capital_fell: Option<u32>,
    /// Each group's stance at the end.
    pub stances: Vec<Stance>,
    /// Whether each group's stance means something at the end: a faction
    /// (a splinter once it has broken away) or an insurgency; false for the
    /// state's forces and for splinters that never formed.
    pub has_stance: Vec<bool>,
    /// Problems that stopped the run early (empty when all is well): an
    /// outcome that is not a finite number, or an M6-agents grid that
    /// refused its inputs. Each names its day.
    pub problems: Vec<String>,
}

/// Runs one experiment.
pub fn run(spec: RunSpec, observer: &mut dyn Observer) -> RunResult {
    let world = spec.world;
    let coa = &world.coas[spec.coa.index()];
    let events: Vec<&Event> = world
        .events
        .iter()
        .chain(
            spec.shock
                .map(|s| world.shocks[s.index()].events.iter())
                .into_iter()
                .flatten(),
        )
        .collect();
    let mut state = State::new(world, events.len(), coa.triggers.len());
    let agents = unrest::start_agents(world, &mut state, spec.seed);
    let mut streams = Streams::new(spec.seed);
    let mut narr = Narrator::new(observer);

    let links = crate::links::Links::new(world);
    let cx0 = Ctx::new(world, &links, coa, 0);
    policy::refresh_policy(&cx0, &mut state);
    patron::update_support(&cx0, &mut state);
    for gs in &mut state.groups {
        gs.expected_support = gs.support;
        gs.support_start = gs.support;
    }
    for (g, group) in world.groups.iter().enumerate() {
        let gs = &mut state.groups[g];
        gs.effective = crate::mechanisms::loyalty::effective(group, gs, cx0.p);
        gs.effective_start = gs.effective;
    }
    state.effective_start_total = non_state_effective(world, &state);
    state.outside_control_start = outside_control(world, &state);
    let start = outcomes(&cx0, &state);
    let mut reductions = Reductions::new(&start);
    narr.end_of_day(&start, &state);
    let mut last = start;
    let mut problems = Vec::new();
    if let Err(e) = agents {
        problems.push(format!("day 0: {e}"));
    }
    if let Some(bad) = Outcome::ALL
        .into_iter()
        .find(|o| !start.get(*o).is_finite())
    {
        problems.push(format!(
            "day 0: outcome {} is not a finite number",
            bad.name()
        ));
    }
    let mut days = 0;
    let first_day = if problems.is_empty() {
        1
    } else {
        spec.days + 1
    };
    for day in first_day..=spec.days {
        let cx = Ctx::new(world, &links, coa, day);
        narr.day = day;
        state.day = day;
        if let Err(e) = step_day(
            &cx,
            &events,
            &mut state,
            &mut streams,
            &reductions,
            &last,
            &mut narr,
        ) {
            problems.push(format!("day {day}: {e}"));
            break;
        }
        let today = outcomes(&cx, &state);
        if let Some(bad) = Outcome::ALL
            .into_iter()
            .find(|o| !today.get(*o).is_finite())
        {
            problems.push(format!(
                "day {day}: outcome {} is not a finite number",
                bad.name()
            ));
            break;
        }
        reductions.push(&today);
        narr.end_of_day(&today, &state);
        last = today;
        days = day;
    }
    let margins: Vec<Vec<f64>> = world
        .futures
        .iter()
        .map(|f| {
            f.conditions
                .iter()
                .map(|c| {
                    if problems.is_empty() {
                        reductions.margin(c)
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        })
        .collect();
    let future = if problems.is_empty() {
        world.futures.iter().zip(&margins).position(|(f, m)| {
            f.conditions
                .iter()
                .zip(m)
                .all(|(c, m)| Condition::held(c.op, *m))
        })
    } else {
        None
    };
    RunResult {
        future,
        margins,
        reductions,
        start,
        days,
        capital_fell: state.capital_fell,
        stances: state.groups.iter().map(|g| g.stance).collect(),
        has_stance: (0..world.groups.len())
            .map(|g| has_stance(&world.groups[g], &state.groups[g]))
            .collect(),
        problems,
    }
}

/// One day, in the documented order (`DAY_ORDER`). Fails when a mechanism
/// cannot go on (an M6-agents grid that refuses the day's inputs).
pub fn step_day(
    cx: &Ctx,
    events: &[&Event],
    state: &mut State,
    streams: &mut Streams,
    so_far: &Reductions,
    yesterday: &DayOutcomes,
    narr: &mut Narrator,
) -> Result<(), unrest::AgentsProblem> {
    events::step(cx, events, state, &mut streams.events, narr);
    outside::step(
        cx,
        state,
        yesterday.get(Outcome::ActiveShare),
        yesterday.get(Outcome::Legitimacy),
        &mut streams.outside,
        narr,
    );
    outside::retaliate(cx, state, &mut streams.retaliation, narr);
    patron::step(cx, state, narr);
    patron::update_support(cx, state);
    government::step(
        cx,
        state,
        so_far,
        &mut streams.coup,
        &mut streams.defection,
        narr,
    );
    settlement::step(cx, state, &mut streams.settlement, narr);
    resources::step(cx, state);
    firebreak::step(cx, state, &mut streams.firebreak, narr);
    loyalty::step(cx, state, narr);
    stance::step(cx, state, &mut streams.stance, narr);
    contest::step(cx, state, narr);
    unrest::step(cx, state, narr)
}

/// Whether a group's stance means something today: a faction (a splinter
/// once it has broken away) or an insurgency; false for the state's forces
/// and for a splinter that has not formed.
pub fn has_stance(group: &ArmedGroup, gs: &GroupState) -> bool {
    group.role == GroupRole::Insurgency || counts_as_faction(group, gs)
}

fn counts_as_faction(group: &ArmedGroup, gs: &GroupState) -> bool {
    group.role == GroupRole::Faction
        && (group.splinter_of.is_none() || gs.stance_since > 0 || gs.active > 0.0)
}

fn non_state_effective(world: &World, state: &State) -> f64 {
    world
        .groups
        .iter()
        .enumerate()
        .filter(|(i, g)| {
            g.role != GroupRole::StateForce && state.groups[*i].stance.outside_state_control()
        })
        .map(|(i, _)| state.groups[i].effective)
        .sum()
}

fn outside_control(world: &World, state: &State) -> f64 {
    let groups: f64 = world
        .groups
        .iter()
        .enumerate()
        .filter(|(i, g)| {
            g.role != GroupRole::StateForce && state.groups[*i].stance.outside_state_control()
        })
        .map(|(i, _)| state.groups[i].active)
        .sum();
    groups + state.unaffiliated_total()
}

/// Computes every outcome from the state.
pub fn outcomes(cx: &Ctx, state: &State) -> DayOutcomes {
    let w = cx.world;
    let mut d = DayOutcomes::default();
    d.set(Outcome::PatronCapacity, government::mean_capacity(state));
    let influence: f64 = w
        .groups
        .iter()
        .enumerate()
        .filter(|(i, g)| {
            g.role != GroupRole::StateForce && state.groups[*i].stance.outside_state_control()
        })
        .map(|(i, _)| state.groups[i].allegiance[0] * state.groups[i].effective)
        .sum();
    d.set(
        Outcome::PatronInfluence,
        if state.effective_start_total > 0.0 {
            // `+ 0.0` turns a negative zero from rounding into zero.
            (influence / state.effective_start_total).clamp(0.0, 1.0) + 0.0
        } else {
            0.0
        },
    );
    let outside = outside_control(w, state);
    d.set(Outcome::FightersOutsideStateControl, outside);
    d.set(
        Outcome::FightersOutsideStateControlShare,
        if state.outside_control_start > 0.0 {
            outside / state.outside_control_start
        } else {
            0.0
        },
    );
    let mut holdout = 0.0;
    let mut by_stance = [0.0; Stance::ALL.len()];
    for (g, gs) in state.groups.iter().enumerate() {
        if !counts_as_faction(&w.groups[g], gs) {
            continue;
        }
        if matches!(gs.stance, Stance::Holdout | Stance::Insurgent) {
            holdout += gs.active;
        }
        by_stance[Stance::ALL
            .iter()
            .position(|s| *s == gs.stance)
            .unwrap_or(0)] += 1.0;
    }
    d.set(Outcome::HoldoutFighters, holdout);
    for (o, v) in [
        Outcome::FactionsAligned,
        Outcome::FactionsHedging,
        Outcome::FactionsAutonomous,
        Outcome::FactionsNegotiating,
        Outcome::FactionsIntegrated,
        Outcome::FactionsHoldout,
        Outcome::FactionsInsurgent,
        Outcome::FactionsDissolved,
    ]
    .into_iter()
    .zip(by_stance)
    {
        d.set(o, v);
    }
    d.set(
        Outcome::Crossers,
        state.segments.iter().map(|s| s.crossers_today).sum(),
    );
    d.set(
        Outcome::CrossersTotal,
        state.segments.iter().map(|s| s.crossers_total).sum(),
    );
    d.set(
        Outcome::Interdicted,
        state.segments.iter().map(|s| s.interdicted_today).sum(),
    );
    d.set(
        Outcome::InterdictedTotal,
        state.segments.iter().map(|s| s.interdicted_total).sum(),
    );
    d.set(Outcome::Detained, state.detained());
    d.set(Outcome::UnaffiliatedArmed, state.unaffiliated_total());
    let pop: f64 = w.communities.iter().map(|c| c.population).sum();
    let (mut active, mut legit, mut max_active) = (0.0, 0.0, 0.0f64);
    for (c, com) in w.communities.iter().enumerate() {
        let cs = &state.communities[c];
        active += cs.active * com.population;
        legit += cs.legitimacy * com.population;
        max_active = max_active.max(cs.active);
    }
    d.set(
        Outcome::ActiveShare,
        if pop > 0.0 { active / pop } else { 0.0 },
    );
    d.set(
        Outcome::Legitimacy,
        if pop > 0.0 { legit / pop } else { 0.0 },
    );
    d.set(Outcome::ActiveShareMaxCommunity, max_active);
    d.set(
        Outcome::Casualties,
        state.casualties_other + state.communities.iter().map(|c| c.casualties).sum::<f64>(),
    );
    d.set(Outcome::OutsideStrikes, state.strikes);
    d.set(
        Outcome::StateStrength,
        w.groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.role == GroupRole::StateForce)
            .map(|(i, _)| state.groups[i].effective)
            .sum(),
    );
    d.set(
        Outcome::CapitalHeld,
        if state.capital_fell.is_some() {
            0.0
        } else {
            1.0
        },
    );
    d.set(
        Outcome::Deserted,
        state.groups.iter().map(|g| g.deserted).sum(),
    );
    d.set(
        Outcome::LeaderFled,
        if state.leader_fled.is_some() {
            1.0
        } else {
            0.0
        },
    );
    d.set(
        Outcome::ClientFightersShare,
        client_fighters_share(cx, state),
    );
    let once = |day: Option<u32>| if day.is_some() { 1.0 } else { 0.0 };
    d.set(Outcome::GovernmentFell, once(state.government.fell));
    d.set(
        Outcome::CoupAttempts,
        f64::from(state.government.coup_attempts),
    );
    d.set(Outcome::LeaderDeposed, once(state.government.deposed));
    d.set(Outcome::CapitalHandedOver, once(state.handed_over));
    d.set(Outcome::EliteDefections, f64::from(state.elite_defections));
    d.set(
        Outcome::AttacksOnOutside,
        state.outside.iter().map(|o| o.attacks).sum(),
    );
    d
}

/// Listed fighters still active in the patrons' clients (armed groups with
/// a funds, arms or commands tie from a patron) over their listed fighters
/// on day 0; 0 when no patron has a client. Fighters who deserted, died,
/// were detained, integrated or moved to a splinter group have left.
fn client_fighters_share(cx: &Ctx, state: &State) -> f64 {
    let (mut now, mut start) = (0.0, 0.0);
    for (g, group) in cx.world.groups.iter().enumerate() {
        let client = cx.links.sponsors[g]
            .iter()
            .any(|(from, _, _)| matches!(from, ActorRef::Patron(_)));
        if client {
            now += state.groups[g].active;
            start += group.fighters;
        }
    }
    if start > 0.0 {
        (now / start).clamp(0.0, 1.0)
    } else {
        0.0
    }
}
