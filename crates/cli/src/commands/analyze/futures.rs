//! `patronfall analyze futures`: flags and tables; the analysis is
//! `patronfall_results::analyses::futures`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::{errln, outln, significant};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_results::analyses;
use patronfall_results::analyses::futures::{Difference, FuturesAnalysis, analyse};
use patronfall_results::analyses::margins::{MAX_STEPS, Margins, Sweep, sweep};
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
    /// Recompute the futures with one condition's threshold set, in every
    /// run, to each of STEPS evenly spaced values from LO to HI:
    /// `FUTURE.CONDITION=LO:HI:STEPS`, the condition named by its place in
    /// the future's `when` (from 0) or by its outcome, e.g.
    /// `spillover_crisis.unaffiliated_armed=1000:5000:5`. Saved to
    /// analysis/sweep.json; with --json, its document is the one printed.
    #[arg(long, value_name = "FUTURE.CONDITION=LO:HI:STEPS", value_parser = parse_sweep)]
    pub sweep: Option<SweepArg>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// A `--sweep` as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepArg {
    future: String,
    condition: String,
    low: f64,
    high: f64,
    steps: usize,
}

/// Reads `FUTURE.CONDITION=LO:HI:STEPS`.
fn parse_sweep(text: &str) -> Result<SweepArg, String> {
    let form = "write FUTURE.CONDITION=LO:HI:STEPS, e.g. spillover_crisis.0=1000:5000:5";
    let (what, range) = text
        .split_once('=')
        .ok_or_else(|| format!("no `=` in `{text}`; {form}"))?;
    let (future, condition) = what
        .split_once('.')
        .filter(|(f, c)| !f.is_empty() && !c.is_empty())
        .ok_or_else(|| format!("`{what}` does not name FUTURE.CONDITION; {form}"))?;
    let parts: Vec<&str> = range.split(':').collect();
    let [low, high, steps] = parts.as_slice() else {
        return Err(format!("`{range}` is not LO:HI:STEPS; {form}"));
    };
    let number = |s: &str, what: &str| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} `{s}` is not a finite number; {form}"))
    };
    let (low, high) = (number(low, "LO")?, number(high, "HI")?);
    if low >= high {
        return Err(format!("LO {low} is not below HI {high}; {form}"));
    }
    let steps: usize = steps
        .trim()
        .parse()
        .ok()
        .filter(|n| (2..=MAX_STEPS).contains(n))
        .ok_or_else(|| format!("STEPS `{steps}` is not a whole number from 2 to {MAX_STEPS}"))?;
    Ok(SweepArg {
        future: future.to_string(),
        condition: condition.to_string(),
        low,
        high,
        steps,
    })
}

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = open(&args.dir)?;
    if let Some(f) = &results.manifest.follow_up {
        errln!(
            "warning: {} is a targeted follow-up of {}: its samples were drawn where the observations in {} point, not from the prior, so these shares are not the futures' probabilities; `patronfall update {} --observed {}` gives the posterior",
            args.dir.display(),
            f.parent,
            f.observations,
            args.dir.display(),
            f.observations
        );
    }
    let baseline = results.coa_or_first(args.baseline.as_deref(), "baseline")?;
    let analysis = analyse(&results, &baseline, &args.outcome)?;
    let swept = match &args.sweep {
        Some(a) => {
            let margins = Margins::read(&results)?;
            let k = margins.find(&a.future, &a.condition)?;
            Some(sweep(&results, &margins, k, a.low, a.high, a.steps)?)
        }
        None => None,
    };
    if !args.json {
        print(&analysis);
    }
    match swept {
        None => save(&args.dir, analysis, args.json),
        // With a sweep, --json prints only the sweep's document; both are
        // saved.
        Some(swept) if args.json => {
            analyses::save(&args.dir, analysis)?;
            save(&args.dir, swept, true)
        }
        Some(swept) => {
            save(&args.dir, analysis, false)?;
            print_sweep(&swept);
            save(&args.dir, swept, false)
        }
    }
}

/// The sweep: per course of action, each future's share at every threshold.
fn print_sweep(s: &Sweep) {
    let c = &s.condition;
    let origin = match &c.path {
        Some(p) => format!("uncertain, `{p}`, nominal {}", c.value),
        None => format!("{} in the scenario", c.value),
    };
    outln!(
        "\nSweep of `{}` condition {}: {} {} {} THRESHOLD (threshold {origin}); every other threshold as each run drew it. Share of runs, %:",
        c.future,
        c.index,
        c.stat,
        c.outcome,
        c.op
    );
    let Some(first) = s.points.first() else {
        return;
    };
    for (slot, coa) in first.coas.iter().enumerate() {
        let mut labels: Vec<&str> = Vec::new();
        for f in s.points.iter().flat_map(|p| &p.coas[slot].futures) {
            if !labels.contains(&f.future.as_str()) {
                labels.push(&f.future);
            }
        }
        let mut t = Table::new();
        let mut header = vec!["threshold".to_string()];
        header.extend(labels.iter().map(|l| l.to_string()));
        t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
        for p in &s.points {
            let mut row = vec![significant(p.value)];
            for l in &labels {
                row.push(
                    p.coas[slot]
                        .futures
                        .iter()
                        .find(|f| f.future == *l)
                        .map_or("–".into(), |f| pct(f.share)),
                );
            }
            t.add_row(row);
        }
        outln!("\n`{}` ({} runs):\n{t}", coa.coa, coa.runs);
    }
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
