//! One backtest case: an ensemble of the case's shock and of its control,
//! scored against the case's observed milestone.
//!
//! Steps:
//! 1. Find the scored milestone: the scenario's `[[observed]]` entry with a
//!    collapse condition (`outcome op value`, e.g. `capital_held < 0.5`),
//!    its kind, and the day its lag is counted from (its `since`
//!    observation, or day 0). A `collapse` milestone's observed lag y is its
//!    day minus that origin; a `survival` milestone's span is the same
//!    difference: the client was still standing that long after the cut.
//! 2. Choose the shocks: the case plays the scenario's default shock; the
//!    control is the shock named in [`Options::control`] or else the first
//!    shock with no events (a shock with no events is a baseline: the patron
//!    stays).
//! 3. Plan one ensemble (Latin hypercube by default) over every uncertain
//!    figure with the scenario's default course of action, and run it twice:
//!    with the case's shock and with the control's. Both see the same samples
//!    and seeds (common random numbers), so the difference is the shock's.
//!    Each run gives the first day the condition holds on that day's value
//!    (its lag: that day − origin), or none within the horizon.
//! 4. Score and judge. A collapse milestone: lags are scored with
//!    [`score`](crate::score::score); the direction holds when the case
//!    collapses in at least [`Options::case_min`] of its runs and the
//!    control in at most [`Options::control_max`]; the timing holds when the
//!    case's median lag lies within a factor [`Options::timing_factor`] of y
//!    (y/f ≤ median ≤ f·y). A survival milestone: runs are scored up to the
//!    milestone's day with [`score_survival`](crate::score::score_survival);
//!    the direction holds when the condition has not held by then in at
//!    least [`Options::survival_min`] of the case's runs and in at least
//!    1 − [`Options::control_max`] of the control's; there is no timing.

use crate::score::{Scores, score, score_survival};
use patronfall_ensemble::runner::{self, Row, Sink};
use patronfall_ensemble::{Plan, PlanSpec, Sampler};
use patronfall_model::{Condition, ShockId};
use patronfall_scenario::{MilestoneKind, Scenario};
use serde::Serialize;
use std::sync::atomic::AtomicBool;

/// How to run a backtest.
#[derive(Clone, Debug)]
pub struct Options {
    /// Scenario samples per shock.
    pub runs: usize,
    /// Master seed.
    pub seed: u64,
    /// How samples are drawn.
    pub sampler: Sampler,
    /// Worker threads (results do not depend on it).
    pub threads: usize,
    /// Half-width of the timing window as a share of the observed lag.
    pub window: f64,
    /// The control shock's id (absent: the first shock with no events).
    pub control: Option<String>,
    /// Least share of the case's runs that must collapse (collapse milestones).
    pub case_min: f64,
    /// Largest share of the control's runs that may collapse.
    pub control_max: f64,
    /// The case's median lag must lie within this factor of the observed lag.
    pub timing_factor: f64,
    /// Least share of the case's runs that must survive to the observed day
    /// (survival milestones).
    pub survival_min: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: 200,
            seed: 1,
            sampler: Sampler::LatinHypercube,
            threads: 1,
            window: 0.5,
            control: None,
            case_min: 0.5,
            control_max: 0.1,
            timing_factor: 2.0,
            survival_min: 0.7,
        }
    }
}

/// Why a case cannot be backtested.
#[derive(Clone, Debug, PartialEq)]
pub enum BacktestError {
    /// The scenario has no `[[observed]]` entry with a collapse condition.
    NoScoredMilestone(String),
    /// The scenario has no default shock to play as the case.
    NoDefaultShock(String),
    /// No control shock: none named and none without events.
    NoControl(String),
    /// The named control shock does not exist.
    UnknownControl(String, String),
    /// The ensemble could not be planned or run.
    Ensemble(String),
}

impl std::fmt::Display for BacktestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BacktestError::NoScoredMilestone(s) => write!(
                f,
                "{s}: no [[observed]] entry with an `outcome` (for example outcome = \"capital_held\", the capital's fall): a backtest needs a scored milestone"
            ),
            BacktestError::NoDefaultShock(s) => write!(
                f,
                "{s}: no default_shock in [scenario]: the backtest plays it as the case"
            ),
            BacktestError::NoControl(s) => write!(
                f,
                "{s}: no control shock: add a [[shock]] with no events (the patron stays) or name one with --control"
            ),
            BacktestError::UnknownControl(s, c) => {
                write!(f, "{s}: `{c}` is not a shock of this scenario")
            }
            BacktestError::Ensemble(m) => write!(f, "ensemble: {m}"),
        }
    }
}

