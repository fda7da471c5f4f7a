//! `patronfall analyze discover`: flags and tables; the analysis is
//! `patronfall_results::analyses::discover`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_results::analyses::discover::{Bound, Discovery, Phase, analyse};
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

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = open(&args.dir)?;
    let coa = match &args.coa {
        Some(c) => Some(results.coa_or_first(Some(c), "coa")?),
        None => None,
    };
    let analysis = analyse(
        &results,
        &args.future,
        coa.as_deref(),
        args.density,
        args.mass_min,
    )?;
    if !args.json {
        print(&analysis);
    }
    save(&args.dir, analysis, args.json)
}

fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Initial => "initial",
        Phase::Peel => "peel",
        Phase::Paste => "paste",
    }
}

fn bound(b: Bound) -> &'static str {
    match b {
        Bound::Lower => "lower",
        Bound::Upper => "upper",
        Bound::Categories => "categories",
    }
}

fn print(r: &Discovery) {
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
            phase(s.phase).to_string(),
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
            .map(|q| format!("{} {:.2e}", bound(q.bound), q.p))
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
