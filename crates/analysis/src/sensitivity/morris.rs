//! Morris elementary effects: μ, μ* and σ per parameter.
//!
//! Rule (Morris 1991; Campolongo, Cariboni & Saltelli 2007): along a
//! trajectory the move that changes parameter `i` by `Δ` (±, on the unit
//! scale) yields the elementary effect
//! `EE_i = (f(x + Δ e_i) − f(x)) / Δ`, i.e. `(y_{t+1} − y_t) / step`.
//! Over the `r` trajectories:
//!
//! * `μ_i = mean(EE_i)` — signed mean (Morris 1991); effects of opposite sign cancel;
//! * `μ*_i = mean(|EE_i|)` — mean absolute effect (Campolongo et al. 2007),
//!   the screening measure of overall influence;
//! * `σ_i = sd(EE_i)` (divisor `r − 1`) — spread, signalling non-linearity or
//!   interactions.
//!
//! Effects are per unit of the `[0, 1]` design scale; divide by a
//! parameter's range to express them in model units.
//!
//! Groups (Campolongo, Cariboni & Saltelli 2007): in a grouped design a
//! move changes every factor of a group, each in its own direction, and
//! `EE_g = (y_{t+1} − y_t) / step` with `step` the signed move of the group's
//! first factor. Only `μ*_g` is a screening measure for a group of several
//! factors (their moves may have opposite signs, so the sign of `EE_g` means
//! nothing); `μ_g` and `σ_g` are reported as computed.
//!
//! Intervals: a seeded non-parametric bootstrap over trajectories (as
//! SALib's `mu_star_conf`): each resample draws `r` trajectories with
//! replacement and recomputes `μ*`; the interval is the percentile interval.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::design::{MorrisDesign, MorrisMove};
use crate::error::{Result, require_finite, require_same_len};
use crate::stats::{check_confidence, mean, quantile_sorted, sample_variance};

/// Options of [`morris_effects_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisOptions {
    /// Number of bootstrap resamples of the trajectories (0 disables
    /// intervals). Default 100.
    pub resamples: usize,
    /// Two-sided confidence level of the intervals. Default 0.95.
    pub confidence: f64,
    /// Seed of the bootstrap's ChaCha8 stream. Default 0.
    pub seed: u64,
}

impl Default for MorrisOptions {
    fn default() -> Self {
        Self {
            resamples: 100,
            confidence: 0.95,
            seed: 0,
        }
    }
}

/// Morris screening measures, one entry per parameter (per group in a
/// grouped design).
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisEffects {
    /// Signed mean elementary effect `μ_i` (output units per unit of design scale).
    pub mu: Vec<f64>,
    /// Mean absolute elementary effect `μ*_i`.
    pub mu_star: Vec<f64>,
    /// Bootstrap percentile interval `(lower, upper)` of each `μ*_i`; empty
    /// when `resamples` is 0.
    pub mu_star_interval: Vec<(f64, f64)>,
    /// Standard deviation of the elementary effects `σ_i` (NaN if `r = 1`).
    pub sigma: Vec<f64>,
    /// The elementary effects themselves: `effects[i]` has `r` values.
    pub effects: Vec<Vec<f64>>,
}

/// Computes elementary effects from a Morris design and its outputs, with
/// the default bootstrap ([`MorrisOptions::default`]).
///
/// * `design` — the design from [`crate::design::morris`] or
///   [`crate::design::morris_groups`].
/// * `outputs` — model outputs for `design.points`, row for row; length
///   `r (G + 1)`, finite.
pub fn morris_effects(design: &MorrisDesign, outputs: &[f64]) -> Result<MorrisEffects> {
    morris_effects_with(design, outputs, &MorrisOptions::default())
}

/// [`morris_effects`] with explicit bootstrap options.
pub fn morris_effects_with(
    design: &MorrisDesign,
    outputs: &[f64],
    options: &MorrisOptions,
) -> Result<MorrisEffects> {
    morris_effects_of_moves(&design.moves, design.blocks(), outputs, options)
}

