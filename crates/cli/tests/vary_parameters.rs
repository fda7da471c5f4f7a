//! Drives `--vary-parameters` through the real binary on the template
//! scenario: the model's parameters become columns of runs.csv varied over
//! their plausible ranges, reproducibly; the manifest records it; a
//! scenario that narrows a plausible range is refused with its file, line
//! and field; sensitivity ranks the parameters beside the scenario's
//! figures; backtest accepts the option.

mod common;

use common::{patronfall, scratch, succeeded};
use std::path::Path;

/// Writes the template scenario into `dir` and returns its path.
fn template(dir: &Path) -> String {
    let file = dir.join("template.toml");
    succeeded(&patronfall(&["scenario", "init", file.to_str().unwrap()]));
    file.to_string_lossy().into_owned()
}

/// Runs a small LHS ensemble of `scenario` into `out`.
fn ensemble(scenario: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "ensemble",
        "--scenario",
        scenario,
        "--runs",
        "16",
        "--days",
        "60",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    patronfall(&args)
}

/// The header and the values of one column of a runs.csv.
fn column(runs: &str, name: &str) -> Option<Vec<f64>> {
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next()?.split(',').collect();
    let i = header.iter().position(|h| *h == name)?;
    Some(
        lines
            .map(|l| l.split(',').nth(i).unwrap().parse::<f64>().unwrap())
            .collect(),
    )
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn parameters_become_reproducible_columns_over_their_plausible_ranges() {
    let dir = scratch("vary-parameters");
    let s = template(&dir);
    let (plain, one, two, again) = (
        dir.join("plain"),
        dir.join("one"),
        dir.join("two"),
        dir.join("again"),
    );
    succeeded(&ensemble(&s, &plain, &["--no-report"]));
    // The report replays representative runs with the varied parameters.
    succeeded(&ensemble(
        &s,
        &one,
        &["--vary-parameters", "--threads", "1"],
    ));
    let report = std::fs::read_to_string(one.join("report.html")).unwrap();
    assert!(
        report.contains("varied over their plausible ranges"),
        "the report says the parameters were varied"
    );
    succeeded(&ensemble(
        &s,
        &two,
        &["--vary-parameters", "--threads", "2", "--no-report"],
    ));
    succeeded(&ensemble(
        &s,
        &again,
        &["--vary-parameters", "--threads", "2", "--no-report"],
    ));
    let runs = std::fs::read_to_string(one.join("runs.csv")).unwrap();
    assert_eq!(
        runs,
        std::fs::read_to_string(two.join("runs.csv")).unwrap(),
        "1 vs 2 threads"
    );
    assert_eq!(
        runs,
        std::fs::read_to_string(again.join("runs.csv")).unwrap(),
        "rerun"
    );

    // Without the option the parameters are not columns; with it they are,
    // drawn over their plausible ranges.
    let plain_runs = std::fs::read_to_string(plain.join("runs.csv")).unwrap();
    assert!(column(&plain_runs, "parameters.firebreak.interdiction_k").is_none());
    let k = column(&runs, "parameters.firebreak.interdiction_k").expect("a column");
    assert!(k.iter().all(|v| (0.04..=0.16).contains(v)), "{k:?}");
    let mut distinct = k.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert!(
        distinct.len() >= 16,
        "16 samples, {} values",
        distinct.len()
    );
    let w = column(&runs, "parameters.stance.ideology_weight").expect("a column");
    assert!(w.iter().all(|v| (1.3..=5.2).contains(v)), "{w:?}");
    // Varying them changes the runs.
    assert_ne!(
        column(&runs, "casualties").unwrap(),
        column(&plain_runs, "casualties").unwrap()
    );

    let m = manifest(&one);
    assert_eq!(m["vary_parameters"], true);
    assert_eq!(manifest(&plain)["vary_parameters"], false);
    let entry = m["uncertainties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["path"] == "parameters.firebreak.interdiction_k")
        .unwrap();
    assert_eq!(entry["dist"], "uniform");
    assert_eq!(entry["support"], serde_json::json!([0.04, 0.16]));
    assert_eq!(entry["nominal"], 0.08);
    assert_eq!(entry["varied"], true);
    assert_eq!(entry["sources"], serde_json::json!(["registry"]));
    assert_eq!(entry["basis"], "assumption");
    // The nominal values recorded are the registry's defaults.
    assert_eq!(m["parameters"]["firebreak.interdiction_k"], 0.08);

    // `--vary` selects among them like any figure.
    let only = dir.join("only");
    succeeded(&ensemble(
        &s,
        &only,
        &[
            "--vary-parameters",
            "--vary",
            "parameters.stance.*",
            "--no-report",
        ],
    ));
    let only_runs = std::fs::read_to_string(only.join("runs.csv")).unwrap();
    let k = column(&only_runs, "parameters.firebreak.interdiction_k").unwrap();
    assert!(k.iter().all(|v| *v == 0.08), "held at its default");
    let w = column(&only_runs, "parameters.stance.ideology_weight").unwrap();
    assert!(w.iter().any(|v| *v != 2.6));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_scenario_that_narrows_a_plausible_range_is_refused() {
    let dir = scratch("vary-parameters-narrow");
    let s = template(&dir);
    let mut text = std::fs::read_to_string(&s).unwrap();
    text.push_str("\n[parameters.stance]\nideology_weight = [2.0, 3.0]\n");
    std::fs::write(&s, &text).unwrap();
    let line = text.lines().count();
    // Without the option the range is the scenario's what-if.
    succeeded(&patronfall(&["scenario", "check", &s]));
    let out = ensemble(&s, &dir.join("never"), &["--vary-parameters"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("template.toml:{line}:")), "{err}");
    assert!(err.contains("parameters.stance.ideology_weight"), "{err}");
    assert!(err.contains("plausible range [1.3, 5.2]"), "{err}");
    assert!(err.contains("remove the entry"), "{err}");
    assert!(!dir.join("never").join("runs.csv").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sensitivity_ranks_the_parameters_among_the_drivers() {
    let dir = scratch("vary-parameters-morris");
    let s = template(&dir);
    let out = dir.join("morris");
    succeeded(&patronfall(&[
        "ensemble",
        "--scenario",
        &s,
        "--sampler",
        "morris",
        "--runs",
        "10",
        "--groups",
        "entity",
        "--coa",
        "act",
        "--days",
        "90",
        "--vary-parameters",
        "--no-report",
        "--out",
        out.to_str().unwrap(),
    ]));
    let m = manifest(&out);
    let groups: Vec<String> = m["design"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        groups.iter().any(|g| g == "parameters.stance"),
        "{groups:?}"
    );
    succeeded(&patronfall(&[
        "analyze",
        "sensitivity",
        out.to_str().unwrap(),
        "--outcome",
        "casualties",
    ]));
    let text = std::fs::read_to_string(out.join("analysis").join("sensitivity.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows = doc["indices"].as_array().unwrap();
    let mu_star = |r: &serde_json::Value| r["mu_star"].as_f64().unwrap();
    let params: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["factor"].as_str().unwrap().starts_with("parameters."))
        .collect();
    assert!(params.len() >= 8, "{} parameter groups", params.len());
    // The contest's parameters (attrition, collateral, ...) move casualties.
    let contest = params
        .iter()
        .find(|r| r["factor"] == "parameters.contest")
        .unwrap();
    assert!(mu_star(contest) > 0.0, "{contest}");
    // The behavioural weights are among the strongest drivers: a group of
    // parameters is among the three largest effects.
    let mut ranked: Vec<&serde_json::Value> = rows.iter().collect();
    ranked.sort_by(|a, b| mu_star(b).total_cmp(&mu_star(a)));
    assert!(
        ranked[..3]
            .iter()
            .any(|r| r["factor"].as_str().unwrap().starts_with("parameters.")),
        "{ranked:?}"
    );
    // They rest on the registry, an analyst assumption.
    assert_eq!(contest["basis"], "assumption", "{contest}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn backtest_scores_a_case_with_the_parameters_varied() {
    let run = |extra: &[&str]| {
        let mut args = vec!["backtest", "sla-2000", "--runs", "12", "--json"];
        args.extend_from_slice(extra);
        let text = succeeded(&patronfall(&args));
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let plain = run(&[]);
    let varied = run(&["--vary-parameters"]);
    assert_eq!(varied, run(&["--vary-parameters"]), "reproducible");
    assert_ne!(plain, varied, "the parameters' spread changes the scores");
}
