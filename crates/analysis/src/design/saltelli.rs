//! Saltelli's sampling scheme for Sobol sensitivity indices.
//!
//! Rule (Saltelli et al. 2010, §3–4; Saltelli 2002): draw `n` points of a
//! `2k`-dimensional scrambled Sobol sequence; the first `k` coordinates form
//! matrix `A`, the last `k` form `B` (two independent `n × k` samples). For each
//! parameter `i`, `A_B^(i)` is `A` with its column `i` taken from `B`. The
//! model is run on all `n (k + 2)` rows; the first-order and total indices are
//! then estimated from `f(A)`, `f(B)` and `f(A_B^(i))` (see
//! `crate::sensitivity::sobol_indices`).
//!
//! Groups (Jansen 1999; Saltelli et al. 2008, ch. 4; SALib's `groups`):
//! with the factors partitioned into `G` groups, `A_B^(g)` is `A` with the
//! columns of every factor in group `g` taken from `B`, so the model runs on
//! `n (G + 2)` rows and the estimators give the first-order (closed) and
//! total indices of each group. Ungrouped, every factor is its own group.
//!
//! Row order of [`SaltelliDesign::stacked`] (and therefore of the outputs the
//! estimator expects): all of `A`, then all of `B`, then `A_B^(1)`, …,
//! `A_B^(k)`, each block in base-row order. (SALib interleaves by base row
//! instead; the block order keeps each matrix contiguous.)
//!
//! By index: row `b n + j` of the stacked design needs only base point `j`
//! of the Sobol sequence, so [`SaltelliPoints`] computes any row from its
//! number with the same bits as [`SaltelliDesign::stacked`], holding the
//! `2k` dimensions' direction numbers and the groups, not the `n (G + 2) × k`
//! table.

use super::{Groups, MAX_SOBOL_DIMENSIONS, SobolSequence, check_shape, sobol};
use crate::error::{Result, invalid};
use crate::matrix::Matrix;

/// The matrices of a Saltelli design.
#[derive(Debug, Clone, PartialEq)]
pub struct SaltelliDesign {
    /// Base sample `A`, `n × k`.
    pub a: Matrix,
    /// Base sample `B`, `n × k`.
    pub b: Matrix,
    /// `ab[g]` is `A_B^(g)`: `A` with the columns of group `g` from `B`;
    /// one `n × k` matrix per group (per factor when ungrouped).
    pub ab: Vec<Matrix>,
    /// The groups of the factors (singletons when ungrouped).
    pub groups: Groups,
}

impl SaltelliDesign {
    /// Number of base rows `n`.
    pub fn base_rows(&self) -> usize {
        self.a.rows()
    }

    /// Number of parameters `k`.
    pub fn parameters(&self) -> usize {
        self.a.cols()
    }

    /// Number of `A_B` blocks `G`: groups, or parameters when ungrouped.
    pub fn blocks(&self) -> usize {
        self.ab.len()
    }

    /// Total number of model runs, `n (G + 2)`.
    pub fn runs(&self) -> usize {
        self.base_rows() * (self.blocks() + 2)
    }

    /// All rows to run, in the order `A`, `B`, `A_B^(1)`, …, `A_B^(G)`.
    pub fn stacked(&self) -> Matrix {
        let mut parts = vec![&self.a, &self.b];
        parts.extend(self.ab.iter());
        Matrix::vstack(&parts)
    }
}

/// Builds the Saltelli design with `n` base rows for `k` parameters.
///
/// * `n` — base sample size, at least 2; use a power of two.
/// * `k` — number of parameters, `1..=2048` (the Sobol sequence has 4,096 dimensions).
/// * `seed` — Sobol scrambling seed.
pub fn saltelli(n: usize, k: usize, seed: u64) -> Result<SaltelliDesign> {
    check_shape(n, k)?;
    saltelli_groups(n, &Groups::singletons(k), seed)
}

/// Builds the grouped Saltelli design with `n` base rows: one `A_B` block
/// per group of `groups` (whose number of factors is the design's `k`).
///
/// * `n` — base sample size, at least 2; use a power of two.
/// * `groups` — the group of each of the `k ≤ 2048` factors.
/// * `seed` — Sobol scrambling seed.
pub fn saltelli_groups(n: usize, groups: &Groups, seed: u64) -> Result<SaltelliDesign> {
    let k = groups.factors();
    check_saltelli_shape(n, k)?;
    let base = sobol(n, 2 * k, seed)?;
    let mut a = Matrix::zeros(n, k);
    let mut b = Matrix::zeros(n, k);
    for r in 0..n {
        let row = base.row(r);
        a.row_mut(r).copy_from_slice(&row[..k]);
        b.row_mut(r).copy_from_slice(&row[k..]);
    }
    let ab = (0..groups.len())
        .map(|g| {
            let mut m = a.clone();
            for i in groups.members(g) {
                for r in 0..n {
                    m.set(r, i, b.get(r, i));
                }
            }
            m
        })
        .collect();
    Ok(SaltelliDesign {
        a,
        b,
        ab,
        groups: groups.clone(),
    })
}

/// Checks a Saltelli design's shape: `n ≥ 2` base rows, `1..=2048` factors.
fn check_saltelli_shape(n: usize, k: usize) -> Result<()> {
    check_shape(n, k)?;
    if n < 2 {
        return Err(invalid(
            "n",
            n,
            "the Saltelli design needs at least 2 base rows",
        ));
    }
    if 2 * k > MAX_SOBOL_DIMENSIONS {
        return Err(invalid(
            "k",
            k,
            "the Saltelli design supports at most 2048 parameters",
        ));
    }
    Ok(())
}

