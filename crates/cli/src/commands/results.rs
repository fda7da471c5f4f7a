//! `patronfall results`: operations on whole results directories. `merge`
//! joins the shards of one plan (`ensemble --shard K/N`) into the
//! directory one machine would have written
//! (`patronfall_results::merge`); `csv` writes `runs.csv` from
//! `runs.parquet` for a directory written in Parquet only
//! (`patronfall_results::to_csv`).

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
    /// Write runs.csv from runs.parquet, for a directory an ensemble wrote
    /// in Parquet only (`--runs-format parquet`, the default for large
    /// designs): the file `--runs-format both` writes, byte for byte.
    Csv(CsvArgs),
}

/// Arguments of `patronfall results csv`.
#[derive(Debug, clap::Args)]
struct CsvArgs {
    /// The results directory.
    dir: PathBuf,
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
        Command::Csv(c) => run_csv(c),
    }
}

fn run_csv(args: CsvArgs) -> CommandResult {
    let written = patronfall_results::to_csv::write_csv(&args.dir).map_err(Failure::from)?;
    outln!(
        "wrote {} ({} rows, {}) from runs.parquet",
        args.dir.join("runs.csv").display(),
        written.rows,
        patronfall_ensemble::budget::human_bytes(written.bytes)
    );
    Ok(())
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
