//! `patronfall cluster`: a plan's shards on a cluster's scheduler.
//! `slurm` writes (and with `--submit`, submits) a Slurm job array with one
//! shard of the plan per task (`ensemble --shard K/N`) and the merge
//! (`results merge`) as a job that waits for every task to succeed. The
//! scripts are `script.rs`'s; this module checks the plan and the options
//! before anything is written, and talks to `sbatch`.

mod script;

use crate::commands::ensemble;
use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use clap::{CommandFactory, FromArgMatches};
use script::{ARRAY_SCRIPT, Job, LOGS, MERGE_SCRIPT, Slurm, sh_quote};
use std::path::{Path, PathBuf};

/// Arguments of `patronfall cluster`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// A plan's shards as a Slurm job array, and their merge as a job that
    /// waits for every task: writes the two job scripts, and submits them
    /// with --submit.
    Slurm(SlurmArgs),
}

/// Arguments of `patronfall cluster slurm`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The plan is given as `patronfall ensemble`'s options after `--`, e.g.\n  \
    patronfall cluster slurm --shards 16 --dir shards --out results/big -- --runs 100000 --seed 1"
)]
struct SlurmArgs {
    /// Shards of the plan: tasks of the job array, shard K in task K.
    #[arg(long, value_name = "N")]
    shards: u32,
    /// Where the job scripts (shards.sbatch, merge.sbatch), the shards
    /// (DIR/shard-K) and the jobs' logs (DIR/logs) go; on a file system
    /// every node sees.
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// The merged results directory, written by the merge job: new, or empty.
    #[arg(long)]
    out: PathBuf,
    /// Submit both jobs with sbatch (the merge with
    /// --dependency=afterok on the array) and print their job ids; without
    /// it, only write the scripts and print the commands that submit them.
    #[arg(long)]
    submit: bool,
    /// Partition of both jobs (the cluster's default if absent).
    #[arg(long)]
    partition: Option<String>,
    /// Time limit of each task and of the merge, as sbatch takes it
    /// (`MINUTES`, `HH:MM:SS`, `DAYS-HH`; the partition's default if absent).
    #[arg(long)]
    time: Option<String>,
    /// CPUs of each task of the array: its shard's threads. One CPU a task
    /// fits the smallest gap of a busy cluster; more shards then do the
    /// work of more threads.
    #[arg(long, default_value_t = 1)]
    cpus_per_task: u32,
    /// Memory of each task and of the merge, as sbatch takes it (`4G`; the
    /// cluster's default if absent).
    #[arg(long)]
    mem: Option<String>,
    /// Account charged for both jobs (your default account if absent).
    #[arg(long)]
    account: Option<String>,
    /// Most tasks of the array running at once (`--array=1-N%M`; no limit
    /// if absent).
    #[arg(long, value_name = "M")]
    max_running: Option<u32>,
    /// Name of the array job; the merge is NAME-merge.
    #[arg(long, default_value = "patronfall")]
    job_name: String,
    /// Another #SBATCH option for both jobs, as sbatch takes it
    /// (`--sbatch=--qos=long`); repeat for more.
    #[arg(long = "sbatch", value_name = "OPTION", allow_hyphen_values = true)]
    extra: Vec<String>,
    /// The patronfall binary the jobs run (this one if absent): the same
    /// version must run every shard and the merge.
    #[arg(long, value_name = "FILE")]
    patronfall: Option<PathBuf>,
    /// The plan: `patronfall ensemble`'s options, the same for every shard,
    /// without --shard, --out, --threads and --force, which the job script
    /// sets.
    #[arg(last = true, value_name = "ENSEMBLE OPTIONS")]
    ensemble: Vec<String>,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    match args.command {
        Command::Slurm(a) => slurm(a),
    }
}

/// `ensemble`'s options as `patronfall ensemble` reads them, so that a
/// plan a task would refuse is refused here, before anything is written.
#[derive(Debug, clap::Parser)]
#[command(name = "patronfall ensemble", no_binary_name = true)]
struct EnsembleOptions {
    #[command(flatten)]
    args: ensemble::Args,
}

/// The options the job script sets for every task, and why.
const SET_BY_THE_SCRIPT: [(&str, &str); 4] = [
    ("shard", "--shard K/N: task K runs shard K of --shards N"),
    ("out", "--out: task K writes DIR/shard-K"),
    (
        "threads",
        "--threads: a task has the threads of --cpus-per-task",
    ),
    (
        "force",
        "--force: a task always replaces what a run of it left",
    ),
];

/// The `#SBATCH` options this command writes itself, by the flag that sets each.
const OWN_OPTIONS: [(&str, &str); 10] = [
    ("--array", "--shards and --max-running"),
    (
        "--dependency",
        "the submission (the merge waits for the array)",
    ),
    ("--output", "the command (logs go to DIR/logs)"),
    ("--chdir", "the command (the directory it runs in)"),
    ("--job-name", "--job-name"),
    ("--cpus-per-task", "--cpus-per-task"),
    ("--partition", "--partition"),
    ("--time", "--time"),
    ("--mem", "--mem"),
    ("--account", "--account"),
];

