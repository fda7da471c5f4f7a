//! Drives `patronfall update --follow-up` on a small ensemble of the
//! built-in scenario: an observation few runs are consistent with, a
//! follow-up that finds more of them (a larger effective sample on the
//! same number of runs), the same bytes on one thread or two, a manifest
//! that records where the samples came from, a directory `analyze`,
//! `report` and `update` read, and bad requests exiting 2.

mod common;

use common::{patronfall, scratch, succeeded};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Runs at the Sadrist current's unrest of 0.08 on day 14: above the 98th
/// percentile of the ensemble's runs (about 0.04), so the update rests on a
/// handful of them.
const OBSERVED: &str =
    "[[observed]]\nindicator = \"sadrist_unrest\"\nday = 14\nvalue = 0.08\nnote = \"test\"\n";

fn ensemble(dir: &Path) -> PathBuf {
    let out = dir.join("ensemble");
    succeeded(&patronfall(&[
        "ensemble",
        "--runs",
        "100",
        "--coa",
        "passive",
        "decisive_with_partners",
        "--days",
        "90",
        "--no-report",
        "--out",
        out.to_str().unwrap(),
    ]));
    out
}

fn follow_up(parent: &Path, observed: &Path, out: &Path, threads: &str) -> Value {
    let text = succeeded(&patronfall(&[
        "update",
        parent.to_str().unwrap(),
        "--observed",
        observed.to_str().unwrap(),
        "--follow-up",
        "100",
        "--out",
        out.to_str().unwrap(),
        "--threads",
        threads,
        "--no-report",
        "--json",
    ]));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_follow_up_finds_more_runs_consistent_with_what_was_observed() {
    let dir = scratch("follow-up");
    let parent = ensemble(&dir);
    let observed = dir.join("observed.toml");
    std::fs::write(&observed, OBSERVED).unwrap();
    let one = dir.join("one-thread");
    let both = follow_up(&parent, &observed, &one, "1");
    for (before, after) in both["ensemble"]["coas"]
        .as_array()
        .unwrap()
        .iter()
        .zip(both["follow_up"]["coas"].as_array().unwrap())
    {
        assert_eq!(before["coa"], after["coa"]);
        assert_eq!(before["runs"], after["runs"]);
        let (b, a) = (
            before["effective_runs"].as_f64().unwrap(),
            after["effective_runs"].as_f64().unwrap(),
        );
        assert!(
            b < 15.0,
            "the ensemble's update should rest on few runs: {b}"
        );
        assert!(
            a > 2.0 * b,
            "{}: follow-up {a:.1}, ensemble {b:.1}",
            after["coa"]
        );
        // The prior beside the follow-up's posterior is the ensemble's.
        let prior = |u: &Value| -> Vec<f64> {
            u["futures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["prior"].as_f64().unwrap())
                .collect()
        };
        assert_eq!(prior(before), prior(after));
        let total: f64 = after["futures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["posterior"].as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{after}");
    }

    // How the samples were made.
    let m = json(&one.join("manifest.json"));
    assert_eq!(m["sampler"], "follow-up");
    assert_eq!(m["samples"], 100);
    assert_eq!(m["seed"], 2, "the ensemble's seed + 1");
    assert_eq!(m["complete"], true);
    let f = &m["follow_up"];
    let parent_update = json(&parent.join("analysis/update.json"));
    assert_eq!(f["parent_runs_sha256"], parent_update["runs_sha256"]);
    assert_eq!(f["observations_sha256"].as_str().unwrap().len(), 64);
    assert!(f["method"].as_str().unwrap().contains("Beaumont"));
    let perturbed = f["perturbed"].as_array().unwrap();
    assert_eq!(perturbed.len(), 8);
    assert!(
        perturbed.iter().any(|p| p["path"]
            .as_str()
            .unwrap()
            .starts_with("community.baghdad_sadrist.")),
        "the figures that drive the Sadrist unrest are among those perturbed: {perturbed:?}"
    );
    assert_eq!(f["log_correction"].as_array().unwrap().len(), 100);
    assert_eq!(f["parents"].as_array().unwrap().len(), 100);

    // The same bytes on two threads.
    let two = dir.join("two-threads");
    follow_up(&parent, &observed, &two, "2");
    for file in ["runs.csv", "indicators.csv"] {
        assert!(
            std::fs::read(one.join(file)).unwrap() == std::fs::read(two.join(file)).unwrap(),
            "{file} differs between one and two threads"
        );
    }
    let (mut a, mut b) = (m.clone(), json(&two.join("manifest.json")));
    for x in [&mut a, &mut b] {
        x["command"] = Value::Null;
        x["follow_up"]["parent"] = Value::Null;
    }
    assert_eq!(a, b);

    // Courses of action share samples and seeds: the same sampled figures
    // on the two rows of every sample.
    let runs = std::fs::read_to_string(one.join("runs.csv")).unwrap();
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (sample, seed, legit) = (
        col("sample"),
        col("seed"),
        col("community.baghdad_sadrist.legitimacy"),
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    for pair in rows.chunks(2) {
        assert_eq!(pair[0][sample], pair[1][sample]);
        assert_eq!(pair[0][seed], pair[1][seed]);
        assert_eq!(pair[0][legit], pair[1][legit]);
    }

    // The directory reads as any results directory, and `update` on it
    // applies the importance correction as the follow-up did.
    // `analyze futures` counts its runs, and says they are not the prior's.
    let counted = patronfall(&["analyze", "futures", one.to_str().unwrap()]);
    succeeded(&counted);
    let said = String::from_utf8_lossy(&counted.stderr);
    assert!(
        said.contains("targeted follow-up") && said.contains("not the futures' probabilities"),
        "{said}"
    );
    let again: Value = serde_json::from_str(&succeeded(&patronfall(&[
        "update",
        one.to_str().unwrap(),
        "--observed",
        observed.to_str().unwrap(),
        "--json",
    ])))
    .unwrap();
    assert_eq!(again["coas"], both["follow_up"]["coas"]);
    let report = succeeded(&patronfall(&[
        "report",
        one.to_str().unwrap(),
        "--observed",
        observed.to_str().unwrap(),
    ]));
    assert!(report.contains("report.html"), "{report}");
    let html = std::fs::read_to_string(one.join("report.html")).unwrap();
    assert!(html.contains("targeted follow-up"));

    // Bad requests exit 2 and say what to do.
    let bad = |args: &[&str], says: &str| {
        let out = patronfall(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    let (p, o) = (parent.to_str().unwrap(), observed.to_str().unwrap());
    let elsewhere = dir.join("elsewhere");
    let e = elsewhere.to_str().unwrap();
    bad(
        &["update", p, "--observed", o, "--follow-up", "10"],
        "--out",
    );
    bad(
        &[
            "update",
            p,
            "--observed",
            o,
            "--follow-up",
            "10",
            "--out",
            e,
            "--perturb",
            "nothing.*",
        ],
        "matches no figure",
    );
    bad(
        &["update", p, "--observed", o, "--follow-up", "0", "--out", e],
        "--follow-up",
    );
    bad(
        &[
            "update",
            one.to_str().unwrap(),
            "--observed",
            o,
            "--follow-up",
            "10",
            "--out",
            e,
        ],
        "itself a follow-up",
    );
    bad(
        &["update", one.to_str().unwrap(), "--holdout", "5"],
        "follow-up",
    );
    bad(
        &[
            "update",
            p,
            "--observed",
            o,
            "--follow-up",
            "10",
            "--out",
            one.to_str().unwrap(),
        ],
        "--force",
    );
}
