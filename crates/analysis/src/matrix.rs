//! A dense row-major matrix of `f64`, the shape every design and table uses.
//!
//! Rule: a [`Matrix`] is `rows × cols` numbers stored row after row; it can only
//! be built with a consistent shape, so analyses never meet ragged data. Rows are
//! experiments and columns are uncertain parameters (for designs, values on the
//! unit interval; for tables, values in model units).

use crate::error::{AnalysisError, Result, require_finite};

/// A `rows × cols` matrix stored row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// A matrix of zeros with the given shape.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Self {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// Wraps row-major `data` of length `rows * cols`.
    ///
    /// Errors if the length does not match the shape or a value is not finite.
    pub fn from_row_major(rows: usize, cols: usize, data: Vec<f64>) -> Result<Self> {
        if data.len() != rows * cols {
            return Err(AnalysisError::LengthMismatch {
                what: "matrix data".to_string(),
                expected: rows * cols,
                found: data.len(),
            });
        }
        require_finite("matrix data", &data)?;
        Ok(Self { rows, cols, data })
    }

    /// Builds a matrix from a slice of rows; `what` names the argument in errors.
    ///
    /// Errors if there are no rows, a row is empty, rows differ in length
    /// (ragged) or a value is not finite.
    pub fn from_rows(what: &str, rows: &[Vec<f64>]) -> Result<Self> {
        let first = rows.first().ok_or_else(|| AnalysisError::TooSmall {
            what: what.to_string(),
            min: 1,
            found: 0,
        })?;
        let cols = first.len();
        if cols == 0 {
            return Err(AnalysisError::TooSmall {
                what: format!("{what} row 0"),
                min: 1,
                found: 0,
            });
        }
        let mut data = Vec::with_capacity(rows.len() * cols);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != cols {
                return Err(AnalysisError::Ragged {
                    what: what.to_string(),
                    row: i,
                    expected: cols,
                    found: row.len(),
                });
            }
            data.extend_from_slice(row);
        }
        require_finite(what, &data)?;
        Ok(Self {
            rows: rows.len(),
            cols,
            data,
        })
    }

    /// Number of rows (experiments).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (parameters).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i` as a slice of length `cols()`. Panics if `i >= rows()` like slice indexing.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Mutable row `i`.
    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Element at row `i`, column `j`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// Sets the element at row `i`, column `j`.
    pub fn set(&mut self, i: usize, j: usize, value: f64) {
        self.data[i * self.cols + j] = value;
    }

    /// Iterator over the rows.
    pub fn iter_rows(&self) -> impl Iterator<Item = &[f64]> {
        // `max(1)` keeps `chunks_exact` valid for a zero-column matrix.
        self.data.chunks_exact(self.cols.max(1)).take(self.rows)
    }

    /// Column `j` copied into a vector.
    pub fn column(&self, j: usize) -> Vec<f64> {
        (0..self.rows).map(|i| self.get(i, j)).collect()
    }

    /// The row-major data.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// The rows as nested vectors (handy for writers and tests).
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.iter_rows().map(<[f64]>::to_vec).collect()
    }

    /// Stacks matrices with the same number of columns on top of each other.
    pub(crate) fn vstack(parts: &[&Matrix]) -> Matrix {
        let cols = parts.first().map_or(0, |m| m.cols);
        let mut data = Vec::new();
        let mut rows = 0;
        for part in parts {
            debug_assert_eq!(part.cols, cols);
            data.extend_from_slice(&part.data);
            rows += part.rows;
        }
        Matrix { rows, cols, data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_rows_rejects_ragged_and_empty() {
        let err = Matrix::from_rows("x", &[vec![1.0, 2.0], vec![3.0]]).unwrap_err();
        assert_eq!(
            err,
            AnalysisError::Ragged {
                what: "x".into(),
                row: 1,
                expected: 2,
                found: 1
            }
        );
        assert!(matches!(
            Matrix::from_rows("x", &[]),
            Err(AnalysisError::TooSmall { .. })
        ));
        assert!(matches!(
            Matrix::from_rows("x", &[vec![1.0, f64::NAN]]),
            Err(AnalysisError::NonFinite { index: 1, .. })
        ));
    }

    #[test]
    fn rows_and_columns_round_trip() {
        let m = Matrix::from_rows("x", &[vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]]).unwrap();
        assert_eq!((m.rows(), m.cols()), (3, 2));
        assert_eq!(m.row(1), &[3.0, 4.0]);
        assert_eq!(m.column(1), vec![2.0, 4.0, 6.0]);
        assert_eq!(m.to_rows()[2], vec![5.0, 6.0]);
        let s = Matrix::vstack(&[&m, &m]);
        assert_eq!(s.rows(), 6);
        assert_eq!(s.row(4), &[3.0, 4.0]);
    }
}
