//! `patronfall analyze robustness`: how each course of action fares across
//! the scenario samples. The runs are pivoted to a table `v[sample][coa]`
//! (mean over replications; samples where some course of action did not
//! finish are left out), then per course of action: the mean outcome, the
//! maximum and 90th-percentile regret (Savage 1951; Rhodium's regret type 2)
//! and, with `--threshold`, the share of samples in which it meets the
//! threshold (satisficing, Starr 1963).

use super::runs;
use super::{finite, save_json};
use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_analysis::Matrix;
use patronfall_analysis::robustness::{
    Direction, Threshold, max_regret, quantile_regret, satisficing_share,
};
use serde::Serialize;
use std::path::PathBuf;

/// Quantile of regret reported beside the maximum.
const REGRET_QUANTILE: f64 = 0.9;

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

/// One course of action's robustness figures (outcome units).
#[derive(Debug, Serialize)]
pub struct CoaRobustness {
    coa: String,
    mean: Option<f64>,
    max_regret: Option<f64>,
    p90_regret: Option<f64>,
    /// Share of samples meeting the threshold (0–1), when one was given.
    satisficing: Option<f64>,
}

/// Everything `analyze robustness` reports.
#[derive(Debug, Serialize)]
pub struct Report {
    outcome: String,
    /// `maximize` or `minimize`.
    direction: &'static str,
    threshold: Option<f64>,
    /// Scenario samples in the table (those where every course of action finished).
    scenarios: usize,
    coas: Vec<CoaRobustness>,
}

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = runs::open(&args.dir)?;
    let values = results.numeric(&args.outcome)?;
    let direction = if args.maximize {
        Direction::Maximise
    } else {
        Direction::Minimise
    };
    let coas = results.manifest.coas.clone();
    let per_coa: Vec<Vec<Option<f64>>> = coas
        .iter()
        .map(|c| results.sample_means(c, &values))
        .collect();
    let samples = per_coa.iter().map(Vec::len).min().unwrap_or(0);
    let table: Vec<Vec<f64>> = (0..samples)
        .filter_map(|s| per_coa.iter().map(|v| v[s]).collect::<Option<Vec<f64>>>())
        .collect();
    if table.is_empty() {
        return Err(Failure::bad_input(format!(
            "{}: no scenario sample has a finished run of every course of action",
            args.dir.display()
        )));
    }
    let v = Matrix::from_rows("outcomes", &table).map_err(|e| Failure::failed(e.to_string()))?;
    let err = |e: patronfall_analysis::AnalysisError| Failure::failed(e.to_string());
    let max = max_regret(&v, direction).map_err(err)?;
    let p90 = quantile_regret(&v, direction, REGRET_QUANTILE).map_err(err)?;
    let satisficing = match args.threshold {
        Some(x) => Some(
            satisficing_share(
                &v,
                match direction {
                    Direction::Maximise => Threshold::AtLeast(x),
                    Direction::Minimise => Threshold::AtMost(x),
                },
            )
            .map_err(err)?,
        ),
        None => None,
    };
    let report = Report {
        outcome: args.outcome.clone(),
        direction: match direction {
            Direction::Maximise => "maximize",
            Direction::Minimise => "minimize",
        },
        threshold: args.threshold,
        scenarios: v.rows(),
        coas: coas
            .iter()
            .enumerate()
            .map(|(c, name)| CoaRobustness {
                coa: name.clone(),
                mean: finite(v.column(c).iter().sum::<f64>() / v.rows() as f64),
                max_regret: finite(max[c]),
                p90_regret: finite(p90[c]),
                satisficing: satisficing.as_ref().map(|s| s[c]),
            })
            .collect(),
    };
    if !args.json {
        print(&report);
    }
    save_json(&args.dir, "robustness", &report, args.json)
}

fn print(r: &Report) {
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
        ("maximize", Some(x)) => format!("; satisficing: {} ≥ {x}", r.outcome),
        (_, Some(x)) => format!("; satisficing: {} ≤ {x}", r.outcome),
    };
    outln!(
        "Robustness of `{}` ({} is better) across {} scenario samples{rule}:\n{t}",
        r.outcome,
        if r.direction == "maximize" {
            "larger"
        } else {
            "smaller"
        },
        r.scenarios
    );
}
