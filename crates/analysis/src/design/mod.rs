//! Experimental designs on the unit hypercube.
//!
//! Rule: every sampler returns points in `[0, 1)^k` (rows = experiments,
//! columns = uncertain parameters) and never looks at a distribution; the
//! ensemble maps column `j` through parameter `j`'s inverse CDF. Randomness
//! comes only from the explicit `seed` argument (ChaCha8 or Sobol scrambling
//! keyed by it), so the same call always returns the same design.
//!
//! The one exception to the half-open interval is the Morris grid, which by
//! construction (Morris 1991) includes the level 1.0; see [`morris`].
//!
//! **By index.** An ensemble plan with millions of rows cannot hold its
//! table, so every design but the Latin hypercube also computes a row from
//! its number alone, with the same bits as the row of the whole table:
//! [`monte_carlo_row`] (ChaCha8 seeks to the row's word), Sobol's
//! [`SobolSequence::point_into`] (Gray code of the index), Saltelli's
//! [`SaltelliPoints`] (base point `j` of the Sobol sequence), Morris's
//! [`MorrisPoints`] (each trajectory's start in the stream and order of
//! moves) and [`factorial_row`] (the index in mixed radix). A Latin
//! hypercube column is a shuffle of all `n` strata drawn from one stream,
//! so one of its rows cannot be had without the column's whole shuffle;
//! its `n × k` table is kept (8 bytes a value).
//!
//! | sampler | function | rows |
//! |---|---|---|
//! | Monte Carlo | [`monte_carlo`], by row [`monte_carlo_row`] | `n` |
//! | Latin hypercube (McKay, Beckman & Conover 1979) | [`latin_hypercube`] | `n` |
//! | Latin hypercube with a stream per named column | [`latin_hypercube_keyed`] | `n` |
//! | Owen-scrambled Sobol (Joe & Kuo 2008 directions, up to 4,096 dimensions) | [`sobol`], [`SobolSequence`] | `n` |
//! | full factorial | [`full_factorial`], by row [`factorial_row`] | product of level counts |
//! | Saltelli scheme for Sobol indices (Saltelli et al. 2010) | [`saltelli`], grouped [`saltelli_groups`], by row [`SaltelliPoints`] | `n (k + 2)`, `n (G + 2)` |
//! | Morris trajectories (Morris 1991; groups: Campolongo et al. 2007) | [`morris`], grouped [`morris_groups`], by row [`MorrisPoints`] | `r (k + 1)`, `r (G + 1)` |

mod factorial;
mod groups;
mod latin;
mod monte_carlo;
mod morris;
mod saltelli;
mod sobol;

pub use factorial::{factorial_row, factorial_rows, full_factorial};
pub use groups::Groups;
pub use latin::{column_key, latin_hypercube, latin_hypercube_keyed};
pub use monte_carlo::{monte_carlo, monte_carlo_row};
pub use morris::{MorrisDesign, MorrisMove, MorrisPoints, morris, morris_groups};
pub use saltelli::{SaltelliDesign, SaltelliPoints, saltelli, saltelli_groups};
pub use sobol::{MAX_SOBOL_DIMENSIONS, MAX_SOBOL_POINTS, SobolSequence, sobol};

use crate::error::{Result, invalid};

/// Checks the common `n ≥ 1`, `k ≥ 1` precondition of the samplers.
fn check_shape(n: usize, k: usize) -> Result<()> {
    if n == 0 {
        return Err(invalid("n", n, "the number of points must be at least 1"));
    }
    if k == 0 {
        return Err(invalid(
            "k",
            k,
            "the number of dimensions must be at least 1",
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod discrepancy {
    //! Warnock's closed form of the L2-star discrepancy, used by tests to
    //! compare designs (Warnock 1972; see also Niederreiter 1992).

    use crate::matrix::Matrix;

    /// L2-star discrepancy of the rows of `m` (all in `[0,1]^k`).
    pub(crate) fn l2_star(m: &Matrix) -> f64 {
        let n = m.rows() as f64;
        let k = m.cols() as i32;
        let single: f64 = m
            .iter_rows()
            .map(|x| x.iter().map(|v| (1.0 - v * v) / 2.0).product::<f64>())
            .sum();
        let mut pairs = 0.0;
        for a in m.iter_rows() {
            for b in m.iter_rows() {
                pairs += a
                    .iter()
                    .zip(b)
                    .map(|(u, v)| 1.0 - u.max(*v))
                    .product::<f64>();
            }
        }
        (3f64.powi(-k) - 2.0 * single / n + pairs / (n * n)).sqrt()
    }
}
