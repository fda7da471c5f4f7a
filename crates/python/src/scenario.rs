//! `Scenario`: a validated scenario (`patronfall_scenario::Scenario`) as a
//! Python object, with its uncertain figures, courses of action and
//! futures, and `with_values`, which fixes uncertain figures by path.

use crate::errors::{argument, guard, scenario_error};
use patronfall_scenario::{Dist, Reading, Scenario};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A validated scenario. `Scenario.load(name_or_path)` opens a built-in
/// scenario by name or a scenario file by path.
#[pyclass(name = "Scenario", module = "patronfall", frozen)]
pub struct PyScenario {
    /// The scenario, with the fixed figures applied to its world and taken
    /// out of its uncertainties.
    pub inner: Arc<Scenario>,
    /// Figures fixed by `with_values`, by path.
    pub fixed: BTreeMap<String, f64>,
}

/// An uncertain figure of a scenario.
#[pyclass(name = "Uncertainty", module = "patronfall", frozen, get_all)]
pub struct PyUncertainty {
    /// Its path, e.g. `armed_group.kh.fighters`.
    pub path: String,
    /// Its distribution's name: uniform, triangular, normal, beta, discrete.
    pub distribution: String,
    /// The distribution's parameters by the scenario format's names.
    pub parameters: Py<PyDict>,
    /// The value a single run uses.
    pub nominal: f64,
    /// Smallest valid value (samples are clamped to it).
    pub min: f64,
    /// Largest valid value (samples are clamped to it).
    pub max: f64,
    /// The source keys it rests on.
    pub sources: Vec<String>,
}

#[pymethods]
impl PyUncertainty {
    fn __repr__(&self) -> String {
        format!(
            "Uncertainty({:?}, {}, nominal={})",
            self.path, self.distribution, self.nominal
        )
    }
}

/// A course of action or a future: its id, display name and meaning.
#[pyclass(name = "Entry", module = "patronfall", frozen, get_all)]
pub struct PyEntry {
    /// Identifier, as outputs and options name it.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it means.
    pub description: String,
}

#[pymethods]
impl PyEntry {
    fn __repr__(&self) -> String {
        format!("Entry({:?}, {:?})", self.id, self.name)
    }
}

#[pymethods]
impl PyScenario {
    /// Opens a built-in scenario by name or a scenario file by path;
    /// `vary_parameters` makes the model's parameters uncertain figures
    /// too (the CLI's `--vary-parameters`). Raises `ScenarioError`.
    #[staticmethod]
    #[pyo3(signature = (name_or_path, *, vary_parameters = false))]
    fn load(py: Python<'_>, name_or_path: PathBuf, vary_parameters: bool) -> PyResult<Self> {
        let name = name_or_path.to_string_lossy().into_owned();
        let reading = Reading { vary_parameters };
        let opened = guard(|| patronfall_scenario::open_with(&name, reading))?;
        match opened {
            Ok(s) => Ok(PyScenario {
                inner: Arc::new(s),
                fixed: BTreeMap::new(),
            }),
            Err(e) => Err(scenario_error(py, &e)),
        }
    }

    /// The names of the built-in scenarios.
    #[staticmethod]
    fn builtins() -> Vec<String> {
        patronfall_scenario::BUILTINS
            .iter()
            .map(|(name, ..)| name.to_string())
            .collect()
    }

    /// Identifier from `[scenario]`.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// Title.
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    /// The file it was read from (`builtin:NAME` for a built-in).
    #[getter]
    fn file(&self) -> &str {
        &self.inner.file
    }

    /// SHA-256 of the file's bytes, hex.
    #[getter]
    fn sha256(&self) -> &str {
        &self.inner.hash
    }

    /// Days a run lasts unless told otherwise.
    #[getter]
    fn horizon_days(&self) -> u32 {
        self.inner.world.horizon_days
    }

    /// Its uncertain figures, in file order (without those fixed by
    /// `with_values`).
    #[getter]
    fn uncertainties(&self, py: Python<'_>) -> PyResult<Vec<PyUncertainty>> {
        self.inner
            .uncertainties
            .iter()
            .map(|u| {
                Ok(PyUncertainty {
                    path: u.path.clone(),
                    distribution: u.dist.name().to_string(),
                    parameters: dist_parameters(py, &u.dist)?.unbind(),
                    nominal: u.nominal,
                    min: u.min,
                    max: u.max,
                    sources: u.sources.clone(),
                })
            })
            .collect()
    }

