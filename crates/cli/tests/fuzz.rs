//! Fuzzes the readers of the files users hand the program: scenario TOML
//! (its `[[observed]]` milestones included, as `patronfall backtest` reads
//! them), the observations files of `patronfall update --observed` (checked
//! against the built-in scenario's indicators) and KTAB's CSV and XML
//! files.
//!
//! The mutator knows each format's structure: it drops, duplicates, moves
//! and swaps keys, tables, rows, fields and elements, swaps values between
//! fields, puts extremes (0, -1, 1e308, `NaN`, empty text, wrong types,
//! unknown names) in place of values and cuts files at token boundaries. It
//! starts from a seed corpus: the built-in scenarios, the template, the KTAB
//! files in `fixtures/ktab/` and the small hand-written files in
//! `fuzz/corpus/` (`*.observations.toml` are observations files).
//!
//! The property: reading never panics, never hangs (a case longer than
//! [`HANG`] stops the test), and every rejection names the file, says what
//! is wrong, and points at the line and field it is about (a problem with
//! no position must be about the whole file or a whole table).
//!
//! Every case is generated from (seed, case number) alone, so a failure
//! reproduces: `PATRONFALL_FUZZ_CASES` sets how many cases run (2,000 by
//! default, what CI runs), `PATRONFALL_FUZZ_SEED` the seed (1 by default),
//! and `PATRONFALL_FUZZ_CASE=N` runs case N alone and prints its input.
//! Inputs that break the property are written to `fuzz-failures/` in the
//! test's scratch directory.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A case that takes longer than this counts as a hang. The largest seed
/// (the Iraq scenario, 72 kB) reads in a few milliseconds.
const HANG: Duration = Duration::from_secs(20);

/// Cases run by default (`cargo test`, CI).
const DEFAULT_CASES: u64 = 2_000;

/// SplitMix64: a small, well-mixed generator, enough to choose mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, case: u64) -> Self {
        let mut r = Rng(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// The formats under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Scenario,
    Observations,
    Csv,
    Xml,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Scenario => "scenario",
            Format::Observations => "observations",
            Format::Csv => "KTAB CSV",
            Format::Xml => "KTAB XML",
        }
    }
}

/// One file of the seed corpus.
struct Seed {
    format: Format,
    name: String,
    text: String,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed corpus: the built-in scenarios and the template, the KTAB
/// fixtures and `fuzz/corpus/`.
fn corpus() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = patronfall_scenario::BUILTINS
        .iter()
        .map(|(name, _, text)| Seed {
            format: Format::Scenario,
            name: format!("{name}.toml"),
            text: text.to_string(),
        })
        .collect();
    seeds.push(Seed {
        format: Format::Scenario,
        name: "template.toml".into(),
        text: patronfall_scenario::TEMPLATE.to_string(),
    });
    for dir in ["fixtures/ktab", "fuzz/corpus"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let observations = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".observations.toml"));
            let format = match path.extension().and_then(|e| e.to_str()) {
                Some("toml") if observations => Format::Observations,
                Some("toml") => Format::Scenario,
                Some("csv") => Format::Csv,
                Some("xml") => Format::Xml,
                _ => continue,
            };
            let text = std::fs::read_to_string(&path).expect("a corpus file");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            seeds.push(Seed { format, name, text });
        }
    }
    seeds
}

/// Values put in place of others: extremes, non-numbers, wrong types.
const TOML_VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "\"NaN\"",
    "\"\"",
    "\"no_such_name\"",
    "\"1e308\"",
    "true",
    "[]",
    "{}",
    "[1e308, 0]",
    "[0, 1e308]",
    "[\"a\", 1]",
    "[[1]]",
    "{ dist = \"normal\", mean = 0, sd = -1 }",
    "{ dist = \"triangular\", low = 1, mode = 0, high = -1 }",
    "{ dist = \"beta\", alpha = 0, beta = 1e308 }",
    "{ dist = \"discrete\", values = [], weights = [] }",
    "{ dist = \"discrete\", values = [1, 2], weights = [0, 0] }",
    "{ dist = \"lognormal\", mean = 1e308, sd = 1e308 }",
    "{ dist = \"nope\" }",
    "{ value = nan }",
    "1979-05-27",
    "'''\nmulti\nline'''",
];

