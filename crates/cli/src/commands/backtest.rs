//! `patronfall backtest`: scores the model against past cases (brief §8).
//!
//! For each scenario (the built-in past cases by default) it runs the case's
//! shock and its no-withdrawal control on the same samples and seeds
//! (`patronfall-validation`), then prints per case the share of runs whose
//! capital fell, the quantiles of the simulated lag against the observed one,
//! the median error, the share within the timing window, the CRPS and the
//! verdict; `--json` prints the reports instead, `--plot FILE` writes the SVG
//! figure. Exit code 0 even when a case fails its verdict: the scores are the
//! answer; bad input is 2.

use crate::commands::common::open_scenario;
use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_ensemble::Sampler;
use patronfall_validation::backtest::{CaseReport, ShockResult};
use patronfall_validation::{Options, figure, run_case};
use std::path::PathBuf;

/// The built-in past cases, backtested when no scenario is named.
pub const PAST_CASES: [&str; 2] = ["syria-2024", "afghanistan-2021"];

/// Arguments of `patronfall backtest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Past-case scenarios (built-in names or files) with `[[observed]]` milestones; the built-in cases if absent.
    pub scenarios: Vec<String>,
    /// Scenario samples per shock.
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How samples are drawn: mc, lhs or sobol.
    #[arg(long, default_value = "lhs")]
    pub sampler: String,
    /// Worker threads (all cores if absent); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Half-width of the timing window, as a share of the observed lag.
    #[arg(long, default_value_t = 0.5)]
    pub window: f64,
    /// The control shock (default: the scenario's first shock with no events).
    #[arg(long)]
    pub control: Option<String>,
    /// Print the reports as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the figure of simulated against observed timing to this SVG file.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let sampler = match args.sampler.as_str() {
        "mc" | "lhs" | "sobol" => Sampler::from_name(&args.sampler),
        _ => None,
    }
    .ok_or_else(|| {
        Failure::bad_input(format!(
            "--sampler: `{}` is not one of mc, lhs, sobol",
            args.sampler
        ))
    })?;
    if args.runs == 0 {
        return Err(Failure::bad_input("--runs: must be at least 1"));
    }
    if !(args.window.is_finite() && args.window > 0.0) {
        return Err(Failure::bad_input(
            "--window: must be a positive share of the observed lag, e.g. 0.5",
        ));
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(Failure::bad_input("--threads: must be at least 1"));
    }
    let names: Vec<String> = if args.scenarios.is_empty() {
        PAST_CASES.iter().map(|s| s.to_string()).collect()
    } else {
        args.scenarios.clone()
    };
    let options = Options {
        runs: args.runs,
        seed: args.seed,
        sampler,
        threads,
        window: args.window,
        control: args.control.clone(),
        ..Options::default()
    };
    let mut reports = Vec::new();
    for name in &names {
        let s = open_scenario(name)?;
        let report = run_case(&s, &options).map_err(Failure::bad_input)?;
        reports.push(report);
    }
    if let Some(path) = &args.plot {
        std::fs::write(path, figure::svg(&reports))
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        let text = serde_json::to_string_pretty(&reports)
            .map_err(|e| Failure::failed(format!("cannot encode the reports: {e}")))?;
        outln!("{text}");
    } else {
        for r in &reports {
            print_report(r);
        }
        if let Some(path) = &args.plot {
            outln!("Figure written to {}", path.display());
        }
    }
    Ok(())
}

fn days(v: Option<f64>) -> String {
    v.map_or("after horizon".to_string(), |d| format!("{d:.0}"))
}

fn row(r: &ShockResult, label: &str) -> Vec<String> {
    let sc = &r.scores;
    vec![
        format!("{label} `{}`", r.shock),
        format!(
            "{:.0}% [{:.0}–{:.0}]",
            100.0 * sc.share_collapsed,
            100.0 * sc.share_lower,
            100.0 * sc.share_upper
        ),
        format!(
            "{} / {} / {}",
            days(sc.quantiles[1]),
            days(sc.quantiles[2]),
            days(sc.quantiles[3])
        ),
        format!("{} – {}", days(sc.quantiles[0]), days(sc.quantiles[4])),
        sc.median_error
            .map_or("—".to_string(), |e| format!("{e:+.0}")),
        format!("{:.0}%", 100.0 * sc.within_window),
        format!("{:.1} ({:.2})", sc.crps, sc.crps_relative),
    ]
}

fn print_report(r: &CaseReport) {
    let o = &r.observed;
    outln!("{} — {}", r.scenario, r.title);
    outln!(
        "observed: {} on day {} ({}); lag {:.0} days after {} (day {})",
        o.name,
        o.day,
        o.note.trim_end_matches('.'),
        o.lag,
        o.origin.as_deref().unwrap_or("the start"),
        o.origin_day
    );
    outln!(
        "{} runs per shock ({}, seed {}), course of action `{}`, {} days; window ±{:.0}% of the observed lag; runs that never fell count as {:.0} days in the CRPS",
        r.runs,
        r.sampler,
        r.seed,
        r.coa,
        r.days,
        100.0 * r.window,
        r.censor
    );
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec![
        "shock",
        "capital fell (95% CI)",
        "lag q25 / median / q75",
        "lag q5 – q95",
        "median error",
        "in window",
        "CRPS days (÷ lag)",
    ]);
    t.add_row(row(&r.case, "case"));
    t.add_row(row(&r.control, "control"));
    outln!("{t}");
    let v = r.verdict;
    outln!(
        "verdict: direction {} (case ≥ 50% fall, control ≤ 10%), timing {} (median within ×{} of {:.0} days): {}\n",
        if v.direction { "holds" } else { "fails" },
        if v.timing { "holds" } else { "fails" },
        r.timing_factor,
        o.lag,
        if v.pass() { "PASS" } else { "FAIL" }
    );
}
