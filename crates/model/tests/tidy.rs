//! Tidiness checks on the model crate's source, run as ordinary tests.
//!
//! They hold two promises of the model in place without relying on review:
//! - every mechanism module opens with a `//!` doc that states its rule and
//!   names an equation (a formula in backticks) or a source (the brief, the
//!   domain facts, or an author and year), and the day is stepped in the
//!   order `DAY_ORDER` documents;
//! - the model's absences: no random-order maps (`HashMap`, `HashSet`), no
//!   ambient randomness (`thread_rng`, OS entropy), no clock (`SystemTime`,
//!   `Instant`), no I/O, environment or threads (`println!`, `std::fs`, ...).
//!   Comments may name these; code may not.

use patronfall_model::mechanisms::DAY_ORDER;
use std::path::{Path, PathBuf};

/// What the model's code must not use, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "HashMap",
        "hash maps iterate in random order; use BTreeMap or Vec",
    ),
    (
        "HashSet",
        "hash sets iterate in random order; use BTreeSet or Vec",
    ),
    (
        "thread_rng",
        "ambient randomness; draw from the run's streams (rng.rs)",
    ),
    (
        "rand::rng",
        "ambient randomness; draw from the run's streams (rng.rs)",
    ),
    ("OsRng", "OS entropy; draw from the run's streams (rng.rs)"),
    ("from_os_rng", "OS entropy; seed from the run's seed"),
    ("from_entropy", "OS entropy; seed from the run's seed"),
    ("SystemTime", "the model has no clock"),
    ("Instant", "the model has no clock"),
    ("std::time", "the model has no clock"),
    (
        "println!",
        "the model does no I/O; narrate through the observer",
    ),
    (
        "print!",
        "the model does no I/O; narrate through the observer",
    ),
    (
        "eprintln!",
        "the model does no I/O; narrate through the observer",
    ),
    (
        "eprint!",
        "the model does no I/O; narrate through the observer",
    ),
    ("dbg!", "the model does no I/O"),
    ("std::fs", "the model does no I/O"),
    ("std::io", "the model does no I/O"),
    ("std::net", "the model does no I/O"),
    (
        "std::env",
        "the model reads no environment; parameters come in the world",
    ),
    ("std::process", "the model spawns nothing"),
    (
        "std::thread",
        "the model has no threads; the ensemble runs runs in parallel",
    ),
    ("thread_local!", "the model has no thread-local state"),
];

/// Mechanism modules that may not yet meet the doc rule, each with what is
/// missing. The test fails if an entry is no longer needed, so the list can
/// only shrink.
const DOC_EXEMPT: &[(&str, &str)] = &[];

fn src_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted by path.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The leading `//!` block of a file, without the markers.
fn module_doc(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim().to_string())
        .collect()
}

/// Whether the doc has a line that opens with `Rule` or `Rules`.
fn states_rule(doc: &[String]) -> bool {
    doc.iter()
        .any(|l| l.starts_with("Rule ") || l.starts_with("Rule:") || l.starts_with("Rules"))
}

/// Whether a backtick span of the doc holds a formula: a relation or an operator.
fn names_equation(doc: &[String]) -> bool {
    const SIGNS: &[&str] = &[
        "=", "<", ">", "≤", "≥", "∝", "·", "*", "/", "−", "+", "exp(", "Φ", "Σ", "min(", "max(",
    ];
    let text = doc.join(" ");
    text.split('`')
        .skip(1)
        .step_by(2)
        .any(|span| SIGNS.iter().any(|s| span.contains(s)))
}

/// Whether the doc cites the brief, the domain facts, or an author and year
/// (a capitalised word followed by a year from 1900 to 2099).
fn names_source(doc: &[String]) -> bool {
    let text = doc.join(" ");
    if text.contains("brief §") || text.contains("domain-facts") {
        return true;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|w| {
        let name = w[0].trim_matches(|c: char| !c.is_alphabetic());
        let year: String = w[1]
            .trim_start_matches('(')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        name.chars().next().is_some_and(char::is_uppercase)
            && year.len() == 4
            && (year.starts_with("19") || year.starts_with("20"))
    })
}