/// Key names put in place of others.
const TOML_KEYS: &[&str] = &[
    "bogus", "id", "kind", "day", "value", "dist", "self", "format", "smp", "outcome",
];

/// A TOML line's role, for structure-aware mutation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Header,
    Key,
    Other,
}

/// Splits TOML into items: a table header, a key with its value (a value
/// may continue over lines while brackets are open), or other lines.
fn toml_items(text: &str) -> Vec<(Line, String)> {
    let mut items: Vec<(Line, String)> = Vec::new();
    let mut depth = 0i32;
    for line in text.split_inclusive('\n') {
        if depth > 0 {
            if let Some(last) = items.last_mut() {
                last.1.push_str(line);
            }
            depth += bracket_balance(line);
            continue;
        }
        let t = line.trim_start();
        let kind = if t.starts_with('[') {
            Line::Header
        } else if !t.starts_with('#') && t.contains('=') {
            Line::Key
        } else {
            Line::Other
        };
        if kind == Line::Key {
            depth = bracket_balance(line).max(0);
        }
        items.push((kind, line.to_string()));
    }
    items
}

/// Opening minus closing brackets and braces outside strings.
fn bracket_balance(line: &str) -> i32 {
    let mut n = 0;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => break,
            '[' | '{' if !quoted => n += 1,
            ']' | '}' if !quoted => n -= 1,
            _ => {}
        }
    }
    n
}

/// Item ranges of tables: a header and the items up to the next header.
fn tables(items: &[(Line, String)]) -> Vec<std::ops::Range<usize>> {
    let heads: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].0 == Line::Header)
        .collect();
    heads
        .iter()
        .enumerate()
        .map(|(k, &h)| h..heads.get(k + 1).copied().unwrap_or(items.len()))
        .collect()
}

fn key_and_value(item: &str) -> Option<(&str, &str)> {
    let (k, v) = item.split_once('=')?;
    Some((k, v.trim_end_matches('\n')))
}

/// Byte ranges of number tokens in text.
fn numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            || (matches!(b[i], b'-' | b'+' | b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let after_word = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if starts && !after_word {
            let s = i;
            i += 1;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'_' | b'-' | b'+'))
            {
                i += 1;
            }
            out.push(s..i);
        } else {
            i += 1;
        }
    }
    out
}

/// Text of numbers put in place of others, in every format.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-1e308",
    "5e-324",
    "NaN",
    "nan",
    "inf",
    "1e309",
    "18446744073709551616",
    "99999999999999999999999",
    "4294967295",
    "-0",
    "0x10",
    "1_000",
    "",
    "abc",
];

/// Positions just before or after a token: whitespace, punctuation, quotes.
fn token_boundaries(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || "=[]{},\"'<>/:#".contains(c) {
            out.push(i);
            out.push(i + c.len_utf8());
        }
    }
    out.push(text.len());
    out
}

/// Cuts the text at a token boundary.
fn truncate(text: &str, rng: &mut Rng) -> String {
    let cuts = token_boundaries(text);
    text[..*rng.pick(&cuts)].to_string()
}

/// Replaces one number token with an extreme.
fn replace_number(text: &str, rng: &mut Rng) -> String {
    let n = numbers(text);
    if n.is_empty() {
        return text.to_string();
    }
    let r = rng.pick(&n).clone();
    format!(
        "{}{}{}",
        &text[..r.start],
        rng.pick(NUMBERS),
        &text[r.end..]
    )
}

/// Inserts, deletes or changes one character (the plain byte-level move).
fn char_edit(text: &str, rng: &mut Rng) -> String {
    let cuts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = *rng.pick(&cuts);
    let next = text[at..].chars().next().map_or(0, char::len_utf8);
    let c = *rng.pick(&[
        "", "\"", "'", "[", "]", "{", "}", "=", ",", "\n", "#", "<", ">", "&", "\\", "\u{feff}",
        "é", "\u{0}", "\t",
    ]);
    let skip = if rng.chance(2) { next } else { 0 };
    format!("{}{}{}", &text[..at], c, &text[at + skip..])
}