impl std::error::Error for BacktestError {}

/// The observed milestone a case is scored against.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservedMilestone {
    /// The observation's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its note (calendar date).
    pub note: String,
    /// `collapse` or `survival`.
    pub kind: &'static str,
    /// The collapse condition, e.g. `capital_held < 0.5`.
    pub condition: String,
    /// Day of the milestone (scenario days).
    pub day: u32,
    /// Id of the observation the lag is counted from (`None`: day 0).
    pub origin: Option<String>,
    /// Day the lag is counted from.
    pub origin_day: u32,
    /// Observed lag in days: to the collapse, or the span survived.
    pub lag: f64,
}

/// One shock's ensemble and its scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShockResult {
    /// The shock's id.
    pub shock: String,
    /// The scores.
    pub scores: Scores,
    /// Each run's lag in days to the first day the condition held (`None`:
    /// never within the horizon), in experiment order.
    pub lags: Vec<Option<f64>>,
}

/// Whether a case passes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The case collapses and the control does not, or, for a survival
    /// milestone, both survive (module doc).
    pub direction: bool,
    /// The case's median lag is within the timing factor of the observed
    /// lag; `None` for a survival milestone, which has no timing.
    pub timing: Option<bool>,
    /// Both hold.
    pub pass: bool,
}

/// A backtest of one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseReport {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// SHA-256 of the scenario file.
    pub scenario_hash: String,
    /// Course of action played.
    pub coa: String,
    /// Days per run.
    pub days: u32,
    /// Runs per shock.
    pub runs: usize,
    /// Master seed.
    pub seed: u64,
    /// Sampler name.
    pub sampler: String,
    /// Timing window half-width (share of the observed lag).
    pub window: f64,
    /// Factor of the timing criterion.
    pub timing_factor: f64,
    /// Lag (days) standing for "after the horizon" in a collapse milestone's
    /// CRPS (a survival milestone's runs are judged up to its day).
    pub censor: f64,
    /// What happened.
    pub observed: ObservedMilestone,
    /// The case's shock.
    pub case: ShockResult,
    /// The control's shock.
    pub control: ShockResult,
    /// The verdict.
    pub verdict: Verdict,
}

/// Keeps, per run, the first day the condition held and, when asked, the
/// true values of the scenario's indicator columns.
struct FirstDays {
    condition: Condition,
    days: Vec<Option<u32>>,
    keep_indicators: bool,
    indicators: Vec<Vec<f64>>,
}

impl Sink for FirstDays {
    type Error = &'static str;

    fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error> {
        for r in rows {
            let series = r.series.as_ref().ok_or("the runner kept no daily series")?;
            self.days.push(first_day(series, &self.condition));
            if self.keep_indicators {
                self.indicators.push(r.indicators.clone());
            }
        }
        Ok(())
    }
}

/// One shock's runs as the backtest sees them.
pub(crate) struct ShockRuns {
    /// Each run's lag to the first day the condition held, in experiment order.
    pub lags: Vec<Option<f64>>,
    /// Each run's indicator columns (`patronfall_ensemble::indicators::columns`
    /// over the horizon), when asked for; empty otherwise.
    pub indicators: Vec<Vec<f64>>,
}

/// The first day (0 is the start) whose value meets the condition.
pub fn first_day(series: &[patronfall_model::DayOutcomes], c: &Condition) -> Option<u32> {
    series
        .iter()
        .position(|d| c.op.holds(d.get(c.outcome), c.value))
        .map(|i| i as u32)
}

/// The control shock: the one named, or the first with no events other than `case`.
fn control_shock(
    s: &Scenario,
    name: Option<&str>,
    case: ShockId,
) -> Result<ShockId, BacktestError> {
    match name {
        Some(n) => s
            .shock(n)
            .ok_or_else(|| BacktestError::UnknownControl(s.id.clone(), n.to_string())),
        None => s
            .world
            .shocks
            .iter()
            .enumerate()
            .find(|(i, k)| *i != case.index() && k.events.is_empty())
            .map(|(i, _)| ShockId::at(i))
            .ok_or_else(|| BacktestError::NoControl(s.id.clone())),
    }
}