fn slurm(args: SlurmArgs) -> CommandResult {
    if args.shards == 0 {
        return Err(Failure::bad_input("--shards: give 1 or more"));
    }
    if args.cpus_per_task == 0 {
        return Err(Failure::bad_input("--cpus-per-task: give 1 or more"));
    }
    if args.max_running == Some(0) {
        return Err(Failure::bad_input("--max-running: give 1 or more"));
    }
    let slurm = Slurm {
        job_name: word("--job-name", &args.job_name)?,
        partition: args
            .partition
            .as_deref()
            .map(|v| word("--partition", v))
            .transpose()?,
        time: args
            .time
            .as_deref()
            .map(|v| word("--time", v))
            .transpose()?,
        cpus_per_task: args.cpus_per_task,
        mem: args.mem.as_deref().map(|v| word("--mem", v)).transpose()?,
        account: args
            .account
            .as_deref()
            .map(|v| word("--account", v))
            .transpose()?,
        max_running: args.max_running,
        extra: args
            .extra
            .iter()
            .map(|o| extra_option(o))
            .collect::<Result<_, _>>()?,
    };

    // The plan, read and checked as every task will read it.
    let options = ensemble_options(&args.ensemble)?;
    let (_, plan) = ensemble::plan(&options)?;
    let experiments = plan.experiments();

    let workdir = std::env::current_dir()
        .map_err(|e| Failure::failed(format!("cannot read the current directory: {e}")))?;
    let dir = absolute(&args.dir, "--dir")?;
    let out = absolute(&args.out, "--out")?;
    check_merge_target(&out)?;
    let binary = match &args.patronfall {
        Some(b) => absolute(b, "--patronfall")?,
        None => std::env::current_exe().map_err(|e| {
            Failure::failed(format!(
                "cannot tell where this patronfall binary is ({e}); name the one the jobs run \
                 with --patronfall FILE"
            ))
        })?,
    };
    if !binary.is_file() {
        return Err(Failure::bad_input(format!(
            "--patronfall: {} is not a file; name the patronfall binary the jobs run",
            binary.display()
        )));
    }
    let job = Job {
        binary: path_text(&binary, "--patronfall")?,
        ensemble: args.ensemble.clone(),
        shards: args.shards,
        dir: path_text(&dir, "--dir")?,
        out: path_text(&out, "--out")?,
        workdir: path_text(&workdir, "the current directory")?,
        slurm,
        command: std::env::args().collect(),
    };

    let logs = dir.join(LOGS);
    std::fs::create_dir_all(&logs)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", logs.display())))?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::failed(format!("cannot create {}: {e}", parent.display())))?;
    }
    let array = dir.join(ARRAY_SCRIPT);
    let merge = dir.join(MERGE_SCRIPT);
    for (path, text) in [
        (&array, script::array_script(&job)),
        (&merge, script::merge_script(&job)),
    ] {
        patronfall_results::write_atomic(path, text.as_bytes())
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    }

    let per_shard = experiments.div_ceil(u64::from(args.shards));
    outln!(
        "plan: {experiments} experiments in {} shards of at most {per_shard}",
        args.shards
    );
    if u64::from(args.shards) > experiments {
        outln!(
            "note: more shards than experiments; the last {} shards are empty (they still run and merge)",
            u64::from(args.shards) - experiments
        );
    }
    outln!(
        "wrote {} (the job array: task K writes {}/shard-K) and {} (the merge into {})",
        array.display(),
        dir.display(),
        merge.display(),
        out.display()
    );
    let (array_text, merge_text) = (sh_quote(&job.dir) + "/" + ARRAY_SCRIPT, {
        sh_quote(&job.dir) + "/" + MERGE_SCRIPT
    });
    if !args.submit {
        outln!(
            "submit them, the merge to start once every task has succeeded:\n  \
             job=$(sbatch --parsable {array_text}) && sbatch --dependency=afterok:${{job%%;*}} {merge_text}\n\
             (or run this command again with --submit)"
        );
        return Ok(());
    }

    let array_job = sbatch(&[], &array)?;
    let merge_job = sbatch(&[format!("--dependency=afterok:{array_job}")], &merge).map_err(|e| {
        Failure::failed(format!(
            "{e}\nThe job array {array_job} was submitted; submit the merge by hand once it has \
             succeeded: sbatch --dependency=afterok:{array_job} {merge_text} (or cancel the \
             array: scancel {array_job})"
        ))
    })?;
    outln!("array job: {array_job}");
    outln!("merge job: {merge_job}");
    outln!(
        "the merge starts once every task of {array_job} has succeeded; follow both with \
         `squeue -j {array_job},{merge_job}`. If a task fails, the merge never starts: \
         `scancel {merge_job}`, run the task again with `sbatch --array=K {array_text}`, \
         then `sbatch {merge_text}`"
    );
    Ok(())
}

