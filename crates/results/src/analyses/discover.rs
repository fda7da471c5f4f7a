//! Scenario discovery with PRIM (Friedman & Fisher 1999; Bryant & Lempert
//! 2010). The runs that reached a chosen future are the cases of interest;
//! the columns are the uncertainties the plan varied (plus the course of
//! action as a category when all are analysed together). The analysis gives
//! the peeling trajectory, the chosen box (the highest-coverage step whose
//! density reaches the threshold) with its limits in the uncertainties' own
//! units, and a quasi-p value per restricted bound.

use super::{Analysis, Results, finite};
use crate::error::ResultsError;
use patronfall_analysis::prim::{self, Column, Limit, PrimData, PrimOptions, Trajectory, find_box};
use serde::{Deserialize, Serialize};

/// The chosen box's limit on one column: a range for a number, a set of
/// names for a category (the course of action).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoxLimit {
    /// The uncertainty's path, or `coa`.
    pub path: String,
    /// Lowest value inside the box (`null` for a category).
    pub low: Option<f64>,
    /// Highest value inside the box (`null` for a category).
    pub high: Option<f64>,
    /// The categories inside the box (absent for a number).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

/// Which bound of a restriction a quasi-p value is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// The lower bound of a range.
    Lower,
    /// The upper bound of a range.
    Upper,
    /// The set of categories.
    Categories,
}

/// The quasi-p value of one restricted bound.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuasiP {
    /// The uncertainty's path, or `coa`.
    pub path: String,
    /// The bound.
    pub bound: Bound,
    /// The value (0–1).
    pub p: f64,
}

/// What a step of the trajectory did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// The whole space.
    Initial,
    /// A peel.
    Peel,
    /// A paste.
    Paste,
}

/// One step of the peeling and pasting trajectory (shares 0–1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Its number (0 is the whole space).
    pub step: usize,
    /// What it did.
    pub phase: Phase,
    /// Share of the cases of interest inside the box.
    pub coverage: f64,
    /// Share of the runs inside the box that are cases of interest.
    pub density: f64,
    /// Share of the runs inside the box.
    pub mass: f64,
    /// Columns the box restricts.
    pub restricted_dims: usize,
}

/// `analysis/discover.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// The future whose runs are the cases of interest.
    pub future: String,
    /// The course of action analysed, or `null` for all.
    pub coa: Option<String>,
    /// Runs analysed.
    pub runs: usize,
    /// Runs that reached the future.
    pub cases_of_interest: usize,
    /// Smallest density asked of the chosen box (0–1).
    pub density_threshold: f64,
    /// The chosen step of the trajectory.
    pub chosen_step: usize,
    /// The chosen box's coverage (0–1).
    pub coverage: f64,
    /// The chosen box's density (0–1).
    pub density: f64,
    /// The chosen box's mass (0–1).
    pub mass: f64,
    /// The chosen box's restrictions.
    pub limits: Vec<BoxLimit>,
    /// Quasi-p values of the restricted bounds.
    pub quasi_p: Vec<QuasiP>,
    /// The whole trajectory.
    pub trajectory: Vec<Step>,
}

impl Analysis for Discovery {
    const NAME: &'static str = "discover";
}

/// The PRIM input: one column per varied uncertainty (and the course of
/// action when `coa` is `None`), over the selected rows.
fn prim_data(
    results: &Results,
    rows: &[usize],
    coa: Option<&str>,
    future: &str,
) -> Result<PrimData, ResultsError> {
    let mut columns = Vec::new();
    for path in results.varied() {
        let all = results.numeric(&path)?;
        let values: Vec<f64> = rows.iter().map(|&r| all[r]).collect();
        let integral = results
            .manifest
            .uncertainties
            .iter()
            .any(|u| u.path == path && u.dist == "discrete")
            && values.iter().all(|v| v.fract() == 0.0 && v.abs() < 9.0e15);
        columns.push(if integral {
            Column::discrete(&path, values.iter().map(|v| *v as i64).collect())
        } else {
            Column::continuous(&path, values)
        });
    }
    if coa.is_none() && results.manifest.coas.len() > 1 {
        let codes = rows.iter().map(|&r| results.coa[r]).collect();
        columns.push(Column::categorical(
            "coa",
            results.manifest.coas.clone(),
            codes,
        ));
    }
    if columns.is_empty() {
        return Err(ResultsError::request(
            None,
            "these results varied no uncertainty; there is nothing to discover",
        ));
    }
    let flags = results.future_flags(future);
    let interest: Vec<bool> = rows.iter().map(|&r| flags[r]).collect();
    if !interest.iter().any(|b| *b) {
        return Err(ResultsError::request(
            Some("future"),
            format!(
                "no run{} reached `{future}`; there is no case of interest to explain",
                coa.map_or(String::new(), |c| format!(" of `{c}`"))
            ),
        ));
    }
    PrimData::new(columns, interest).map_err(ResultsError::analysis("PRIM"))
}