/// The condition's text, as a scenario writes it.
pub fn condition_text(c: &Condition) -> String {
    format!("{} {} {}", c.outcome.name(), c.op.symbol(), c.value)
}

/// The scored milestone with its condition and lag.
pub fn observed_milestone(s: &Scenario) -> Result<(ObservedMilestone, Condition), BacktestError> {
    let (o, c) = s
        .scored_milestone()
        .and_then(|o| o.condition.map(|c| (o, c)))
        .ok_or_else(|| BacktestError::NoScoredMilestone(s.id.clone()))?;
    let origin_day = s.observed_origin(o);
    let m = ObservedMilestone {
        id: o.id.clone(),
        name: o.name.clone(),
        note: o.note.clone(),
        kind: o.kind.name(),
        condition: condition_text(&c),
        day: o.day,
        origin: o.since.map(|i| s.observed[i].id.clone()),
        origin_day,
        lag: f64::from(o.day) - f64::from(origin_day),
    };
    Ok((m, c))
}

pub(crate) fn run_shock(
    s: &Scenario,
    opts: &Options,
    shock: ShockId,
    origin: u32,
    condition: Condition,
    keep_indicators: bool,
) -> Result<ShockRuns, BacktestError> {
    let plan = Plan::new(
        s,
        PlanSpec {
            sampler: opts.sampler,
            runs: opts.runs,
            replications: 1,
            coas: vec![s.default_coa],
            shock: Some(shock),
            days: s.world.horizon_days,
            seed: opts.seed,
            vary: Vec::new(),
        },
    )
    .map_err(|e| BacktestError::Ensemble(e.to_string()))?;
    let mut firsts = FirstDays {
        condition,
        days: Vec::with_capacity(plan.experiments() as usize),
        keep_indicators,
        indicators: Vec::new(),
    };
    // Daily series are kept only for one chunk at a time (a long case keeps
    // thousands of days per run) and reduced to the first day at once.
    let run_options = runner::Options {
        threads: opts.threads.max(1),
        chunk: 64,
        keep_series: true,
        series_sample: 0,
    };
    let never = AtomicBool::new(false);
    runner::run(s, &plan, run_options, &never, &mut |_, _| {}, &mut firsts)
        .map_err(|e| BacktestError::Ensemble(e.to_string()))?;
    Ok(ShockRuns {
        lags: firsts
            .days
            .into_iter()
            .map(|d| d.map(|d| f64::from(d) - f64::from(origin)))
            .collect(),
        indicators: firsts.indicators,
    })
}

/// Backtests one case (module doc).
pub fn run_case(s: &Scenario, opts: &Options) -> Result<CaseReport, BacktestError> {
    let (observed, condition) = observed_milestone(s)?;
    let case = s
        .default_shock
        .ok_or_else(|| BacktestError::NoDefaultShock(s.id.clone()))?;
    let control = control_shock(s, opts.control.as_deref(), case)?;
    let days = s.world.horizon_days;
    let censor = f64::from(days) + 1.0 - f64::from(observed.origin_day);
    let case_lags = run_shock(s, opts, case, observed.origin_day, condition, false)?.lags;
    let control_lags = run_shock(s, opts, control, observed.origin_day, condition, false)?.lags;
    let survival = observed.kind == MilestoneKind::Survival.name();
    let scored = |lags: &[Option<f64>]| {
        if survival {
            score_survival(lags, observed.lag)
        } else {
            score(lags, observed.lag, censor, opts.window)
        }
    };
    let case_scores = scored(&case_lags);
    let control_scores = scored(&control_lags);
    let control_holds = control_scores.share_collapsed <= opts.control_max;
    let (direction, timing) = if survival {
        let survived = 1.0 - case_scores.share_collapsed;
        (survived >= opts.survival_min && control_holds, None)
    } else {
        let f = opts.timing_factor;
        let timing = case_scores
            .median()
            .is_some_and(|m| m >= observed.lag / f && m <= observed.lag * f);
        (
            case_scores.share_collapsed >= opts.case_min && control_holds,
            Some(timing),
        )
    };
    Ok(CaseReport {
        scenario: s.id.clone(),
        title: s.title.clone(),
        scenario_hash: s.hash.clone(),
        coa: s.ids.coas[s.default_coa.index()].clone(),
        days,
        runs: opts.runs,
        seed: opts.seed,
        sampler: opts.sampler.name().to_string(),
        window: opts.window,
        timing_factor: opts.timing_factor,
        censor,
        observed,
        case: ShockResult {
            shock: s.ids.shocks[case.index()].clone(),
            scores: case_scores,
            lags: case_lags,
        },
        control: ShockResult {
            shock: s.ids.shocks[control.index()].clone(),
            scores: control_scores,
            lags: control_lags,
        },
        verdict: Verdict {
            direction,
            timing,
            pass: direction && timing.unwrap_or(true),
        },
    })
}

