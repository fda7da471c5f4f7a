//! Which sources an uncertain figure rests on, and whether they are the
//! analyst's assumptions.
//!
//! A figure cites a source with `source = "KEY"` in its table form, and its
//! entity (an actor, pool, crossing, tie, event, stakeholder, …) with
//! `sources = [...]` (docs/scenario-format.md, section 4). A figure rests
//! on its own key, then on the keys of the most specific entity it is
//! written under that cites any (a pool's before its state's).
//!
//! A source is an **analyst assumption** when its title says so (contains
//! "assumption", as the convention `A1 = "Analyst assumption, no published
//! figure"` does). A figure's [`Basis`] says whether its keys are
//! published sources, assumptions, both, or none.

use crate::{SourceRef, Uncertainty};

/// What a figure (or a group of figures) rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Published sources only.
    Sourced,
    /// Published sources and an analyst assumption (a sourced order of
    /// magnitude, an assumed range).
    Mixed,
    /// Analyst assumptions only.
    Assumption,
    /// No source key at all.
    Unsourced,
}

impl Basis {
    /// The name used in JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Sourced => "sourced",
            Basis::Mixed => "mixed",
            Basis::Assumption => "assumption",
            Basis::Unsourced => "unsourced",
        }
    }

    /// The basis of source keys, given which keys are assumptions.
    pub fn of(keys: &[String], is_assumption: impl Fn(&str) -> bool) -> Basis {
        let assumed = keys.iter().filter(|k| is_assumption(k)).count();
        match (keys.len(), assumed) {
            (0, _) => Basis::Unsourced,
            (n, a) if a == n => Basis::Assumption,
            (_, 0) => Basis::Sourced,
            _ => Basis::Mixed,
        }
    }

    /// The basis of several figures together: the one they share, or
    /// `Mixed` if they differ.
    pub fn combine(bases: impl IntoIterator<Item = Basis>) -> Option<Basis> {
        let mut out: Option<Basis> = None;
        for b in bases {
            out = Some(match out {
                None => b,
                Some(a) if a == b => a,
                Some(_) => Basis::Mixed,
            });
        }
        out
    }

    /// Whether it rests, at least in part, on an analyst assumption.
    pub fn rests_on_assumption(self) -> bool {
        matches!(self, Basis::Mixed | Basis::Assumption)
    }
}

/// Whether a source is an analyst assumption: its title contains
/// "assumption" (any case).
pub fn is_assumption(source: &SourceRef) -> bool {
    source.title.to_lowercase().contains("assumption")
}

/// Appends to every figure the keys of the most specific entity it is
/// written under that cites any (`cited`: entity path → its keys).
pub(crate) fn with_entity_sources(
    mut uncertainties: Vec<Uncertainty>,
    cited: &[(String, Vec<String>)],
) -> Vec<Uncertainty> {
    for u in &mut uncertainties {
        let entity = cited
            .iter()
            .filter(|(prefix, keys)| {
                !keys.is_empty()
                    && u.path.len() > prefix.len()
                    && u.path.starts_with(prefix.as_str())
                    && u.path.as_bytes()[prefix.len()] == b'.'
            })
            .max_by_key(|(prefix, _)| prefix.len());
        if let Some((_, keys)) = entity {
            for k in keys {
                if !u.sources.contains(k) {
                    u.sources.push(k.clone());
                }
            }
        }
    }
    uncertainties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_of_keys() {
        let a = |k: &str| k.starts_with('A');
        let keys = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(Basis::of(&keys(&["S1", "S2"]), a), Basis::Sourced);
        assert_eq!(Basis::of(&keys(&["S1", "A1"]), a), Basis::Mixed);
        assert_eq!(Basis::of(&keys(&["A1"]), a), Basis::Assumption);
        assert_eq!(Basis::of(&[], a), Basis::Unsourced);
        assert_eq!(
            Basis::combine([Basis::Sourced, Basis::Sourced]),
            Some(Basis::Sourced)
        );
        assert_eq!(
            Basis::combine([Basis::Sourced, Basis::Assumption]),
            Some(Basis::Mixed)
        );
        assert_eq!(Basis::combine([]), None);
        assert!(Basis::Mixed.rests_on_assumption() && !Basis::Unsourced.rests_on_assumption());
    }

    #[test]
    fn figures_rest_on_their_own_key_then_their_most_specific_entity() {
        let s = crate::open("iraq-after-tehran").unwrap();
        // A figure with its own key keeps it first.
        let own = s
            .uncertainties
            .iter()
            .find(|u| u.path == "state.iran.capacity")
            .unwrap();
        assert_eq!(own.sources.first().map(String::as_str), Some("S62"));
        // A pool's figure rests on the pool's keys, not only the state's.
        let pool = s
            .uncertainties
            .iter()
            .find(|u| u.path.starts_with("state.iran.pool.") && u.path.ends_with(".people"))
            .unwrap();
        assert!(!pool.sources.is_empty(), "{}", pool.path);
        // The built-in scenario's assumption key is recognised, and some
        // figures rest on it alone.
        let assumed = s.assumption_keys();
        assert_eq!(assumed, ["A1"]);
        let bases: Vec<Basis> = s
            .uncertainties
            .iter()
            .map(|u| Basis::of(&u.sources, |k| assumed.contains(&k)))
            .collect();
        assert!(bases.contains(&Basis::Assumption) && bases.contains(&Basis::Sourced));
    }
}
