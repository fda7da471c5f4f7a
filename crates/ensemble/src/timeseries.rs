//! Fan charts: quantiles of each daily outcome per course of action and day.
//!
//! Memory stays flat in the number of runs: the accumulator keeps the daily
//! series of the first `series_sample` samples of each course of action (a
//! random sample of the plan, since samples are exchangeable; the count is
//! recorded in the manifest) and computes exact quantiles over them.

use crate::runner::Row;
use patronfall_model::Outcome;

/// The quantiles reported for every course of action, day and outcome.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// One row of the fan chart table.
#[derive(Clone, Debug, PartialEq)]
pub struct Fan {
    /// Position of the course of action in the plan.
    pub coa_slot: usize,
    /// Day (0 is the start).
    pub day: u32,
    /// The outcome.
    pub outcome: Outcome,
    /// Values at [`QUANTILES`].
    pub quantiles: [f64; 5],
    /// Mean over the sampled runs.
    pub mean: f64,
    /// Runs the row is computed from.
    pub runs: usize,
}

/// Collects series of the first samples of each course of action.
#[derive(Clone, Debug)]
pub struct Accumulator {
    limit: usize,
    /// Per course of action: values\[day\]\[outcome\] over runs, as f32 to halve memory.
    values: Vec<Vec<Vec<Vec<f32>>>>,
}

impl Accumulator {
    /// An accumulator for `coas` courses of action, `days` days and up to `limit` samples each.
    pub fn new(coas: usize, days: u32, limit: usize) -> Self {
        let days = days as usize + 1;
        Accumulator {
            limit,
            values: vec![vec![vec![Vec::new(); Outcome::COUNT]; days]; coas],
        }
    }

    /// Takes the series of the rows that carry one and fall within the limit.
    pub fn add(&mut self, rows: &[Row]) {
        for row in rows {
            let Some(series) = &row.series else { continue };
            if row.experiment.sample >= self.limit {
                continue;
            }
            for (d, day) in series.iter().enumerate() {
                self.add_day(row.experiment.coa_slot, d, &day.0);
            }
        }
    }

    /// Takes one day's outcomes (in `Outcome::ALL` order) of one run of
    /// the course of action in `coa_slot`, a run the caller knows to be
    /// in the sample: how the shards' samples are joined
    /// (`patronfall_results::merge`). Days past the accumulator's are
    /// ignored, as in [`Accumulator::add`]. The quantiles and means do not
    /// depend on the order runs arrive in: each day's values are sorted
    /// before either is taken.
    pub fn add_day(&mut self, coa_slot: usize, day: usize, outcomes: &[f64]) {
        let Some(slot) = self.values.get_mut(coa_slot) else {
            return;
        };
        let Some(per_outcome) = slot.get_mut(day) else {
            return;
        };
        for (values, v) in per_outcome.iter_mut().zip(outcomes) {
            values.push(*v as f32);
        }
    }

    /// The fan chart table, ordered by course of action, day, outcome.
    pub fn finish(&self) -> Vec<Fan> {
        let mut out = Vec::new();
        for (c, per_day) in self.values.iter().enumerate() {
            for (d, per_outcome) in per_day.iter().enumerate() {
                for (k, vals) in per_outcome.iter().enumerate() {
                    if vals.is_empty() {
                        continue;
                    }
                    let mut sorted: Vec<f64> = vals.iter().map(|v| f64::from(*v)).collect();
                    sorted.sort_by(f64::total_cmp);
                    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
                    let q = QUANTILES.map(|p| quantile(&sorted, p));
                    out.push(Fan {
                        coa_slot: c,
                        day: d as u32,
                        outcome: Outcome::ALL[k],
                        quantiles: q,
                        mean,
                        runs: sorted.len(),
                    });
                }
            }
        }
        out
    }
}

/// Linear-interpolation quantile of sorted values (Hyndman and Fan type 7);
/// NaN for no values.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        f64::NAN
    } else {
        patronfall_analysis::stats::quantile_sorted(sorted, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.9), 7.0);
    }
}
