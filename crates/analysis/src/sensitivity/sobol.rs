//! Sobol first-order and total-effect indices from a Saltelli design.
//!
//! Rule: with `n` base rows, outputs `f(A)_j`, `f(B)_j`, `f(A_B^(i))_j`
//! (`j = 1..n`) and `V = Var[f(A) ∪ f(B)]` (sample variance of the `2n`
//! outputs):
//!
//! * first order (Saltelli et al. 2010, Table 2 (b); Sobol' et al. 2007):
//!   `V_i = (1/n) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j)`, `S_i = V_i / V`;
//! * total effect (Jansen 1999; Saltelli et al. 2010, Table 2 (f)):
//!   `VT_i = (1/2n) Σ_j (f(A)_j − f(A_B^(i))_j)²`, `ST_i = VT_i / V`.
//!
//! Groups: for a grouped design ([`crate::design::saltelli_groups`]) the
//! same estimators on the block `A_B^(g)` give the closed first-order index
//! `S_g = V_g^c / V` and the total index `ST_g` of group `g` (Jansen 1999;
//! Sobol' 2001); pass the number of groups as `parameters`.
//!
//! Confidence intervals come from a seeded non-parametric bootstrap over the
//! base rows (Archer, Saltelli & Sobol 1997): each resample draws `n` base
//! rows with replacement (the same rows for `A`, `B` and every `A_B^(i)`),
//! recomputes both indices, and the interval is the percentile interval of
//! the resampled values. Estimates can fall slightly outside `[0, 1]` for
//! small `n`; they are reported unclipped.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{AnalysisError, Result, invalid, require_finite};
use crate::stats::{check_confidence, quantile_sorted};

/// Options of [`sobol_indices`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolOptions {
    /// Number of bootstrap resamples (0 disables intervals). Default 100.
    pub resamples: usize,
    /// Two-sided confidence level of the intervals. Default 0.95.
    pub confidence: f64,
    /// Seed of the bootstrap's ChaCha8 stream. Default 0.
    pub seed: u64,
}

impl Default for SobolOptions {
    fn default() -> Self {
        Self {
            resamples: 100,
            confidence: 0.95,
            seed: 0,
        }
    }
}

/// Sobol indices of one scalar output, one entry per parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// First-order indices `S_i` (share of output variance).
    pub first: Vec<f64>,
    /// Bootstrap percentile interval `(lower, upper)` of each `S_i`;
    /// empty when `resamples` is 0.
    pub first_interval: Vec<(f64, f64)>,
    /// Total-effect indices `ST_i`.
    pub total: Vec<f64>,
    /// Bootstrap percentile interval of each `ST_i`; empty when `resamples` is 0.
    pub total_interval: Vec<(f64, f64)>,
    /// Output variance `V` used as the denominator (output units squared).
    pub variance: f64,
}

/// Estimates Sobol indices from the outputs of a Saltelli design.
///
/// * `parameters` — number of `A_B` blocks of the design: its parameters
///   `k`, or its groups `G` when grouped ([`crate::design::SaltelliDesign::blocks`]).
/// * `outputs` — model outputs for the rows of
///   [`crate::design::SaltelliDesign::stacked`], in that order
///   (`A`, `B`, `A_B^(1)`, …, `A_B^(k)`); length `n (k + 2)` with `n ≥ 2`.
///
/// Indices come in block order: one per parameter, or one per group.
/// * `options` — bootstrap settings.
///
/// Errors on a length that is not a multiple of `k + 2`, non-finite outputs,
/// or outputs with zero variance (indices undefined).
pub fn sobol_indices(
    parameters: usize,
    outputs: &[f64],
    options: &SobolOptions,
) -> Result<SobolIndices> {
    if parameters == 0 {
        return Err(invalid("parameters", 0, "need at least one parameter"));
    }
    check_confidence(options.confidence)?;
    let blocks = parameters + 2;
    if !outputs.len().is_multiple_of(blocks) || outputs.len() < 2 * blocks {
        return Err(AnalysisError::LengthMismatch {
            what: format!("outputs (must be n × (k + 2) with k = {parameters}, n ≥ 2)"),
            expected: (outputs.len() / blocks).max(2) * blocks,
            found: outputs.len(),
        });
    }
    require_finite("outputs", outputs)?;
    let n = outputs.len() / blocks;
    let split = Blocks {
        a: &outputs[..n],
        b: &outputs[n..2 * n],
        ab: outputs[2 * n..].chunks_exact(n).collect(),
    };
    let all: Vec<usize> = (0..n).collect();
    let point = split
        .estimate(&all)
        .ok_or_else(|| invalid("outputs", "constant", "outputs have zero variance"))?;

    let (mut first_interval, mut total_interval) = (Vec::new(), Vec::new());
    if options.resamples > 0 {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut boot_first = vec![Vec::with_capacity(options.resamples); parameters];
        let mut boot_total = vec![Vec::with_capacity(options.resamples); parameters];
        let mut idx = vec![0usize; n];
        for _ in 0..options.resamples {
            idx.iter_mut().for_each(|i| *i = rng.random_range(0..n));
            // A resample with constant outputs has no defined indices; skip it.
            if let Some(e) = split.estimate(&idx) {
                for i in 0..parameters {
                    boot_first[i].push(e.first[i]);
                    boot_total[i].push(e.total[i]);
                }
            }
        }
        let tail = (1.0 - options.confidence) / 2.0;
        let interval = |mut v: Vec<f64>| {
            if v.is_empty() {
                return (f64::NAN, f64::NAN);
            }
            v.sort_by(f64::total_cmp);
            (quantile_sorted(&v, tail), quantile_sorted(&v, 1.0 - tail))
        };
        first_interval = boot_first.into_iter().map(interval).collect();
        total_interval = boot_total.into_iter().map(interval).collect();
    }
    Ok(SobolIndices {
        first: point.first,
        first_interval,
        total: point.total,
        total_interval,
        variance: point.variance,
    })
}

