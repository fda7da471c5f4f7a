//! Sharded ensembles: `ensemble --shard K/N` and `results merge`, driven
//! through the real binary on the built-in scenario. The merged directory
//! must be the one an ensemble on one machine writes; shards that do not
//! belong together, or are missing, doubled or unfinished, are refused by
//! number with the commands that make them good.

mod common;

use common::{ok, patronfall, scratch};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A small plan of the built-in scenario, with a fan-chart sample that
/// spans the shards (3 samples of 8, 5 courses of action: 15 of the 40
/// experiments; shard 1 holds 13).
/// `--runs 8` unless the test gives its own.
const PLAN: [&str; 8] = [
    "--days",
    "60",
    "--series-sample",
    "3",
    "--keep-series",
    "--threads",
    "2",
    "--no-report",
];

fn ensemble(out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["ensemble"];
    args.extend(PLAN);
    if !extra.contains(&"--runs") {
        args.extend(["--runs", "8"]);
    }
    args.extend(extra);
    args.extend(["--out", out.to_str().unwrap()]);
    ok(&args)
}

/// Runs shards `1..=n` of the plan with `extra` into `dir/s<K>`.
fn shards(dir: &Path, n: u32, extra: &[&str]) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let out = dir.join(format!("s{k}"));
            let shard = format!("{k}/{n}");
            let mut args = vec!["--shard", shard.as_str()];
            args.extend(extra);
            ensemble(&out, &args);
            out
        })
        .collect()
}

fn merge(dirs: &[&Path], out: &Path) -> Output {
    let mut args = vec!["results", "merge"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap()]);
    patronfall(&args)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// A refusal: exit 2, no panic, nothing written; returns standard error.
fn refused(out: &Output, merged: &Path) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!merged.exists(), "{err}");
    err
}

/// Every row of a Parquet file, as one batch.
fn parquet_rows(path: &Path) -> arrow_array::RecordBatch {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let b = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let rows = b.metadata().file_metadata().num_rows() as usize;
    let mut batches: Vec<_> = b
        .with_batch_size(rows.max(1))
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(batches.len() <= 1, "{}", path.display());
    batches.pop().unwrap()
}

/// The tables a one-machine ensemble writes: byte for byte, and for
/// `series.parquet` row for row (an ensemble ends one of its row groups
/// with every chunk of experiments, and a shard's chunks start at the
/// shard's first experiment).
fn assert_same_tables(whole: &Path, merged: &Path) {
    assert_eq!(
        parquet_rows(&whole.join("series.parquet")),
        parquet_rows(&merged.join("series.parquet"))
    );
    for name in [
        "runs.csv",
        "runs.parquet",
        "timeseries.parquet",
        "indicators.csv",
        "indicators.json",
    ] {
        let (a, b) = (
            std::fs::read(whole.join(name)).unwrap(),
            std::fs::read(merged.join(name)).unwrap(),
        );
        assert!(a == b, "{name} differs from the one-machine run's");
    }
}

