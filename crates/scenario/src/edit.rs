//! Changing figures of a scenario file by path, keeping everything else as
//! written, for what-ifs (`patronfall serve`).
//!
//! A figure is addressed by the path [`diff`](crate::diff) gives it
//! (`armed_group.border_forces.fighters`, `tie.iran->kh.funds.weight`,
//! `armed_group.kh.allocation.baghdad.share`): an entry of a list of tables
//! by its name, an entry with no name by its number (`coa.passive.set[2]`).
//! The new value is TOML text (`[40000, 80000]`, `0.5`,
//! `{ dist = "triangular", low = 1, mode = 2, high = 3 }`). A figure an
//! entry leaves to its default is written into it.
//!
//! The file's comments, order and layout stay; each changed figure in a
//! table gets a comment line above it with its old value and the note, and
//! the file opens with a block that lists every change. Nothing here
//! validates the result: the caller parses it as any scenario file, so a
//! what-if is held to the same rules, with the same messages, as a file.

use std::fmt;
use toml_edit::{DocumentMut, Item, TableLike, Value};

/// One figure to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The figure's path.
    pub path: String,
    /// Its new value, as TOML text.
    pub value: String,
}

/// One figure changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The figure's path.
    pub path: String,
    /// Its value as written before; `None` where the file left it to its
    /// default.
    pub was: Option<String>,
    /// Its value as written now.
    pub now: String,
}

/// Why an edit could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// The scenario text is not TOML (the reader's message).
    NotToml(String),
    /// The new value is not a TOML value.
    BadValue {
        /// The figure's path.
        path: String,
        /// The value as given.
        value: String,
        /// The TOML reader's message.
        message: String,
    },
    /// No entry or table of the file has this path.
    NoSuchFigure(String),
    /// The path names a table or a list of entries, not one figure.
    NotAFigure(String),
    /// The same figure is changed twice.
    Twice(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotToml(m) => write!(f, "the scenario is not TOML: {m}"),
            EditError::BadValue {
                path,
                value,
                message,
            } => write!(
                f,
                "`{path}`: `{value}` is not a TOML value ({}); write a number (`30000`), a range \
                 (`[20000, 40000]`) or a distribution (`{{ dist = \"triangular\", low = 1, mode = 2, high = 3 }}`)",
                message.trim()
            ),
            EditError::NoSuchFigure(p) => write!(
                f,
                "`{p}` names no figure of the scenario: an entry of a list is named by its id \
                 (`armed_group.kh.fighters`), a tie by its ends and kind (`tie.iran->kh.funds.weight`)"
            ),
            EditError::NotAFigure(p) => write!(
                f,
                "`{p}` is a table or a list of entries, not one figure; name a figure inside it"
            ),
            EditError::Twice(p) => write!(f, "`{p}` is changed twice; change it once"),
        }
    }
}

impl std::error::Error for EditError {}

/// The scenario `text` with every edit made, and what changed. `note`
/// (one line) is written beside each change, e.g. who made it and why.
pub fn apply(text: &str, edits: &[Edit], note: &str) -> Result<(String, Vec<Change>), EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::NotToml(e.to_string()))?;
    let note = one_line(note);
    let mut changes = Vec::with_capacity(edits.len());
    for (i, e) in edits.iter().enumerate() {
        if edits[..i].iter().any(|o| o.path == e.path) {
            return Err(EditError::Twice(e.path.clone()));
        }
        let mut value: Value =
            e.value
                .trim()
                .parse()
                .map_err(|m: toml_edit::TomlError| EditError::BadValue {
                    path: e.path.clone(),
                    value: e.value.clone(),
                    message: m.to_string(),
                })?;
        value.decor_mut().clear();
        let now = value.to_string();
        let comment = |was: &Option<String>| match was {
            Some(w) => format!("what-if: was {}; {note}", short(w)),
            None => format!("what-if: not set before; {note}"),
        };
        let was = set(doc.as_table_mut(), &e.path, &e.path, value, false, &comment)?;
        changes.push(Change {
            path: e.path.clone(),
            was,
            now,
        });
    }
    let mut header = String::from("# What-if: figures changed from the scenario as first read.\n");
    if !note.is_empty() {
        header.push_str(&format!("# {note}\n"));
    }
    for c in &changes {
        header.push_str(&format!(
            "#   {}: {} -> {}\n",
            c.path,
            c.was.as_deref().map_or("(not set)".to_string(), short),
            short(&c.now)
        ));
    }
    header.push('\n');
    Ok((format!("{header}{doc}"), changes))
}

