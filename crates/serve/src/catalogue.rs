//! The figures one may change in a what-if, searchable: every figure the
//! scenario file writes (as `patronfall_scenario::diff` names them), with
//! its value as written, whether it is uncertain, the sources it rests on
//! and whether those are the analyst's assumptions. A lever's setting in a
//! course of action (`coa.border_first.set[1].value`) is one of them,
//! labelled with the lever it sets.

use patronfall_scenario::Scenario;
use patronfall_scenario::trace::Basis;
use serde::Serialize;

/// One figure.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// Its path.
    pub path: String,
    /// What it is, for people, where the path does not say (a lever's
    /// setting: the lever, the course of action and the day).
    pub label: String,
    /// Its value as written.
    pub value: String,
    /// Whether it is an uncertain figure (a range or a distribution).
    pub uncertain: bool,
    /// The source keys it rests on.
    pub sources: Vec<String>,
    /// `sourced`, `mixed`, `assumption` or `unsourced`.
    pub basis: &'static str,
}

/// Every figure of the scenario `text` (read as `scenario`), in path
/// order; text (names, descriptions, ids, references) is left out.
pub fn of(scenario: &Scenario, text: &str) -> Vec<Figure> {
    let Ok(all) = patronfall_scenario::diff::figures(text) else {
        return Vec::new();
    };
    let assumed = scenario.assumption_keys();
    all.iter()
        .filter(|(path, value)| {
            !value.starts_with('"')
                && !value.starts_with("[\"")
                && !path.starts_with("source.")
                && !path.starts_with("scenario.")
        })
        .map(|(path, value)| {
            let uncertain = scenario.uncertainties.iter().find(|u| &u.path == path);
            let sources = match uncertain {
                Some(u) => u.sources.clone(),
                None => entity_sources(&all, path),
            };
            let basis = Basis::of(&sources, |k| assumed.contains(&k)).name();
            Figure {
                path: path.clone(),
                label: label(&all, path),
                value: value.clone(),
                uncertain: uncertain.is_some(),
                sources,
                basis,
            }
        })
        .collect()
}

/// The keys the most specific entity above `path` cites (`sources = [...]`).
fn entity_sources(all: &std::collections::BTreeMap<String, String>, path: &str) -> Vec<String> {
    let mut prefix = path;
    while let Some(cut) = prefix.rfind('.') {
        prefix = &prefix[..cut];
        if let Some(list) = all.get(&format!("{prefix}.sources")) {
            return list
                .split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
        }
    }
    Vec::new()
}

/// A lever's setting in a course of action, named: `lever X, day D`.
fn label(all: &std::collections::BTreeMap<String, String>, path: &str) -> String {
    let Some(entry) = path.strip_suffix(".value") else {
        return String::new();
    };
    match all.get(&format!("{entry}.lever")) {
        Some(lever) => {
            let day = all
                .get(&format!("{entry}.day"))
                .map(|d| format!(", day {d}"))
                .unwrap_or_default();
            format!("lever {}{day}", lever.trim_matches('"'))
        }
        None => String::new(),
    }
}

/// The figures whose path or label holds every word of `query` (any
/// case), at most `limit` of them.
pub fn search<'a>(figures: &'a [Figure], query: &str, limit: usize) -> Vec<&'a Figure> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    figures
        .iter()
        .filter(|f| {
            let hay = format!("{} {}", f.path, f.label).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_figures_are_listed_with_their_sources_and_levers_named() {
        let text = patronfall_scenario::builtin_text("iraq-after-tehran").unwrap();
        let s = patronfall_scenario::parse("iraq.toml", text).unwrap();
        let all = of(&s, text);
        let bf = search(&all, "border_forces fighters", 10);
        let f = bf
            .iter()
            .find(|f| f.path == "armed_group.border_forces.fighters")
            .expect("listed");
        assert!(f.uncertain);
        assert_eq!(f.value, "[20000, 40000]");
        assert!(f.sources.contains(&"S40".to_string()), "{:?}", f.sources);
        assert_eq!(f.basis, "mixed");
        let lever = search(&all, "border_first border_surge_border_forces", 10);
        assert_eq!(lever.len(), 1, "{lever:?}");
        assert_eq!(lever[0].label, "lever border_surge_border_forces, day 1");
        assert!(all.iter().all(|f| !f.value.starts_with('"')));
        assert!(search(&all, "", 5).len() == 5);
    }
}
