//! The one error type of the analysis crate.
//!
//! Rule: every public function checks the shape and values of its inputs before
//! computing and reports the first problem as an [`AnalysisError`] naming the
//! argument (`what`) and, where it helps, the row or index at fault. Nothing in
//! this crate panics on caller input.

use thiserror::Error;

/// What went wrong with the inputs of an analysis or design function.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AnalysisError {
    /// An input that needs at least `min` elements has fewer.
    #[error("{what} is too small: it has {found} element(s) but needs at least {min}")]
    TooSmall {
        /// Name of the offending argument.
        what: String,
        /// Minimum number of elements required.
        min: usize,
        /// Number of elements supplied.
        found: usize,
    },
    /// A row of a matrix has a different length from the first row.
    #[error("{what} is ragged: row {row} has {found} column(s), expected {expected}")]
    Ragged {
        /// Name of the offending argument.
        what: String,
        /// Zero-based index of the first row whose length differs.
        row: usize,
        /// Length of the first row.
        expected: usize,
        /// Length of the offending row.
        found: usize,
    },
    /// Two inputs that must line up do not.
    #[error("{what} has length {found}, expected {expected}")]
    LengthMismatch {
        /// Name of the offending argument.
        what: String,
        /// Length required by the other inputs.
        expected: usize,
        /// Length supplied.
        found: usize,
    },
    /// A value is NaN or infinite where a finite number is required.
    #[error("{what} has a non-finite value at index {index}")]
    NonFinite {
        /// Name of the offending argument.
        what: String,
        /// Zero-based index of the first bad value (row-major for matrices).
        index: usize,
    },
    /// A scalar parameter is outside its allowed range.
    #[error("parameter {name} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// Name of the parameter.
        name: String,
        /// The value supplied, as text.
        value: String,
        /// What the allowed values are.
        reason: String,
    },
}

/// Result alias used by every public function of the crate.
pub type Result<T> = std::result::Result<T, AnalysisError>;

/// Builds an [`AnalysisError::InvalidParameter`].
pub(crate) fn invalid(name: &str, value: impl ToString, reason: &str) -> AnalysisError {
    AnalysisError::InvalidParameter {
        name: name.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

/// Fails unless `len >= min`.
pub(crate) fn require_len(what: &str, len: usize, min: usize) -> Result<()> {
    if len < min {
        return Err(AnalysisError::TooSmall {
            what: what.to_string(),
            min,
            found: len,
        });
    }
    Ok(())
}

/// Fails unless `found == expected`.
pub(crate) fn require_same_len(what: &str, found: usize, expected: usize) -> Result<()> {
    if found != expected {
        return Err(AnalysisError::LengthMismatch {
            what: what.to_string(),
            expected,
            found,
        });
    }
    Ok(())
}

/// Fails at the first NaN or infinite value of `values`.
pub(crate) fn require_finite(what: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(AnalysisError::NonFinite {
            what: what.to_string(),
            index,
        }),
        None => Ok(()),
    }
}
