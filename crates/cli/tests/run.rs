//! `patronfall run` end to end: the summary and narrative, the JSON record,
//! the event log, the same output for the same seed, and the warning before
//! a long run.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
}

/// `patronfall run` with `args`, its standard output as text.
fn run_text(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The log of a run as `--events` writes it, one JSON object per entry.
fn events(args: &[&str]) -> Vec<serde_json::Value> {
    let path = std::env::temp_dir().join(format!(
        "pf-run-log-{}-{}.jsonl",
        std::process::id(),
        args.join("-")
    ));
    let out = bin()
        .args(args)
        .arg("--events")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    log.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn summary_names_the_future_and_narrates_with_numbers() {
    let text = run_text(&["run", "--coa", "decisive_with_partners", "--seed", "3"]);
    assert!(text.contains("Future reached: "), "{text}");
    for day in ["day 0", "day 3", "day 30", "day 90", "day 365"] {
        assert!(text.contains(day), "the key-outcomes table lacks {day}");
    }
    assert!(
        text.contains("begins to collapse"),
        "no collapse in the narrative"
    );
    assert!(
        text.contains("utilities"),
        "stance decisions should show their utilities"
    );
}

/// The summary prints every turning point of the whole run, in order,
/// before any day-by-day detail, and says how to get the rest; `--detail`
/// adds every entry of the log.
#[test]
fn every_turning_point_first_and_the_detail_on_request() {
    let args = ["run", "--coa", "decisive_with_partners", "--seed", "7"];
    let log = events(&args);
    let turning: Vec<String> = log
        .iter()
        .filter(|e| e["importance"].as_u64() == Some(3))
        .map(|e| {
            format!(
                "day {:>3}: {}",
                e["day"].as_u64().unwrap(),
                e["text"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        turning.len() > 10,
        "test setup: this run has many turning points, not {}",
        turning.len()
    );
    assert!(
        log.iter()
            .any(|e| e["importance"].as_u64() == Some(3) && e["day"].as_u64() > Some(30)),
        "test setup: a turning point after the first month"
    );
    let text = run_text(&args);
    let head = format!("Turning points ({} over the whole run):", turning.len());
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let at = lines.iter().position(|l| *l == head).expect(&head);
    assert_eq!(lines[at + 1..at + 1 + turning.len()], turning[..], "{text}");
    assert!(!text.contains("crossed at"), "no detail without --detail");
    let rest = log.len() - turning.len();
    assert!(
        text.contains(&format!("The day-by-day log holds {rest} further entries")),
        "{text}"
    );

    let mut detailed = args.to_vec();
    detailed.push("--detail");
    let text = run_text(&detailed);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let at = lines.iter().position(|l| *l == head).expect(&head);
    assert_eq!(lines[at + 1..at + 1 + turning.len()], turning[..]);
    let every = format!("Day by day (all {} entries of the log):", log.len());
    let at = lines.iter().position(|l| *l == every).expect(&every);
    let all: Vec<String> = log
        .iter()
        .map(|e| {
            format!(
                "day {:>3}: {}",
                e["day"].as_u64().unwrap(),
                e["text"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(lines[at + 1..at + 1 + all.len()], all[..]);
    assert!(text.contains("crossed at"), "the border narrative");
}

/// Narrative lines read as sentences: numbers agree with their nouns and a
/// defeat with no fighters left says so instead of counting zeros.
#[test]
fn narrative_lines_read_as_sentences() {
    let mut texts = Vec::new();
    for seed in ["1", "3", "7"] {
        for coa in ["decisive", "decisive_with_partners"] {
            let log = events(&["run", "--coa", coa, "--seed", seed]);
            texts.extend(log.iter().map(|e| e["text"].as_str().unwrap().to_string()));
        }
    }
    assert!(
        texts.iter().any(|t| t.contains("is defeated after")),
        "test setup: a defeat in these runs"
    );
    for t in &texts {
        assert!(!t.contains(" 1 days"), "{t}");
        assert!(!t.contains("of 0 remaining"), "{t}");
        assert!(!t.contains(" 0 detained"), "{t}");
    }
}

#[test]
fn json_record_and_event_log() {
    let events = std::env::temp_dir().join(format!("pf-run-events-{}.jsonl", std::process::id()));
    let out = bin()
        .args(["run", "--json", "--seed", "5", "--days", "60", "--events"])
        .arg(&events)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["days"], 60);
    assert_eq!(v["seed"], 5);
    assert_eq!(v["scenario"]["id"], "iraq-after-tehran");
    assert!(v["scenario"]["sha256"].as_str().unwrap().len() == 64);
    assert!(v["version"].is_string());
    assert!(v["parameters"]["firebreak.interdiction_k"].is_number());
    assert_eq!(v["series"]["crossers_total"].as_array().unwrap().len(), 61);
    let log = std::fs::read_to_string(&events).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    assert_eq!(lines.len(), v["log"].as_array().unwrap().len());
    assert!(
        lines
            .iter()
            .all(|e| e["day"].as_u64().unwrap() <= 60 && e["text"].is_string())
    );
    std::fs::remove_file(&events).unwrap();
}

#[test]
fn same_seed_same_output_different_seed_different_output() {
    let run = |seed: &str| {
        bin()
            .args(["run", "--json", "--seed", seed, "--days", "90"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("11"), run("11"));
    assert_ne!(run("11"), run("12"));
}

#[test]
fn bad_flags_exit_with_two() {
    for args in [
        vec!["run", "--shock", "earthquake"],
        vec!["run", "--days", "0"],
        vec!["run", "--scenario", "no-such-scenario"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The turns of every bargaining round logged by `patronfall run` on the
/// built-in scenario with its issue's `smp` line replaced by `smp`.
fn round_turns(smp: &str) -> Vec<usize> {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenario/scenarios/iraq-after-tehran.toml"
    );
    let shipped = "smp = { MinDeltaRatio = 0.1 }\n";
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains(shipped),
        "test setup: the issue's smp line moved"
    );
    let text = text.replacen(shipped, &format!("{smp}\n"), 1);
    let path = std::env::temp_dir().join(format!(
        "pf-run-smp-{}-{}.toml",
        std::process::id(),
        smp.len()
    ));
    std::fs::write(&path, text).unwrap();
    let out = bin()
        .args([
            "run",
            "--json",
            "--coa",
            "negotiate",
            "--seed",
            "2",
            "--days",
            "120",
        ])
        .arg("--scenario")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let turns: Vec<usize> = v["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["topic"] == "settlement")
        .filter_map(|e| e["numbers"]["turns"].as_f64())
        .map(|t| t as usize)
        .collect();
    assert!(!turns.is_empty(), "no bargaining round in the log");
    turns
}

#[test]
fn an_issues_ktab_parameters_reach_its_rounds() {
    let shipped = round_turns("smp = { MinDeltaRatio = 0.1 }");
    let ktab = round_turns("");
    assert_eq!(ktab.len(), shipped.len());
    // KTAB's default stopping rule (0.02) runs longer than the scenario's.
    let total = |t: &[usize]| t.iter().sum::<usize>();
    assert!(total(&ktab) > total(&shipped), "{ktab:?} vs {shipped:?}");
    let capped = round_turns("smp = { MaxIter = 3 }");
    assert_eq!(capped.len(), shipped.len());
    assert!(capped.iter().all(|&t| t <= 3), "{capped:?}");
    assert!(shipped.iter().any(|&t| t > 3), "{shipped:?}");
}

/// A run whose probe says it will take long (here agent grids over the
/// longest horizon) is announced on standard error before it starts; a
/// short one is not.
#[test]
fn a_long_run_is_announced_before_it_starts() {
    let dir = std::env::temp_dir().join(format!("pf-run-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = patronfall_scenario::TEMPLATE.replacen(
        "default_coa = \"wait\"\n",
        "default_coa = \"wait\"\nunrest = \"agents\"\nagent_grid = 200\n",
        1,
    );
    assert_ne!(text, patronfall_scenario::TEMPLATE, "the edit applies");
    let file = dir.join("agents.toml");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();

    let short = bin()
        .args(["run", "--scenario", file, "--days", "3"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&short.stderr);
    assert!(short.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");

    let mut child = bin()
        .args(["run", "--scenario", file, "--days", "100000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .next()
        .map(|l| l.unwrap())
        .unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("warning: a probe run took")
            && first.contains("100000 days would take roughly")
            && first.contains("--days")
            && first.contains("agent_grid"),
        "{first}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
