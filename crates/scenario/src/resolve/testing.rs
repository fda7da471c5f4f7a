//! What the rooms' tests share: the template with edits, and the problems a
//! text gives as (field, line, message), with their help on request.

use crate::{TEMPLATE, error::line_col, parse};

/// One problem as a test states it: the field, the 1-based line (0 when
/// the problem has no place in the file) and the message.
pub(super) type Found = (String, usize, String);

/// The template with each `(from, to)` edit applied once; every edit must
/// apply, so a test cannot pass on text it did not change.
pub(super) fn template_with(edits: &[(&str, &str)]) -> String {
    let mut text = TEMPLATE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "the template holds {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// The template with `extra` added at its end, and the line `extra`'s first
/// line lands on.
pub(super) fn template_and(extra: &str) -> (String, usize) {
    let first = TEMPLATE.lines().count() + 1;
    (format!("{TEMPLATE}{extra}"), first)
}

/// The 1-based line of the one place `needle` occurs in `text`.
pub(super) fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} occurs once");
    line_col(text, text.find(needle).expect("found")).0
}

/// Every problem the text gives, with its help, in the order reported.
pub(super) fn problems_with_help(text: &str) -> Vec<(Found, String)> {
    match parse("s.toml", text) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .problems
            .iter()
            .map(|p| {
                let line = p.span.as_ref().map_or(0, |s| line_col(text, s.start).0);
                ((p.field.clone(), line, p.message.clone()), p.help.clone())
            })
            .collect(),
    }
}

/// Every problem the text gives, in the order reported.
pub(super) fn problems(text: &str) -> Vec<Found> {
    problems_with_help(text).into_iter().map(|p| p.0).collect()
}

/// A problem as a test expects it.
pub(super) fn found(field: &str, line: usize, message: &str) -> Found {
    (field.to_string(), line, message.to_string())
}

/// The table of docs/scenario-format.md's section `title` (for example
/// "## 6. Event kinds"): the whole section, and the fields column of the row
/// of each of `names`, in their order. Fails the test when the section has
/// another number of rows or a name has none.
pub(super) fn documented_kinds(title: &str, names: &[&str]) -> (&'static str, Vec<&'static str>) {
    let doc = include_str!("../../../../docs/scenario-format.md");
    let section = doc
        .split(title)
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("{title}"));
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), names.len(), "{rows:#?}");
    let fields = names
        .iter()
        .map(|name| {
            let row = rows
                .iter()
                .find(|r| r.starts_with(&format!("| `{name}` |")))
                .unwrap_or_else(|| panic!("a row for {name}"));
            row.split(" | ").nth(1).expect("a fields column")
        })
        .collect();
    (section, fields)
}
