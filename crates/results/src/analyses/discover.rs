//! Scenario discovery with PRIM (Friedman & Fisher 1999; Bryant & Lempert
//! 2010). The runs that reached a chosen future are the cases of interest;
//! the columns are the uncertainties the plan varied and that the runs
//! played (a figure of a shock other than the one played is left out: it
//! cannot have mattered), plus the course of action as a category when all
//! are analysed together. For each box (covering: the runs of a box are
//! removed before the next) the analysis gives the peeling and pasting
//! trajectory with coverage and density, the step chosen (by density,
//! coverage or number), the restrictions dropped because their quasi-p
//! value is not significant, the limits left in the uncertainties' own
//! units with their quasi-p values; and, by bootstrap, how often each
//! uncertainty is restricted in the first box.

use super::{Analysis, Results, finite};
use crate::error::ResultsError;
use patronfall_analysis::prim::{
    self, Column, CoveringOptions, FoundBox, Limit, PrimData, PrimOptions, Selection, Trajectory,
    covering, restriction_frequency,
};
use patronfall_scenario::paths::shock_of;
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
    /// The source keys the figure rests on (none for `coa`).
    pub sources: Vec<String>,
    /// What they are: `sourced`, `mixed`, `assumption` or `unsourced`
    /// (empty for `coa`, a choice rather than a figure).
    pub basis: String,
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

/// A restriction dropped because its quasi-p value was not significant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DroppedBound {
    /// The uncertainty's path, or `coa`.
    pub path: String,
    /// The bound.
    pub bound: Bound,
    /// Its quasi-p value when it was dropped.
    pub p: f64,
}

/// One box of the covering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiscoveredBox {
    /// The step chosen on the trajectory.
    pub chosen_step: usize,
    /// Share of all the cases of interest inside the box (0–1).
    pub coverage: f64,
    /// Share of the runs inside that reached the future (0–1), among the
    /// runs left by the boxes before it.
    pub density: f64,
    /// Share of all runs inside (0–1).
    pub mass: f64,
    /// The box's restrictions (after dropping the insignificant ones).
    pub limits: Vec<BoxLimit>,
    /// Quasi-p values of the restricted bounds.
    pub quasi_p: Vec<QuasiP>,
    /// Restrictions of the chosen step dropped as not significant.
    pub dropped: Vec<DroppedBound>,
    /// The trajectory on the runs left by the boxes before it.
    pub trajectory: Vec<Step>,
}

/// How often an uncertainty is restricted in the first box of a resample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stability {
    /// The uncertainty's path, or `coa`.
    pub path: String,
    /// Share of the resamples whose first box restricts it (0–1).
    pub share: f64,
}

/// The bootstrap of the first box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resampled {
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples on which a box met the selection.
    pub found: usize,
    /// Seed of the resampling.
    pub seed: u64,
    /// Every uncertainty restricted in at least one resample, most often first.
    pub restricted: Vec<Stability>,
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
    /// How the step of each trajectory was chosen, e.g. `density ≥ 0.8`.
    pub selection: String,
    /// Significance level of the quasi-p values (restrictions above it are
    /// dropped); `null`: every restriction kept.
    pub significance: Option<f64>,
    /// Varied figures left out because they belong to a shock not played.
    pub not_played: Vec<String>,
    /// The boxes, in the order covering found them.
    pub boxes: Vec<DiscoveredBox>,
    /// How stable the first box's restrictions are; `null` if not resampled.
    pub resampling: Option<Resampled>,
}

impl Analysis for Discovery {
    const NAME: &'static str = "discover";
}

