//! Tidiness checks over the whole repository, run as ordinary tests.
//!
//! The clone is the unit: a fresh `git clone` must build, run the README's
//! commands and pass every test with nothing beside the checkout. No code,
//! test, benchmark, script or doc may therefore reach outside the repository,
//! neither through the project's shared folder beside the worktree nor by
//! climbing above the workspace root from `CARGO_MANIFEST_DIR`.

use std::path::{Path, PathBuf};

/// Text that reaches outside the repository, and why it must not appear.
/// The strings are assembled so that this file does not match itself.
fn forbidden() -> Vec<(String, &'static str)> {
    vec![
        (
            format!("..{}shared", '/'),
            "names a folder beside the checkout, which a clone does not have; \
             copy what is needed into the repository (fixtures/) or name its content",
        ),
        (
            format!("\"/..{0}..{0}..{0}", '/'),
            "climbs above the workspace root from a crate's CARGO_MANIFEST_DIR",
        ),
    ]
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Top-level names the repository ignores (`/name` lines of `.gitignore`),
/// plus Git's own directory: what a build or a run leaves beside the sources.
fn ignored_at_top(root: &Path) -> Vec<String> {
    let mut names = vec![".git".to_string()];
    let text = std::fs::read_to_string(root.join(".gitignore")).unwrap_or_default();
    for line in text.lines() {
        if let Some(name) = line.trim().strip_prefix('/') {
            names.push(name.trim_end_matches('/').to_string());
        }
    }
    names
}

fn walk(dir: &Path, skip: &[String], top: bool, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if top && skip.contains(&name) {
            continue;
        }
        if path.is_dir() {
            walk(&path, skip, false, out);
        } else {
            out.push(path);
        }
    }
}

/// Every text file of the repository (binary files and ignored build output
/// left out), with its path relative to the root.
fn text_files() -> Vec<(String, String)> {
    let root = root();
    let skip = ignored_at_top(&root);
    let mut paths = Vec::new();
    walk(&root, &skip, true, &mut paths);
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().to_string();
            Some((rel, text))
        })
        .collect()
}

/// The problems `check` finds in one file's text.
fn problems_in(rel: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for (pattern, why) in forbidden() {
            if line.contains(&pattern) {
                found.push(format!("{rel}:{}: `{pattern}` {why}", n + 1));
            }
        }
    }
    found
}

#[test]
fn nothing_reaches_outside_the_repository() {
    let files = text_files();
    // The walk must have seen the sources, or the check proves nothing.
    for must in [
        "README.md",
        "crates/cli/tests/tidy.rs",
        "crates/bargain/tests/ktab_reference.rs",
        "docs/model.md",
        ".ci/run",
    ] {
        assert!(
            files.iter().any(|(rel, _)| rel == must),
            "the walk missed {must}"
        );
    }
    let problems: Vec<String> = files
        .iter()
        .flat_map(|(rel, text)| problems_in(rel, text))
        .collect();
    assert!(
        problems.is_empty(),
        "files reach outside the repository:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_catches_both_ways_out() {
    let shared = format!("see ..{}shared/briefs/abm.md", '/');
    assert_eq!(problems_in("docs/x.md", &shared).len(), 1);
    let climb = format!(
        "concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/..{0}..{0}..{0}x\")",
        '/'
    );
    assert_eq!(problems_in("tests/x.rs", &climb).len(), 1);
    assert!(problems_in("tests/x.rs", "\"/../../fixtures/ktab/\"").is_empty());
}

#[test]
fn the_ktab_fixtures_carry_their_licence() {
    let dir = root().join("fixtures/ktab");
    let licence = std::fs::read_to_string(dir.join("LICENSE-KTAB")).expect("LICENSE-KTAB");
    assert!(licence.contains("MIT License") && licence.contains("KAPSARC"));
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README.md");
    assert!(readme.contains("LICENSE-KTAB"));
}