/// The rows of a grouped Saltelli design computed one at a time from their
/// number, in the order of [`SaltelliDesign::stacked`].
#[derive(Debug, Clone)]
pub struct SaltelliPoints {
    /// The `2k`-dimensional scrambled sequence: `A` its first `k`
    /// coordinates, `B` the last `k`.
    sequence: SobolSequence,
    /// The group of every factor.
    groups: Groups,
    /// Base rows `n`.
    n: usize,
}

impl SaltelliPoints {
    /// The design [`saltelli_groups`]`(n, groups, seed)` would build, as a
    /// generator; the same errors.
    pub fn new(n: usize, groups: &Groups, seed: u64) -> Result<SaltelliPoints> {
        let k = groups.factors();
        check_saltelli_shape(n, k)?;
        if n as u64 > super::MAX_SOBOL_POINTS {
            return Err(invalid(
                "n",
                n,
                "the Sobol sequence has 2^32 points; the base size must not exceed 4294967296",
            ));
        }
        Ok(SaltelliPoints {
            sequence: SobolSequence::new(2 * k, Some(seed))?,
            groups: groups.clone(),
            n,
        })
    }

    /// Number of rows, `n (G + 2)`.
    pub fn rows(&self) -> usize {
        self.n * (self.groups.len() + 2)
    }

    /// Writes row `row` (below [`Self::rows`]) into `out` (one value per
    /// factor): `A_j`, `B_j`, or `A_j` with group `g`'s columns from `B_j`.
    /// `scratch` holds the base point (`2k` values; resized as needed).
    pub fn point_into(&self, row: usize, out: &mut [f64], scratch: &mut Vec<f64>) -> Result<()> {
        let k = self.groups.factors();
        crate::error::require_same_len("out", out.len(), k)?;
        if row >= self.rows() {
            return Err(invalid("row", row, "beyond the design's n (G + 2) rows"));
        }
        let (block, j) = (row / self.n, row % self.n);
        scratch.resize(2 * k, 0.0);
        self.sequence.point_into(j as u64, scratch)?;
        let (a, b) = scratch.split_at(k);
        match block {
            0 => out.copy_from_slice(a),
            1 => out.copy_from_slice(b),
            _ => {
                let g = block - 2;
                for (i, o) in out.iter_mut().enumerate() {
                    *o = if self.groups.group_of(i) == g {
                        b[i]
                    } else {
                        a[i]
                    };
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_column_swaps() {
        let d = saltelli(64, 4, 1).unwrap();
        assert_eq!(d.runs(), 64 * 6);
        assert_eq!(d.stacked().rows(), 384);
        assert_eq!(d.ab.len(), 4);
        for (i, m) in d.ab.iter().enumerate() {
            for r in 0..64 {
                for j in 0..4 {
                    let want = if j == i { d.b.get(r, j) } else { d.a.get(r, j) };
                    assert_eq!(m.get(r, j), want);
                }
            }
        }
        let s = d.stacked();
        assert_eq!(s.row(0), d.a.row(0));
        assert_eq!(s.row(64), d.b.row(0));
        assert_eq!(s.row(128 + 64 + 3), d.ab[1].row(3));
    }

    #[test]
    fn grouped_blocks_swap_every_column_of_their_group() {
        let groups = Groups::new(&["p", "q", "p", "r", "q"]).unwrap();
        let d = saltelli_groups(16, &groups, 2).unwrap();
        assert_eq!((d.blocks(), d.parameters(), d.runs()), (3, 5, 16 * 5));
        assert_eq!(d.stacked().rows(), 80);
        for (g, m) in d.ab.iter().enumerate() {
            for r in 0..16 {
                for j in 0..5 {
                    let from_b = groups.group_of(j) == g;
                    let want = if from_b { d.b.get(r, j) } else { d.a.get(r, j) };
                    assert_eq!(m.get(r, j), want, "block {g}, row {r}, column {j}");
                }
            }
        }
        // Singleton groups give the ungrouped design.
        let singles = Groups::new(&["a", "b", "c"]).unwrap();
        assert_eq!(
            saltelli_groups(8, &singles, 1).unwrap().stacked(),
            saltelli(8, 3, 1).unwrap().stacked()
        );
    }

    #[test]
    fn rows_computed_alone_are_the_stacked_rows() {
        let groups = Groups::new(&["p", "q", "p", "r", "q", "s"]).unwrap();
        let d = saltelli_groups(16, &groups, 3).unwrap().stacked();
        let p = SaltelliPoints::new(16, &groups, 3).unwrap();
        assert_eq!(p.rows(), d.rows());
        let (mut out, mut scratch) = (vec![0.0; 6], Vec::new());
        for r in 0..d.rows() {
            p.point_into(r, &mut out, &mut scratch).unwrap();
            assert_eq!(out, d.row(r), "row {r}");
        }
        assert!(p.point_into(d.rows(), &mut out, &mut scratch).is_err());
        assert!(SaltelliPoints::new(1, &groups, 3).is_err());
    }

    #[test]
    fn a_and_b_are_not_the_same_sample() {
        let d = saltelli(32, 2, 4).unwrap();
        assert_ne!(d.a, d.b);
        assert!(saltelli(1, 2, 0).is_err());
        assert!(saltelli(8, 2049, 0).is_err());
        assert_eq!(saltelli(2, 2048, 0).unwrap().runs(), 2 * 2050);
    }
}
