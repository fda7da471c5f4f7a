//! Proportions and paired differences between courses of action.
//!
//! Rule: probabilities of reaching a future are reported with Wilson score
//! intervals; COAs run on the same experiments (common random numbers) are
//! compared *pairwise*, which removes the scenario-to-scenario variance.
//!
//! * Wilson (1927) score interval for `x` successes in `n` trials, `p̂ = x/n`,
//!   `z` the two-sided normal critical value:
//!   `(p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
//! * Paired binary outcome (Newcombe 1998, "Improved confidence intervals for
//!   the difference between binomial proportions based on paired data",
//!   Stat Med 17:2635–2650, method 10). With the 2×2 table
//!   `a` = both COAs reach the outcome, `b` = only the first, `c` = only the
//!   second, `d` = neither, `n = a+b+c+d`: `θ = (b − c)/n = p₁ − p₂`;
//!   `[l₁,u₁]`, `[l₂,u₂]` are Wilson intervals for `p₁ = (a+b)/n`,
//!   `p₂ = (a+c)/n`; `φ = (ad − bc)/√((a+b)(c+d)(a+c)(b+d))` (0 if a margin is 0);
//!   `L = θ − √((p₁−l₁)² − 2φ(p₁−l₁)(u₂−p₂) + (u₂−p₂)²)`,
//!   `U = θ + √((u₁−p₁)² − 2φ(u₁−p₁)(p₂−l₂) + (p₂−l₂)²)`.
//! * Paired continuous outcome: mean of `dᵢ = xᵢ − yᵢ` with the Student t
//!   interval `d̄ ± t_{n−1} s_d/√n`.

use crate::error::{AnalysisError, Result, invalid, require_finite, require_len, require_same_len};
use crate::stats::{check_confidence, mean, normal_critical, sample_variance, student_critical};

/// A point estimate with a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Point estimate (a probability or a difference, in the outcome's units).
    pub estimate: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// Wilson score interval for `successes` out of `trials`.
///
/// * `successes` — count of experiments with the outcome (e.g. reached future F).
/// * `trials` — number of experiments, at least 1 and at least `successes`.
/// * `confidence` — two-sided level in (0, 1), e.g. 0.95.
pub fn wilson(successes: u64, trials: u64, confidence: f64) -> Result<Interval> {
    check_confidence(confidence)?;
    if trials == 0 {
        return Err(invalid("trials", trials, "need at least one trial"));
    }
    if successes > trials {
        return Err(invalid(
            "successes",
            successes,
            "cannot exceed the number of trials",
        ));
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z = normal_critical(confidence);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Ok(Interval {
        estimate: p,
        lower: (centre - half).max(0.0),
        upper: (centre + half).min(1.0),
    })
}

/// Wilson interval for the share of `true` values in `flags` (one per experiment).
pub fn share(flags: &[bool], confidence: f64) -> Result<Interval> {
    require_len("flags", flags.len(), 1)?;
    let successes = flags.iter().filter(|&&f| f).count() as u64;
    wilson(successes, flags.len() as u64, confidence)
}

/// The 2×2 table of a binary outcome under two COAs on the same experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairedCounts {
    /// Experiments where both COAs have the outcome (`a`).
    pub both: u64,
    /// Experiments where only the first COA has it (`b`).
    pub first_only: u64,
    /// Experiments where only the second COA has it (`c`).
    pub second_only: u64,
    /// Experiments where neither has it (`d`).
    pub neither: u64,
}

impl PairedCounts {
    /// Tabulates two aligned outcome vectors (`first[i]`, `second[i]` are the
    /// same experiment under the two COAs). Errors if lengths differ or are 0.
    pub fn tabulate(first: &[bool], second: &[bool]) -> Result<Self> {
        require_len("first", first.len(), 1)?;
        require_same_len("second", second.len(), first.len())?;
        let mut t = PairedCounts {
            both: 0,
            first_only: 0,
            second_only: 0,
            neither: 0,
        };
        for (&x, &y) in first.iter().zip(second) {
            match (x, y) {
                (true, true) => t.both += 1,
                (true, false) => t.first_only += 1,
                (false, true) => t.second_only += 1,
                (false, false) => t.neither += 1,
            }
        }
        Ok(t)
    }