/// What `analyze discover` asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request<'a> {
    /// The future whose runs are the cases of interest.
    pub future: &'a str,
    /// One course of action's runs, or all (`None`).
    pub coa: Option<&'a str>,
    /// Which step of each trajectory is the box.
    pub selection: Selection,
    /// Smallest mass PRIM may peel to (0–1).
    pub mass_min: f64,
    /// Significance level for dropping restrictions, or `None` to keep all.
    pub significance: Option<f64>,
    /// Most boxes to find.
    pub boxes: usize,
    /// Bootstrap resamples of the first box (0: none).
    pub resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
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
    for path in played(results).0 {
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

/// The varied figures the runs played, and those of a shock not played.
fn played(results: &Results) -> (Vec<String>, Vec<String>) {
    let shock = results.manifest.shock.as_str();
    results
        .varied()
        .into_iter()
        .partition(|p| shock_of(p).is_none_or(|s| s == shock))
}

fn bound(b: prim::Bound) -> Bound {
    match b {
        prim::Bound::Lower => Bound::Lower,
        prim::Bound::Upper => Bound::Upper,
        prim::Bound::Categories => Bound::Categories,
    }
}

/// The JSON of one box.
fn discovered(results: &Results, b: &FoundBox) -> DiscoveredBox {
    let mut limits = Vec::new();
    let mut quasi_p = Vec::new();
    for r in &b.report.restrictions {
        let (sources, basis) = results.trace(std::slice::from_ref(&r.name));
        limits.push(match &r.limit {
            Limit::Range { lower, upper } => BoxLimit {
                path: r.name.clone(),
                low: finite(*lower),
                high: finite(*upper),
                categories: Vec::new(),
                sources,
                basis,
            },
            Limit::Categories(set) => BoxLimit {
                path: r.name.clone(),
                low: None,
                high: None,
                categories: set
                    .iter()
                    .filter_map(|&c| results.manifest.coas.get(c).cloned())
                    .collect(),
                sources,
                basis,
            },
        });
        for (b, p) in &r.quasi_p {
            quasi_p.push(QuasiP {
                path: r.name.clone(),
                bound: bound(*b),
                p: *p,
            });
        }
    }
    DiscoveredBox {
        chosen_step: b.chosen,
        coverage: b.coverage,
        density: b.density,
        mass: b.mass,
        limits,
        quasi_p,
        dropped: b
            .dropped
            .iter()
            .map(|d| DroppedBound {
                path: d.name.clone(),
                bound: bound(d.bound),
                p: d.quasi_p,
            })
            .collect(),
        trajectory: steps(&b.trajectory),
    }
}

/// The selection as the JSON and the tables name it.
fn selection_text(s: Selection) -> String {
    match s {
        Selection::Density(d) => format!("density ≥ {d}"),
        Selection::Coverage(c) => format!("coverage ≥ {c}"),
        Selection::Step(i) => format!("step {i}"),
    }
}

/// Computes the analysis.
pub fn analyse(results: &Results, request: &Request) -> Result<Discovery, ResultsError> {
    let future = request.future;
    results.check_future(future)?;
    let share = |name: &'static str, v: f64, closed: bool| {
        let ok = if closed {
            (0.0..=1.0).contains(&v)
        } else {
            (0.0..1.0).contains(&v)
        };
        if ok {
            Ok(())
        } else {
            Err(ResultsError::request(
                Some(name),
                format!(
                    "{v} is not a share in [0, 1{}",
                    if closed { "]" } else { ")" }
                ),
            ))
        }
    };
    match request.selection {
        Selection::Density(d) => share("density", d, true)?,
        Selection::Coverage(c) => share("coverage", c, true)?,
        Selection::Step(_) if request.boxes > 1 => {
            return Err(ResultsError::request(
                Some("point"),
                "a step number chooses one box; choose by --density or --coverage to find several (--boxes)",
            ));
        }
        Selection::Step(_) => {}
    }
    share("mass_min", request.mass_min, false)?;
    if let Some(a) = request.significance
        && !(a > 0.0 && a <= 1.0)
    {
        return Err(ResultsError::request(
            Some("significance"),
            format!("{a} is not a level in (0, 1]"),
        ));
    }
    if request.boxes == 0 {
        return Err(ResultsError::request(
            Some("boxes"),
            "ask for at least one box",
        ));
    }
    let rows: Vec<usize> = match request.coa {
        Some(c) => results.rows_of(c),
        None => (0..results.table.rows.len()).collect(),
    };
    let data = prim_data(results, &rows, request.coa, future)?;
    let options = CoveringOptions {
        prim: PrimOptions {
            mass_min: request.mass_min,
            ..PrimOptions::default()
        },
        selection: request.selection,
        alpha: request.significance,
        boxes: request.boxes,
    };
    let boxes = covering(&data, &options).map_err(|e| {
        let first = prim::find_box(&data, &options.prim).ok();
        let hint = match (request.selection, first) {
            (Selection::Density(d), Some(t)) => format!(
                "no box on the trajectory reaches density {d}; the densest has {:.3}; pass a lower --density",
                t.steps.iter().map(|s| s.density).fold(0.0, f64::max)
            ),
            (Selection::Coverage(c), Some(_)) => {
                format!("no box on the trajectory covers {c} of the cases; pass a lower --coverage")
            }
            (Selection::Step(i), Some(t)) => format!(
                "the trajectory has steps 0 to {}, not {i}; pass a --point in that range",
                t.steps.len() - 1
            ),
            _ => e.to_string(),
        };
        let field = match request.selection {
            Selection::Density(_) => "density",
            Selection::Coverage(_) => "coverage",
            Selection::Step(_) => "point",
        };
        ResultsError::request(Some(field), hint)
    })?;
    let resampling = if request.resamples > 0 {
        let r = restriction_frequency(
            &data,
            &options.prim,
            request.selection,
            request.significance,
            request.resamples,
            request.seed,
        )
        .map_err(ResultsError::analysis("PRIM resampling"))?;
        let mut restricted: Vec<Stability> = data
            .columns()
            .iter()
            .zip(&r.frequency)
            .filter(|(_, f)| **f > 0.0)
            .map(|(c, &f)| Stability {
                path: c.name.clone(),
                share: f,
            })
            .collect();
        restricted.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.path.cmp(&b.path)));
        Some(Resampled {
            resamples: r.resamples,
            found: r.found,
            seed: request.seed,
            restricted,
        })
    } else {
        None
    };
    Ok(Discovery {
        future: future.to_string(),
        coa: request.coa.map(String::from),
        runs: data.rows(),
        cases_of_interest: data.cases_of_interest(),
        selection: selection_text(request.selection),
        significance: request.significance,
        not_played: played(results).1,
        boxes: boxes.iter().map(|b| discovered(results, b)).collect(),
        resampling,
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
