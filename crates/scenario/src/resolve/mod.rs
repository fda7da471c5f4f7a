//! From the file as written to the model's world: resolve names to ids,
//! apply defaults, check every figure against its valid range, and register
//! every uncertain figure as an [`Uncertainty`] addressed by its path.
//!
//! All problems are collected; the caller gets either a [`Scenario`] or
//! every problem at once.
//!
//! This module holds the [`Resolver`], the helpers every room shares
//! (figures and their ranges, name lookups, keywords, citations) and the
//! order of the passes; each part of the file is resolved in a room of its
//! own: `names` (the first pass over every id), `actors` (states, armed
//! groups, authorities, blocs, communities, segments, ties), `events`,
//! `levers` (levers, their values, conditions), `coas` (courses of action,
//! futures, issues), `observed` (past cases' milestones) and `checks`
//! (whole-scenario checks and warnings).

use crate::error::Problem;
use crate::quantity::Dist;
use crate::raw::{self, Id, Q, Sp};
use crate::{Scenario, SourceRef, Uncertainty};
use patronfall_model::*;
use std::collections::{BTreeMap, BTreeSet};

/// The range a figure must lie in.
#[derive(Clone, Copy, Debug)]
pub struct Domain {
    min: f64,
    max: f64,
    what: &'static str,
}

const SHARE: Domain = Domain {
    min: 0.0,
    max: 1.0,
    what: "a share between 0 and 1",
};
// Every domain has a finite top, so that the model's sums, products and
// exponentials of valid figures stay finite (docs/scenario-format.md,
// "Ranges"; crates/scenario/tests/extremes.rs sweeps them).
const COUNT: Domain = Domain {
    min: 0.0,
    max: 1e10,
    what: "a count from 0 to 10 billion",
};
const MONEY: Domain = Domain {
    min: 0.0,
    max: 1e12,
    what: "US dollars per day, from 0 to a trillion",
};
const DAYS: Domain = Domain {
    min: 0.0,
    max: 100_000.0,
    what: "a number of days, zero or more",
};
const DAY: Domain = Domain {
    min: 1.0,
    max: 100_000.0,
    what: "a day number, 1 or more",
};
const KM: Domain = Domain {
    min: 0.0,
    max: 100_000.0,
    what: "a length in km, from 0 to 100,000",
};
const POSITIVE: Domain = Domain {
    min: 1e-12,
    max: 1e9,
    what: "a positive number up to a billion",
};
const POSITION: Domain = Domain {
    min: 0.0,
    max: 100.0,
    what: "a position between 0 and 100",
};
/// Stocks of a group that names none, in days of supply (`stocks_days`):
/// about half a year, an analyst's default (docs/scenario-format.md). With
/// its sponsors delivering, a group's stocks stay where they start, so the
/// default matters only after arms are cut.
pub const DEFAULT_STOCKS_DAYS: f64 = 180.0;
/// The host's `coalition_floor` when it names none: the government falls
/// once the blocs still in its coalition hold less than half of the seats
/// the coalition started with, a coalition no longer a majority of itself
/// (docs/scenario-format.md). It matters only where blocs are `governing`.
pub const DEFAULT_COALITION_FLOOR: f64 = 0.5;
/// A condition's threshold, in its outcome's unit: any finite number that
/// the largest outcome (a count up to 10 billion) could meet.
const THRESHOLD: Domain = Domain {
    min: -1e12,
    max: 1e12,
    what: "a threshold between -10^12 and 10^12 in the outcome's unit",
};
const WEIGHT: Domain = Domain {
    min: 0.0,
    max: 1e6,
    what: "a weight from 0 to a million",
};

use crate::Apply;

mod actors;
mod checks;
mod coas;
mod events;
mod levers;
mod names;
mod observed;
mod parameters;
#[cfg(test)]
mod testing;

use events::EvLoc;
use names::Names;

/// Resolves a parsed file.
pub struct Resolver<'a> {
    problems: Vec<Problem>,
    uncertainties: Vec<Uncertainty>,
    sources: BTreeSet<String>,
    /// Every entity's `sources` list, by the entity's path (`crate::trace`).
    cited: Vec<(String, Vec<String>)>,
    text: &'a str,
    reading: crate::Reading,
}

