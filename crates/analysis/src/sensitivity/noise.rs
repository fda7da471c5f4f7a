//! The noise floor of a sensitivity analysis, set by a dummy factor.
//!
//! Rule: add to the design a dummy factor, a column the model never reads
//! (Khorashadi Zadeh et al. 2017 for Sobol indices; the same idea screens
//! Morris effects). Its true index is 0, so what the analysis reports for it
//! is noise: the model's own randomness (a fresh seed per run adds the same
//! variance to every total index and to every `μ*`) plus the estimator's
//! sampling error. An index stands **above the noise floor** when the lower
//! bound of its bootstrap interval exceeds the upper bound of the dummy's
//! interval (the floor). The rule is conservative: two intervals that do not
//! overlap differ at a level stricter than each interval's own.
//!
//! Read it on the total index `ST` (or `μ*` for Morris): a factor that does
//! not stand above the floor cannot be told from a factor the model ignores.
//!
//! With common random numbers inside a design unit (a Saltelli base row, a
//! Morris trajectory: the points share one seed), a column the model never
//! reads would have an index of exactly 0 and set no floor. The ensemble
//! therefore lets the dummy pick the dice: where the design swaps the dummy,
//! the point plays the other side's seed. The dummy's indices are then the
//! dice's own (`S = ST = σ²/(V + σ²)` for additive noise of variance `σ²`),
//! the figures' total indices are no longer raised by the noise, and a
//! factor stands above the floor when moving it changes the output more
//! than re-rolling the dice does (docs/analysis.md, "The noise floor").

use crate::error::{Result, invalid};

/// Which indices stand above the noise floor.
#[derive(Debug, Clone, PartialEq)]
pub struct NoiseFloor {
    /// The floor: the upper bound of the dummy's interval.
    pub floor: f64,
    /// `above[i]`: whether index `i`'s lower bound exceeds the floor
    /// (false for the dummy itself and for an interval with a NaN bound).
    pub above: Vec<bool>,
}

