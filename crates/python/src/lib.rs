//! `patronfall._native`: the workspace's libraries as a Python extension
//! module. The Python package `patronfall` (`python/patronfall/`) wraps it:
//! the module hands out plain Python values and Arrow tables (pyarrow,
//! through the Arrow C data interface), and the package turns the tables
//! into polars or pandas DataFrames.
//!
//! - [`scenario`]: `Scenario`, its uncertainties, courses of action and
//!   futures, and `with_values`.
//! - [`run`]: one run, its outcome record and its daily series.
//! - [`ensemble`]: an ensemble into a results directory, with the GIL
//!   released, as `patronfall ensemble` writes it; and `merge`.
//! - [`results`]: reading a results directory and its analyses.
//! - [`errors`]: the exception classes, and the guard that keeps a Rust
//!   panic from reaching Python.
//!
//! No model arithmetic lives here: each function calls the libraries the
//! CLI calls.

use pyo3::prelude::*;

mod arrow;
mod ensemble;
mod errors;
mod results;
mod run;
mod scenario;

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PatronfallError", py.get_type::<errors::PatronfallError>())?;
    m.add("ScenarioError", py.get_type::<errors::ScenarioError>())?;
    m.add("ResultsError", py.get_type::<errors::ResultsError>())?;
    m.add_class::<scenario::PyScenario>()?;
    m.add_class::<scenario::PyUncertainty>()?;
    m.add_class::<scenario::PyEntry>()?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(run::outcome_names, m)?)?;
    m.add_function(wrap_pyfunction!(ensemble::ensemble, m)?)?;
    m.add_function(wrap_pyfunction!(ensemble::merge, m)?)?;
    m.add_function(wrap_pyfunction!(results::read_results, m)?)?;
    m.add_function(wrap_pyfunction!(results::futures, m)?)?;
    m.add_function(wrap_pyfunction!(results::robustness, m)?)?;
    m.add_function(wrap_pyfunction!(results::discover, m)?)?;
    Ok(())
}
