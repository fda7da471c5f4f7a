//! Futures that explain themselves, through the binary: `run` prints every
//! condition's value and margin, an ensemble draws a threshold written as a
//! range and records every condition's margin in runs.csv, and `analyze
//! futures --sweep` moves the futures table as a threshold moves.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn patronfall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .expect("the patronfall binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The template's turmoil condition as `scenario init` writes it.
const TURMOIL: &str =
    "{ outcome = \"active_share_max_community\", stat = \"max\", op = \">\", value = 0.2 }";

/// A scratch directory with the template, its turmoil threshold made the
/// range [0.1, 0.3], and a 30-sample ensemble of it (made once).
fn scenario_and_results() -> (PathBuf, PathBuf) {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("pf-explained-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("template.toml");
        ok(&patronfall(&["scenario", "init", file.to_str().unwrap()]));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(TURMOIL), "the template's turmoil condition");
        let text = text.replacen(
            TURMOIL,
            &TURMOIL.replace("value = 0.2", "value = [0.1, 0.3]"),
            1,
        );
        std::fs::write(&file, text).unwrap();
        ok(&patronfall(&[
            "ensemble",
            "--scenario",
            file.to_str().unwrap(),
            "--runs",
            "30",
            "--days",
            "90",
            "--out",
            dir.join("out").to_str().unwrap(),
        ]));
        dir
    });
    (dir.join("template.toml"), dir.join("out"))
}

/// runs.csv as a header and rows of fields (the template's values hold no
/// commas or quotes).
fn runs(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("runs.csv has `{name}`"))
}

#[test]
fn run_prints_why_its_future_was_reached() {
    let (file, _) = scenario_and_results();
    let f = file.to_str().unwrap();
    let text = ok(&patronfall(&["run", "--scenario", f, "--days", "60"]));
    assert!(text.contains("Why: futures are checked in order"), "{text}");
    assert!(
        text.contains("max active_share_max_community > 0.2"),
        "the nominal threshold, the middle of the range: {text}"
    );
    assert!(text.contains("end fighters_outside_state_control_share < 0.3"));
    assert!(text.contains("none: the default"));
    let doc: serde_json::Value = serde_json::from_str(&ok(&patronfall(&[
        "run",
        "--scenario",
        f,
        "--days",
        "60",
        "--json",
    ])))
    .unwrap();
    let why = doc["why"].as_array().expect("why");
    assert_eq!(why.len(), 3);
    let reached: Vec<&str> = why
        .iter()
        .filter(|f| f["reached"] == true)
        .map(|f| f["future"].as_str().unwrap())
        .collect();
    assert_eq!(reached, [doc["future"].as_str().unwrap()]);
    let c = &why[0]["conditions"][0];
    assert_eq!(c["threshold"], 0.2);
    let (v, m) = (c["value"].as_f64().unwrap(), c["margin"].as_f64().unwrap());
    assert_eq!(m, v - 0.2, "a `>` condition's margin is value − threshold");
    assert_eq!(c["held"], m > 0.0);
    assert_eq!(
        v,
        doc["outcomes"]["active_share_max_community"]["max"]
            .as_f64()
            .unwrap()
    );
    let c = &why[1]["conditions"][0];
    let (v, m) = (c["value"].as_f64().unwrap(), c["margin"].as_f64().unwrap());
    assert_eq!(m, 0.3 - v, "a `<` condition's margin is threshold − value");
}

