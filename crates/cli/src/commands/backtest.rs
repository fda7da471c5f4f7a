//! `patronfall backtest`: scores the model against past cases (brief §8).
//!
//! For each scenario (the whole library of built-in past cases by default:
//! those with a scored `[[observed]]` milestone) it runs the case's shock and
//! its control (the patron stays) on the same samples and seeds
//! (`patronfall-validation`), then prints one table with a row per case:
//! the milestone's kind, whether the direction is right, the share of runs
//! collapsed in the case and in the control with intervals, the median lag
//! against the observed one (or the share surviving to the observed day), the
//! CRPS and the verdict. `--detail` adds each case's quantiles and window
//! share; `--json` prints the reports instead, `--plot FILE` writes the SVG
//! figure. Exit code 0 even when a case fails its verdict: the scores are
//! the answer; bad input is 2.
//!
//! `--signposts` asks another question of the same cases: do the readings
//! an analyst had in the first part of the observed lag (`[[seen]]`, known
//! by the origin plus `--known-by` of the lag) move the odds toward what
//! happened? It runs each case's shock, weighs the runs as `patronfall
//! update` does and prints the prior and posterior of what happened, the
//! effective sample size and the log scores (`patronfall_validation::signposts`).

use crate::commands::common::open_scenario_with;
use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_ensemble::Sampler;
use patronfall_validation::backtest::{CaseReport, ShockResult};
use patronfall_validation::{
    KNOWN_BY, Options, SignpostReport, figure, library, run_case, run_signposts,
};
use std::path::PathBuf;

/// Arguments of `patronfall backtest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Past-case scenarios (built-in names or files) with a scored `[[observed]]` milestone; the whole built-in library if absent.
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
    /// After the table, print each case's quantiles, window share and criteria.
    #[arg(long)]
    pub detail: bool,
    /// Write the figure of simulated against observed timing to this SVG file.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Also vary the model's behavioural parameters over their plausible
    /// ranges (as `patronfall ensemble --vary-parameters`): the library
    /// scored with the model's own uncertainty.
    #[arg(long)]
    pub vary_parameters: bool,
    /// Instead of the verdicts: weigh each case's runs by the readings seen
    /// early (`[[seen]]`) and print the prior and posterior of what happened.
    #[arg(long, conflicts_with_all = ["window", "control", "detail", "plot"])]
    pub signposts: bool,
    /// With --signposts: the share of the observed lag, counted from its
    /// origin, whose readings are early (default: a third).
    #[arg(long, requires = "signposts")]
    pub known_by: Option<f64>,
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
        library().into_iter().map(str::to_string).collect()
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
    if args.signposts {
        let share = args.known_by.unwrap_or(KNOWN_BY);
        if !(share.is_finite() && share > 0.0 && share <= 1.0) {
            return Err(Failure::bad_input(
                "--known-by: must be a share of the observed lag above 0 and at most 1, e.g. 0.33",
            ));
        }
        let mut reports = Vec::new();
        for name in &names {
            let s = open_scenario_with(name, args.vary_parameters)?;
            reports.push(run_signposts(&s, &options, share).map_err(Failure::bad_input)?);
        }
        if args.json {
            let text = serde_json::to_string_pretty(&reports)
                .map_err(|e| Failure::failed(format!("cannot encode the reports: {e}")))?;
            outln!("{text}");
        } else {
            print_signposts(&reports, args.runs);
        }
        return Ok(());
    }
    let mut reports = Vec::new();
    for name in &names {
        let s = open_scenario_with(name, args.vary_parameters)?;
        let report = run_case(&s, &options).map_err(Failure::bad_input)?;
        reports.push(report);
    }
    if let Some(path) = &args.plot {
        crate::output::write_atomic(path, figure::svg(&reports).as_bytes())
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        let text = serde_json::to_string_pretty(&reports)
            .map_err(|e| Failure::failed(format!("cannot encode the reports: {e}")))?;
        outln!("{text}");
    } else {
        print_summary(&reports, &options);
        if args.detail {
            for r in &reports {
                print_report(r);
            }
        }
        if let Some(path) = &args.plot {
            outln!("Figure written to {}", path.display());
        }
    }
    Ok(())
}

