//! Drives `patronfall signposts` and `patronfall update` on a small
//! ensemble of the built-in scenario: the indicators recorded beside the
//! runs (the same bytes on any thread count), the signposts and their JSON,
//! the update from an observations file, bad observation files exiting 2
//! with file, line and field, the hold-out check improving on the prior,
//! and a past case's readings (`scenario seen`) updating an ensemble of it.

mod common;

use common::{patronfall, succeeded};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("pf-signposts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fn ensemble(name: &str, runs: &str, threads: &str) -> PathBuf {
    let out = scratch().join(name);
    succeeded(&patronfall(&[
        "ensemble",
        "--runs",
        runs,
        "--coa",
        "passive",
        "decisive_with_partners",
        "--days",
        "90",
        "--threads",
        threads,
        "--no-report",
        "--out",
        out.to_str().unwrap(),
    ]));
    out
}

/// The shared ensemble, made once.
fn results() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| ensemble("main", "150", "2"))
}

#[test]
fn indicators_are_recorded_one_row_per_run_whatever_the_threads() {
    let dir = results();
    let csv = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    assert_eq!(csv.lines().count(), runs.lines().count());
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("experiment,diyala_crossings@7,diyala_crossings@14"));
    assert!(
        !header.contains("@180"),
        "days past --days are not recorded"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("indicators.json")).unwrap())
            .unwrap();
    assert_eq!(json["indicators"][0]["detection"], 0.7);
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"indicators.csv\"") && manifest.contains("\"indicators.json\""));
    let one = ensemble("one-thread", "150", "1");
    assert_eq!(
        std::fs::read(one.join("indicators.csv")).unwrap(),
        csv.into_bytes(),
        "indicators.csv is the same on one thread and two"
    );
}

