//! Drives the real `patronfall ensemble` binary twice on the same plan: once
//! as the machine is, once with glibc's AVX2 and FMA code paths masked
//! (`GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA`), and requires
//! byte-identical `runs.csv`.
//!
//! glibc on x86-64 picks fused multiply-add variants of `exp`, `log`, `pow`,
//! `sin` and `cos` on CPUs that have FMA; their results differ from the
//! plain variants in the last bits, so a model that called the system math
//! library gave different result bytes on machines of one kind. The model
//! takes those functions from `patronfall-math` instead. On a machine
//! without FMA, or without glibc, the variable changes nothing and the test
//! holds trivially; on an x86-64 machine with FMA it compares two code paths
//! of the system library.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pf-cpu-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The built-in scenario's ensemble of 300 experiments (60 samples × 5
/// courses of action) into `out`, with `tunables` as glibc's tunables if
/// given, and the bytes of its `runs.csv`.
fn runs_csv(out: &Path, tunables: Option<&str>) -> Vec<u8> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_patronfall"));
    command.args([
        "ensemble",
        "--runs",
        "60",
        "--seed",
        "7",
        "--threads",
        "2",
        "--no-report",
        "--out",
        out.to_str().unwrap(),
    ]);
    command.env_remove("GLIBC_TUNABLES");
    if let Some(t) = tunables {
        command.env("GLIBC_TUNABLES", t);
    }
    let output = command.output().expect("the patronfall binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(out.join("runs.csv")).expect("runs.csv is written")
}

#[test]
fn results_do_not_depend_on_the_cpu_variant_of_the_math_library() {
    let dir = scratch("fma");
    let plain = runs_csv(&dir.join("as-is"), None);
    let masked = runs_csv(&dir.join("masked"), Some("glibc.cpu.hwcaps=-AVX2,-FMA"));
    let lines = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (a, b) = (lines(&plain), lines(&masked));
    assert_eq!(a.len(), 301, "a header and 300 experiments");
    let differing: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| x.split(',').next().unwrap_or_default().to_string())
        .collect();
    assert!(
        plain == masked,
        "runs.csv differs with FMA masked: {} rows differ (experiments {})",
        differing.len(),
        differing.join(", ")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
