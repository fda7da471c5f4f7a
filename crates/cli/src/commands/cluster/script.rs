//! The two job scripts of `patronfall cluster slurm`, as text: the job
//! array that runs one shard of the plan per task, and the merge that
//! joins them. Pure functions of a [`Job`], so that what a cluster runs is
//! the one place that knows how a shard is run under Slurm.

/// Everything the scripts say. Paths are absolute and checked to be text
/// that an `#SBATCH` line can hold (no whitespace, no quotes).
#[derive(Clone, Debug)]
pub struct Job {
    /// The `patronfall` binary the tasks and the merge run.
    pub binary: String,
    /// The options of `patronfall ensemble` that define the plan, as given.
    pub ensemble: Vec<String>,
    /// Shards of the plan: tasks of the array.
    pub shards: u32,
    /// Where the shards (`shard-K`), the scripts and `logs/` go.
    pub dir: String,
    /// The merged results directory.
    pub out: String,
    /// The working directory of every job: where relative paths among the
    /// ensemble's options (a scenario file, a groups file) are read from.
    pub workdir: String,
    /// The resources and placement asked of Slurm.
    pub slurm: Slurm,
    /// The command that wrote the scripts, for their header.
    pub command: Vec<String>,
}

/// What a job asks of Slurm: `#SBATCH` options shared by the array and
/// the merge, but for the CPUs, which only a task of the array uses.
#[derive(Clone, Debug, Default)]
pub struct Slurm {
    /// The array's name; the merge is `NAME-merge`.
    pub job_name: String,
    /// `--partition`, if given.
    pub partition: Option<String>,
    /// `--time`, if given.
    pub time: Option<String>,
    /// `--cpus-per-task` of a task of the array: its shard's threads.
    pub cpus_per_task: u32,
    /// `--mem`, if given.
    pub mem: Option<String>,
    /// `--account`, if given.
    pub account: Option<String>,
    /// The most tasks of the array running at once (`--array=1-N%M`).
    pub max_running: Option<u32>,
    /// More `#SBATCH` options, each as sbatch takes it (`--qos=long`).
    pub extra: Vec<String>,
}

/// The job array's file name in the directory.
pub const ARRAY_SCRIPT: &str = "shards.sbatch";
/// The merge's file name in the directory.
pub const MERGE_SCRIPT: &str = "merge.sbatch";
/// The folder of the jobs' logs in the directory.
pub const LOGS: &str = "logs";

