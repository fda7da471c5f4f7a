//! What differs between two versions of a scenario file, figure by figure
//! and entry by entry, for `patronfall compare`.
//!
//! Both texts are read as TOML (no validation: the caller has already
//! opened both as scenarios) and flattened into figures addressed by the
//! same paths as the uncertain figures (`armed_group.kh.fighters`,
//! `tie.iran->kh.funds.weight`): an entry of a list of tables is named by
//! its `id` (or a source by its `key`, a tie by `from->to.kind`), so that
//! adding an entry does not rename the others; an entry with no name is
//! numbered (`coa.passive.set[2]`). A figure's text is its TOML value as
//! written (a range stays `[20000, 40000]`).
//!
//! An entry added or removed (an actor, a tie, a lever, a source) is one
//! [`EntryChange`]; the figures inside it are not listed again. A figure
//! that differs, or that one version sets and the other leaves to its
//! default, inside an entry both versions have, is a [`FigureChange`].

use std::collections::{BTreeMap, BTreeSet};

/// A figure that differs between the two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureChange {
    /// Its path.
    pub path: String,
    /// Its TOML text in the first version; `None` where it is not written.
    pub a: Option<String>,
    /// Its TOML text in the second version; `None` where it is not written.
    pub b: Option<String>,
}

/// An entry of a list of tables that one version has and the other not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryChange {
    /// Its path: the list and the entry's name (`armed_group.kh`).
    pub path: String,
    /// Whether the second version adds it (`false`: removes it).
    pub added: bool,
}

/// The differences between two versions of a scenario file, each list in
/// path order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileDiff {
    /// Figures that differ inside entries both versions have.
    pub figures: Vec<FigureChange>,
    /// Entries added or removed.
    pub entries: Vec<EntryChange>,
}

/// The differences from `a` to `b`, two scenario texts; the error is the
/// TOML reader's, for a text that is not TOML.
pub fn diff(a: &str, b: &str) -> Result<FileDiff, toml::de::Error> {
    let (fa, ea) = flatten(a)?;
    let (fb, eb) = flatten(b)?;
    let inside_changed = |path: &str| {
        ea.symmetric_difference(&eb)
            .any(|e| path.starts_with(e.as_str()) && path[e.len()..].starts_with('.'))
    };
    let entries = ea
        .symmetric_difference(&eb)
        .filter(|e| !inside_changed(e))
        .map(|e| EntryChange {
            path: e.clone(),
            added: eb.contains(e),
        })
        .collect();
    let paths: BTreeSet<&String> = fa.keys().chain(fb.keys()).collect();
    let figures = paths
        .into_iter()
        .filter(|p| fa.get(*p) != fb.get(*p) && !inside_changed(p))
        .map(|p| FigureChange {
            path: p.clone(),
            a: fa.get(p).cloned(),
            b: fb.get(p).cloned(),
        })
        .collect();
    Ok(FileDiff { figures, entries })
}

/// Every figure of a scenario text by path, with its TOML text as written
/// (for lists of the figures one may change, `patronfall serve`); the
/// error is the TOML reader's.
pub fn figures(text: &str) -> Result<BTreeMap<String, String>, toml::de::Error> {
    flatten(text).map(|(figures, _)| figures)
}

/// The keys that name an entry of a list of tables, in the order they are
/// tried (before a tie's `from->to.kind`).
pub const ENTRY_KEYS: [&str; 5] = ["id", "key", "actor", "segment", "region"];

/// Every figure of a text by path, and the paths of its named entries.
type Flat = (BTreeMap<String, String>, BTreeSet<String>);