/// What is wrong with a mechanism module's doc (empty when nothing is).
fn doc_problems(doc: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    if doc.is_empty() {
        out.push("does not open with a `//!` doc comment");
        return out;
    }
    if !states_rule(doc) {
        out.push("states no rule (no line opening with `Rule:` or `Rules (...)`)");
    }
    if !names_equation(doc) && !names_source(doc) {
        out.push("names neither an equation (a formula in backticks) nor a source");
    }
    out
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let bare: Vec<String> = rust_files(&src_dir())
        .into_iter()
        .filter(|p| module_doc(&read(p)).is_empty())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        bare.is_empty(),
        "files without a leading `//!` doc: {bare:?}"
    );
}

#[test]
fn mechanism_modules_state_their_rule_and_an_equation_or_source() {
    let mut failures = Vec::new();
    let mut stale_exemptions = Vec::new();
    for path in rust_files(&src_dir().join("mechanisms")) {
        let name = file_name(&path);
        let text = read(&path);
        let doc = module_doc(&text);
        let problems = if name == "mod.rs" {
            // The directory's own doc describes the day, not a mechanism.
            if doc.is_empty() {
                vec!["does not open with a `//!` doc comment"]
            } else {
                vec![]
            }
        } else {
            doc_problems(&doc)
        };
        let exempt = DOC_EXEMPT.iter().any(|(f, _)| *f == name);
        match (problems.is_empty(), exempt) {
            (false, false) => failures.push(format!("{name}: {}", problems.join("; "))),
            (true, true) => stale_exemptions.push(name),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "mechanism module docs must state the rule and name an equation or a source:\n{}",
        failures.join("\n")
    );
    assert!(
        stale_exemptions.is_empty(),
        "these modules now meet the doc rule; remove them from DOC_EXEMPT: {stale_exemptions:?}"
    );
}

/// The mechanism key of a module: the first word of its doc (`M3`,
/// `Events`), lower-cased and without punctuation.
fn mechanism_key(doc: &[String]) -> Option<String> {
    let first = doc.first()?.split_whitespace().next()?;
    Some(
        first
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase(),
    )
}

#[test]
fn m1_to_m10_each_have_exactly_one_module() {
    let keys: Vec<String> = rust_files(&src_dir().join("mechanisms"))
        .iter()
        .filter(|p| file_name(p) != "mod.rs")
        .filter_map(|p| mechanism_key(&module_doc(&read(p))))
        .collect();
    for n in 1..=10 {
        let key = format!("m{n}");
        let count = keys.iter().filter(|k| **k == key).count();
        assert_eq!(
            count, 1,
            "M{n} is named first in {count} mechanism module docs (keys: {keys:?})"
        );
    }
}

/// Mechanism modules called by `run::step_day`, in call order, with
/// consecutive calls into the same module counted once.
fn step_day_modules(run_rs: &str, modules: &[String]) -> Vec<String> {
    let start = run_rs
        .find("pub fn step_day(")
        .expect("run.rs defines `pub fn step_day(`");
    let body = &run_rs[start..];
    let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
    let mut out: Vec<String> = Vec::new();
    for (i, _) in body.match_indices("::") {
        let before = &body[..i];
        let ident: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if modules.contains(&ident) && out.last() != Some(&ident) {
            out.push(ident);
        }
    }
    out
}

#[test]
fn step_day_follows_day_order() {
    let dir = src_dir().join("mechanisms");
    let mut key_of = Vec::new();
    for path in rust_files(&dir) {
        let name = file_name(&path);
        if name == "mod.rs" {
            continue;
        }
        let module = name.trim_end_matches(".rs").to_string();
        let key = mechanism_key(&module_doc(&read(&path))).unwrap_or_default();
        key_of.push((module, key));
    }
    let modules: Vec<String> = key_of.iter().map(|(m, _)| m.clone()).collect();
    let called = step_day_modules(&read(&src_dir().join("run.rs")), &modules);
    let called_keys: Vec<String> = called
        .iter()
        .map(|m| {
            key_of
                .iter()
                .find(|(module, _)| module == m)
                .map(|(_, k)| k.clone())
                .unwrap_or_default()
        })
        .collect();
    let documented: Vec<String> = DAY_ORDER
        .iter()
        .map(|entry| entry.split_whitespace().next().unwrap_or("").to_lowercase())
        .collect();
    assert_eq!(
        called_keys, documented,
        "run::step_day calls the mechanisms {called:?} (left, by module doc key), \
         which differs from mechanisms::DAY_ORDER (right)"
    );
}

/// The code of a source file with comments blanked out, so prose may name
/// what code may not use. String literals are kept.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            if c == '"' {
                in_string = false;
            }
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == '\'' && next == Some('"') && chars.get(i + 2) == Some(&'\'') {
            out.push_str("'\"'");
            i += 3;
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Forbidden names used in `code`, as (line number, name, reason).
fn forbidden_uses(code: &str) -> Vec<(usize, &'static str, &'static str)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for &(name, why) in FORBIDDEN {
            for (at, _) in line.match_indices(name) {
                let before = line[..at].chars().next_back();
                let after = line[at + name.len()..].chars().next();
                // A path like `std::fs` must not be the tail of a longer path.
                let path_like = name.contains("::");
                let starts_clean =
                    before.is_none_or(|c| !(is_ident_char(c) || path_like && c == ':'));
                let ends_clean = name.ends_with('!') || after.is_none_or(|c| !is_ident_char(c));
                if starts_clean && ends_clean {
                    out.push((n + 1, name, why));
                }
            }
        }
    }
    out
}

