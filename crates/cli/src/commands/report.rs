//! `patronfall report DIR`: rebuilds the self-contained HTML report of a
//! results directory (and its figures as SVG and PNG), prints a short
//! summary table and the report's path. The report crate does the work.

use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::path::{Path, PathBuf};

/// Arguments of `patronfall report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The results directory written by `patronfall ensemble`.
    pub dir: PathBuf,
    /// Observations to update the futures with (the file `patronfall update
    /// --observed` reads); the report shows the prior and posterior futures.
    #[arg(long)]
    pub observed: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let report = make(&args.dir, args.observed.as_deref())?;
    print_summary(&report);
    outln!(
        "report: {} ({} sections, {} figure files under {})",
        report.path.display(),
        report.sections.len(),
        report.figures.len(),
        args.dir.join("figures").display()
    );
    Ok(())
}

/// Builds the report of a results directory (for `patronfall ensemble`),
/// prints its warnings and returns its path.
pub fn build(dir: &Path) -> Result<PathBuf, Failure> {
    make(dir, None).map(|r| r.path)
}

/// Builds the report with the futures updated from the observations in
/// `observed` (for a follow-up), prints its warnings and returns its path.
pub fn build_observed(dir: &Path, observed: &Path) -> Result<PathBuf, Failure> {
    make(dir, Some(observed)).map(|r| r.path)
}

fn make(dir: &Path, observed: Option<&Path>) -> Result<patronfall_report::Report, Failure> {
    let report = patronfall_report::build_with(dir, observed)?;
    for w in &report.warnings {
        errln!("warning: {w}");
    }
    if !report.complete {
        errln!("warning: the ensemble is incomplete; the report says so at the top");
    }
    Ok(report)
}

/// Prints the most likely future per course of action.
fn print_summary(report: &patronfall_report::Report) {
    let t = &report.futures;
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "course of action",
        "runs",
        "most likely future",
        "probability",
    ]);
    for (c, name) in t.coas.iter().enumerate() {
        let best = (0..t.futures.len()).max_by_key(|&f| t.counts[c][f]);
        let (future, share) = match best.and_then(|f| t.share[c][f].map(|x| (f, x))) {
            Some((f, x)) => (
                t.futures[f].clone(),
                format!(
                    "{:.0}% ({:.0}–{:.0})",
                    x.estimate * 100.0,
                    x.lower * 100.0,
                    x.upper * 100.0
                ),
            ),
            None => ("–".into(), "–".into()),
        };
        table.add_row(vec![name.clone(), t.runs[c].to_string(), future, share]);
    }
    outln!("{table}");
}
