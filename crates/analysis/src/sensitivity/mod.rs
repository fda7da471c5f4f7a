//! Global sensitivity analysis over designed runs.
//!
//! Rule: sensitivity functions take a design from [`crate::design`] and the
//! model outputs for its rows (same order) and return indices; they never run
//! the model. [`sobol_indices`] works on a Saltelli design; [`morris_effects`]
//! on a Morris design; both take grouped designs too and then return one
//! index per group. [`noise_floor`] tells which indices stand above the
//! noise floor that a dummy factor (a column the model never reads) sets.

mod morris;
mod noise;
mod sobol;

pub use morris::{
    MorrisEffects, MorrisOptions, morris_effects, morris_effects_of_moves, morris_effects_with,
};
pub use noise::{NoiseFloor, noise_floor};
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

#[cfg(test)]
pub(crate) mod g_function {
    //! Sobol's G function (Saltelli et al. 2010, eq. 30) on `[0,1]^k`,
    //! `G(x) = Π (|4x_i − 2| + a_i)/(1 + a_i)`, and its analytic partial
    //! variances: `V_i = 1/(3(1 + a_i)²)`, and for a set `u` of factors the
    //! closed variance `V_u^c = Π_{i∈u}(1 + V_i) − 1`; `V = V^c` of all factors.

    /// Evaluates the function (columns beyond `a.len()` are not read).
    pub(crate) fn at(a: &[f64], x: &[f64]) -> f64 {
        a.iter()
            .zip(x)
            .map(|(ai, xi)| ((4.0 * xi - 2.0).abs() + ai) / (1.0 + ai))
            .product()
    }

    /// `V_u^c` of the factors `u` (indices into `a`; others ignored).
    pub(crate) fn closed_variance(a: &[f64], u: &[usize]) -> f64 {
        u.iter()
            .filter(|&&i| i < a.len())
            .map(|&i| 1.0 + 1.0 / (3.0 * (1.0 + a[i]).powi(2)))
            .product::<f64>()
            - 1.0
    }

    /// Analytic (first-order closed, total) indices of the set `u` when
    /// independent noise of variance `noise` is added to every run: the
    /// Saltelli and Jansen estimators then target `V_u^c / (V + σ²)` and
    /// `(V − V_{∼u}^c + σ²) / (V + σ²)`.
    pub(crate) fn indices(a: &[f64], u: &[usize], noise: f64) -> (f64, f64) {
        let all: Vec<usize> = (0..a.len()).collect();
        let rest: Vec<usize> = all.iter().copied().filter(|i| !u.contains(i)).collect();
        let v = closed_variance(a, &all);
        (
            closed_variance(a, u) / (v + noise),
            (v - closed_variance(a, &rest) + noise) / (v + noise),
        )
    }
}
