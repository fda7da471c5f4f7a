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
//!
//! Groups (Campolongo, Cariboni & Saltelli 2007): with the factors
//! partitioned into `G` groups, `B` is `(G+1) × G` and every step moves all
//! the factors of one group at once, each by its own `±Δ` from `D*`
//! (`B* = (J x* + (Δ/2)[(2 B Gᵀ − J) D* + J])` with the `k × G` membership
//! matrix `G` and the groups in random order); a trajectory has `G + 1`
//! points. The random draws are made factor by factor as in the ungrouped
//! design, so singleton groups give exactly [`morris`]'s design.
//!
//! By index: trajectory `t` draws its base point, directions and order from
//! the stream in turn, a number of words that varies (rejection sampling),
//! so [`MorrisPoints`] walks the stream once and keeps the word where each
//! trajectory starts (16 bytes a trajectory); a point is then computed from
//! its trajectory's draws alone, with the same bits as [`morris_groups`].

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Groups, check_shape};
use crate::error::{Result, invalid};
use crate::matrix::Matrix;

/// One move of a trajectory: row `t` to row `t + 1` changes one parameter
/// (one group of parameters in a grouped design).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisMove {
    /// Index of the parameter that changes; in a grouped design, of the group.
    pub factor: usize,
    /// Signed change on the unit scale, `+Δ` or `−Δ`; in a grouped design,
    /// the change of the group's first factor (the others have their own signs).
    pub step: f64,
}

/// A Morris design: `r` trajectories of `G + 1` points each (`G = k` ungrouped).
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    /// All points, `r (G + 1) × k`; trajectory `t` occupies rows
    /// `t (G+1) ..= t (G+1) + G`. Values lie on the closed grid `[0, 1]`.
    pub points: Matrix,
    /// `moves[t * G + m]` is the move from row `t (G+1) + m` to the next row.
    pub moves: Vec<MorrisMove>,
    /// The groups of the factors (singletons when ungrouped).
    pub groups: Groups,
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

    /// Number of moves per trajectory `G`: groups, or parameters when ungrouped.
    pub fn blocks(&self) -> usize {
        self.groups.len()
    }

    /// Total number of model runs, `r (G + 1)`.
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
    morris_groups(r, &Groups::singletons(k), levels, seed)
}

