//! `patronfall reference`: placeholder until the Epstein crate lands.

use crate::failure::{CommandResult, Failure};

/// Arguments of `patronfall reference`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> CommandResult {
    Err(Failure::failed("the reference models are not built yet"))
}
