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
//!   Comments may name these; code may not;
//! - the model's modules import each other without a cycle, so each can be
//!   read, and changed, after those it depends on (what several mechanisms
//!   share lives in `mechanisms/policy.rs`, which imports no mechanism);
//! - every registered parameter is read by the model's code: a parameter a
//!   scenario may set is never parsed and ignored.

use patronfall_model::PARAMETERS;
use patronfall_model::mechanisms::DAY_ORDER;
use std::collections::{BTreeMap, BTreeSet};
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
    // The body, after the signature (whose return type may name a module).
    let body = &run_rs[start..];
    let body = &body[body.find('{').unwrap_or(0)..];
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

    let run_rs = "pub fn step_day() -> Result<(), patron::E> {\n    events::step(a);\n    patron::step(b);\n    \
                  patron::update_support(c);\n    other::f();\n}\n";
    let modules = vec!["events".to_string(), "patron".to_string()];
    assert_eq!(step_day_modules(run_rs, &modules), vec!["events", "patron"]);
}

/// The code with the contents of string and character literals blanked
/// (their delimiters kept), so braces and paths inside them are not read
/// as code. Lifetimes (`'a`) are kept.
fn blank_literals(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(if chars[i] == '\n' { '\n' } else { ' ' });
                    i += 1;
                }
            }
            if i < chars.len() {
                out.push('"');
                i += 1;
            }
        } else if c == '\'' && chars.get(i + 1) == Some(&'\\') {
            // An escaped character literal: `'\n'`, `'\''`, `'\u{7b}'`.
            let mut j = i + 3;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            out.push_str("' '");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A source file's module path under the crate root: `lib.rs` is the root
/// (no segments), `a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut segs: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = segs.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            segs.push(stem.to_string());
        }
    }
    segs
}

/// A module path as written in messages (`crate` for the root).
fn module_name(segs: &[String]) -> String {
    if segs.is_empty() {
        "crate".to_string()
    } else {
        segs.join("::")
    }
}

/// Every path of a `use` tree, written without spaces: `a::{b, c::{self, d}}`
/// gives `a::b`, `a::c` and `a::c::d`; an `as` rename is dropped.
fn expand_use_tree(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).replace(' ', "");
        return vec![path];
    };
    let prefix = tree[..open].replace(' ', "");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    let mut out = Vec::new();
    for item in items.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
        for path in expand_use_tree(item) {
            if path == "self" {
                out.push(prefix.trim_end_matches("::").to_string());
            } else {
                out.push(format!("{prefix}{path}"));
            }
        }
    }
    out
}

/// The module a path names: the longest prefix of it that is a module of
/// the crate, after resolving `crate` and `super` from `here` (the module,
/// inline modules included, the path is written in). `None` for a path
/// that starts elsewhere (another crate, a local name).
fn resolve(path: &str, here: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut segs = path.split("::").filter(|s| !s.is_empty());
    let mut base: Vec<String> = match segs.next()? {
        "crate" => Vec::new(),
        "super" => {
            let mut b = here.to_vec();
            b.pop();
            b
        }
        _ => return None,
    };
    let rest: Vec<&str> = segs.collect();
    let mut skipping_supers = true;
    let mut best = Vec::new();
    for seg in &rest {
        if skipping_supers && *seg == "super" {
            base.pop();
            continue;
        }
        skipping_supers = false;
        base.push(seg.to_string());
        if modules.contains(&base) {
            best = base.clone();
        }
    }
    if best.is_empty() && modules.iter().any(|m| base.starts_with(m)) {
        // The path stayed within `base`'s own prefix (`super::*`, `crate::Item`).
        best = modules
            .iter()
            .filter(|m| base.starts_with(m))
            .max_by_key(|m| m.len())
            .cloned()
            .unwrap_or_default();
    }
    Some(best)
}

fn ident_at(chars: &[char], at: usize) -> String {
    chars[at..]
        .iter()
        .take_while(|c| is_ident_char(**c))
        .collect()
}