fn mutate_toml(text: &str, rng: &mut Rng) -> String {
    let mut items = toml_items(text);
    let keys: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].0 == Line::Key)
        .collect();
    let ranges = tables(&items);
    if keys.is_empty() || ranges.is_empty() {
        return char_edit(text, rng);
    }
    let join = |items: &[(Line, String)]| items.iter().map(|i| i.1.as_str()).collect::<String>();
    match rng.below(14) {
        // Drop a key.
        0 => {
            items.remove(*rng.pick(&keys));
        }
        // Duplicate a key (TOML refuses it) or copy it into another table.
        1 => {
            let k = items[*rng.pick(&keys)].clone();
            let to = if rng.chance(2) {
                rng.pick(&ranges).start + 1
            } else {
                rng.below(items.len() + 1)
            };
            items.insert(to.min(items.len()), k);
        }
        // Move a key elsewhere.
        2 => {
            let k = items.remove(*rng.pick(&keys));
            let to = rng.below(items.len() + 1);
            items.insert(to, k);
        }
        // Drop a whole table.
        3 => {
            let r = rng.pick(&ranges).clone();
            items.drain(r);
        }
        // Duplicate a table.
        4 => {
            let r = rng.pick(&ranges).clone();
            let copy: Vec<_> = items[r.clone()].to_vec();
            let at = rng.pick(&ranges).start;
            items.splice(at..at, copy);
        }
        // Swap two tables.
        5 => {
            let (a, b) = (rng.pick(&ranges).clone(), rng.pick(&ranges).clone());
            if a.start < b.start {
                let (first, second) = (items[a.clone()].to_vec(), items[b.clone()].to_vec());
                items.splice(b, first);
                items.splice(a, second);
            }
        }
        // Swap the values of two keys.
        6 => {
            let (a, b) = (*rng.pick(&keys), *rng.pick(&keys));
            if let (Some((ka, va)), Some((kb, vb))) =
                (key_and_value(&items[a].1), key_and_value(&items[b].1))
            {
                let (na, nb) = (format!("{ka}={vb}\n"), format!("{kb}={va}\n"));
                items[a].1 = na;
                items[b].1 = nb;
            }
        }
        // Put an extreme, a wrong type or an unknown name in a key's value.
        7 | 8 => {
            let a = *rng.pick(&keys);
            if let Some((k, _)) = key_and_value(&items[a].1) {
                items[a].1 = format!("{k}= {}\n", rng.pick(TOML_VALUES));
            }
        }
        // Rename a key (unknown, or one that belongs elsewhere).
        9 => {
            let a = *rng.pick(&keys);
            if let Some((_, v)) = key_and_value(&items[a].1) {
                items[a].1 = format!("{} ={v}\n", rng.pick(TOML_KEYS));
            }
        }
        // Point a reference at another name used in the file.
        10 => {
            let strings: Vec<String> = keys
                .iter()
                .filter_map(|&i| key_and_value(&items[i].1))
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| v.starts_with('"') && v.ends_with('"') && v.len() < 40)
                .collect();
            let a = *rng.pick(&keys);
            if let (Some((k, _)), false) = (key_and_value(&items[a].1), strings.is_empty()) {
                items[a].1 = format!("{k}= {}\n", rng.pick(&strings));
            }
        }
        // Rename a table.
        11 => {
            let r = rng.pick(&ranges).clone();
            let heads: Vec<String> = ranges.iter().map(|r| items[r.start].1.clone()).collect();
            items[r.start].1 = if rng.chance(3) {
                "[[no_such_table]]\n".to_string()
            } else {
                rng.pick(&heads).clone()
            };
        }
        // Put a number elsewhere in a value (inside ranges, distributions, arrays).
        12 => {
            let a = *rng.pick(&keys);
            items[a].1 = replace_number(&items[a].1, rng);
        }
        // Add an unknown key to a table.
        _ => {
            let at = rng.pick(&ranges).start + 1;
            items.insert(at.min(items.len()), (Line::Key, "bogus_field = 1\n".into()));
        }
    }
    join(&items)
}

