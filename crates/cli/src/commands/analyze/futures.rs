//! `patronfall analyze futures`: flags and tables; the analysis is
//! `patronfall_results::analyses::futures`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::{outln, significant};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_results::analyses::futures::{Difference, FuturesAnalysis, analyse};
use std::path::PathBuf;

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

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = open(&args.dir)?;
    let baseline = results.coa_or_first(args.baseline.as_deref(), "baseline")?;
    let analysis = analyse(&results, &baseline, &args.outcome)?;
    if !args.json {
        print(&analysis);
    }
    save(&args.dir, analysis, args.json)
}

fn pct(v: f64) -> String {
    format!("{:.1}", v * 100.0)
}

/// A confidence level as a whole percentage, for headings.
fn level(confidence: f64) -> String {
    format!("{:.0}%", confidence * 100.0)
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

fn print(report: &FuturesAnalysis) {
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
    let level = level(report.confidence);
    outln!("Probability of each future, % ({level} Wilson interval):\n{t}");
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
        "\nPaired difference from `{}`, percentage points ({level} Newcombe interval):\n{t}",
        report.baseline
    );
    if report.outcome_differences.is_empty() {
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "course of action".to_string(),
        "outcome".into(),
        "pairs".into(),
        format!("mean difference ({level} t interval)"),
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
