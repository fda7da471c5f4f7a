//! `patronfall analyze futures`: the probability of each future per course of
//! action with 95% Wilson intervals (Wilson 1927), and every course of action
//! against a baseline: paired differences in the probability of each future
//! with Newcombe's (1998, method 10) paired interval, and paired mean
//! differences of chosen scalar outcomes with a Student t interval. Rows are
//! paired by (sample, replication): common random numbers make them paired.

use super::runs::{self, Results};
use super::{finite, save_json};
use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_analysis::proportion::{paired_difference_of, paired_mean_difference, wilson};
use serde::Serialize;
use std::path::PathBuf;

/// Two-sided confidence level of every interval.
const CONFIDENCE: f64 = 0.95;

/// Arguments of `patronfall analyze futures`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory.
    pub dir: PathBuf,
    /// Course of action every other one is compared with (the first if absent).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Scalar outcomes (columns of runs.csv) whose paired mean differences to report.
    #[arg(long, num_args = 1..)]
    pub outcome: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// One future's share under one course of action (0–1).
#[derive(Debug, Serialize)]
pub struct Share {
    future: String,
    runs_reached: u64,
    share: f64,
    low: f64,
    high: f64,
}

/// The futures of one course of action.
#[derive(Debug, Serialize)]
pub struct CoaFutures {
    coa: String,
    runs: u64,
    futures: Vec<Share>,
}

/// A paired difference `coa − baseline` with its interval.
#[derive(Debug, Serialize)]
pub struct Difference {
    coa: String,
    /// A future's name, or a scalar outcome's column.
    of: String,
    difference: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    pairs: usize,
}

/// Everything `analyze futures` reports.
#[derive(Debug, Serialize)]
pub struct Report {
    confidence: f64,
    baseline: String,
    coas: Vec<CoaFutures>,
    future_differences: Vec<Difference>,
    outcome_differences: Vec<Difference>,
}

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = runs::open(&args.dir)?;
    let baseline = results.coa_or_first(args.baseline.as_deref(), "--baseline")?;
    for o in &args.outcome {
        results.numeric(o)?;
    }
    let report = analyse(&results, &baseline, &args.outcome)?;
    if !args.json {
        print(&report);
    }
    save_json(&args.dir, "futures", &report, args.json)
}

/// The futures a run can end in, with `(none)` when some runs reached no future.
fn future_labels(results: &Results) -> Vec<String> {
    let mut labels = results.manifest.futures.clone();
    if results
        .table
        .strings("future")
        .unwrap_or_default()
        .iter()
        .any(|f| f.is_empty())
    {
        labels.push(String::new());
    }
    labels
}

fn shown(label: &str) -> &str {
    if label.is_empty() { "(none)" } else { label }
}

/// Computes the report.
pub fn analyse(results: &Results, baseline: &str, outcomes: &[String]) -> Result<Report, Failure> {
    let err = |e: patronfall_analysis::AnalysisError| Failure::failed(e.to_string());
    let labels = future_labels(results);
    let mut coas = Vec::new();
    for coa in &results.manifest.coas {
        let rows = results.rows_of(coa);
        let n = rows.len() as u64;
        let mut futures = Vec::new();
        for f in &labels {
            let flags = results.future_flags(f);
            let x = rows.iter().filter(|&&r| flags[r]).count() as u64;
            if n == 0 {
                continue;
            }
            let i = wilson(x, n, CONFIDENCE).map_err(err)?;
            futures.push(Share {
                future: shown(f).to_string(),
                runs_reached: x,
                share: i.estimate,
                low: i.lower,
                high: i.upper,
            });
        }
        coas.push(CoaFutures {
            coa: coa.clone(),
            runs: n,
            futures,
        });
    }

    let base_grid = results.grid(baseline);
    let mut future_differences = Vec::new();
    let mut outcome_differences = Vec::new();
    let columns: Vec<Vec<f64>> = outcomes
        .iter()
        .map(|o| results.numeric(o))
        .collect::<Result<_, _>>()?;
    for coa in results.manifest.coas.iter().filter(|c| *c != baseline) {
        let pairs: Vec<(usize, usize)> = results
            .grid(coa)
            .iter()
            .zip(&base_grid)
            .flat_map(|(a, b)| a.iter().zip(b))
            .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
            .collect();
        for f in &labels {
            let flags = results.future_flags(f);
            let first: Vec<bool> = pairs.iter().map(|p| flags[p.0]).collect();
            let second: Vec<bool> = pairs.iter().map(|p| flags[p.1]).collect();
            let d = paired_difference_of(&first, &second, CONFIDENCE).ok();
            future_differences.push(Difference {
                coa: coa.clone(),
                of: shown(f).to_string(),
                difference: d.and_then(|i| finite(i.estimate)),
                low: d.and_then(|i| finite(i.lower)),
                high: d.and_then(|i| finite(i.upper)),
                pairs: pairs.len(),
            });
        }
        for (name, values) in outcomes.iter().zip(&columns) {
            let first: Vec<f64> = pairs.iter().map(|p| values[p.0]).collect();
            let second: Vec<f64> = pairs.iter().map(|p| values[p.1]).collect();
            let d = paired_mean_difference(&first, &second, CONFIDENCE).ok();
            outcome_differences.push(Difference {
                coa: coa.clone(),
                of: name.clone(),
                difference: d.and_then(|m| finite(m.interval.estimate)),
                low: d.and_then(|m| finite(m.interval.lower)),
                high: d.and_then(|m| finite(m.interval.upper)),
                pairs: pairs.len(),
            });
        }
    }
    Ok(Report {
        confidence: CONFIDENCE,
        baseline: baseline.to_string(),
        coas,
        future_differences,
        outcome_differences,
    })
}

