//! Drives the real `patronfall ensemble` binary on the template scenario:
//! byte-identical results across thread counts and reruns, Parquet files
//! that agree with runs.csv, refusal to overwrite, an interrupted run that
//! keeps its finished rows, and bad flags.

use arrow_array::{Array, Float64Array, RecordBatch, StringArray, UInt64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn patronfall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .expect("the patronfall binary runs")
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pf-ens-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the template scenario into `dir` and returns its path.
fn template(dir: &Path) -> String {
    let file = dir.join("template.toml");
    let out = patronfall(&["scenario", "init", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    file.to_string_lossy().into_owned()
}

/// Runs a small ensemble of the template into `out`.
fn ensemble(scenario: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "ensemble",
        "--scenario",
        scenario,
        "--runs",
        "12",
        "--replications",
        "2",
        "--days",
        "60",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    if !extra.contains(&"--seed") {
        args.extend(["--seed", "7"]);
    }
    patronfall(&args)
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn batches(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

fn floats(b: &RecordBatch, name: &str) -> Vec<f64> {
    let a = b.column_by_name(name).unwrap();
    let a = a.as_any().downcast_ref::<Float64Array>().unwrap();
    (0..a.len()).map(|i| a.value(i)).collect()
}

fn strings(b: &RecordBatch, name: &str) -> Vec<String> {
    let a = b.column_by_name(name).unwrap();
    let a = a.as_any().downcast_ref::<StringArray>().unwrap();
    (0..a.len()).map(|i| a.value(i).to_string()).collect()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn runs_csv_is_identical_across_threads_and_reruns() {
    let dir = scratch("threads");
    let s = template(&dir);
    let (one, two, again) = (dir.join("one"), dir.join("two"), dir.join("again"));
    ok(&ensemble(&s, &one, &["--threads", "1"]));
    ok(&ensemble(&s, &two, &["--threads", "2"]));
    ok(&ensemble(&s, &again, &["--threads", "2"]));
    let a = std::fs::read(one.join("runs.csv")).unwrap();
    assert_eq!(
        a,
        std::fs::read(two.join("runs.csv")).unwrap(),
        "1 vs 2 threads"
    );
    assert_eq!(a, std::fs::read(again.join("runs.csv")).unwrap(), "rerun");
    let text = String::from_utf8(a).unwrap();
    // 12 samples × 2 replications × every course of action of the template.
    let m = manifest(&one);
    let coas = m["coas"].as_array().unwrap().len();
    assert_eq!(text.lines().count() - 1, 12 * 2 * coas);
    assert_eq!(m["complete"], true);
    // The platform is recorded: bit-identity is promised on the same one.
    let platform = m["platform"].as_str().unwrap();
    assert!(platform.starts_with(std::env::consts::ARCH), "{platform}");
    // A different seed gives different runs.
    let other = dir.join("other");
    ok(&ensemble(&s, &other, &["--seed", "8"]));
    assert_ne!(
        text,
        std::fs::read_to_string(other.join("runs.csv")).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn parquet_files_agree_with_runs_csv() {
    let dir = scratch("parquet");
    let s = template(&dir);
    let out = dir.join("r");
    ok(&ensemble(&s, &out, &[]));
    let mut csv = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();

    let runs = batches(&out.join("runs.parquet"));
    let n: usize = runs.iter().map(|b| b.num_rows()).sum();
    assert_eq!(n, rows.len());
    let mut i = 0;
    for b in &runs {
        let exp = b.column_by_name("experiment").unwrap();
        let exp = exp.as_any().downcast_ref::<UInt64Array>().unwrap();
        let coa = strings(b, "coa");
        let casualties = floats(b, "casualties");
        let legitimacy = floats(b, "legitimacy");
        for r in 0..b.num_rows() {
            let row = &rows[i];
            assert_eq!(exp.value(r).to_string(), row[col("experiment")]);
            assert_eq!(coa[r], row[col("coa")]);
            assert_eq!(
                casualties[r],
                row[col("casualties")].parse::<f64>().unwrap()
            );
            assert_eq!(
                legitimacy[r],
                row[col("legitimacy")].parse::<f64>().unwrap()
            );
            i += 1;
        }
    }

    // Fan charts: quantiles are ordered, every course of action is there, and
    // with every run in the series sample the last day's mean is the mean of
    // runs.csv's last-day values (to the precision of the stored series).
    let ts = batches(&out.join("timeseries.parquet"));
    let m = manifest(&out);
    let coas: Vec<String> = m["coas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for b in &ts {
        let (q05, q50, q95) = (floats(b, "q05"), floats(b, "q50"), floats(b, "q95"));
        for r in 0..b.num_rows() {
            assert!(q05[r] <= q50[r] + 1e-12 && q50[r] <= q95[r] + 1e-12);
        }
        seen.extend(strings(b, "coa"));
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), {
        let mut c = coas.clone();
        c.sort();
        c
    });
    let last_day = ts
        .iter()
        .flat_map(|b| {
            let d = b.column_by_name("day").unwrap();
            let d = d
                .as_any()
                .downcast_ref::<arrow_array::UInt32Array>()
                .unwrap();
            (0..d.len()).map(|i| d.value(i)).collect::<Vec<_>>()
        })
        .max()
        .unwrap();
    for coa in &coas {
        let values: Vec<f64> = rows
            .iter()
            .filter(|r| &r[col("coa")] == coa)
            .map(|r| r[col("casualties")].parse::<f64>().unwrap())
            .collect();
        let expected = values.iter().sum::<f64>() / values.len() as f64;
        let mut found = None;
        for b in &ts {
            let d = b.column_by_name("day").unwrap();
            let d = d
                .as_any()
                .downcast_ref::<arrow_array::UInt32Array>()
                .unwrap();
            let (c, o, mean) = (strings(b, "coa"), strings(b, "outcome"), floats(b, "mean"));
            for r in 0..b.num_rows() {
                if &c[r] == coa && o[r] == "casualties" && d.value(r) == last_day {
                    found = Some(mean[r]);
                }
            }
        }
        let found = found.expect("a last-day casualties row");
        assert!(
            (found - expected).abs() <= 1e-6 * expected.abs().max(1.0),
            "{coa}: timeseries mean {found} vs runs.csv mean {expected}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = scratch("force");
    let s = template(&dir);
    let out = dir.join("r");
    ok(&ensemble(&s, &out, &[]));
    let again = ensemble(&s, &out, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    // What analyze and report wrote for the first ensemble, and a file of
    // the user's that is not ours.
    ok(&patronfall(&["analyze", "futures", out.to_str().unwrap()]));
    assert!(out.join("analysis/futures.json").exists());
    assert!(out.join("figures").is_dir());
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join(".runs.csv.partial"), "left by a killed run").unwrap();
    ok(&ensemble(&s, &out, &["--force", "--no-report"]));
    assert!(!out.join("analysis").exists(), "--force keeps analysis/");
    assert!(!out.join("figures").exists(), "--force keeps figures/");
    assert!(
        !out.join("report.html").exists(),
        "--force keeps report.html"
    );
    assert!(!out.join(".runs.csv.partial").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    // --out naming a file is refused as such, not as a non-empty directory.
    let file = patronfall(&[
        "ensemble",
        "--scenario",
        &s,
        "--out",
        out.join("notes.txt").to_str().unwrap(),
    ]);
    assert_eq!(file.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&file.stderr).contains("is a file"),
        "{}",
        String::from_utf8_lossy(&file.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_report_leaves_out_analyses_of_other_runs() {
    let dir = scratch("identity");
    let s = template(&dir);
    let (a, b) = (dir.join("a"), dir.join("b"));
    ok(&ensemble(&s, &a, &["--sampler", "morris", "--no-report"]));
    ok(&ensemble(
        &s,
        &b,
        &["--sampler", "morris", "--seed", "8", "--no-report"],
    ));
    ok(&patronfall(&[
        "analyze",
        "sensitivity",
        a.to_str().unwrap(),
    ]));
    // Its own analysis is shown.
    let own = patronfall(&["report", a.to_str().unwrap()]);
    ok(&own);
    let html = std::fs::read_to_string(a.join("report.html")).unwrap();
    assert!(!html.contains("computed from other runs"));
    // The same file beside other runs is not.
    std::fs::create_dir_all(b.join("analysis")).unwrap();
    std::fs::copy(
        a.join("analysis/sensitivity.json"),
        b.join("analysis/sensitivity.json"),
    )
    .unwrap();
    let other = patronfall(&["report", b.to_str().unwrap()]);
    ok(&other);
    let html = std::fs::read_to_string(b.join("report.html")).unwrap();
    assert!(
        html.contains("analysis/sensitivity.json was computed from other runs"),
        "the copied analysis is not flagged"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_flags_exit_2() {
    let dir = scratch("flags");
    let s = template(&dir);
    let out = dir.join("r");
    for extra in [
        &["--sampler", "bogus"][..],
        &["--coa", "nobody"],
        &["--threads", "0"],
        &["--runs", "many"],
        &["--shock", "nothing"],
        &["--vary", "no.such.path"],
    ] {
        let o = ensemble(&s, &out, extra);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{extra:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let missing = patronfall(&[
        "ensemble",
        "--scenario",
        "no-such-scenario.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_interrupted_ensemble_keeps_its_finished_rows() {
    let dir = scratch("interrupt");
    let s = template(&dir);
    let out = dir.join("r");
    let child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args([
            "ensemble",
            "--scenario",
            &s,
            "--runs",
            "200000",
            "--threads",
            "1",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until some rows are on disk, then interrupt like Ctrl-C.
    let partial = out.join(".runs.csv.partial");
    let start = Instant::now();
    loop {
        let lines = std::fs::read_to_string(&partial).map_or(0, |t| t.lines().count());
        if lines > 300 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no rows after 120 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let result = child.wait_with_output().unwrap();
    assert_eq!(
        result.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stderr).contains("interrupted"));
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    let done = m["experiments_done"].as_u64().unwrap();
    assert!(done > 0 && done < m["experiments_planned"].as_u64().unwrap());
    let rows = std::fs::read_to_string(out.join("runs.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(rows as u64, done);
    let parquet: usize = batches(&out.join("runs.parquet"))
        .iter()
        .map(|b| b.num_rows())
        .sum();
    assert_eq!(parquet as u64, done);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Sends a signal to a child process with `kill`.
fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name}");
}

/// Waits until `path` exists (the ensemble has started and handles Ctrl-C).
fn wait_for(path: &Path, what: &str) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{what} after 120 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_second_ctrl_c_stops_inside_the_running_chunk() {
    let dir = scratch("interrupt-twice");
    let s = template(&dir);
    let out = dir.join("r");
    // Long runs: one chunk of 256 experiments takes far longer on one
    // thread than the test waits, so only the second Ctrl-C can end it soon.
    let mut child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args([
            "ensemble",
            "--scenario",
            &s,
            "--runs",
            "1000",
            "--days",
            "20000",
            "--series-sample",
            "0",
            "--threads",
            "1",
            "--no-report",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&out.join("manifest.json"), "no manifest");
    std::thread::sleep(Duration::from_millis(1500));
    signal(&child, "INT");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "one Ctrl-C ended it at once"
    );
    signal(&child, "INT");
    let stopped = Instant::now();
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stopped.elapsed() < Duration::from_secs(60),
        "the second Ctrl-C took {:?}",
        stopped.elapsed()
    );
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stopping at once"), "{stderr}");
    // The directory is finished and readable, with a prefix of the plan.
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    let done = m["experiments_done"].as_u64().unwrap();
    assert!(done < 256, "the running chunk was not cut short: {done}");
    let text = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(text.lines().count() as u64 - 1, done);
    for (i, line) in text.lines().skip(1).enumerate() {
        assert!(line.starts_with(&format!("{i},")), "row {i}: {line}");
    }
    ok(&patronfall(&["analyze", "futures", out.to_str().unwrap()]));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The template with agent grids: one experiment of 20,000 days takes
/// minutes, so every press lands while the first is under way.
fn slow_template(dir: &Path, template: &str) -> String {
    let text = std::fs::read_to_string(template).unwrap();
    let slow = text.replacen(
        "default_coa = \"wait\"\n",
        "default_coa = \"wait\"\nunrest = \"agents\"\nagent_grid = 100\n",
        1,
    );
    assert_ne!(slow, text, "the edit applies");
    let file = dir.join("slow.toml");
    std::fs::write(&file, slow).unwrap();
    file.to_string_lossy().into_owned()
}

/// Runs a long ensemble of `s` into `out`, presses Ctrl-C three times, and
/// returns the exit code and standard error; `None` if it ended before the
/// third press.
fn three_presses_mid_run(s: &str, out: &Path) -> Option<(Option<i32>, String)> {
    let _ = std::fs::remove_dir_all(out);
    let child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args([
            "ensemble",
            "--scenario",
            s,
            "--runs",
            "1000",
            "--days",
            "20000",
            "--series-sample",
            "0",
            "--threads",
            "1",
            "--no-report",
            "--out",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    wait_for(&out.join("manifest.json"), "no manifest");
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, "INT");
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "INT");
    // The second press waits for the experiment under way; the third
    // arrives long before it ends.
    std::thread::sleep(Duration::from_millis(100));
    if child.try_wait().unwrap().is_some() {
        return None;
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let result = child.wait_with_output().unwrap();
    Some((
        result.status.code(),
        String::from_utf8_lossy(&result.stderr).into_owned(),
    ))
}

#[test]
fn a_third_ctrl_c_leaves_at_once_and_says_what_is_left() {
    let dir = scratch("interrupt-thrice");
    let s = template(&dir);
    let slow = slow_template(&dir, &s);
    let out = dir.join("r");
    let d = out.to_str().unwrap();
    let (code, stderr) = (0..3)
        .find_map(|_| three_presses_mid_run(&slow, &out))
        .expect("the ensemble outlived two presses");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("left without finishing")
            && stderr.contains(&format!("patronfall recover {d}"))
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Nothing was written beyond the start: the manifest says so, the
    // readers name what happened and what to do, and recovering finds no
    // row without failing.
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    assert_eq!(m["experiments_done"], 0);
    assert!(!out.join("runs.csv").exists());
    let o = patronfall(&["analyze", "futures", d]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("did not finish") && err.contains("--force"),
        "{err}"
    );
    // The header of runs.csv may or may not have reached the disk.
    let r = patronfall(&["recover", d]);
    let err = String::from_utf8_lossy(&r.stderr);
    match r.status.code() {
        Some(0) => {
            let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
            assert_eq!(runs.lines().count(), 1, "{runs}");
            assert_eq!(manifest(&out)["experiments_done"], 0);
        }
        code => {
            assert_eq!(code, Some(2), "{err}");
            assert!(err.contains("nothing to recover"), "{err}");
        }
    }
    // Running it again with --force gives a readable directory.
    ok(&ensemble(&s, &out, &["--force", "--no-report"]));
    ok(&patronfall(&["analyze", "futures", d]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_third_ctrl_c_during_the_report_keeps_the_results() {
    let dir = scratch("interrupt-report");
    let s = template(&dir);
    let out = dir.join("r");
    let d = out.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args([
            "ensemble",
            "--scenario",
            &s,
            "--runs",
            "40",
            "--days",
            "60",
            "--out",
            d,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The results are written (the final manifest says complete) before the
    // report, which takes seconds.
    let start = Instant::now();
    while std::fs::read_to_string(out.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_none_or(|m| m["complete"] != true)
    {
        assert!(start.elapsed() < Duration::from_secs(120), "no results");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    for _ in 0..3 {
        signal(&child, "INT");
        std::thread::sleep(Duration::from_millis(50));
    }
    let code = child.wait().unwrap().code();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("finishing the report")
            && stderr.contains("left without the report")
            && stderr.contains(&format!("patronfall report {d}")),
        "{stderr}"
    );
    // Every experiment is kept and readable, and the report can be written.
    let m = manifest(&out);
    assert_eq!(m["complete"], true);
    assert_eq!(m["experiments_done"], m["experiments_planned"]);
    ok(&patronfall(&["analyze", "futures", d]));
    ok(&patronfall(&["report", d]));
    assert!(out.join("report.html").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An ensemble of the scenario file `s` far too long to finish (200,000
/// samples on one thread) into `out`, started in the background, for the
/// tests that kill it.
fn long_ensemble(s: &str, out: &std::path::Path, extra: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args([
            "ensemble",
            "--scenario",
            s,
            "--runs",
            "200000",
            "--threads",
            "1",
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_killed_ensemble_is_named_and_recovered() {
    let dir = scratch("killed");
    let s = template(&dir);
    let out = dir.join("r");
    let mut child = long_ensemble(&s, &out, &[]);
    let partial = out.join(".runs.csv.partial");
    let start = Instant::now();
    while std::fs::read_to_string(&partial).map_or(0, |t| t.lines().count()) <= 300 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no rows after 120 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(&child, "KILL");
    child.wait().unwrap();
    let d = out.to_str().unwrap();
    // Every reader says what happened and what to do.
    for args in [
        &["analyze", "futures", d][..],
        &["report", d],
        &["export", "ema", d, dir.join("x.tar.gz").to_str().unwrap()],
    ] {
        let o = patronfall(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("did not finish") && err.contains(&format!("patronfall recover {d}")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let rows_before = std::fs::read_to_string(&partial).unwrap().lines().count() - 1;
    let r = patronfall(&["recover", d]);
    ok(&r);
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    let done = m["experiments_done"].as_u64().unwrap();
    assert!(
        done >= 300 && done as usize <= rows_before,
        "{done} of {rows_before}"
    );
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count() as u64 - 1, done);
    // The recovered rows are analysed and reported.
    ok(&patronfall(&["analyze", "futures", d]));
    let rep = patronfall(&["report", d]);
    ok(&rep);
    assert!(String::from_utf8_lossy(&rep.stderr).contains("recovered"));
    // Nothing is left to recover.
    assert_eq!(patronfall(&["recover", d]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_killed_parquet_only_ensemble_is_recovered_from_its_journal() {
    let dir = scratch("killed-parquet");
    let s = template(&dir);
    let out = dir.join("r");
    let mut child = long_ensemble(&s, &out, &["--runs-format", "parquet"]);
    // The journal records a row group once it is on disk.
    let journal = out.join(".runs.parquet.journal");
    let start = Instant::now();
    while std::fs::metadata(&journal).map_or(0, |m| m.len()) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "no row group after 300 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(&child, "KILL");
    child.wait().unwrap();
    assert!(!out.join(".runs.csv.partial").exists());
    let d = out.to_str().unwrap();
    let o = patronfall(&["analyze", "futures", d]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("did not finish") && err.contains(&format!("patronfall recover {d}")),
        "{err}"
    );
    let r = patronfall(&["recover", d]);
    ok(&r);
    let said = String::from_utf8_lossy(&r.stdout);
    assert!(said.contains("runs.parquet"), "{said}");
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    assert_eq!(
        m["files"],
        serde_json::json!(["runs.parquet", "manifest.json"])
    );
    let done = m["experiments_done"].as_u64().unwrap();
    // Whole row groups of 4096 rows, the first experiments in order.
    assert!(done >= 4096 && done.is_multiple_of(4096), "{done}");
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(out.join("runs.parquet")).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let mut next = 0u64;
    for batch in reader {
        let batch = batch.unwrap();
        let experiments = batch
            .column_by_name("experiment")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::UInt64Array>()
            .unwrap()
            .clone();
        for e in experiments.values() {
            assert_eq!(*e, next);
            next += 1;
        }
    }
    assert_eq!(next, done);
    assert!(!journal.exists() && !out.join(".runs.parquet.partial").exists());
    // The recovered rows are analysed.
    ok(&patronfall(&["analyze", "futures", d]));
    // Nothing is left to recover.
    assert_eq!(patronfall(&["recover", d]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn days_follow_one_rule_everywhere() {
    let dir = scratch("days");
    let s = template(&dir);
    let out = dir.join("r");
    for days in ["0", "100001", "4000000000"] {
        for cmd in ["run", "ensemble"] {
            let mut args = vec![cmd, "--scenario", &s, "--days", days];
            let o_dir = out.to_str().unwrap();
            if cmd == "ensemble" {
                args.extend(["--out", o_dir]);
            }
            let o = patronfall(&args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{cmd} --days {days}: {err}");
            assert!(
                err.contains("--days") && err.contains("at most 100000"),
                "{err}"
            );
        }
    }
    assert!(!out.exists(), "a refused ensemble wrote nothing");
    // The scenario's horizon is held to the same rule by `scenario check`.
    let text = std::fs::read_to_string(&s).unwrap();
    let zero = dir.join("zero.toml");
    let horizon = text
        .lines()
        .find(|l| l.starts_with("horizon_days"))
        .expect("the template sets a horizon");
    std::fs::write(&zero, text.replacen(horizon, "horizon_days = 0", 1)).unwrap();
    let o = patronfall(&["scenario", "check", zero.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("scenario.horizon_days"), "{err}");
    // A hand-edited manifest is held to it by the readers.
    ok(&ensemble(&s, &out, &["--no-report"]));
    let path = out.join("manifest.json");
    let m = std::fs::read_to_string(&path).unwrap();
    let edited = m.replacen("\"days\": 60", "\"days\": 4000000000", 1);
    assert_ne!(m, edited);
    std::fs::write(&path, edited).unwrap();
    for args in [
        &["report", out.to_str().unwrap()][..],
        &["analyze", "futures", out.to_str().unwrap()],
    ] {
        let o = patronfall(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("days"), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_plan_too_large_for_memory_is_refused_before_it_starts() {
    let dir = scratch("memory");
    let s = template(&dir);
    let out = dir.join("r");
    let o = patronfall(&[
        "ensemble",
        "--scenario",
        &s,
        "--runs",
        "100000",
        "--days",
        "100000",
        "--series-sample",
        "100000",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("in memory") && err.contains("--series-sample"),
        "{err}"
    );
    assert!(!out.exists(), "a refused ensemble wrote nothing");
    std::fs::remove_dir_all(&dir).unwrap();
}