/// The modules of the crate that one file's code refers to, by every path
/// that starts with `crate::` or `super::`, in `use` trees and in code.
/// `super` inside an inline module (`mod tests { use super::*; }`) is the
/// file's own module, and a file's references to itself are dropped. The
/// crate root's relative `pub use` lines are its façade, not dependencies,
/// and are not read.
fn references(
    code: &str,
    file: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let code = blank_literals(code);
    let chars: Vec<char> = code.chars().collect();
    let mut out = BTreeSet::new();
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_word = i == 0 || !(is_ident_char(chars[i - 1]) || chars[i - 1] == ':');
        let here = || {
            let mut h = file.to_vec();
            h.extend(inline.iter().map(|(name, _)| name.clone()));
            h
        };
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
            if inline.last().is_some_and(|(_, d)| *d > depth) {
                inline.pop();
            }
        } else if starts_word && ident_at(&chars, i) == "mod" {
            // `mod name {` opens an inline module; `mod name;` declares a file.
            let mut j = i + 3;
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            let name = ident_at(&chars, j);
            j += name.len();
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            if !name.is_empty() && chars.get(j) == Some(&'{') {
                inline.push((name, depth + 1));
                depth += 1;
                i = j + 1;
                continue;
            }
        } else if starts_word && ident_at(&chars, i) == "use" {
            let end = chars[i..]
                .iter()
                .position(|c| *c == ';')
                .map_or(chars.len(), |p| i + p);
            let tree: String = chars[i + 3..end].iter().collect();
            for path in expand_use_tree(&tree) {
                if let Some(m) = resolve(&path, &here(), modules) {
                    out.insert(m);
                }
            }
            i = end;
            continue;
        } else if starts_word && matches!(ident_at(&chars, i).as_str(), "crate" | "super") {
            // A path in code: identifiers joined by `::`.
            let mut j = i;
            let mut path = String::new();
            loop {
                let seg = ident_at(&chars, j);
                path.push_str(&seg);
                j += seg.len();
                if chars.get(j) == Some(&':')
                    && chars.get(j + 1) == Some(&':')
                    && chars.get(j + 2).is_some_and(|c| is_ident_char(*c))
                {
                    path.push_str("::");
                    j += 2;
                } else {
                    break;
                }
            }
            if let Some(m) = resolve(&path, &here(), modules) {
                out.insert(m);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out.remove(file);
    out
}

/// The import graph of a crate's files, given as (file module, source):
/// each module with the modules it refers to.
fn module_graph(files: &[(Vec<String>, String)]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    files
        .iter()
        .map(|(m, text)| (m.clone(), references(&code_only(text), m, &modules)))
        .collect()
}

/// A cycle of the graph, as its modules with the first repeated at the end,
/// or `None`. Depth-first search in module order, so the answer is stable.
fn find_cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<Vec<String>>> {
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        done: &mut BTreeSet<Vec<String>>,
        path: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut done, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn model_modules_import_each_other_without_a_cycle() {
    let src = src_dir();
    let files: Vec<(Vec<String>, String)> = rust_files(&src)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap_or(&p).to_path_buf();
            (module_of(&rel), read(&p))
        })
        .collect();
    let graph = module_graph(&files);
    // The graph is read at all: the day loop refers to the mechanisms.
    assert!(
        graph[&vec!["run".to_string()]]
            .contains(&vec!["mechanisms".to_string(), "contest".to_string()]),
        "the import graph lost an edge it must have (run → mechanisms::contest): {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        let names: Vec<String> = cycle.iter().map(|m| module_name(m)).collect();
        panic!(
            "the model's modules import each other in a cycle: {}. Move what they share \
             into a module both may import (what several mechanisms share lives in \
             mechanisms/policy.rs, which imports no mechanism).",
            names.join(" → ")
        );
    }
}

#[test]
fn module_graph_reader_finds_what_it_should() {
    let m = |s: &str| -> Vec<String> {
        s.split("::")
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    assert_eq!(module_of(Path::new("lib.rs")), m(""));
    assert_eq!(module_of(Path::new("mechanisms/mod.rs")), m("mechanisms"));
    assert_eq!(
        module_of(Path::new("mechanisms/contest.rs")),
        m("mechanisms::contest")
    );
    assert_eq!(
        expand_use_tree(" crate::mechanisms::{Ctx, policy::{self, csf as f}}"),
        vec![
            "crate::mechanisms::Ctx",
            "crate::mechanisms::policy",
            "crate::mechanisms::policy::csf"
        ]
    );
    let files = vec![
        (m(""), "pub mod a;\npub mod b;\npub use a::*;\n".to_string()),
        (
            m("a"),
            "use crate::b::{self, f};\n// crate::c::g in a comment\n\
             fn x() { let s = \"crate::c::g\"; let c = '{'; }\n\
             #[cfg(test)]\nmod tests {\n    use super::*;\n}\n"
                .to_string(),
        ),
        (m("b"), "pub fn f() { crate::c::g(); }\n".to_string()),
        (
            m("c"),
            "pub fn g() {}\nfn y() { super::a::x(); }\n".to_string(),
        ),
    ];
    let graph = module_graph(&files);
    assert_eq!(
        graph[&m("")],
        BTreeSet::new(),
        "the root's façade is not read"
    );
    assert_eq!(
        graph[&m("a")],
        BTreeSet::from([m("b")]),
        "comments, strings, `super` in tests"
    );
    assert_eq!(graph[&m("b")], BTreeSet::from([m("c")]), "a path in code");
    assert_eq!(
        graph[&m("c")],
        BTreeSet::from([m("a")]),
        "`super::` from a file"
    );
    assert_eq!(
        find_cycle(&graph),
        Some(vec![m("a"), m("b"), m("c"), m("a")])
    );
    let mut acyclic = files.clone();
    acyclic[3].1 = "pub fn g() {}\n".to_string();
    assert_eq!(find_cycle(&module_graph(&acyclic)), None);
}

/// Whether `code` reads the field `field` of some value (`.field` not
/// followed by more of an identifier).
fn reads_field(code: &str, field: &str) -> bool {
    let pattern = format!(".{field}");
    code.match_indices(&pattern).any(|(at, _)| {
        code[at + pattern.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_ident_char(c))
    })
}

#[test]
fn every_registered_parameter_is_read_by_the_model() {
    let code: String = rust_files(&src_dir())
        .iter()
        .filter(|p| file_name(p) != "params.rs")
        .map(|p| code_only(&read(p)))
        .collect();
    let unread: Vec<&str> = PARAMETERS
        .iter()
        .map(|spec| spec.name)
        .filter(|name| !reads_field(&code, name.split('.').nth(1).unwrap_or(name)))
        .collect();
    assert!(
        unread.is_empty(),
        "these registered parameters are read nowhere in the model's code, so setting \
         them changes nothing: {unread:?}"
    );
    assert!(reads_field("cx.p.attrition * e", "attrition"));
    assert!(!reads_field("cx.p.attrition_rate", "attrition"));
    assert!(!reads_field("// cx.p.other", "attrition"));
}
