//! The probability of each future per course of action with Wilson
//! intervals, and every course of action against a baseline: paired
//! differences in the probability of each future (Newcombe's paired
//! interval) and paired mean differences of chosen scalar outcomes (a
//! Student t interval). Rows are paired by (sample, replication): common
//! random numbers make them paired. Counting, labels and the confidence
//! level are `patronfall_analysis::futures`, shared with the ensemble's
//! closing summary and the report.

use super::{Analysis, Results, finite};
use crate::error::ResultsError;
use patronfall_analysis::futures::{CONFIDENCE, FutureCounts, FutureTable};
use patronfall_analysis::proportion::paired_mean_difference;
use serde::{Deserialize, Serialize};

/// One future's share of one course of action's runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The future, or [`NO_FUTURE`](patronfall_analysis::futures::NO_FUTURE).
    pub future: String,
    /// Runs that reached it.
    pub runs_reached: u64,
    /// Share of the course of action's runs (0–1).
    pub share: f64,
    /// Lower end of its Wilson interval (0–1).
    pub low: f64,
    /// Upper end of its Wilson interval (0–1).
    pub high: f64,
}

/// The futures of one course of action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoaFutures {
    /// The course of action.
    pub coa: String,
    /// Its finished runs.
    pub runs: u64,
    /// Every future's share (empty without runs).
    pub futures: Vec<Share>,
}

/// A paired difference `coa − baseline` with its interval: of a future's
/// probability (0–1) or of a scalar outcome's mean (its units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The course of action compared with the baseline.
    pub coa: String,
    /// A future's name, or a scalar outcome's column.
    pub of: String,
    /// The estimate; `null` where it cannot be computed (no pairs).
    pub difference: Option<f64>,
    /// Lower end of the interval.
    pub low: Option<f64>,
    /// Upper end of the interval.
    pub high: Option<f64>,
    /// Pairs of runs it was computed from.
    pub pairs: usize,
}

/// `analysis/futures.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FuturesAnalysis {
    /// Two-sided confidence level of every interval.
    pub confidence: f64,
    /// The course of action every other one is compared with.
    pub baseline: String,
    /// Per course of action, in manifest order.
    pub coas: Vec<CoaFutures>,
    /// Per other course of action and future (table order).
    pub future_differences: Vec<Difference>,
    /// Per other course of action and chosen outcome.
    pub outcome_differences: Vec<Difference>,
}

impl Analysis for FuturesAnalysis {
    const NAME: &'static str = "futures";
}

/// The futures table of the results.
pub fn tabulate(results: &Results) -> FutureTable {
    let m = &results.manifest;
    let mut counts = FutureCounts::new(m.coas.len(), m.futures.len());
    for (coa, future) in results.coa.iter().zip(&results.future) {
        counts.add(*coa, *future);
    }
    counts.table(&m.coas, &m.futures)
}

/// Every future's share of each course of action's runs in a table, with
/// its Wilson interval.
pub fn shares(table: &FutureTable) -> Vec<CoaFutures> {
    table
        .coas
        .iter()
        .enumerate()
        .map(|(c, coa)| CoaFutures {
            coa: coa.clone(),
            runs: table.runs[c],
            futures: table.share[c]
                .iter()
                .zip(&table.futures)
                .zip(&table.counts[c])
                .filter_map(|((i, f), &x)| {
                    i.map(|i| Share {
                        future: f.clone(),
                        runs_reached: x,
                        share: i.estimate,
                        low: i.lower,
                        high: i.upper,
                    })
                })
                .collect(),
        })
        .collect()
}

/// The rows of `coa` and `baseline` with the same (sample, replication),
/// both finished, in (sample, replication) order.
fn pairs(results: &Results, coa: &str, baseline: &str) -> Vec<(usize, usize)> {
    results
        .grid(coa)
        .iter()
        .zip(&results.grid(baseline))
        .flat_map(|(a, b)| a.iter().zip(b))
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect()
}

/// Computes the analysis: `baseline` must be a course of action of the
/// results, `outcomes` numeric columns of `runs.csv`.
pub fn analyse(
    results: &Results,
    baseline: &str,
    outcomes: &[String],
) -> Result<FuturesAnalysis, ResultsError> {
    let table = tabulate(results);
    let coas = shares(&table);
    let columns: Vec<Vec<f64>> = outcomes
        .iter()
        .map(|o| results.numeric(o))
        .collect::<Result<_, _>>()?;
    let mut future_differences = Vec::new();
    let mut outcome_differences = Vec::new();
    for coa in table.coas.iter().filter(|c| *c != baseline) {
        let pairs = pairs(results, coa, baseline);
        let reached: Vec<(Option<usize>, Option<usize>)> = pairs
            .iter()
            .map(|&(a, b)| (results.future[a], results.future[b]))
            .collect();
        for (f, d) in table.futures.iter().zip(table.paired_differences(&reached)) {
            future_differences.push(Difference {
                coa: coa.clone(),
                of: f.clone(),
                difference: d.and_then(|i| finite(i.estimate)),
                low: d.and_then(|i| finite(i.lower)),
                high: d.and_then(|i| finite(i.upper)),
                pairs: pairs.len(),
            });
        }
        for (name, values) in outcomes.iter().zip(&columns) {
            let first: Vec<f64> = pairs.iter().map(|p| values[p.0]).collect();
            let second: Vec<f64> = pairs.iter().map(|p| values[p.1]).collect();
            let d = paired_mean_difference(&first, &second, CONFIDENCE).ok();
            outcome_differences.push(Difference {
                coa: coa.clone(),
                of: name.clone(),
                difference: d.and_then(|m| finite(m.interval.estimate)),
                low: d.and_then(|m| finite(m.interval.lower)),
                high: d.and_then(|m| finite(m.interval.upper)),
                pairs: pairs.len(),
            });
        }
    }
    Ok(FuturesAnalysis {
        confidence: CONFIDENCE,
        baseline: baseline.to_string(),
        coas,
        future_differences,
        outcome_differences,
    })
}
