//! Full factorial design over given level counts.
//!
//! Rule: parameter `j` takes `L_j` levels placed at the midpoints of `L_j`
//! equal-probability strata, `x = (l + 1/2) / L_j` for `l = 0..L_j`, so that
//! mapping through an inverse CDF gives the strata's median quantiles and no
//! level sits on an unbounded tail. Every combination appears once; rows are
//! in lexicographic order with the last parameter varying fastest.

use crate::error::{AnalysisError, Result, invalid};
use crate::matrix::Matrix;

/// Largest design [`full_factorial`] will build (rows), to fail clearly
/// instead of exhausting memory.
pub const MAX_FACTORIAL_ROWS: usize = 50_000_000;

/// All `Π L_j` combinations of the levels, one row each.
///
/// * `levels[j]` — number of levels `L_j ≥ 1` of parameter `j`; `levels` must
///   not be empty.
pub fn full_factorial(levels: &[usize]) -> Result<Matrix> {
    let rows = factorial_rows(levels)?;
    let k = levels.len();
    let mut m = Matrix::zeros(rows, k);
    for i in 0..rows {
        factorial_row(levels, i, m.row_mut(i));
    }
    Ok(m)
}

/// Row `index` of [`full_factorial`]`(levels)`, computed alone: the
/// index's digits in the mixed radix of the level counts, last parameter
/// the fastest digit. `out` has one value per parameter.
pub fn factorial_row(levels: &[usize], index: usize, out: &mut [f64]) {
    let mut rest = index;
    for (o, &l) in out.iter_mut().zip(levels).rev() {
        *o = ((rest % l) as f64 + 0.5) / l as f64;
        rest /= l;
    }
}

/// Number of rows of [`full_factorial`]`(levels)`, `Π L_j`; errors as it
/// does on bad levels or a design above [`MAX_FACTORIAL_ROWS`].
pub fn factorial_rows(levels: &[usize]) -> Result<usize> {
    if levels.is_empty() {
        return Err(AnalysisError::TooSmall {
            what: "levels".into(),
            min: 1,
            found: 0,
        });
    }
    let mut rows: usize = 1;
    for (j, &l) in levels.iter().enumerate() {
        if l == 0 {
            return Err(invalid(
                &format!("levels[{j}]"),
                l,
                "each parameter needs at least one level",
            ));
        }
        rows = rows
            .checked_mul(l)
            .filter(|&r| r <= MAX_FACTORIAL_ROWS)
            .ok_or_else(|| {
                invalid(
                    "levels",
                    format!("{levels:?}"),
                    "the design would exceed 50,000,000 rows",
                )
            })?;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerates_every_combination_in_order() {
        let m = full_factorial(&[2, 3]).unwrap();
        assert_eq!(m.rows(), 6);
        let expect = [
            [0.25, 1.0 / 6.0],
            [0.25, 0.5],
            [0.25, 5.0 / 6.0],
            [0.75, 1.0 / 6.0],
            [0.75, 0.5],
            [0.75, 5.0 / 6.0],
        ];
        for (i, e) in expect.iter().enumerate() {
            for (j, want) in e.iter().enumerate() {
                assert!((m.get(i, j) - want).abs() < 1e-12);
            }
        }
        assert_eq!(full_factorial(&[1]).unwrap().to_rows(), vec![vec![0.5]]);
        assert_eq!(full_factorial(&[3, 4, 5]).unwrap().rows(), 60);
    }

    #[test]
    fn bad_levels_are_errors() {
        assert!(full_factorial(&[]).is_err());
        assert!(full_factorial(&[3, 0]).is_err());
        assert!(full_factorial(&[100_000, 100_000, 100_000]).is_err());
    }
}
