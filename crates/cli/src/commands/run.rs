//! `patronfall run`: one run with a readable summary and narrative, or the
//! full record as JSON, and optionally the event log as JSON lines.

use crate::commands::common::{
    DEFAULT_SCENARIO, duration_words, open_scenario, pick_coa, pick_shock, run_days,
    seconds_per_day, shock_name,
};
use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use crate::output::{significant, value, write_atomic};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_model::{
    Condition, LogEntry, Outcome, Recorder, RunResult, RunSpec, run as run_model,
};
use patronfall_scenario::Scenario;
use std::path::PathBuf;

/// Arguments of `patronfall run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in scenario name or a scenario file.
    #[arg(long, default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Course of action (the scenario's default if absent).
    #[arg(long)]
    pub coa: Option<String>,
    /// Shock to play (the scenario's default if absent; `none` for none).
    #[arg(long)]
    pub shock: Option<String>,
    /// Seed of the run's random numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Days to simulate (the scenario's horizon if absent).
    #[arg(long)]
    pub days: Option<u32>,
    /// Print the full outcome record as JSON instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write the event log as JSON lines to this file.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// After the turning points, print the whole log day by day: every
    /// border crossing, lever setting, stance shift and bargaining round.
    #[arg(long)]
    pub detail: bool,
}

/// Importance of a turning point (`LogEntry::importance`): the summary
/// prints every one of them, whatever the run's length.
const TURNING_POINT: u8 = 3;

/// Days shown in the summary table besides the start.
const KEY_DAYS: [u32; 3] = [3, 30, 90];

/// Outcomes shown in the summary table.
const KEY_OUTCOMES: [Outcome; 12] = [
    Outcome::PatronCapacity,
    Outcome::PatronInfluence,
    Outcome::CrossersTotal,
    Outcome::InterdictedTotal,
    Outcome::UnaffiliatedArmed,
    Outcome::FightersOutsideStateControl,
    Outcome::HoldoutFighters,
    Outcome::FactionsIntegrated,
    Outcome::ActiveShare,
    Outcome::Legitimacy,
    Outcome::Casualties,
    Outcome::StateStrength,
];

/// A run estimated to take longer than this is announced before it starts:
/// it shows nothing until it ends (an ensemble, with its progress bar,
/// warns from an hour).
const LONG_RUN: std::time::Duration = std::time::Duration::from_secs(60);

/// Warns when a probe run of the first days says the whole run will be long
/// (a large horizon, or large agent grids).
fn warn_if_long(
    s: &patronfall_scenario::Scenario,
    coa: patronfall_model::CoaId,
    shock: Option<patronfall_model::ShockId>,
    days: u32,
) {
    let per_day = seconds_per_day(&s.world, coa, shock, days);
    let estimate = per_day * f64::from(days);
    if estimate > LONG_RUN.as_secs_f64() {
        let grid = match s.world.unrest {
            patronfall_model::UnrestModel::Agents { .. } => ", or the scenario's agent_grid,",
            patronfall_model::UnrestModel::MeanField => "",
        };
        errln!(
            "warning: a probe run took {:.0} ms per simulated day; {days} days would take roughly {} (lower --days{grid} to wait less)",
            per_day * 1000.0,
            duration_words(estimate)
        );
    }
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let s = open_scenario(&args.scenario)?;
    let coa = pick_coa(&s, args.coa.as_deref())?;
    let shock = pick_shock(&s, args.shock.as_deref())?;
    let days = run_days(&s, args.days)?;
    warn_if_long(&s, coa, shock, days);
    let mut rec = Recorder::default();
    let result = run_model(
        RunSpec {
            world: &s.world,
            coa,
            shock,
            days,
            seed: args.seed,
        },
        &mut rec,
    );
    let coa_name = &s.ids.coas[coa.index()];
    let shock_name = shock_name(&s, shock);

    if let Some(path) = &args.events {
        let mut text = String::new();
        for e in &rec.log {
            text.push_str(&patronfall_results::record::entry_json(e).to_string());
            text.push('\n');
        }
        write_atomic(path, text.as_bytes())
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    }

    if args.json {
        let doc = patronfall_results::record::run_record(&s, coa, shock, args.seed, &result, &rec);
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(Failure::failed)?
        );
        return Ok(());
    }

    outln!(
        "{} — course of action `{coa_name}`, shock `{shock_name}`, seed {}, {} days",
        s.title,
        args.seed,
        result.days
    );
    outln!(
        "patronfall {} · scenario sha256 {}",
        env!("CARGO_PKG_VERSION"),
        &s.hash[..16]
    );
    match result.future {
        Some(f) => outln!(
            "\nFuture reached: {} (`{}`)",
            s.futures[f].name,
            s.ids.futures[f]
        ),
        None => outln!("\nFuture reached: none of the scenario's futures holds"),
    }
    for p in &result.problems {
        outln!("warning: {p}");
    }
    if result.problems.is_empty() {
        print_why(&s, &result);
    }
    let mut t = Table::new();
    let mut header = vec!["outcome".to_string(), "day 0".into()];
    let mut shown: Vec<u32> = KEY_DAYS.iter().copied().filter(|d| *d < days).collect();
    shown.push(days);
    header.extend(shown.iter().map(|d| format!("day {d}")));
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    for o in KEY_OUTCOMES {
        let mut row = vec![o.name().to_string(), value(rec.series[0].get(o))];
        for d in &shown {
            let v = rec.series.get(*d as usize).map_or(f64::NAN, |x| x.get(o));
            row.push(value(v));
        }
        t.add_row(row);
    }
    outln!("\n{t}");

    print_narrative(&rec.log, args.detail);
    let end_stances: Vec<String> = s
        .ids
        .groups
        .iter()
        .zip(&result.stances)
        .zip(&s.world.groups)
        .zip(&result.has_stance)
        .filter(|((_, g), has)| g.role == patronfall_model::GroupRole::Faction && **has)
        .map(|(((id, st), _), _)| format!("{id}: {}", st.name()))
        .collect();
    outln!("\nFaction stances at the end: {}", end_stances.join(", "));
    Ok(())
}