/// Builds `r` grouped Morris trajectories (Campolongo et al. 2007): each move
/// changes every factor of one group of `groups`.
///
/// * `r` — number of trajectories, at least 1.
/// * `groups` — the group of each of the `k` factors.
/// * `levels` — grid levels `p`, even and at least 2 (4 is usual).
/// * `seed` — seed of the ChaCha8 stream for base points, directions and orders.
pub fn morris_groups(r: usize, groups: &Groups, levels: usize, seed: u64) -> Result<MorrisDesign> {
    let k = groups.factors();
    check_shape(r, k)?;
    check_levels(levels)?;
    let half = levels / 2;
    let grid_step = 1.0 / (levels - 1) as f64;
    let delta = levels as f64 / (2.0 * (levels - 1) as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let g = groups.len();
    let members: Vec<Vec<usize>> = (0..g).map(|b| groups.members(b)).collect();
    let mut points = Matrix::zeros(r * (g + 1), k);
    let mut moves = Vec::with_capacity(r * g);
    let mut order: Vec<usize> = (0..g).collect();
    // Grid positions as integers keep the arithmetic exact.
    let mut position = vec![0usize; k];
    let mut up = vec![true; k];
    for t in 0..r {
        draw_trajectory(&mut rng, half, &mut position, &mut up, &mut order);
        let first = t * (g + 1);
        write_row(&mut points, first, &position, grid_step);
        for (m, &b) in order.iter().enumerate() {
            for &j in &members[b] {
                if up[j] {
                    position[j] += half;
                } else {
                    position[j] -= half;
                }
            }
            write_row(&mut points, first + m + 1, &position, grid_step);
            moves.push(MorrisMove {
                factor: b,
                step: if up[members[b][0]] { delta } else { -delta },
            });
        }
    }
    Ok(MorrisDesign {
        points,
        moves,
        groups: groups.clone(),
        trajectories: r,
        levels,
        delta,
    })
}

/// Checks the number of grid levels: even, at least 2.
fn check_levels(levels: usize) -> Result<()> {
    if levels < 2 || !levels.is_multiple_of(2) {
        return Err(invalid(
            "levels",
            levels,
            "the Morris grid needs an even number of levels, at least 2",
        ));
    }
    Ok(())
}

/// Draws one trajectory from the stream: every factor's starting grid
/// position and direction (`position`, `up`, one each per factor), then
/// the order of the groups' moves (`order`, shuffled in place).
fn draw_trajectory(
    rng: &mut ChaCha8Rng,
    half: usize,
    position: &mut [usize],
    up: &mut [bool],
    order: &mut [usize],
) {
    for (p, u) in position.iter_mut().zip(up.iter_mut()) {
        let base = rng.random_range(0..half);
        *u = rng.random::<bool>();
        *p = if *u { base } else { base + half };
    }
    order.shuffle(rng);
}

/// The points of a grouped Morris design computed one at a time from their
/// number, in the order of [`MorrisDesign::points`].
#[derive(Debug, Clone)]
pub struct MorrisPoints {
    /// The stream's seed.
    seed: u64,
    /// The word of the stream where each trajectory's draws start.
    starts: Vec<u128>,
    /// The order of every trajectory's moves, `G` groups each. Kept rather
    /// than drawn again: a trajectory shuffles the order the one before it
    /// left, so it depends on every shuffle before it.
    orders: Vec<u32>,
    /// The factors of every group.
    members: Vec<Vec<usize>>,
    /// Factors `k`.
    factors: usize,
    /// Grid levels `p`.
    levels: usize,
}

impl MorrisPoints {
    /// The design [`morris_groups`]`(r, groups, levels, seed)` would build,
    /// as a generator; the same errors. Walks the stream once (time in
    /// `r k`), keeping per trajectory its start in the stream and its order
    /// of moves (`16 + 4 G` bytes), not its `(G + 1) × k` points.
    pub fn new(r: usize, groups: &Groups, levels: usize, seed: u64) -> Result<MorrisPoints> {
        let k = groups.factors();
        check_shape(r, k)?;
        check_levels(levels)?;
        let g = groups.len();
        if u32::try_from(g).is_err() {
            return Err(invalid("groups", g, "at most 2^32 − 1 groups"));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut position, mut up) = (vec![0usize; k], vec![true; k]);
        let mut order: Vec<usize> = (0..g).collect();
        let mut starts = Vec::with_capacity(r);
        let mut orders = Vec::with_capacity(r * g);
        for _ in 0..r {
            starts.push(rng.get_word_pos());
            draw_trajectory(&mut rng, levels / 2, &mut position, &mut up, &mut order);
            // Lossless: g < 2^32 was checked above.
            orders.extend(order.iter().map(|&b| b as u32));
        }
        Ok(MorrisPoints {
            seed,
            starts,
            orders,
            members: (0..g).map(|b| groups.members(b)).collect(),
            factors: k,
            levels,
        })
    }

    /// Number of points, `r (G + 1)`.
    pub fn rows(&self) -> usize {
        self.starts.len() * (self.members.len() + 1)
    }

    /// The group moved at each step of trajectory `t` (below `r`), in order.
    pub fn order(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        let g = self.members.len();
        self.orders[t * g..(t + 1) * g].iter().map(|&b| b as usize)
    }

    /// Number of trajectories `r`.
    pub fn trajectories(&self) -> usize {
        self.starts.len()
    }

    /// Trajectory `t`'s first grid position and direction of every factor.
    fn start(&self, t: usize) -> (Vec<usize>, Vec<bool>) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_word_pos(self.starts[t]);
        let (mut position, mut up) = (vec![0usize; self.factors], vec![true; self.factors]);
        // The draws of the order come after these and are not needed.
        draw_trajectory(&mut rng, self.levels / 2, &mut position, &mut up, &mut []);
        (position, up)
    }

    /// Every move of every trajectory, as [`MorrisDesign::moves`]: `r G`
    /// moves, trajectory by trajectory.
    pub fn moves(&self) -> Vec<MorrisMove> {
        let delta = self.levels as f64 / (2.0 * (self.levels - 1) as f64);
        let mut moves = Vec::with_capacity(self.orders.len());
        for t in 0..self.trajectories() {
            let (_, up) = self.start(t);
            moves.extend(self.order(t).map(|b| MorrisMove {
                factor: b,
                step: if up[self.members[b][0]] {
                    delta
                } else {
                    -delta
                },
            }));
        }
        moves
    }

    /// Writes point `row` (below [`Self::rows`]) into `out` (one value per
    /// factor): its trajectory's first point moved by the steps before it.
    pub fn point_into(&self, row: usize, out: &mut [f64]) -> Result<()> {
        crate::error::require_same_len("out", out.len(), self.factors)?;
        if row >= self.rows() {
            return Err(invalid("row", row, "beyond the design's r (G + 1) points"));
        }
        let g = self.members.len();
        let (t, step) = (row / (g + 1), row % (g + 1));
        let half = self.levels / 2;
        let (mut position, up) = self.start(t);
        for b in self.order(t).take(step) {
            for &j in &self.members[b] {
                if up[j] {
                    position[j] += half;
                } else {
                    position[j] -= half;
                }
            }
        }
        let grid_step = 1.0 / (self.levels - 1) as f64;
        for (o, &p) in out.iter_mut().zip(&position) {
            *o = p as f64 * grid_step;
        }
        Ok(())
    }
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
    fn grouped_trajectories_move_each_group_once() {
        let groups = Groups::new(&["a", "b", "a", "c", "a"]).unwrap();
        let (r, k, g) = (50, 5, 3);
        let d = morris_groups(r, &groups, 4, 9).unwrap();
        assert_eq!(
            (d.runs(), d.blocks(), d.moves.len()),
            (r * (g + 1), g, r * g)
        );
        let (mut same, mut mixed) = (0, 0);
        for t in 0..r {
            let mut moved = vec![false; g];
            for m in 0..g {
                let a = d.points.row(t * (g + 1) + m);
                let b = d.points.row(t * (g + 1) + m + 1);
                let mv = d.moves[t * g + m];
                for j in 0..k {
                    let diff = b[j] - a[j];
                    if groups.group_of(j) == mv.factor {
                        assert!((diff.abs() - d.delta).abs() < 1e-12);
                    } else {
                        assert_eq!(diff, 0.0);
                    }
                }
                assert!((b[0] - a[0] - mv.step).abs() < 1e-12 || mv.factor != 0);
                if mv.factor == 0 {
                    let signs: Vec<bool> = [0, 2, 4].iter().map(|&j| b[j] > a[j]).collect();
                    if signs.iter().all(|&s| s == signs[0]) {
                        same += 1;
                    } else {
                        mixed += 1;
                    }
                }
                assert!(!moved[mv.factor]);
                moved[mv.factor] = true;
            }
        }
        // Each factor has its own direction: 3 factors agree 1 time in 4.
        assert!(mixed > same, "{mixed} mixed, {same} same");
        // Singleton groups give the ungrouped design, draw for draw.
        let singles = Groups::singletons(4);
        let (a, b) = (
            morris(7, 4, 4, 3).unwrap(),
            morris_groups(7, &singles, 4, 3).unwrap(),
        );
        assert_eq!((a.points, a.moves), (b.points, b.moves));
    }

    #[test]
    fn points_computed_alone_are_the_design_points() {
        let groups = Groups::new(&["a", "b", "a", "c", "a", "d", "e"]).unwrap();
        for levels in [4, 6] {
            let d = morris_groups(9, &groups, levels, 21).unwrap();
            let p = MorrisPoints::new(9, &groups, levels, 21).unwrap();
            assert_eq!(p.rows(), d.runs());
            let mut out = vec![0.0; 7];
            for r in 0..d.runs() {
                p.point_into(r, &mut out).unwrap();
                assert_eq!(out, d.points.row(r), "row {r}");
            }
            let g = d.blocks();
            for t in 0..9 {
                let from_moves: Vec<usize> = d.moves[t * g..(t + 1) * g]
                    .iter()
                    .map(|m| m.factor)
                    .collect();
                assert_eq!(p.order(t).collect::<Vec<_>>(), from_moves);
            }
            assert_eq!(p.moves(), d.moves);
            assert_eq!(p.trajectories(), 9);
            assert!(p.point_into(d.runs(), &mut out).is_err());
        }
        assert!(MorrisPoints::new(3, &groups, 5, 1).is_err());
    }

    #[test]
    fn bad_levels_are_errors() {
        assert!(morris(10, 3, 5, 0).is_err());
        assert!(morris(10, 3, 0, 0).is_err());
        assert!(morris(0, 3, 4, 0).is_err());
    }
}