#[test]
fn shards_merge_into_the_directory_one_machine_writes() {
    let dir = scratch("shard-merge");
    let whole = dir.join("whole");
    ensemble(&whole, &[]);
    let s = shards(&dir, 3, &[]);
    // Every shard holds its block; together they hold the plan once.
    let blocks: Vec<serde_json::Value> = s.iter().map(|d| manifest(d)["shard"].clone()).collect();
    assert_eq!(blocks[0]["experiments"], serde_json::json!([0, 13]));
    assert_eq!(blocks[1]["experiments"], serde_json::json!([13, 26]));
    assert_eq!(blocks[2]["experiments"], serde_json::json!([26, 40]));
    let hash = &blocks[0]["plan_sha256"];
    assert!(blocks.iter().all(|b| &b["plan_sha256"] == hash));
    assert!(s[0].join("series-sample.parquet").is_file());
    // A shard alone is not analysed: it is part of a plan.
    let part = patronfall(&["analyze", "futures", s[0].to_str().unwrap()]);
    let err = refused(&part, &dir.join("merged"));
    assert!(
        err.contains("shard 1/3") && err.contains("results merge"),
        "{err}"
    );

    // In any order.
    let merged = dir.join("merged");
    let said = common::succeeded(&merge(&[&s[2], &s[0], &s[1]], &merged));
    assert!(said.contains("merged 3 shards: 40 experiments"), "{said}");
    assert_same_tables(&whole, &merged);
    // The manifest is the one-machine manifest but for how it was made.
    let (mut a, mut b) = (manifest(&whole), manifest(&merged));
    assert_eq!(b["merged"]["shards"], 3);
    assert_eq!(&b["merged"]["plan_sha256"], hash);
    for m in [&mut a, &mut b] {
        let m = m.as_object_mut().unwrap();
        for key in ["command", "merged"] {
            m.remove(key);
        }
    }
    assert_eq!(a, b);
    // Nothing of the merge's making is left beside it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    // What analyses read works on the merged directory.
    let m = merged.to_str().unwrap();
    ok(&["analyze", "futures", m]);
    ok(&["report", m]);
    assert!(merged.join("report.html").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn parquet_only_shards_merge_into_the_parquet_only_directory_one_machine_writes() {
    let dir = scratch("shard-merge-parquet");
    let whole = dir.join("whole");
    let parquet = ["--runs-format", "parquet"];
    ensemble(&whole, &parquet);
    let s = shards(&dir, 3, &parquet);
    assert!(s.iter().all(|d| !d.join("runs.csv").exists()));
    let merged = dir.join("merged");
    common::succeeded(&merge(&[&s[1], &s[2], &s[0]], &merged));
    for name in ["runs.parquet", "timeseries.parquet", "indicators.csv"] {
        let (a, b) = (
            std::fs::read(whole.join(name)).unwrap(),
            std::fs::read(merged.join(name)).unwrap(),
        );
        assert!(a == b, "{name} differs from the one-machine run's");
    }
    assert!(!merged.join("runs.csv").exists());
    assert_eq!(manifest(&merged)["files"], manifest(&whole)["files"]);
    // Shards with the runs table in other formats are refused by name.
    let both = dir.join("both");
    ensemble(&both, &["--shard", "2/3"]);
    let refused_at = dir.join("refused");
    let err = refused(&merge(&[&s[0], &both, &s[2]], &refused_at), &refused_at);
    assert!(
        err.contains("runs.csv") && err.contains("same options"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merge_refuses_shards_of_other_plans_scenarios_and_versions() {
    let dir = scratch("shard-refuse");
    let s = shards(&dir, 3, &[]);
    let merged = dir.join("merged");
    let p = |d: &Path| d.to_path_buf();

    let seed7 = dir.join("seed7");
    ensemble(&seed7, &["--shard", "2/3", "--seed", "7"]);
    let err = refused(&merge(&[&s[0], &seed7, &s[2]], &merged), &merged);
    assert!(err.contains("seed 7 against 1"), "{err}");
    assert!(err.contains("shard 2/3 of another plan"), "{err}");

    let other = dir.join("template");
    ensemble(&other, &["--shard", "2/3", "--scenario", "template"]);
    let err = refused(&merge(&[&s[0], &other, &s[2]], &merged), &merged);
    assert!(err.contains("scenario_sha256"), "{err}");

    // Another patronfall's shard: its manifest names another version.
    let older = dir.join("older");
    copy_dir(&s[1], &older);
    let text = std::fs::read_to_string(older.join("manifest.json")).unwrap();
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version));
    std::fs::write(
        older.join("manifest.json"),
        text.replace(&version, "\"version\": \"0.0.1\""),
    )
    .unwrap();
    let err = refused(&merge(&[&s[0], &older, &s[2]], &merged), &merged);
    assert!(err.contains("version \"0.0.1\" against"), "{err}");

    let four = dir.join("four");
    ensemble(&four, &["--shard", "2/4"]);
    let err = refused(&merge(&[&s[0], &four, &s[2]], &merged), &merged);
    assert!(err.contains("split into 4 shards against 3"), "{err}");

    let err = refused(&merge(&[&s[0], &s[2]], &merged), &merged);
    assert!(err.contains("missing: shard 2/3"), "{err}");
    assert!(err.contains("--shard 2/3 --out DIR"), "{err}");

    let err = refused(&merge(&[&s[0], &s[1], &s[1], &s[2]], &merged), &merged);
    assert!(err.contains("given more than once: shard 2/3"), "{err}");

    let whole = dir.join("whole");
    ensemble(&whole, &[]);
    let err = refused(&merge(&[&p(&whole), &s[0]], &merged), &merged);
    assert!(err.contains("not a shard"), "{err}");

    // The destination must be new or empty.
    std::fs::create_dir_all(&merged).unwrap();
    std::fs::write(merged.join("keep.txt"), "mine").unwrap();
    let out = merge(&[&s[0], &s[1], &s[2]], &merged);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an empty directory"));
    assert_eq!(
        std::fs::read_to_string(merged.join("keep.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Shard 2 stopped by Ctrl-C (its manifest and tables as an interrupted
/// ensemble leaves them: `complete: false`, the finished rows) and shard 3
/// killed (only the manifest of the start and the hidden stand-ins) are
/// named by number with the commands that run them again; running those
/// two commands, and nothing else, is enough for the merge.
#[test]
fn unfinished_shards_are_named_and_rerunning_them_is_enough() {
    let dir = scratch("shard-unfinished");
    let whole = dir.join("whole");
    ensemble(&whole, &[]);
    let s = shards(&dir, 3, &[]);
    let first_rows = std::fs::read(s[0].join("runs.csv")).unwrap();

    // Interrupted: the first 5 of its 13 experiments finished.
    let mut m = manifest(&s[1]);
    m["complete"] = false.into();
    m["experiments_done"] = 5.into();
    std::fs::write(s[1].join("manifest.json"), m.to_string()).unwrap();
    let runs = std::fs::read_to_string(s[1].join("runs.csv")).unwrap();
    let kept: Vec<&str> = runs.lines().take(6).collect();
    std::fs::write(s[1].join("runs.csv"), kept.join("\n") + "\n").unwrap();
    // Killed: the tables never moved into place.
    let mut m = manifest(&s[2]);
    m["complete"] = false.into();
    m["experiments_done"] = 0.into();
    std::fs::write(s[2].join("manifest.json"), m.to_string()).unwrap();
    std::fs::rename(s[2].join("runs.csv"), s[2].join(".runs.csv.partial")).unwrap();

    let merged = dir.join("merged");
    let err = refused(&merge(&[&s[0], &s[1], &s[2]], &merged), &merged);
    assert!(
        err.contains(&format!(
            "incomplete: shard 2/3 in {} (5 of 13 experiments finished)",
            s[1].display()
        )),
        "{err}"
    );
    assert!(err.contains("incomplete: shard 3/3"), "{err}");
    let commands: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains(" ensemble "))
        .map(str::trim)
        .collect();
    assert_eq!(commands.len(), 2, "{err}");
    for (c, k) in commands.iter().zip(["2/3", "3/3"]) {
        assert!(
            c.contains(&format!("--shard {k}")) && c.ends_with("--force"),
            "{c}"
        );
        // The commands are the shards' own: run them as printed.
        let words: Vec<&str> = c.split(' ').collect();
        let out = std::process::Command::new(words[0])
            .args(&words[1..])
            .output()
            .unwrap();
        common::succeeded(&out);
    }
    ok(&[
        "results",
        "merge",
        s[0].to_str().unwrap(),
        s[1].to_str().unwrap(),
        s[2].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    // Shard 1 was not run again.
    assert_eq!(std::fs::read(s[0].join("runs.csv")).unwrap(), first_rows);
    assert_same_tables(&whole, &merged);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A Saltelli design cut into shards (its blocks cut across them) merges
/// into the design the sensitivity analysis reads.
#[test]
fn a_sensitivity_design_merges_whole() {
    let dir = scratch("shard-saltelli");
    let design = [
        "--sampler",
        "saltelli",
        "--groups",
        "kind",
        "--runs",
        "4",
        "--coa",
        "passive",
        "negotiate",
    ];
    let whole = dir.join("whole");
    ensemble(&whole, &design);
    let s = shards(&dir, 4, &design);
    let merged = dir.join("merged");
    let dirs: Vec<&Path> = s.iter().map(PathBuf::as_path).collect();
    common::succeeded(&merge(&dirs, &merged));
    assert_same_tables(&whole, &merged);
    let a = ok(&["analyze", "sensitivity", whole.to_str().unwrap()]);
    let b = ok(&["analyze", "sensitivity", merged.to_str().unwrap()]);
    assert_eq!(
        a.replace(whole.to_str().unwrap(), "DIR"),
        b.replace(merged.to_str().unwrap(), "DIR")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A plan with fewer experiments than shards: the last shards hold none,
/// and the merge still makes the whole.
#[test]
fn more_shards_than_experiments_still_merge() {
    let dir = scratch("shard-tiny");
    let small = ["--runs", "1", "--coa", "passive"];
    let whole = dir.join("whole");
    ensemble(&whole, &small);
    let s = shards(&dir, 3, &small);
    let sizes: Vec<u64> = s
        .iter()
        .map(|d| manifest(d)["experiments_planned"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [0, 0, 1]);
    let merged = dir.join("merged");
    let dirs: Vec<&Path> = s.iter().map(PathBuf::as_path).collect();
    common::succeeded(&merge(&dirs, &merged));
    assert_same_tables(&whole, &merged);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Copies a results directory's files.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// The job scripts `patronfall cluster slurm` writes, run as Slurm runs
/// them (the `#SBATCH` lines are comments to bash): each task of
/// `--array=1-3` with its `SLURM_ARRAY_TASK_ID`, then the merge, which
/// writes the one-machine directory. Slurm itself is started by
/// `scripts/slurm-e2e.sh`.
#[test]
fn the_slurm_job_scripts_run_one_shard_per_task_and_merge() {
    let dir = scratch("shard-slurm");
    let whole = dir.join("whole");
    ensemble(&whole, &[]);
    let parts = dir.join("shards");
    let merged = dir.join("merged");
    // The script sets --threads from the task's CPUs.
    let mut args = vec![
        "cluster",
        "slurm",
        "--shards",
        "3",
        "--dir",
        parts.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--",
    ];
    args.extend(["--days", "60", "--series-sample", "3", "--keep-series"]);
    args.extend(["--no-report", "--runs", "8"]);
    ok(&args);
    let task = |script: &str, k: Option<&str>| {
        let mut c = std::process::Command::new("bash");
        c.arg(parts.join(script))
            .env("SLURM_CPUS_PER_TASK", "2")
            .env_remove("SLURM_ARRAY_TASK_ID");
        if let Some(k) = k {
            c.env("SLURM_ARRAY_TASK_ID", k);
        }
        c.output().unwrap()
    };
    let outside = task("shards.sbatch", None);
    assert!(!outside.status.success());
    assert!(String::from_utf8_lossy(&outside.stderr).contains("not a task of a job array"));
    for k in ["1", "2", "3"] {
        common::succeeded(&task("shards.sbatch", Some(k)));
    }
    // A task run again replaces its shard.
    common::succeeded(&task("shards.sbatch", Some("2")));
    common::succeeded(&task("merge.sbatch", None));
    assert_same_tables(&whole, &merged);
    let command = manifest(&parts.join("shard-1"))["command"].clone();
    let words: Vec<&str> = command
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        words.windows(2).any(|w| w == ["--threads", "2"]),
        "{words:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
