//! `patronfall reference epstein` driven through the real binary: CSV shape,
//! reproducibility, schedules, atomic file output and bad-input exit codes.

use std::process::{Command, Output};

fn patronfall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn epstein(extra: &[&str]) -> Output {
    let mut args = vec![
        "reference",
        "epstein",
        "--width",
        "20",
        "--height",
        "20",
        "--steps",
        "30",
    ];
    args.extend_from_slice(extra);
    patronfall(&args)
}

/// Parsed CSV rows: (step, legitimacy, cops, quiet, active, jailed).
fn rows(out: &Output) -> Vec<(u64, f64, u32, u32, u32, u32)> {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("step,legitimacy,cops,quiet,active,jailed")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 6, "{l}");
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
                f[5].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn prints_one_row_per_step_and_conserves_citizens() {
    for variant in ["netlogo", "mesa"] {
        let out = epstein(&["--variant", variant, "--legitimacy", "0.6"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r = rows(&out);
        assert_eq!(r.len(), 31);
        assert_eq!(r[0].0, 0);
        assert_eq!(r[0].4, 0, "nobody is active before the first step");
        let total = r[0].3 + r[0].4 + r[0].5;
        assert!(r.iter().all(|x| x.3 + x.4 + x.5 == total));
        assert!(
            r.iter().any(|x| x.4 > 0),
            "{variant}: L = 0.6 should bring some activity"
        );
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_run() {
    let a = epstein(&["--seed", "7", "--legitimacy", "0.7"]);
    let b = epstein(&["--seed", "7", "--legitimacy", "0.7"]);
    let c = epstein(&["--seed", "8", "--legitimacy", "0.7"]);
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
}

#[test]
fn legitimacy_and_cop_schedules_show_in_the_csv() {
    let out = epstein(&[
        "--legitimacy",
        "0.9",
        "--drop-to",
        "0.5",
        "--drop-at",
        "10",
        "--cops-at",
        "20:0",
    ]);
    assert!(out.status.success());
    let r = rows(&out);
    assert_eq!(r[9].1, 0.9);
    assert_eq!(r[10].1, 0.5);
    assert_eq!(r[19].2, 16, "round(0.04 × 400) cops before the cut");
    assert!(r[20..].iter().all(|x| x.2 == 0));

    let out = epstein(&[
        "--legitimacy",
        "0.9",
        "--drop-to",
        "0.5",
        "--drop-at",
        "10",
        "--drop-over",
        "4",
    ]);
    let r = rows(&out);
    assert!((r[10].1 - 0.8).abs() < 1e-9, "{}", r[10].1);
    assert!((r[13].1 - 0.5).abs() < 1e-9);
}

#[test]
fn csv_file_matches_stdout_and_leaves_no_temporary() {
    let dir = std::env::temp_dir().join(format!("patronfall-epstein-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.csv");
    let out = epstein(&["--seed", "3", "--csv", path.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let written = std::fs::read(&path).unwrap();
    assert_eq!(written, epstein(&["--seed", "3"]).stdout);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn timing_is_one_json_line_on_stderr() {
    let out = epstein(&["--timing"]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let line = err.lines().last().unwrap();
    assert!(line.starts_with("{\"setup_seconds\":"), "{line}");
    assert!(line.contains("\"steps\":30"), "{line}");
}

#[test]
fn bad_input_exits_2_and_names_the_problem() {
    for (args, needle) in [
        (vec!["--legitimacy", "1.5"], "legitimacy"),
        (vec!["--citizen-density", "0.99"], "density"),
        (vec!["--width", "0"], "width"),
        (
            vec!["--variant", "mesa", "--after-arrest", "move-to-arrestee"],
            "cop cannot move",
        ),
        (vec!["--drop-to", "2", "--drop-at", "5"], "--drop-to"),
        (vec!["--cops-at", "5:100000"], "--cops-at"),
        (vec!["--cops-at", "five:3"], "step"),
        (vec!["--ratio", "ceiling"], "ceiling"),
        (vec!["--steps", "99999999999"], "--steps"),
    ] {
        let out = epstein(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn unwritable_csv_path_fails_with_exit_1() {
    let out = epstein(&["--csv", "/nonexistent-dir-for-patronfall/run.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}