    /// Number of paired experiments `n`.
    pub fn total(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }
}

/// Newcombe's (1998, method 10) interval for `p₁ − p₂` from a paired table.
///
/// `estimate` is `(b − c)/n`: positive when the first COA reaches the outcome
/// more often. Errors if the table is empty or `confidence` is not in (0, 1).
pub fn paired_difference(counts: PairedCounts, confidence: f64) -> Result<Interval> {
    check_confidence(confidence)?;
    let n = counts.total();
    if n == 0 {
        return Err(AnalysisError::TooSmall {
            what: "paired counts".into(),
            min: 1,
            found: 0,
        });
    }
    let (a, b, c, d) = (
        counts.both as f64,
        counts.first_only as f64,
        counts.second_only as f64,
        counts.neither as f64,
    );
    let nf = n as f64;
    let p1 = (a + b) / nf;
    let p2 = (a + c) / nf;
    let w1 = wilson(counts.both + counts.first_only, n, confidence)?;
    let w2 = wilson(counts.both + counts.second_only, n, confidence)?;
    let margins = (a + b) * (c + d) * (a + c) * (b + d);
    let cross = a * d - b * c;
    let phi = if margins <= 0.0 {
        0.0
    } else if cross > nf / 2.0 {
        (cross - nf / 2.0) / margins.sqrt()
    } else if cross >= 0.0 {
        0.0
    } else {
        cross / margins.sqrt()
    };
    let theta = (b - c) / nf;
    let (dl1, du1) = (p1 - w1.lower, w1.upper - p1);
    let (dl2, du2) = (p2 - w2.lower, w2.upper - p2);
    let delta = (dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2)
        .max(0.0)
        .sqrt();
    let epsilon = (du1 * du1 - 2.0 * phi * du1 * dl2 + dl2 * dl2)
        .max(0.0)
        .sqrt();
    Ok(Interval {
        estimate: theta,
        lower: (theta - delta).max(-1.0),
        upper: (theta + epsilon).min(1.0),
    })
}

/// Paired difference of a binary outcome straight from two aligned vectors.
pub fn paired_difference_of(first: &[bool], second: &[bool], confidence: f64) -> Result<Interval> {
    paired_difference(PairedCounts::tabulate(first, second)?, confidence)
}

/// Mean paired difference of a continuous outcome with its t interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanDifference {
    /// Mean of `first[i] − second[i]`, with its interval, in the outcome's units.
    pub interval: Interval,
    /// Sample standard deviation of the differences.
    pub std_dev: f64,
    /// Number of pairs.
    pub pairs: usize,
}

