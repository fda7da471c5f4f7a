//! Drives the real `patronfall bargain` binary on KTAB's fixtures: text and
//! JSON output, the reference outcome, BDM mode and bad-input exit codes.

use std::process::{Command, Output};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/ktab/");

fn patronfall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .expect("the patronfall binary runs")
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}{name}")
}

#[test]
fn text_output_has_history_explanations_and_outcome() {
    let out = patronfall(&["bargain", &fixture("dummyData_3Dim.csv")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Stopped after 10 turns"), "{text}");
    // KTAB's reference history for SActor-00 on Pstn2.
    assert!(
        text.contains(
            "SActor-00, Pstn2:   6.4  44.7  34.2  35.0  30.5  30.5  31.2  31.2  31.5  31.8  31.8"
        ),
        "{text}"
    );
    assert!(
        text.contains("SActor-06 moved 20.9 to (75.6, 24.8, 72.0): SActor-00 challenged it"),
        "{text}"
    );
    assert!(text.contains("Predicted outcome"), "{text}");
}

#[test]
fn json_output_matches_the_reference_final_probabilities() {
    let out = patronfall(&["bargain", &fixture("dummyData_3Dim.csv"), "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let turns = v["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 10);
    let last = &turns[9]["actors"];
    let want = [0.3340, 0.3340, 0.0183, 0.0957, 0.1512, 0.4009, 0.1512];
    for (a, w) in last.as_array().unwrap().iter().zip(want) {
        let p = a["probability"].as_f64().unwrap();
        assert!((p - w).abs() < 0.5e-4 + 1e-9, "{a}");
        assert!(
            a["explanation"]
                .as_str()
                .unwrap()
                .contains(a["actor"].as_str().unwrap())
        );
    }
    assert_eq!(v["parameters"]["VotingRule"], "Prop");
}

#[test]
fn params_and_seed_change_the_run_reproducibly() {
    let file = fixture("dummyData-a040.csv");
    let args = [
        "bargain",
        file.as_str(),
        "--param",
        "StateTransitions=Stochastic",
        "--param",
        "PCEModel=MarkovUniform",
        "--seed",
        "7",
        "--json",
    ];
    let a = patronfall(&args);
    let b = patronfall(&args);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["parameters"]["PCEModel"], "MarkovUniform");
    assert_eq!(v["seed"], 7);
}

#[test]
fn bdm_mode_runs_each_dimension() {
    let out = patronfall(&[
        "bargain",
        &fixture("dummyData_3Dim.csv"),
        "--model",
        "bdm",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dimensions"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_input_exits_2_with_file_and_line() {
    let out = patronfall(&["bargain", &fixture("smpExample.xml")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("smpExample.xml:32:") && err.contains("empty"),
        "{err}"
    );

    let out = patronfall(&[
        "bargain",
        &fixture("dummyData_3Dim.csv"),
        "--param",
        "BigRRange=Huge",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Min, Mid, Max"));

    let out = patronfall(&[
        "bargain",
        &fixture("dummyData_3Dim.csv"),
        "--param",
        "nonsense",
    ]);
    assert_eq!(out.status.code(), Some(2));

    let out = patronfall(&["bargain", &fixture("no-such-file.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}
