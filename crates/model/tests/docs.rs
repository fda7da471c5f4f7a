//! Keeps `docs/model.md` current with the code it describes.
//!
//! The parameter and outcome tables of the ODD description are generated
//! from [`PARAMETERS`] and [`Outcome::ALL`] and sit between marker comments
//! (`<!-- parameters:begin -->` … `<!-- parameters:end -->`, and the same with
//! `outcomes`). By default the tests compare the document with freshly
//! rendered tables and fail when they differ; with `PATRONFALL_BLESS=1` they
//! rewrite the tables in place instead:
//!
//! ```text
//! PATRONFALL_BLESS=1 cargo test -p patronfall-model --test docs
//! ```
//!
//! The day's order listed in the document (between `day-order` markers) is
//! prose and is never rewritten: it must name the entries of
//! [`DAY_ORDER`] in the same order, each in bold. Every entry must also have
//! its own submodel heading, and every parameter must be discussed outside
//! the generated table.

use patronfall_model::mechanisms::DAY_ORDER;
use patronfall_model::{Outcome, PARAMETERS, ParamSpec};
use std::path::PathBuf;

/// The document, relative to this crate.
fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/model.md")
}

fn read_doc() -> String {
    let path = doc_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn blessing() -> bool {
    std::env::var_os("PATRONFALL_BLESS").is_some_and(|v| v == "1")
}

fn begin(name: &str) -> String {
    format!("<!-- {name}:begin -->")
}

fn end(name: &str) -> String {
    format!("<!-- {name}:end -->")
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A parameter's plausible range as the tables show it: `[low, high]`, or
/// `fixed`.
fn plausible(p: &ParamSpec) -> String {
    match p.plausible {
        Some([low, high]) => format!("[{low}, {high}]"),
        None => "fixed".to_string(),
    }
}

/// The parameter table: one row per registry entry, in registry order.
fn parameter_table() -> String {
    let mut out = String::from(
        "| Name | Unit | Default | Range | Plausible | Meaning and source of the value |\n|---|---|---|---|---|---|\n",
    );
    for p in PARAMETERS {
        out.push_str(&format!(
            "| `{}` | {} | {} | [{}, {}] | {} | {} *Plausible range:* {} |\n",
            p.name,
            cell(p.unit),
            p.default,
            p.min,
            p.max,
            plausible(p),
            cell(p.doc),
            cell(p.plausible_why)
        ));
    }
    out
}

/// The groups of the registry (the part of a name before the dot), in
/// registry order.
fn parameter_groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for p in PARAMETERS {
        let group = p.name.split('.').next().unwrap_or(p.name);
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// The short table of one group's parameters shown in its submodel.
fn group_table(group: &str) -> String {
    let mut out =
        String::from("| Name | Unit | Default | Range | Plausible |\n|---|---|---|---|---|\n");
    for p in PARAMETERS
        .iter()
        .filter(|p| p.name.split('.').next() == Some(group))
    {
        out.push_str(&format!(
            "| `{}` | {} | {} | [{}, {}] | {} |\n",
            p.name,
            cell(p.unit),
            p.default,
            p.min,
            p.max,
            plausible(p)
        ));
    }
    out
}

/// Every generated block of the document: (marker name, contents).
fn generated_blocks() -> Vec<(String, String)> {
    let mut blocks = vec![
        ("parameters".to_string(), parameter_table()),
        ("outcomes".to_string(), outcome_table()),
    ];
    for group in parameter_groups() {
        blocks.push((format!("parameters.{group}"), group_table(group)));
    }
    blocks
}

/// The outcome table: one row per outcome, in output column order.
fn outcome_table() -> String {
    let mut out = String::from("| Name | Meaning (unit) |\n|---|---|\n");
    for o in Outcome::ALL {
        out.push_str(&format!("| `{}` | {} |\n", o.name(), cell(o.doc())));
    }
    out
}

/// Byte offsets of the text between the markers of `name`, or why they
/// cannot be found.
fn span(doc: &str, name: &str) -> Result<(usize, usize), String> {
    let (b, e) = (begin(name), end(name));
    let count = |m: &str| doc.matches(m).count();
    let (Some(start), Some(stop), 1, 1) = (doc.find(&b), doc.find(&e), count(&b), count(&e)) else {
        return Err(format!(
            "docs/model.md must contain `{b}` and `{e}` exactly once each (found {} and {})",
            count(&b),
            count(&e)
        ));
    };
    let start = start + b.len();
    if stop < start {
        return Err(format!("`{e}` comes before `{b}` in docs/model.md"));
    }
    Ok((start, stop))
}

/// The text between the markers of `name`.
fn between<'a>(doc: &'a str, name: &str) -> Result<&'a str, String> {
    span(doc, name).map(|(start, stop)| &doc[start..stop])
}

/// The document with the text between the markers of `name` replaced by
/// `body`, after a line break.
fn replace_between(doc: &str, name: &str, body: &str) -> Result<String, String> {
    let (start, stop) = span(doc, name)?;
    Ok(format!("{}\n{body}{}", &doc[..start], &doc[stop..]))
}

/// Where two texts first differ, as a line number and both lines.
fn first_difference(found: &str, expected: &str) -> String {
    let (f, e): (Vec<&str>, Vec<&str>) = (found.lines().collect(), expected.lines().collect());
    for i in 0..f.len().max(e.len()) {
        let (a, b) = (f.get(i).copied(), e.get(i).copied());
        if a != b {
            return format!(
                "line {} of the block differs:\n  in the doc: {}\n  generated:  {}",
                i + 1,
                a.unwrap_or("(missing)"),
                b.unwrap_or("(missing)")
            );
        }
    }
    "the blocks differ only in trailing whitespace".to_string()
}

/// Writes through a temporary file and a rename, so a test reading the
/// document at the same time never sees it half written.
fn write_doc(text: &str) {
    let path = doc_path();
    let tmp = path.with_extension("md.bless-tmp");
    std::fs::write(&tmp, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", tmp.display()));
    std::fs::rename(&tmp, &path)
        .unwrap_or_else(|e| panic!("cannot replace {}: {e}", path.display()));
}

#[test]
fn generated_tables_are_current() {
    let doc = read_doc();
    let blocks = generated_blocks();
    if blessing() {
        let mut text = doc.clone();
        for (name, body) in &blocks {
            text = replace_between(&text, name, body).unwrap_or_else(|e| panic!("{e}"));
        }
        if text != doc {
            write_doc(&text);
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, body) in &blocks {
        let found = match between(&doc, name) {
            Ok(found) => found,
            Err(e) => {
                stale.push(format!(
                    "{e}; add the pair of markers where the table belongs"
                ));
                continue;
            }
        };
        let expected = format!("\n{body}");
        if found != expected {
            stale.push(format!(
                "the `{name}` table is stale; {}",
                first_difference(found, &expected)
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nRegenerate with: PATRONFALL_BLESS=1 cargo test -p patronfall-model --test docs",
        stale.join("\n")
    );
}

/// The bold names of the numbered list between the `day-order` markers.
fn listed_day_order(doc: &str) -> Result<Vec<String>, String> {
    let block = between(doc, "day-order")?;
    let mut names = Vec::new();
    for line in block.lines().map(str::trim) {
        let Some((number, rest)) = line.split_once(". ") else {
            continue;
        };
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if number != (names.len() + 1).to_string() {
            return Err(format!(
                "day-order item `{line}` is numbered {number}, expected {}",
                names.len() + 1
            ));
        }
        let name = rest
            .strip_prefix("**")
            .and_then(|r| r.split_once("**"))
            .map(|(name, _)| name.to_string())
            .ok_or_else(|| {
                format!("day-order item `{line}` does not start with a **bold** name")
            })?;
        names.push(name);
    }
    Ok(names)
}

#[test]
fn day_order_in_doc_matches_day_order() {
    let doc = read_doc();
    let listed = listed_day_order(&doc).unwrap_or_else(|e| panic!("{e}"));
    let expected: Vec<String> = DAY_ORDER.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        listed, expected,
        "the day order in docs/model.md (left) differs from mechanisms::DAY_ORDER (right); \
         edit the numbered list between the day-order markers by hand"
    );
}

#[test]
fn every_mechanism_has_a_submodel_heading() {
    let doc = read_doc();
    let headings: Vec<String> = doc
        .lines()
        .filter(|l| l.starts_with("###"))
        .map(str::to_lowercase)
        .collect();
    let missing: Vec<&str> = DAY_ORDER
        .iter()
        .copied()
        .filter(|m| !headings.iter().any(|h| h.contains(&m.to_lowercase())))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/model.md has no `###` heading naming {missing:?}"
    );
}

#[test]
fn every_parameter_is_discussed_outside_the_table() {
    let doc = read_doc();
    let mut prose = doc.clone();
    for (name, _) in generated_blocks() {
        if let Ok(block) = between(&doc, &name) {
            prose = prose.replacen(block, "", 1);
        }
    }
    let missing: Vec<&str> = PARAMETERS
        .iter()
        .map(|p| p.name)
        .filter(|name| !prose.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "these parameters appear only in generated tables of docs/model.md; \
         say in their submodel what they do: {missing:?}"
    );
}

#[test]
fn replace_between_swaps_only_the_marked_block() {
    let doc = "a\n<!-- t:begin -->\nold\n<!-- t:end -->\nb\n";
    let new = replace_between(doc, "t", "new\n").unwrap();
    assert_eq!(new, "a\n<!-- t:begin -->\nnew\n<!-- t:end -->\nb\n");
    assert_eq!(between(&new, "t").unwrap(), "\nnew\n");
    assert!(between("no markers here", "t").is_err());
    assert!(between("<!-- t:end --> <!-- t:begin -->", "t").is_err());
}

#[test]
fn day_order_parser_reads_bold_names_and_checks_numbering() {
    let doc = "<!-- day-order:begin -->\n1. **events** — first\n2. **M1 patron** — then\n<!-- day-order:end -->";
    assert_eq!(
        listed_day_order(doc).unwrap(),
        vec!["events".to_string(), "M1 patron".to_string()]
    );
    let skipped = "<!-- day-order:begin -->\n1. **a**\n3. **b**\n<!-- day-order:end -->";
    assert!(listed_day_order(skipped).is_err());
    let plain = "<!-- day-order:begin -->\n1. a\n<!-- day-order:end -->";
    assert!(listed_day_order(plain).is_err());
}

#[test]
fn table_cells_escape_pipes() {
    assert_eq!(cell("a | b\nc"), "a \\| b c");
    let table = parameter_table();
    assert_eq!(table.lines().count(), PARAMETERS.len() + 2);
    assert_eq!(outcome_table().lines().count(), Outcome::ALL.len() + 2);
}
