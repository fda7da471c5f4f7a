//! Signposts on the past cases: do the first days' readings move the odds
//! toward what happened?
//!
//! A past case's `[[seen]]` entries are what an analyst saw of its
//! indicators on the way to the outcome. [`run_signposts`]:
//!
//! 1. Takes the scored milestone (`[[observed]]` with an outcome) and its
//!    origin, as the backtest does, and the day the first part of the
//!    observed lag ends: `known_by = origin + round(share × lag)` (a third
//!    by default). The readings on or before that day are the early ones.
//! 2. Runs the case's shock once, with the backtest's plan (the same
//!    samples and seeds, so the prior is the backtest's share), keeping each
//!    run's indicator columns and the first day its collapse condition held.
//! 3. Says what happened in each run as the backtest judges it: a collapse
//!    milestone's client collapsed when the condition held within the
//!    horizon; a survival milestone's client survived when it had not held
//!    by the milestone's day. The prior of what happened is the share of
//!    runs in which it happened.
//! 4. Weighs the runs by the likelihood of the early readings with the
//!    weights of `patronfall update`
//!    (`patronfall_results::analyses::update::log_likelihoods`: the
//!    indicators' measurement error, the smoothing kernel of a value, the
//!    probability of a range), and reports the posterior of what happened
//!    with a Wilson interval on Kish's effective sample size, and the
//!    logarithmic score `−ln p` of the prior and of the posterior.
//!
//! A case with no reading by `known_by` is reported without an ensemble.

use crate::backtest::{BacktestError, ObservedMilestone, Options, observed_milestone, run_shock};
use patronfall_analysis::futures::CONFIDENCE;
use patronfall_analysis::update::{posterior, score, weights_from_logs};
use patronfall_ensemble::indicators::columns;
use patronfall_results::analyses::update::{Observation, log_likelihoods};
use patronfall_results::indicators::{IndicatorTable, Indicators};
use patronfall_scenario::seen::Reading;
use patronfall_scenario::{MilestoneKind, Scenario};
use serde::Serialize;

/// The share of the observed lag whose readings count as early, unless
/// asked otherwise: the first third.
pub const KNOWN_BY: f64 = 1.0 / 3.0;

/// The weighing of one case's runs by its early readings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weighed {
    /// Runs of the case's shock.
    pub runs: usize,
    /// Share of the runs in which what happened happened.
    pub prior: f64,
    /// Its weighted share; `None` when no run is consistent with the readings.
    pub posterior: Option<f64>,
    /// Wilson interval of the posterior on the effective sample size.
    pub interval: Option<[f64; 2]>,
    /// Kish's effective sample size of the weights.
    pub effective_runs: f64,
    /// `−ln p` of what happened under the prior (p floored at 10⁻⁶).
    pub prior_log: f64,
    /// The same under the posterior.
    pub posterior_log: Option<f64>,
}

impl Weighed {
    /// Whether the readings moved the odds toward what happened (`None`:
    /// no posterior, or not moved at all).
    pub fn toward(&self) -> Option<bool> {
        let p = self.posterior?;
        (p != self.prior).then_some(p > self.prior)
    }
}

/// One case's signposts check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SignpostReport {
    /// Scenario id.
    pub scenario: String,
    /// The scored milestone.
    pub observed: ObservedMilestone,
    /// What happened: `collapsed` or `survived`.
    pub happened: &'static str,
    /// The share of the observed lag whose readings are early.
    pub share: f64,
    /// The last day whose readings are used.
    pub known_by: u32,
    /// The readings used, in the file's order.
    pub seen: Vec<Observation>,
    /// Readings of the case after `known_by`, not used.
    pub later: usize,
    /// Master seed.
    pub seed: u64,
    /// Sampler name.
    pub sampler: String,
    /// The weighing; `None` when no reading is early.
    pub weighed: Option<Weighed>,
}

/// The early readings of a case: those known by `known_by`, each with its
/// indicator's index in the scenario, as entries of an observations file.
fn early(s: &Scenario, known_by: u32) -> Vec<(usize, Observation)> {
    s.seen
        .iter()
        .filter(|x| x.day <= known_by)
        .map(|x| {
            let (value, range) = match x.reading {
                Reading::Value(v) => (Some(v), None),
                Reading::Range(lo, hi) => (None, Some([lo, hi])),
            };
            let o = Observation {
                indicator: x.indicator_id.clone(),
                day: x.day,
                value,
                range,
                note: x.note.clone(),
            };
            (x.indicator, o)
        })
        .collect()
}

/// A case's readings known by `known_by` (all of them with `u32::MAX`), as
/// the entries of an observations file (`patronfall update --observed`).
pub fn readings(s: &Scenario, known_by: u32) -> Vec<Observation> {
    early(s, known_by).into_iter().map(|(_, o)| o).collect()
}