/// KTAB CSV: rows of comma-separated fields.
fn mutate_csv(text: &str, rng: &mut Rng) -> String {
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    if rows.is_empty() {
        return char_edit(text, rng);
    }
    let r = rng.below(rows.len());
    match rng.below(10) {
        0 => {
            rows.remove(r);
        }
        1 => {
            let copy = rows[r].clone();
            rows.insert(rng.below(rows.len() + 1), copy);
        }
        2 => {
            let s = rng.below(rows.len());
            rows.swap(r, s);
        }
        3 => {
            let f = rng.below(rows[r].len());
            rows[r].remove(f);
        }
        4 => {
            let f = rng.below(rows[r].len());
            let copy = rows[r][f].clone();
            rows[r].insert(f, copy);
        }
        // Swap two fields, in one row or across rows.
        5 => {
            let s = rng.below(rows.len());
            let (f, g) = (rng.below(rows[r].len()), rng.below(rows[s].len()));
            let tmp = rows[r][f].clone();
            rows[r][f] = std::mem::replace(&mut rows[s][g], tmp);
        }
        // An extreme or a non-number in a field (the counts of row 1 too).
        6 | 7 => {
            let f = rng.below(rows[r].len());
            rows[r][f] = (*rng.pick(&[
                "0",
                "-1",
                "1e308",
                "NaN",
                "inf",
                "",
                " ",
                "abc",
                "18446744073709551615",
                "9223372036854775807",
                "4611686018427387904",
                "1000000",
                "\"quoted, with comma\"",
                "\"",
                "\u{feff}",
            ]))
            .to_string();
        }
        8 => {
            let f = rng.below(rows[r].len());
            rows[r][f] = replace_number(&rows[r][f], rng);
        }
        _ => return truncate(text, rng),
    }
    rows.iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An XML element found by [`xml_elements`]: its whole range, its name's
/// range in the start tag and, for a leaf, the range of its text.
struct Element {
    whole: std::ops::Range<usize>,
    name: std::ops::Range<usize>,
    text: Option<std::ops::Range<usize>>,
}

/// Start and end tags matched by name, good enough to mutate by.
fn xml_elements(text: &str) -> Vec<Element> {
    let mut open: Vec<(usize, std::ops::Range<usize>, usize, bool)> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = text[i..].find('<').map(|k| k + i) {
        let Some(gt) = text[lt..].find('>').map(|k| k + lt) else {
            break;
        };
        let tag = &text[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            if let Some(pos) = open.iter().rposition(|o| &text[o.1.clone()] == name.trim()) {
                let (start, nrange, content, leaf) = open[pos].clone();
                open.truncate(pos);
                if let Some(parent) = open.last_mut() {
                    parent.3 = false;
                }
                out.push(Element {
                    whole: start..gt + 1,
                    name: nrange,
                    text: leaf.then_some(content..lt),
                });
            }
        } else if !tag.starts_with(['?', '!']) {
            let end = tag
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(tag.len());
            let nrange = lt + 1..lt + 1 + end;
            if tag.ends_with('/') {
                if let Some(parent) = open.last_mut() {
                    parent.3 = false;
                }
                out.push(Element {
                    whole: lt..gt + 1,
                    name: nrange,
                    text: None,
                });
            } else {
                open.push((lt, nrange, gt + 1, true));
            }
        }
        i = gt + 1;
    }
    out
}

fn mutate_xml(text: &str, rng: &mut Rng) -> String {
    let els = xml_elements(text);
    if els.is_empty() {
        return char_edit(text, rng);
    }
    let e = rng.pick(&els);
    let leaves: Vec<&Element> = els.iter().filter(|e| e.text.is_some()).collect();
    let splice = |r: &std::ops::Range<usize>, with: &str| {
        format!("{}{}{}", &text[..r.start], with, &text[r.end..])
    };
    match rng.below(10) {
        // Drop an element.
        0 => splice(&e.whole, ""),
        // Duplicate an element.
        1 => splice(&(e.whole.start..e.whole.start), &text[e.whole.clone()]),
        // Move an element before another.
        2 => {
            let f = rng.pick(&els);
            let moved = &text[e.whole.clone()];
            let without = splice(&e.whole, "");
            let at = if f.whole.start <= e.whole.start {
                f.whole.start
            } else if f.whole.start >= e.whole.end {
                f.whole.start - e.whole.len()
            } else {
                return without;
            };
            format!("{}{}{}", &without[..at], moved, &without[at..])
        }
        // Rename a start tag (unknown, or another element's name).
        3 => {
            let other = &text[rng.pick(&els).name.clone()];
            let name = if rng.chance(3) { "Bogus" } else { other };
            splice(&e.name, name)
        }
        // An extreme, a non-number, markup or an entity in a leaf's text.
        4..=6 if !leaves.is_empty() => {
            let l = rng.pick(&leaves);
            let with = *rng.pick(&[
                "0",
                "-1",
                "1e308",
                "NaN",
                "inf",
                "",
                "abc",
                "18446744073709551616",
                "&amp;",
                "&bogus;",
                "&#0;",
                "<![CDATA[7]]>",
                "<x/>",
                "Alice",
                "Bob",
            ]);
            splice(l.text.as_ref().unwrap(), with)
        }
        // Swap the texts of two leaves.
        7 if leaves.len() > 1 => {
            let (a, b) = (rng.pick(&leaves), rng.pick(&leaves));
            let (ra, rb) = (a.text.clone().unwrap(), b.text.clone().unwrap());
            if ra.end <= rb.start {
                format!(
                    "{}{}{}{}{}",
                    &text[..ra.start],
                    &text[rb.clone()],
                    &text[ra.end..rb.start],
                    &text[ra],
                    &text[rb.end..]
                )
            } else {
                text.to_string()
            }
        }
        8 => replace_number(text, rng),
        _ => truncate(text, rng),
    }
}

/// One case's input: a seed with one mutation (half the cases) or two to
/// four stacked.
fn case_input(seeds: &[Seed], seed: u64, case: u64) -> (usize, String) {
    let mut rng = Rng::new(seed, case);
    let s = (case % seeds.len() as u64) as usize;
    let mut text = seeds[s].text.clone();
    let rounds = if rng.chance(2) { 1 } else { 2 + rng.below(3) };
    for _ in 0..rounds {
        text = match rng.below(12) {
            0 => truncate(&text, &mut rng),
            1 => char_edit(&text, &mut rng),
            _ => match seeds[s].format {
                Format::Scenario | Format::Observations => mutate_toml(&text, &mut rng),
                Format::Csv => mutate_csv(&text, &mut rng),
                Format::Xml => mutate_xml(&text, &mut rng),
            },
        };
    }
    (s, text)
}

/// What reading one input did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Rejected,
}