#[test]
fn model_source_keeps_its_absences() {
    let mut found = Vec::new();
    for path in rust_files(&src_dir()) {
        let code = code_only(&read(&path));
        for (line, name, why) in forbidden_uses(&code) {
            let rel = path.strip_prefix(src_dir()).unwrap_or(&path);
            found.push(format!("src/{}:{line}: `{name}`: {why}", rel.display()));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn checkers_catch_what_they_should() {
    // Code is caught, comments are not, and neighbours of a name are not it.
    let code = code_only(
        "use std::collections::HashMap; // HashSet in a comment\n\
         let t = Instant::now(); /* SystemTime */\n\
         let s = \"// not a comment\"; println!(\"x\");\n\
         let q = '\"'; std::fs::read(p);\n\
         let ok = InstantaneousRate; eprint_thing(); a::std::fsx;\n",
    );
    let hits: Vec<&str> = forbidden_uses(&code).iter().map(|h| h.1).collect();
    assert_eq!(hits, vec!["HashMap", "Instant", "println!", "std::fs"]);

    let good: Vec<String> = ["M7 Armed contests: operations.", "", "Rules (brief §4 M7):"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(doc_problems(&good).is_empty());
    let no_rule: Vec<String> = vec!["M1 Patron: `c = 1 − x`.".into()];
    assert_eq!(doc_problems(&no_rule).len(), 1);
    let no_source: Vec<String> = vec!["Thing.".into(), "Rule: it happens sometimes.".into()];
    assert_eq!(doc_problems(&no_source).len(), 1);
    let author: Vec<String> = vec!["Rule: as in (Granovetter 1978).".into()];
    assert!(names_source(&author));
    assert_eq!(mechanism_key(&good).as_deref(), Some("m7"));

    let run_rs = "pub fn step_day() {\n    events::step(a);\n    patron::step(b);\n    \
                  patron::update_support(c);\n    other::f();\n}\n";
    let modules = vec!["events".to_string(), "patron".to_string()];
    assert_eq!(step_day_modules(run_rs, &modules), vec!["events", "patron"]);
}