fn share(sc: &patronfall_validation::Scores) -> String {
    format!(
        "{:.0}% [{:.0}–{:.0}]",
        100.0 * sc.share_collapsed,
        100.0 * sc.share_lower,
        100.0 * sc.share_upper
    )
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The library's table: one row per case.
fn print_summary(reports: &[CaseReport], o: &Options) {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec![
        "case",
        "milestone",
        "direction right",
        "collapsed: case (95% CI)",
        "collapsed: control (95% CI)",
        "median lag vs observed, or survival",
        "CRPS days (÷ lag)",
        "verdict",
    ]);
    for r in reports {
        let ob = &r.observed;
        let survival = ob.kind == "survival";
        let timing = if survival {
            format!(
                "{:.0}% survive {:.0} d",
                100.0 * (1.0 - r.case.scores.share_collapsed),
                ob.lag
            )
        } else {
            match r.case.scores.median() {
                Some(m) => format!("{m:.0} d vs {:.0} d", ob.lag),
                None => format!("after the horizon vs {:.0} d", ob.lag),
            }
        };
        t.add_row(vec![
            r.scenario.clone(),
            format!("{} ({})", ob.kind, ob.condition),
            yes(r.verdict.direction).to_string(),
            share(&r.case.scores),
            share(&r.control.scores),
            timing,
            format!(
                "{:.1} ({:.2})",
                r.case.scores.crps, r.case.scores.crps_relative
            ),
            if r.verdict.pass { "PASS" } else { "FAIL" }.to_string(),
        ]);
    }
    outln!("{t}");
    if let Some(r) = reports.first() {
        outln!(
            "{} runs per shock ({}, seed {}). Collapse: direction right when ≥ {:.0}% of the case's runs and ≤ {:.0}% of the control's collapse; PASS also needs the median lag within ×{} of the observed. Survival: shares are by the observed day; PASS when ≥ {:.0}% of the case's runs and ≥ {:.0}% of the control's survive.",
            r.runs,
            r.sampler,
            r.seed,
            100.0 * o.case_min,
            100.0 * o.control_max,
            o.timing_factor,
            100.0 * o.survival_min,
            100.0 * (1.0 - o.control_max)
        );
    }
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
        sc.within_window
            .map_or("—".to_string(), |w| format!("{:.0}%", 100.0 * w)),
        format!("{:.1} ({:.2})", sc.crps, sc.crps_relative),
    ]
}

fn print_report(r: &CaseReport) {
    let o = &r.observed;
    outln!("\n{} — {}", r.scenario, r.title);
    outln!(
        "observed ({}, {}): {} on day {} ({}); {:.0} days after {} (day {})",
        o.kind,
        o.condition,
        o.name,
        o.day,
        o.note.trim_end_matches('.'),
        o.lag,
        o.origin.as_deref().unwrap_or("the start"),
        o.origin_day
    );
    outln!(
        "{} runs per shock ({}, seed {}), course of action `{}`, {} days; window ±{:.0}% of the observed lag; runs that never collapsed count as {:.0} days in a collapse CRPS",
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
        "collapsed (95% CI)",
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
    let timing = match v.timing {
        Some(true) => "holds",
        Some(false) => "fails",
        None => "does not apply (survival)",
    };
    outln!(
        "verdict: direction {}, timing {}: {}",
        if v.direction { "holds" } else { "fails" },
        timing,
        if v.pass { "PASS" } else { "FAIL" }
    );
}

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// The signposts table: one row per case.
fn print_signposts(reports: &[SignpostReport], runs: usize) {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec![
        "case",
        "what happened",
        "readings known by",
        "readings",
        "P(what happened): prior → posterior (95% CI)",
        "effective runs",
        "log score prior → posterior",
        "moved",
    ]);
    let mut moved = (0, 0, 0);
    let (mut prior_log, mut posterior_log, mut scored) = (0.0, 0.0, 0);
    for r in reports {
        let o = &r.observed;
        let by = format!(
            "day {} ({:.0} d after {})",
            r.known_by,
            f64::from(r.known_by) - f64::from(o.origin_day),
            o.origin.as_deref().unwrap_or("the start")
        );
        let readings = if r.seen.is_empty() {
            "none".to_string()
        } else {
            r.seen
                .iter()
                .map(|x| format!("{}@{}", x.indicator, x.day))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (odds, effective, logs, toward) = match &r.weighed {
            None => (
                "no reading this early".to_string(),
                "—".to_string(),
                "—".to_string(),
                "—",
            ),
            Some(w) => match (w.posterior, w.interval, w.posterior_log) {
                (Some(p), Some([lo, hi]), Some(l)) => {
                    prior_log += w.prior_log;
                    posterior_log += l;
                    scored += 1;
                    let toward = match w.toward() {
                        Some(true) => {
                            moved.0 += 1;
                            "toward"
                        }
                        Some(false) => {
                            moved.1 += 1;
                            "away"
                        }
                        None => {
                            moved.2 += 1;
                            "not"
                        }
                    };
                    (
                        format!(
                            "{} → {} [{}–{}]",
                            percent(w.prior),
                            percent(p),
                            percent(lo),
                            percent(hi)
                        ),
                        format!("{:.0} of {}", w.effective_runs, w.runs),
                        format!("{:.3} → {l:.3}", w.prior_log),
                        toward,
                    )
                }
                _ => (
                    format!("{} → no run consistent", percent(w.prior)),
                    format!("0 of {}", w.runs),
                    format!("{:.3} → —", w.prior_log),
                    "—",
                ),
            },
        };
        t.add_row(vec![
            r.scenario.clone(),
            r.happened.to_string(),
            by,
            readings,
            odds,
            effective,
            logs,
            toward.to_string(),
        ]);
    }
    outln!("{t}");
    if let Some(r) = reports.first() {
        outln!(
            "{runs} runs of each case's shock ({}, seed {}); readings known by the origin plus {:.0}% of the observed lag, weighed as `patronfall update` weighs runs.",
            r.sampler,
            r.seed,
            100.0 * r.share
        );
    }
    if scored > 0 {
        let n = f64::from(scored);
        outln!(
            "Cases weighed: {scored}; moved toward what happened: {}, away: {}, not moved: {}; mean log score {:.3} → {:.3}.",
            moved.0,
            moved.1,
            moved.2,
            prior_log / n,
            posterior_log / n
        );
    }
}