/// Reads one input as its format's reader does and checks the property;
/// `Err` says how a rejection broke it.
fn check(format: Format, file: &str, text: &str) -> Result<Verdict, String> {
    match format {
        Format::Scenario => match patronfall_scenario::parse(file, text) {
            Ok(s) => {
                let _ = s.warnings();
                // What `patronfall backtest` reads of the observations.
                if let Some(o) = s.scored_milestone() {
                    let _ = s.observed_origin(o);
                    let _ = patronfall_validation::backtest::observed_milestone(&s);
                }
                Ok(Verdict::Accepted)
            }
            Err(e) => {
                check_scenario_error(file, text, &e)?;
                Ok(Verdict::Rejected)
            }
        },
        Format::Observations => check_observations(file, text),
        Format::Csv | Format::Xml => match patronfall_bargain::read::parse(text, file) {
            Ok(s) => {
                let _ = s.accommodation();
                Ok(Verdict::Accepted)
            }
            Err(e) => {
                let shown = e.to_string();
                if e.file != file || !shown.starts_with(file) {
                    return Err(format!("the error does not name the file: {shown}"));
                }
                if e.message.trim().is_empty() {
                    return Err(format!("an empty message: {shown}"));
                }
                match e.line {
                    Some(line) => {
                        let lines = text.lines().count().max(1);
                        if line == 0 || line > lines + 1 {
                            return Err(format!("line {line} of a {lines}-line file: {shown}"));
                        }
                    }
                    // Only what is missing from the whole file has no line.
                    None if !["the file is empty", "the header row", "missing actors"]
                        .iter()
                        .any(|m| e.message.starts_with(m)) =>
                    {
                        return Err(format!("a problem with no line: {shown}"));
                    }
                    None => {}
                }
                Ok(Verdict::Rejected)
            }
        },
    }
}