/// `text` on one line, so that it can sit in a comment.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value's text for a comment: on one line, and cut short past 100
/// characters.
fn short(text: &str) -> String {
    let line = one_line(text);
    match line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// Whether a table is one figure written as a distribution or with its
/// source (as [`diff`](crate::diff) reads it).
fn is_quantity(t: &dyn TableLike) -> bool {
    t.contains_key("dist") || t.contains_key("value")
}

/// An entry's name as [`diff`](crate::diff) gives it.
fn name_of(t: &dyn TableLike) -> Option<String> {
    let text = |k: &str| t.get(k).and_then(|v| v.as_str());
    if let Some(id) = crate::diff::ENTRY_KEYS.into_iter().find_map(text) {
        return Some(id.to_string());
    }
    match (text("from"), text("to"), text("kind")) {
        (Some(from), Some(to), Some(kind)) => Some(format!("{from}->{to}.{kind}")),
        (Some(from), Some(to), None) => Some(format!("{from}->{to}")),
        _ => None,
    }
}

/// The figure at `rest` under `table` set to `value`; returns its old text.
/// `inline` tables cannot hold a comment line.
fn set(
    table: &mut dyn TableLike,
    rest: &str,
    path: &str,
    value: Value,
    inline: bool,
    comment: &dyn Fn(&Option<String>) -> String,
) -> Result<Option<String>, EditError> {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for key in &keys {
        if rest == key.as_str() {
            let Some(item) = table.get_mut(key) else {
                continue;
            };
            let figure = match &*item {
                Item::Value(Value::InlineTable(t)) => is_quantity(t),
                Item::Value(Value::Array(a)) => {
                    a.is_empty() || !a.iter().all(|v| v.is_inline_table())
                }
                Item::Value(_) => true,
                Item::Table(t) => is_quantity(t),
                _ => false,
            };
            if !figure {
                return Err(EditError::NotAFigure(path.to_string()));
            }
            let was = match &*item {
                Item::Value(v) => {
                    let mut v = v.clone();
                    v.decor_mut().clear();
                    v.to_string()
                }
                other => other.to_string().trim().to_string(),
            };
            let mut value = value;
            if let Item::Value(old) = &*item {
                *value.decor_mut() = old.decor().clone();
            } else {
                value.decor_mut().set_prefix(" ");
            }
            *item = Item::Value(value);
            let was = Some(was);
            if !inline {
                annotate(table, key, &comment(&was));
            }
            return Ok(was);
        }
        let Some(sub) = rest.strip_prefix(key.as_str()).and_then(|r| {
            r.strip_prefix('.')
                .or_else(|| r.starts_with('[').then_some(r))
        }) else {
            continue;
        };
        let Some(item) = table.get_mut(key) else {
            continue;
        };
        match item {
            Item::Table(t) if !is_quantity(t) && !sub.starts_with('[') => {
                return set(t, sub, path, value, false, comment);
            }
            Item::Value(Value::InlineTable(t)) if !is_quantity(t) && !sub.starts_with('[') => {
                return set(t, sub, path, value, true, comment);
            }
            Item::ArrayOfTables(list) => {
                for (i, t) in list.iter_mut().enumerate() {
                    if let Some(inner) = entry_rest(t, i, sub) {
                        let inner = inner.to_string();
                        return set(t, &inner, path, value, false, comment);
                    }
                }
            }
            Item::Value(Value::Array(list)) => {
                for (i, v) in list.iter_mut().enumerate() {
                    let Value::InlineTable(t) = v else { continue };
                    if let Some(inner) = entry_rest(t, i, sub) {
                        let inner = inner.to_string();
                        return set(t, &inner, path, value, true, comment);
                    }
                }
            }
            _ => {}
        }
    }
    // A figure the table leaves to its default: written in, if the rest of
    // the path is one plain key (the scenario reader then says whether the
    // table may hold it).
    let plain = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain && path != rest {
        let mut value = value;
        value.decor_mut().set_prefix(" ");
        table.insert(rest, Item::Value(value));
        if !inline {
            annotate(table, rest, &comment(&None));
        }
        return Ok(None);
    }
    Err(EditError::NoSuchFigure(path.to_string()))
}

/// The rest of the path inside entry `i` of a list, if the path goes
/// through that entry (named, or numbered `[i]` when it has no name).
fn entry_rest<'p>(t: &dyn TableLike, i: usize, sub: &'p str) -> Option<&'p str> {
    let name = match name_of(t) {
        Some(n) => n,
        None => {
            let numbered = format!("[{i}]");
            return sub
                .strip_prefix(numbered.as_str())
                .and_then(|r| r.strip_prefix('.'));
        }
    };
    if sub.starts_with('[') {
        return None;
    }
    sub.strip_prefix(name.as_str())
        .and_then(|r| r.strip_prefix('.'))
}

