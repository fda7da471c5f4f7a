//! `patronfall backtest` end to end: the past cases reproduce the direction
//! and rough timing of collapse with a modest ensemble, the output is
//! reproducible, and bad input exits with code 2.

use std::process::Command;

fn patronfall(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn backtest_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["backtest", "--runs", "40", "--threads", "2", "--json"];
    args.extend_from_slice(extra);
    let out = patronfall(&args);
    assert!(
        out.status.success(),
        "backtest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn past_cases_collapse_and_their_controls_hold() {
    let reports = backtest_json(&[]);
    let reports = reports.as_array().expect("one report per case");
    assert_eq!(reports.len(), 2);
    for r in reports {
        let name = r["scenario"].as_str().unwrap();
        let lag = r["observed"]["lag"].as_f64().unwrap();
        let case = &r["case"]["scores"];
        let control = &r["control"]["scores"];
        assert_eq!(case["runs"], 40);
        let fell = case["share_collapsed"].as_f64().unwrap();
        assert!(
            fell >= 0.5,
            "{name}: only {fell} of the case's runs collapse"
        );
        let held = control["share_collapsed"].as_f64().unwrap();
        assert!(held <= 0.1, "{name}: {held} of the control's runs collapse");
        let median = case["quantiles"][2]
            .as_f64()
            .unwrap_or_else(|| panic!("{name}: median after the horizon"));
        assert!(
            median >= lag / 2.0 && median <= 2.0 * lag,
            "{name}: median lag {median} days against {lag} observed"
        );
        assert_eq!(r["verdict"]["direction"], true, "{name}");
        assert_eq!(r["verdict"]["timing"], true, "{name}");
    }
}

#[test]
fn results_do_not_depend_on_threads() {
    let one = patronfall(&[
        "backtest",
        "syria-2024",
        "--runs",
        "16",
        "--threads",
        "1",
        "--json",
    ]);
    let two = patronfall(&[
        "backtest",
        "syria-2024",
        "--runs",
        "16",
        "--threads",
        "2",
        "--json",
    ]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn plot_writes_an_svg() {
    let dir = std::env::temp_dir().join(format!("patronfall-backtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("backtest.svg");
    let out = patronfall(&[
        "backtest",
        "syria-2024",
        "--runs",
        "8",
        "--plot",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("syria-2024"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_exits_with_code_2() {
    // A scenario without an observed fall of the capital.
    let out = patronfall(&["backtest", "iraq-after-tehran", "--runs", "4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("capital_held"));
    // An unknown scenario file.
    let out = patronfall(&["backtest", "no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    // A bad flag value.
    let out = patronfall(&["backtest", "--window", "0"]);
    assert_eq!(out.status.code(), Some(2));
}
