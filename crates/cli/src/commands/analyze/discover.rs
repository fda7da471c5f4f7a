//! `patronfall analyze discover`: scenario discovery with PRIM (Friedman &
//! Fisher 1999; Bryant & Lempert 2010). The runs that reached a chosen future
//! are the cases of interest; the columns are the uncertainties the plan
//! varied (plus the course of action as a category when all are analysed
//! together). The report gives the peeling trajectory, the chosen box (the
//! highest-coverage step whose density reaches `--density`) with its limits
//! in the uncertainties' own units, and a quasi-p value per restricted bound.

use super::runs::{self, Results};
use super::{finite, save_json};
use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_analysis::prim::{
    Bound, Column, Limit, Phase, PrimData, PrimOptions, Trajectory, find_box,
};
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `patronfall analyze discover`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory.
    pub dir: PathBuf,
    /// The future whose runs are the cases of interest.
    #[arg(long)]
    pub future: String,
    /// Only the runs of this course of action (all, with the course of action as a column, if absent).
    #[arg(long)]
    pub coa: Option<String>,
    /// Smallest density (share of cases of interest inside) of the chosen box, 0–1.
    #[arg(long, default_value_t = 0.8)]
    pub density: f64,
    /// Smallest mass (share of runs inside) PRIM may peel to, 0–1.
    #[arg(long, default_value_t = 0.05)]
    pub mass_min: f64,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// The chosen box's limit on one column (numeric: `low`–`high`; categorical: `categories`).
#[derive(Debug, Serialize)]
pub struct LimitOut {
    path: String,
    low: Option<f64>,
    high: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
}

/// The quasi-p value of one restricted bound.
#[derive(Debug, Serialize)]
pub struct QuasiP {
    path: String,
    /// `lower`, `upper` or `categories`.
    bound: &'static str,
    p: f64,
}

/// One step of the peeling and pasting trajectory.
#[derive(Debug, Serialize)]
pub struct Step {
    step: usize,
    /// `initial`, `peel` or `paste`.
    phase: &'static str,
    coverage: f64,
    density: f64,
    mass: f64,
    restricted_dims: usize,
}

/// Everything `analyze discover` reports.
#[derive(Debug, Serialize)]
pub struct Report {
    future: String,
    /// The course of action analysed, or `null` for all.
    coa: Option<String>,
    runs: usize,
    cases_of_interest: usize,
    density_threshold: f64,
    chosen_step: usize,
    coverage: f64,
    density: f64,
    mass: f64,
    limits: Vec<LimitOut>,
    quasi_p: Vec<QuasiP>,
    trajectory: Vec<Step>,
}

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = runs::open(&args.dir)?;
    results.check_future(&args.future)?;
    if !(0.0..=1.0).contains(&args.density) {
        return Err(Failure::bad_input(format!(
            "--density: {} is not a share between 0 and 1",
            args.density
        )));
    }
    if !(0.0..1.0).contains(&args.mass_min) {
        return Err(Failure::bad_input(format!(
            "--mass-min: {} is not a share in [0, 1)",
            args.mass_min
        )));
    }
    let coa = match &args.coa {
        Some(c) => Some(results.coa_or_first(Some(c), "--coa")?),
        None => None,
    };
    let report = analyse(
        &results,
        &args.future,
        coa.as_deref(),
        args.density,
        args.mass_min,
    )?;
    if !args.json {
        print(&report);
    }
    save_json(&args.dir, "discover", &report, args.json)
}

/// The PRIM input: one column per varied uncertainty (and the course of
/// action when `coa` is `None`), over the selected rows.
fn prim_data(
    results: &Results,
    rows: &[usize],
    coa: Option<&str>,
    future: &str,
) -> Result<PrimData, Failure> {
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
        let names = results.coas();
        let codes = rows
            .iter()
            .map(|&r| {
                results
                    .manifest
                    .coas
                    .iter()
                    .position(|c| c == names[r])
                    .unwrap_or_default()
            })
            .collect();
        columns.push(Column::categorical(
            "coa",
            results.manifest.coas.clone(),
            codes,
        ));
    }
    if columns.is_empty() {
        return Err(Failure::bad_input(
            "these results varied no uncertainty; there is nothing to discover",
        ));
    }
    let flags = results.future_flags(future);
    let interest: Vec<bool> = rows.iter().map(|&r| flags[r]).collect();
    if !interest.iter().any(|b| *b) {
        return Err(Failure::bad_input(format!(
            "no run{} reached `{future}`; there is no case of interest to explain",
            coa.map_or(String::new(), |c| format!(" of `{c}`"))
        )));
    }
    PrimData::new(columns, interest).map_err(|e| Failure::failed(e.to_string()))
}