/// Mean of `first[i] − second[i]` with a Student t interval (`n − 1` df).
///
/// * `first`, `second` — the outcome under two COAs on the same experiments,
///   equal lengths of at least 2, finite values.
/// * `confidence` — two-sided level in (0, 1).
pub fn paired_mean_difference(
    first: &[f64],
    second: &[f64],
    confidence: f64,
) -> Result<MeanDifference> {
    check_confidence(confidence)?;
    require_len("first", first.len(), 2)?;
    require_same_len("second", second.len(), first.len())?;
    require_finite("first", first)?;
    require_finite("second", second)?;
    let diffs: Vec<f64> = first.iter().zip(second).map(|(x, y)| x - y).collect();
    let n = diffs.len();
    let m = mean(&diffs);
    let sd = sample_variance(&diffs).sqrt();
    let half = student_critical(confidence, (n - 1) as f64) * sd / (n as f64).sqrt();
    Ok(MeanDifference {
        interval: Interval {
            estimate: m,
            lower: m - half,
            upper: m + half,
        },
        std_dev: sd,
        pairs: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(i: Interval, lower: f64, upper: f64, tol: f64) {
        assert!(
            (i.lower - lower).abs() < tol && (i.upper - upper).abs() < tol,
            "got [{:.4}, {:.4}], want [{lower}, {upper}]",
            i.lower,
            i.upper
        );
    }

    #[test]
    fn wilson_matches_newcombe_1998_single_proportion_table() {
        // Newcombe (1998), Stat Med 17:857–872, Table II, method 3 (score).
        close(wilson(81, 263, 0.95).unwrap(), 0.2553, 0.3662, 6e-5);
        close(wilson(15, 148, 0.95).unwrap(), 0.0624, 0.1605, 6e-5);
        close(wilson(0, 20, 0.95).unwrap(), 0.0, 0.1611, 6e-5);
        close(wilson(1, 29, 0.95).unwrap(), 0.0061, 0.1718, 6e-5);
    }

    #[test]
    fn wilson_rejects_bad_counts() {
        assert!(wilson(3, 0, 0.95).is_err());
        assert!(wilson(4, 3, 0.95).is_err());
        assert!(wilson(1, 3, 1.0).is_err());
        assert!(share(&[], 0.95).is_err());
        let s = share(&[true, false, true, true], 0.95).unwrap();
        assert_eq!(s.estimate, 0.75);
    }

    #[test]
    fn newcombe_paired_matches_textbook_example() {
        // Fagerland, Lydersen & Laake (2017), Statistical Analysis of
        // Contingency Tables, ch. 8: complete response before and after
        // consolidation therapy (Cavo et al. 2012), table 59, 6 / 16, 80.
        // Newcombe square-and-add: −0.0621 (95% CI −0.1186 to −0.0046).
        let t = PairedCounts {
            both: 59,
            first_only: 6,
            second_only: 16,
            neither: 80,
        };
        let i = paired_difference(t, 0.95).unwrap();
        assert!((i.estimate - (-10.0 / 161.0)).abs() < 1e-12);
        close(i, -0.1186, -0.0046, 6e-5);
        // Bentur et al. (2009) table 1, 1 / 7, 12 has a zero-free table with
        // negative A = ad − bc, the branch without continuity adjustment.
        let t = PairedCounts {
            both: 1,
            first_only: 1,
            second_only: 7,
            neither: 12,
        };
        let i = paired_difference(t, 0.95).unwrap();
        assert!(i.lower < i.estimate && i.estimate < i.upper && i.upper < 0.0);
    }

    #[test]
    fn paired_difference_is_antisymmetric_and_tabulates() {
        let first = [true, true, false, true, false, false, true, true];
        let second = [true, false, false, false, true, false, false, true];
        let t = PairedCounts::tabulate(&first, &second).unwrap();
        assert_eq!(
            (t.both, t.first_only, t.second_only, t.neither),
            (2, 3, 1, 2)
        );
        let ab = paired_difference_of(&first, &second, 0.95).unwrap();
        let ba = paired_difference_of(&second, &first, 0.95).unwrap();
        assert!((ab.estimate + ba.estimate).abs() < 1e-12);
        assert!((ab.lower + ba.upper).abs() < 1e-12);
        assert!(ab.lower < ab.estimate && ab.estimate < ab.upper);
        assert!(PairedCounts::tabulate(&first, &second[..3]).is_err());
    }

    #[test]
    fn paired_mean_difference_matches_hand_computation() {
        // Differences 1..=10 minus 0: mean 5.5, sd √(55/6), t_{0.975,9} = 2.262157.
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let y = vec![0.0; 10];
        let d = paired_mean_difference(&x, &y, 0.95).unwrap();
        let sd = (55.0f64 / 6.0).sqrt();
        let half = 2.262_157 * sd / 10f64.sqrt();
        assert!((d.std_dev - sd).abs() < 1e-12);
        assert!((d.interval.estimate - 5.5).abs() < 1e-12);
        assert!((d.interval.lower - (5.5 - half)).abs() < 1e-5);
        assert!((d.interval.upper - (5.5 + half)).abs() < 1e-5);
        assert!(paired_mean_difference(&[1.0], &[2.0], 0.95).is_err());
        assert!(paired_mean_difference(&[1.0, f64::NAN], &[2.0, 3.0], 0.95).is_err());
    }
}