/// Computes the analysis: `future` a future of the results, `coa` one of
/// their courses of action or `None` for all, `density` and `mass_min`
/// shares (0–1).
pub fn analyse(
    results: &Results,
    future: &str,
    coa: Option<&str>,
    density: f64,
    mass_min: f64,
) -> Result<Discovery, ResultsError> {
    results.check_future(future)?;
    if !(0.0..=1.0).contains(&density) {
        return Err(ResultsError::request(
            Some("density"),
            format!("{density} is not a share between 0 and 1"),
        ));
    }
    if !(0.0..1.0).contains(&mass_min) {
        return Err(ResultsError::request(
            Some("mass_min"),
            format!("{mass_min} is not a share in [0, 1)"),
        ));
    }
    let rows: Vec<usize> = match coa {
        Some(c) => results.rows_of(c),
        None => (0..results.table.rows.len()).collect(),
    };
    let data = prim_data(results, &rows, coa, future)?;
    let options = PrimOptions {
        mass_min,
        ..PrimOptions::default()
    };
    let trajectory = find_box(&data, &options).map_err(ResultsError::analysis("PRIM"))?;
    let chosen = trajectory.select_by_density(density).map_err(|_| {
        let best = trajectory.steps.iter().map(|s| s.density).fold(0.0, f64::max);
        ResultsError::request(
            Some("density"),
            format!(
                "no box on the trajectory reaches density {density}; the densest has {best:.3}; pass a lower --density"
            ),
        )
    })?;
    let boxed = trajectory
        .inspect(&data, chosen)
        .map_err(ResultsError::analysis("PRIM"))?;
    let mut limits = Vec::new();
    let mut quasi_p = Vec::new();
    for r in &boxed.restrictions {
        limits.push(match &r.limit {
            Limit::Range { lower, upper } => BoxLimit {
                path: r.name.clone(),
                low: finite(*lower),
                high: finite(*upper),
                categories: Vec::new(),
            },
            Limit::Categories(set) => BoxLimit {
                path: r.name.clone(),
                low: None,
                high: None,
                categories: set
                    .iter()
                    .filter_map(|&c| results.manifest.coas.get(c).cloned())
                    .collect(),
            },
        });
        for (bound, p) in &r.quasi_p {
            quasi_p.push(QuasiP {
                path: r.name.clone(),
                bound: match bound {
                    prim::Bound::Lower => Bound::Lower,
                    prim::Bound::Upper => Bound::Upper,
                    prim::Bound::Categories => Bound::Categories,
                },
                p: *p,
            });
        }
    }
    Ok(Discovery {
        future: future.to_string(),
        coa: coa.map(String::from),
        runs: data.rows(),
        cases_of_interest: data.cases_of_interest(),
        density_threshold: density,
        chosen_step: chosen,
        coverage: boxed.coverage,
        density: boxed.density,
        mass: boxed.mass,
        limits,
        quasi_p,
        trajectory: steps(&trajectory),
    })
}

fn steps(t: &Trajectory) -> Vec<Step> {
    t.steps
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            step: i,
            phase: match s.phase {
                prim::Phase::Initial => Phase::Initial,
                prim::Phase::Peel => Phase::Peel,
                prim::Phase::Paste => Phase::Paste,
            },
            coverage: s.coverage,
            density: s.density,
            mass: s.mass,
            restricted_dims: s.restricted_dims,
        })
        .collect()
}
