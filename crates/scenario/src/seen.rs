//! `[[seen]]`: what an analyst saw of an indicator on a day of a past case.
//!
//! A past case's `[[observed]]` milestones say what happened (the client
//! collapsed on a day, or still stood); its `[[seen]]` entries say what
//! could be seen on the way there: one indicator's value, or a range for
//! an uncertain reading, on one of its observation days, with the sources
//! it rests on. They are the entries of an observations file
//! (`patronfall update --observed`) kept in the case with their sources,
//! and `patronfall backtest --signposts` feeds the early ones to the same
//! update. Like milestones they are never model input.

use crate::error::Problem;
use crate::indicators::Indicator;
use crate::raw::{Id, Sp};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeSet;

/// `[[seen]]` as written.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawSeen {
    /// The indicator seen (an `[[indicator]]` id of this scenario).
    pub indicator: Id,
    /// The day it was known: one of the indicator's `days`.
    pub day: Sp<u32>,
    /// The value seen, in the indicator's unit.
    pub value: Option<Sp<f64>>,
    /// Or the range it lay in, `[low, high]`, for an uncertain reading.
    pub range: Option<Sp<Vec<f64>>>,
    /// The calendar date, what was seen, and how it was read as a figure.
    #[serde(default)]
    pub note: String,
    /// Source keys (at least one: a reading is a fact).
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// What was seen: a value, or a range with both ends included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reading {
    /// A value.
    Value(f64),
    /// A range, low ≤ high.
    Range(f64, f64),
}

/// A resolved `[[seen]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    /// Index into [`crate::Scenario::indicators`].
    pub indicator: usize,
    /// The indicator's id.
    pub indicator_id: String,
    /// The day it was known.
    pub day: u32,
    /// The value or range.
    pub reading: Reading,
    /// Calendar date and remarks.
    pub note: String,
    /// Source keys.
    pub sources: Vec<String>,
}

