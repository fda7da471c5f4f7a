//! Drives `patronfall compare` on the built-in scenario and copies of it
//! with one figure changed or made fixed: the change is reported, every
//! other figure takes the same values in both versions' runs, the paired
//! effect has the expected sign, and results directories that do not pair
//! are refused.

mod common;

use common::{patronfall, succeeded};
use std::path::{Path, PathBuf};

const BUILTIN: &str = "iraq-after-tehran";
const BORDER_FORCES: &str = "id = \"border_forces\"\nname = \"Iraqi Border Forces\"\nrole = \"state_force\"\nfighters = [20000, 40000]\nfill_rate = [0.6, 0.8]";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pf-compare-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The built-in scenario with the Border Forces' block replaced.
fn variant(dir: &Path, name: &str, block: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenario/scenarios/iraq-after-tehran.toml"
    ))
    .unwrap();
    assert!(text.contains(BORDER_FORCES), "the built-in scenario moved");
    let path = dir.join(name);
    std::fs::write(&path, text.replace(BORDER_FORCES, block)).unwrap();
    path.display().to_string()
}

/// `runs.csv` as (header, rows).
fn runs(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let mut lines = text.lines();
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().unwrap());
    (header, lines.map(split).collect())
}

/// The values of a column of `runs.csv`, row by row.
fn column(table: &(Vec<String>, Vec<Vec<String>>), name: &str) -> Option<Vec<String>> {
    let i = table.0.iter().position(|c| c == name)?;
    Some(table.1.iter().map(|r| r[i].clone()).collect())
}

fn manifest_paths(dir: &Path) -> Vec<String> {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    m["uncertainties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["path"].as_str().unwrap().to_string())
        .collect()
}

fn compare_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    all.push("--json");
    serde_json::from_str(&succeeded(&patronfall(&all))).unwrap()
}

