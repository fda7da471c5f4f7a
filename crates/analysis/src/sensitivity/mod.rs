//! Global sensitivity analysis over designed runs.
//!
//! Rule: sensitivity functions take a design from [`crate::design`] and the
//! model outputs for its rows (same order) and return indices; they never run
//! the model. [`sobol_indices`] works on a Saltelli design; [`morris_effects`]
//! on a Morris design.

mod morris;
mod sobol;

pub use morris::{MorrisEffects, morris_effects};
pub use sobol::{SobolIndices, SobolOptions, sobol_indices};

#[cfg(test)]
pub(crate) mod ishigami {
    //! The Ishigami & Homma (1990) test function with a = 7, b = 0.1 on
    //! `x_i ~ U(−π, π)`, and its analytic indices.

    use std::f64::consts::PI;

    /// Evaluates the function at a unit-cube point (mapped to `(−π, π)^3`).
    pub(crate) fn at_unit(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Analytic first-order indices S1, S2, S3.
    pub(crate) const FIRST: [f64; 3] = [0.3139, 0.4424, 0.0];
    /// Analytic total indices ST1, ST2, ST3.
    pub(crate) const TOTAL: [f64; 3] = [0.5576, 0.4424, 0.2437];
}
