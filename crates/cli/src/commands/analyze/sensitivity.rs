//! `patronfall analyze sensitivity`: flags and tables; the analysis is
//! `patronfall_results::analyses::sensitivity`.

use super::{open, save};
use crate::failure::CommandResult;
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
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
    /// Bootstrap resamples for the Sobol intervals.
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
                indices,
            } => print_sobol(indices, *confidence),
            Sensitivity::Morris { indices } => print_morris(indices),
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

fn print_sobol(rows: &[SobolIndex], confidence: f64) {
    for mut g in groups(rows, |r| (r.coa.as_str(), r.outcome.as_str())) {
        g.sort_by(|a, b| {
            b.total
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.total.unwrap_or(f64::NEG_INFINITY))
        });
        let interval_heading = format!("{:.0}% interval", confidence * 100.0);
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "uncertainty",
            "first order",
            &interval_heading,
            "total",
            &interval_heading,
        ]);
        for r in &g {
            t.add_row(vec![
                r.path.clone(),
                num(r.first),
                interval(r.first_low, r.first_high),
                num(r.total),
                interval(r.total_low, r.total_high),
            ]);
        }
        outln!(
            "\nSobol indices of `{}` under `{}` (largest total effect first):\n{t}",
            g[0].outcome,
            g[0].coa
        );
    }
}

fn print_morris(rows: &[MorrisEffect]) {
    for mut g in groups(rows, |r| (r.coa.as_str(), r.outcome.as_str())) {
        g.sort_by(|a, b| {
            b.mu_star
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.mu_star.unwrap_or(f64::NEG_INFINITY))
        });
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY)
            .set_header(vec!["uncertainty", "μ*", "μ", "σ"]);
        for r in &g {
            t.add_row(vec![
                r.path.clone(),
                num(r.mu_star),
                num(r.mu),
                num(r.sigma),
            ]);
        }
        outln!(
            "\nMorris elementary effects of `{}` under `{}` (per unit of the [0, 1] design scale, largest μ* first):\n{t}",
            g[0].outcome,
            g[0].coa
        );
    }
}
