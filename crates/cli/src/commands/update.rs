//! `patronfall update`: the futures' odds given what was observed, or the
//! hold-out check of that update (`--holdout`). The analysis is
//! `patronfall_results::analyses::update`; this module parses the flags,
//! prints the tables and saves `analysis/update.json` for the report.

use super::signposts::{open, pick_coas};
use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_results::analyses::update::{
    CoaHoldout, Update, analyse, holdout, read_observations,
};
use patronfall_results::analyses::{self, signposts::indicator_table};
use std::path::PathBuf;

/// Arguments of `patronfall update`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory written by `patronfall ensemble`.
    pub dir: PathBuf,
    /// TOML file of dated observations: [[observed]] indicator, day, value or range.
    #[arg(long, required_unless_present = "holdout")]
    pub observed: Option<PathBuf>,
    /// Instead: check the method by holding back every N-th scenario sample
    /// as the truth and updating the rest from its indicators.
    #[arg(long, value_name = "N", conflicts_with = "observed")]
    pub holdout: Option<usize>,
    /// With --holdout: use the indicators known by this day (all if absent).
    #[arg(long, requires = "holdout")]
    pub by_day: Option<u32>,
    /// Courses of action (all if absent).
    #[arg(long, num_args = 1..)]
    pub coa: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let results = open(&args.dir)?;
    let coas = pick_coas(&results, &args.coa)?;
    let table = indicator_table(&results)?;
    if let Some(every) = args.holdout {
        if every < 2 {
            return Err(Failure::bad_input(
                "--holdout: give N of 2 or more (every N-th sample is held back)",
            ));
        }
        let by_day = args.by_day.unwrap_or(u32::MAX);
        let h = holdout(&results, &table, &coas, every, by_day)?;
        if args.json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&h).map_err(Failure::failed)?
            );
        } else {
            print_holdout(&h, every, args.by_day);
        }
        return Ok(());
    }
    let Some(file) = &args.observed else {
        return Err(Failure::bad_input("--observed: give the observations file"));
    };
    let observed = read_observations(file, &table)?;
    let update = analyse(&results, &table, &observed, &coas)?;
    for c in &update.coas {
        if let Some(w) = &c.warning {
            errln!("warning: {}: {w}", c.coa);
        }
    }
    if !args.json {
        print(&update);
    }
    let (path, text) = analyses::save(&args.dir, update)?;
    if args.json {
        outln!("{text}");
    } else {
        outln!("\nsaved: {}", path.display());
    }
    Ok(())
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.0}%", v * 100.0))
}

fn print(u: &Update) {
    outln!(
        "{} observation(s); posterior by importance weighting of the runs ({:.0}% Wilson intervals on the effective runs)",
        u.observed.len(),
        u.confidence * 100.0
    );
    for c in &u.coas {
        outln!(
            "\n{}: {} runs, {:.0} effective",
            c.coa,
            c.runs,
            c.effective_runs
        );
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY)
            .set_header(vec!["future", "prior", "posterior"]);
        for f in &c.futures {
            if f.prior == 0.0 && f.posterior.unwrap_or(0.0) == 0.0 {
                continue;
            }
            t.add_row(vec![
                f.future.clone(),
                pct(Some(f.prior)),
                format!("{} ({}–{})", pct(f.posterior), pct(f.low), pct(f.high)),
            ]);
        }
        outln!("{t}");
        if !c.figures.is_empty() {
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
                "uncertain figure (moved most)",
                "prior mean (5–95%)",
                "posterior mean (5–95%)",
                "shift (prior sd)",
            ]);
            for f in c.figures.iter().take(6) {
                let v = crate::output::value;
                t.add_row(vec![
                    f.path.clone(),
                    format!(
                        "{} ({}–{})",
                        v(f.prior_mean),
                        v(f.prior_quantiles[0]),
                        v(f.prior_quantiles[2])
                    ),
                    format!(
                        "{} ({}–{})",
                        v(f.posterior_mean),
                        v(f.posterior_quantiles[0]),
                        v(f.posterior_quantiles[2])
                    ),
                    format!("{:+.2}", f.shift),
                ]);
            }
            outln!("{t}");
        }
    }
}

fn print_holdout(h: &[CoaHoldout], every: usize, by_day: Option<u32>) {
    outln!(
        "Hold-out check: every {every}th sample is the truth, observed through its indicators{}; the rest is the ensemble",
        by_day.map_or(String::new(), |d| format!(" known by day {d}"))
    );
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "course of action",
        "held out",
        "log score prior → posterior",
        "Brier prior → posterior",
        "true future raised",
        "effective runs",
    ]);
    for c in h {
        t.add_row(vec![
            c.coa.clone(),
            c.runs.to_string(),
            format!("{:.3} → {:.3}", c.prior_log, c.posterior_log),
            format!("{:.3} → {:.3}", c.prior_brier, c.posterior_brier),
            format!("{:.0}%", c.raised * 100.0),
            format!("{:.0}", c.mean_effective_runs),
        ]);
    }
    outln!("{t}");
    outln!(
        "\nReliability of the posteriors (all courses of action): forecasts binned by probability"
    );
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "probability",
        "forecasts",
        "mean forecast",
        "came true",
    ]);
    for b in 0..10 {
        let (mut n, mut mean, mut hit) = (0usize, 0.0, 0.0);
        for c in h {
            let r = &c.reliability[b];
            if let (Some(m), Some(s)) = (r.mean_probability, r.observed_share) {
                n += r.forecasts;
                mean += m * r.forecasts as f64;
                hit += s * r.forecasts as f64;
            }
        }
        if n == 0 {
            continue;
        }
        t.add_row(vec![
            format!("{:.1}–{:.1}", b as f64 / 10.0, (b + 1) as f64 / 10.0),
            n.to_string(),
            format!("{:.2}", mean / n as f64),
            format!("{:.2}", hit / n as f64),
        ]);
    }
    outln!("{t}");
}
