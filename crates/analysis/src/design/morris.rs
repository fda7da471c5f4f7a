//! Morris one-at-a-time trajectories (Morris 1991).
//!
//! Rule: the unit interval is discretised into a `p`-level grid
//! `{0, 1/(p−1), …, 1}` (closed: it contains 1.0) and every step changes one
//! parameter by `±Δ` with `Δ = p / (2(p − 1))` (Morris 1991; `p` must be even so
//! that `Δ` is a whole number of grid steps, `p/2`). One trajectory is the
//! randomised matrix of Morris (1991, eq. for `B*`):
//!
//! `B* = (J x* + (Δ/2)[(2B − J) D* + J]) P*`
//!
//! with `x*` a random base point on the levels `{0, …, 1 − Δ}`, `B` the strictly
//! lower-triangular `(k+1) × k` matrix of ones, `J` matrices of ones, `D*` a
//! random diagonal of `±1` (direction of each move) and `P*` a random
//! permutation (order of the moves). Equivalently: start at `x*` (or `x* + Δ`
//! for a downward factor) and move the factors one by one in random order.
//! `r` independent trajectories give `r (k + 1)` rows and `r` elementary
//! effects per parameter. (Campolongo et al. 2007's selection of spread-out
//! trajectories from a larger pool is not implemented; trajectories are
//! independent draws.)

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::check_shape;
use crate::error::{Result, invalid};
use crate::matrix::Matrix;

/// One move of a trajectory: row `t` to row `t + 1` changes one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisMove {
    /// Index of the parameter that changes.
    pub factor: usize,
    /// Signed change on the unit scale, `+Δ` or `−Δ`.
    pub step: f64,
}

/// A Morris design: `r` trajectories of `k + 1` points each.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    /// All points, `r (k + 1) × k`; trajectory `t` occupies rows
    /// `t (k+1) ..= t (k+1) + k`. Values lie on the closed grid `[0, 1]`.
    pub points: Matrix,
    /// `moves[t * k + m]` is the move from row `t (k+1) + m` to the next row.
    pub moves: Vec<MorrisMove>,
    /// Number of trajectories `r`.
    pub trajectories: usize,
    /// Number of grid levels `p`.
    pub levels: usize,
    /// Step size `Δ = p / (2 (p − 1))` on the unit scale.
    pub delta: f64,
}

impl MorrisDesign {
    /// Number of parameters `k`.
    pub fn parameters(&self) -> usize {
        self.points.cols()
    }

    /// Total number of model runs, `r (k + 1)`.
    pub fn runs(&self) -> usize {
        self.points.rows()
    }
}

/// Builds `r` Morris trajectories for `k` parameters on a `p`-level grid.
///
/// * `r` — number of trajectories, at least 1 (10–50 is usual for screening).
/// * `k` — number of parameters, at least 1.
/// * `levels` — grid levels `p`, even and at least 2 (4 is usual).
/// * `seed` — seed of the ChaCha8 stream for base points, directions and orders.
pub fn morris(r: usize, k: usize, levels: usize, seed: u64) -> Result<MorrisDesign> {
    check_shape(r, k)?;
    if levels < 2 || !levels.is_multiple_of(2) {
        return Err(invalid(
            "levels",
            levels,
            "the Morris grid needs an even number of levels, at least 2",
        ));
    }
    let half = levels / 2;
    let grid_step = 1.0 / (levels - 1) as f64;
    let delta = levels as f64 / (2.0 * (levels - 1) as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut points = Matrix::zeros(r * (k + 1), k);
    let mut moves = Vec::with_capacity(r * k);
    let mut order: Vec<usize> = (0..k).collect();
    // Grid positions as integers keep the arithmetic exact.
    let mut position = vec![0usize; k];
    let mut up = vec![true; k];
    for t in 0..r {
        for j in 0..k {
            let base = rng.random_range(0..half);
            up[j] = rng.random::<bool>();
            position[j] = if up[j] { base } else { base + half };
        }
        order.shuffle(&mut rng);
        let first = t * (k + 1);
        write_row(&mut points, first, &position, grid_step);
        for (m, &j) in order.iter().enumerate() {
            if up[j] {
                position[j] += half;
            } else {
                position[j] -= half;
            }
            write_row(&mut points, first + m + 1, &position, grid_step);
            moves.push(MorrisMove {
                factor: j,
                step: if up[j] { delta } else { -delta },
            });
        }
    }
    Ok(MorrisDesign {
        points,
        moves,
        trajectories: r,
        levels,
        delta,
    })
}

/// Writes grid positions as unit-scale values into row `i`.
fn write_row(points: &mut Matrix, i: usize, position: &[usize], grid_step: f64) {
    for (j, &p) in position.iter().enumerate() {
        points.set(i, j, p as f64 * grid_step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trajectories_move_each_factor_once_by_delta() {
        let (r, k, p) = (20, 5, 4);
        let d = morris(r, k, p, 3).unwrap();
        assert_eq!(d.runs(), r * (k + 1));
        assert_eq!(d.moves.len(), r * k);
        assert!((d.delta - 2.0 / 3.0).abs() < 1e-12);
        let grid = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
        for t in 0..r {
            let mut moved = vec![false; k];
            for m in 0..k {
                let a = d.points.row(t * (k + 1) + m);
                let b = d.points.row(t * (k + 1) + m + 1);
                let mv = d.moves[t * k + m];
                for j in 0..k {
                    let diff = b[j] - a[j];
                    if j == mv.factor {
                        assert!((diff - mv.step).abs() < 1e-12);
                    } else {
                        assert_eq!(diff, 0.0);
                    }
                    assert!(grid.iter().any(|g| (g - b[j]).abs() < 1e-12));
                }
                assert!(!moved[mv.factor]);
                moved[mv.factor] = true;
            }
        }
    }

    #[test]
    fn directions_and_levels_are_balanced() {
        let d = morris(2000, 3, 6, 1).unwrap();
        let ups = d.moves.iter().filter(|m| m.step > 0.0).count() as f64;
        assert!((ups / 6000.0 - 0.5).abs() < 0.03);
        // Every level of the 6-level grid is used.
        for level in 0..6 {
            let v = level as f64 / 5.0;
            assert!(d.points.as_slice().iter().any(|x| (x - v).abs() < 1e-12));
        }
    }

    #[test]
    fn bad_levels_are_errors() {
        assert!(morris(10, 3, 5, 0).is_err());
        assert!(morris(10, 3, 0, 0).is_err());
        assert!(morris(0, 3, 4, 0).is_err());
    }
}
