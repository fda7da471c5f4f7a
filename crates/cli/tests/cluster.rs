//! `patronfall cluster slurm`, driven through the real binary: the scripts
//! it writes and the commands it prints, its submission through `sbatch`
//! (a stand-in `sbatch` on the PATH that records its arguments; the real
//! Slurm runs in `scripts/slurm-e2e.sh`), and its refusals, each before
//! anything is written. `shard.rs` runs the scripts as Slurm's tasks would.

mod common;

use common::{ok, scratch};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The command with `dir` and `out` under `root`, the Slurm options
/// `slurm` and a small plan of the built-in scenario.
fn cluster(root: &Path, slurm: &[&str], path: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_patronfall"));
    c.args(["cluster", "slurm", "--shards", "3"])
        .arg("--dir")
        .arg(root.join("shards"))
        .arg("--out")
        .arg(root.join("merged"))
        .args(slurm)
        .args(["--", "--runs", "4", "--days", "30", "--seed", "3"]);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    c.output().unwrap()
}

/// A folder holding an `sbatch` that appends its arguments to `calls` and
/// answers with `script` (bash builtins only, since the PATH holds
/// nothing else; `$calls` is this call's number, from 1).
fn fake_sbatch(root: &Path, script: &str) -> PathBuf {
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let sbatch = bin.join("sbatch");
    std::fs::write(
        &sbatch,
        format!(
            "#!/bin/bash\necho \"$*\" >> {0}\nmapfile -t seen < {0}\ncalls=${{#seen[@]}}\n{script}\n",
            root.join("calls").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&sbatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn without_submit_it_writes_the_scripts_and_prints_how_to_submit_them() {
    let root = scratch("cluster-write");
    let out = cluster(
        &root,
        &[
            "--partition",
            "short",
            "--time",
            "30",
            "--cpus-per-task",
            "2",
        ],
        None,
    );
    let text = common::succeeded(&out);
    let shards = root.join("shards");
    assert!(
        text.contains("plan: 20 experiments in 3 shards of at most 7"),
        "{text}"
    );
    let array = std::fs::read_to_string(shards.join("shards.sbatch")).unwrap();
    let merge = std::fs::read_to_string(shards.join("merge.sbatch")).unwrap();
    assert!(array.contains("#SBATCH --array=1-3\n"), "{array}");
    assert!(array.contains("#SBATCH --partition=short\n"), "{array}");
    assert!(array.contains("#SBATCH --time=30\n"), "{array}");
    assert!(array.contains("#SBATCH --cpus-per-task=2\n"), "{array}");
    assert!(
        array.contains("ensemble --runs 4 --days 30 --seed 3"),
        "{array}"
    );
    assert!(merge.contains("results merge"), "{merge}");
    assert!(merge.contains(&format!("--out {}", root.join("merged").display())));
    assert!(shards.join("logs").is_dir());
    let submit = format!(
        "job=$(sbatch --parsable {0}/shards.sbatch) && sbatch --dependency=afterok:${{job%%;*}} {0}/merge.sbatch",
        shards.display()
    );
    assert!(text.contains(&submit), "{text}");
    // The binary the jobs run is this one.
    assert!(array.contains(env!("CARGO_BIN_EXE_patronfall")), "{array}");
    // Nothing was submitted, nothing run.
    assert!(!shards.join("shard-1").exists());
}

#[test]
fn submit_sends_the_array_then_the_merge_that_waits_for_it() {
    let root = scratch("cluster-submit");
    let bin = fake_sbatch(
        &root,
        "if [ \"$calls\" = 1 ]; then echo 41; else echo '42;cluster-a'; fi",
    );
    let out = cluster(&root, &["--submit"], Some(&bin));
    let text = common::succeeded(&out);
    assert!(text.contains("array job: 41\n"), "{text}");
    assert!(text.contains("merge job: 42\n"), "{text}");
    let calls = std::fs::read_to_string(root.join("calls")).unwrap();
    let shards = root.join("shards");
    assert_eq!(
        calls,
        format!(
            "--parsable {0}/shards.sbatch\n--parsable --dependency=afterok:41 {0}/merge.sbatch\n",
            shards.display()
        )
    );
}

#[test]
fn sbatch_missing_or_failing_is_a_clear_failure() {
    // No sbatch on the PATH.
    let root = scratch("cluster-no-sbatch");
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = cluster(&root, &["--submit"], Some(&empty));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("sbatch is not on the PATH, so nothing was submitted"));
    assert!(!stderr(&out).contains("panicked"));

    // sbatch refuses the array.
    let root = scratch("cluster-sbatch-fails");
    let bin = fake_sbatch(
        &root,
        "echo 'sbatch: error: invalid partition specified: nope' >&2; exit 1",
    );
    let out = cluster(&root, &["--submit", "--partition", "nope"], Some(&bin));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("failed (exit status: 1)"), "{err}");
    assert!(err.contains("invalid partition specified: nope"), "{err}");
    assert!(!stdout(&out).contains("array job:"));

    // sbatch takes the array and refuses the merge: the array's id and
    // what to do next.
    let root = scratch("cluster-merge-refused");
    let bin = fake_sbatch(
        &root,
        "if [ \"$calls\" = 1 ]; then echo 7; else echo 'sbatch: error: no' >&2; exit 1; fi",
    );
    let out = cluster(&root, &["--submit"], Some(&bin));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("The job array 7 was submitted"), "{err}");
    assert!(err.contains("scancel 7"), "{err}");

    // sbatch answers with something that is not a job id.
    let root = scratch("cluster-sbatch-garbled");
    let bin = fake_sbatch(&root, "echo 'Submitted batch job'");
    let out = cluster(&root, &["--submit"], Some(&bin));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a job id"), "{}", stderr(&out));
}