fn close<'n>(name: &str, known: impl Iterator<Item = &'n String>) -> String {
    let known: Vec<&String> = known.collect();
    let near: Vec<&&String> = known.iter().filter(|k| similar(k, name)).take(3).collect();
    if !near.is_empty() {
        format!(
            "did you mean {}?",
            near.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    } else if known.is_empty() {
        "none are defined yet".to_string()
    } else {
        let list: Vec<String> = known.iter().take(12).map(|k| format!("`{k}`")).collect();
        format!(
            "known ids: {}{}",
            list.join(", "),
            if known.len() > 12 { ", ..." } else { "" }
        )
    }
}

/// The indefinite article before a keyword: "an" before a vowel (an
/// `offensive` event, an `intel` lever), "a" otherwise.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Whether two identifiers are a likely typo of each other (edit distance ≤ 2).
fn similar(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

impl<'a> Resolver<'a> {
    /// A resolver over the file's text.
    pub fn new(text: &'a str) -> Self {
        Resolver {
            problems: Vec::new(),
            uncertainties: Vec::new(),
            sources: BTreeSet::new(),
            cited: Vec::new(),
            text,
            reading: crate::Reading::default(),
        }
    }

    /// The resolver reading the file with these options.
    pub fn reading(mut self, reading: crate::Reading) -> Self {
        self.reading = reading;
        self
    }

    fn problem(
        &mut self,
        span: Option<std::ops::Range<usize>>,
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.problems.push(Problem {
            span,
            field: field.into(),
            message: message.into(),
            help: help.into(),
        });
    }

    fn cite(&mut self, key: &Id, field: &str) {
        if !self.sources.contains(key.as_str()) {
            let help = format!(
                "add a [[source]] with key = \"{}\" (publisher, title, year), or cite an existing key: {}",
                key.value,
                close(key, self.sources.iter())
            );
            self.problem(
                Some(key.span.clone()),
                field,
                format!("cites unknown source `{}`", key.value),
                help,
            );
        }
    }

    fn cite_all(&mut self, keys: &[Id], path: &str) {
        for k in keys {
            self.cite(k, &format!("{path}.sources"));
        }
        let keys = keys.iter().map(|k| k.value.clone()).collect();
        self.cited.push((path.to_string(), keys));
    }

    /// Checks and registers a figure; returns its nominal value (NaN if invalid).
    fn num(&mut self, q: &Q, path: &str, dom: Domain, apply: Apply) -> f64 {
        let quantity = &q.value;
        if let Some(src) = &quantity.source {
            let key = Sp {
                value: src.clone(),
                span: q.span.clone(),
            };
            self.cite(&key, path);
        }
        let span = Some(q.span.clone());
        let in_dom = |v: f64| v.is_finite() && v >= dom.min && v <= dom.max;
        let range_help = || {
            if dom.max.is_finite() {
                format!("use {} (from {} to {})", dom.what, dom.min, dom.max)
            } else {
                format!("use {} (at least {})", dom.what, dom.min)
            }
        };
        match (&quantity.value, &quantity.dist) {
            (Some(v), _) => {
                if !in_dom(*v) {
                    self.problem(
                        span,
                        path,
                        format!("{v} is out of range: expected {}", dom.what),
                        range_help(),
                    );
                    return f64::NAN;
                }
                *v
            }
            (None, Some(d)) => {
                let bad = match d {
                    Dist::Uniform { low, high } if low > high => Some(format!("the range [{low}, {high}] has low above high")),
                    Dist::Triangular { low, mode, high } if !(low <= mode && mode <= high) => Some(format!("a triangular distribution needs low ≤ mode ≤ high, got {low}, {mode}, {high}")),
                    Dist::Normal { sd, .. } if *sd < 0.0 => Some(format!("sd must be zero or more, got {sd}")),
                    Dist::Normal { mean, .. } if !in_dom(*mean) => Some(format!("the mean {mean} is out of range: expected {}", dom.what)),
                    Dist::Beta { alpha, beta, low, high } if *alpha <= 0.0 || *beta <= 0.0 || low > high => Some(format!("a beta distribution needs alpha, beta > 0 and low ≤ high, got {alpha}, {beta}, [{low}, {high}]")),
                    Dist::Discrete { values, weights } if values.is_empty() || values.len() != weights.len() || weights.iter().any(|w| *w < 0.0) || weights.iter().sum::<f64>() <= 0.0 => {
                        Some("a discrete distribution needs as many non-negative weights as values, with a positive sum".to_string())
                    }
                    _ => None,
                };
                if let Some(msg) = bad {
                    self.problem(span, path, msg, "fix the distribution's parameters");
                    return f64::NAN;
                }
                let (lo, hi) = d.support();
                if !matches!(d, Dist::Normal { .. }) && (!in_dom(lo) || !in_dom(hi)) {
                    self.problem(
                        span,
                        path,
                        format!(
                            "values from {lo} to {hi} are out of range: expected {}",
                            dom.what
                        ),
                        range_help(),
                    );
                    return f64::NAN;
                }
                let nominal = d.nominal().clamp(dom.min, dom.max);
                self.uncertainties.push(Uncertainty {
                    path: path.to_string(),
                    sources: quantity.source.iter().cloned().collect(),
                    dist: d.clone(),
                    nominal,
                    min: dom.min,
                    max: dom.max,
                    apply,
                });
                nominal
            }
            (None, None) => f64::NAN,
        }
    }

    fn num_opt(
        &mut self,
        q: &Option<Q>,
        path: &str,
        dom: Domain,
        default: f64,
        apply: Apply,
    ) -> f64 {
        match q {
            Some(q) => self.num(q, path, dom, apply),
            None => default,
        }
    }

    /// The patron or outside power a `sponsor` field names.
    fn sponsor(&mut self, n: &Names, sponsor_id: &Id, path: &str) -> Option<ActorRef> {
        match n.actor(sponsor_id) {
            Some(a @ (ActorRef::Patron(_) | ActorRef::Outside(_))) => Some(a),
            _ => {
                let all: Vec<String> = n.patrons.keys().chain(n.outside.keys()).cloned().collect();
                let help = close(sponsor_id, all.iter());
                self.problem(
                    Some(sponsor_id.span.clone()),
                    format!("{path}.sponsor"),
                    format!("`{}` is not a patron or outside power", sponsor_id.value),
                    help,
                );
                None
            }
        }
    }

    fn lookup<T: Copy>(
        &mut self,
        map: &BTreeMap<String, T>,
        id: &Id,
        field: &str,
        what: &str,
    ) -> Option<T> {
        match map.get(id.as_str()) {
            Some(v) => Some(*v),
            None => {
                let help = close(id, map.keys());
                self.problem(
                    Some(id.span.clone()),
                    field,
                    format!("refers to unknown {what} `{}`", id.value),
                    help,
                );
                None
            }
        }
    }

    fn keyword<T: Copy>(&mut self, id: &Id, field: &str, options: &[(&str, T)]) -> Option<T> {
        match options.iter().find(|(k, _)| *k == id.as_str()) {
            Some((_, v)) => Some(*v),
            None => {
                let list: Vec<String> = options.iter().map(|(k, _)| format!("`{k}`")).collect();
                self.problem(
                    Some(id.span.clone()),
                    field,
                    format!("`{}` is not one of {}", id.value, list.join(", ")),
                    format!("use one of {}", list.join(", ")),
                );
                None
            }
        }
    }

    /// Resolves the whole file.
    pub fn resolve(mut self, file: raw::File, name: &str) -> Result<Scenario, Vec<Problem>> {
        if *file.format != 1 {
            self.problem(
                Some(file.format.span.clone()),
                "format",
                format!("format {} is not supported", *file.format),
                "this version of patronfall reads format = 1",
            );
        }
        // Sources first: figures cite them.
        let mut sources = Vec::new();
        for s in &file.source {
            if !self.sources.insert(s.key.value.clone()) {
                self.problem(
                    Some(s.key.span.clone()),
                    format!("source.{}", s.key.value),
                    "duplicate source key",
                    "give every source a unique key",
                );
            }
            sources.push(SourceRef {
                key: s.key.value.clone(),
                publisher: s.publisher.clone(),
                title: s.title.clone(),
                year: *s.year,
                note: s.note.clone(),
            });
        }
        let names = self.names(&file);
        if let Some(h) = &file.scenario.horizon_days
            && let Err(e) = crate::limits::check_days(u64::from(**h))
        {
            let help = format!("use a horizon from 1 to {} days", crate::MAX_DAYS);
            self.problem(
                Some(h.span.clone()),
                "scenario.horizon_days",
                e.to_string(),
                help,
            );
        }
        let mut w = World {
            horizon_days: file.scenario.horizon_days.as_ref().map_or(365, |d| **d),
            ..World::default()
        };
        if let Some(u) = &file.scenario.unrest {
            let side = file.scenario.agent_grid.as_ref().map_or(40, |s| **s);
            if !(4..=1000).contains(&side) {
                let span = file.scenario.agent_grid.as_ref().map(|s| s.span.clone());
                self.problem(
                    span,
                    "scenario.agent_grid",
                    format!("{side} cells per side is out of range"),
                    "use 4 to 1000 cells per side",
                );
            }
            w.unrest = self
                .keyword(
                    u,
                    "scenario.unrest",
                    &[
                        ("mean_field", UnrestModel::MeanField),
                        ("agents", UnrestModel::Agents { side }),
                    ],
                )
                .unwrap_or_default();
        } else if let Some(s) = &file.scenario.agent_grid {
            self.problem(
                Some(s.span.clone()),
                "scenario.agent_grid",
                "`agent_grid` is only used with unrest = \"agents\"",
                "add unrest = \"agents\" or remove agent_grid",
            );
        }
        self.parameters(&file, &mut w);
        for (i, r) in file.region.iter().enumerate() {
            self.cite_all(&r.sources, &format!("region.{}", r.id.value));
            w.regions.push(Region {
                name: r.name.clone(),
            });
            let _ = i;
        }
        self.states(&file, &names, &mut w);
        self.groups(&file, &names, &mut w);
        self.authorities_blocs_communities(&file, &names, &mut w);
        self.segments(&file, &names, &mut w);
        self.fix_routes(&file, &names, &mut w);
        self.ties(&file, &names, &mut w);
        for (e, ev) in file.event.iter().enumerate() {
            if let Some(event) = self.event(
                ev,
                &format!("event.{}", ev.id.value),
                EvLoc::World(e),
                &names,
                &file,
            ) {
                w.events.push(event);
            }
        }
        let mut shock_ids = Vec::new();
        for (s, shock) in file.shock.iter().enumerate() {
            shock_ids.push(shock.id.value.clone());
            let mut events = Vec::new();
            for (e, ev) in shock.event.iter().enumerate() {
                let path = format!("shock.{}.event.{}", shock.id.value, ev.id.value);
                if let Some(event) = self.event(ev, &path, EvLoc::Shock(s, e), &names, &file) {
                    events.push(event);
                }
            }
            w.shocks.push(Shock {
                name: shock.id.value.clone(),
                events,
            });
        }
        self.levers(&file, &names, &mut w);
        self.coas(&file, &names, &mut w);
        self.issues(&file, &names, &mut w);
        // Last of the figures: a scenario that makes a threshold uncertain
        // adds design columns after every other figure's, so the samples of
        // the figures before them stay as they were.
        self.futures(&file, &mut w);
        self.whole(&file, &names, &w);
        let observed = self.observed(&file);
        let indicators = crate::indicators::resolve(&file, &mut self.problems);
        let source_keys = file.source.iter().map(|s| s.key.value.clone()).collect();
        let seen = crate::seen::resolve(&file.seen, &indicators, &source_keys, &mut self.problems);

        let default_shock = match &file.scenario.default_shock {
            Some(id) => shock_ids
                .iter()
                .position(|s| s == id.as_str())
                .map(ShockId::at)
                .or_else(|| {
                    let help = close(id, shock_ids.iter());
                    self.problem(
                        Some(id.span.clone()),
                        "scenario.default_shock",
                        format!("refers to unknown shock `{}`", id.value),
                        help,
                    );
                    None
                }),
            None => None,
        };
        let coa_ids: Vec<String> = file.coa.iter().map(|c| c.id.value.clone()).collect();
        let default_coa = match &file.scenario.default_coa {
            Some(id) => coa_ids
                .iter()
                .position(|c| c == id.as_str())
                .map(CoaId::at)
                .unwrap_or_else(|| {
                    let help = close(id, coa_ids.iter());
                    self.problem(
                        Some(id.span.clone()),
                        "scenario.default_coa",
                        format!("refers to unknown course of action `{}`", id.value),
                        help,
                    );
                    CoaId(0)
                }),
            None => CoaId(0),
        };
        self.registry_parameters(&file, &mut sources);
        if !self.problems.is_empty() {
            self.problems
                .sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
            return Err(self.problems);
        }
        let _ = self.text;
        Ok(Scenario {
            id: file.scenario.id.value.clone(),
            title: file.scenario.title.clone(),
            description: file.scenario.description.clone(),
            file: name.to_string(),
            hash: String::new(),
            reading: self.reading,
            sources,
            world: w,
            uncertainties: crate::trace::with_entity_sources(self.uncertainties, &self.cited),
            default_shock,
            default_coa,
            ids: crate::Ids {
                groups: file
                    .armed_group
                    .iter()
                    .flat_map(|g| {
                        std::iter::once(g.id.value.clone())
                            .chain(g.splinter.iter().map(|s| s.id.value.clone()))
                    })
                    .collect(),
                coas: coa_ids,
                shocks: shock_ids,
                futures: file.future.iter().map(|f| f.id.value.clone()).collect(),
                segments: file.segment.iter().map(|s| s.id.value.clone()).collect(),
                crossings: file
                    .segment
                    .iter()
                    .flat_map(|s| s.crossing.iter().map(|c| c.id.value.clone()))
                    .collect(),
                communities: file.community.iter().map(|c| c.id.value.clone()).collect(),
                levers: file.lever.iter().map(|l| l.id.value.clone()).collect(),
            },
            futures: file
                .future
                .iter()
                .map(|f| crate::Described {
                    name: f.name.clone(),
                    description: f.description.clone(),
                })
                .collect(),
            coas: file
                .coa
                .iter()
                .map(|c| crate::Described {
                    name: c.name.clone(),
                    description: c.description.clone(),
                })
                .collect(),
            observed,
            indicators,
            seen,
        })
    }
}

const GUIDANCE: &[(&str, Guidance)] = &[
    ("silent", Guidance::Silent),
    ("calm", Guidance::Calm),
    ("state_monopoly", Guidance::StateMonopoly),
    ("mobilization", Guidance::Mobilization),
];

#[cfg(test)]
mod tests {
    use super::testing::{found, line_of, problems, problems_with_help, template_with};

    #[test]
    fn the_template_reads() {
        assert_eq!(problems(crate::TEMPLATE), []);
    }

    #[test]
    fn the_scenario_table_is_checked() {
        let text = template_with(&[
            ("format = 1", "format = 2"),
            ("horizon_days = 180", "horizon_days = 0"),
            (
                "default_shock = \"collapse\"",
                "default_shock = \"colapse\"",
            ),
            (
                "default_coa = \"wait\"",
                "default_coa = \"wiat\"\nagent_grid = 10",
            ),
        ]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "format",
                    line_of(&text, "format = 2"),
                    "format 2 is not supported"
                ),
                found(
                    "scenario.horizon_days",
                    line_of(&text, "horizon_days = 0"),
                    &p[1].0.2
                ),
                found(
                    "scenario.default_shock",
                    line_of(&text, "\"colapse\""),
                    "refers to unknown shock `colapse`"
                ),
                found(
                    "scenario.default_coa",
                    line_of(&text, "\"wiat\""),
                    "refers to unknown course of action `wiat`"
                ),
                found(
                    "scenario.agent_grid",
                    line_of(&text, "agent_grid"),
                    "`agent_grid` is only used with unrest = \"agents\""
                ),
            ]
        );
        assert!(p[1].0.2.starts_with("0 days is out of range"), "{p:?}");
        assert_eq!(p[2].1, "did you mean `collapse`?");
        assert_eq!(p[3].1, "did you mean `wait`?");
    }

    #[test]
    fn a_citation_names_a_source() {
        let text = template_with(&[
            ("sources = [\"A1\"]\ntheater", "sources = [\"A2\"]\ntheater"),
            (
                "capacity = 0.9",
                "capacity = { value = 0.9, source = \"B1\" }",
            ),
        ]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "state.patron.capacity",
                    line_of(&text, "\"B1\""),
                    "cites unknown source `B1`"
                ),
                found(
                    "state.patron.sources",
                    line_of(&text, "\"A2\""),
                    "cites unknown source `A2`"
                ),
            ]
        );
        assert!(p[1].1.contains("did you mean `A1`?"), "{p:?}");
    }

    #[test]
    fn a_distribution_is_checked() {
        let text = template_with(&[
            (
                "morale = 0.7\ncost_per_fighter = 30",
                "morale = { dist = \"triangular\", low = 0.2, mode = 0.1, high = 0.9 }\ncost_per_fighter = 30",
            ),
            (
                "fighters = 5000",
                "fighters = { dist = \"normal\", mean = 5000, sd = -1 }",
            ),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "armed_group.army.morale",
                    line_of(&text, "\"triangular\""),
                    "a triangular distribution needs low ≤ mode ≤ high, got 0.2, 0.1, 0.9"
                ),
                found(
                    "armed_group.pragmatists.fighters",
                    line_of(&text, "\"normal\""),
                    "sd must be zero or more, got -1"
                ),
            ]
        );
    }

    #[test]
    fn model_parameters_are_known_and_in_range() {
        let (text, first) = super::testing::template_and(
            "\n[parameters.contest]\nregroup_day = 3\nregroup_days = -3\n",
        );
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "parameters.contest.regroup_day",
                    first + 2,
                    "unknown model parameter `contest.regroup_day`"
                ),
                found("parameters.contest.regroup_days", first + 3, &p[1].0.2),
            ]
        );
        assert!(
            p[0].1.starts_with("did you mean `contest.regroup_days`"),
            "{p:?}"
        );
        assert!(p[1].0.2.starts_with("-3 is out of range"), "{p:?}");
    }
}
