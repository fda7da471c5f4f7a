//! Helpers for the model's behaviour tests: scenarios from TOML text, runs
//! with an observer that records what a test needs, and the invariant check.

#![allow(dead_code)]

use patronfall_model::{
    CoaId, DayOutcomes, Observer, Outcome, RunResult, RunSpec, ShockId, State, World, invariants,
    run,
};
use patronfall_scenario::Scenario;

/// The template scenario with text replacements applied (each must match).
pub fn template_with(edits: &[(&str, &str)]) -> Scenario {
    let mut text = patronfall_scenario::TEMPLATE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "edit target not found: {from}");
        text = text.replacen(from, to, 1);
    }
    patronfall_scenario::parse("template.toml", &text).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// The template with extra TOML appended (levers, courses of action, events).
pub fn template_plus(extra: &str) -> Scenario {
    let text = format!("{}\n{extra}", patronfall_scenario::TEMPLATE);
    patronfall_scenario::parse("template.toml", &text).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// The template with extra TOML appended and one text replacement applied
/// (which must match).
pub fn template_plus_with(extra: &str, from: &str, to: &str) -> Scenario {
    assert!(
        patronfall_scenario::TEMPLATE.contains(from),
        "edit target not found: {from}"
    );
    let text = format!("{}\n{extra}", patronfall_scenario::TEMPLATE).replacen(from, to, 1);
    patronfall_scenario::parse("template.toml", &text).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// What a test observer keeps: daily outcomes, and per day the morale of
/// every group and the legitimacy of every community; it also checks the
/// invariants every day.
pub struct Probe<'w> {
    pub world: &'w World,
    pub series: Vec<DayOutcomes>,
    pub morale: Vec<Vec<f64>>,
    pub legitimacy: Vec<Vec<f64>>,
    pub active: Vec<Vec<f64>>,
    /// Per day, each group's fighters killed so far.
    pub killed: Vec<Vec<f64>>,
    /// Per day, each group's received and expected support (M1).
    pub support: Vec<Vec<(f64, f64)>>,
    /// Per day, the operations started so far and how many have ended (M7).
    pub operations: Vec<(usize, usize)>,
    /// Per day, each group's state (stocks, active, deserted, alarm, ...).
    pub groups: Vec<Vec<patronfall_model::state::GroupState>>,
    /// Per day, every operation started so far, as it stands (M7).
    pub fights: Vec<Vec<patronfall_model::state::Operation>>,
    pub violations: Vec<String>,
}

impl<'w> Probe<'w> {
    pub fn new(world: &'w World) -> Self {
        Probe {
            world,
            series: Vec::new(),
            morale: Vec::new(),
            legitimacy: Vec::new(),
            active: Vec::new(),
            killed: Vec::new(),
            support: Vec::new(),
            operations: Vec::new(),
            groups: Vec::new(),
            fights: Vec::new(),
            violations: Vec::new(),
        }
    }

    pub fn at(&self, day: usize, o: Outcome) -> f64 {
        self.series[day].get(o)
    }
}

impl Observer for Probe<'_> {
    fn day(&mut self, day: u32, outcomes: &DayOutcomes, state: &State) {
        self.series.push(*outcomes);
        self.morale
            .push(state.groups.iter().map(|g| g.morale).collect());
        self.legitimacy
            .push(state.communities.iter().map(|c| c.legitimacy).collect());
        self.active
            .push(state.communities.iter().map(|c| c.active).collect());
        self.killed
            .push(state.groups.iter().map(|g| g.killed).collect());
        self.operations.push((
            state.operations.len(),
            state.operations.iter().filter(|o| o.over).count(),
        ));
        self.groups.push(state.groups.clone());
        self.fights.push(state.operations.clone());
        self.support.push(
            state
                .groups
                .iter()
                .map(|g| (g.support, g.expected_support))
                .collect(),
        );
        for v in invariants::violations(self.world, state) {
            self.violations.push(format!("day {day}: {v}"));
        }
        for o in Outcome::ALL {
            let x = outcomes.get(o);
            if !x.is_finite() {
                self.violations
                    .push(format!("day {day}: {} is {x}", o.name()));
            }
        }
    }
}

/// One run of a scenario's course of action and shock (by id) with a probe.
pub fn probe_run<'w>(
    s: &'w Scenario,
    world: &'w World,
    coa: &str,
    shock: Option<&str>,
    seed: u64,
    days: u32,
) -> (RunResult, Probe<'w>) {
    let coa = s
        .coa(coa)
        .unwrap_or_else(|| panic!("no course of action {coa}"));
    let shock: Option<ShockId> =
        shock.map(|k| s.shock(k).unwrap_or_else(|| panic!("no shock {k}")));
    let mut probe = Probe::new(world);
    let r = run(
        RunSpec {
            world,
            coa,
            shock,
            days,
            seed,
        },
        &mut probe,
    );
    (r, probe)
}

/// Index of an armed group by id.
pub fn group(s: &Scenario, id: &str) -> usize {
    s.ids
        .groups
        .iter()
        .position(|g| g == id)
        .unwrap_or_else(|| panic!("no group {id}"))
}

/// Index of a community by id.
pub fn community(s: &Scenario, id: &str) -> usize {
    s.ids
        .communities
        .iter()
        .position(|g| g == id)
        .unwrap_or_else(|| panic!("no community {id}"))
}

/// The id of course of action `i` (for messages).
pub fn coa_name(s: &Scenario, i: CoaId) -> &str {
    &s.ids.coas[i.index()]
}
