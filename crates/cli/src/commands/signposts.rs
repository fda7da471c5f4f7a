//! `patronfall signposts`: what to watch, from an ensemble's indicators.
//! The analysis is `patronfall_results::analyses::signposts`; this module
//! parses the flags, prints the ranking and the signposts, and saves
//! `analysis/signposts.json` for the report.

use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_results::analyses::signposts::{Sign, Signposts, analyse, indicator_table};
use patronfall_results::analyses::{self, Results};
use std::path::{Path, PathBuf};

/// Arguments of `patronfall signposts`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory written by `patronfall ensemble`.
    pub dir: PathBuf,
    /// Courses of action to analyse (all if absent).
    #[arg(long, num_args = 1..)]
    pub coa: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Opens a results directory, with a note when its ensemble did not finish.
pub fn open(dir: &Path) -> Result<Results, Failure> {
    let results = analyses::open(dir)?;
    let m = &results.manifest;
    if !m.complete {
        errln!(
            "note: {} is incomplete ({} of {} experiments finished); using the finished rows",
            dir.display(),
            m.experiments_done,
            m.experiments_planned
        );
    }
    Ok(results)
}

/// The positions of the courses of action asked for (all when none).
pub fn pick_coas(results: &Results, names: &[String]) -> Result<Vec<usize>, Failure> {
    let m = &results.manifest;
    if names.is_empty() {
        return Ok((0..m.coas.len()).collect());
    }
    names
        .iter()
        .map(|n| {
            m.coas.iter().position(|c| c == n).ok_or_else(|| {
                Failure::bad_input(format!(
                    "--coa: `{n}` is not a course of action of this ensemble ({})",
                    m.coas.join(", ")
                ))
            })
        })
        .collect()
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let results = open(&args.dir)?;
    let coas = pick_coas(&results, &args.coa)?;
    let table = indicator_table(&results)?;
    let analysis = analyse(&results, &table, &coas)?;
    if !args.json {
        print(&analysis);
    }
    let (path, text) = analyses::save(&args.dir, analysis)?;
    if args.json {
        outln!("{text}");
    } else {
        outln!("\nsaved: {}", path.display());
    }
    Ok(())
}

/// A threshold as people read it: whole numbers for counts, two decimals
/// for shares.
pub fn amount(v: f64) -> String {
    if v.abs() >= 10.0 {
        crate::output::count(v)
    } else {
        format!("{v:.2}")
    }
}

/// "by day 14, Crossings at Diyala above 3,000: spillover_crisis 4.1× more likely (3.2–5.3)".
pub fn sentence(day: u32, name: &str, s: &Sign) -> String {
    format!(
        "by day {day}, {name} {} {}: {} {:.1}× more likely ({:.1}–{:.1})",
        if s.side == "above" {
            "above"
        } else {
            "at most"
        },
        amount(s.threshold),
        s.future,
        s.lr.ratio,
        s.lr.low,
        s.lr.high
    )
}

fn print(a: &Signposts) {
    let mut coas: Vec<&str> = Vec::new();
    for r in &a.ranking {
        if !coas.contains(&r.coa.as_str()) {
            coas.push(&r.coa);
        }
    }
    outln!(
        "What to watch: indicators ranked by how early and how strongly they tell the futures apart\n(information: share of the uncertainty about the future the indicator removes, {:.0}% interval)",
        a.confidence * 100.0
    );
    for coa in coas {
        outln!("\n{coa}");
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "rank",
            "indicator",
            "informative from",
            "information",
            "strongest signpost",
        ]);
        for (i, r) in a.ranking.iter().filter(|r| r.coa == coa).enumerate() {
            let entry = a
                .entries
                .iter()
                .find(|e| e.coa == r.coa && e.indicator == r.indicator && e.day == r.day);
            let info = entry.map_or("–".to_string(), |e| {
                format!(
                    "{:.0}% ({:.0}–{:.0}) on day {}",
                    e.information.share * 100.0,
                    e.information.share_low * 100.0,
                    (e.information.high / e.information.entropy.max(1e-12)).min(1.0) * 100.0,
                    r.day
                )
            });
            t.add_row(vec![
                (i + 1).to_string(),
                r.name.clone(),
                r.informative_from
                    .map_or("never".to_string(), |d| format!("day {d}")),
                info,
                r.sign
                    .as_ref()
                    .map_or("–".to_string(), |s| sentence(r.day, &r.name, s)),
            ]);
        }
        outln!("{t}");
    }
}
