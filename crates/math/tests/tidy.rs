//! The result-producing crates take their transcendental functions from
//! `patronfall-math`, never from `f64`'s methods.
//!
//! `f64::exp`, `ln`, `powf`, `sin`, `cos` and their kin call the system math
//! library, whose last bits differ between library versions and between
//! CPUs of one kind (glibc on x86-64 picks fused multiply-add variants where
//! the CPU has them). Anything that reaches a result file must therefore use
//! this crate's functions. This test reads the non-test code of every crate
//! whose output reaches a result file and fails on a call of such a method;
//! `powi` (multiplications), `sqrt` (exact), `floor` and the like stay
//! allowed, because IEEE 754 fixes their results to the bit.

use std::path::{Path, PathBuf};

/// The crates whose code can reach `runs.csv`, the Parquet files, the
/// manifest, the analyses' outputs or the backtest's scores.
const RESULT_CRATES: &[&str] = &[
    "model",
    "scenario",
    "bargain",
    "epstein",
    "ensemble",
    "results",
    "analysis",
    "validation",
];

/// `f64` and `f32` methods whose results depend on the system math library.
/// `log(base)` is caught only in its path form (`f64::log`), because the
/// model's observer has a method of that name.
const LIBRARY_METHODS: &[&str] = &[
    "exp", "exp2", "exp_m1", "ln", "ln_1p", "log2", "log10", "powf", "sin", "cos", "tan",
    "sin_cos", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "cbrt", "hypot", "gamma", "ln_gamma", "mul_add",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, sorted by path.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The lines of `text` that are compiled outside tests, numbered from 1:
/// items under `#[cfg(test)]` (up to their closing brace) and comments are
/// left out.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut skipping = false;
    let mut depth = 0i64;
    let mut opened = false;
    for (n, line) in text.lines().enumerate() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        if !skipping && code.trim() == "#[cfg(test)]" {
            (skipping, depth, opened) = (true, 0, false);
            continue;
        }
        if skipping {
            depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            opened |= code.contains('{');
            if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
                skipping = false;
            }
            continue;
        }
        out.push((n + 1, code.to_string()));
    }
    out
}

/// The calls of library methods in one file, as `path:line: text`.
fn library_calls(rel: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, code) in code_lines(text) {
        for name in LIBRARY_METHODS {
            let method = format!(".{name}(");
            let path_form = |ty: &str| {
                code.match_indices(&format!("{ty}::{name}")).any(|(i, m)| {
                    !code[i + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            };
            if code.contains(&method) || path_form("f64") || path_form("f32") {
                found.push(format!("{rel}:{n}: {name}: {}", code.trim()));
            }
        }
        if code.contains("f64::log") || code.contains("f32::log(") {
            found.push(format!("{rel}:{n}: log: {}", code.trim()));
        }
    }
    found
}

#[test]
fn result_crates_call_no_library_transcendentals() {
    let root = root();
    let mut files = Vec::new();
    for krate in RESULT_CRATES {
        rust_files(&root.join("crates").join(krate).join("src"), &mut files);
    }
    // The walk must have seen the call sites it guards, or it proves nothing.
    for must in [
        "crates/model/src/rng.rs",
        "crates/scenario/src/quantity.rs",
        "crates/bargain/src/bdm.rs",
        "crates/epstein/src/rules.rs",
    ] {
        assert!(
            files.iter().any(|p| p.ends_with(must)),
            "the walk missed {must}"
        );
    }
    let calls: Vec<String> = files
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            library_calls(&rel, &text)
        })
        .collect();
    assert!(
        calls.is_empty(),
        "calls of the system math library in result-producing code; use \
         patronfall_math::{{exp, ln, powf, sin, cos}} instead (or add the \
         function to patronfall-math):\n{}",
        calls.join("\n")
    );
}

#[test]
fn the_check_finds_calls_and_skips_tests_and_comments() {
    let text = "\
fn a(x: f64) -> f64 {
    let y = (-x).exp() + x.powf(2.0);
    // x.ln() in a comment is fine
    let z = xs.iter().map(|v| v.sin()).sum::<f64>();
    y + z + f64::cos(x) + x.powi(2) + x.sqrt() + x.exponent_like()
}
fn b(x: f64) -> f64 { x.mul_add(2.0, 1.0) + f64::log(x, 10.0) }
#[cfg(test)]
mod tests {
    fn c(x: f64) -> f64 { x.exp() }
}
fn d(x: f64) -> f64 { patronfall_math::exp(x) + f64::exp_m1_like(x) }
";
    let found = library_calls("x.rs", text);
    let names: Vec<&str> = found
        .iter()
        .map(|f| f.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(
        names,
        ["exp", "powf", "sin", "cos", "mul_add", "log"],
        "{found:#?}"
    );
    assert!(found[0].starts_with("x.rs:2:"));
}
