//! A reader that stops reading (`patronfall … | head -1`) closes the pipe
//! under the command: the command ends quietly with its usual exit code,
//! never a panic (exit 101). The same holds for standard error
//! (`2>&1 | head`): notes and warnings are dropped, the work goes on.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs `args`, reads one line of standard output, closes the pipe, and
/// returns the exit code and standard error.
fn head_1(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the patronfall binary runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?} wrote nothing");
    // The reader is dropped here: the pipe is closed.
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn commands_end_quietly_when_the_reader_goes() {
    // Each writes far more than a pipe holds (64 KiB), so the close is felt.
    for args in [
        &["run", "--json"][..],
        &["scenario", "schema"],
        &["scenario", "show", "--parameters"],
        &["scenario", "init"],
        &["run"],
    ] {
        let (code, stderr) = head_1(args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("Broken pipe"),
            "{args:?} complained: {stderr}"
        );
    }
}

#[test]
fn notes_and_warnings_are_dropped_when_standard_error_goes() {
    // A scenario with shocks and no default shock: `run` notes that it
    // plays none, on standard error.
    let dir = std::env::temp_dir().join(format!("pf-stderr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = patronfall_scenario::TEMPLATE.replacen("default_shock = \"collapse\"\n", "", 1);
    assert_ne!(text, patronfall_scenario::TEMPLATE, "the edit applies");
    let file = dir.join("no-default-shock.toml");
    std::fs::write(&file, text).unwrap();
    let args = ["run", "--scenario", file.to_str().unwrap(), "--days", "30"];
    let noted = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&noted.stderr).contains("note: playing no shock"),
        "the note is there to drop"
    );
    // Now with standard error a pipe nobody reads: closed before the
    // command writes to it.
    let mut child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Future reached"),
        "the run went on"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
