//! Steps 1, 2 and 7c–d of the SMP (bargaining brief §1.3): the
//! salience-weighted distance from an ideal to a position, utility with a
//! risk attitude R, risk attitudes inferred from position probabilities
//! (`BigRRange`) and one actor's estimate of another's (`BigRAdjust`).
//! Positions and saliences here are on KTAB's internal 0..1 scale.

use crate::params::{BigRAdjust, BigRRange};

/// d = sqrt(Σ_k (s_k (a_k − b_k))² / Σ_k s_k²): the normalised distance
/// between `a` and `b` weighted by saliences `s`. In one dimension it is |a − b|.
pub fn weighted_distance(a: &[f64], b: &[f64], s: &[f64]) -> f64 {
    let mut ds = 0.0;
    let mut ss = 0.0;
    for k in 0..a.len() {
        let x = (a[k] - b[k]) * s[k];
        ds += x * x;
        ss += s[k] * s[k];
    }
    if ss > 0.0 { (ds / ss).sqrt() } else { 0.0 }
}

/// u(d, R) = (1 − d)(1 + dR) for d ≤ 1, else (1 − d)(1 + R): utility of a
/// position at distance d for risk attitude R ∈ [−1, 1] (R = 1 gives 1 − d²).
pub fn utility(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// Risk attitudes from position probabilities p (KTAB's `bigRfromProb`):
/// the most probable position's holder is the most risk-averse. When all
/// probabilities are equal KTAB divides by zero; here everyone is neutral.
pub fn risk_from_probabilities(p: &[f64], range: BigRRange) -> Vec<f64> {
    let p_min = p.iter().copied().fold(1.0, f64::min);
    let p_max = p.iter().copied().fold(0.0, f64::max);
    let spread = p_max - p_min;
    if spread <= 1e-15 {
        return vec![0.0; p.len()];
    }
    p.iter()
        .map(|&pi| match range {
            BigRRange::Min => (pi - p_min) / spread,
            BigRRange::Mid => (3.0 * pi - (p_max + 2.0 * p_min)) / (2.0 * spread),
            BigRRange::Max => (2.0 * pi - (p_max + p_min)) / spread,
        })
        .collect()
}

/// Actor h's estimate of actor i's risk attitude, from R_h and R_i.
pub fn estimated_risk(rh: f64, ri: f64, adjust: BigRAdjust) -> f64 {
    match adjust {
        BigRAdjust::Full => ri,
        BigRAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
        BigRAdjust::Half => (rh + ri) / 2.0,
        BigRAdjust::OneThird => (2.0 * rh + ri) / 3.0,
        BigRAdjust::None => rh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dimension_ignores_salience() {
        assert!((weighted_distance(&[0.2], &[0.7], &[0.3]) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn utility_shapes() {
        assert_eq!(utility(0.0, 0.5), 1.0);
        assert!((utility(0.5, 1.0) - 0.75).abs() < 1e-15);
        assert!((utility(0.5, 0.0) - 0.5).abs() < 1e-15);
        assert!((utility(0.5, -1.0) - 0.25).abs() < 1e-15);
    }

    #[test]
    fn risk_ranges() {
        let p = [0.1, 0.2, 0.7];
        let mid = risk_from_probabilities(&p, BigRRange::Mid);
        assert!((mid[0] + 0.5).abs() < 1e-12 && (mid[2] - 1.0).abs() < 1e-12);
        let max = risk_from_probabilities(&p, BigRRange::Max);
        assert!((max[0] + 1.0).abs() < 1e-12);
        let min = risk_from_probabilities(&p, BigRRange::Min);
        assert!(min[0].abs() < 1e-12);
        assert_eq!(
            risk_from_probabilities(&[0.25; 4], BigRRange::Mid),
            vec![0.0; 4]
        );
        assert!((estimated_risk(1.0, -0.5, BigRAdjust::OneThird) - 0.5).abs() < 1e-15);
    }
}