#[test]
fn one_changed_figure_is_reported_with_its_paired_effect() {
    let dir = scratch("changed");
    let doubled = BORDER_FORCES.replace("[20000, 40000]", "[40000, 80000]");
    let b = variant(&dir, "b.toml", &doubled);
    let out = dir.join("out");
    let args = [
        BUILTIN,
        b.as_str(),
        "--runs",
        "12",
        "--threads",
        "2",
        "--coa",
        "passive",
        "border_first",
        "--out",
        out.to_str().unwrap(),
    ];
    let c = compare_json(&args);
    let figures = c["figures"].as_array().unwrap();
    assert_eq!(figures.len(), 1, "{figures:?}");
    let f = &figures[0];
    assert_eq!(f["path"], "armed_group.border_forces.fighters");
    assert_eq!(
        (f["a"].as_str(), f["b"].as_str()),
        (Some("[20000, 40000]"), Some("[40000, 80000]"))
    );
    assert_eq!(f["uncertain"], true);
    assert!(f["sources"].as_array().unwrap().iter().any(|s| s == "S40"));
    assert_eq!(c["entries"].as_array().unwrap().len(), 0);
    assert_eq!(c["sampler"], "lhs-keyed");
    // Every other figure takes the same values in both versions' runs.
    let (ta, tb) = (runs(&out.join("a")), runs(&out.join("b")));
    let paths = manifest_paths(&out.join("a"));
    assert_eq!(
        c["paired_figures"].as_u64().unwrap() as usize,
        paths.len() - 1
    );
    for p in &paths {
        let (xa, xb) = (column(&ta, p).unwrap(), column(&tb, p).unwrap());
        if p == "armed_group.border_forces.fighters" {
            assert!(xa.iter().zip(&xb).all(|(x, y)| x != y), "{p} moved");
        } else {
            assert_eq!(xa, xb, "{p} is paired");
        }
    }
    assert_eq!(column(&ta, "seed"), column(&tb, "seed"), "the same dice");
    // Twice the Border Forces: more state strength in every course of action,
    // and fewer crossers, with intervals that exclude zero.
    for coa in c["coas"].as_array().unwrap() {
        assert_eq!(coa["pairs"], 12);
        let outcome = |name: &str| {
            coa["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["outcome"] == name)
                .cloned()
                .unwrap()
        };
        let strength = outcome("state_strength");
        assert!(strength["low"].as_f64().unwrap() > 0.0, "{strength}");
        let crossers = outcome("crossers_total");
        assert!(crossers["difference"].as_f64().unwrap() < 0.0, "{crossers}");
        let shares: f64 = coa["futures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["b"].as_f64().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }
    // Saved beside B's runs, where the report finds it.
    let saved = out.join("b").join("analysis").join("compare.json");
    assert!(
        std::fs::read_to_string(&saved)
            .unwrap()
            .contains("runs_sha256")
    );

    // The report of B shows the comparison.
    succeeded(&patronfall(&["report", out.join("b").to_str().unwrap()]));
    let html = std::fs::read_to_string(out.join("b").join("report.html")).unwrap();
    assert!(html.contains("id=\"compare\""), "no comparison section");
    assert!(html.contains("<code>armed_group.border_forces.fighters</code>"));

    // The two results directories compare to the same figures and effects.
    let again = compare_json(&[
        out.join("a").to_str().unwrap(),
        out.join("b").to_str().unwrap(),
    ]);
    assert_eq!(again["figures"], c["figures"]);
    assert_eq!(again["coas"], c["coas"]);
    // A table for people.
    let text = succeeded(&patronfall(&[
        "compare",
        out.join("a").to_str().unwrap(),
        out.join("b").to_str().unwrap(),
    ]));
    assert!(
        text.contains("armed_group.border_forces.fighters"),
        "{text}"
    );
    assert!(text.contains("Newcombe paired"), "{text}");
    // Flags that only a run of scenario files uses are refused on directories.
    let refused = patronfall(&[
        "compare",
        out.join("a").to_str().unwrap(),
        out.join("b").to_str().unwrap(),
        "--runs",
        "5",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--runs applies"));
    // So is a directory against a scenario file.
    let mixed = patronfall(&["compare", out.join("a").to_str().unwrap(), BUILTIN]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("is a results directory but"));
    // And an existing output without --force.
    let exists = patronfall(&args);
    assert_eq!(exists.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn adding_a_figure_leaves_every_other_figures_samples_unchanged() {
    let dir = scratch("added");
    // A fixes the Border Forces' fill rate; the built-in scenario (B) has
    // it as a range: one uncertain figure more.
    let fixed = BORDER_FORCES.replace("fill_rate = [0.6, 0.8]", "fill_rate = 0.7");
    let a = variant(&dir, "a.toml", &fixed);
    let out = dir.join("out");
    let c = compare_json(&[
        a.as_str(),
        BUILTIN,
        "--runs",
        "6",
        "--threads",
        "1",
        "--coa",
        "passive",
        "--out",
        out.to_str().unwrap(),
    ]);
    let figures = c["figures"].as_array().unwrap();
    assert_eq!(figures.len(), 1, "{figures:?}");
    assert_eq!(figures[0]["path"], "armed_group.border_forces.fill_rate");
    assert_eq!(figures[0]["a"], "0.7");
    let (pa, pb) = (
        manifest_paths(&out.join("a")),
        manifest_paths(&out.join("b")),
    );
    assert_eq!(pb.len(), pa.len() + 1);
    let (ta, tb) = (runs(&out.join("a")), runs(&out.join("b")));
    for p in &pa {
        assert_eq!(column(&ta, p), column(&tb, p), "{p} is paired");
    }
    assert_eq!(c["paired_figures"].as_u64().unwrap() as usize, pa.len());

    // Plain Latin hypercube ensembles of the two versions do not pair, and
    // compare says so instead of comparing them.
    for (name, scenario) in [("lhs-a", a.as_str()), ("lhs-b", BUILTIN)] {
        succeeded(&patronfall(&[
            "ensemble",
            "--scenario",
            scenario,
            "--runs",
            "4",
            "--coa",
            "passive",
            "--threads",
            "1",
            "--no-report",
            "--out",
            dir.join(name).to_str().unwrap(),
        ]));
    }
    let refused = patronfall(&[
        "compare",
        dir.join("lhs-a").to_str().unwrap(),
        dir.join("lhs-b").to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("are not paired") && why.contains("lhs-keyed"),
        "{why}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn runs_format_chooses_the_files_of_both_versions_runs_tables() {
    let dir = scratch("formats");
    let b = variant(&dir, "b.toml", BORDER_FORCES);
    let out = dir.join("out");
    let c = compare_json(&[
        BUILTIN,
        b.as_str(),
        "--runs",
        "3",
        "--days",
        "30",
        "--threads",
        "2",
        "--coa",
        "passive",
        "--runs-format",
        "parquet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(c["coas"][0]["pairs"], 3);
    for v in ["a", "b"] {
        assert!(out.join(v).join("runs.parquet").exists());
        assert!(!out.join(v).join("runs.csv").exists(), "version {v}");
    }
    // Results directories are compared as they were written.
    let refused = patronfall(&[
        "compare",
        out.join("a").to_str().unwrap(),
        out.join("b").to_str().unwrap(),
        "--runs-format",
        "both",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--runs-format applies"));
    std::fs::remove_dir_all(&dir).unwrap();
}
