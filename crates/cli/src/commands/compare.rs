//! `patronfall compare A B`: two versions of a scenario on paired runs.
//! Flags and tables; running both versions and the comparison itself are
//! `patronfall_results::analyses::compare`.

use crate::commands::common::{open_scenario_with, run_days};
use crate::commands::ensemble::prepare_dir;
use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_ensemble::runner::Options;
use patronfall_ensemble::{Plan, PlanSpec};
use patronfall_results::analyses::compare::{self, Comparison, run_version};
use patronfall_results::analyses::{self, Results};
use patronfall_scenario::Scenario;
use std::path::{Path, PathBuf};

/// Arguments of `patronfall compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Version A: a built-in scenario name, a scenario file, or a results directory.
    pub a: String,
    /// Version B: the same kind as A.
    pub b: String,
    /// Scenario samples (scenario files only; default 100).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Replications (seeds) per sample (scenario files only; default 1).
    #[arg(long)]
    pub replications: Option<usize>,
    /// Shock to play, by name in both (scenario files only; A's default if absent, `none` for none).
    #[arg(long)]
    pub shock: Option<String>,
    /// Courses of action to compare (all that both versions have if absent).
    #[arg(long, num_args = 1..)]
    pub coa: Vec<String>,
    /// Master seed (scenario files only; default 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Days per run (scenario files only; A's horizon if absent).
    #[arg(long)]
    pub days: Option<u32>,
    /// Worker threads (scenario files only; all cores if absent).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also vary the model's behavioural parameters over their plausible
    /// ranges, on the same values in both versions (scenario files only;
    /// as `patronfall ensemble --vary-parameters`).
    #[arg(long)]
    pub vary_parameters: bool,
    /// Outcomes (columns of runs.csv) to compare (a few headline outcomes if absent).
    #[arg(long, num_args = 1..)]
    pub outcome: Vec<String>,
    /// Where the two versions' results go, as DIR/a and DIR/b (scenario files only).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Overwrite DIR/a and DIR/b.
    #[arg(long)]
    pub force: bool,
    /// Which files hold each version's runs table (scenario files only):
    /// `csv`, `parquet` or `both`; as `patronfall ensemble --runs-format`,
    /// both unless runs.csv would exceed 1 GiB if absent.
    #[arg(long, value_enum)]
    pub runs_format: Option<crate::commands::ensemble::RunsFormatsArg>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Default results directory of a comparison of two scenario files.
const DEFAULT_OUT: &str = "results/compare";

fn is_results(arg: &str) -> bool {
    Path::new(arg).join("manifest.json").is_file()
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let (dir_a, dir_b) = match (is_results(&args.a), is_results(&args.b)) {
        (true, true) => {
            let scenario_only = [
                ("--runs", args.runs.is_some()),
                ("--replications", args.replications.is_some()),
                ("--shock", args.shock.is_some()),
                ("--seed", args.seed.is_some()),
                ("--days", args.days.is_some()),
                ("--threads", args.threads.is_some()),
                ("--vary-parameters", args.vary_parameters),
                ("--out", args.out.is_some()),
                ("--force", args.force),
                ("--runs-format", args.runs_format.is_some()),
            ];
            if let Some((flag, _)) = scenario_only.iter().find(|f| f.1) {
                return Err(Failure::bad_input(format!(
                    "{flag} applies to two scenario files; {} and {} are results directories, \
                     compared as they were run",
                    args.a, args.b
                )));
            }
            (PathBuf::from(&args.a), PathBuf::from(&args.b))
        }
        (false, false) => run_both(&args)?,
        (x, _) => {
            let (dir, other) = if x {
                (&args.a, &args.b)
            } else {
                (&args.b, &args.a)
            };
            return Err(Failure::bad_input(format!(
                "{dir} is a results directory but {other} is not; give two scenario files (or \
                 built-in names), or two results directories"
            )));
        }
    };
    let (a, b) = (open(&dir_a)?, open(&dir_b)?);
    let comparison = compare::compare(&a, &b, &args.coa, &args.outcome)?;
    if !args.json {
        print(&comparison);
    }
    let (path, text) = analyses::save(&dir_b, comparison)?;
    if args.json {
        outln!("{text}");
    } else {
        outln!(
            "\nsaved: {} (`patronfall report {}` shows it)",
            path.display(),
            dir_b.display()
        );
    }
    Ok(())
}