/// Puts a comment line above `key` in `table`, after any comment already
/// there, at the key's indentation.
fn annotate(table: &mut dyn TableLike, key: &str, comment: &str) {
    let Some(mut k) = table.key_mut(key) else {
        return;
    };
    let decor = k.leaf_decor_mut();
    let old = decor
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .to_string();
    let cut = old.rfind('\n').map_or(0, |i| i + 1);
    let (head, indent) = old.split_at(cut);
    decor.set_prefix(format!("{head}{indent}# {comment}\n{indent}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"[scenario]
id = "x"

# The guards.
[[armed_group]]
id = "kh"
fighters = [1000, 2000] # a range
allocation = [
  { segment = "north", share = 0.4 },
  { segment = "south", share = 0.6 },
]

[[tie]]
from = "iran"
to = "kh"
kind = "funds"
weight = [0.3, 0.5]
"#;

    fn edit(path: &str, value: &str) -> Edit {
        Edit {
            path: path.into(),
            value: value.into(),
        }
    }

    #[test]
    fn a_figure_changes_by_its_path_and_the_rest_stays() {
        let (text, changes) = apply(
            A,
            &[
                edit("armed_group.kh.fighters", "[2000, 4000]"),
                edit("tie.iran->kh.funds.weight", "0.45"),
                edit("armed_group.kh.allocation.south.share", "0.5"),
            ],
            "twice the guards",
        )
        .unwrap();
        assert!(text.contains("fighters = [2000, 4000] # a range"), "{text}");
        assert!(text.contains("weight = 0.45"), "{text}");
        assert!(
            text.contains("{ segment = \"south\", share = 0.5 }"),
            "{text}"
        );
        assert!(text.contains("# The guards."), "{text}");
        assert!(
            text.contains("# what-if: was [1000, 2000]; twice the guards\nfighters"),
            "{text}"
        );
        assert_eq!(changes[0].was.as_deref(), Some("[1000, 2000]"));
        assert_eq!(changes[1].now, "0.45");
        // The diff of the two files names exactly the changed figures.
        let d = crate::diff::diff(A, &text).unwrap();
        let paths: Vec<&str> = d.figures.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "armed_group.kh.allocation.south.share",
                "armed_group.kh.fighters",
                "tie.iran->kh.funds.weight"
            ]
        );
    }

    #[test]
    fn a_default_is_written_in_and_bad_paths_and_values_are_refused() {
        let (text, changes) = apply(A, &[edit("armed_group.kh.morale", "0.7")], "").unwrap();
        assert!(text.contains("morale = 0.7"), "{text}");
        assert_eq!(changes[0].was, None);
        assert_eq!(
            apply(A, &[edit("armed_group.nobody.fighters", "1")], ""),
            Err(EditError::NoSuchFigure(
                "armed_group.nobody.fighters".into()
            ))
        );
        assert_eq!(
            apply(A, &[edit("armed_group", "1")], ""),
            Err(EditError::NotAFigure("armed_group".into()))
        );
        assert!(matches!(
            apply(A, &[edit("armed_group.kh.fighters", "[1, ")], ""),
            Err(EditError::BadValue { .. })
        ));
        let twice = [
            edit("armed_group.kh.fighters", "1"),
            edit("armed_group.kh.fighters", "2"),
        ];
        assert!(matches!(apply(A, &twice, ""), Err(EditError::Twice(_))));
    }

    #[test]
    fn every_figure_of_the_built_in_scenario_can_be_set() {
        let text = crate::builtin_text("iraq-after-tehran").unwrap();
        let figures = crate::diff::figures(text).unwrap();
        let same: Vec<Edit> = figures.iter().map(|(p, v)| edit(p, v)).collect();
        let (out, changes) = apply(text, &same, "same value").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(changes.len(), figures.len());
        assert!(crate::diff::diff(text, &out).unwrap().figures.is_empty());
    }

    #[test]
    fn twice_the_border_forces_is_a_valid_scenario() {
        let text = crate::builtin_text("iraq-after-tehran").unwrap();
        let (out, _) = apply(
            text,
            &[edit("armed_group.border_forces.fighters", "[40000, 80000]")],
            "twice the border forces",
        )
        .unwrap();
        let s = crate::parse("what-if.toml", &out).unwrap_or_else(|e| panic!("{}", e.render()));
        let u = s
            .uncertainties
            .iter()
            .find(|u| u.path == "armed_group.border_forces.fighters")
            .unwrap();
        assert_eq!(u.min.max(u.dist.quantile(0.0)), 40000.0);
    }
}
