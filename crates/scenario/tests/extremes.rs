//! Extreme figures: every numeric field of the template and of the built-in
//! scenarios, set in turn to zero, a tiny, a huge and the largest float,
//! either is refused by validation with a problem, or runs without a panic
//! and with finite outcomes (or with the run's own problem saying which
//! outcome stopped being a number).
//!
//! With the bounds of validation no accepted variant needs that problem:
//! the sweep requires every accepted run to stay finite. It is kept
//! affordable in debug builds: one run of the default course of action and
//! shock per variant, over at most 20 days. Its figures are in
//! `docs/validation.md`.

use patronfall_model::{Outcome, Quiet, RunSpec, Stat, run};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Days each accepted variant runs.
const DAYS: u32 = 20;

/// The values every float field is set to in turn.
const FLOATS: [f64; 4] = [0.0, 5e-324, 1e12, 1e308];
/// The values every integer field is set to in turn.
const INTEGERS: [i64; 4] = [0, 1, 4_000_000_000, i64::MAX];

/// A step into a TOML document: a table key or an array index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!(".{k}"),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// The path of every number in a TOML value.
fn numbers(v: &toml::Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        toml::Value::Integer(_) | toml::Value::Float(_) => out.push(here.clone()),
        toml::Value::Table(t) => {
            for (k, x) in t {
                here.push(Step::Key(k.clone()));
                numbers(x, here, out);
                here.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Step::Index(i));
                numbers(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut toml::Value, path: &[Step]) -> &'v mut toml::Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => v.get_mut(k.as_str()).expect("the path exists"),
        Step::Index(i) => v.get_mut(*i).expect("the path exists"),
    })
}

/// What one variant did.
#[derive(Default, Debug)]
struct Tally {
    variants: usize,
    refused: usize,
    ran: usize,
    reported: usize,
    failures: Vec<String>,
}

thread_local! {
    /// Whether this thread is inside a variant, whose panic is caught.
    static IN_VARIANT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Parses one variant and, if it validates, runs it; records any panic or
/// non-finite outcome without a problem.
fn try_variant(text: &str, what: &str, tally: &mut Tally) {
    tally.variants += 1;
    IN_VARIANT.with(|v| v.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let s = match patronfall_scenario::parse("variant.toml", text) {
            Ok(s) => s,
            Err(e) => {
                assert!(!e.problems.is_empty(), "refused without a problem");
                return None;
            }
        };
        let days = s.world.horizon_days.min(DAYS);
        let r = run(
            RunSpec {
                world: &s.world,
                coa: s.default_coa,
                shock: s.default_shock,
                days,
                seed: 1,
            },
            &mut Quiet,
        );
        let bad = Outcome::ALL.into_iter().find(|o| {
            !r.start.get(*o).is_finite()
                || [Stat::End, Stat::Max, Stat::Min, Stat::Mean]
                    .iter()
                    .any(|st| r.days > 0 && !r.reductions.value(*o, *st).is_finite())
        });
        Some((bad, r.problems.is_empty()))
    }));
    IN_VARIANT.with(|v| v.set(false));
    match outcome {
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            tally.failures.push(format!("{what}: panicked: {msg}"));
        }
        Ok(None) => tally.refused += 1,
        Ok(Some((bad, no_problem))) => {
            tally.ran += 1;
            if !no_problem {
                tally.reported += 1;
            }
            if let (Some(o), true) = (bad, no_problem) {
                tally.failures.push(format!(
                    "{what}: outcome {} is not finite and the run reports no problem",
                    o.name()
                ));
            }
        }
    }
}

fn sweep(name: &str, text: &str) -> Tally {
    let doc: toml::Value = toml::from_str(text).expect("the scenario is TOML");
    let mut paths = Vec::new();
    numbers(&doc, &mut Vec::new(), &mut paths);
    assert!(!paths.is_empty());
    let mut tally = Tally::default();
    for path in &paths {
        let mut variant = doc.clone();
        let integer = matches!(at(&mut variant, path), toml::Value::Integer(_));
        let values: Vec<toml::Value> = if integer {
            INTEGERS.iter().map(|v| toml::Value::Integer(*v)).collect()
        } else {
            FLOATS.iter().map(|v| toml::Value::Float(*v)).collect()
        };
        for value in values {
            *at(&mut variant, path) = value.clone();
            let text = toml::to_string(&variant).expect("the variant serialises");
            let what = format!("{name}: {} = {value}", path_text(path));
            try_variant(&text, &what, &mut tally);
        }
    }
    tally
}

fn check(name: &str, text: &str) {
    // A panic inside a variant is caught and counted with its message; the
    // hook stays quiet for those and reports every other panic as usual.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_VARIANT.with(|v| v.get()) {
                default(info);
            }
        }));
    });
    let tally = sweep(name, text);
    eprintln!(
        "{name}: {} variants, {} refused by validation, {} run ({} with a problem reported)",
        tally.variants, tally.refused, tally.ran, tally.reported
    );
    assert!(tally.ran > 0 && tally.refused > 0, "{tally:?}");
    // The bounds are meant to keep every valid figure's arithmetic finite,
    // so no accepted variant should need the run's own problem either
    // (without the bounds on counts and weights, 14 of Iraq's did).
    assert_eq!(
        tally.reported, 0,
        "accepted variants whose runs reported a non-finite outcome"
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} variants failed:\n{}",
        tally.failures.len(),
        tally.variants,
        tally.failures.join("\n")
    );
}

#[test]
fn template_survives_extreme_figures() {
    check("template", patronfall_scenario::TEMPLATE);
}

#[test]
fn syria_survives_extreme_figures() {
    check(
        "syria-2024",
        patronfall_scenario::builtin_text("syria-2024").unwrap(),
    );
}

#[test]
fn afghanistan_survives_extreme_figures() {
    check(
        "afghanistan-2021",
        patronfall_scenario::builtin_text("afghanistan-2021").unwrap(),
    );
}

#[test]
fn iraq_survives_extreme_figures() {
    check(
        "iraq-after-tehran",
        patronfall_scenario::builtin_text("iraq-after-tehran").unwrap(),
    );
}