#[test]
fn a_range_threshold_is_drawn_and_every_margin_is_recorded() {
    let (_, out) = scenario_and_results();
    let (header, rows) = runs(&out);
    let threshold = column(&header, "future.turmoil.when.0.value");
    let peak = column(&header, "max_active_share_max_community");
    let margin = column(&header, "margin.turmoil.0");
    let sovereign = column(&header, "margin.sovereign.0");
    let future = column(&header, "future");
    assert!(
        header.iter().all(|c| c != "margin.muddle.0"),
        "the default future has no condition"
    );
    let mut drawn: Vec<f64> = Vec::new();
    for row in &rows {
        let t: f64 = row[threshold].parse().unwrap();
        assert!((0.1..=0.3).contains(&t), "{t}");
        drawn.push(t);
        let (p, m): (f64, f64) = (row[peak].parse().unwrap(), row[margin].parse().unwrap());
        assert_eq!(
            m,
            p - t,
            "the margin is the peak less the run's own threshold"
        );
        let s: f64 = row[sovereign].parse().unwrap();
        let expected = if m > 0.0 {
            "turmoil"
        } else if s > 0.0 {
            "sovereign"
        } else {
            "muddle"
        };
        assert_eq!(row[future], expected, "the future follows from the margins");
    }
    drawn.sort_by(f64::total_cmp);
    drawn.dedup();
    assert!(drawn.len() > 20, "the threshold is varied: {drawn:?}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let c = &manifest["conditions"][0];
    assert_eq!(c["column"], "margin.turmoil.0");
    assert_eq!(c["path"], "future.turmoil.when.0.value");
    assert_eq!(c["value"], 0.2);
    assert_eq!(manifest["conditions"][1]["path"], serde_json::Value::Null);
}

#[test]
fn a_sweep_moves_the_table_monotonically() {
    let (_, out) = scenario_and_results();
    let d = out.to_str().unwrap();
    let text = ok(&patronfall(&[
        "analyze",
        "futures",
        d,
        "--sweep",
        "turmoil.active_share_max_community=0:0.5:11",
    ]));
    assert!(text.contains("Probability of each future"), "{text}");
    assert!(
        text.contains("Sweep of `turmoil` condition 0: max active_share_max_community > THRESHOLD"),
        "{text}"
    );
    assert!(text.contains("saved: ") && text.contains("sweep.json"));
    let sweep: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("analysis").join("sweep.json")).unwrap(),
    )
    .unwrap();
    let points = sweep["points"].as_array().unwrap();
    assert_eq!(points.len(), 11);
    assert_eq!(points[10]["value"], 0.5);
    let coas = points[0]["coas"].as_array().unwrap().len();
    assert!(coas >= 2);
    let share = |p: &serde_json::Value, c: usize, f: &str| {
        p["coas"][c]["futures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["future"] == f)
            .map_or(0.0, |x| x["share"].as_f64().unwrap())
    };
    for c in 0..coas {
        let turmoil: Vec<f64> = points.iter().map(|p| share(p, c, "turmoil")).collect();
        assert!(
            turmoil.windows(2).all(|w| w[1] <= w[0]),
            "a higher bar for turmoil never makes it likelier: {turmoil:?}"
        );
        assert!(turmoil[0] > turmoil[10], "the table moves: {turmoil:?}");
        for p in points {
            let total: f64 = ["turmoil", "sovereign", "muddle"]
                .iter()
                .map(|f| share(p, c, f))
                .sum();
            assert!((total - 1.0).abs() < 1e-12, "{total}");
        }
    }
    // The same condition by its place gives the same document.
    let json = ok(&patronfall(&[
        "analyze",
        "futures",
        d,
        "--sweep",
        "turmoil.0=0:0.5:11",
        "--json",
    ]));
    let printed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(printed["points"], sweep["points"]);
}

#[test]
fn a_bad_sweep_exits_two_and_says_how_to_write_it() {
    let (_, out) = scenario_and_results();
    let d = out.to_str().unwrap();
    for (sweep, says) in [
        ("turmoil=0:1:3", "does not name FUTURE.CONDITION"),
        ("turmoil.0=1:0:3", "is not below HI"),
        ("turmoil.0=0:1:1", "STEPS `1`"),
        ("turmoil.0=0:x:3", "HI `x` is not a finite number"),
        (
            "turmoil.legitimacy=0:1:3",
            "`turmoil` has no condition `legitimacy`",
        ),
        ("muddle.0=0:1:3", "not a future with conditions"),
    ] {
        let out = patronfall(&["analyze", "futures", d, "--sweep", sweep]);
        assert_eq!(out.status.code(), Some(2), "{sweep}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{sweep}: {err}");
    }
}
