//! `patronfall analyze`: placeholder until its owner lands it.

use crate::failure::{CommandResult, Failure};

/// Arguments of `patronfall analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> CommandResult {
    Err(Failure::failed("`patronfall analyze` is not built yet"))
}