/// `text` as one word of a POSIX shell: in single quotes, each single quote
/// closed, escaped and reopened; words of only safe characters stay bare.
pub fn sh_quote(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+%@".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A command line as shell words.
fn sh_words<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| sh_quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines every script opens with: what wrote it, and why it exists.
fn header(job: &Job, what: &str) -> String {
    format!(
        "#!/usr/bin/env bash\n\
         # {what}\n\
         # Written by patronfall {} with:\n\
         #   {}\n\
         # docs/cluster.md tells what each job does and how to run a task again.\n",
        env!("CARGO_PKG_VERSION"),
        sh_words(&job.command)
    )
}

/// The `#SBATCH` lines both jobs share.
fn shared_options(job: &Job) -> String {
    let s = &job.slurm;
    let mut lines = vec![format!("#SBATCH --chdir={}", job.workdir)];
    for (name, value) in [
        ("partition", &s.partition),
        ("time", &s.time),
        ("mem", &s.mem),
        ("account", &s.account),
    ] {
        if let Some(v) = value {
            lines.push(format!("#SBATCH --{name}={v}"));
        }
    }
    lines.extend(s.extra.iter().map(|o| format!("#SBATCH {o}")));
    lines.join("\n") + "\n"
}

/// The job array: task K runs shard K of N into `DIR/shard-K`, with as
/// many threads as the task has CPUs, and `--force`, so that a task run
/// again replaces what an interrupted run of it left.
pub fn array_script(job: &Job) -> String {
    let s = &job.slurm;
    let throttle = s.max_running.map_or(String::new(), |m| format!("%{m}"));
    let mut text = header(
        job,
        &format!(
            "patronfall cluster slurm: one shard of the plan per task of this job array \
             ({} tasks).",
            job.shards
        ),
    );
    text += &format!(
        "#SBATCH --job-name={}\n\
         #SBATCH --array=1-{}{throttle}\n\
         #SBATCH --cpus-per-task={}\n\
         #SBATCH --output={}/{LOGS}/shard-%a-job-%A.out\n",
        s.job_name, job.shards, s.cpus_per_task, job.dir
    );
    text += &shared_options(job);
    let mut command = vec![job.binary.clone(), "ensemble".into()];
    command.extend(job.ensemble.iter().cloned());
    text += &format!(
        "set -euo pipefail\n\
         k=${{SLURM_ARRAY_TASK_ID:?\"not a task of a job array: submit this script with sbatch\"}}\n\
         exec {} \\\n  --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" \\\n  --shard \"$k/{}\" \\\n  \
         --out {}/shard-\"$k\" --force\n",
        sh_words(&command),
        job.shards,
        sh_quote(&job.dir)
    );
    text
}

/// The merge: every shard's directory, 1 to N, joined into the merged
/// directory (`patronfall results merge`), which refuses unless each is
/// there once and finished.
pub fn merge_script(job: &Job) -> String {
    let mut text = header(
        job,
        &format!(
            "patronfall cluster slurm: the merge of the {} shards, once every task of the \
             array has succeeded.",
            job.shards
        ),
    );
    text += &format!(
        "#SBATCH --job-name={}-merge\n\
         #SBATCH --cpus-per-task=1\n\
         #SBATCH --output={}/{LOGS}/merge-job-%j.out\n",
        job.slurm.job_name, job.dir
    );
    text += &shared_options(job);
    text += &format!(
        "set -euo pipefail\n\
         shards=()\n\
         for k in $(seq 1 {}); do shards+=({}/shard-\"$k\"); done\n\
         exec {} results merge \"${{shards[@]}}\" --out {}\n",
        job.shards,
        sh_quote(&job.dir),
        sh_quote(&job.binary),
        sh_quote(&job.out)
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            binary: "/opt/patronfall/bin/patronfall".into(),
            ensemble: vec![
                "--runs".into(),
                "100".into(),
                "--scenario".into(),
                "my case.toml".into(),
            ],
            shards: 4,
            dir: "/scratch/plan".into(),
            out: "/scratch/merged".into(),
            workdir: "/home/analyst".into(),
            slurm: Slurm {
                job_name: "patronfall".into(),
                partition: Some("short".into()),
                time: Some("1:00:00".into()),
                cpus_per_task: 8,
                mem: None,
                account: None,
                max_running: Some(2),
                extra: vec!["--qos=low".into()],
            },
            command: vec!["patronfall".into(), "cluster".into(), "slurm".into()],
        }
    }

    #[test]
    fn a_word_a_shell_reads_back_as_given() {
        assert_eq!(sh_quote("--runs"), "--runs");
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("$HOME"), "'$HOME'");
        // Through a real shell.
        for word in ["a b", "it's", "$HOME `x`", "", "*"] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", sh_quote(word)))
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), word);
        }
    }

    #[test]
    fn the_array_runs_shard_k_of_n_per_task_with_the_options_asked() {
        let text = array_script(&job());
        let sbatch: Vec<&str> = text.lines().filter(|l| l.starts_with("#SBATCH")).collect();
        assert_eq!(
            sbatch,
            [
                "#SBATCH --job-name=patronfall",
                "#SBATCH --array=1-4%2",
                "#SBATCH --cpus-per-task=8",
                "#SBATCH --output=/scratch/plan/logs/shard-%a-job-%A.out",
                "#SBATCH --chdir=/home/analyst",
                "#SBATCH --partition=short",
                "#SBATCH --time=1:00:00",
                "#SBATCH --qos=low",
            ]
        );
        assert!(text.contains(
            "exec /opt/patronfall/bin/patronfall ensemble --runs 100 --scenario 'my case.toml' \\"
        ));
        assert!(text.contains("--shard \"$k/4\""));
        assert!(text.contains("--out /scratch/plan/shard-\"$k\" --force"));
        // Every #SBATCH line comes before the first command, or sbatch
        // ignores it.
        let lines: Vec<&str> = text.lines().collect();
        let first_command = lines.iter().position(|l| l.starts_with("set ")).unwrap();
        let last_option = lines
            .iter()
            .rposition(|l| l.starts_with("#SBATCH"))
            .unwrap();
        assert!(last_option < first_command);
    }

    #[test]
    fn the_merge_joins_every_shard_into_the_merged_directory() {
        let text = merge_script(&job());
        assert!(text.contains("#SBATCH --job-name=patronfall-merge\n"));
        assert!(text.contains("#SBATCH --cpus-per-task=1\n"));
        assert!(text.contains("#SBATCH --partition=short\n"));
        assert!(
            text.contains("for k in $(seq 1 4); do shards+=(/scratch/plan/shard-\"$k\"); done")
        );
        assert!(text.contains(
            "exec /opt/patronfall/bin/patronfall results merge \"${shards[@]}\" --out /scratch/merged"
        ));
        assert!(!text.contains("--array"));
    }
}