/// The library: the built-in scenarios that are past cases (those with a
/// scored `[[observed]]` milestone), in the built-ins' order.
pub fn library() -> Vec<&'static str> {
    patronfall_scenario::BUILTINS
        .iter()
        .filter(|(name, _, _)| patronfall_scenario::open(name).is_ok_and(|s| s.is_past_case()))
        .map(|(name, _, _)| *name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_without_observations_are_refused() {
        let s = patronfall_scenario::parse("template.toml", patronfall_scenario::TEMPLATE)
            .expect("template parses");
        assert_eq!(
            run_case(&s, &Options::default()),
            Err(BacktestError::NoScoredMilestone("template".into()))
        );
    }

    #[test]
    fn past_cases_name_their_fall_and_control() {
        for (name, lag) in [("syria-2024", 11.0), ("afghanistan-2021", 123.0)] {
            let s = patronfall_scenario::open(name).expect("built-in parses");
            let (o, c) = observed_milestone(&s).expect("observed fall");
            assert_eq!(o.kind, "collapse");
            assert_eq!(condition_text(&c), "capital_held < 0.5");
            assert_eq!(o.lag, lag, "{name}");
            let case = s.default_shock.expect("default shock");
            let control = control_shock(&s, None, case).expect("control");
            assert_ne!(case, control);
            assert!(s.world.shocks[control.index()].events.is_empty());
        }
    }
}

#[cfg(test)]
mod observed_format_tests {
    //! The `[[observed]]` table is checked like the rest of a scenario.

    fn with(
        observed: &str,
    ) -> Result<patronfall_scenario::Scenario, patronfall_scenario::ScenarioError> {
        let text = format!("{}\n{observed}", patronfall_scenario::TEMPLATE);
        patronfall_scenario::parse("case.toml", &text)
    }

    #[test]
    fn a_valid_table_resolves_with_its_lag() {
        let s = with(
            "[[observed]]\nid = \"start\"\nname = \"Start\"\nday = 3\n\n[[observed]]\nid = \"fall\"\nname = \"Fall\"\nday = 15\noutcome = \"capital_held\"\nsince = \"start\"\nsources = [\"A1\"]\n",
        )
        .expect("valid");
        let fall = s.scored_milestone().expect("fall");
        assert_eq!((fall.day, s.observed_origin(fall)), (15, 3));
        assert_eq!(fall.sources, vec!["A1".to_string()]);
        // `capital_held` alone means the capital has fallen: `< 0.5`.
        let c = fall.condition.expect("condition");
        assert_eq!(super::condition_text(&c), "capital_held < 0.5");
        assert_eq!(fall.kind, patronfall_scenario::MilestoneKind::Collapse);
        assert!(s.observed[0].condition.is_none());
    }

    #[test]
    fn a_survival_milestone_names_its_condition() {
        let s = with(
            "[[observed]]\nid = \"cut\"\nname = \"Cut\"\nday = 3\n\n[[observed]]\nid = \"still_fighting\"\nname = \"Still fighting\"\nday = 150\noutcome = \"client_fighters_share\"\nop = \"<=\"\nvalue = 0.25\nkind = \"survival\"\nsince = \"cut\"\n",
        )
        .expect("valid");
        let m = s.scored_milestone().expect("scored");
        assert_eq!(m.kind, patronfall_scenario::MilestoneKind::Survival);
        let c = m.condition.expect("condition");
        assert_eq!(super::condition_text(&c), "client_fighters_share <= 0.25");
        let (o, _) = super::observed_milestone(&s).expect("milestone");
        assert_eq!((o.kind, o.lag), ("survival", 147.0));
    }