/// [`morris_effects_with`] from a design's moves alone (`moves`, `r G` of
/// them, trajectory by trajectory, as [`MorrisDesign::moves`] or
/// [`crate::design::MorrisPoints::moves`]) and its number of groups `G`,
/// without its points; `outputs` has `r (G + 1)` values.
pub fn morris_effects_of_moves(
    moves: &[MorrisMove],
    groups: usize,
    outputs: &[f64],
    options: &MorrisOptions,
) -> Result<MorrisEffects> {
    check_confidence(options.confidence)?;
    if groups == 0 || !moves.len().is_multiple_of(groups) {
        return Err(crate::error::invalid(
            "moves",
            moves.len(),
            "a Morris design has G moves per trajectory",
        ));
    }
    let g = groups;
    let trajectories = moves.len() / g;
    require_same_len("outputs", outputs.len(), trajectories * (g + 1))?;
    require_finite("outputs", outputs)?;
    let mut effects = vec![Vec::with_capacity(trajectories); g];
    for t in 0..trajectories {
        for m in 0..g {
            let mv = moves[t * g + m];
            let row = t * (g + 1) + m;
            effects[mv.factor].push((outputs[row + 1] - outputs[row]) / mv.step);
        }
    }
    let mu = effects.iter().map(|e| mean(e)).collect();
    let mu_star = effects
        .iter()
        .map(|e| e.iter().map(|v| v.abs()).sum::<f64>() / e.len() as f64)
        .collect();
    let sigma = effects.iter().map(|e| sample_variance(e).sqrt()).collect();
    let mu_star_interval = if options.resamples == 0 {
        Vec::new()
    } else {
        let r = trajectories;
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut boot = vec![Vec::with_capacity(options.resamples); g];
        let mut idx = vec![0usize; r];
        for _ in 0..options.resamples {
            idx.iter_mut().for_each(|t| *t = rng.random_range(0..r));
            for (e, b) in effects.iter().zip(boot.iter_mut()) {
                b.push(idx.iter().map(|&t| e[t].abs()).sum::<f64>() / r as f64);
            }
        }
        let tail = (1.0 - options.confidence) / 2.0;
        boot.into_iter()
            .map(|mut v| {
                v.sort_by(f64::total_cmp);
                (quantile_sorted(&v, tail), quantile_sorted(&v, 1.0 - tail))
            })
            .collect()
    };
    Ok(MorrisEffects {
        mu,
        mu_star,
        mu_star_interval,
        sigma,
        effects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::morris;
    use crate::sensitivity::ishigami;

    #[test]
    fn linear_model_has_exact_effects() {
        // y = 3 x0 − 2 x1: EE are constants, σ = 0.
        let d = morris(10, 3, 4, 1).unwrap();
        let y: Vec<f64> = d
            .points
            .iter_rows()
            .map(|x| 3.0 * x[0] - 2.0 * x[1])
            .collect();
        let e = morris_effects(&d, &y).unwrap();
        assert!((e.mu[0] - 3.0).abs() < 1e-9 && (e.mu_star[0] - 3.0).abs() < 1e-9);
        assert!((e.mu[1] + 2.0).abs() < 1e-9 && (e.mu_star[1] - 2.0).abs() < 1e-9);
        assert_eq!(e.mu_star[2], 0.0);
        assert!(e.sigma[0] < 1e-9 && e.sigma[1] < 1e-9);
        assert!(e.effects.iter().all(|v| v.len() == 10));
    }

    /// Exact μ* on the grid: for factor `i`, the other factors are uniform on
    /// the p levels and `x_i` uniform on the lower half of the levels.
    fn exact_mu_star(i: usize, p: usize) -> f64 {
        let levels: Vec<f64> = (0..p).map(|l| l as f64 / (p - 1) as f64).collect();
        let delta = p as f64 / (2.0 * (p - 1) as f64);
        let (mut sum, mut count) = (0.0, 0.0);
        for &a in &levels {
            for &b in &levels {
                for &base in &levels[..p / 2] {
                    let mut others = [a, b].into_iter();
                    let lo: Vec<f64> = (0..3)
                        .map(|j| if j == i { base } else { others.next().unwrap() })
                        .collect();
                    let mut hi = lo.clone();
                    hi[i] += delta;
                    sum += ((ishigami::at_unit(&hi) - ishigami::at_unit(&lo)) / delta).abs();
                    count += 1.0;
                }
            }
        }
        sum / count
    }

    #[test]
    fn ishigami_screening_ranks_x3_last_and_matches_grid_expectation() {
        let d = morris(1000, 3, 4, 7).unwrap();
        let y: Vec<f64> = d.points.iter_rows().map(ishigami::at_unit).collect();
        let e = morris_effects(&d, &y).unwrap();
        for i in 0..3 {
            let exact = exact_mu_star(i, 4);
            assert!(
                (e.mu_star[i] / exact - 1.0).abs() < 0.08,
                "mu*{} = {} vs exact {exact}",
                i + 1,
                e.mu_star[i]
            );
        }
        // x3 acts only through its interaction with x1: smallest μ*, μ ≈ 0,
        // and σ larger than μ* (effects of both signs and zero).
        assert!(e.mu_star[2] < e.mu_star[0] && e.mu_star[2] < e.mu_star[1]);
        assert!(e.mu[2].abs() < 0.2 * e.mu_star[2], "mu3 {}", e.mu[2]);
        assert!(e.sigma[2] > e.mu_star[2]);
    }

    #[test]
    fn wrong_output_length_is_error() {
        let d = morris(4, 2, 4, 0).unwrap();
        assert!(morris_effects(&d, &[0.0; 11]).is_err());
        let mut y = vec![0.0; 12];
        y[5] = f64::NAN;
        assert!(morris_effects(&d, &y).is_err());
    }
}
