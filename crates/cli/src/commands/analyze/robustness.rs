//! `patronfall analyze robustness`: flags and table; the analysis is
//! `patronfall_results::analyses::robustness`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_results::analyses::robustness::{Better, Robustness, analyse};
use std::path::PathBuf;

/// Arguments of `patronfall analyze robustness`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory.
    pub dir: PathBuf,
    /// Scalar outcome to judge the courses of action by (a column of runs.csv).
    #[arg(long)]
    pub outcome: String,
    /// Larger values are better.
    #[arg(long, conflicts_with = "minimize")]
    pub maximize: bool,
    /// Smaller values are better (the default).
    #[arg(long)]
    pub minimize: bool,
    /// Satisficing threshold: at least this (with --maximize) or at most this (otherwise).
    #[arg(long, allow_hyphen_values = true)]
    pub threshold: Option<f64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = open(&args.dir)?;
    let direction = if args.maximize {
        Better::Maximize
    } else {
        Better::Minimize
    };
    let analysis = analyse(&results, &args.outcome, direction, args.threshold)?;
    if !args.json {
        print(&analysis);
    }
    save(&args.dir, analysis, args.json)
}

fn print(r: &Robustness) {
    let mut t = Table::new();
    let mut header = vec!["course of action", "mean", "max regret", "90th pct regret"];
    if r.threshold.is_some() {
        header.push("satisficing");
    }
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    let show = |v: Option<f64>| v.map_or("–".into(), crate::output::value);
    for c in &r.coas {
        let mut row = vec![
            c.coa.clone(),
            show(c.mean),
            show(c.max_regret),
            show(c.p90_regret),
        ];
        if let Some(s) = c.satisficing {
            row.push(format!("{:.1}%", s * 100.0));
        }
        t.add_row(row);
    }
    let rule = match (r.direction, r.threshold) {
        (_, None) => String::new(),
        (Better::Maximize, Some(x)) => format!("; satisficing: {} ≥ {x}", r.outcome),
        (Better::Minimize, Some(x)) => format!("; satisficing: {} ≤ {x}", r.outcome),
    };
    outln!(
        "Robustness of `{}` ({} is better) across {} scenario samples{rule}:\n{t}",
        r.outcome,
        if r.direction == Better::Maximize {
            "larger"
        } else {
            "smaller"
        },
        r.scenarios
    );
}
