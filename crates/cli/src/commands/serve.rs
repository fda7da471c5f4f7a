//! `patronfall serve`: the interactive what-if view in the browser. Flags
//! and the printed address; the server is `patronfall_serve`.

use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use std::net::IpAddr;
use std::path::PathBuf;

/// Arguments of `patronfall serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in scenario name or a scenario file.
    #[arg(long, default_value = "iraq-after-tehran")]
    pub scenario: String,
    /// The folder the server reads and writes, and nothing outside it (made if absent).
    #[arg(long, default_value = "patronfall-workspace")]
    pub workspace: PathBuf,
    /// Port to listen on (0: any free port; the address printed says which).
    #[arg(long, default_value_t = 8350)]
    pub port: u16,
    /// Address to listen on; other than the loopback, anyone on the network who has the printed address can use it.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Most ensembles running at once (the others wait).
    #[arg(long, default_value_t = 1)]
    pub jobs: usize,
    /// Scenario samples per course of action in the baseline and every what-if.
    #[arg(long, default_value_t = 1000)]
    pub runs: usize,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Days per run (the scenario's horizon if absent).
    #[arg(long)]
    pub days: Option<u32>,
    /// Worker threads per ensemble (all cores if absent).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs the command: prints the address with its token, then serves until
/// interrupted.
pub fn run(args: Args) -> CommandResult {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let server = patronfall_serve::start(patronfall_serve::Config {
        scenario: args.scenario,
        workspace: args.workspace,
        host: args.host,
        port: args.port,
        jobs: args.jobs,
        runs: args.runs,
        seed: args.seed,
        days: args.days,
        threads,
    })
    .map_err(failure)?;
    for why in server.skipped() {
        errln!("warning: history: {why}");
    }
    if server.kept() > 0 {
        errln!(
            "patronfall serve: {} what-if(s) of earlier starts listed again from the workspace",
            server.kept()
        );
    }
    errln!(
        "patronfall serve: writing under {}; open the address below (it holds this start's token); Ctrl-C stops",
        server.session().display()
    );
    outln!("{}", server.url());
    server.run().map_err(failure)
}

fn failure(e: patronfall_serve::ServeError) -> Failure {
    if e.is_bad_input() {
        Failure::bad_input(e)
    } else {
        Failure::failed(e)
    }
}
