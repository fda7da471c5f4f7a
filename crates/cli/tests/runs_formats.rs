//! The runs table in either format (`ensemble --runs-format`): every
//! command that reads it gives the same bytes from a copy of one results
//! directory that keeps only `runs.csv` as from one that keeps only
//! `runs.parquet`; a Parquet-only ensemble writes the Parquet file of a
//! two-format one, on any thread count; and a killed Parquet-only
//! ensemble is recovered from its journal.

mod common;

use common::{ok, patronfall, scratch, succeeded};
use std::path::{Path, PathBuf};

/// A copy of `from` at `to` whose runs table is only `keep` (`runs.csv`
/// or `runs.parquet`), the manifest's `files` saying so.
fn copy_keeping(from: &Path, to: &Path, keep: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let other = name.starts_with("runs.") && name != keep;
        if path.is_file() && !other {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
    let file = to.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let files = m["files"].as_array_mut().unwrap();
    files.retain(|f| !(f.as_str().unwrap().starts_with("runs.") && f != keep));
    std::fs::write(&file, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

/// Standard output and error of a successful command on `dir`, with the
/// directory's name made neutral.
fn said(args: &[&str], dir: &Path) -> String {
    let out = patronfall(args);
    let text = succeeded(&out) + &String::from_utf8_lossy(&out.stderr);
    text.replace(dir.to_str().unwrap(), "DIR")
}

/// Every file under `dir/analysis`, by name.
fn analyses(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("analysis"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// An observations file from the first run's indicators (as
/// `signposts.rs` makes one).
fn observations(dir: &Path, file: &Path) {
    let csv = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (name, value) = header
        .iter()
        .zip(&first)
        .skip(1)
        .find(|(_, v)| !v.is_empty())
        .unwrap();
    let (indicator, day) = name.split_once('@').unwrap();
    std::fs::write(
        file,
        format!("[[observed]]\nindicator = \"{indicator}\"\nday = {day}\nvalue = {value}\n"),
    )
    .unwrap();
}

#[test]
fn every_reader_gives_the_same_bytes_from_csv_or_parquet() {
    let dir = scratch("runs-formats");
    let design = dir.join("morris");
    ok(&[
        "ensemble",
        "--sampler",
        "morris",
        "--runs",
        "2",
        "--groups",
        "entity",
        "--days",
        "60",
        "--coa",
        "passive",
        "decisive_with_partners",
        "--no-report",
        "--out",
        design.to_str().unwrap(),
    ]);
    let plain = dir.join("plain");
    ok(&[
        "ensemble",
        "--sampler",
        "lhs-keyed",
        "--runs",
        "12",
        "--days",
        "60",
        "--coa",
        "passive",
        "decisive_with_partners",
        "--no-report",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(design.join("manifest.json")).unwrap())
            .unwrap();
    let future = manifest["futures"][0].as_str().unwrap().to_string();
    let seen = dir.join("seen.toml");
    observations(&design, &seen);

    let mut outputs: Vec<Vec<(String, String)>> = Vec::new();
    let mut saved = Vec::new();
    for keep in ["runs.csv", "runs.parquet"] {
        let d: PathBuf = dir.join(keep).join("morris");
        copy_keeping(&design, &d, keep);
        let (a, b) = (dir.join(keep).join("a"), dir.join(keep).join("b"));
        copy_keeping(&plain, &a, keep);
        copy_keeping(&plain, &b, keep);
        let s = d.to_str().unwrap();
        let ema = dir.join(keep).join("ema.tar.gz");
        let commands: Vec<Vec<&str>> = vec![
            vec!["analyze", "futures", s],
            vec!["analyze", "futures", s, "--outcome", "casualties"],
            vec!["analyze", "sensitivity", s],
            vec!["analyze", "discover", s, "--future", &future],
            vec!["analyze", "robustness", s, "--outcome", "casualties"],
            vec!["signposts", s],
            vec!["update", s, "--observed", seen.to_str().unwrap()],
            vec!["export", "ema", s, ema.to_str().unwrap()],
            vec!["report", s],
        ];
        let mut out: Vec<(String, String)> = commands
            .iter()
            .map(|c| {
                let label = c.join(" ").replace(s, "DIR").replace(keep, "KEEP");
                (label, said(c, &dir.join(keep)))
            })
            .collect();
        out.push((
            "compare".into(),
            said(
                &["compare", a.to_str().unwrap(), b.to_str().unwrap()],
                &dir.join(keep),
            ),
        ));
        outputs.push(out);
        let mut files = analyses(&d);
        files.extend(analyses(&b));
        files.push(("ema".into(), std::fs::read(&ema).unwrap()));
        files.push((
            "report".into(),
            std::fs::read(d.join("report.html")).unwrap(),
        ));
        // The directories' names and the files listed are all that may differ.
        let root = dir.join(keep);
        for f in &mut files {
            if let Ok(text) = String::from_utf8(f.1.clone()) {
                // The report lists the manifest's files.
                let listed = format!("<td>files</td><td>{keep}");
                f.1 = text
                    .replace(root.to_str().unwrap(), "DIR")
                    .replace(&listed, "<td>files</td><td>RUNS")
                    .into_bytes();
            }
        }
        saved.push(files);
    }
    for (csv, parquet) in outputs[0].iter().zip(&outputs[1]) {
        assert_eq!(csv, parquet, "`{}` says something else", csv.0);
    }
    assert!(saved[0].len() >= 8, "{:?}", saved[0].iter().map(|f| &f.0));
    for (csv, parquet) in saved[0].iter().zip(&saved[1]) {
        assert_eq!(csv.0, parquet.0);
        assert!(csv.1 == parquet.1, "{} differs", csv.0);
    }
}

fn ensemble(out: &Path, threads: &str, format: &str) -> String {
    let out = patronfall(&[
        "ensemble",
        "--runs",
        "30",
        "--days",
        "60",
        "--threads",
        threads,
        "--runs-format",
        format,
        "--no-report",
        "--out",
        out.to_str().unwrap(),
    ]);
    succeeded(&out);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_parquet_only_ensemble_writes_the_same_file_on_any_thread_count() {
    let dir = scratch("runs-formats-threads");
    let (both, one, two) = (dir.join("both"), dir.join("one"), dir.join("two"));
    ensemble(&both, "2", "both");
    ensemble(&one, "1", "parquet");
    ensemble(&two, "2", "parquet");
    let parquet = std::fs::read(both.join("runs.parquet")).unwrap();
    assert_eq!(parquet, std::fs::read(one.join("runs.parquet")).unwrap());
    assert_eq!(parquet, std::fs::read(two.join("runs.parquet")).unwrap());
    for d in [&one, &two] {
        assert!(!d.join("runs.csv").exists());
        assert!(!d.join(".runs.parquet.journal").exists());
        let m = std::fs::read_to_string(d.join("manifest.json")).unwrap();
        assert!(
            m.contains("\"runs.parquet\"") && !m.contains("\"runs.csv\""),
            "{m}"
        );
    }
    // The identity of the runs is that of the CSV the same ensemble writes.
    let sha = |d: &Path| {
        ok(&["analyze", "futures", d.to_str().unwrap()]);
        let j: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(d.join("analysis/futures.json")).unwrap(),
        )
        .unwrap();
        j["runs_sha256"].as_str().unwrap().to_string()
    };
    assert_eq!(sha(&one), sha(&both));
    // The CSV written afterwards is the two-format ensemble's, and the
    // analyses stay current.
    let said = ok(&["results", "csv", one.to_str().unwrap()]);
    assert!(said.contains("runs.csv"), "{said}");
    assert_eq!(
        std::fs::read(one.join("runs.csv")).unwrap(),
        std::fs::read(both.join("runs.csv")).unwrap()
    );
    let m = std::fs::read_to_string(one.join("manifest.json")).unwrap();
    assert!(
        m.contains("\"runs.csv\"") && m.contains("\"runs.parquet\""),
        "{m}"
    );
    assert_eq!(sha(&one), sha(&both));
    let again = patronfall(&["results", "csv", one.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    // A CSV-only ensemble writes the CSV of a two-format one.
    let csv = dir.join("csv");
    ensemble(&csv, "2", "csv");
    assert_eq!(
        std::fs::read(csv.join("runs.csv")).unwrap(),
        std::fs::read(both.join("runs.csv")).unwrap()
    );
    assert!(!csv.join("runs.parquet").exists());
}

#[test]
fn a_broken_parquet_file_is_named_with_what_to_do() {
    let dir = scratch("runs-formats-broken");
    let d = dir.join("d");
    ensemble(&d, "2", "parquet");
    let path = d.join("runs.parquet");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let out = patronfall(&["analyze", "futures", d.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("runs.parquet") && err.contains("not a readable Parquet file"),
        "{err}"
    );
}