/// Checks one case (module doc): `opts` plans the ensemble as for the
/// backtest, `share` (in (0, 1]) sets the days whose readings are early.
pub fn run_signposts(
    s: &Scenario,
    opts: &Options,
    share: f64,
) -> Result<SignpostReport, BacktestError> {
    let (observed, condition) = observed_milestone(s)?;
    let case = s
        .default_shock
        .ok_or_else(|| BacktestError::NoDefaultShock(s.id.clone()))?;
    let survival = observed.kind == MilestoneKind::Survival.name();
    let known_by = observed.origin_day + (share * observed.lag).round() as u32;
    let early = early(s, known_by);
    let seen: Vec<Observation> = early.iter().map(|(_, o)| o.clone()).collect();
    let mut report = SignpostReport {
        scenario: s.id.clone(),
        happened: if survival { "survived" } else { "collapsed" },
        share,
        known_by,
        later: s.seen.len() - seen.len(),
        seen,
        seed: opts.seed,
        sampler: opts.sampler.name().to_string(),
        weighed: None,
        observed,
    };
    if report.seen.is_empty() {
        return Ok(report);
    }
    let runs = run_shock(s, opts, case, report.observed.origin_day, condition, true)?;
    // What happened in each run, as the backtest judges it: outcome 0 is
    // what happened in the case, 1 the other.
    let span = report.observed.lag;
    let happened: Vec<Option<usize>> = runs
        .lags
        .iter()
        .map(|lag| {
            let collapsed = if survival {
                lag.is_some_and(|x| x <= span)
            } else {
                lag.is_some()
            };
            Some(usize::from(collapsed == survival))
        })
        .collect();
    let cols = columns(s, s.world.horizon_days);
    let definitions = Indicators::new(s, &cols);
    let index = |scenario_index: usize| {
        definitions
            .indicators
            .iter()
            .position(|d| d.id == s.indicators[scenario_index].id)
    };
    let table_columns: Vec<(usize, u32)> = cols
        .iter()
        .map(|c| (index(c.indicator).unwrap_or(usize::MAX), c.day))
        .collect();
    let table = IndicatorTable {
        columns: table_columns,
        values: (0..cols.len())
            .map(|c| runs.indicators.iter().map(|r| r[c]).collect())
            .collect(),
        definitions: definitions.clone(),
    };
    let mut observed = Vec::new();
    for (indicator, o) in early {
        let column = index(indicator).and_then(|i| table.column(i, o.day));
        let column = column.ok_or_else(|| {
            BacktestError::Ensemble(format!(
                "`{}` on day {} was not recorded by the runs",
                o.indicator, o.day
            ))
        })?;
        observed.push((column, o));
    }
    let rows: Vec<usize> = (0..happened.len()).collect();
    let weights = weights_from_logs(&log_likelihoods(&table, &observed, &rows));
    let post = posterior(&happened, 1, &weights, CONFIDENCE)
        .map_err(|e| BacktestError::Ensemble(e.to_string()))?;
    let prior = [post.prior[0], 1.0 - post.prior[0]];
    let consistent = weights.iter().any(|w| *w > 0.0);
    let p = post.posterior[0];
    report.weighed = Some(Weighed {
        runs: rows.len(),
        prior: prior[0],
        posterior: consistent.then_some(p.estimate),
        interval: consistent.then_some([p.lower, p.upper]),
        effective_runs: post.effective_runs,
        // `+ 0.0` turns the −0 of a sure forecast into 0.
        prior_log: score(&prior, 0).log + 0.0,
        posterior_log: consistent.then(|| score(&[p.estimate, 1.0 - p.estimate], 0).log + 0.0),
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use patronfall_ensemble::Sampler;

    fn options(runs: usize) -> Options {
        Options {
            runs,
            seed: 1,
            sampler: Sampler::LatinHypercube,
            threads: 1,
            ..Options::default()
        }
    }

    #[test]
    fn the_early_readings_end_a_share_of_the_lag_after_the_origin() {
        // Syria: the offensive began on day 58 and Damascus fell 11 days later.
        let s = patronfall_scenario::open("syria-2024").expect("built-in");
        let third = run_signposts(&s, &options(8), KNOWN_BY).expect("runs");
        assert_eq!(third.known_by, 58 + 4);
        assert_eq!(third.happened, "collapsed");
        assert!(third.seen.iter().all(|o| o.day <= 62));
        assert_eq!(third.seen.len() + third.later, s.seen.len());
        // A share that ends before the first reading runs no ensemble.
        let none = run_signposts(&s, &options(8), 0.01).expect("runs");
        assert!(none.seen.is_empty() && none.weighed.is_none());
    }

    #[test]
    fn the_prior_is_the_backtests_share_and_the_weights_are_updates() {
        let s = patronfall_scenario::open("syria-2024").expect("built-in");
        let opts = options(24);
        let r = run_signposts(&s, &opts, KNOWN_BY).expect("runs");
        let backtest = crate::run_case(&s, &opts).expect("backtest");
        let w = r.weighed.expect("weighed");
        assert_eq!(w.runs, 24);
        assert!((w.prior - backtest.case.scores.share_collapsed).abs() < 1e-12);
        assert!(w.effective_runs > 0.0 && w.effective_runs <= 24.0 + 1e-9);
        let p = w.posterior.expect("consistent runs");
        let [lo, hi] = w.interval.expect("interval");
        assert!(lo <= p && p <= hi);
        assert!((w.prior_log + w.prior.max(1e-6).ln()).abs() < 1e-9);
        // Same seed, same numbers.
        assert_eq!(
            run_signposts(&s, &opts, KNOWN_BY).expect("runs").weighed,
            Some(w)
        );
    }

    #[test]
    fn a_survival_case_weighs_what_survived() {
        let s = patronfall_scenario::open("renamo-1984").expect("built-in");
        let r = run_signposts(&s, &options(6), KNOWN_BY).expect("runs");
        assert_eq!(r.happened, "survived");
        assert_eq!(r.known_by, 1 + 1041);
        assert_eq!(r.seen.len(), 1);
        assert!(r.weighed.is_some());
    }
}
