//! Small statistical helpers shared by the analyses.
//!
//! Rule: thin, checked wrappers over `statrs` distribution functions (normal
//! and Student t quantiles, binomial upper tail) plus sample moments and the
//! linear-interpolation quantile (Hyndman & Fan 1996, type 7, the default of R
//! and NumPy). Callers validate their inputs; these helpers assume them valid.

use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal, StudentsT};

use crate::error::{Result, invalid};

/// Checks that a confidence level lies strictly between 0 and 1.
pub(crate) fn check_confidence(confidence: f64) -> Result<()> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid(
            "confidence",
            confidence,
            "a confidence level must lie strictly between 0 and 1",
        ));
    }
    Ok(())
}

/// Two-sided standard normal critical value `z_{1 − (1−c)/2}` for confidence `c`.
pub(crate) fn normal_critical(confidence: f64) -> f64 {
    let standard = Normal::new(0.0, 1.0).expect("unit normal is valid");
    standard.inverse_cdf(0.5 + confidence / 2.0)
}

/// Two-sided Student t critical value with `df` degrees of freedom.
pub(crate) fn student_critical(confidence: f64, df: f64) -> f64 {
    let t = StudentsT::new(0.0, 1.0, df).expect("df > 0 checked by caller");
    t.inverse_cdf(0.5 + confidence / 2.0)
}

/// `P(X ≥ k)` for `X ~ Binomial(n, p)`, computed from the regularised
/// incomplete beta function so that tiny tails keep their precision.
pub(crate) fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let p = p.clamp(0.0, 1.0);
    let dist = Binomial::new(p, n).expect("p in [0,1] after clamping");
    // sf(x) = P(X > x), so P(X ≥ k) = sf(k − 1).
    dist.sf(k - 1)
}

/// Arithmetic mean; `NaN` for an empty slice.
pub(crate) fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample variance with divisor `n − 1`; `NaN` for fewer than two values.
pub(crate) fn sample_variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
}

/// Quantile `q ∈ [0, 1]` of already sorted values by linear interpolation
/// between order statistics (type 7). `sorted` must not be empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critical_values_match_tables() {
        assert!((normal_critical(0.95) - 1.959_964).abs() < 1e-5);
        assert!((normal_critical(0.90) - 1.644_854).abs() < 1e-5);
        assert!((student_critical(0.95, 9.0) - 2.262_157).abs() < 1e-5);
        assert!((student_critical(0.99, 4.0) - 4.604_095).abs() < 1e-5);
    }

    #[test]
    fn binomial_tail_matches_direct_sum() {
        // P(X ≥ 3), X ~ Bin(5, 0.4) = 0.2304 + 0.0768 + 0.01024 = 0.31744.
        assert!((binomial_upper_tail(3, 5, 0.4) - 0.31744).abs() < 1e-10);
        assert_eq!(binomial_upper_tail(0, 5, 0.4), 1.0);
        assert_eq!(binomial_upper_tail(6, 5, 0.4), 0.0);
        // Tiny tail: P(X ≥ 100) for Bin(100, 0.5) = 2^-100.
        let t = binomial_upper_tail(100, 100, 0.5);
        assert!((t / 2f64.powi(-100) - 1.0).abs() < 1e-6, "{t}");
    }

    #[test]
    fn moments_and_quantiles() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(mean(&x), 2.5);
        assert!((sample_variance(&x) - 5.0 / 3.0).abs() < 1e-12);
        assert_eq!(quantile_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_sorted(&x, 1.0), 4.0);
        assert!((quantile_sorted(&x, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile_sorted(&x, 0.9) - 3.7).abs() < 1e-12);
    }
}
