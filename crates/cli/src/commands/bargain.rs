//! `patronfall bargain`: placeholder until the bargaining crate lands.

use crate::failure::{CommandResult, Failure};

/// Arguments of `patronfall bargain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A KTAB CSV or XML file.
    pub file: std::path::PathBuf,
}

/// Runs the command.
pub fn run(_args: Args) -> CommandResult {
    Err(Failure::failed("the bargaining model is not built yet"))
}
