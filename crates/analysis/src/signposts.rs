//! Signposts: how well an indicator, observed on one day with its
//! measurement error, tells the futures apart.
//!
//! Input: for the runs of one course of action, each run's true value `x`
//! of the indicator and the future it reached. The observed value `Y` of a
//! run is modelled by [`MeasurementError`] (normal, with the mean and
//! variance of binomial thinning plus relative and absolute error), so
//! every probability below is the mean over runs of `P(Y … | x)`: exact
//! indicators count runs, noisy ones count them softly.
//!
//! * **Distribution per future:** quantiles (type 7) of the expected
//!   observed value `E[Y | x]` over each future's runs.
//! * **Likelihood ratios:** for a threshold `t` from the pooled deciles of
//!   `E[Y | x]` and the event `Y > t` (or `Y ≤ t`), `LR_f = P(event | f) /
//!   P(event | not f)`: how many times more likely future `f` becomes, in
//!   odds, once the event is seen. Interval: Katz's log method for a ratio
//!   of two proportions, `ln LR ± z √(1/a − 1/n₁ + 1/c − 1/n₀)` with `a`,
//!   `c` the (soft) event counts among the `n₁` runs of `f` and the `n₀`
//!   others, 0.5 added to every cell when one is below 0.5 (Katz, Baptista,
//!   Azen & Pike 1978, "Obtaining confidence intervals for the risk ratio in
//!   cohort studies", Biometrics 34:469–474; for likelihood ratios, Simel,
//!   Samsa & Matchar 1991, J Clin Epidemiol 44:763–770).
//! * **Information:** the mutual information between the future and the
//!   indicator's bin (the thresholds cut `Y` into up to ten bins), in bits,
//!   with the Miller–Madow correction of each entropy, `(K − 1)/2N` nats
//!   for `K` occupied cells (Miller 1955; Paninski 2003, Neural Computation
//!   15:1191–1253), and a percentile bootstrap interval over runs (seeded,
//!   so the same runs give the same interval). Its share of the futures'
//!   entropy `H(F)` is the expected reduction in uncertainty about the
//!   future once the indicator is read.
//!
//! Runs that reached no future count as one more outcome. NaN values (a
//! run that stopped before the window) are left out.

use crate::error::{Result, invalid, require_len, require_same_len};
use crate::stats::{normal_critical, quantile_sorted};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{ContinuousCDF, Normal};

/// How an indicator's observed value `Y` scatters around its true value `x`:
/// `E[Y] = d·x`, `Var[Y] = d(1−d)·|x| + (r·d·x)² + a²`, with `d` the
/// detection probability (counts only; 1 otherwise), `r` the relative and
/// `a` the absolute error, `Y` normal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasurementError {
    /// Relative error `r` (standard deviation as a share of the value).
    pub relative: f64,
    /// Absolute error `a` (standard deviation in the figure's unit).
    pub absolute: f64,
    /// Detection probability `d`.
    pub detection: f64,
    /// Whether the figure is a count (detection applies).
    pub count: bool,
}

impl MeasurementError {
    /// No error.
    pub const EXACT: MeasurementError = MeasurementError {
        relative: 0.0,
        absolute: 0.0,
        detection: 1.0,
        count: false,
    };

    fn d(&self) -> f64 {
        if self.count { self.detection } else { 1.0 }
    }

    /// `E[Y | x]`.
    pub fn mean(&self, x: f64) -> f64 {
        self.d() * x
    }

    /// The standard deviation of `Y` given `x`.
    pub fn sd(&self, x: f64) -> f64 {
        let d = self.d();
        let m = d * x;
        (d * (1.0 - d) * x.abs() + (self.relative * m).powi(2) + self.absolute.powi(2)).sqrt()
    }

    /// `P(Y > t | x)`; with no error, whether `x > t`.
    pub fn above(&self, x: f64, t: f64) -> f64 {
        let (m, s) = (self.mean(x), self.sd(x));
        if s > 0.0 {
            1.0 - phi((t - m) / s)
        } else {
            f64::from(u8::from(m > t))
        }
    }
}

/// The standard normal distribution function.
pub(crate) fn phi(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.cdf(z))
}

/// Options of [`signpost`].
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Two-sided confidence of the intervals.
    pub confidence: f64,
    /// Bootstrap resamples of the information's interval.
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            confidence: crate::futures::CONFIDENCE,
            bootstrap: 200,
            seed: 1,
        }
    }
}

/// A ratio with its interval; `None` parts where undefined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ratio {
    /// The estimate.
    pub estimate: f64,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