/// Parses the ensemble's options as `patronfall ensemble` would, and
/// refuses those the job script sets.
fn ensemble_options(words: &[String]) -> Result<ensemble::Args, Failure> {
    let matches = EnsembleOptions::command()
        .try_get_matches_from(words)
        .map_err(|e| {
            Failure::bad_input(format!(
                "the plan's options after `--` are `patronfall ensemble`'s: {}",
                e.render().to_string().trim_end()
            ))
        })?;
    for (id, why) in SET_BY_THE_SCRIPT {
        if matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
            return Err(Failure::bad_input(format!(
                "leave {why} (the job script sets it); give the plan's other options after `--`"
            )));
        }
    }
    EnsembleOptions::from_arg_matches(&matches)
        .map(|o| o.args)
        .map_err(|e| Failure::bad_input(e.render().to_string().trim_end().to_string()))
}

/// A value that goes into an `#SBATCH` line as one word.
fn word(flag: &str, value: &str) -> Result<String, Failure> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "'\"\\".contains(c))
    {
        return Err(Failure::bad_input(format!(
            "{flag}: `{value}` is not one word; Slurm's names, times and sizes have no spaces, \
             quotes or backslashes"
        )));
    }
    Ok(value.to_string())
}

/// An `--sbatch` option: one sbatch option on one line, not one this
/// command writes itself.
fn extra_option(option: &str) -> Result<String, Failure> {
    if !option.starts_with('-') || option.chars().any(char::is_control) {
        return Err(Failure::bad_input(format!(
            "--sbatch: `{option}` is not an sbatch option; give one option a time, as sbatch \
             takes it, e.g. --sbatch=--qos=long"
        )));
    }
    let name = option.split(['=', ' ']).next().unwrap_or(option);
    if let Some((_, owner)) = OWN_OPTIONS.iter().find(|(own, _)| *own == name) {
        return Err(Failure::bad_input(format!(
            "--sbatch: {name} is set by {owner}; leave it out of --sbatch"
        )));
    }
    Ok(option.to_string())
}

/// `path` made absolute against the current directory, so that the scripts
/// say the same wherever they are submitted from.
fn absolute(path: &Path, flag: &str) -> Result<PathBuf, Failure> {
    std::path::absolute(path)
        .map_err(|e| Failure::bad_input(format!("{flag}: {}: {e}", path.display())))
}

/// A path as text an `#SBATCH` line and a shell word can hold.
fn path_text(path: &Path, what: &str) -> Result<String, Failure> {
    let text = path.to_str().ok_or_else(|| {
        Failure::bad_input(format!(
            "{what}: {} is not UTF-8 text; a job script names it in text",
            path.display()
        ))
    })?;
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "'\"\\%".contains(c))
    {
        return Err(Failure::bad_input(format!(
            "{what}: {text} has a space, quote, backslash or %, which #SBATCH lines do not \
             hold; choose a path without them"
        )));
    }
    Ok(text.to_string())
}

/// The merge writes a new or empty directory: refuse any other now, not
/// once every shard has run.
fn check_merge_target(out: &Path) -> Result<(), Failure> {
    if !patronfall_results::merge::accepts_out(out) {
        return Err(Failure::bad_input(format!(
            "--out: {} exists and is not an empty directory, and the merge writes only a new \
             or empty one; choose another --out or remove it",
            out.display()
        )));
    }
    Ok(())
}

/// Submits `script` with `sbatch --parsable` and `options`; returns the
/// job id.
fn sbatch(options: &[String], script: &Path) -> Result<String, Failure> {
    let shown = format!(
        "sbatch --parsable {}{}",
        options.iter().map(|o| format!("{o} ")).collect::<String>(),
        script.display()
    );
    let output = std::process::Command::new("sbatch")
        .arg("--parsable")
        .args(options)
        .arg(script)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Failure::failed(
                    "sbatch is not on the PATH, so nothing was submitted; run this on a machine \
                     that submits Slurm jobs (a login node), or submit the scripts written above \
                     as this command prints them without --submit",
                )
            } else {
                Failure::failed(format!("cannot run `{shown}`: {e}"))
            }
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(Failure::failed(format!(
            "`{shown}` failed ({}): {}",
            output.status,
            stderr.trim()
        )));
    }
    // `--parsable` prints `ID` or `ID;CLUSTER`.
    let id = stdout.trim().split(';').next().unwrap_or("");
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::failed(format!(
            "`{shown}` printed `{}`, not a job id",
            stdout.trim()
        )));
    }
    Ok(id.to_string())
}
