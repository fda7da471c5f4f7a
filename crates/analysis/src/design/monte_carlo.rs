//! Plain Monte Carlo design: independent uniform points.
//!
//! Rule: `x_ij ~ U[0,1)` independently, drawn from a ChaCha8 stream seeded
//! with `seed` in row-major order.
//!
//! By index: every value takes two 32-bit words of the stream, so row `i`
//! starts at word `2 i k`; [`monte_carlo_row`] seeks there (ChaCha is a
//! counter-based generator) and computes one row without the others, with
//! the same bits as [`monte_carlo`]'s row `i`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::check_shape;
use crate::error::Result;
use crate::matrix::Matrix;

/// `n × k` independent uniform points in `[0,1)^k`.
///
/// * `n` — number of points (experiments), at least 1.
/// * `k` — number of dimensions (uncertain parameters), at least 1.
/// * `seed` — seed of the ChaCha8 stream; same seed, same design.
pub fn monte_carlo(n: usize, k: usize, seed: u64) -> Result<Matrix> {
    check_shape(n, k)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let data = (0..n * k).map(|_| rng.random::<f64>()).collect();
    Matrix::from_row_major(n, k, data)
}

/// Row `row` of [`monte_carlo`]`(n, out.len(), seed)` for any `n > row`,
/// computed alone: writes `out.len()` uniform values into `out`.
pub fn monte_carlo_row(row: u64, seed: u64, out: &mut [f64]) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Two words per f64 (`next_u64`); the stream has 2^68 words.
    rng.set_word_pos(2 * u128::from(row) * out.len() as u128);
    for o in out.iter_mut() {
        *o = rng.random::<f64>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_computed_alone_is_the_design_row() {
        let m = monte_carlo(37, 13, 5).unwrap();
        let mut row = vec![0.0; 13];
        for i in [0, 1, 2, 9, 36] {
            monte_carlo_row(i as u64, 5, &mut row);
            assert_eq!(row, m.row(i), "row {i}");
        }
    }

    #[test]
    fn shape_range_and_seed() {
        let a = monte_carlo(100, 3, 7).unwrap();
        assert_eq!((a.rows(), a.cols()), (100, 3));
        assert!(a.as_slice().iter().all(|v| (0.0..1.0).contains(v)));
        assert_eq!(a, monte_carlo(100, 3, 7).unwrap());
        assert_ne!(a, monte_carlo(100, 3, 8).unwrap());
        let mean = a.as_slice().iter().sum::<f64>() / 300.0;
        assert!((mean - 0.5).abs() < 0.05, "mean {mean}");
    }

    #[test]
    fn rejects_empty_shapes() {
        assert!(monte_carlo(0, 3, 1).is_err());
        assert!(monte_carlo(3, 0, 1).is_err());
    }
}