/// Resolves `[[seen]]` against the scenario's indicators; problems are
/// pushed with file positions.
pub(crate) fn resolve(
    seen: &[RawSeen],
    indicators: &[Indicator],
    sources: &BTreeSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Seen> {
    let mut out: Vec<Seen> = Vec::new();
    for (n, raw) in seen.iter().enumerate() {
        let path = format!("seen[{}]", n + 1);
        let mut p = |span: &std::ops::Range<usize>, field: &str, message: String, help: String| {
            problems.push(Problem {
                span: Some(span.clone()),
                field: format!("{path}.{field}"),
                message,
                help,
            });
        };
        let ind = &raw.indicator;
        let found = indicators.iter().position(|i| i.id == ind.value);
        if found.is_none() {
            let known: Vec<&str> = indicators.iter().map(|i| i.id.as_str()).collect();
            p(
                &ind.span,
                "indicator",
                format!("`{}` is not an indicator of this scenario", ind.value),
                format!(
                    "name one of its indicators ({}), or add an [[indicator]] with this id",
                    known.join(", ")
                ),
            );
        }
        let day = raw.day.value;
        if let Some(i) = found
            && !indicators[i].days.contains(&day)
        {
            let days: Vec<String> = indicators[i].days.iter().map(u32::to_string).collect();
            p(
                &raw.day.span,
                "day",
                format!("`{}` is not observed on day {day}", ind.value),
                format!(
                    "give one of its days ({}), or add {day} to the indicator's days",
                    days.join(", ")
                ),
            );
        }
        let reading = match (&raw.value, &raw.range) {
            (Some(_), Some(r)) => {
                p(
                    &r.span,
                    "range",
                    "a value and a range".into(),
                    "give value = <number> or range = [low, high], not both".into(),
                );
                None
            }
            (None, None) => {
                p(
                    &raw.day.span,
                    "value",
                    "nothing seen: no value and no range".into(),
                    "give value = <number>, or range = [low, high] for an uncertain reading".into(),
                );
                None
            }
            (Some(v), None) => {
                if v.value.is_finite() {
                    Some(Reading::Value(v.value))
                } else {
                    p(
                        &v.span,
                        "value",
                        format!("{} is not a finite number", v.value),
                        "give the value seen in the indicator's unit".into(),
                    );
                    None
                }
            }
            (None, Some(r)) => match r.value.as_slice() {
                [lo, hi] if lo.is_finite() && hi.is_finite() && lo <= hi => {
                    Some(Reading::Range(*lo, *hi))
                }
                _ => {
                    p(
                        &r.span,
                        "range",
                        "not [low, high] with two finite numbers, low ≤ high".into(),
                        "write range = [low, high], for example [0.5, 1]".into(),
                    );
                    None
                }
            },
        };
        if raw.sources.is_empty() {
            p(
                &ind.span,
                "sources",
                "no source: what was seen is a fact and needs one".into(),
                "add sources = [\"<key>\"] naming [[source]] entries (publisher, title, year); mark an analyst's reading of a fact as a figure with the assumption's key too".into(),
            );
        }
        for key in &raw.sources {
            if !sources.contains(key.as_str()) {
                p(
                    &key.span,
                    "sources",
                    format!("cites unknown source `{}`", key.value),
                    format!(
                        "add a [[source]] with key = \"{}\" (publisher, title, year), or cite an existing key",
                        key.value
                    ),
                );
            }
        }
        if found.is_some()
            && out
                .iter()
                .any(|s| s.indicator_id == ind.value && s.day == day)
        {
            p(
                &ind.span,
                "indicator",
                format!("`{}` on day {day} is seen twice", ind.value),
                "keep one entry per indicator and day".into(),
            );
            continue;
        }
        if let (Some(indicator), Some(reading)) = (found, reading) {
            out.push(Seen {
                indicator,
                indicator_id: ind.value.clone(),
                day,
                reading,
                note: raw.note.clone(),
                sources: raw.sources.iter().map(|s| s.value.clone()).collect(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Reading;
    use crate::{TEMPLATE, parse};

    const INDICATOR: &str = "[[indicator]]\nid = \"share\"\nname = \"Clients' fighters (share)\"\nobserve = \"client_fighters_share\"\ndays = [5, 10]\nabsolute_error = 0.05\n";

    fn with(extra: &str) -> Result<crate::Scenario, crate::ScenarioError> {
        parse("case.toml", &format!("{TEMPLATE}\n{INDICATOR}\n{extra}"))
    }

    #[test]
    fn a_value_and_a_range_resolve_in_file_order() {
        let s = with(
            "[[seen]]\nindicator = \"share\"\nday = 10\nrange = [0.2, 0.6]\nnote = \"read from a count\"\nsources = [\"A1\"]\n\n[[seen]]\nindicator = \"share\"\nday = 5\nvalue = 0.9\nsources = [\"A1\"]\n",
        )
        .unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(s.seen.len(), 2);
        assert_eq!(s.seen[0].indicator_id, "share");
        assert_eq!(s.indicators[s.seen[0].indicator].id, "share");
        assert_eq!(
            (s.seen[0].day, s.seen[0].reading),
            (10, Reading::Range(0.2, 0.6))
        );
        assert_eq!(s.seen[0].note, "read from a count");
        assert_eq!((s.seen[1].day, s.seen[1].reading), (5, Reading::Value(0.9)));
        assert_eq!(s.seen[1].sources, vec!["A1".to_string()]);
    }

    #[test]
    fn bad_entries_are_named_with_their_field_and_fix() {
        for (table, field) in [
            (
                "indicator = \"nope\"\nday = 5\nvalue = 1\nsources = [\"A1\"]",
                "seen[1].indicator",
            ),
            (
                "indicator = \"share\"\nday = 6\nvalue = 1\nsources = [\"A1\"]",
                "seen[1].day",
            ),
            (
                "indicator = \"share\"\nday = 5\nsources = [\"A1\"]",
                "seen[1].value",
            ),
            (
                "indicator = \"share\"\nday = 5\nvalue = 1\nrange = [0, 1]\nsources = [\"A1\"]",
                "seen[1].range",
            ),
            (
                "indicator = \"share\"\nday = 5\nrange = [1, 0]\nsources = [\"A1\"]",
                "seen[1].range",
            ),
            (
                "indicator = \"share\"\nday = 5\nrange = [0, 1, 2]\nsources = [\"A1\"]",
                "seen[1].range",
            ),
            (
                "indicator = \"share\"\nday = 5\nvalue = nan\nsources = [\"A1\"]",
                "seen[1].value",
            ),
            (
                "indicator = \"share\"\nday = 5\nvalue = 1",
                "seen[1].sources",
            ),
            (
                "indicator = \"share\"\nday = 5\nvalue = 1\nsources = [\"S99\"]",
                "seen[1].sources",
            ),
        ] {
            let err = with(&format!("[[seen]]\n{table}\n")).expect_err(field);
            assert!(
                err.problems
                    .iter()
                    .any(|p| p.field == field && p.span.is_some()),
                "{field} not in {}",
                err.render()
            );
        }
        let twice = "[[seen]]\nindicator = \"share\"\nday = 5\nvalue = 1\nsources = [\"A1\"]\n";
        let err = with(&format!("{twice}\n{twice}")).expect_err("twice");
        assert!(
            err.problems.iter().any(|p| p.field == "seen[2].indicator"),
            "{}",
            err.render()
        );
        let unknown = with("[[seen]]\nindicator = \"share\"\nday = 5\nvalue = 1\nsources = [\"A1\"]\nsource = \"A1\"\n")
            .expect_err("unknown field");
        assert!(unknown.render().contains("source"), "{}", unknown.render());
    }

    #[test]
    fn the_past_cases_cite_what_they_saw() {
        for name in [
            "syria-2024",
            "afghanistan-2021",
            "sla-2000",
            "kdp-1975",
            "derg-1991",
            "contras-1984",
            "renamo-1984",
        ] {
            let s = crate::open(name).unwrap_or_else(|e| panic!("{}", e.render()));
            assert!(!s.seen.is_empty(), "{name} has no [[seen]] entry");
            assert!(
                s.seen
                    .iter()
                    .all(|x| !x.sources.is_empty() && !x.note.is_empty())
            );
        }
    }
}
