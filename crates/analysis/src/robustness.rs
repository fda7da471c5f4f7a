//! Robustness of courses of action across scenarios: regret and satisficing.
//!
//! Rule: given an outcome table `v[s][c]` (scenario `s`, COA `c`) and a
//! direction, the regret of COA `c` in scenario `s` is how far it falls short
//! of the best COA in that scenario (Savage 1951; "regret type 2" in Rhodium,
//! Hadjimichael et al. 2020; Lempert et al. 2006):
//!
//! * maximise: `R[s][c] = max_c' v[s][c'] − v[s][c]`
//! * minimise: `R[s][c] = v[s][c] − min_c' v[s][c']`
//!
//! so regret is ≥ 0 and 0 for the best COA. Per COA we report the maximum
//! regret (minimax-regret criterion) and any quantile of regret (linear
//! interpolation, type 7). The satisficing share of a COA is the fraction of
//! scenarios in which it meets a threshold (Rhodium's "satisficing type 1",
//! Starr 1963 domain criterion).

use crate::error::{AnalysisError, Result, invalid};
use crate::matrix::Matrix;
use crate::stats::quantile_sorted;

/// Whether larger or smaller values of the outcome are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Larger is better (e.g. legitimacy).
    Maximise,
    /// Smaller is better (e.g. casualties, fighters outside state control).
    Minimise,
}

/// A satisficing requirement on one outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// Met when the value is at least this.
    AtLeast(f64),
    /// Met when the value is at most this.
    AtMost(f64),
}

impl Threshold {
    /// Whether `value` meets the requirement.
    pub fn is_met(&self, value: f64) -> bool {
        match *self {
            Threshold::AtLeast(t) => value >= t,
            Threshold::AtMost(t) => value <= t,
        }
    }
}

/// Regret matrix `scenarios × COAs` from an outcome table of the same shape.
///
/// * `outcomes` — `outcomes.get(s, c)` is the outcome of COA `c` in scenario
///   `s` (a scalar outcome, or a replication mean); at least one row and column.
pub fn regret(outcomes: &Matrix, direction: Direction) -> Result<Matrix> {
    check_table(outcomes)?;
    let mut r = Matrix::zeros(outcomes.rows(), outcomes.cols());
    for s in 0..outcomes.rows() {
        let row = outcomes.row(s);
        let best = match direction {
            Direction::Maximise => row.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Direction::Minimise => row.iter().copied().fold(f64::INFINITY, f64::min),
        };
        for (c, &v) in row.iter().enumerate() {
            let shortfall = match direction {
                Direction::Maximise => best - v,
                Direction::Minimise => v - best,
            };
            r.set(s, c, shortfall);
        }
    }
    Ok(r)
}

/// Maximum regret of each COA over the scenarios (length = number of COAs).
pub fn max_regret(outcomes: &Matrix, direction: Direction) -> Result<Vec<f64>> {
    quantile_regret(outcomes, direction, 1.0)
}

/// The `q` quantile (`0 ≤ q ≤ 1`) of each COA's regret over the scenarios,
/// e.g. `q = 0.9` for Rhodium's 90th-percentile regret.
pub fn quantile_regret(outcomes: &Matrix, direction: Direction, q: f64) -> Result<Vec<f64>> {
    if !(0.0..=1.0).contains(&q) {
        return Err(invalid("q", q, "a quantile must lie in [0, 1]"));
    }
    let r = regret(outcomes, direction)?;
    Ok((0..r.cols())
        .map(|c| {
            let mut col = r.column(c);
            col.sort_by(f64::total_cmp);
            quantile_sorted(&col, q)
        })
        .collect())
}

/// Fraction of scenarios (rows) in which each COA (column) meets `threshold`.
pub fn satisficing_share(outcomes: &Matrix, threshold: Threshold) -> Result<Vec<f64>> {
    check_table(outcomes)?;
    let n = outcomes.rows() as f64;
    Ok((0..outcomes.cols())
        .map(|c| {
            let met = (0..outcomes.rows())
                .filter(|&s| threshold.is_met(outcomes.get(s, c)))
                .count();
            met as f64 / n
        })
        .collect())
}

/// Rejects tables without scenarios or COAs (values are finite by construction).
fn check_table(outcomes: &Matrix) -> Result<()> {
    if outcomes.rows() == 0 || outcomes.cols() == 0 {
        return Err(AnalysisError::TooSmall {
            what: "outcome table (scenarios × COAs)".into(),
            min: 1,
            found: outcomes.rows().min(outcomes.cols()),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Matrix {
        // 4 scenarios × 3 COAs.
        Matrix::from_rows(
            "t",
            &[
                vec![10.0, 8.0, 6.0],
                vec![2.0, 7.0, 6.0],
                vec![5.0, 5.0, 9.0],
                vec![9.0, 8.0, 1.0],
            ],
        )
        .unwrap()
    }

    #[test]
    fn regret_against_best_in_each_scenario() {
        let r = regret(&table(), Direction::Maximise).unwrap();
        assert_eq!(r.row(0), &[0.0, 2.0, 4.0]);
        assert_eq!(r.row(1), &[5.0, 0.0, 1.0]);
        assert_eq!(r.row(2), &[4.0, 4.0, 0.0]);
        assert_eq!(r.row(3), &[0.0, 1.0, 8.0]);
        assert_eq!(
            max_regret(&table(), Direction::Maximise).unwrap(),
            vec![5.0, 4.0, 8.0]
        );
        let rmin = regret(&table(), Direction::Minimise).unwrap();
        assert_eq!(rmin.row(0), &[4.0, 2.0, 0.0]);
        assert_eq!(rmin.row(3), &[8.0, 7.0, 0.0]);
        assert_eq!(
            max_regret(&table(), Direction::Minimise).unwrap(),
            vec![8.0, 7.0, 4.0]
        );
    }

    #[test]
    fn quantile_regret_interpolates() {
        // COA 0 regrets sorted: 0, 0, 4, 5 → median 2, 75th pct 4.25.
        let q = quantile_regret(&table(), Direction::Maximise, 0.5).unwrap();
        assert!((q[0] - 2.0).abs() < 1e-12);
        let q = quantile_regret(&table(), Direction::Maximise, 0.75).unwrap();
        assert!((q[0] - 4.25).abs() < 1e-12);
        assert!(quantile_regret(&table(), Direction::Maximise, 1.5).is_err());
    }

    #[test]
    fn satisficing_counts_scenarios_meeting_threshold() {
        let s = satisficing_share(&table(), Threshold::AtLeast(6.0)).unwrap();
        assert_eq!(s, vec![0.5, 0.75, 0.75]);
        let s = satisficing_share(&table(), Threshold::AtMost(5.0)).unwrap();
        assert_eq!(s, vec![0.5, 0.25, 0.25]);
        assert!(satisficing_share(&Matrix::zeros(0, 3), Threshold::AtMost(1.0)).is_err());
    }
}