/// The built-in scenario's indicators as an ensemble of its horizon
/// records them: what an observations file is checked against.
fn indicator_table() -> &'static patronfall_results::indicators::IndicatorTable {
    static TABLE: std::sync::OnceLock<patronfall_results::indicators::IndicatorTable> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let s = patronfall_scenario::open("iraq-after-tehran").expect("the built-in scenario");
        let columns = patronfall_ensemble::indicators::columns(&s, s.world.horizon_days);
        let definitions = patronfall_results::indicators::Indicators::new(&s, &columns);
        let columns: Vec<(usize, u32)> = definitions
            .indicators
            .iter()
            .enumerate()
            .flat_map(|(i, d)| d.days.iter().map(move |day| (i, *day)))
            .collect();
        let values = vec![Vec::new(); columns.len()];
        patronfall_results::indicators::IndicatorTable {
            definitions,
            columns,
            values,
        }
    })
}

/// Reads an observations file as `patronfall update --observed` does (from
/// a file under the test's scratch directory named as the seed).
fn check_observations(file: &str, text: &str) -> Result<Verdict, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-observations");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(file);
    std::fs::write(&path, text).map_err(|e| format!("cannot write the case: {e}"))?;
    match patronfall_results::analyses::update::read_observations(&path, indicator_table()) {
        Ok(seen) => {
            for (_, o) in &seen {
                let fine = match (o.value, o.range) {
                    (Some(v), None) => v.is_finite(),
                    (None, Some([lo, hi])) => lo.is_finite() && hi.is_finite() && lo <= hi,
                    _ => false,
                };
                if !fine {
                    return Err(format!("accepted an unusable observation: {o:?}"));
                }
            }
            Ok(Verdict::Accepted)
        }
        Err(patronfall_results::ResultsError::Input {
            file: at,
            line,
            message,
        }) => {
            let shown = format!("{}:{line:?}: {message}", at.display());
            if at != path || message.trim().is_empty() {
                return Err(format!("the wrong file or no message: {shown}"));
            }
            match line {
                Some(l) => {
                    let lines = text.lines().count().max(1) as u64;
                    if l == 0 || l > lines + 1 {
                        return Err(format!("line {l} of a {lines}-line file: {shown}"));
                    }
                    if !(message.starts_with("observed[") || message.starts_with("(file)")) {
                        return Err(format!("no field named: {shown}"));
                    }
                }
                None if !message.starts_with("no [[observed]] entry") => {
                    return Err(format!("a problem with no line: {shown}"));
                }
                None => {}
            }
            Ok(Verdict::Rejected)
        }
        Err(e) => Err(format!("not an input error: {e}")),
    }
}

fn check_scenario_error(
    file: &str,
    text: &str,
    e: &patronfall_scenario::ScenarioError,
) -> Result<(), String> {
    let shown = e.render();
    let _ = e.to_string();
    if e.file != file || e.problems.is_empty() {
        return Err(format!("no problem, or the wrong file: {shown}"));
    }
    for p in &e.problems {
        if p.field.trim().is_empty() || p.message.trim().is_empty() || p.help.trim().is_empty() {
            return Err(format!("a problem without field, message or help: {p:?}"));
        }
        match &p.span {
            Some(span) => {
                if span.start > span.end
                    || span.end > text.len()
                    || !text.is_char_boundary(span.start)
                {
                    return Err(format!("a span outside the file: {p:?}"));
                }
                let want = format!("error: {}: {}: ", e.location(p), p.field);
                if !e.location(p).starts_with(&format!("{file}:")) || !shown.contains(&want) {
                    return Err(format!("`{want}` not in the rendering:\n{shown}"));
                }
            }
            // A problem about a figure has a place; only the file or a
            // whole missing table has none.
            None if p.field.contains('.') => {
                return Err(format!("a problem about a field with no line: {p:?}"));
            }
            None => {}
        }
    }
    Ok(())
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.replace(['_', ','], "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v}"))
    })
}

/// The message of the last panic, caught by the hook.
static PANIC: Mutex<String> = Mutex::new(String::new());

