//! `patronfall report`: placeholder until its owner lands it.

use crate::failure::{CommandResult, Failure};

/// Arguments of `patronfall report`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> CommandResult {
    Err(Failure::failed("`patronfall report` is not built yet"))
}