fn open(dir: &Path) -> Result<Results, Failure> {
    let results = analyses::open(dir)?;
    if !results.manifest.complete {
        errln!(
            "note: {} is incomplete; comparing the finished runs",
            dir.display()
        );
    }
    Ok(results)
}

/// The plan of one version: the same samples, seed, shock (by name) and
/// days as the other, the courses of action by name.
fn spec(
    s: &Scenario,
    args: &Args,
    coas: &[String],
    shock: &str,
    days: u32,
) -> Result<PlanSpec, Failure> {
    let shock = match s.shock(shock) {
        Some(k) => Some(k),
        None if shock == "none" => None,
        None => {
            return Err(Failure::bad_input(format!(
                "shock `{shock}` is not a shock of {} ({}); it has: {} (choose one both versions have with --shock)",
                s.id,
                s.file,
                s.ids.shocks.join(", ")
            )));
        }
    };
    Ok(PlanSpec {
        sampler: compare::SAMPLER,
        runs: args.runs.unwrap_or(100),
        replications: args.replications.unwrap_or(1),
        coas: coas.iter().filter_map(|c| s.coa(c)).collect(),
        shock,
        days,
        seed: args.seed.unwrap_or(1),
        vary: Vec::new(),
    })
}

/// Runs both scenario versions into DIR/a and DIR/b.
fn run_both(args: &Args) -> Result<(PathBuf, PathBuf), Failure> {
    let (sa, sb) = (
        open_scenario_with(&args.a, args.vary_parameters)?,
        open_scenario_with(&args.b, args.vary_parameters)?,
    );
    let shared: Vec<String> = sa
        .ids
        .coas
        .iter()
        .filter(|c| sb.coa(c).is_some())
        .cloned()
        .collect();
    let coas = if args.coa.is_empty() {
        shared
    } else {
        for c in &args.coa {
            if !shared.contains(c) {
                return Err(Failure::bad_input(format!(
                    "--coa: `{c}` is not a course of action of both versions; they share: {}",
                    shared.join(", ")
                )));
            }
        }
        args.coa.clone()
    };
    if coas.is_empty() {
        return Err(Failure::bad_input(format!(
            "{} and {} have no course of action in common",
            sa.file, sb.file
        )));
    }
    let shock = match &args.shock {
        Some(s) => s.clone(),
        None => crate::commands::common::shock_name(&sa, sa.default_shock),
    };
    let days = run_days(&sa, args.days)?;
    if args.days.is_none() && sb.world.horizon_days != sa.world.horizon_days {
        errln!(
            "note: the versions' horizons differ ({} and {} days); running both for A's {days} (--days sets it)",
            sa.world.horizon_days,
            sb.world.horizon_days
        );
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(Failure::bad_input("--threads: must be at least 1"));
    }
    let options = Options {
        threads,
        chunk: 256,
        keep_series: false,
        series_sample: 500,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let command: Vec<String> = std::env::args().collect();
    let mut dirs = Vec::new();
    for (name, s) in [("a", &sa), ("b", &sb)] {
        let plan = Plan::new(s, spec(s, args, &coas, &shock, days)?).map_err(|e| {
            Failure::bad_input(format!("cannot plan version {name} ({}): {e}", s.file))
        })?;
        let dir = out.join(name);
        prepare_dir(&dir, args.force)?;
        errln!(
            "version {name}: {} ({} experiments, sampler {})",
            s.file,
            plan.experiments(),
            compare::SAMPLER.name()
        );
        let (_, formats) = run_version(
            s,
            &plan,
            options,
            (&dir, args.runs_format.map(Into::into)),
            command.clone(),
        )?;
        if let Some(csv) = formats.csv_left_out {
            crate::commands::ensemble::note_csv_left_out(&csv);
        }
        dirs.push(dir);
    }
    let b = dirs.pop().unwrap_or_default();
    let a = dirs.pop().unwrap_or_default();
    Ok((a, b))
}

fn pct(v: f64) -> String {
    format!("{:.1}", v * 100.0)
}

fn interval(d: Option<f64>, l: Option<f64>, h: Option<f64>, scale: f64) -> String {
    match (d, l, h) {
        (Some(d), Some(l), Some(h)) => format!(
            "{} ({} to {})",
            signed(d * scale),
            signed(l * scale),
            signed(h * scale)
        ),
        _ => "–".into(),
    }
}

/// A difference with its sign; no difference (or one that rounds to zero
/// as printed) carries none.
fn signed(v: f64) -> String {
    let text = crate::output::value(v.abs());
    if text.chars().all(|c| matches!(c, '0' | '.' | ',')) {
        text
    } else if v < 0.0 {
        format!("-{text}")
    } else {
        format!("+{text}")
    }
}

fn print(c: &Comparison) {
    let level = format!("{:.0}%", c.confidence * 100.0);
    outln!(
        "A: {} ({})\nB: {} ({})\n{} samples × {} replication(s), sampler {}, seed {}, shock {}, {} days; {} figures paired",
        c.a.dir,
        c.a.scenario_file,
        c.b.dir,
        c.b.scenario_file,
        c.samples,
        c.replications,
        c.sampler,
        c.seed,
        c.shock,
        c.days,
        c.paired_figures
    );
    if c.figures.is_empty() {
        outln!("\nNo figure differs.");
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY)
            .set_header(vec!["figure", "A", "B", "sources", "basis"]);
        for f in &c.figures {
            t.add_row(vec![
                f.path.clone(),
                f.a.clone().unwrap_or_else(|| "(not set)".into()),
                f.b.clone().unwrap_or_else(|| "(not set)".into()),
                f.sources.join(" "),
                f.basis.clone(),
            ]);
        }
        let from = if c.files_compared {
            "from the scenario files"
        } else {
            "uncertain figures only: the scenario files could not be read as recorded"
        };
        outln!("\nFigures that differ ({from}):\n{t}");
    }
    if !c.entries.is_empty() {
        let added: Vec<&str> = c
            .entries
            .iter()
            .filter(|e| e.change == "added")
            .map(|e| e.path.as_str())
            .collect();
        let removed: Vec<&str> = c
            .entries
            .iter()
            .filter(|e| e.change == "removed")
            .map(|e| e.path.as_str())
            .collect();
        outln!(
            "\nEntries added in B: {}",
            if added.is_empty() {
                "none".into()
            } else {
                added.join(", ")
            }
        );
        outln!(
            "Entries removed in B: {}",
            if removed.is_empty() {
                "none".into()
            } else {
                removed.join(", ")
            }
        );
    }
    for coa in &c.coas {
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "future".to_string(),
            "A, %".into(),
            "B, %".into(),
            format!("B − A, points ({level} Newcombe paired)"),
        ]);
        for f in &coa.futures {
            t.add_row(vec![
                f.future.clone(),
                format!("{} ({}–{})", pct(f.a), pct(f.a_low), pct(f.a_high)),
                format!("{} ({}–{})", pct(f.b), pct(f.b_low), pct(f.b_high)),
                interval(f.difference, f.low, f.high, 100.0),
            ]);
        }
        outln!("\n{} ({} pairs): futures\n{t}", coa.coa, coa.pairs);
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "outcome (last day)".to_string(),
            "A mean".into(),
            "B mean".into(),
            format!("B − A ({level} paired t)"),
        ]);
        for o in &coa.outcomes {
            let mean = |m: Option<f64>| m.map_or("–".into(), crate::output::value);
            t.add_row(vec![
                o.outcome.clone(),
                mean(o.a_mean),
                mean(o.b_mean),
                interval(o.difference, o.low, o.high, 1.0),
            ]);
        }
        outln!("{t}");
    }
}

#[cfg(test)]
mod tests {
    use super::signed;

    #[test]
    fn a_difference_that_prints_as_zero_has_no_sign() {
        assert_eq!(signed(0.0), "0.000");
        assert_eq!(signed(-0.0001), "0.000");
        assert_eq!(signed(0.5), "+0.500");
        assert_eq!(signed(-2.0), "-2.0");
        assert_eq!(signed(-1500.0), "-1,500");
    }
}
