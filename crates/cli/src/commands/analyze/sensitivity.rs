//! `patronfall analyze sensitivity`: flags and tables; the analysis is
//! `patronfall_results::analyses::sensitivity`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_ensemble::DUMMY;
use patronfall_results::analyses::outputs;
use patronfall_results::analyses::sensitivity::{
    Bootstrap, MorrisEffect, Sensitivity, SobolIndex, analyse,
};
use std::path::PathBuf;

/// Arguments of `patronfall analyze sensitivity`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory (from `patronfall ensemble --sampler saltelli|morris`).
    pub dir: PathBuf,
    /// Scalar outcomes to analyse (columns of runs.csv).
    #[arg(long, num_args = 1..)]
    pub outcome: Vec<String>,
    /// Futures whose indicator to analyse (every future when neither this nor --outcome is given).
    #[arg(long, num_args = 1..)]
    pub future: Vec<String>,
    /// Courses of action to analyse (all if absent).
    #[arg(long, num_args = 1..)]
    pub coa: Vec<String>,
    /// Bootstrap resamples for the intervals (of the Sobol indices and of μ*) and the noise floor.
    #[arg(long, default_value_t = 100)]
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
    let coas: Vec<String> = if args.coa.is_empty() {
        results.manifest.coas.clone()
    } else {
        args.coa
            .iter()
            .map(|c| results.coa_or_first(Some(c), "coa"))
            .collect::<Result<_, _>>()?
    };
    let outputs = outputs(&results, &args.outcome, &args.future);
    for o in &outputs {
        results.output(o)?;
    }
    let bootstrap = Bootstrap {
        resamples: args.resamples,
        seed: args.seed,
    };
    let (analysis, notes) = analyse(&results, &coas, &outputs, bootstrap)?;
    for note in &notes {
        errln!("note: {note}");
    }
    if !args.json {
        match &analysis {
            Sensitivity::Sobol {
                confidence,
                grouping,
                indices,
            } => print_sobol(indices, *confidence, grouping),
            Sensitivity::Morris {
                confidence,
                grouping,
                indices,
            } => print_morris(indices, *confidence, grouping),
        }
    }
    save(&args.dir, analysis, args.json)
}

fn num(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.3}"))
}

fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => format!("{l:.3}–{h:.3}"),
        _ => "–".into(),
    }
}

/// Groups rows by (course of action, output), keeping first-seen order.
fn groups<T>(rows: &[T], key: impl Fn(&T) -> (&str, &str)) -> Vec<Vec<&T>> {
    let mut out: Vec<Vec<&T>> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|g| key(g[0]) == key(r)) {
            Some(g) => g.push(r),
            None => out.push(vec![r]),
        }
    }
    out
}

/// The factor as a table shows it: a figure's path, a group's name and
/// size, or the dummy.
fn factor(name: &str, figures: &[String]) -> String {
    match figures {
        [] if name == DUMMY => format!("{DUMMY} (re-rolls the dice: the noise floor)"),
        [only] if only == name => name.to_string(),
        [_] => format!("{name} (1 figure)"),
        _ => format!("{name} ({} figures)", figures.len()),
    }
}

/// What a factor rests on: its basis and source keys, e.g.
/// `assumption (A1)`, `mixed (S4, A1)`.
fn rests_on(basis: &str, sources: &[String]) -> String {
    match (basis, sources) {
        ("", _) => String::new(),
        (b, []) => b.to_string(),
        (b, keys) => format!("{b} ({})", keys.join(", ")),
    }
}

fn mark(above: Option<bool>) -> &'static str {
    match above {
        Some(true) => "above",
        Some(false) => "–",
        None => "",
    }
}

/// The line under a table: the floor and how many factors stand above it.
fn floor_line(floor: Option<f64>, above: usize, factors: usize, measure: &str) -> String {
    match floor {
        Some(f) => format!(
            "noise floor ({measure} of the dummy, upper end): {f:.3}; {above} of {factors} factors stand above it"
        ),
        None => "no noise floor: the dummy's interval could not be estimated".into(),
    }
}

fn grouped_by(grouping: &str) -> String {
    match grouping {
        "figures" => String::new(),
        "named" => ", figures in the groups file's groups".into(),
        g => format!(", figures grouped by {g}"),
    }
}

fn print_sobol(rows: &[SobolIndex], confidence: f64, grouping: &str) {
    for mut g in groups(rows, |r| (r.coa.as_str(), r.outcome.as_str())) {
        g.sort_by(|a, b| {
            b.total
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.total.unwrap_or(f64::NEG_INFINITY))
        });
        let interval_heading = format!("{:.0}% interval", confidence * 100.0);
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "factor",
            "first order",
            &interval_heading,
            "total",
            &interval_heading,
            "noise floor",
            "rests on",
        ]);
        for r in &g {
            t.add_row(vec![
                factor(&r.factor, &r.figures),
                num(r.first),
                interval(r.first_low, r.first_high),
                num(r.total),
                interval(r.total_low, r.total_high),
                mark(r.above_noise).to_string(),
                rests_on(&r.basis, &r.sources),
            ]);
        }
        let floor = g
            .iter()
            .find(|r| r.factor == DUMMY)
            .and_then(|r| r.total_high);
        let above = g.iter().filter(|r| r.above_noise == Some(true)).count();
        outln!(
            "\nSobol indices of `{}` under `{}` (largest total effect first{}):\n{t}\n{}",
            g[0].outcome,
            g[0].coa,
            grouped_by(grouping),
            floor_line(floor, above, g.len() - 1, "ST")
        );
    }
}

fn print_morris(rows: &[MorrisEffect], confidence: f64, grouping: &str) {
    for mut g in groups(rows, |r| (r.coa.as_str(), r.outcome.as_str())) {
        g.sort_by(|a, b| {
            b.mu_star
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.mu_star.unwrap_or(f64::NEG_INFINITY))
        });
        let interval_heading = format!("μ* {:.0}% interval", confidence * 100.0);
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "factor",
            "μ*",
            &interval_heading,
            "μ",
            "σ",
            "noise floor",
            "rests on",
        ]);
        for r in &g {
            t.add_row(vec![
                factor(&r.factor, &r.figures),
                num(r.mu_star),
                interval(r.mu_star_low, r.mu_star_high),
                num(r.mu),
                num(r.sigma),
                mark(r.above_noise).to_string(),
                rests_on(&r.basis, &r.sources),
            ]);
        }
        let floor = g
            .iter()
            .find(|r| r.factor == DUMMY)
            .and_then(|r| r.mu_star_high);
        let above = g.iter().filter(|r| r.above_noise == Some(true)).count();
        outln!(
            "\nMorris elementary effects of `{}` under `{}` (per unit of the [0, 1] design scale, largest μ* first{}):\n{t}\n{}",
            g[0].outcome,
            g[0].coa,
            grouped_by(grouping),
            floor_line(floor, above, g.len() - 1, "μ*")
        );
    }
}
