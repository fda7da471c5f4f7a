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

use crate::design::MorrisDesign;
use crate::error::{Result, require_finite, require_same_len};
use crate::stats::{mean, sample_variance};

/// Morris screening measures, one entry per parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisEffects {
    /// Signed mean elementary effect `μ_i` (output units per unit of design scale).
    pub mu: Vec<f64>,
    /// Mean absolute elementary effect `μ*_i`.
    pub mu_star: Vec<f64>,
    /// Standard deviation of the elementary effects `σ_i` (NaN if `r = 1`).
    pub sigma: Vec<f64>,
    /// The elementary effects themselves: `effects[i]` has `r` values.
    pub effects: Vec<Vec<f64>>,
}

/// Computes elementary effects from a Morris design and its outputs.
///
/// * `design` — the design from [`crate::design::morris`].
/// * `outputs` — model outputs for `design.points`, row for row; length
///   `r (k + 1)`, finite.
pub fn morris_effects(design: &MorrisDesign, outputs: &[f64]) -> Result<MorrisEffects> {
    require_same_len("outputs", outputs.len(), design.runs())?;
    require_finite("outputs", outputs)?;
    let k = design.parameters();
    let mut effects = vec![Vec::with_capacity(design.trajectories); k];
    for t in 0..design.trajectories {
        for m in 0..k {
            let mv = design.moves[t * k + m];
            let row = t * (k + 1) + m;
            effects[mv.factor].push((outputs[row + 1] - outputs[row]) / mv.step);
        }
    }
    let mu = effects.iter().map(|e| mean(e)).collect();
    let mu_star = effects
        .iter()
        .map(|e| e.iter().map(|v| v.abs()).sum::<f64>() / e.len() as f64)
        .collect();
    let sigma = effects.iter().map(|e| sample_variance(e).sqrt()).collect();
    Ok(MorrisEffects {
        mu,
        mu_star,
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