/// One threshold of an indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// The threshold, in the observed value's unit.
    pub value: f64,
    /// Per outcome (futures, then "no future"): `P(Y > t | outcome)`.
    pub above: Vec<f64>,
    /// Per outcome: the likelihood ratio of `Y > t`, if defined.
    pub ratio_above: Vec<Option<Ratio>>,
    /// Per outcome: the likelihood ratio of `Y ≤ t`, if defined.
    pub ratio_below: Vec<Option<Ratio>>,
}

/// Mutual information between the future and the indicator, in bits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Information {
    /// Miller–Madow corrected estimate (at least 0).
    pub bits: f64,
    /// Bootstrap lower limit.
    pub lower: f64,
    /// Bootstrap upper limit.
    pub upper: f64,
    /// The futures' entropy `H(F)`, bits.
    pub entropy: f64,
}

impl Information {
    /// The estimate as a share of `H(F)` (0 when the future is certain).
    pub fn share(&self) -> f64 {
        if self.entropy > 0.0 {
            (self.bits / self.entropy).min(1.0)
        } else {
            0.0
        }
    }

    /// The lower limit as a share of `H(F)`.
    pub fn share_lower(&self) -> f64 {
        if self.entropy > 0.0 {
            (self.lower / self.entropy).min(1.0)
        } else {
            0.0
        }
    }
}

/// What one indicator on one day says about the futures, for one course of action.
#[derive(Clone, Debug, PartialEq)]
pub struct Signpost {
    /// Runs with a value.
    pub runs: usize,
    /// Runs per outcome (futures, then "no future").
    pub runs_per_outcome: Vec<usize>,
    /// Per outcome: 5, 25, 50, 75 and 95% quantiles of `E[Y | x]`
    /// (NaN for an outcome no run reached).
    pub quantiles: Vec<[f64; 5]>,
    /// The thresholds, ascending.
    pub thresholds: Vec<Threshold>,
    /// The information it carries.
    pub information: Information,
}

/// The quantile levels of [`Signpost::quantiles`].
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// The signpost of an indicator: `values[i]` is run `i`'s true value (NaN
/// left out), `futures[i]` its future (an index below `futures_count`, or
/// `None`), `error` the measurement error.
pub fn signpost(
    values: &[f64],
    futures: &[Option<usize>],
    futures_count: usize,
    error: &MeasurementError,
    options: &Options,
) -> Result<Signpost> {
    require_same_len("futures", futures.len(), values.len())?;
    crate::stats::check_confidence(options.confidence)?;
    let k = futures_count + 1;
    let mut x = Vec::new();
    let mut f = Vec::new();
    for (v, fut) in values.iter().zip(futures) {
        if v.is_finite() {
            let o = fut.unwrap_or(futures_count);
            if o >= k {
                return Err(invalid("futures", o, "a future index beyond the list"));
            }
            x.push(*v);
            f.push(o);
        }
    }
    require_len("runs with a value", x.len(), 2)?;
    let n = x.len();
    let mut runs_per_outcome = vec![0usize; k];
    for &o in &f {
        runs_per_outcome[o] += 1;
    }
    let expected: Vec<f64> = x.iter().map(|v| error.mean(*v)).collect();
    let quantiles = (0..k)
        .map(|o| {
            let mut v: Vec<f64> = expected
                .iter()
                .zip(&f)
                .filter(|(_, g)| **g == o)
                .map(|(e, _)| *e)
                .collect();
            v.sort_by(f64::total_cmp);
            if v.is_empty() {
                [f64::NAN; 5]
            } else {
                LEVELS.map(|q| quantile_sorted(&v, q))
            }
        })
        .collect();
    let mut sorted = expected.clone();
    sorted.sort_by(f64::total_cmp);
    let mut cuts: Vec<f64> = (1..10)
        .map(|d| quantile_sorted(&sorted, f64::from(d) / 10.0))
        .collect();
    cuts.dedup();
    // A cut at the largest value separates nothing for an exact indicator.
    cuts.retain(|c| *c < sorted[n - 1] || error.sd(sorted[n - 1]) > 0.0);
    let z = normal_critical(options.confidence);
    // P(Y > cut | x_i) for every run and cut.
    let above: Vec<Vec<f64>> = x
        .iter()
        .map(|v| cuts.iter().map(|t| error.above(*v, *t)).collect())
        .collect();
    let thresholds = cuts
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let mut a = vec![0.0; k];
            for (row, o) in above.iter().zip(&f) {
                a[*o] += row[j];
            }
            let total: f64 = a.iter().sum();
            let ratio =
                |hit: f64, n1: f64, other_hit: f64, n0: f64| katz(hit, n1, other_hit, n0, z);
            Threshold {
                value: *t,
                above: (0..k)
                    .map(|o| {
                        if runs_per_outcome[o] == 0 {
                            f64::NAN
                        } else {
                            a[o] / runs_per_outcome[o] as f64
                        }
                    })
                    .collect(),
                ratio_above: (0..k)
                    .map(|o| {
                        let n1 = runs_per_outcome[o] as f64;
                        ratio(a[o], n1, total - a[o], n as f64 - n1)
                    })
                    .collect(),
                ratio_below: (0..k)
                    .map(|o| {
                        let n1 = runs_per_outcome[o] as f64;
                        let n0 = n as f64 - n1;
                        ratio(n1 - a[o], n1, n0 - (total - a[o]), n0)
                    })
                    .collect(),
            }
        })
        .collect();
    // Bin probabilities: bin 0 is Y ≤ cut 0, bin j is cut j−1 < Y ≤ cut j.
    let bins: Vec<Vec<f64>> = above
        .iter()
        .map(|row| {
            let mut p = Vec::with_capacity(row.len() + 1);
            let mut prev = 1.0;
            for &a in row {
                p.push((prev - a).max(0.0));
                prev = a;
            }
            p.push(prev);
            p
        })
        .collect();
    let index: Vec<usize> = (0..n).collect();
    let bits = mutual_information(&index, &bins, &f, k);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut boot: Vec<f64> = (0..options.bootstrap)
        .map(|_| {
            let pick: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            mutual_information(&pick, &bins, &f, k)
        })
        .collect();
    boot.sort_by(f64::total_cmp);
    let alpha = (1.0 - options.confidence) / 2.0;
    let (lower, upper) = if boot.is_empty() {
        (bits, bits)
    } else {
        (
            quantile_sorted(&boot, alpha),
            quantile_sorted(&boot, 1.0 - alpha),
        )
    };
    let entropy = entropy_bits(
        &runs_per_outcome
            .iter()
            .map(|c| *c as f64)
            .collect::<Vec<_>>(),
    );
    Ok(Signpost {
        runs: n,
        runs_per_outcome,
        quantiles,
        thresholds,
        information: Information {
            bits,
            lower,
            upper,
            entropy,
        },
    })
}

