//! The `patronfall` command: flag definitions and glue.
//!
//! Every subcommand lives in its own module under `commands/` and calls one
//! library operation; `main` only dispatches and maps failures to the exit
//! codes documented in `failure.rs`.

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

mod commands;
mod failure;
mod output;

/// mimalloc instead of the system allocator: runs, bargaining rounds and the
/// writers make many small, short-lived allocations, and with glibc's
/// allocator they cost about a tenth of an ensemble's time
/// (`docs/performance.md`). Allocation order does not touch any result.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What happens when a proxy network loses its patron but not its guns.
#[derive(Debug, Parser)]
#[command(name = "patronfall", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// One run: a readable summary and narrative, or JSON.
    Run(commands::run::Args),
    /// The main job: many runs under uncertainty, every course of action on the same samples.
    Ensemble(commands::ensemble::Args),
    /// Analyses over a results directory: futures, sensitivity, discover, robustness.
    Analyze(commands::analyze::Args),
    /// Two versions of a scenario on paired runs: the figures that differ, the futures and outcomes side by side.
    Compare(commands::compare::Args),
    /// What to watch: which indicators tell the futures apart, how early and how strongly.
    Signposts(commands::signposts::Args),
    /// The futures' odds updated from dated observations of the indicators.
    Update(commands::update::Args),
    /// Rebuild the HTML report of a results directory.
    Report(commands::report::Args),
    /// Export a results directory for other tools (the EMA Workbench).
    Export(commands::export::Args),
    /// Make the finished rows of a killed ensemble readable.
    Recover(commands::recover::Args),
    /// Results directories as wholes: join the shards of a plan.
    Results(commands::results::Args),
    /// A plan's shards on a cluster: a Slurm job array and the merge that waits for it.
    Cluster(commands::cluster::Args),
    /// An interactive what-if view in the browser: change figures, run paired ensembles, compare.
    Serve(commands::serve::Args),
    /// Score the model against past cases (Syria 2024, Afghanistan 2021).
    Backtest(commands::backtest::Args),
    /// Scenarios: list the built-ins, show, check, start a new one, JSON Schema.
    Scenario(commands::scenario::Args),
    /// The bargaining model alone, on a KTAB CSV/XML file.
    Bargain(commands::bargain::Args),
    /// Reference models used for validation (Epstein's civil violence).
    Reference(commands::reference::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Scenario(args) => commands::scenario::run(args),
        Command::Ensemble(args) => commands::ensemble::run(args),
        Command::Analyze(args) => commands::analyze::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Signposts(args) => commands::signposts::run(args),
        Command::Update(args) => commands::update::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Recover(args) => commands::recover::run(args),
        Command::Results(args) => commands::results::run(args),
        Command::Cluster(args) => commands::cluster::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Backtest(args) => commands::backtest::run(args),
        Command::Bargain(args) => commands::bargain::run(args),
        Command::Reference(args) => commands::reference::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Never panics, even when standard error is a closed pipe.
            let _ = writeln!(std::io::stderr(), "{failure}");
            failure.exit_code()
        }
    }
}
