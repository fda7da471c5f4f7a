//! Owen-scrambled Sobol points.
//!
//! Rule: point `i`, coordinate `j` is `sobol_burley::sample(i, j, s)`, the Sobol
//! sequence with Joe & Kuo (2008) direction numbers, Owen-scrambled with
//! Burley's hash-based nested uniform scrambling (Burley 2020, "Practical
//! Hash-based Owen Scrambling", JCGT 9(4)); `s` is a 32-bit seed folded from
//! our 64-bit seed. Scrambling keeps the net property (the first `2^m` points
//! are balanced in every elementary interval) and makes the estimator
//! unbiased, so no initial points are skipped. Use powers of two for `n`.
//!
//! Limits inherited from the crate: at most [`MAX_SOBOL_POINTS`] points and
//! [`MAX_SOBOL_DIMENSIONS`] dimensions; coordinates are computed in `f32`
//! (24-bit resolution) and widened to `f64`.

use super::check_shape;
use crate::error::{Result, invalid};
use crate::matrix::Matrix;

/// Largest number of points (`2^16`) the Sobol generator supports.
pub const MAX_SOBOL_POINTS: usize = 1 << 16;
/// Largest number of dimensions the Sobol generator supports.
pub const MAX_SOBOL_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// `n × k` Owen-scrambled Sobol points in `[0,1)^k`.
///
/// * `n` — number of points, `1..=MAX_SOBOL_POINTS`; powers of two are balanced.
/// * `k` — number of dimensions, `1..=MAX_SOBOL_DIMENSIONS`.
/// * `seed` — scrambling seed; different seeds give independent randomisations.
pub fn sobol(n: usize, k: usize, seed: u64) -> Result<Matrix> {
    check_shape(n, k)?;
    if n > MAX_SOBOL_POINTS {
        return Err(invalid(
            "n",
            n,
            "the Sobol generator supports at most 65536 points",
        ));
    }
    if k > MAX_SOBOL_DIMENSIONS {
        return Err(invalid(
            "k",
            k,
            "the Sobol generator supports at most 256 dimensions",
        ));
    }
    let s = fold_seed(seed);
    let mut data = Vec::with_capacity(n * k);
    for i in 0..n {
        for j in 0..k {
            // Both casts are lossless: i < 2^16 and j < 256 were checked above.
            data.push(f64::from(sobol_burley::sample(i as u32, j as u32, s)));
        }
    }
    Matrix::from_row_major(n, k, data)
}

/// Folds a 64-bit seed into the generator's 32-bit seed (xor of the halves).
fn fold_seed(seed: u64) -> u32 {
    (seed as u32) ^ ((seed >> 32) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::discrepancy::l2_star;
    use crate::design::monte_carlo;
    use std::f64::consts::PI;

    #[test]
    fn balanced_in_each_coordinate_at_powers_of_two() {
        let n = 256;
        let m = sobol(n, 8, 3).unwrap();
        for j in 0..8 {
            let mut counts = [0usize; 16];
            for x in m.column(j) {
                assert!((0.0..1.0).contains(&x));
                counts[(x * 16.0) as usize] += 1;
            }
            assert!(
                counts.iter().all(|&c| c == n / 16),
                "column {j}: {counts:?}"
            );
        }
    }

    #[test]
    fn lower_discrepancy_than_monte_carlo() {
        let (mut qmc, mut mc) = (0.0, 0.0);
        for seed in 0..5 {
            qmc += l2_star(&sobol(256, 4, seed).unwrap());
            mc += l2_star(&monte_carlo(256, 4, seed).unwrap());
        }
        assert!(qmc < 0.5 * mc, "sobol {qmc} vs monte carlo {mc}");
    }

    #[test]
    fn integrates_a_smooth_product_far_better_than_monte_carlo() {
        // ∫_[0,1]^5 Π (π/2) sin(π x_j) dx = 1.
        let f = |x: &[f64]| x.iter().map(|v| PI / 2.0 * (PI * v).sin()).product::<f64>();
        let rms = |make: &dyn Fn(u64) -> Matrix| {
            let mut s = 0.0;
            for seed in 0..10 {
                let m = make(seed);
                let est = m.iter_rows().map(f).sum::<f64>() / m.rows() as f64;
                s += (est - 1.0).powi(2);
            }
            (s / 10.0).sqrt()
        };
        let qmc = rms(&|s| sobol(1024, 5, s).unwrap());
        let mc = rms(&|s| monte_carlo(1024, 5, s).unwrap());
        assert!(qmc < 0.2 * mc, "sobol rms {qmc} vs monte carlo rms {mc}");
    }

    #[test]
    fn limits_are_errors_not_panics() {
        assert!(sobol(MAX_SOBOL_POINTS + 1, 2, 0).is_err());
        assert!(sobol(4, MAX_SOBOL_DIMENSIONS + 1, 0).is_err());
        assert_eq!(sobol(8, 3, 9).unwrap(), sobol(8, 3, 9).unwrap());
        assert_ne!(sobol(8, 3, 9).unwrap(), sobol(8, 3, 10).unwrap());
    }
}