fn pct(v: f64) -> String {
    format!("{:.1}", v * 100.0)
}

/// A number with three significant digits (thousands separators from 100 up).
fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || v.abs() >= 100.0 {
        return crate::output::value(v);
    }
    let decimals = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.decimals$}")
}

/// A difference of shares in percentage points with its interval.
fn points(d: &Difference) -> String {
    match (d.difference, d.low, d.high) {
        (Some(e), Some(l), Some(h)) => {
            format!("{:+.1} ({:+.1} to {:+.1})", e * 100.0, l * 100.0, h * 100.0)
        }
        _ => "–".into(),
    }
}

fn print(report: &Report) {
    let labels: Vec<String> = report
        .coas
        .iter()
        .flat_map(|c| c.futures.iter().map(|f| f.future.clone()))
        .fold(Vec::new(), |mut acc, f| {
            if !acc.contains(&f) {
                acc.push(f);
            }
            acc
        });
    let mut t = Table::new();
    let mut header = vec!["course of action".to_string(), "runs".into()];
    header.extend(labels.iter().cloned());
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    for c in &report.coas {
        let mut row = vec![c.coa.clone(), c.runs.to_string()];
        for l in &labels {
            row.push(match c.futures.iter().find(|f| &f.future == l) {
                Some(f) => format!("{}% ({}–{})", pct(f.share), pct(f.low), pct(f.high)),
                None => "–".into(),
            });
        }
        t.add_row(row);
    }
    outln!("Probability of each future, % (95% Wilson interval):\n{t}");
    if report.future_differences.is_empty() {
        return;
    }
    let mut t = Table::new();
    let mut header = vec!["course of action".to_string(), "pairs".into()];
    header.extend(labels.iter().cloned());
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    let coas: Vec<&str> = report
        .coas
        .iter()
        .map(|c| c.coa.as_str())
        .filter(|c| *c != report.baseline)
        .collect();
    for coa in &coas {
        let diffs: Vec<&Difference> = report
            .future_differences
            .iter()
            .filter(|d| d.coa == *coa)
            .collect();
        let mut row = vec![
            coa.to_string(),
            diffs.first().map_or(0, |d| d.pairs).to_string(),
        ];
        for l in &labels {
            row.push(
                diffs
                    .iter()
                    .find(|d| &d.of == l)
                    .map_or("–".into(), |d| points(d)),
            );
        }
        t.add_row(row);
    }
    outln!(
        "\nPaired difference from `{}`, percentage points (95% Newcombe interval):\n{t}",
        report.baseline
    );
    if report.outcome_differences.is_empty() {
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "course of action",
        "outcome",
        "pairs",
        "mean difference (95% t interval)",
    ]);
    for d in &report.outcome_differences {
        t.add_row(vec![
            d.coa.clone(),
            d.of.clone(),
            d.pairs.to_string(),
            match (d.difference, d.low, d.high) {
                (Some(e), Some(l), Some(h)) => format!(
                    "{} ({} to {})",
                    significant(e),
                    significant(l),
                    significant(h)
                ),
                _ => "–".into(),
            },
        ]);
    }
    outln!(
        "\nPaired mean difference from `{}` (last-day values unless the outcome says max_):\n{t}",
        report.baseline
    );
}