/// Katz's log interval of `(a/n₁) / (c/n₀)`; `None` when a group is empty.
fn katz(a: f64, n1: f64, c: f64, n0: f64, z: f64) -> Option<Ratio> {
    if n1 <= 0.0 || n0 <= 0.0 {
        return None;
    }
    let (mut a, mut n1, mut c, mut n0) = (a.max(0.0), n1, c.max(0.0), n0);
    if a < 0.5 || c < 0.5 || n1 - a < 0.5 || n0 - c < 0.5 {
        a += 0.5;
        c += 0.5;
        n1 += 1.0;
        n0 += 1.0;
    }
    let estimate = (a / n1) / (c / n0);
    let se = (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n0).max(0.0).sqrt();
    let l = patronfall_math::ln(estimate);
    Some(Ratio {
        estimate,
        lower: patronfall_math::exp(l - z * se),
        upper: patronfall_math::exp(l + z * se),
    })
}

/// Entropy in bits of counts.
fn entropy_bits(counts: &[f64]) -> f64 {
    let total: f64 = counts.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    -counts
        .iter()
        .filter(|c| **c > 0.0)
        .map(|c| {
            let p = c / total;
            p * patronfall_math::ln(p)
        })
        .sum::<f64>()
        / std::f64::consts::LN_2
}