fn flatten(text: &str) -> Result<Flat, toml::de::Error> {
    let table: toml::Table = toml::from_str(text)?;
    let mut out = (BTreeMap::new(), BTreeSet::new());
    walk_table("", &table, &mut out);
    Ok(out)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk_table(prefix: &str, table: &toml::Table, out: &mut Flat) {
    for (key, value) in table {
        let path = join(prefix, key);
        match value {
            toml::Value::Table(t) if !is_quantity(t) => walk_table(&path, t, out),
            toml::Value::Array(items)
                if !items.is_empty() && items.iter().all(|v| v.is_table()) =>
            {
                for (i, item) in items.iter().enumerate() {
                    let Some(t) = item.as_table() else { continue };
                    let entry = match name_of(t) {
                        Some(name) => join(&path, &name),
                        None => format!("{path}[{i}]"),
                    };
                    out.1.insert(entry.clone());
                    walk_table(&entry, t, out);
                }
            }
            other => {
                out.0.insert(path, other.to_string());
            }
        }
    }
}

/// Whether a table is one figure written as a distribution
/// (`{ dist = "triangular", low = …, … }`, `{ value = …, source = … }`):
/// its whole text is the figure.
fn is_quantity(t: &toml::Table) -> bool {
    t.contains_key("dist") || t.contains_key("value")
}

/// The name of an entry of a list of tables, as the uncertain figures'
/// paths name it: its `id`, a source's `key`, a stakeholder's `actor`, a
/// share's `segment` or `region`, a tie's `from->to.kind`.
fn name_of(t: &toml::Table) -> Option<String> {
    let text = |k: &str| t.get(k).and_then(|v| v.as_str());
    if let Some(id) = ENTRY_KEYS.into_iter().find_map(text) {
        return Some(id.to_string());
    }
    match (text("from"), text("to"), text("kind")) {
        (Some(from), Some(to), Some(kind)) => Some(format!("{from}->{to}.{kind}")),
        (Some(from), Some(to), None) => Some(format!("{from}->{to}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"
[scenario]
id = "x"
[[armed_group]]
id = "kh"
fighters = [1000, 2000]
morale = 0.5
[[armed_group]]
id = "bf"
fighters = 300
[[tie]]
from = "iran"
to = "kh"
kind = "funds"
weight = [0.3, 0.5]
"#;

    #[test]
    fn figures_are_named_by_path_and_entries_by_id() {
        let b = A
            .replace("fighters = 300", "fighters = 600\nfill_rate = 0.7")
            .replace("morale = 0.5\n", "")
            .replace(
                "[[tie]]",
                "[[armed_group]]\nid = \"new\"\nfighters = 5\n[[tie]]",
            );
        let d = diff(A, &b).unwrap();
        assert_eq!(
            d.entries,
            [EntryChange {
                path: "armed_group.new".into(),
                added: true
            }]
        );
        let paths: Vec<&str> = d.figures.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "armed_group.bf.fighters",
                "armed_group.bf.fill_rate",
                "armed_group.kh.morale"
            ]
        );
        assert_eq!(d.figures[0].a.as_deref(), Some("300"));
        assert_eq!(d.figures[0].b.as_deref(), Some("600"));
        assert_eq!(d.figures[1].a, None);
        assert_eq!(d.figures[2].b, None);
        let reversed = diff(&b, A).unwrap();
        assert!(!reversed.entries[0].added);
        assert_eq!(diff(A, A).unwrap(), FileDiff::default());
    }

    #[test]
    fn a_tie_is_named_by_its_ends_and_kind_like_its_uncertain_figures() {
        let b = A.replace("weight = [0.3, 0.5]", "weight = [0.3, 0.6]");
        let d = diff(A, &b).unwrap();
        assert_eq!(d.figures[0].path, "tie.iran->kh.funds.weight");
        assert_eq!(d.figures[0].b.as_deref(), Some("[0.3, 0.6]"));
        let s = crate::open("iraq-after-tehran").unwrap();
        let (figures, _) = flatten(crate::builtin_text("iraq-after-tehran").unwrap()).unwrap();
        let unnamed: Vec<&str> = s
            .uncertainties
            .iter()
            .map(|u| u.path.as_str())
            .filter(|p| !figures.contains_key(*p))
            .collect();
        assert!(
            unnamed.len() * 10 < s.uncertainties.len(),
            "most uncertain figures keep their path in the file's diff: {unnamed:?}"
        );
    }

    #[test]
    fn text_that_is_not_toml_is_the_readers_error() {
        assert!(diff("a = ", A).is_err());
    }
}