/// A condition as the scenario writes it: `stat outcome op threshold`.
fn condition_words(c: &Condition) -> String {
    format!(
        "{} {} {} {}",
        c.stat.name(),
        c.outcome.name(),
        c.op.symbol(),
        c.value
    )
}

/// What a future came to in this run: reached, held but came after the one
/// reached, or failed on some of its conditions.
fn verdict(s: &Scenario, result: &RunResult, f: usize) -> String {
    let held = result.margins[f]
        .iter()
        .zip(&s.world.futures[f].conditions)
        .filter(|(m, c)| Condition::held(c.op, **m))
        .count();
    let n = result.margins[f].len();
    match result.future {
        Some(r) if r == f => "reached".to_string(),
        _ if held == n => "held, but a future above came first".to_string(),
        _ => format!("not reached: {} of {n} failed", n - held),
    }
}

/// Prints why the run reached its future: every future in order with each
/// condition's value, threshold and margin.
fn print_why(s: &Scenario, result: &RunResult) {
    outln!(
        "\nWhy: futures are checked in order and the first whose conditions all hold is reached. A margin is by how much a condition held (+) or failed (−), in the outcome's unit."
    );
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "future",
        "verdict",
        "condition",
        "value",
        "margin",
        "",
    ]);
    for (f, fu) in s.world.futures.iter().enumerate() {
        let id = s.ids.futures[f].clone();
        if fu.conditions.is_empty() {
            let v = if result.future == Some(f) {
                "reached"
            } else {
                "not reached"
            };
            t.add_row(vec![id, v.to_string(), "none: the default".to_string()]);
            continue;
        }
        for (k, c) in fu.conditions.iter().enumerate() {
            let m = result.margins[f][k];
            let first = k == 0;
            t.add_row(vec![
                if first { id.clone() } else { String::new() },
                if first {
                    verdict(s, result, f)
                } else {
                    String::new()
                },
                condition_words(c),
                significant(result.reductions.value(c.outcome, c.stat)),
                format!("{}{}", if m >= 0.0 { "+" } else { "" }, significant(m)),
                if Condition::held(c.op, m) {
                    "held"
                } else {
                    "failed"
                }
                .to_string(),
            ]);
        }
    }
    outln!("{t}");
}

/// Prints the turning points of the whole run, then either the whole log
/// day by day (`detail`) or one line saying what that would add.
fn print_narrative(log: &[LogEntry], detail: bool) {
    let turning: Vec<&LogEntry> = log
        .iter()
        .filter(|e| e.importance >= TURNING_POINT)
        .collect();
    if turning.is_empty() {
        outln!("\nTurning points: none in this run.");
    } else {
        outln!("\nTurning points ({} over the whole run):", turning.len());
        for e in &turning {
            outln!("  day {:>3}: {}", e.day, e.text);
        }
    }
    let rest = log.len() - turning.len();
    if detail {
        outln!("\nDay by day (all {} entries of the log):", log.len());
        for e in log {
            outln!("  day {:>3}: {}", e.day, e.text);
        }
    } else if rest > 0 {
        let mut topics: Vec<(&str, usize)> = Vec::new();
        for e in log.iter().filter(|e| e.importance < TURNING_POINT) {
            match topics.iter_mut().find(|(t, _)| *t == e.topic.name()) {
                Some((_, n)) => *n += 1,
                None => topics.push((e.topic.name(), 1)),
            }
        }
        topics.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let topics: Vec<String> = topics.iter().map(|(t, n)| format!("{t} {n}")).collect();
        outln!(
            "\nThe day-by-day log holds {rest} further entries ({}); print them with --detail, or write every entry as JSON lines with --events FILE.",
            topics.join(", ")
        );
    }
}