#[test]
fn readers_survive_mutated_files() {
    let seeds = corpus();
    assert!(
        seeds.len() >= 15
            && [
                Format::Scenario,
                Format::Observations,
                Format::Csv,
                Format::Xml
            ]
            .iter()
            .all(|f| seeds.iter().any(|s| s.format == *f)),
        "the corpus holds every format"
    );
    for s in &seeds {
        // KTAB's own smpExample.xml leaves one coordinate empty, and is
        // refused; every other seed is a valid file.
        let r = check(s.format, &s.name, &s.text);
        let refused = s.name == "smpExample.xml";
        assert!(
            r == Ok(if refused {
                Verdict::Rejected
            } else {
                Verdict::Accepted
            }),
            "{}: {r:?}",
            s.name
        );
    }
    let seed = env_u64("PATRONFALL_FUZZ_SEED").unwrap_or(1);
    if let Some(case) = env_u64("PATRONFALL_FUZZ_CASE") {
        let (s, text) = case_input(&seeds, seed, case);
        println!("case {case} (seed {seed}) from {}:\n{text}", seeds[s].name);
        let r = check(seeds[s].format, &seeds[s].name, &text);
        println!("{r:?}");
        assert!(r.is_ok());
        return;
    }
    let cases = env_u64("PATRONFALL_FUZZ_CASES").unwrap_or(DEFAULT_CASES);
    let failures_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");

    // A watchdog: a case that runs longer than HANG stops the process.
    let started = Instant::now();
    let current = Arc::new(AtomicU64::new(u64::MAX));
    let since = Arc::new(AtomicU64::new(0));
    {
        let (current, since) = (current.clone(), since.clone());
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let case = current.load(Ordering::SeqCst);
                let from = since.load(Ordering::SeqCst);
                let ms = (started.elapsed().as_millis() as u64).saturating_sub(from);
                if case != u64::MAX && Duration::from_millis(ms) > HANG {
                    // Straight to the process's standard error: the test
                    // harness's capture would be lost with the abort.
                    let _ = std::io::Write::write_all(
                        &mut std::io::stderr(),
                        format!(
                            "fuzz: case {case} (seed {seed}) has run for {ms} ms: a hang; \
                             PATRONFALL_FUZZ_CASE={case} reproduces it\n"
                        )
                        .as_bytes(),
                    );
                    std::process::abort();
                }
            }
        });
    }

    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        *PANIC.lock().unwrap_or_else(|e| e.into_inner()) = format!("{what} at {at}");
    }));

    let formats = [
        Format::Scenario,
        Format::Observations,
        Format::Csv,
        Format::Xml,
    ];
    let mut counts = [[0u64; 2]; 4];
    let mut failures: Vec<String> = Vec::new();
    let mut slowest = (Duration::ZERO, 0u64);
    for case in 0..cases {
        if case > 0 && case % 100_000 == 0 {
            println!(
                "fuzz: {case} cases, {} failures, {:.0} s",
                failures.len(),
                started.elapsed().as_secs_f64()
            );
        }
        let (s, text) = case_input(&seeds, seed, case);
        let seed_file = &seeds[s];
        since.store(started.elapsed().as_millis() as u64, Ordering::SeqCst);
        current.store(case, Ordering::SeqCst);
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            check(seed_file.format, &seed_file.name, &text)
        }));
        let took = t.elapsed();
        current.store(u64::MAX, Ordering::SeqCst);
        if took > slowest.0 {
            slowest = (took, case);
        }
        let f = formats.iter().position(|x| *x == seed_file.format).unwrap();
        let problem = match result {
            Ok(Ok(v)) => {
                counts[f][usize::from(v == Verdict::Rejected)] += 1;
                continue;
            }
            Ok(Err(unclear)) => format!("an unclear rejection: {unclear}"),
            Err(_) => format!(
                "a panic: {}",
                PANIC.lock().unwrap_or_else(|e| e.into_inner())
            ),
        };
        let _ = std::fs::create_dir_all(&failures_dir);
        let path = failures_dir.join(format!("seed{seed}-case{case}-{}", seed_file.name));
        let _ = std::fs::write(&path, &text);
        failures.push(format!(
            "case {case} ({}, from {}): {problem}\n  input: {}",
            seed_file.format.name(),
            seed_file.name,
            path.display()
        ));
    }
    std::panic::set_hook(hook);

    let elapsed = started.elapsed();
    println!(
        "fuzz: {cases} cases in {:.1} s (seed {seed}, {} seeds); slowest case {} took {} ms",
        elapsed.as_secs_f64(),
        seeds.len(),
        slowest.1,
        slowest.0.as_millis()
    );
    for (f, c) in formats.iter().zip(counts) {
        println!(
            "  {}: {} accepted, {} rejected with a clear error",
            f.name(),
            c[0],
            c[1]
        );
    }
    println!("  failures: {}", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {cases} cases broke the property (PATRONFALL_FUZZ_CASE=N reproduces one):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