/// A refusal: exit 2, no panic, no script written; returns standard error.
fn refused(root: &Path, out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!root.join("shards").join("shards.sbatch").exists(), "{err}");
    err
}

#[test]
fn bad_plans_and_options_are_refused_before_anything_is_written() {
    let root = scratch("cluster-refusals");
    let patronfall = env!("CARGO_BIN_EXE_patronfall");
    let run = |args: &[&str]| {
        Command::new(patronfall)
            .args(["cluster", "slurm"])
            .args(args)
            .output()
            .unwrap()
    };
    let dir = root.join("shards");
    let (dir, merged) = (dir.to_str().unwrap(), root.join("merged"));
    let merged = merged.to_str().unwrap();
    let base = ["--shards", "3", "--dir", dir, "--out", merged];
    let with = |extra: &[&str], plan: &[&str]| {
        let mut v: Vec<&str> = base.to_vec();
        v.extend(extra);
        v.push("--");
        v.extend(plan);
        run(&v)
    };
    // Options the job script sets.
    let err = refused(&root, &with(&[], &["--runs", "4", "--shard", "1/2"]));
    assert!(err.contains("leave --shard K/N"), "{err}");
    let err = refused(&root, &with(&[], &["--out", "x"]));
    assert!(err.contains("leave --out"), "{err}");
    let err = refused(&root, &with(&[], &["--threads", "4"]));
    assert!(err.contains("leave --threads"), "{err}");
    // An option `ensemble` does not know, and a scenario it cannot read.
    let err = refused(&root, &with(&[], &["--runz", "4"]));
    assert!(err.contains("`patronfall ensemble`'s"), "{err}");
    assert!(err.contains("--runz"), "{err}");
    let err = refused(&root, &with(&[], &["--scenario", "no-such-file.toml"]));
    assert!(err.contains("no-such-file.toml"), "{err}");
    // Slurm options.
    let err = refused(&root, &with(&["--sbatch=--array=1-9"], &[]));
    assert!(err.contains("--array is set by --shards"), "{err}");
    let err = refused(&root, &with(&["--sbatch=qos"], &[]));
    assert!(err.contains("not an sbatch option"), "{err}");
    let err = refused(&root, &with(&["--partition", "a b"], &[]));
    assert!(err.contains("--partition: `a b` is not one word"), "{err}");
    let err = refused(&root, &with(&["--cpus-per-task", "0"], &[]));
    assert!(err.contains("--cpus-per-task"), "{err}");
    let out = run(&["--shards", "0", "--dir", dir, "--out", merged]);
    assert!(refused(&root, &out).contains("--shards"));
    // A merged directory the merge would refuse, found now.
    std::fs::create_dir_all(root.join("merged")).unwrap();
    std::fs::write(root.join("merged").join("x"), "x").unwrap();
    let err = refused(&root, &with(&[], &[]));
    assert!(err.contains("is not an empty directory"), "{err}");
    // A binary that is not there.
    std::fs::remove_dir_all(root.join("merged")).unwrap();
    let err = refused(&root, &with(&["--patronfall", "no/such/patronfall"], &[]));
    assert!(err.contains("--patronfall"), "{err}");
    // The command still works once the input is good.
    ok(&[
        "cluster", "slurm", "--shards", "3", "--dir", dir, "--out", merged, "--", "--runs", "4",
    ]);
}