    #[test]
    fn bad_tables_name_the_field() {
        for (table, field) in [
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 0\n",
                "observed.x.day",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\noutcome = \"capital_hold\"\n",
                "observed.x.outcome",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\nsince = \"y\"\n",
                "observed.x.since",
            ),
            (
                "[[observed]]\nid = \"y\"\nname = \"Y\"\nday = 9\n\n[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\nsince = \"y\"\n",
                "observed.x.since",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\nsources = [\"S99\"]\n",
                "observed.x.sources",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\n\n[[observed]]\nid = \"x\"\nname = \"X again\"\nday = 5\n",
                "observed.x.id",
            ),
            // Another outcome than the capital needs its comparison and threshold.
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\noutcome = \"client_fighters_share\"\nvalue = 0.5\n",
                "observed.x.op",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\noutcome = \"client_fighters_share\"\nop = \"<\"\n",
                "observed.x.value",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\noutcome = \"capital_held\"\nop = \"~\"\n",
                "observed.x.op",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\noutcome = \"capital_held\"\nkind = \"defeat\"\n",
                "observed.x.kind",
            ),
            // A condition needs an outcome.
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\nop = \"<\"\nvalue = 1\n",
                "observed.x.op",
            ),
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 4\nkind = \"survival\"\n",
                "observed.x.kind",
            ),
            // One scored milestone per case.
            (
                "[[observed]]\nid = \"y\"\nname = \"Y\"\nday = 4\noutcome = \"capital_held\"\n\n[[observed]]\nid = \"x\"\nname = \"X\"\nday = 5\noutcome = \"capital_held\"\n",
                "observed.x.outcome",
            ),
            // A past case cannot override a model parameter.
            (
                "[parameters.loyalty]\nmorale_rate = 0.2\n\n[[observed]]\nid = \"x\"\nname = \"X\"\nday = 5\noutcome = \"capital_held\"\n",
                "parameters.loyalty.morale_rate",
            ),
            // A scored milestone beyond the horizon cannot be judged.
            (
                "[[observed]]\nid = \"x\"\nname = \"X\"\nday = 5000\noutcome = \"capital_held\"\n",
                "observed.x.day",
            ),
        ] {
            let err = with(table).expect_err(field);
            assert!(
                err.problems.iter().any(|p| p.field == field),
                "{field} not in {err}"
            );
        }
    }
}

#[cfg(test)]
mod milestone_tests {
    //! The first day a condition holds is read from the daily series.

    use super::*;
    use patronfall_ensemble::runner::run_experiment;

    fn plan(s: &Scenario) -> Plan {
        Plan::new(
            s,
            PlanSpec {
                sampler: Sampler::LatinHypercube,
                runs: 6,
                replications: 1,
                coas: vec![s.default_coa],
                shock: s.default_shock,
                days: s.world.horizon_days,
                seed: 3,
                vary: Vec::new(),
            },
        )
        .expect("plan")
    }

    #[test]
    fn the_capital_condition_falls_on_the_day_the_capital_fell() {
        let s = patronfall_scenario::open("syria-2024").expect("built-in");
        let (_, c) = observed_milestone(&s).expect("milestone");
        let plan = plan(&s);
        let mut fell = 0;
        for i in 0..plan.experiments() {
            let row = run_experiment(&s, &plan, plan.experiment(i), true);
            let series = row.series.expect("series");
            assert_eq!(first_day(&series, &c), row.capital_fell);
            fell += usize::from(row.capital_fell.is_some());
        }
        assert!(
            fell > 0,
            "no run's capital fell: the check compared nothing"
        );
    }

    #[test]
    fn the_client_share_starts_whole_and_falls_when_the_client_breaks() {
        let s = patronfall_scenario::open("sla-2000").expect("built-in");
        let (_, c) = observed_milestone(&s).expect("milestone");
        let plan = plan(&s);
        let row = run_experiment(&s, &plan, plan.experiment(0), true);
        let series = row.series.expect("series");
        let share = |d: usize| series[d].get(c.outcome);
        assert_eq!(share(0), 1.0);
        let day = first_day(&series, &c).expect("the SLA breaks in this run") as usize;
        assert!(share(day) < 0.5 && share(day - 1) >= 0.5);
    }
}