/// The output blocks of a Saltelli design.
struct Blocks<'a> {
    a: &'a [f64],
    b: &'a [f64],
    ab: Vec<&'a [f64]>,
}

/// Indices computed on one (re)sample of base rows.
struct Estimate {
    first: Vec<f64>,
    total: Vec<f64>,
    variance: f64,
}

impl Blocks<'_> {
    /// Estimates both indices on the base rows `idx`; `None` if `V = 0`.
    fn estimate(&self, idx: &[usize]) -> Option<Estimate> {
        let m = idx.len() as f64;
        let mean = idx.iter().map(|&j| self.a[j] + self.b[j]).sum::<f64>() / (2.0 * m);
        let variance = idx
            .iter()
            .map(|&j| (self.a[j] - mean).powi(2) + (self.b[j] - mean).powi(2))
            .sum::<f64>()
            / (2.0 * m - 1.0);
        if variance <= 0.0 {
            return None;
        }
        let mut first = Vec::with_capacity(self.ab.len());
        let mut total = Vec::with_capacity(self.ab.len());
        for ab in &self.ab {
            let (mut v1, mut vt) = (0.0, 0.0);
            for &j in idx {
                let d = ab[j] - self.a[j];
                v1 += self.b[j] * d;
                vt += d * d;
            }
            first.push(v1 / m / variance);
            total.push(vt / (2.0 * m) / variance);
        }
        Some(Estimate {
            first,
            total,
            variance,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::saltelli;
    use crate::sensitivity::ishigami;

    fn ishigami_indices(n: usize, seed: u64) -> SobolIndices {
        let d = saltelli(n, 3, seed).unwrap();
        let y: Vec<f64> = d.stacked().iter_rows().map(ishigami::at_unit).collect();
        let opts = SobolOptions {
            resamples: 200,
            confidence: 0.95,
            seed: 42,
        };
        sobol_indices(3, &y, &opts).unwrap()
    }

    #[test]
    fn recovers_ishigami_indices() {
        let s = ishigami_indices(8192, 1);
        for i in 0..3 {
            assert!(
                (s.first[i] - ishigami::FIRST[i]).abs() < 0.03,
                "S{} = {} vs {}",
                i + 1,
                s.first[i],
                ishigami::FIRST[i]
            );
            assert!(
                (s.total[i] - ishigami::TOTAL[i]).abs() < 0.03,
                "ST{} = {} vs {}",
                i + 1,
                s.total[i],
                ishigami::TOTAL[i]
            );
        }
        // Analytic variance: a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
        let pi4 = std::f64::consts::PI.powi(4);
        let v = 49.0 / 8.0 + 0.1 * pi4 / 5.0 + 0.01 * pi4 * pi4 / 18.0 + 0.5;
        assert!(
            (s.variance / v - 1.0).abs() < 0.03,
            "V {} vs {v}",
            s.variance
        );
    }

    #[test]
    fn bootstrap_intervals_cover_truth_and_shrink_with_n() {
        let big = ishigami_indices(8192, 2);
        let small = ishigami_indices(512, 2);
        let mut covered = 0;
        for i in 0..3 {
            let (lo, hi) = big.total_interval[i];
            covered += usize::from(lo <= ishigami::TOTAL[i] && ishigami::TOTAL[i] <= hi);
            let (lo1, hi1) = big.first_interval[i];
            covered += usize::from(lo1 <= ishigami::FIRST[i] && ishigami::FIRST[i] <= hi1);
            let wide = small.total_interval[i].1 - small.total_interval[i].0;
            assert!(hi - lo < wide, "interval for ST{} did not shrink", i + 1);
        }
        assert!(
            covered >= 5,
            "only {covered} of 6 intervals cover the truth"
        );
    }

    #[test]
    fn additive_model_has_equal_first_and_total() {
        // y = 2 x0 + x1, x2 inert: S = ST = (4/5, 1/5, 0).
        let d = saltelli(4096, 3, 5).unwrap();
        let y: Vec<f64> = d.stacked().iter_rows().map(|x| 2.0 * x[0] + x[1]).collect();
        let s = sobol_indices(3, &y, &SobolOptions::default()).unwrap();
        let want = [0.8, 0.2, 0.0];
        for (i, w) in want.iter().enumerate() {
            assert!((s.first[i] - w).abs() < 0.02, "S{i} {}", s.first[i]);
            assert!((s.total[i] - w).abs() < 0.02, "ST{i} {}", s.total[i]);
        }
        assert_eq!(s.total[2], 0.0);
    }

    #[test]
    fn bad_shapes_are_errors() {
        let o = SobolOptions::default();
        assert!(sobol_indices(3, &[1.0; 9], &o).is_err());
        assert!(sobol_indices(3, &[1.0; 5], &o).is_err());
        assert!(sobol_indices(0, &[1.0; 4], &o).is_err());
        assert!(sobol_indices(1, &[1.0; 6], &o).is_err(), "zero variance");
        let mut y = vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        y[3] = f64::INFINITY;
        assert!(sobol_indices(1, &y, &o).is_err());
    }
}
