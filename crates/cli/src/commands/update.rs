//! `patronfall update`: the futures' odds given what was observed, or the
//! hold-out check of that update (`--holdout`), and a targeted follow-up
//! ensemble run where the observations point (`--follow-up N --out DIR`).
//! The analyses are `patronfall_results::analyses::update` and
//! `::follow_up`; this module parses the flags, runs the follow-up's plan
//! as `ensemble` runs its own, prints the tables and saves
//! `analysis/update.json` for the report.

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
    /// Then run a targeted follow-up of N new samples, concentrated where the
    /// observations point, on every course of action with shared seeds, and
    /// update it too (written to --out).
    #[arg(long, value_name = "N", requires_all = ["observed", "out"])]
    pub follow_up: Option<usize>,
    /// With --follow-up: the follow-up's results directory.
    #[arg(long, requires = "follow_up")]
    pub out: Option<PathBuf>,
    /// With --follow-up: overwrite an existing results directory.
    #[arg(long, requires = "follow_up")]
    pub force: bool,
    /// With --follow-up: the uncertain figures to perturb around the samples
    /// the observations favour (paths; a trailing `*` matches a prefix); the
    /// 8 figures the observations moved most if absent. The other varied
    /// figures are drawn afresh from their prior.
    #[arg(long, num_args = 1.., requires = "follow_up")]
    pub perturb: Vec<String>,
    /// With --follow-up: master seed of the new runs (the ensemble's seed + 1
    /// if absent, so that their dice differ from the ensemble's).
    #[arg(long, requires = "follow_up")]
    pub seed: Option<u64>,
    /// With --follow-up: worker threads (all cores if absent).
    #[arg(long, requires = "follow_up")]
    pub threads: Option<usize>,
    /// With --follow-up: do not build its report, with the prior and posterior
    /// futures (`patronfall report DIR --observed FILE` builds it later).
    #[arg(long, requires = "follow_up")]
    pub no_report: bool,
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
    if args.follow_up.is_none() {
        for c in &update.coas {
            if let Some(w) = &c.warning {
                errln!("warning: {}: {w}", c.coa);
            }
        }
    }
    if !args.json {
        print(&update);
    }
    let (path, text) = analyses::save(&args.dir, update.clone())?;
    let Some(samples) = args.follow_up else {
        if args.json {
            outln!("{text}");
        } else {
            outln!("\nsaved: {}", path.display());
        }
        return Ok(());
    };
    if !args.json {
        outln!("\nsaved: {}", path.display());
    }
    let out = args
        .out
        .as_deref()
        .ok_or_else(|| Failure::bad_input("--out: give the follow-up's results directory"))?;
    let (after, complete) = follow_up(
        &args, &results, &table, &observed, &coas, file, samples, out,
    )?;
    for c in &after.coas {
        if let Some(w) = &c.warning {
            errln!("warning: follow-up: {}: {w}", c.coa);
        }
    }
    let (path, after_text) = analyses::save(out, after.clone())?;
    if args.json {
        outln!("{{\n\"ensemble\": {text},\n\"follow_up\": {after_text}\n}}");
    } else {
        outln!(
            "\nFollow-up of {} new samples ({}), weighted by the observations and corrected for where they were drawn:",
            samples,
            out.display()
        );
        print(&after);
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "course of action",
            "effective runs: ensemble",
            "follow-up",
        ]);
        for c in &after.coas {
            let before = update.coas.iter().find(|b| b.coa == c.coa);
            t.add_row(vec![
                c.coa.clone(),
                before.map_or("–".into(), |b| {
                    format!("{:.0} of {}", b.effective_runs, b.runs)
                }),
                format!("{:.0} of {}", c.effective_runs, c.runs),
            ]);
        }
        outln!("\n{t}");
        outln!("\nsaved: {}", path.display());
    }
    if !args.no_report {
        let report = crate::commands::report::build_observed(out, file)?;
        if !args.json {
            outln!("report: {}", report.display());
        }
    }
    if !complete {
        return Err(Failure::failed(format!(
            "interrupted: the follow-up's finished experiments are kept in {} (the manifest says complete = false) and were updated",
            out.display()
        )));
    }
    Ok(())
}

/// Plans the follow-up, runs it into `out` and updates it from the same
/// observations; returns its update and whether every experiment finished.
#[allow(clippy::too_many_arguments)]
fn follow_up(
    args: &Args,
    results: &analyses::Results,
    table: &patronfall_results::indicators::IndicatorTable,
    observed: &[(usize, patronfall_results::analyses::update::Observation)],
    coas: &[usize],
    file: &std::path::Path,
    samples: usize,
    out: &std::path::Path,
) -> Result<(Update, bool), Failure> {
    use crate::commands::ensemble::{CHUNK, check_budget, prepare_dir, run_plan, runs_formats};
    use patronfall_results::analyses::follow_up::{Request, plan};
    if samples == 0 {
        return Err(Failure::bad_input(
            "--follow-up: give N of 1 or more new samples",
        ));
    }
    let m = &results.manifest;
    let name = m
        .scenario_file
        .strip_prefix("builtin:")
        .unwrap_or(&m.scenario_file);
    let scenario = crate::commands::common::open_scenario(name)?;
    let request = Request {
        samples,
        seed: args.seed.unwrap_or(m.seed.wrapping_add(1)),
        perturb: args.perturb.clone(),
        coas: coas.to_vec(),
    };
    let targeted = plan(results, &scenario, table, observed, file, &request)?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(Failure::bad_input("--threads: must be at least 1"));
    }
    let options = patronfall_ensemble::Options {
        threads,
        chunk: CHUNK,
        keep_series: false,
        series_sample: m.series_sample,
    };
    check_budget(
        &scenario,
        &targeted.plan,
        &options,
        targeted.plan.experiments(),
    )?;
    prepare_dir(out, args.force)?;
    let perturbed: Vec<&str> = targeted
        .record
        .perturbed
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    errln!(
        "follow-up: the ensemble's {} samples weigh as {:.1} effective ones; perturbing {} (the other varied figures drawn afresh)",
        m.samples,
        targeted.record.parent_effective_samples,
        perturbed.join(", ")
    );
    let mut manifest = patronfall_results::Manifest::new(
        &scenario,
        &targeted.plan,
        &options,
        std::env::args().collect(),
    );
    manifest.follow_up = Some(targeted.record);
    let experiments = 0..targeted.plan.experiments();
    let formats = runs_formats(None, &manifest, &scenario);
    let (_, completion) = run_plan(
        &scenario,
        &targeted.plan,
        options,
        out,
        manifest,
        experiments,
        formats,
    )?;
    let child = open(out)?;
    let child_table = indicator_table(&child)?;
    let child_observed = read_observations(file, &child_table)?;
    let all: Vec<usize> = (0..child.manifest.coas.len()).collect();
    let update = analyse(&child, &child_table, &child_observed, &all)?;
    Ok((update, completion.complete()))
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