/// Miller–Madow corrected mutual information, bits, of the runs `pick`
/// (with repeats, for the bootstrap).
fn mutual_information(pick: &[usize], bins: &[Vec<f64>], f: &[usize], k: usize) -> f64 {
    let b = bins.first().map_or(0, Vec::len);
    let mut joint = vec![0.0; k * b];
    for &i in pick {
        for (j, p) in bins[i].iter().enumerate() {
            joint[f[i] * b + j] += p;
        }
    }
    let n = pick.len() as f64;
    let rows: Vec<f64> = (0..k)
        .map(|o| joint[o * b..(o + 1) * b].iter().sum())
        .collect();
    let cols: Vec<f64> = (0..b)
        .map(|j| (0..k).map(|o| joint[o * b + j]).sum())
        .collect();
    let occupied = |v: &[f64]| v.iter().filter(|x| **x > 1e-12).count() as f64;
    let plug_in = entropy_bits(&rows) + entropy_bits(&cols) - entropy_bits(&joint);
    let correction = ((occupied(&rows) - 1.0) + (occupied(&cols) - 1.0) - (occupied(&joint) - 1.0))
        / (2.0 * n)
        / std::f64::consts::LN_2;
    (plug_in + correction).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two futures set apart by the indicator: runs of future 0 have values
    /// 0..50, of future 1 values 50..100. Above the median, future 1 is
    /// certain: its ratio is large and its interval excludes 1, and the
    /// information is near the whole bit of the futures' entropy.
    #[test]
    fn a_separating_indicator_has_a_large_ratio_and_a_bit_of_information() {
        let values: Vec<f64> = (0..200).map(|i| f64::from(i) / 2.0).collect();
        let futures: Vec<Option<usize>> = (0..200).map(|i| Some(usize::from(i >= 100))).collect();
        let s = signpost(
            &values,
            &futures,
            2,
            &MeasurementError::EXACT,
            &Options::default(),
        )
        .unwrap();
        assert_eq!(s.runs_per_outcome, vec![100, 100, 0]);
        let median = s
            .thresholds
            .iter()
            .find(|t| (t.value - 49.75).abs() < 1.0)
            .expect("a threshold near the median");
        let r = median.ratio_above[1].unwrap();
        assert!(r.estimate > 50.0 && r.lower > 10.0, "{r:?}");
        assert!(s.information.entropy > 0.99 && s.information.entropy < 1.01);
        assert!(s.information.bits > 0.9, "{:?}", s.information);
        assert!(s.information.lower > 0.8 && s.information.upper <= 1.1);
    }

    /// An indicator unrelated to the future carries (nearly) no
    /// information and ratios whose intervals hold 1.
    #[test]
    fn an_unrelated_indicator_carries_nothing() {
        let values: Vec<f64> = (0..400).map(|i| f64::from(i % 20)).collect();
        let futures: Vec<Option<usize>> = (0..400).map(|i| Some((i / 20) % 2)).collect();
        let s = signpost(
            &values,
            &futures,
            2,
            &MeasurementError::EXACT,
            &Options::default(),
        )
        .unwrap();
        assert!(s.information.bits < 0.03, "{:?}", s.information);
        for t in &s.thresholds {
            let r = t.ratio_above[0].unwrap();
            assert!(r.lower < 1.0 && r.upper > 1.0, "{r:?}");
        }
    }

    /// Measurement error blurs a perfect indicator: less information.
    #[test]
    fn noise_costs_information() {
        let values: Vec<f64> = (0..200).map(|i| f64::from(i) / 2.0).collect();
        let futures: Vec<Option<usize>> = (0..200).map(|i| Some(usize::from(i >= 100))).collect();
        let exact = signpost(
            &values,
            &futures,
            2,
            &MeasurementError::EXACT,
            &Options::default(),
        )
        .unwrap();
        let noisy = MeasurementError {
            absolute: 30.0,
            ..MeasurementError::EXACT
        };
        let blurred = signpost(&values, &futures, 2, &noisy, &Options::default()).unwrap();
        assert!(
            blurred.information.bits < exact.information.bits - 0.3,
            "{} vs {}",
            blurred.information.bits,
            exact.information.bits
        );
    }

    #[test]
    fn measurement_error_thins_counts_only() {
        let e = MeasurementError {
            relative: 0.1,
            absolute: 0.0,
            detection: 0.5,
            count: true,
        };
        assert_eq!(e.mean(100.0), 50.0);
        let var: f64 = 0.25 * 100.0 + 25.0;
        assert!((e.sd(100.0) - var.sqrt()).abs() < 1e-12);
        let share = MeasurementError { count: false, ..e };
        assert_eq!(share.mean(0.3), 0.3);
        assert!((e.above(100.0, 50.0) - 0.5).abs() < 1e-12);
        assert_eq!(MeasurementError::EXACT.above(2.0, 1.0), 1.0);
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(
            signpost(
                &[1.0],
                &[Some(0), None],
                1,
                &MeasurementError::EXACT,
                &Options::default()
            )
            .is_err()
        );
        assert!(
            signpost(
                &[1.0, 2.0],
                &[Some(3), None],
                1,
                &MeasurementError::EXACT,
                &Options::default()
            )
            .is_err()
        );
    }
}
