//! The package's exceptions, and the guard around every call into the
//! libraries.
//!
//! `PatronfallError` is the base class; `ScenarioError` carries the file,
//! line, column, field, message and help of a scenario's first problem
//! (and every problem in `problems`); `ResultsError` names the results file
//! at fault. A wrong argument (an unknown course of action, a bad sampler
//! name) is a `ValueError` naming the argument, as the CLI names its flag.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    patronfall,
    PatronfallError,
    PyException,
    "A failure of patronfall: the base class of its exceptions."
);
create_exception!(
    patronfall,
    ScenarioError,
    PatronfallError,
    "A scenario that cannot be used. `file`, `line`, `column`, `field`, `message` and `help` \
     describe its first problem; `problems` lists every problem as dicts with the same keys."
);
create_exception!(
    patronfall,
    ResultsError,
    PatronfallError,
    "A results directory that cannot be written, read or analysed. `file` names the file at \
     fault (or is None), `bad_input` says whether the input must be fixed."
);

/// A scenario's problems as a `ScenarioError`.
pub fn scenario_error(py: Python<'_>, e: &patronfall_scenario::ScenarioError) -> PyErr {
    let err = ScenarioError::new_err(e.render());
    let problems: Vec<Bound<'_, PyDict>> = match e
        .problems
        .iter()
        .map(|p| problem_dict(py, e, p))
        .collect::<PyResult<_>>()
    {
        Ok(p) => p,
        Err(failure) => return failure,
    };
    let value = err.value(py);
    let first = problems.first();
    let attr = |name: &str| -> Option<Bound<'_, PyAny>> {
        first.and_then(|d| d.get_item(name).ok().flatten())
    };
    for name in ["line", "column", "field", "message", "help"] {
        let _ = value.setattr(name, attr(name));
    }
    let _ = value.setattr("file", &e.file);
    let _ = value.setattr("problems", problems);
    err
}

fn problem_dict<'py>(
    py: Python<'py>,
    e: &patronfall_scenario::ScenarioError,
    p: &patronfall_scenario::Problem,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let (line, column) = match &p.span {
        Some(span) => {
            let (l, c) = patronfall_scenario::error::line_col(&e.text, span.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    d.set_item("file", &e.file)?;
    d.set_item("line", line)?;
    d.set_item("column", column)?;
    d.set_item("field", &p.field)?;
    d.set_item("message", &p.message)?;
    d.set_item("help", &p.help)?;
    Ok(d)
}

/// A results-directory failure as a `ResultsError`.
pub fn results_error(py: Python<'_>, e: &patronfall_results::ResultsError) -> PyErr {
    let err = ResultsError::new_err(e.to_string());
    let value = err.value(py);
    let _ = value.setattr("file", e.file().map(|f| f.display().to_string()));
    let _ = value.setattr("bad_input", e.is_bad_input());
    err
}

/// A wrong argument: a `ValueError` that names it.
pub fn argument(name: &str, message: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("{name}: {message}"))
}

/// Runs `f`, turning a Rust panic into a `PatronfallError` that says it is
/// a bug, so that none unwinds into Python.
pub fn guard<T>(f: impl FnOnce() -> T) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        PatronfallError::new_err(format!(
            "internal error (a bug in patronfall, please report it with the call that caused it): {what}"
        ))
    })
}
