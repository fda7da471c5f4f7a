//! `patronfall analyze discover`: flags and tables; the analysis is
//! `patronfall_results::analyses::discover`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_analysis::prim::Selection;
use patronfall_results::analyses::discover::{Bound, Discovery, Phase, Request, analyse};
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
    /// Choose the highest-coverage step with at least this density, 0–1 (0.8 if no choice is given).
    #[arg(long, conflicts_with_all = ["coverage", "point"])]
    pub density: Option<f64>,
    /// Choose the densest step with at least this coverage, 0–1.
    #[arg(long, conflicts_with = "point")]
    pub coverage: Option<f64>,
    /// Choose this step of the trajectory (0 is the whole space; one box only).
    #[arg(long)]
    pub point: Option<usize>,
    /// Smallest mass (share of runs inside) PRIM may peel to, 0–1.
    #[arg(long, default_value_t = 0.05)]
    pub mass_min: f64,
    /// Drop restrictions whose quasi-p value is above this level (1 keeps every restriction).
    #[arg(long, default_value_t = 0.05)]
    pub significance: f64,
    /// Most boxes to find by covering (the runs of a box are removed before the next).
    #[arg(long, default_value_t = 1)]
    pub boxes: usize,
    /// Bootstrap resamples showing how often each uncertainty is restricted in the first box (0: none).
    #[arg(long, default_value_t = 20)]
    pub resamples: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
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
    let selection = match (args.point, args.coverage, args.density) {
        (Some(p), _, _) => Selection::Step(p),
        (None, Some(c), _) => Selection::Coverage(c),
        (None, None, d) => Selection::Density(d.unwrap_or(0.8)),
    };
    let request = Request {
        future: &args.future,
        coa: coa.as_deref(),
        selection,
        mass_min: args.mass_min,
        significance: Some(args.significance),
        boxes: args.boxes,
        resamples: args.resamples,
        seed: args.seed,
    };
    let analysis = analyse(&results, &request)?;
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
    outln!(
        "PRIM on {} runs{} ({} reached `{}`); each box is the step with {}{}",
        r.runs,
        r.coa
            .as_ref()
            .map_or(String::new(), |c| format!(" of `{c}`")),
        r.cases_of_interest,
        r.future,
        r.selection,
        r.significance.map_or(String::new(), |a| format!(
            ", restrictions with quasi-p above {a} dropped"
        ))
    );
    if !r.not_played.is_empty() {
        outln!(
            "left out: {} figure(s) of shocks not played ({})",
            r.not_played.len(),
            r.not_played.join(", ")
        );
    }
    for (k, b) in r.boxes.iter().enumerate() {
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "step",
            "phase",
            "coverage",
            "density",
            "mass",
            "restricted",
        ]);
        for s in &b.trajectory {
            let mark = if s.step == b.chosen_step { " ◀" } else { "" };
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
            "\nBox {}: peeling and pasting trajectory{}\n{t}",
            k + 1,
            if k == 0 {
                String::new()
            } else {
                " on the runs the boxes before it left".into()
            }
        );
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "uncertainty",
            "box",
            "quasi-p",
            "rests on",
        ]);
        for l in &b.limits {
            let range = if l.categories.is_empty() {
                format!(
                    "{} – {}",
                    l.low.map_or("–".into(), crate::output::value),
                    l.high.map_or("–".into(), crate::output::value)
                )
            } else {
                format!("{{{}}}", l.categories.join(", "))
            };
            let ps: Vec<String> = b
                .quasi_p
                .iter()
                .filter(|q| q.path == l.path)
                .map(|q| format!("{} {:.2e}", bound(q.bound), q.p))
                .collect();
            let rests_on = match (l.basis.as_str(), l.sources.as_slice()) {
                ("", _) => String::new(),
                (b, []) => b.to_string(),
                (b, keys) => format!("{b} ({})", keys.join(", ")),
            };
            t.add_row(vec![l.path.clone(), range, ps.join(", "), rests_on]);
        }
        outln!(
            "Box {} (step {}): coverage {:.3} of all cases, density {:.3}, mass {:.3}\n{t}",
            k + 1,
            b.chosen_step,
            b.coverage,
            b.density,
            b.mass
        );
        if !b.dropped.is_empty() {
            let dropped: Vec<String> = b
                .dropped
                .iter()
                .map(|d| format!("{} {} (quasi-p {:.2})", d.path, bound(d.bound), d.p))
                .collect();
            outln!("dropped as not significant: {}", dropped.join(", "));
        }
    }
    if let Some(s) = &r.resampling {
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "uncertainty",
            "restricted in",
            "in the box",
        ]);
        let first: Vec<&str> = r
            .boxes
            .first()
            .map(|b| b.limits.iter().map(|l| l.path.as_str()).collect())
            .unwrap_or_default();
        for x in &s.restricted {
            t.add_row(vec![
                x.path.clone(),
                format!("{:.0}%", 100.0 * x.share),
                if first.contains(&x.path.as_str()) {
                    "yes"
                } else {
                    ""
                }
                .to_string(),
            ]);
        }
        outln!(
            "\nStability of box 1 over {} bootstrap resamples of the runs (a box met the selection in {}):\n{t}",
            s.resamples,
            s.found
        );
    }
}
