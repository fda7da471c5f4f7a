//! One backtest case: an ensemble of the case's shock and of its control,
//! scored against the observed fall of the capital.
//!
//! Steps:
//! 1. Find the observation marked by the outcome `capital_held` (the
//!    capital's fall) and the day its lag is counted from (its `since`
//!    observation, or day 0): the observed lag y.
//! 2. Choose the shocks: the case plays the scenario's default shock; the
//!    control is the shock named in [`Options::control`] or else the first
//!    shock with no events (a shock with no events is a baseline: the patron
//!    stays).
//! 3. Plan one ensemble (Latin hypercube by default) over every uncertain
//!    figure with the scenario's default course of action, and run it twice:
//!    with the case's shock and with the control's. Both see the same samples
//!    and seeds (common random numbers), so the difference is the shock's.
//! 4. Score each run's lag (day the capital fell − origin) with
//!    [`score`](crate::score::score) and judge the verdict: the direction
//!    holds when the case collapses in at least [`Options::case_min`] of its
//!    runs and the control in at most [`Options::control_max`]; the timing
//!    holds when the case's median lag lies within a factor
//!    [`Options::timing_factor`] of y (y/f ≤ median ≤ f·y).

use crate::score::{Scores, score};
use patronfall_ensemble::runner::{self, Row, Sink};
use patronfall_ensemble::{Plan, PlanSpec, Sampler};
use patronfall_model::{Outcome, ShockId};
use patronfall_scenario::Scenario;
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
    /// Least share of the case's runs that must collapse.
    pub case_min: f64,
    /// Largest share of the control's runs that may collapse.
    pub control_max: f64,
    /// The case's median lag must lie within this factor of the observed lag.
    pub timing_factor: f64,
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
        }
    }
}

/// Why a case cannot be backtested.
#[derive(Clone, Debug, PartialEq)]
pub enum BacktestError {
    /// The scenario has no `[[observed]]` entry with `outcome = "capital_held"`.
    NoObservedFall(String),
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
            BacktestError::NoObservedFall(s) => write!(
                f,
                "{s}: no [[observed]] entry with outcome = \"capital_held\": a backtest needs the observed day the capital fell"
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

/// The observed fall of the capital.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservedFall {
    /// The observation's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its note (calendar date).
    pub note: String,
    /// Day the capital fell (scenario days).
    pub day: u32,
    /// Id of the observation the lag is counted from (`None`: day 0).
    pub origin: Option<String>,
    /// Day the lag is counted from.
    pub origin_day: u32,
    /// Observed lag, days.
    pub lag: f64,
}

/// One shock's ensemble and its scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShockResult {
    /// The shock's id.
    pub shock: String,
    /// The scores.
    pub scores: Scores,
    /// Each run's lag in days (`None`: never fell), in experiment order.
    pub lags: Vec<Option<f64>>,
}

/// Whether a case passes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The case collapses and the control does not (module doc).
    pub direction: bool,
    /// The case's median lag is within the timing factor of the observed lag.
    pub timing: bool,
}

impl Verdict {
    /// Both hold.
    pub fn pass(&self) -> bool {
        self.direction && self.timing
    }
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
    /// Lag (days) standing for "after the horizon" in the CRPS.
    pub censor: f64,
    /// What happened.
    pub observed: ObservedFall,
    /// The case's shock.
    pub case: ShockResult,
    /// The control's shock.
    pub control: ShockResult,
    /// The verdict.
    pub verdict: Verdict,
}

struct Falls(Vec<Option<u32>>);

impl Sink for Falls {
    fn accept(&mut self, rows: &[Row]) -> Result<(), String> {
        self.0.extend(rows.iter().map(|r| r.capital_fell));
        Ok(())
    }
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

/// The observed fall of the capital and its lag.
pub fn observed_fall(s: &Scenario) -> Result<ObservedFall, BacktestError> {
    let o = s
        .observed_by(Outcome::CapitalHeld)
        .ok_or_else(|| BacktestError::NoObservedFall(s.id.clone()))?;
    let origin_day = s.observed_origin(o);
    Ok(ObservedFall {
        id: o.id.clone(),
        name: o.name.clone(),
        note: o.note.clone(),
        day: o.day,
        origin: o.since.map(|i| s.observed[i].id.clone()),
        origin_day,
        lag: f64::from(o.day) - f64::from(origin_day),
    })
}

fn run_shock(
    s: &Scenario,
    opts: &Options,
    shock: ShockId,
    origin: u32,
) -> Result<Vec<Option<f64>>, BacktestError> {
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
    let mut falls = Falls(Vec::with_capacity(plan.experiments() as usize));
    let run_options = runner::Options {
        threads: opts.threads.max(1),
        chunk: 256,
        keep_series: false,
        series_sample: 0,
    };
    let never = AtomicBool::new(false);
    runner::run(s, &plan, run_options, &never, &mut |_, _| {}, &mut falls)
        .map_err(BacktestError::Ensemble)?;
    Ok(falls
        .0
        .into_iter()
        .map(|d| d.map(|d| f64::from(d) - f64::from(origin)))
        .collect())
}

/// Backtests one case (module doc).
pub fn run_case(s: &Scenario, opts: &Options) -> Result<CaseReport, BacktestError> {
    let observed = observed_fall(s)?;
    let case = s
        .default_shock
        .ok_or_else(|| BacktestError::NoDefaultShock(s.id.clone()))?;
    let control = control_shock(s, opts.control.as_deref(), case)?;
    let days = s.world.horizon_days;
    let censor = f64::from(days) + 1.0 - f64::from(observed.origin_day);
    let case_lags = run_shock(s, opts, case, observed.origin_day)?;
    let control_lags = run_shock(s, opts, control, observed.origin_day)?;
    let case_scores = score(&case_lags, observed.lag, censor, opts.window);
    let control_scores = score(&control_lags, observed.lag, censor, opts.window);
    let direction = case_scores.share_collapsed >= opts.case_min
        && control_scores.share_collapsed <= opts.control_max;
    let f = opts.timing_factor;
    let timing = case_scores
        .median()
        .is_some_and(|m| m >= observed.lag / f && m <= observed.lag * f);
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
        timing_factor: f,
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
        verdict: Verdict { direction, timing },
    })
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
            Err(BacktestError::NoObservedFall("template".into()))
        );
    }

    #[test]
    fn past_cases_name_their_fall_and_control() {
        for (name, lag) in [("syria-2024", 11.0), ("afghanistan-2021", 123.0)] {
            let s = patronfall_scenario::open(name).expect("built-in parses");
            let o = observed_fall(&s).expect("observed fall");
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

    fn with(observed: &str) -> Result<patronfall_scenario::Scenario, String> {
        let text = format!("{}\n{observed}", patronfall_scenario::TEMPLATE);
        patronfall_scenario::parse("case.toml", &text).map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn a_valid_table_resolves_with_its_lag() {
        let s = with(
            "[[observed]]\nid = \"start\"\nname = \"Start\"\nday = 3\n\n[[observed]]\nid = \"fall\"\nname = \"Fall\"\nday = 15\noutcome = \"capital_held\"\nsince = \"start\"\nsources = [\"A1\"]\n",
        )
        .expect("valid");
        let fall = s
            .observed_by(patronfall_model::Outcome::CapitalHeld)
            .expect("fall");
        assert_eq!((fall.day, s.observed_origin(fall)), (15, 3));
        assert_eq!(fall.sources, vec!["A1".to_string()]);
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
        ] {
            let err = with(table).expect_err(field);
            assert!(err.contains(field), "{field} not in {err}");
        }
    }
}
