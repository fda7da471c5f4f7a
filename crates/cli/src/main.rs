//! The `patronfall` command: flag definitions and glue.
//!
//! Every subcommand lives in its own module under `commands/` and calls one
//! library operation; `main` only dispatches and maps failures to the exit
//! codes documented in `failure.rs`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod commands;
mod failure;

/// What happens when a proxy network loses its patron but not its guns.
#[derive(Debug, Parser)]
#[command(name = "patronfall", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The bargaining model alone, on a KTAB CSV/XML file.
    Bargain(commands::bargain::Args),
    /// Reference models used for validation (Epstein's civil violence).
    Reference(commands::reference::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Bargain(args) => commands::bargain::run(args),
        Command::Reference(args) => commands::reference::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            failure.exit_code()
        }
    }
}
