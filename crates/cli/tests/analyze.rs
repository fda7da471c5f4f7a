//! Drives `patronfall analyze` and `patronfall export ema` on small ensembles
//! of the template scenario: tables, JSON shapes saved under DIR/analysis,
//! the sampler checks of `sensitivity`, and bad input exiting 2.

mod common;

use common::{patronfall, succeeded};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One scratch directory per test process, with the template and ensembles
/// made once for each sampler.
fn results(sampler: &'static str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("pf-analyze-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("template.toml");
        succeeded(&patronfall(&["scenario", "init", file.to_str().unwrap()]));
        for (sampler, runs) in [("lhs", "40"), ("saltelli", "16"), ("morris", "6")] {
            succeeded(&patronfall(&[
                "ensemble",
                "--scenario",
                file.to_str().unwrap(),
                "--sampler",
                sampler,
                "--runs",
                runs,
                "--days",
                "90",
                "--out",
                dir.join(sampler).to_str().unwrap(),
            ]));
        }
        dir
    });
    dir.join(sampler)
}

/// The SHA-256 of a directory's runs.csv, hex, as `sha256sum` prints it.
fn runs_sha256(dir: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(dir.join("runs.csv"))
        .output()
        .expect("sha256sum runs");
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

fn saved(dir: &Path, name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("analysis").join(format!("{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn futures_reports_shares_and_paired_differences() {
    let dir = results("lhs");
    let d = dir.to_str().unwrap();
    let text = succeeded(&patronfall(&[
        "analyze",
        "futures",
        d,
        "--outcome",
        "casualties",
    ]));
    assert!(text.contains("Wilson"), "{text}");
    assert!(text.contains("Newcombe"), "{text}");
    let j = saved(&dir, "futures");
    assert_eq!(j["runs_sha256"], runs_sha256(&dir), "{j}");
    let coas = j["coas"].as_array().unwrap();
    assert!(coas.len() >= 2);
    for c in coas {
        assert_eq!(c["runs"], 40);
        let total: u64 = c["futures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["runs_reached"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 40, "every run ends in one future or none");
        for f in c["futures"].as_array().unwrap() {
            let (lo, p, hi) = (
                f["low"].as_f64().unwrap(),
                f["share"].as_f64().unwrap(),
                f["high"].as_f64().unwrap(),
            );
            assert!(lo <= p + 1e-12 && p <= hi + 1e-12, "{f}");
        }
    }
    assert_eq!(j["baseline"], coas[0]["coa"]);
    let diffs = j["outcome_differences"].as_array().unwrap();
    assert_eq!(diffs.len(), coas.len() - 1);
    assert_eq!(diffs[0]["pairs"], 40);
    // --json prints the same document.
    let printed = succeeded(&patronfall(&["analyze", "futures", d, "--json"]));
    let p: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(p["coas"], j["coas"]);
}

#[test]
fn sensitivity_needs_a_saltelli_or_morris_design() {
    let lhs = results("lhs");
    let o = patronfall(&["analyze", "sensitivity", lhs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--sampler saltelli") && err.contains("--sampler morris"),
        "{err}"
    );
}

#[test]
fn sobol_indices_from_a_saltelli_ensemble() {
    let dir = results("saltelli");
    let text = succeeded(&patronfall(&[
        "analyze",
        "sensitivity",
        dir.to_str().unwrap(),
        "--outcome",
        "casualties",
    ]));
    assert!(text.contains("Sobol indices of `casualties`"), "{text}");
    let doc = saved(&dir, "sensitivity");
    assert_eq!(doc["runs_sha256"], runs_sha256(&dir), "{doc}");
    let rows = doc["indices"].as_array().unwrap();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let varied = m["uncertainties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["varied"] == true)
        .count();
    let coas = m["coas"].as_array().unwrap().len();
    // One row per figure and one for the dummy, per course of action.
    assert_eq!(rows.len(), (varied + 1) * coas);
    assert_eq!(rows.iter().filter(|r| r["factor"] == "dummy").count(), coas);
    for r in rows {
        for key in [
            "factor",
            "figures",
            "above_noise",
            "outcome",
            "first",
            "first_low",
            "first_high",
            "total",
            "total_low",
            "total_high",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        assert_eq!(r["outcome"], "casualties");
        let total = r["total"].as_f64().unwrap();
        assert!(
            total >= 0.0,
            "Jansen's total index is a mean of squares: {total}"
        );
    }
}

#[test]
fn morris_effects_from_a_morris_ensemble() {
    let dir = results("morris");
    succeeded(&patronfall(&[
        "analyze",
        "sensitivity",
        dir.to_str().unwrap(),
        "--outcome",
        "casualties",
        "--coa",
        "act",
    ]));
    let rows = saved(&dir, "sensitivity");
    for r in rows["indices"].as_array().unwrap() {
        let (mu, mu_star) = (r["mu"].as_f64().unwrap(), r["mu_star"].as_f64().unwrap());
        assert!(mu_star >= mu.abs() - 1e-9, "μ* ≥ |μ| always: {r}");
        assert!(r["sigma"].as_f64().unwrap() >= 0.0);
        assert_eq!(r["coa"], "act");
    }
}

#[test]
fn grouped_designs_report_one_index_per_group_and_the_noise_floor() {
    let base = results("lhs").parent().unwrap().to_path_buf();
    let scenario = base.join("template.toml");
    let groups = base.join("groups.toml");
    std::fs::write(
        &groups,
        "patron = [\"state.patron.*\"]\nshock = [\"shock.*\"]\n",
    )
    .unwrap();
    let dir = base.join("grouped");
    let text = succeeded(&patronfall(&[
        "ensemble",
        "--scenario",
        scenario.to_str().unwrap(),
        "--sampler",
        "saltelli",
        "--runs",
        "16",
        "--groups",
        groups.to_str().unwrap(),
        "--coa",
        "act",
        "--days",
        "90",
        "--out",
        dir.to_str().unwrap(),
        "--no-report",
    ]));
    assert!(!text.is_empty());
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let design = &m["design"];
    assert_eq!(design["grouping"], "named");
    assert_eq!(design["layout"], "saltelli-blocks");
    let names: Vec<&str> = design["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"patron") && names.contains(&"shock"),
        "{names:?}"
    );
    assert_eq!(names.last(), Some(&"dummy"));
    assert_eq!(
        m["samples"].as_u64().unwrap() as usize,
        16 * (names.len() + 2)
    );
    let printed = succeeded(&patronfall(&[
        "analyze",
        "sensitivity",
        dir.to_str().unwrap(),
        "--outcome",
        "casualties",
    ]));
    assert!(
        printed.contains("figures in the groups file's groups"),
        "{printed}"
    );
    assert!(
        printed.contains("noise floor (ST of the dummy, upper end)"),
        "{printed}"
    );
    assert!(printed.contains("patron (3 figures)"), "{printed}");
    let doc = saved(&dir, "sensitivity");
    assert_eq!(doc["grouping"], "named");
    let rows = doc["indices"].as_array().unwrap();
    assert_eq!(rows.len(), names.len());
    let dummy = rows.iter().find(|r| r["factor"] == "dummy").unwrap();
    assert!(dummy["above_noise"].is_null() && dummy["figures"] == serde_json::json!([]));
    let floor = dummy["total_high"].as_f64().unwrap();
    for r in rows.iter().filter(|r| r["factor"] != "dummy") {
        let above = r["total_low"].as_f64().unwrap() > floor;
        assert_eq!(r["above_noise"], above, "{r}");
    }

    // A directory from before the design was recorded asks for the ensemble again.
    let old = base.join("old-morris");
    let _ = std::fs::remove_dir_all(&old);
    std::fs::create_dir_all(&old).unwrap();
    let morris = results("morris");
    std::fs::copy(morris.join("runs.csv"), old.join("runs.csv")).unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(morris.join("manifest.json")).unwrap())
            .unwrap();
    manifest.as_object_mut().unwrap().remove("design");
    std::fs::write(old.join("manifest.json"), manifest.to_string()).unwrap();
    let o = patronfall(&["analyze", "sensitivity", old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("manifest.json")
            && err.contains("no `design` record")
            && err.contains("run the ensemble again"),
        "{err}"
    );

    // --groups only applies to sensitivity designs, and a bad file names its line.
    let o = patronfall(&[
        "ensemble",
        "--scenario",
        scenario.to_str().unwrap(),
        "--sampler",
        "lhs",
        "--groups",
        "kind",
        "--out",
        base.join("never").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::write(
        &groups,
        "patron = [\"state.patron.*\"]\nagain = [\"state.patron.pool.officials.people\"]\n",
    )
    .unwrap();
    let o = patronfall(&[
        "ensemble",
        "--scenario",
        scenario.to_str().unwrap(),
        "--sampler",
        "morris",
        "--groups",
        groups.to_str().unwrap(),
        "--out",
        base.join("never").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("groups.toml:2") && err.contains("belongs to one group"),
        "{err}"
    );
}

#[test]
fn discover_chooses_points_covers_with_several_boxes_and_leaves_out_unplayed_shocks() {
    let base = results("lhs").parent().unwrap().to_path_buf();
    let scenario = base.join("template.toml");
    let dir = base.join("no-shock");
    succeeded(&patronfall(&[
        "ensemble",
        "--scenario",
        scenario.to_str().unwrap(),
        "--runs",
        "150",
        "--shock",
        "none",
        "--days",
        "90",
        "--out",
        dir.to_str().unwrap(),
        "--no-report",
    ]));
    let d = dir.to_str().unwrap();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let future = m["futures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .find(|f| runs.contains(&format!(",{f},")))
        .expect("some future is reached");
    // The user's point on the trajectory.
    let text = succeeded(&patronfall(&[
        "analyze",
        "discover",
        d,
        "--future",
        future,
        "--point",
        "2",
        "--resamples",
        "5",
    ]));
    assert!(text.contains("each box is the step with step 2"), "{text}");
    assert!(
        text.contains("left out:") && text.contains("shocks not played"),
        "{text}"
    );
    let j = saved(&dir, "discover");
    assert_eq!(j["boxes"][0]["chosen_step"], 2);
    let not_played: Vec<&str> = j["not_played"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        !not_played.is_empty() && not_played.iter().all(|p| p.starts_with("shock.")),
        "{not_played:?}"
    );
    let in_box = |j: &serde_json::Value| -> Vec<String> {
        j["boxes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| {
                b["limits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["path"].as_str().unwrap().to_string())
            })
            .collect()
    };
    assert!(in_box(&j).iter().all(|p| !p.starts_with("shock.")));
    // By coverage, and several boxes by covering: coverages add up to at most 1.
    succeeded(&patronfall(&[
        "analyze",
        "discover",
        d,
        "--future",
        future,
        "--coverage",
        "0.2",
        "--boxes",
        "3",
        "--resamples",
        "0",
    ]));
    let j = saved(&dir, "discover");
    assert_eq!(j["selection"], "coverage ≥ 0.2");
    assert!(j["resampling"].is_null());
    let boxes = j["boxes"].as_array().unwrap();
    assert!(!boxes.is_empty() && boxes.len() <= 3);
    assert!(boxes[0]["coverage"].as_f64().unwrap() >= 0.2);
    let total: f64 = boxes.iter().map(|b| b["coverage"].as_f64().unwrap()).sum();
    assert!(total <= 1.0 + 1e-9, "{total}");
    // A step number chooses one box; a point past the trajectory is bad input.
    let o = patronfall(&[
        "analyze", "discover", d, "--future", future, "--point", "1", "--boxes", "2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = patronfall(&[
        "analyze", "discover", d, "--future", future, "--point", "100000",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--point"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = patronfall(&[
        "analyze",
        "discover",
        d,
        "--future",
        future,
        "--point",
        "1",
        "--coverage",
        "0.5",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn discover_and_robustness_report_their_shapes() {
    let dir = results("lhs");
    let d = dir.to_str().unwrap();
    // The template's runs end in its second future most of the time.
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let future = m["futures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .find(|f| runs.contains(&format!(",{f},")))
        .expect("some future is reached");
    succeeded(&patronfall(&[
        "analyze",
        "discover",
        d,
        "--future",
        future,
        "--density",
        "0",
    ]));
    let j = saved(&dir, "discover");
    assert_eq!(j["future"], future);
    assert!(j["coa"].is_null());
    assert_eq!(j["selection"], "density ≥ 0");
    assert_eq!(j["significance"], 0.05);
    let first = &j["boxes"][0];
    let steps = first["trajectory"].as_array().unwrap();
    assert_eq!(steps[0]["phase"], "initial");
    assert_eq!(steps[0]["mass"], 1.0);
    assert!(first["coverage"].as_f64().unwrap() > 0.0);
    assert!(first["limits"].is_array() && first["quasi_p"].is_array());
    // Every restriction left is significant; the dropped ones were not.
    for q in first["quasi_p"].as_array().unwrap() {
        assert!(q["p"].as_f64().unwrap() <= 0.05, "{q}");
    }
    for q in first["dropped"].as_array().unwrap() {
        assert!(q["p"].as_f64().unwrap() > 0.05, "{q}");
    }
    assert_eq!(j["resampling"]["resamples"], 20);

    let text = succeeded(&patronfall(&[
        "analyze",
        "robustness",
        d,
        "--outcome",
        "casualties",
        "--threshold",
        "1000000",
    ]));
    assert!(text.contains("max regret"), "{text}");
    let r = saved(&dir, "robustness");
    assert_eq!(r["scenarios"], 40);
    let coas = r["coas"].as_array().unwrap();
    assert!(
        coas.iter().any(|c| c["max_regret"] == 0.0)
            || coas.iter().all(|c| c["max_regret"].as_f64().unwrap() > 0.0)
    );
    for c in coas {
        assert!(c["p90_regret"].as_f64().unwrap() <= c["max_regret"].as_f64().unwrap() + 1e-12);
        assert_eq!(
            c["satisficing"], 1.0,
            "a million casualties is never reached"
        );
    }
}

#[test]
fn bad_analysis_input_exits_2() {
    let dir = results("lhs");
    let d = dir.to_str().unwrap();
    for args in [
        &["analyze", "futures", "/nonexistent/results"][..],
        &["analyze", "futures", d, "--baseline", "nobody"],
        &["analyze", "futures", d, "--outcome", "no_such_outcome"],
        &["analyze", "discover", d, "--future", "no_such_future"],
        &["analyze", "discover", d, "--future", "x", "--density", "2"],
        &["analyze", "robustness", d, "--outcome", "coa"],
        &[
            "export",
            "ema",
            "/nonexistent/results",
            "/tmp/never-written.tar.gz",
        ],
    ] {
        let o = patronfall(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn export_ema_writes_a_reproducible_archive() {
    let dir = results("lhs");
    let a = dir.join("a.tar.gz");
    let b = dir.join("b.tar.gz");
    succeeded(&patronfall(&[
        "export",
        "ema",
        dir.to_str().unwrap(),
        a.to_str().unwrap(),
    ]));
    succeeded(&patronfall(&[
        "export",
        "ema",
        dir.to_str().unwrap(),
        b.to_str().unwrap(),
    ]));
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(bytes, std::fs::read(&b).unwrap());
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "gzip magic");
    let again = patronfall(&["export", "ema", dir.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "refuses to overwrite without --force"
    );
}

/// `--figure-columns varied` leaves the nominal figures out of the runs
/// table, says so in the manifest, and the analyses read the rest alike.
#[test]
fn varied_figure_columns_drop_the_nominal_figures_and_keep_the_indices() {
    let base = results("lhs").parent().unwrap().to_path_buf();
    let scenario = base.join("template.toml");
    let run = |name: &str, columns: &str| {
        let dir = base.join(name);
        succeeded(&patronfall(&[
            "ensemble",
            "--scenario",
            scenario.to_str().unwrap(),
            "--sampler",
            "saltelli",
            "--runs",
            "8",
            "--vary",
            "state.patron.*",
            "--coa",
            "act",
            "--days",
            "60",
            "--figure-columns",
            columns,
            "--out",
            dir.to_str().unwrap(),
            "--no-report",
        ]));
        succeeded(&patronfall(&[
            "analyze",
            "sensitivity",
            dir.to_str().unwrap(),
            "--outcome",
            "casualties",
        ]));
        dir
    };
    let (all, varied) = (run("columns-all", "all"), run("columns-varied", "varied"));
    let manifest = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
    };
    let (ma, mv) = (manifest(&all), manifest(&varied));
    assert_eq!(ma["figure_columns"], "all");
    assert_eq!(mv["figure_columns"], "varied");
    let header = |dir: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
        text.lines()
            .next()
            .unwrap()
            .split(',')
            .map(String::from)
            .collect()
    };
    let (ha, hv) = (header(&all), header(&varied));
    let figures = mv["uncertainties"].as_array().unwrap();
    for u in figures {
        let path = u["path"].as_str().unwrap().to_string();
        assert!(ha.contains(&path), "{path} missing with all columns");
        assert_eq!(hv.contains(&path), u["varied"] == true, "{path}");
    }
    assert!(figures.iter().any(|u| u["varied"] == false));
    // The same runs: every other column is equal, and so are the indices.
    let rows = |dir: &Path, header: &[String]| -> Vec<Vec<String>> {
        let keep: Vec<usize> = (0..header.len())
            .filter(|&i| hv.contains(&header[i]))
            .collect();
        std::fs::read_to_string(dir.join("runs.csv"))
            .unwrap()
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                keep.iter().map(|&i| f[i].to_string()).collect()
            })
            .collect()
    };
    assert_eq!(rows(&all, &ha), rows(&varied, &hv));
    assert_eq!(
        saved(&all, "sensitivity")["indices"],
        saved(&varied, "sensitivity")["indices"]
    );
}