/// Applies the noise-floor rule to bootstrap intervals.
///
/// * `intervals` — `(lower, upper)` of every index (factors or groups),
///   the dummy's included, e.g. [`super::SobolIndices::total_interval`] or
///   [`super::MorrisEffects::mu_star_interval`].
/// * `dummy` — the position of the dummy factor (or group) in `intervals`.
///
/// Errors if `dummy` is out of range or its upper bound is not finite.
pub fn noise_floor(intervals: &[(f64, f64)], dummy: usize) -> Result<NoiseFloor> {
    let Some(&(_, floor)) = intervals.get(dummy) else {
        return Err(invalid(
            "dummy",
            dummy,
            "the dummy must be one of the indices (were intervals computed?)",
        ));
    };
    if !floor.is_finite() {
        return Err(invalid(
            "dummy",
            dummy,
            "the dummy's interval has no finite upper bound",
        ));
    }
    let above = intervals
        .iter()
        .enumerate()
        .map(|(i, &(lower, _))| i != dummy && lower > floor)
        .collect();
    Ok(NoiseFloor { floor, above })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{Groups, morris, morris_groups, saltelli, saltelli_groups};
    use crate::matrix::Matrix;
    use crate::sensitivity::g_function;
    use crate::sensitivity::{MorrisOptions, SobolOptions, morris_effects_with, sobol_indices};
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::f64::consts::PI;

    /// G-function coefficients: three influential factors, two nearly inert
    /// (`a = 99`: `V_i ≈ 3·10⁻⁵`); column 5 of every design is the dummy.
    const A: [f64; 5] = [0.0, 1.0, 4.5, 99.0, 99.0];
    /// Variance of the noise added to every run (about a tenth of `V = 0.46`).
    const NOISE: f64 = 0.05;

    /// The G function of the first five columns plus independent normal
    /// noise of variance `noise` per run (Box–Muller from a seeded stream),
    /// as a model whose every run has its own seed.
    fn noisy_outputs(points: &Matrix, noise: f64, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        points
            .iter_rows()
            .map(|x| {
                let (u1, u2): (f64, f64) = (1.0 - rng.random::<f64>(), rng.random());
                let z = (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos();
                g_function::at(&A, x) + noise.sqrt() * z
            })
            .collect()
    }

    /// The G function of the first five columns plus noise of variance
    /// `noise` drawn from a seed that the row's design unit (`unit(row)`)
    /// and the dummy column (column 5) pick: the points of a unit with the
    /// same dummy value play the same dice, as the ensemble's sensitivity
    /// designs do (common random numbers within a design unit, re-rolled
    /// where the design swaps the dummy).
    fn dice_outputs(points: &Matrix, unit: impl Fn(usize) -> u64, noise: f64) -> Vec<f64> {
        points
            .iter_rows()
            .enumerate()
            .map(|(row, x)| {
                let seed = unit(row).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ x[5].to_bits();
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let (u1, u2): (f64, f64) = (1.0 - rng.random::<f64>(), rng.random());
                let z = (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos();
                g_function::at(&A, x) + noise.sqrt() * z
            })
            .collect()
    }

    fn covers((lo, hi): (f64, f64), truth: f64) -> bool {
        lo <= truth && truth <= hi
    }

    fn sobol_options() -> SobolOptions {
        SobolOptions {
            resamples: 300,
            confidence: 0.95,
            seed: 1,
        }
    }

    #[test]
    fn sobol_indices_with_noise_are_recovered_and_the_floor_separates_inert_factors() {
        let d = saltelli(4096, 6, 3).unwrap();
        let y = noisy_outputs(&d.stacked(), NOISE, 8);
        let s = sobol_indices(6, &y, &sobol_options()).unwrap();
        let mut covered = 0;
        for i in 0..6 {
            let (first, total) = g_function::indices(&A, &[i], NOISE);
            covered += usize::from(covers(s.first_interval[i], first));
            covered += usize::from(covers(s.total_interval[i], total));
            assert!(
                (s.first[i] - first).abs() < 0.03,
                "S{i} {} vs {first}",
                s.first[i]
            );
            assert!(
                (s.total[i] - total).abs() < 0.03,
                "ST{i} {} vs {total}",
                s.total[i]
            );
        }
        assert!(covered >= 11, "{covered} of 12 intervals cover the truth");
        // The dummy's total index is the noise's share of the variance.
        let (_, dummy_total) = g_function::indices(&A, &[5], NOISE);
        assert!((dummy_total - 0.097).abs() < 0.001);
        let floor = noise_floor(&s.total_interval, 5).unwrap();
        assert_eq!(floor.above, [true, true, true, false, false, false]);
        assert!(floor.floor > dummy_total);
        // Without the rule the noise would pass for signal: every total index
        // of the inert factors is about 0.1, not 0.
        assert!(s.total[3] > 0.08 && s.total[4] > 0.08);
    }

    #[test]
    fn when_the_dummy_picks_the_dice_its_indices_are_the_dice_and_the_figures_are_clean() {
        let d = saltelli(4096, 6, 11).unwrap();
        let y = dice_outputs(&d.stacked(), |row| (row % 4096) as u64, NOISE);
        let s = sobol_indices(6, &y, &sobol_options()).unwrap();
        let all: Vec<usize> = (0..5).collect();
        let v = g_function::closed_variance(&A, &all);
        for i in 0..5 {
            let rest: Vec<usize> = all.iter().copied().filter(|&j| j != i).collect();
            let first = g_function::closed_variance(&A, &[i]) / (v + NOISE);
            // Common dice: the total index is no longer raised by σ².
            let total = (v - g_function::closed_variance(&A, &rest)) / (v + NOISE);
            assert!(
                (s.first[i] - first).abs() < 0.03,
                "S{i} {} vs {first}",
                s.first[i]
            );
            assert!(
                (s.total[i] - total).abs() < 0.03,
                "ST{i} {} vs {total}",
                s.total[i]
            );
        }
        // The inert factors' total indices are now near 0, not near the noise's share.
        assert!(s.total[3] < 0.01 && s.total[4] < 0.01);
        // The dummy's indices are the dice's share of the variance.
        let dice = NOISE / (v + NOISE);
        assert!(
            (s.total[5] - dice).abs() < 0.02,
            "ST dummy {} vs {dice}",
            s.total[5]
        );
        assert!(
            (s.first[5] - dice).abs() < 0.03,
            "S dummy {} vs {dice}",
            s.first[5]
        );
        // Above the floor: the factors that do more than re-rolling the dice
        // (x₃'s total index, 0.02, is real but smaller than the dice's 0.10).
        let floor = noise_floor(&s.total_interval, 5).unwrap();
        assert_eq!(floor.above, [true, true, false, false, false, false]);

        // Morris: the dummy's μ* is E|ε₁ − ε₂|/Δ.
        let d = morris(1000, 6, 4, 12).unwrap();
        let y = dice_outputs(&d.points, |row| (row / 7) as u64, NOISE);
        let e = morris_effects_with(&d, &y, &morris_options()).unwrap();
        let dummy = 3.0 * NOISE.sqrt() / PI.sqrt();
        assert!(
            (e.mu_star[5] / dummy - 1.0).abs() < 0.08,
            "μ* of the dummy {} vs {dummy}",
            e.mu_star[5]
        );
        // The figures' μ* carry no noise: each is within 8 % of its exact
        // value, the inert ones' (0.03) far below the dice's.
        for i in 0..5 {
            let exact = exact_mu_star(i);
            assert!(
                (e.mu_star[i] / exact - 1.0).abs() < 0.08,
                "μ*{i} {} vs {exact}",
                e.mu_star[i]
            );
        }
        // On μ* x₃ (exact 0.57) does move the output more than the dice (0.38).
        let floor = noise_floor(&e.mu_star_interval, 5).unwrap();
        assert_eq!(floor.above, [true, true, true, false, false, false]);
    }

    #[test]
    fn grouped_sobol_indices_match_the_analytic_group_indices() {
        let names = ["strong", "strong", "middle", "inert", "inert", "dummy"];
        let groups = Groups::new(&names).unwrap();
        let d = saltelli_groups(4096, &groups, 5).unwrap();
        assert_eq!(d.runs(), 4096 * 6);
        let y = noisy_outputs(&d.stacked(), NOISE, 9);
        let s = sobol_indices(groups.len(), &y, &sobol_options()).unwrap();
        let mut covered = 0;
        for g in 0..groups.len() {
            let (first, total) = g_function::indices(&A, &groups.members(g), NOISE);
            covered += usize::from(covers(s.first_interval[g], first));
            covered += usize::from(covers(s.total_interval[g], total));
            assert!(
                (s.first[g] - first).abs() < 0.03,
                "S{g} {} vs {first}",
                s.first[g]
            );
            assert!(
                (s.total[g] - total).abs() < 0.03,
                "ST{g} {} vs {total}",
                s.total[g]
            );
        }
        assert!(covered >= 7, "{covered} of 8 intervals cover the truth");
        // The strong pair's closed index exceeds the sum of its members'
        // first-order indices by their interaction.
        let (pair, _) = g_function::indices(&A, &[0, 1], 0.0);
        let (s0, _) = g_function::indices(&A, &[0], 0.0);
        let (s1, _) = g_function::indices(&A, &[1], 0.0);
        assert!(pair > s0 + s1 + 0.05);
        let floor = noise_floor(&s.total_interval, 3).unwrap();
        assert_eq!(floor.above, [true, true, false, false]);
    }

    /// Exact `μ*` of factor `i` of the G function on the 4-level grid with
    /// `Δ = 2/3`: every move pairs levels `0 ↔ 2/3` or `1/3 ↔ 1`, so
    /// `|Δg_i| = (4/3)/(1 + a_i)`, and every other factor is uniform on the
    /// levels, where `E g_j = (4/3 + a_j)/(1 + a_j)`.
    fn exact_mu_star(i: usize) -> f64 {
        let others: f64 = (0..A.len())
            .filter(|&j| j != i)
            .map(|j| (4.0 / 3.0 + A[j]) / (1.0 + A[j]))
            .product();
        2.0 / (1.0 + A[i]) * others
    }

    fn morris_options() -> MorrisOptions {
        MorrisOptions {
            resamples: 300,
            confidence: 0.95,
            seed: 2,
        }
    }

    #[test]
    fn morris_mu_star_with_noise_and_the_floor() {
        let d = morris(1000, 6, 4, 4).unwrap();
        // Without noise μ* is near its exact value and within its interval
        // (at least 4 of 5 95 % intervals).
        let clean = noisy_outputs(&d.points, 0.0, 0);
        let e = morris_effects_with(&d, &clean, &morris_options()).unwrap();
        let mut covered = 0;
        for i in 0..5 {
            let exact = exact_mu_star(i);
            covered += usize::from(covers(e.mu_star_interval[i], exact));
            assert!(
                (e.mu_star[i] / exact - 1.0).abs() < 0.08,
                "μ*{i} {} vs {exact}",
                e.mu_star[i]
            );
        }
        assert!(covered >= 4, "{covered} of 5 intervals cover the truth");
        assert_eq!(e.mu_star[5], 0.0);
        // With noise the dummy's μ* is E|ε₁ − ε₂|/Δ = (2σ/√π)/(2/3).
        let noisy = noisy_outputs(&d.points, NOISE, 1);
        let e = morris_effects_with(&d, &noisy, &morris_options()).unwrap();
        let dummy = 3.0 * NOISE.sqrt() / PI.sqrt();
        assert!(
            covers(e.mu_star_interval[5], dummy),
            "{:?} vs {dummy}",
            e.mu_star_interval[5]
        );
        let floor = noise_floor(&e.mu_star_interval, 5).unwrap();
        assert_eq!(floor.above, [true, true, true, false, false, false]);
        // The inert factors' μ* is the noise's, close to the dummy's.
        assert!(e.mu_star[3] > 0.8 * dummy && e.mu_star[4] > 0.8 * dummy);
    }

    #[test]
    fn grouped_morris_mu_star_of_linear_groups() {
        // y = 3x₀ − 2x₁ + x₂ − x₃ with groups {x₀,x₁}, {x₂,x₃}, {x₄}. Each
        // factor moves in its own direction d = ±1, so
        // μ*_a = E|3d₀ − 2d₁| = (1 + 5)/2 = 3 and μ*_b = E|d₂ − d₃| = 1,
        // though the second group's effects cancel on average.
        let groups = Groups::new(&["a", "a", "b", "b", "c"]).unwrap();
        let d = morris_groups(2000, &groups, 4, 6).unwrap();
        let y: Vec<f64> = d
            .points
            .iter_rows()
            .map(|x| 3.0 * x[0] - 2.0 * x[1] + x[2] - x[3])
            .collect();
        let e = morris_effects_with(&d, &y, &morris_options()).unwrap();
        for (g, want) in [3.0, 1.0, 0.0].into_iter().enumerate() {
            assert!(
                (e.mu_star[g] - want).abs() < 0.15,
                "μ*_{g} {} vs {want}",
                e.mu_star[g]
            );
            assert!(
                want == 0.0 || covers(e.mu_star_interval[g], want),
                "{:?} vs {want}",
                e.mu_star_interval[g]
            );
        }
        assert!(
            e.effects[1]
                .iter()
                .all(|v| [0.0, 2.0, -2.0].iter().any(|w| (v - w).abs() < 1e-9))
        );
        assert_eq!(e.mu_star_interval[2], (0.0, 0.0));
    }

    #[test]
    fn the_rule_and_its_errors() {
        let iv = [(0.30, 0.40), (0.09, 0.12), (0.05, 0.10), (f64::NAN, 1.0)];
        let f = noise_floor(&iv, 2).unwrap();
        assert_eq!(f.floor, 0.10);
        // Overlapping intervals (0.09 < 0.10) do not stand above the floor.
        assert_eq!(f.above, [true, false, false, false]);
        assert!(noise_floor(&iv, 4).is_err());
        assert!(noise_floor(&[], 0).is_err());
        assert!(noise_floor(&[(0.0, f64::NAN)], 0).is_err());
    }
}