#[test]
fn signposts_rank_the_indicators_and_save_their_json() {
    let dir = results();
    let text = succeeded(&patronfall(&["signposts", dir.to_str().unwrap()]));
    assert!(text.contains("What to watch"), "{text}");
    assert!(text.contains("decisive_with_partners"), "{text}");
    assert!(text.contains("× more likely"), "no signpost: {text}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("analysis/signposts.json")).unwrap(),
    )
    .unwrap();
    let columns = std::fs::read_to_string(dir.join("indicators.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .split(',')
        .count()
        - 1;
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        2 * columns,
        "every course of action and column"
    );
    for e in entries {
        let i = &e["information"];
        let (bits, low, high) = (
            i["bits"].as_f64().unwrap(),
            i["low"].as_f64().unwrap(),
            i["high"].as_f64().unwrap(),
        );
        assert!(bits >= 0.0 && low <= high && bits <= i["entropy"].as_f64().unwrap() + 1e-9);
        for s in e["signs"].as_array().unwrap() {
            assert!(s["lr"]["low"].as_f64().unwrap() > 1.0, "{s}");
        }
    }
    assert!(json["runs_sha256"].is_string());
    let only = succeeded(&patronfall(&[
        "signposts",
        dir.to_str().unwrap(),
        "--coa",
        "passive",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&only).unwrap();
    assert!(
        v["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["coa"] == "passive")
    );
    let bad = patronfall(&["signposts", dir.to_str().unwrap(), "--coa", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

fn observations(name: &str, text: &str) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn update_weighs_the_runs_by_what_was_observed() {
    let dir = results();
    // What the first run shows: a value and a range any course of action can meet.
    let csv = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first: Vec<f64> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    let at = |name: &str| first[header.iter().position(|h| *h == name).unwrap()];
    let file = observations(
        "seen.toml",
        &format!(
            "[[observed]]\nindicator = \"interdictions\"\nday = 30\nvalue = {}\n\n[[observed]]\nindicator = \"diyala_crossings\"\nday = 14\nrange = [{}, {}]\nnote = \"provincial statement\"\n",
            at("interdictions@30"),
            0.5 * at("diyala_crossings@14"),
            1.5 * at("diyala_crossings@14")
        ),
    );
    let text = succeeded(&patronfall(&[
        "update",
        dir.to_str().unwrap(),
        "--observed",
        file.to_str().unwrap(),
    ]));
    assert!(text.contains("effective"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("analysis/update.json")).unwrap())
            .unwrap();
    assert_eq!(json["observed"].as_array().unwrap().len(), 2);
    for c in json["coas"].as_array().unwrap() {
        let runs = c["runs"].as_f64().unwrap();
        let ess = c["effective_runs"].as_f64().unwrap();
        assert!(ess > 0.0 && ess <= runs + 1e-9, "{c}");
        let total: f64 = c["futures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["posterior"].as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{c}");
        assert!(!c["figures"].as_array().unwrap().is_empty());
    }
    // Far outside every run: a warning that says what to do.
    let far = observations(
        "far.toml",
        "[[observed]]\nindicator = \"interdictions\"\nday = 30\nvalue = 1e9\n",
    );
    let out = patronfall(&[
        "update",
        dir.to_str().unwrap(),
        "--observed",
        far.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("effective run") && err.contains("larger ensemble"),
        "{err}"
    );
}

#[test]
fn bad_observation_files_name_the_line_and_field() {
    let dir = results();
    for (text, line, says) in [
        (
            "[[observed]]\nindicator = \"interdiction\"\nday = 30\nvalue = 1\n",
            "line 2",
            "observed[1].indicator",
        ),
        (
            "[[observed]]\nindicator = \"interdictions\"\nday = 31\nvalue = 1\n",
            "line 3",
            "recorded on days 7, 14, 30, 60",
        ),
        (
            "[[observed]]\nindicator = \"interdictions\"\nday = 30\nrange = [5, 1]\n",
            "line 4",
            "observed[1].range",
        ),
        (
            "[[observed]]\nindicator = \"interdictions\"\nday = 30\n",
            "line 1",
            "observed[1].value",
        ),
        (
            "[[observed]]\nindicator = \"interdictions\"\nday = 30\nvalue = 1\nvalu = 2\n",
            "line 5",
            "unknown field",
        ),
        ("", "", "no [[observed]] entry"),
    ] {
        let file = observations("bad.toml", text);
        let out = patronfall(&[
            "update",
            dir.to_str().unwrap(),
            "--observed",
            file.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains("bad.toml"), "{err}");
        assert!(err.contains(line) && err.contains(says), "{text}: {err}");
    }
}

/// The validation of issue 24: held-back runs observed through their
/// indicators score better after the update than under the prior.
#[test]
fn held_out_runs_are_forecast_better_after_the_update() {
    let dir = results();
    let text = succeeded(&patronfall(&[
        "update",
        dir.to_str().unwrap(),
        "--holdout",
        "4",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let coas = v.as_array().unwrap();
    let mean =
        |key: &str| coas.iter().map(|c| c[key].as_f64().unwrap()).sum::<f64>() / coas.len() as f64;
    assert!(mean("posterior_log") < mean("prior_log"), "{text}");
    assert!(mean("posterior_brier") < mean("prior_brier"), "{text}");
    assert!(mean("raised") > 0.5, "{text}");
}

/// A past case's readings, written by `patronfall scenario seen`, are an
/// observations file `update` reads on an ensemble of the case.
#[test]
fn a_past_cases_readings_update_an_ensemble_of_it() {
    let file = scratch().join("syria-seen.toml");
    succeeded(&patronfall(&[
        "scenario",
        "seen",
        "syria-2024",
        file.to_str().unwrap(),
        "--by-day",
        "62",
    ]));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("[[observed]]").count(), 2, "{text}");
    assert!(text.contains("Sources: S53 (Wikipedia"), "{text}");
    // Written once; a second write needs --force.
    let again = patronfall(&["scenario", "seen", "syria-2024", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    let dir = scratch().join("syria");
    succeeded(&patronfall(&[
        "ensemble",
        "--scenario",
        "syria-2024",
        "--runs",
        "40",
        "--days",
        "70",
        "--threads",
        "2",
        "--no-report",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let out = succeeded(&patronfall(&[
        "update",
        dir.to_str().unwrap(),
        "--observed",
        file.to_str().unwrap(),
        "--json",
    ]));
    let update: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let coa = &update["coas"][0];
    assert_eq!(update["observed"].as_array().unwrap().len(), 2);
    assert!(
        coa["futures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["future"] == "regime_falls" && f["posterior"].is_number()),
        "{update}"
    );
    // A scenario with no readings is refused with the fix.
    let none = patronfall(&["scenario", "seen", "iraq-after-tehran"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("[[seen]]"));
}