    /// Its courses of action, in file order.
    #[getter]
    fn coas(&self) -> Vec<PyEntry> {
        entries(&self.inner.ids.coas, &self.inner.coas)
    }

    /// Its futures, in rule order.
    #[getter]
    fn futures(&self) -> Vec<PyEntry> {
        entries(&self.inner.ids.futures, &self.inner.futures)
    }

    /// Its shocks' ids.
    #[getter]
    fn shocks(&self) -> Vec<String> {
        self.inner.ids.shocks.clone()
    }

    /// The course of action played by default.
    #[getter]
    fn default_coa(&self) -> &str {
        &self.inner.ids.coas[self.inner.default_coa.index()]
    }

    /// The shock played by default, if any.
    #[getter]
    fn default_shock(&self) -> Option<&str> {
        self.inner
            .default_shock
            .map(|k| self.inner.ids.shocks[k.index()].as_str())
    }

    /// The figures fixed by `with_values`, by path.
    #[getter]
    fn fixed(&self) -> BTreeMap<String, f64> {
        self.fixed.clone()
    }

    /// A copy with uncertain figures fixed: `values` maps a figure's path
    /// to its value, which must lie within the figure's valid range
    /// (`min`–`max`). The fixed figures are no longer uncertain. Raises
    /// `ValueError` for an unknown path or a value out of range.
    fn with_values(&self, values: BTreeMap<String, f64>) -> PyResult<PyScenario> {
        let s = &self.inner;
        for (path, value) in &values {
            let Some(u) = s.uncertainties.iter().find(|u| &u.path == path) else {
                let fixed = if self.fixed.contains_key(path) {
                    " (it is already fixed)"
                } else {
                    ""
                };
                return Err(argument(
                    "with_values",
                    format!(
                        "`{path}` is not an uncertain figure of {}{fixed}; `scenario.uncertainties` lists them",
                        s.id
                    ),
                ));
            };
            if !value.is_finite() || *value < u.min || *value > u.max {
                return Err(argument(
                    "with_values",
                    format!(
                        "`{path}` = {value} is outside its valid range {}–{}",
                        u.min, u.max
                    ),
                ));
            }
        }
        let sample: Vec<f64> = s
            .uncertainties
            .iter()
            .map(|u| values.get(&u.path).copied().unwrap_or(u.nominal))
            .collect();
        let mut fixed_scenario = (**s).clone();
        fixed_scenario.world = guard(|| s.world_with(&sample))?;
        fixed_scenario
            .uncertainties
            .retain(|u| !values.contains_key(&u.path));
        let mut fixed = self.fixed.clone();
        fixed.extend(values);
        Ok(PyScenario {
            inner: Arc::new(fixed_scenario),
            fixed,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario({:?}, {} uncertainties, {} courses of action)",
            self.inner.id,
            self.inner.uncertainties.len(),
            self.inner.ids.coas.len()
        )
    }
}

fn entries(ids: &[String], described: &[patronfall_scenario::Described]) -> Vec<PyEntry> {
    ids.iter()
        .zip(described)
        .map(|(id, d)| PyEntry {
            id: id.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
        })
        .collect()
}

/// A distribution's parameters by the scenario format's names.
fn dist_parameters<'py>(py: Python<'py>, d: &Dist) -> PyResult<Bound<'py, PyDict>> {
    let p = PyDict::new(py);
    match d {
        Dist::Uniform { low, high } => {
            p.set_item("low", low)?;
            p.set_item("high", high)?;
        }
        Dist::Triangular { low, mode, high } => {
            p.set_item("low", low)?;
            p.set_item("mode", mode)?;
            p.set_item("high", high)?;
        }
        Dist::Normal { mean, sd } => {
            p.set_item("mean", mean)?;
            p.set_item("sd", sd)?;
        }
        Dist::Beta {
            alpha,
            beta,
            low,
            high,
        } => {
            p.set_item("alpha", alpha)?;
            p.set_item("beta", beta)?;
            p.set_item("low", low)?;
            p.set_item("high", high)?;
        }
        Dist::Discrete { values, weights } => {
            p.set_item("values", values.clone())?;
            p.set_item("weights", weights.clone())?;
        }
    }
    Ok(p)
}