/// Computes the report.
pub fn analyse(
    results: &Results,
    future: &str,
    coa: Option<&str>,
    density: f64,
    mass_min: f64,
) -> Result<Report, Failure> {
    let rows: Vec<usize> = match coa {
        Some(c) => results.rows_of(c),
        None => (0..results.table.rows.len()).collect(),
    };
    let data = prim_data(results, &rows, coa, future)?;
    let options = PrimOptions {
        mass_min,
        ..PrimOptions::default()
    };
    let trajectory = find_box(&data, &options).map_err(|e| Failure::failed(e.to_string()))?;
    let chosen = trajectory.select_by_density(density).map_err(|_| {
        let best = trajectory.steps.iter().map(|s| s.density).fold(0.0, f64::max);
        Failure::bad_input(format!(
            "--density: no box on the trajectory reaches density {density}; the densest has {best:.3}; pass a lower --density"
        ))
    })?;
    let boxed = trajectory
        .inspect(&data, chosen)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let mut limits = Vec::new();
    let mut quasi_p = Vec::new();
    for r in &boxed.restrictions {
        limits.push(match &r.limit {
            Limit::Range { lower, upper } => LimitOut {
                path: r.name.clone(),
                low: finite(*lower),
                high: finite(*upper),
                categories: Vec::new(),
            },
            Limit::Categories(set) => LimitOut {
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
                    Bound::Lower => "lower",
                    Bound::Upper => "upper",
                    Bound::Categories => "categories",
                },
                p: *p,
            });
        }
    }
    Ok(Report {
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
                Phase::Initial => "initial",
                Phase::Peel => "peel",
                Phase::Paste => "paste",
            },
            coverage: s.coverage,
            density: s.density,
            mass: s.mass,
            restricted_dims: s.restricted_dims,
        })
        .collect()
}

fn print(r: &Report) {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "step",
        "phase",
        "coverage",
        "density",
        "mass",
        "restricted",
    ]);
    for s in &r.trajectory {
        let mark = if s.step == r.chosen_step { " ◀" } else { "" };
        t.add_row(vec![
            format!("{}{mark}", s.step),
            s.phase.to_string(),
            format!("{:.3}", s.coverage),
            format!("{:.3}", s.density),
            format!("{:.3}", s.mass),
            s.restricted_dims.to_string(),
        ]);
    }
    outln!(
        "PRIM on {} runs{} ({} reached `{}`): peeling trajectory\n{t}",
        r.runs,
        r.coa
            .as_ref()
            .map_or(String::new(), |c| format!(" of `{c}`")),
        r.cases_of_interest,
        r.future
    );
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_header(vec!["uncertainty", "box", "quasi-p"]);
    for l in &r.limits {
        let range = if l.categories.is_empty() {
            format!(
                "{} – {}",
                l.low.map_or("–".into(), crate::output::value),
                l.high.map_or("–".into(), crate::output::value)
            )
        } else {
            format!("{{{}}}", l.categories.join(", "))
        };
        let ps: Vec<String> = r
            .quasi_p
            .iter()
            .filter(|q| q.path == l.path)
            .map(|q| format!("{} {:.2e}", q.bound, q.p))
            .collect();
        t.add_row(vec![l.path.clone(), range, ps.join(", ")]);
    }
    outln!(
        "\nChosen box (step {}, density ≥ {}): coverage {:.3}, density {:.3}, mass {:.3}\n{t}",
        r.chosen_step,
        r.density_threshold,
        r.coverage,
        r.density,
        r.mass
    );
}
