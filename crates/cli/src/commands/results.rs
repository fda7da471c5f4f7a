//! `patronfall results`: operations on whole results directories. `merge`
//! joins the shards of one plan (`ensemble --shard K/N`) into the
//! directory one machine would have written
//! (`patronfall_results::merge`).

use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use patronfall_results::merge::{MergeError, merge};
use std::path::PathBuf;

/// Arguments of `patronfall results`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Join the shards of one plan (`ensemble --shard K/N`) into one results
    /// directory, the one an ensemble on one machine writes.
    Merge(MergeArgs),
}

/// Arguments of `patronfall results merge`.
#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// The shards' results directories, every shard of the plan once, in any order.
    #[arg(required = true, value_name = "DIR")]
    shards: Vec<PathBuf>,
    /// The merged results directory: new, or empty.
    #[arg(long)]
    out: PathBuf,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    match args.command {
        Command::Merge(m) => run_merge(m),
    }
}

fn run_merge(args: MergeArgs) -> CommandResult {
    let merged =
        merge(&args.shards, &args.out, std::env::args().collect()).map_err(|e: MergeError| {
            if e.is_bad_input() {
                Failure::bad_input(e)
            } else {
                Failure::failed(e)
            }
        })?;
    let m = &merged.manifest;
    outln!(
        "merged {} shards: {} experiments of {} ({} course(s) of action, seed {}) into {}",
        merged.shards,
        m.experiments_done,
        m.scenario,
        m.coas.len(),
        m.seed,
        args.out.display()
    );
    outln!(
        "`patronfall analyze futures {0}` and `patronfall report {0}` read it",
        args.out.display()
    );
    Ok(())
}
