//! From the file as written to the model's world: resolve names to ids,
//! apply defaults, check every figure against its valid range, and register
//! every uncertain figure as an [`Uncertainty`] addressed by its path.
//!
//! All problems are collected; the caller gets either a [`Scenario`] or
//! every problem at once.

use crate::error::Problem;
use crate::quantity::Dist;
use crate::raw::{self, Id, Q, Sp};
use crate::{Scenario, SourceRef, Uncertainty};
use patronfall_model::outcomes::{Condition, Op, Outcome, Stat};
use patronfall_model::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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
const WEIGHT: Domain = Domain {
    min: 0.0,
    max: 1e6,
    what: "a weight from 0 to a million",
};

use crate::Apply;

/// Where an event lives, so an uncertain figure can be written back into it.
#[derive(Clone, Copy, Debug)]
enum EvLoc {
    World(usize),
    Shock(usize, usize),
}

fn event_mut(w: &mut World, loc: EvLoc) -> &mut Event {
    match loc {
        EvLoc::World(e) => &mut w.events[e],
        EvLoc::Shock(s, e) => &mut w.shocks[s].events[e],
    }
}

/// Builds an `Apply` that writes one field of one event variant.
macro_rules! ev_set {
    ($loc:expr, $variant:ident, $field:ident) => {{
        let loc = $loc;
        Arc::new(move |w: &mut World, v: f64| {
            if let EventKind::$variant { $field, .. } = &mut event_mut(w, loc).kind {
                *$field = v;
            }
        }) as Apply
    }};
}

struct Names {
    regions: BTreeMap<String, RegionId>,
    patrons: BTreeMap<String, PatronId>,
    outside: BTreeMap<String, OutsideId>,
    host: Option<String>,
    groups: BTreeMap<String, GroupId>,
    authorities: BTreeMap<String, AuthorityId>,
    blocs: BTreeMap<String, BlocId>,
    communities: BTreeMap<String, CommunityId>,
    segments: BTreeMap<String, SegmentId>,
    crossings: BTreeMap<String, CrossingId>,
    levers: BTreeMap<String, LeverId>,
}

impl Names {
    fn actor(&self, id: &str) -> Option<ActorRef> {
        if self.host.as_deref() == Some(id) {
            return Some(ActorRef::Host);
        }
        self.patrons
            .get(id)
            .map(|&i| ActorRef::Patron(i))
            .or_else(|| self.outside.get(id).map(|&i| ActorRef::Outside(i)))
            .or_else(|| self.groups.get(id).map(|&i| ActorRef::Group(i)))
            .or_else(|| self.authorities.get(id).map(|&i| ActorRef::Authority(i)))
            .or_else(|| self.blocs.get(id).map(|&i| ActorRef::Bloc(i)))
            .or_else(|| self.communities.get(id).map(|&i| ActorRef::Community(i)))
    }
}

/// Resolves a parsed file.
pub struct Resolver<'a> {
    problems: Vec<Problem>,
    uncertainties: Vec<Uncertainty>,
    sources: BTreeSet<String>,
    text: &'a str,
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
            text,
        }
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
        self.futures(&file, &mut w);
        self.issues(&file, &names, &mut w);
        self.whole(&file, &names, &w);
        let observed = self.observed(&file);
        let indicators = crate::indicators::resolve(&file, &mut self.problems);

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
            sources,
            world: w,
            uncertainties: self.uncertainties,
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
        })
    }

    /// `[[observed]]`: milestones of what actually happened. They go into the
    /// scenario, not the world; ids have their own namespace, `outcome` must
    /// name an outcome of the catalogue, and `since` an observation on or
    /// before the same day.
    fn observed(&mut self, f: &raw::File) -> Vec<crate::Observation> {
        let ids: Vec<&str> = f.observed.iter().map(|o| o.id.as_str()).collect();
        let horizon = f.scenario.horizon_days.as_ref().map_or(365, |d| **d);
        let mut scored: Option<&str> = None;
        let mut out = Vec::new();
        for (i, o) in f.observed.iter().enumerate() {
            let path = format!("observed.{}", o.id.value);
            self.cite_all(&o.sources, &path);
            if ids[..i].contains(&o.id.as_str()) {
                self.problem(
                    Some(o.id.span.clone()),
                    format!("{path}.id"),
                    format!("duplicate observation id `{}`", o.id.value),
                    "give every [[observed]] entry a unique id",
                );
            }
            if *o.day < 1 {
                self.problem(
                    Some(o.day.span.clone()),
                    format!("{path}.day"),
                    "day 0 is the starting state, not a day something happened",
                    "count days like events: day 1 is the first simulated day",
                );
            }
            let (condition, kind) = self.milestone(o, &path, horizon);
            if condition.is_some() {
                if let Some(first) = scored {
                    self.problem(
                        o.outcome.as_ref().map(|n| n.span.clone()),
                        format!("{path}.outcome"),
                        format!("a second scored milestone (`{first}` is already scored)"),
                        "a past case scores one milestone; leave `outcome` off the others, which stay dated context",
                    );
                }
                scored = scored.or(Some(o.id.as_str()));
            }
            let since = o.since.as_ref().and_then(|s| {
                let Some(k) = ids.iter().position(|id| *id == s.as_str()) else {
                    let known: Vec<String> = ids.iter().map(|x| x.to_string()).collect();
                    let help = close(s, known.iter());
                    self.problem(
                        Some(s.span.clone()),
                        format!("{path}.since"),
                        format!("refers to unknown observation `{}`", s.value),
                        help,
                    );
                    return None;
                };
                if k == i || *f.observed[k].day > *o.day {
                    self.problem(
                        Some(s.span.clone()),
                        format!("{path}.since"),
                        format!(
                            "`{}` is not an earlier observation (day {} against day {})",
                            s.value, *f.observed[k].day, *o.day
                        ),
                        "count the lag from an observation on or before this one's day",
                    );
                    return None;
                }
                Some(k)
            });
            if condition.is_some() {
                let overridden = f
                    .parameters
                    .iter()
                    .flat_map(|(g, t)| t.iter().map(move |(n, q)| (g, n, q)))
                    .next();
                if let Some((group, name, q)) = overridden {
                    self.problem(
                        Some(q.span.clone()),
                        format!("parameters.{group}.{name}"),
                        "a past case (a scenario with a scored [[observed]] milestone) overrides a model parameter",
                        "remove [parameters]: one set of model parameters serves every past case, and cases differ only in their facts",
                    );
                }
            }
            out.push(crate::Observation {
                id: o.id.value.clone(),
                name: o.name.clone(),
                day: *o.day,
                condition,
                kind,
                since,
                note: o.note.clone(),
                sources: o.sources.iter().map(|k| k.value.clone()).collect(),
            });
        }
        out
    }

    /// An observation's collapse condition and kind: `outcome` must name an
    /// outcome of the catalogue; `op` and `value` are required except for
    /// `capital_held` (`< 0.5`: the capital has fallen); `op`, `value` and
    /// `kind` need an `outcome`; a scored milestone must lie within the
    /// horizon, since runs are judged up to its day.
    fn milestone(
        &mut self,
        o: &raw::Observed,
        path: &str,
        horizon: u32,
    ) -> (Option<Condition>, crate::MilestoneKind) {
        let kind = match &o.kind {
            Some(k) => self
                .keyword(
                    k,
                    &format!("{path}.kind"),
                    &[
                        ("collapse", crate::MilestoneKind::Collapse),
                        ("survival", crate::MilestoneKind::Survival),
                    ],
                )
                .unwrap_or(crate::MilestoneKind::Collapse),
            None => crate::MilestoneKind::Collapse,
        };
        let Some(name) = &o.outcome else {
            for (present, field, span) in [
                (o.op.is_some(), "op", o.op.as_ref().map(|x| x.span.clone())),
                (
                    o.value.is_some(),
                    "value",
                    o.value.as_ref().map(|x| x.span.clone()),
                ),
                (
                    o.kind.is_some(),
                    "kind",
                    o.kind.as_ref().map(|x| x.span.clone()),
                ),
            ] {
                if present {
                    self.problem(
                        span,
                        format!("{path}.{field}"),
                        format!("`{field}` without an `outcome` says nothing"),
                        "add the `outcome` whose condition marks this milestone, or remove the field",
                    );
                }
            }
            return (None, kind);
        };
        let Some(outcome) = Outcome::from_name(name) else {
            let known: Vec<String> = Outcome::ALL.iter().map(|x| x.name().to_string()).collect();
            let help = close(name, known.iter());
            self.problem(
                Some(name.span.clone()),
                format!("{path}.outcome"),
                format!("`{}` is not an outcome", name.value),
                help,
            );
            return (None, kind);
        };
        let default = (outcome == Outcome::CapitalHeld).then_some((Op::Lt, 0.5));
        let op = match &o.op {
            Some(op) => self.keyword(
                op,
                &format!("{path}.op"),
                &[(">", Op::Gt), (">=", Op::Ge), ("<", Op::Lt), ("<=", Op::Le)],
            ),
            None => {
                if default.is_none() {
                    self.problem(
                        Some(name.span.clone()),
                        format!("{path}.op"),
                        format!("`{}` needs a comparison", name.value),
                        "add `op` (>, >=, <, <=) and `value`: the milestone is the first day `outcome op value` holds",
                    );
                }
                default.map(|d| d.0)
            }
        };
        let value = match &o.value {
            Some(v) if !v.is_finite() => {
                self.problem(
                    Some(v.span.clone()),
                    format!("{path}.value"),
                    "not a finite number",
                    "give the threshold as a number",
                );
                None
            }
            Some(v) => Some(**v),
            None => {
                if default.is_none() {
                    self.problem(
                        Some(name.span.clone()),
                        format!("{path}.value"),
                        format!("`{}` needs a threshold", name.value),
                        "add `value`: the milestone is the first day `outcome op value` holds",
                    );
                }
                default.map(|d| d.1)
            }
        };
        if *o.day > horizon {
            self.problem(
                Some(o.day.span.clone()),
                format!("{path}.day"),
                format!(
                    "a scored milestone on day {} lies beyond the horizon (day {horizon})",
                    *o.day
                ),
                "raise [scenario] horizon_days to at least this day: runs are judged up to it",
            );
        }
        let condition = op.zip(value).map(|(op, value)| Condition {
            outcome,
            stat: Stat::End,
            op,
            value,
        });
        (condition, kind)
    }

    /// First pass: every id, checked for duplicates in one namespace.
    fn names(&mut self, f: &raw::File) -> Names {
        let mut seen: BTreeMap<String, ()> = BTreeMap::new();
        let mut claim = |this: &mut Self, id: &Id, path: &str| {
            if id.value.is_empty()
                || !id
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                this.problem(
                    Some(id.span.clone()),
                    format!("{path}.id"),
                    format!("`{}` is not a valid id", id.value),
                    "use letters, digits, `_` and `-` only",
                );
            }
            if seen.insert(id.value.clone(), ()).is_some() {
                this.problem(Some(id.span.clone()), format!("{path}.id"), format!("duplicate id `{}`", id.value), "ids of regions, actors, segments and crossings share one namespace: give each a unique id");
            }
        };
        let mut n = Names {
            regions: BTreeMap::new(),
            patrons: BTreeMap::new(),
            outside: BTreeMap::new(),
            host: None,
            groups: BTreeMap::new(),
            authorities: BTreeMap::new(),
            blocs: BTreeMap::new(),
            communities: BTreeMap::new(),
            segments: BTreeMap::new(),
            crossings: BTreeMap::new(),
            levers: BTreeMap::new(),
        };
        for (i, r) in f.region.iter().enumerate() {
            claim(self, &r.id, "region");
            n.regions.insert(r.id.value.clone(), RegionId::at(i));
        }
        for s in &f.state {
            claim(self, &s.id, "state");
            match s.role.as_str() {
                "patron" => {
                    let i = n.patrons.len();
                    n.patrons.insert(s.id.value.clone(), PatronId::at(i));
                }
                "outside" => {
                    let i = n.outside.len();
                    n.outside.insert(s.id.value.clone(), OutsideId::at(i));
                }
                "host" => {
                    if n.host.is_some() {
                        self.problem(
                            Some(s.role.span.clone()),
                            format!("state.{}.role", s.id.value),
                            "a second host state",
                            "a scenario has exactly one host state",
                        );
                    }
                    n.host = Some(s.id.value.clone());
                }
                _ => {
                    self.keyword(
                        &s.role,
                        &format!("state.{}.role", s.id.value),
                        &[("patron", ()), ("host", ()), ("outside", ())],
                    );
                }
            }
        }
        let mut g = 0;
        for a in &f.armed_group {
            claim(self, &a.id, "armed_group");
            n.groups.insert(a.id.value.clone(), GroupId::at(g));
            g += 1;
            if let Some(s) = &a.splinter {
                claim(self, &s.id, &format!("armed_group.{}.splinter", a.id.value));
                n.groups.insert(s.id.value.clone(), GroupId::at(g));
                g += 1;
            }
        }
        for (i, a) in f.authority.iter().enumerate() {
            claim(self, &a.id, "authority");
            n.authorities.insert(a.id.value.clone(), AuthorityId::at(i));
        }
        for (i, b) in f.bloc.iter().enumerate() {
            claim(self, &b.id, "bloc");
            n.blocs.insert(b.id.value.clone(), BlocId::at(i));
        }
        for (i, c) in f.community.iter().enumerate() {
            claim(self, &c.id, "community");
            n.communities.insert(c.id.value.clone(), CommunityId::at(i));
        }
        let mut x = 0;
        for (i, s) in f.segment.iter().enumerate() {
            claim(self, &s.id, "segment");
            n.segments.insert(s.id.value.clone(), SegmentId::at(i));
            for c in &s.crossing {
                claim(self, &c.id, &format!("segment.{}.crossing", s.id.value));
                n.crossings.insert(c.id.value.clone(), CrossingId::at(x));
                x += 1;
            }
        }
        let mut lever_seen = BTreeSet::new();
        for (i, l) in f.lever.iter().enumerate() {
            if !lever_seen.insert(l.id.value.clone()) {
                self.problem(
                    Some(l.id.span.clone()),
                    "lever.id",
                    format!("duplicate lever id `{}`", l.id.value),
                    "give every lever a unique id",
                );
            }
            n.levers.insert(l.id.value.clone(), LeverId::at(i));
        }
        for (list, what) in [
            (f.coa.iter().map(|c| &c.id).collect::<Vec<_>>(), "coa"),
            (f.shock.iter().map(|c| &c.id).collect(), "shock"),
            (f.future.iter().map(|c| &c.id).collect(), "future"),
            (f.issue.iter().map(|c| &c.id).collect(), "issue"),
        ] {
            let mut seen = BTreeSet::new();
            for id in list {
                if !seen.insert(id.value.clone()) {
                    self.problem(
                        Some(id.span.clone()),
                        format!("{what}.id"),
                        format!("duplicate {what} id `{}`", id.value),
                        format!("give every {what} a unique id"),
                    );
                }
            }
        }
        n
    }

    fn parameters(&mut self, f: &raw::File, w: &mut World) {
        for (group, table) in &f.parameters {
            for (name, q) in table {
                let full = format!("{group}.{name}");
                let path = format!("parameters.{full}");
                match Params::spec(&full) {
                    Some(spec) => {
                        let dom = Domain {
                            min: spec.min,
                            max: spec.max,
                            what: "a value in the parameter's documented range",
                        };
                        let set = spec.set;
                        let v = self.num(
                            q,
                            &path,
                            dom,
                            Arc::new(move |w: &mut World, v| set(&mut w.params, v)),
                        );
                        if v.is_finite() {
                            (spec.set)(&mut w.params, v);
                        }
                    }
                    None => {
                        let names: Vec<String> =
                            PARAMETERS.iter().map(|p| p.name.to_string()).collect();
                        let help = close(&full, names.iter());
                        self.problem(
                            Some(q.span.clone()),
                            path,
                            format!("unknown model parameter `{full}`"),
                            format!("{help} (`patronfall scenario show --parameters` lists them)"),
                        );
                    }
                }
            }
        }
    }

    fn states(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        let mut patron_i = 0;
        let mut outside_i = 0;
        for s in &f.state {
            let path = format!("state.{}", s.id.value);
            self.cite_all(&s.sources, &path);
            let role = s.role.as_str();
            // Fields that belong to other roles are mistakes, not silent extras.
            let misplaced: Vec<(&str, bool)> = vec![
                ("capacity", s.capacity.is_some() && role != "patron"),
                ("theater", !s.theater.is_empty() && role != "patron"),
                ("pool", !s.pool.is_empty() && role != "patron"),
                ("capital", s.capital.is_some() && role != "host"),
                (
                    "detention_capacity",
                    s.detention_capacity.is_some() && role != "host",
                ),
                ("leader", s.leader.is_some() && role != "host"),
                ("presence", s.presence.is_some() && role != "outside"),
                (
                    "presence_end_day",
                    s.presence_end_day.is_some() && role != "outside",
                ),
                ("intel", s.intel.is_some() && role != "outside"),
                (
                    "exploitation",
                    s.exploitation.is_some() && role != "outside",
                ),
                ("guarantee", s.guarantee.is_some() && role != "outside"),
                ("aid", s.aid.is_some() && role != "outside"),
                (
                    "border_cooperation",
                    !s.border_cooperation.is_empty() && role != "outside",
                ),
            ];
            for (field, bad) in misplaced {
                if bad {
                    self.problem(
                        Some(s.role.span.clone()),
                        format!("{path}.{field}"),
                        format!("`{field}` does not apply to a state of role `{role}`"),
                        "remove the field or change the role",
                    );
                }
            }
            match role {
                "patron" => {
                    let i = patron_i;
                    patron_i += 1;
                    let capacity = match &s.capacity {
                        Some(q) => self.num(
                            q,
                            &format!("{path}.capacity"),
                            SHARE,
                            Arc::new(move |w, v| w.patrons[i].capacity = v),
                        ),
                        None => {
                            self.problem(
                                Some(s.id.span.clone()),
                                format!("{path}.capacity"),
                                "a patron needs `capacity`",
                                "add capacity = 0..1 (1 = full capacity to support its clients)",
                            );
                            f64::NAN
                        }
                    };
                    let mut theaters = Vec::new();
                    for (t, th) in s.theater.iter().enumerate() {
                        let personnel = self.num(
                            &th.personnel,
                            &format!("{path}.theater.{}.personnel", th.id.value),
                            COUNT,
                            Arc::new(move |w, v| w.patrons[i].theaters[t].personnel = v),
                        );
                        theaters.push(Theater {
                            name: th.name.clone(),
                            personnel,
                            is_host: th.host,
                        });
                    }
                    let mut pools = Vec::new();
                    for (q, pool) in s.pool.iter().enumerate() {
                        let pp = format!("{path}.pool.{}", pool.id.value);
                        self.cite_all(&pool.sources, &pp);
                        let people = self.num(
                            &pool.people,
                            &format!("{pp}.people"),
                            COUNT,
                            Arc::new(move |w, v| w.patrons[i].pools[q].people = v),
                        );
                        let flee_share = self.num(
                            &pool.flee_share,
                            &format!("{pp}.flee_share"),
                            SHARE,
                            Arc::new(move |w, v| w.patrons[i].pools[q].flee_share = v),
                        );
                        let joins = pool.joins.as_ref().and_then(|j| {
                            self.lookup(&n.groups, j, &format!("{pp}.joins"), "armed group")
                        });
                        pools.push(Pool {
                            name: pool.name.clone(),
                            people,
                            flee_share,
                            routes: Vec::new(),
                            joins,
                        });
                    }
                    w.patrons.push(Patron {
                        name: s.name.clone(),
                        capacity,
                        theaters,
                        pools,
                    });
                }
                "host" => {
                    let capital = s.capital.as_ref().and_then(|c| {
                        self.lookup(&n.regions, c, &format!("{path}.capital"), "region")
                    });
                    let detention_capacity = self.num_opt(
                        &s.detention_capacity,
                        &format!("{path}.detention_capacity"),
                        COUNT,
                        f64::INFINITY,
                        Arc::new(|w, v| w.host.detention_capacity = v),
                    );
                    let leader = match &s.leader {
                        Some(l) => Leader {
                            name: l.name.clone(),
                            decisiveness: self.num(
                                &l.decisiveness,
                                &format!("{path}.leader.decisiveness"),
                                SHARE,
                                Arc::new(|w, v| w.host.leader.decisiveness = v),
                            ),
                            inclusiveness: self.num(
                                &l.inclusiveness,
                                &format!("{path}.leader.inclusiveness"),
                                SHARE,
                                Arc::new(|w, v| w.host.leader.inclusiveness = v),
                            ),
                            integrity: self.num(
                                &l.integrity,
                                &format!("{path}.leader.integrity"),
                                SHARE,
                                Arc::new(|w, v| w.host.leader.integrity = v),
                            ),
                        },
                        None => {
                            self.problem(Some(s.id.span.clone()), format!("{path}.leader"), "the host needs a `leader`", "add [state.leader] with name, decisiveness, inclusiveness and integrity (0..1)");
                            Leader::default()
                        }
                    };
                    w.host = Host {
                        name: s.name.clone(),
                        leader,
                        detention_capacity,
                        capital,
                    };
                }
                "outside" => {
                    let i = outside_i;
                    outside_i += 1;
                    let presence = self.num_opt(
                        &s.presence,
                        &format!("{path}.presence"),
                        COUNT,
                        0.0,
                        Arc::new(move |w, v| w.outside[i].presence = v),
                    );
                    let end = s.presence_end_day.as_ref().map(|q| {
                        self.num(
                            q,
                            &format!("{path}.presence_end_day"),
                            DAY,
                            Arc::new(move |w, v| {
                                w.outside[i].presence_end_day = Some(v.round() as u32)
                            }),
                        )
                        .round() as u32
                    });
                    let intel = self.num_opt(
                        &s.intel,
                        &format!("{path}.intel"),
                        SHARE,
                        0.0,
                        Arc::new(move |w, v| w.outside[i].intel = v),
                    );
                    let exploitation = self.num_opt(
                        &s.exploitation,
                        &format!("{path}.exploitation"),
                        SHARE,
                        0.0,
                        Arc::new(move |w, v| w.outside[i].exploitation = v),
                    );
                    let guarantee = self.num_opt(
                        &s.guarantee,
                        &format!("{path}.guarantee"),
                        SHARE,
                        0.0,
                        Arc::new(move |w, v| w.outside[i].guarantee = v),
                    );
                    let aid = self.num_opt(
                        &s.aid,
                        &format!("{path}.aid"),
                        SHARE,
                        0.0,
                        Arc::new(move |w, v| w.outside[i].aid = v),
                    );
                    let mut coop = Vec::new();
                    for (k, c) in s.border_cooperation.iter().enumerate() {
                        let seg = self.lookup(
                            &n.segments,
                            &c.segment,
                            &format!("{path}.border_cooperation.segment"),
                            "segment",
                        );
                        let level = self.num(
                            &c.level,
                            &format!("{path}.border_cooperation.{}.level", c.segment.value),
                            SHARE,
                            Arc::new(move |w, v| w.outside[i].border_cooperation[k].1 = v),
                        );
                        coop.push((seg.unwrap_or_default(), level));
                    }
                    w.outside.push(OutsidePower {
                        name: s.name.clone(),
                        presence,
                        presence_end_day: end,
                        intel,
                        exploitation,
                        border_cooperation: coop,
                        guarantee,
                        aid,
                    });
                }
                _ => {}
            }
        }
        if n.host.is_none() {
            self.problem(None, "state", "no host state", "add a [[state]] with role = \"host\": the state whose stability the scenario is about");
        }
    }

    /// Pool routes need segments, which are resolved after states.
    fn fix_routes(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for (i, s) in f
            .state
            .iter()
            .filter(|s| s.role.as_str() == "patron")
            .enumerate()
        {
            for (q, pool) in s.pool.iter().enumerate() {
                for (r, route) in pool.routes.iter().enumerate() {
                    let path = format!("state.{}.pool.{}.routes", s.id.value, pool.id.value);
                    let seg = self.lookup(
                        &n.segments,
                        &route.segment,
                        &format!("{path}.segment"),
                        "segment",
                    );
                    let weight = self.num(
                        &route.weight,
                        &format!("{path}.{}.weight", route.segment.value),
                        WEIGHT,
                        Arc::new(move |w, v| w.patrons[i].pools[q].routes[r].1 = v),
                    );
                    if let Some(seg) = seg {
                        w.patrons[i].pools[q].routes.push((seg, weight));
                    }
                }
            }
        }
    }

    fn groups(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for a in &f.armed_group {
            let path = format!("armed_group.{}", a.id.value);
            self.cite_all(&a.sources, &path);
            let i = w.groups.len();
            let role = self
                .keyword(
                    &a.role,
                    &format!("{path}.role"),
                    &[
                        ("faction", GroupRole::Faction),
                        ("state_force", GroupRole::StateForce),
                        ("insurgency", GroupRole::Insurgency),
                    ],
                )
                .unwrap_or_default();
            let region = a
                .region
                .as_ref()
                .and_then(|r| self.lookup(&n.regions, r, &format!("{path}.region"), "region"));
            let fighters = self.num(
                &a.fighters,
                &format!("{path}.fighters"),
                COUNT,
                Arc::new(move |w, v| w.groups[i].fighters = v),
            );
            let fill_rate = self.num_opt(
                &a.fill_rate,
                &format!("{path}.fill_rate"),
                SHARE,
                1.0,
                Arc::new(move |w, v| w.groups[i].fill_rate = v),
            );
            let morale = self.num(
                &a.morale,
                &format!("{path}.morale"),
                SHARE,
                Arc::new(move |w, v| w.groups[i].morale = v),
            );
            let ideology = self.num_opt(
                &a.ideology,
                &format!("{path}.ideology"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.groups[i].ideology = v),
            );
            let allegiance = match &a.allegiance {
                Some(al) => {
                    let norm = move |w: &mut World, k: usize, v: f64| {
                        let g = &mut w.groups[i];
                        g.allegiance[k] = v;
                        let s: f64 = g.allegiance.iter().sum();
                        if s > 0.0 {
                            g.allegiance.iter_mut().for_each(|x| *x /= s);
                        }
                    };
                    let p = self.num(
                        &al.patron,
                        &format!("{path}.allegiance.patron"),
                        SHARE,
                        Arc::new(move |w, v| norm(w, 0, v)),
                    );
                    let h = self.num(
                        &al.host,
                        &format!("{path}.allegiance.host"),
                        SHARE,
                        Arc::new(move |w, v| norm(w, 1, v)),
                    );
                    let o = self.num(
                        &al.own,
                        &format!("{path}.allegiance.self"),
                        SHARE,
                        Arc::new(move |w, v| norm(w, 2, v)),
                    );
                    let s = p + h + o;
                    if s.is_finite() && s <= 0.0 {
                        self.problem(
                            Some(al.patron.span.clone()),
                            format!("{path}.allegiance"),
                            "allegiance shares sum to zero",
                            "give at least one of patron, host, self a positive share",
                        );
                    }
                    if s > 0.0 {
                        [p / s, h / s, o / s]
                    } else {
                        [0.0, 0.0, 1.0]
                    }
                }
                None => [
                    0.0,
                    if role == GroupRole::StateForce {
                        1.0
                    } else {
                        0.0
                    },
                    if role == GroupRole::StateForce {
                        0.0
                    } else {
                        1.0
                    },
                ],
            };
            let stances: Vec<(&str, Stance)> = Stance::ALL.iter().map(|s| (s.name(), *s)).collect();
            let stance = a
                .stance
                .as_ref()
                .and_then(|s| self.keyword(s, &format!("{path}.stance"), &stances))
                .unwrap_or_default();
            let cost = self.num(
                &a.cost_per_fighter,
                &format!("{path}.cost_per_fighter"),
                MONEY,
                Arc::new(move |w, v| w.groups[i].cost_per_fighter = v),
            );
            let illicit = self.num_opt(
                &a.illicit_revenue,
                &format!("{path}.illicit_revenue"),
                MONEY,
                0.0,
                Arc::new(move |w, v| w.groups[i].illicit_revenue = v),
            );
            let dependence = self.num_opt(
                &a.sponsor_dependence,
                &format!("{path}.sponsor_dependence"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.groups[i].sponsor_dependence = v),
            );
            let tm = self.num(
                &a.threshold_mean,
                &format!("{path}.threshold_mean"),
                SHARE,
                Arc::new(move |w, v| w.groups[i].threshold_mean = v),
            );
            let ts = self.num(
                &a.threshold_sd,
                &format!("{path}.threshold_sd"),
                Domain {
                    min: 0.0,
                    max: 1.0,
                    what: "a standard deviation between 0 and 1",
                },
                Arc::new(move |w, v| w.groups[i].threshold_sd = v),
            );
            let mut allocation = Vec::new();
            let mut total = 0.0;
            for (k, asg) in a.allocation.iter().enumerate() {
                let front = match (&asg.segment, &asg.region) {
                    (Some(s), None) => self
                        .lookup(
                            &n.segments,
                            s,
                            &format!("{path}.allocation.segment"),
                            "segment",
                        )
                        .map(Front::Segment),
                    (None, Some(r)) => self
                        .lookup(
                            &n.regions,
                            r,
                            &format!("{path}.allocation.region"),
                            "region",
                        )
                        .map(Front::Region),
                    _ => {
                        self.problem(Some(asg.share.span.clone()), format!("{path}.allocation"), "an assignment needs exactly one of `segment` or `region`", "write { segment = \"...\", share = 0.1 } or { region = \"...\", share = 0.1 }");
                        None
                    }
                };
                let label = asg
                    .segment
                    .as_ref()
                    .or(asg.region.as_ref())
                    .map_or(String::new(), |x| x.value.clone());
                let share = self.num(
                    &asg.share,
                    &format!("{path}.allocation.{label}.share"),
                    SHARE,
                    Arc::new(move |w, v| w.groups[i].allocation[k].1 = v),
                );
                total += share;
                if let Some(front) = front {
                    allocation.push((front, share));
                }
            }
            if total > 1.0 + 1e-9 {
                self.problem(
                    Some(a.id.span.clone()),
                    format!("{path}.allocation"),
                    format!("shares sum to {total:.3}, more than the whole force"),
                    "make the shares sum to 1 or less; the rest is reserve",
                );
            }
            if role != GroupRole::StateForce && !a.allocation.is_empty() {
                self.problem(
                    Some(a.role.span.clone()),
                    format!("{path}.allocation"),
                    "only state forces have an allocation",
                    "remove `allocation` or set role = \"state_force\"",
                );
            }
            let abroad = self.num_opt(
                &a.abroad,
                &format!("{path}.abroad"),
                COUNT,
                0.0,
                Arc::new(move |w, v| w.groups[i].abroad = v),
            );
            let infiltration = a.infiltration.as_ref().and_then(|inf| {
                let seg = self.lookup(
                    &n.segments,
                    &inf.segment,
                    &format!("{path}.infiltration.segment"),
                    "segment",
                );
                let per_day = self.num(
                    &inf.per_day,
                    &format!("{path}.infiltration.per_day"),
                    COUNT,
                    Arc::new(move |w, v| {
                        if let Some(x) = &mut w.groups[i].infiltration {
                            x.1 = v;
                        }
                    }),
                );
                seg.map(|s| (s, per_day))
            });
            let stocks_days = self.num_opt(
                &a.stocks_days,
                &format!("{path}.stocks_days"),
                DAYS,
                DEFAULT_STOCKS_DAYS,
                Arc::new(move |w, v| w.groups[i].stocks_days = v),
            );
            let recruit_pool = self.num_opt(
                &a.recruit_pool,
                &format!("{path}.recruit_pool"),
                COUNT,
                0.0,
                Arc::new(move |w, v| w.groups[i].recruit_pool = v),
            );
            let defection_share = self.num_opt(
                &a.defection_share,
                &format!("{path}.defection_share"),
                SHARE,
                0.0,
                Arc::new(move |w, v| {
                    if let Some(d) = &mut w.groups[i].defection {
                        d.1 = v;
                    }
                }),
            );
            let defection = match (&a.defects_to, &a.defection_share) {
                (Some(to), _) => self
                    .lookup(&n.groups, to, &format!("{path}.defects_to"), "armed group")
                    .map(|g| (g, defection_share)),
                (None, Some(d)) => {
                    self.problem(
                        Some(d.span.clone()),
                        format!("{path}.defection_share"),
                        "`defection_share` needs `defects_to`",
                        "name the group its fighters go over to in `defects_to`, or remove `defection_share`",
                    );
                    None
                }
                (None, None) => None,
            };
            w.groups.push(ArmedGroup {
                name: a.name.clone(),
                role,
                region,
                fighters,
                fill_rate,
                morale,
                ideology,
                allegiance,
                stance,
                cost_per_fighter: cost,
                illicit_revenue: illicit,
                sponsor_dependence: dependence,
                threshold_mean: tm,
                threshold_sd: ts,
                foreign_exit_precondition: a.foreign_exit_precondition,
                guerrilla: a.guerrilla,
                splinter_of: None,
                allocation,
                abroad,
                infiltration,
                stocks_days,
                recruit_pool,
                defection,
            });
            if let Some(s) = &a.splinter {
                let parent = GroupId::at(i);
                let mut sp = w.groups[i].clone();
                sp.name = s.name.clone();
                sp.fighters = 0.0;
                sp.ideology = 1.0;
                sp.allegiance = [1.0, 0.0, 0.0];
                sp.stance = Stance::Aligned;
                sp.splinter_of = Some(parent);
                sp.allocation = Vec::new();
                sp.foreign_exit_precondition = true;
                w.groups.push(sp);
            }
        }
    }

    fn authorities_blocs_communities(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for (i, a) in f.authority.iter().enumerate() {
            let path = format!("authority.{}", a.id.value);
            self.cite_all(&a.sources, &path);
            let role = self
                .keyword(
                    &a.role,
                    &format!("{path}.role"),
                    &[
                        ("cleric", AuthorityRole::Cleric),
                        ("judiciary", AuthorityRole::Judiciary),
                    ],
                )
                .unwrap_or_default();
            let guidance = a
                .guidance
                .as_ref()
                .and_then(|g| self.keyword(g, &format!("{path}.guidance"), GUIDANCE))
                .unwrap_or_default();
            let credibility = self.num_opt(
                &a.credibility,
                &format!("{path}.credibility"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.authorities[i].credibility = v),
            );
            w.authorities.push(Authority {
                name: a.name.clone(),
                role,
                guidance,
                credibility,
            });
        }
        for (i, b) in f.bloc.iter().enumerate() {
            let path = format!("bloc.{}", b.id.value);
            self.cite_all(&b.sources, &path);
            let seats = self.num(
                &b.seats,
                &format!("{path}.seats"),
                COUNT,
                Arc::new(move |w, v| w.blocs[i].seats = v),
            );
            let pa = self.num(
                &b.patron_alignment,
                &format!("{path}.patron_alignment"),
                SHARE,
                Arc::new(move |w, v| w.blocs[i].patron_alignment = v),
            );
            w.blocs.push(Bloc {
                name: b.name.clone(),
                seats,
                patron_alignment: pa,
            });
        }
        for (i, c) in f.community.iter().enumerate() {
            let path = format!("community.{}", c.id.value);
            self.cite_all(&c.sources, &path);
            let region = self
                .lookup(&n.regions, &c.region, &format!("{path}.region"), "region")
                .unwrap_or_default();
            let population = self.num(
                &c.population,
                &format!("{path}.population"),
                COUNT,
                Arc::new(move |w, v| w.communities[i].population = v),
            );
            let pa = self.num(
                &c.patron_alignment,
                &format!("{path}.patron_alignment"),
                SHARE,
                Arc::new(move |w, v| w.communities[i].patron_alignment = v),
            );
            let hardship = self.num(
                &c.hardship,
                &format!("{path}.hardship"),
                SHARE,
                Arc::new(move |w, v| w.communities[i].hardship = v),
            );
            let legitimacy = self.num(
                &c.legitimacy,
                &format!("{path}.legitimacy"),
                SHARE,
                Arc::new(move |w, v| w.communities[i].legitimacy = v),
            );
            w.communities.push(Community {
                name: c.name.clone(),
                region,
                identity: c.identity.clone(),
                population,
                patron_alignment: pa,
                hardship,
                legitimacy,
            });
        }
    }

    fn segments(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for (i, s) in f.segment.iter().enumerate() {
            let path = format!("segment.{}", s.id.value);
            self.cite_all(&s.sources, &path);
            let region = self
                .lookup(&n.regions, &s.region, &format!("{path}.region"), "region")
                .unwrap_or_default();
            let length = self.num(
                &s.length_km,
                &format!("{path}.length_km"),
                KM,
                Arc::new(move |w, v| w.segments[i].length_km = v),
            );
            let terrain = self.num_opt(
                &s.terrain,
                &format!("{path}.terrain"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.segments[i].terrain = v),
            );
            let mut crossings = Vec::new();
            for c in &s.crossing {
                let x = w.crossings.len();
                let cp = format!("{path}.crossing.{}", c.id.value);
                self.cite_all(&c.sources, &cp);
                let official = self
                    .keyword(
                        &c.kind,
                        &format!("{cp}.kind"),
                        &[("official", true), ("informal", false)],
                    )
                    .unwrap_or(false);
                let cap = self.num(
                    &c.capacity_per_day,
                    &format!("{cp}.capacity_per_day"),
                    COUNT,
                    Arc::new(move |w, v| w.crossings[x].capacity_per_day = v),
                );
                let rev = self.num_opt(
                    &c.revenue_per_day,
                    &format!("{cp}.revenue_per_day"),
                    MONEY,
                    0.0,
                    Arc::new(move |w, v| w.crossings[x].revenue_per_day = v),
                );
                w.crossings.push(Crossing {
                    name: c.name.clone(),
                    segment: SegmentId::at(i),
                    official,
                    capacity_per_day: cap,
                    revenue_per_day: rev,
                });
                crossings.push(CrossingId::at(x));
            }
            w.segments.push(Segment {
                name: s.name.clone(),
                neighbor: s.neighbor.clone(),
                length_km: length,
                terrain,
                region,
                crossings,
            });
        }
    }

    /// The patron an event names in its `patron` field (checked present).
    fn event_patron(&mut self, n: &Names, patron: &Id, path: &str) -> Option<PatronId> {
        self.lookup(&n.patrons, patron, &format!("{path}.patron"), "patron")
    }

    fn ties(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        let kinds = [
            ("funds", TieKind::Funds),
            ("arms", TieKind::Arms),
            ("commands", TieKind::Commands),
            ("combat_support", TieKind::CombatSupport),
            ("ideology", TieKind::Ideology),
            ("pays", TieKind::Pays),
            ("hostile", TieKind::Hostile),
            ("controls", TieKind::Controls),
        ];
        let mut seen_ties = BTreeSet::new();
        for t in &f.tie {
            let path = format!("tie.{}->{}.{}", t.from.value, t.to.value, t.kind.value);
            if !seen_ties.insert(path.clone()) {
                self.problem(
                    Some(t.from.span.clone()),
                    path.clone(),
                    "duplicate tie: the same kind of tie between the same two ends",
                    "merge the two ties into one with a single weight",
                );
            }
            self.cite_all(&t.sources, &path);
            let kind = self.keyword(&t.kind, &format!("{path}.kind"), &kinds);
            let from = n.actor(&t.from);
            if from.is_none() {
                let all: Vec<String> = n
                    .groups
                    .keys()
                    .chain(n.patrons.keys())
                    .chain(n.outside.keys())
                    .chain(n.authorities.keys())
                    .chain(n.blocs.keys())
                    .chain(n.communities.keys())
                    .cloned()
                    .collect();
                let help = close(&t.from, all.iter());
                self.problem(
                    Some(t.from.span.clone()),
                    format!("{path}.from"),
                    format!("unknown actor `{}`", t.from.value),
                    help,
                );
            }
            let to = if let Some(a) = n.actor(&t.to) {
                Some(TieTarget::Actor(a))
            } else if let Some(x) = n.crossings.get(t.to.as_str()) {
                Some(TieTarget::Crossing(*x))
            } else if let Some(r) = n.regions.get(t.to.as_str()) {
                Some(TieTarget::Region(*r))
            } else {
                let all: Vec<String> = n
                    .groups
                    .keys()
                    .chain(n.patrons.keys())
                    .chain(n.outside.keys())
                    .chain(n.authorities.keys())
                    .chain(n.blocs.keys())
                    .chain(n.communities.keys())
                    .chain(n.crossings.keys())
                    .chain(n.regions.keys())
                    .cloned()
                    .collect();
                let help = close(&t.to, all.iter());
                self.problem(
                    Some(t.to.span.clone()),
                    format!("{path}.to"),
                    format!("unknown actor, crossing or region `{}`", t.to.value),
                    help,
                );
                None
            };
            if let (Some(TieKind::Controls), Some(TieTarget::Actor(_))) = (kind, to) {
                self.problem(
                    Some(t.to.span.clone()),
                    format!("{path}.to"),
                    "a `controls` tie points at a crossing or a region",
                    "name a crossing or region id in `to`",
                );
            }
            if let (Some(k), Some(TieTarget::Crossing(_) | TieTarget::Region(_))) = (kind, to)
                && k != TieKind::Controls
            {
                self.problem(
                    Some(t.kind.span.clone()),
                    format!("{path}.kind"),
                    format!("a `{}` tie cannot point at a crossing or region", k.name()),
                    "only `controls` ties point at crossings and regions",
                );
            }
            let i = w.ties.len();
            let weight = self.num(
                &t.weight,
                &format!("{path}.weight"),
                SHARE,
                Arc::new(move |w, v| w.ties[i].weight = v),
            );
            if let (Some(from), Some(to), Some(kind)) = (from, to, kind) {
                w.ties.push(Tie {
                    from,
                    to,
                    kind,
                    weight,
                });
            } else {
                w.ties.push(Tie {
                    from: ActorRef::Host,
                    to: TieTarget::Actor(ActorRef::Host),
                    kind: TieKind::Hostile,
                    weight: 0.0,
                });
            }
        }
    }

    fn event(
        &mut self,
        e: &raw::Event,
        path: &str,
        loc: EvLoc,
        n: &Names,
        f: &raw::File,
    ) -> Option<Event> {
        self.cite_all(&e.sources, path);
        let kinds = [
            "collapse",
            "pullback",
            "resumption",
            "withdrawal",
            "announcement",
            "successor",
            "leader_killed",
            "guidance",
            "strike",
            "offensive",
            "cut",
            "defection",
        ];
        let present: Vec<(&str, bool)> = vec![
            ("patron", e.patron.is_some()),
            ("duration_days", e.duration_days.is_some()),
            ("floor", e.floor.is_some()),
            ("from", e.from.is_some()),
            ("to", e.to.is_some()),
            ("share", e.share.is_some()),
            ("sponsor", e.sponsor.is_some()),
            ("expectation_drop", e.expectation_drop.is_some()),
            ("cut", e.cut.is_some()),
            ("delay_days", e.delay_days.is_some()),
            ("belief_days", e.belief_days.is_some()),
            ("channels", e.channels.is_some()),
            ("commit", e.commit.is_some()),
            ("then", e.then.is_some()),
            ("capacity", e.capacity.is_some()),
            ("continuity", e.continuity.is_some()),
            ("group", e.group.is_some()),
            ("morale_drop", e.morale_drop.is_some()),
            ("authority", e.authority.is_some()),
            ("guidance", e.guidance.is_some()),
            ("by", e.by.is_some()),
            ("fighters_killed", e.fighters_killed.is_some()),
            ("region", e.region.is_some()),
        ];
        let fields: &[&str] = match e.kind.as_str() {
            "collapse" | "pullback" => &["patron", "duration_days", "floor"],
            "withdrawal" => &["patron", "from", "to", "share"],
            "announcement" => &[
                "sponsor",
                "expectation_drop",
                "cut",
                "delay_days",
                "belief_days",
            ],
            "successor" => &["patron", "capacity", "continuity"],
            "resumption" => &["patron", "duration_days", "capacity"],
            "leader_killed" => &["group", "morale_drop"],
            "guidance" => &["authority", "guidance"],
            "strike" => &["by", "group", "fighters_killed"],
            "offensive" => &["group", "region", "commit", "then"],
            "cut" => &["sponsor", "channels", "share"],
            "defection" => &["group", "to", "share"],
            other => {
                let list: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.kind"),
                    format!("unknown event kind `{other}`"),
                    format!("use one of {}", list.join(", ")),
                );
                return None;
            }
        };
        let optional = ["to", "belief_days", "commit", "then"];
        let mut ok = true;
        for (field, is) in &present {
            if *is && !fields.contains(field) {
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("`{field}` does not belong to a `{}` event", e.kind.value),
                    format!("a `{}` event takes {}", e.kind.value, fields.join(", ")),
                );
                ok = false;
            }
            if !*is && fields.contains(field) && !optional.contains(field) {
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("a `{}` event needs `{field}`", e.kind.value),
                    format!("a `{}` event takes {}", e.kind.value, fields.join(", ")),
                );
                ok = false;
            }
        }
        let timing = match (&e.day, &e.hazard) {
            (Some(d), None) => {
                let day = self.num(
                    d,
                    &format!("{path}.day"),
                    DAY,
                    Arc::new(move |w, v| event_mut(w, loc).timing = Timing::Day(v.round() as u32)),
                );
                Timing::Day(day.round().max(1.0) as u32)
            }
            (None, Some(h)) => {
                let per_day = self.num(
                    &h.per_day,
                    &format!("{path}.hazard.per_day"),
                    SHARE,
                    Arc::new(move |w, v| {
                        if let Timing::Hazard { per_day, .. } = &mut event_mut(w, loc).timing {
                            *per_day = v;
                        }
                    }),
                );
                let from = self.num(
                    &h.from,
                    &format!("{path}.hazard.from"),
                    DAY,
                    Arc::new(move |w, v| {
                        if let Timing::Hazard { from, .. } = &mut event_mut(w, loc).timing {
                            *from = v.round() as u32;
                        }
                    }),
                );
                let to = self.num(
                    &h.to,
                    &format!("{path}.hazard.to"),
                    DAY,
                    Arc::new(move |w, v| {
                        if let Timing::Hazard { to, .. } = &mut event_mut(w, loc).timing {
                            *to = v.round() as u32;
                        }
                    }),
                );
                Timing::Hazard {
                    per_day,
                    from: from.round() as u32,
                    to: to.round() as u32,
                }
            }
            _ => {
                self.problem(
                    Some(e.id.span.clone()),
                    format!("{path}.day"),
                    "an event needs exactly one of `day` or `hazard`",
                    "write day = 3, or hazard = { per_day = 0.01, from = 1, to = 90 }",
                );
                ok = false;
                Timing::Day(1)
            }
        };
        if !ok {
            return None;
        }
        fn q(x: &Option<Q>) -> &Q {
            x.as_ref().expect("presence checked above")
        }
        fn id(x: &Option<Id>) -> &Id {
            x.as_ref().expect("presence checked above")
        }
        let kind = match e.kind.as_str() {
            "collapse" | "pullback" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let collapse = e.kind.as_str() == "collapse";
                let (d_apply, f_apply) = if collapse {
                    (
                        ev_set!(loc, Collapse, duration_days),
                        ev_set!(loc, Collapse, floor),
                    )
                } else {
                    (
                        ev_set!(loc, Pullback, duration_days),
                        ev_set!(loc, Pullback, floor),
                    )
                };
                let duration_days = self.num(
                    q(&e.duration_days),
                    &format!("{path}.duration_days"),
                    DAYS,
                    d_apply,
                );
                let floor = self.num(q(&e.floor), &format!("{path}.floor"), SHARE, f_apply);
                if collapse {
                    EventKind::Collapse {
                        patron,
                        duration_days,
                        floor,
                    }
                } else {
                    EventKind::Pullback {
                        patron,
                        duration_days,
                        floor,
                    }
                }
            }
            "withdrawal" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let raw_patron = f
                    .state
                    .iter()
                    .filter(|s| s.role.as_str() == "patron")
                    .nth(patron.index())?;
                let theaters: BTreeMap<String, usize> = raw_patron
                    .theater
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.id.value.clone(), i))
                    .collect();
                let from =
                    self.lookup(&theaters, id(&e.from), &format!("{path}.from"), "theatre")?;
                let to = match &e.to {
                    Some(t) => Some(self.lookup(&theaters, t, &format!("{path}.to"), "theatre")?),
                    None => None,
                };
                let share = self.num(
                    q(&e.share),
                    &format!("{path}.share"),
                    SHARE,
                    ev_set!(loc, Withdrawal, share),
                );
                EventKind::Withdrawal {
                    patron,
                    from,
                    to,
                    share,
                }
            }
            "announcement" => {
                let sponsor = self.sponsor(n, id(&e.sponsor), path)?;
                let expectation_drop = self.num(
                    q(&e.expectation_drop),
                    &format!("{path}.expectation_drop"),
                    SHARE,
                    ev_set!(loc, Announcement, expectation_drop),
                );
                let cut = self.num(
                    q(&e.cut),
                    &format!("{path}.cut"),
                    SHARE,
                    ev_set!(loc, Announcement, cut),
                );
                let delay_days = self.num(
                    q(&e.delay_days),
                    &format!("{path}.delay_days"),
                    DAYS,
                    ev_set!(loc, Announcement, delay_days),
                );
                let belief_days = match &e.belief_days {
                    Some(b) => self.num(
                        b,
                        &format!("{path}.belief_days"),
                        DAYS,
                        ev_set!(loc, Announcement, belief_days),
                    ),
                    None => delay_days,
                };
                EventKind::Announcement {
                    sponsor,
                    expectation_drop,
                    cut,
                    delay_days,
                    belief_days,
                }
            }
            "resumption" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let duration_days = self.num(
                    q(&e.duration_days),
                    &format!("{path}.duration_days"),
                    DAYS,
                    ev_set!(loc, Resumption, duration_days),
                );
                let capacity = self.num(
                    q(&e.capacity),
                    &format!("{path}.capacity"),
                    SHARE,
                    ev_set!(loc, Resumption, capacity),
                );
                EventKind::Resumption {
                    patron,
                    duration_days,
                    capacity,
                }
            }
            "successor" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let capacity = self.num(
                    q(&e.capacity),
                    &format!("{path}.capacity"),
                    SHARE,
                    ev_set!(loc, Successor, capacity),
                );
                let continuity = self.num(
                    q(&e.continuity),
                    &format!("{path}.continuity"),
                    SHARE,
                    ev_set!(loc, Successor, continuity),
                );
                EventKind::Successor {
                    patron,
                    capacity,
                    continuity,
                }
            }
            "leader_killed" => {
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let morale_drop = self.num(
                    q(&e.morale_drop),
                    &format!("{path}.morale_drop"),
                    SHARE,
                    ev_set!(loc, LeaderKilled, morale_drop),
                );
                EventKind::LeaderKilled { group, morale_drop }
            }
            "guidance" => {
                let authority = self.lookup(
                    &n.authorities,
                    id(&e.authority),
                    &format!("{path}.authority"),
                    "authority",
                )?;
                let guidance =
                    self.keyword(id(&e.guidance), &format!("{path}.guidance"), GUIDANCE)?;
                EventKind::GuidanceIssued {
                    authority,
                    guidance,
                }
            }
            "strike" => {
                let by = self.lookup(
                    &n.outside,
                    id(&e.by),
                    &format!("{path}.by"),
                    "outside power",
                )?;
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let fighters_killed = self.num(
                    q(&e.fighters_killed),
                    &format!("{path}.fighters_killed"),
                    COUNT,
                    ev_set!(loc, Strike, fighters_killed),
                );
                EventKind::Strike {
                    by,
                    group,
                    fighters_killed,
                }
            }
            "offensive" => {
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let region = self.lookup(
                    &n.regions,
                    id(&e.region),
                    &format!("{path}.region"),
                    "region",
                )?;
                let commit = match &e.commit {
                    Some(c) => self.num(
                        c,
                        &format!("{path}.commit"),
                        SHARE,
                        ev_set!(loc, Offensive, commit),
                    ),
                    None => 1.0,
                };
                let mut then = Vec::new();
                for r in e.then.as_deref().unwrap_or_default() {
                    then.extend(self.lookup(&n.regions, r, &format!("{path}.then"), "region"));
                }
                EventKind::Offensive {
                    group,
                    region,
                    commit,
                    then,
                }
            }
            "cut" => {
                let sponsor = self.sponsor(n, id(&e.sponsor), path)?;
                let names: Vec<(&str, TieKind)> =
                    TieKind::CHANNELS.iter().map(|k| (k.name(), *k)).collect();
                let mut channels = Vec::new();
                for c in e.channels.as_deref().unwrap_or_default() {
                    if let Some(k) = self.keyword(c, &format!("{path}.channels"), &names) {
                        channels.push(k);
                    }
                }
                if channels.is_empty() {
                    self.problem(
                        Some(e.kind.span.clone()),
                        format!("{path}.channels"),
                        "a `cut` event needs at least one channel",
                        "write channels = [\"funds\"] (funds, arms, commands, combat_support)",
                    );
                    return None;
                }
                let share = self.num(
                    q(&e.share),
                    &format!("{path}.share"),
                    SHARE,
                    ev_set!(loc, Cut, share),
                );
                EventKind::Cut {
                    sponsor,
                    channels,
                    share,
                }
            }
            "defection" => {
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let to = match &e.to {
                    Some(t) => {
                        Some(self.lookup(&n.groups, t, &format!("{path}.to"), "armed group")?)
                    }
                    None => None,
                };
                let share = self.num(
                    q(&e.share),
                    &format!("{path}.share"),
                    SHARE,
                    ev_set!(loc, Defection, share),
                );
                EventKind::Defection { group, to, share }
            }
            _ => return None,
        };
        Some(Event {
            name: e.id.value.clone(),
            timing,
            kind,
        })
    }

    fn levers(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for l in &f.lever {
            let path = format!("lever.{}", l.id.value);
            let kind_name = l.kind.as_str();
            let fields: &[&str] = match kind_name {
                "border_share" => &["force", "segments"],
                "offer" => &["part", "targets"],
                "force" | "payroll" => &["targets"],
                "intel" | "aid" | "dissuasion" | "guarantee" => &["power"],
                "neighbor_pressure" => &["power", "segments"],
                "policing" => &["regions"],
                other => {
                    let kinds = [
                        "border_share",
                        "offer",
                        "force",
                        "payroll",
                        "intel",
                        "aid",
                        "neighbor_pressure",
                        "dissuasion",
                        "guarantee",
                        "policing",
                    ];
                    self.problem(
                        Some(l.kind.span.clone()),
                        format!("{path}.kind"),
                        format!("unknown lever kind `{other}`"),
                        format!("use one of {}", kinds.join(", ")),
                    );
                    w.levers.push(Lever {
                        name: l.id.value.clone(),
                        kind: LeverKind::Policing { regions: vec![] },
                        default: 0.0,
                    });
                    continue;
                }
            };
            for (field, present) in [
                ("force", l.force.is_some()),
                ("segments", !l.segments.is_empty()),
                ("part", l.part.is_some()),
                ("targets", !l.targets.is_empty()),
                ("power", l.power.is_some()),
                ("regions", !l.regions.is_empty()),
            ] {
                if present && !fields.contains(&field) {
                    self.problem(
                        Some(l.kind.span.clone()),
                        format!("{path}.{field}"),
                        format!("`{field}` does not belong to a `{kind_name}` lever"),
                        format!("a `{kind_name}` lever takes {}", fields.join(", ")),
                    );
                }
            }
            let targets: Vec<GroupId> = l
                .targets
                .iter()
                .filter_map(|t| {
                    self.lookup(&n.groups, t, &format!("{path}.targets"), "armed group")
                })
                .collect();
            let segments: Vec<SegmentId> = l
                .segments
                .iter()
                .filter_map(|s| self.lookup(&n.segments, s, &format!("{path}.segments"), "segment"))
                .collect();
            let power = |this: &mut Self| match &l.power {
                Some(p) => this.lookup(&n.outside, p, &format!("{path}.power"), "outside power"),
                None => {
                    this.problem(
                        Some(l.kind.span.clone()),
                        format!("{path}.power"),
                        format!("a `{kind_name}` lever needs `power`"),
                        "name the outside power that acts",
                    );
                    None
                }
            };
            let kind = match kind_name {
                "border_share" => {
                    let force = match &l.force {
                        Some(fid) => {
                            self.lookup(&n.groups, fid, &format!("{path}.force"), "armed group")
                        }
                        None => {
                            self.problem(
                                Some(l.kind.span.clone()),
                                format!("{path}.force"),
                                "a `border_share` lever needs `force`",
                                "name the state force whose share it sets",
                            );
                            None
                        }
                    };
                    if segments.is_empty() {
                        self.problem(
                            Some(l.kind.span.clone()),
                            format!("{path}.segments"),
                            "a `border_share` lever needs `segments`",
                            "list the segments the share goes to",
                        );
                    }
                    LeverKind::BorderShare {
                        force: force.unwrap_or_default(),
                        segments,
                    }
                }
                "offer" => {
                    let part = match &l.part {
                        Some(p) => self.keyword(
                            p,
                            &format!("{path}.part"),
                            &[
                                ("immunity", OfferPart::Immunity),
                                ("compensation", OfferPart::Compensation),
                                ("posts", OfferPart::Posts),
                            ],
                        ),
                        None => {
                            self.problem(
                                Some(l.kind.span.clone()),
                                format!("{path}.part"),
                                "an `offer` lever needs `part`",
                                "part = \"immunity\", \"compensation\" or \"posts\"",
                            );
                            None
                        }
                    };
                    LeverKind::Offer {
                        part: part.unwrap_or(OfferPart::Immunity),
                        targets,
                    }
                }
                "force" => LeverKind::Force { targets },
                "payroll" => LeverKind::Payroll { targets },
                "intel" => LeverKind::Intel {
                    power: power(self).unwrap_or_default(),
                },
                "aid" => LeverKind::Aid {
                    power: power(self).unwrap_or_default(),
                },
                "dissuasion" => LeverKind::Dissuasion {
                    power: power(self).unwrap_or_default(),
                },
                "guarantee" => LeverKind::Guarantee {
                    power: power(self).unwrap_or_default(),
                },
                "neighbor_pressure" => LeverKind::NeighborPressure {
                    power: power(self).unwrap_or_default(),
                    segments,
                },
                _ => LeverKind::Policing {
                    regions: l
                        .regions
                        .iter()
                        .filter_map(|r| {
                            self.lookup(&n.regions, r, &format!("{path}.regions"), "region")
                        })
                        .collect(),
                },
            };
            let default = l
                .default
                .as_ref()
                .map_or(if kind_name == "payroll" { 1.0 } else { 0.0 }, |d| **d);
            if let Some(d) = &l.default
                && !(0.0..=1.0).contains(&d.value)
            {
                self.problem(
                    Some(d.span.clone()),
                    format!("{path}.default"),
                    format!(
                        "{} is out of range: levers take values between 0 and 1",
                        d.value
                    ),
                    "use a value between 0 and 1",
                );
            }
            w.levers.push(Lever {
                name: l.id.value.clone(),
                kind,
                default,
            });
        }
    }

    fn condition(&mut self, c: &raw::Condition, path: &str) -> Option<Condition> {
        let outcome = match Outcome::from_name(&c.outcome) {
            Some(o) => Some(o),
            None => {
                let names: Vec<String> =
                    Outcome::ALL.iter().map(|o| o.name().to_string()).collect();
                let help = close(&c.outcome, names.iter());
                self.problem(
                    Some(c.outcome.span.clone()),
                    format!("{path}.outcome"),
                    format!("unknown outcome `{}`", c.outcome.value),
                    help,
                );
                None
            }
        };
        let stat = match &c.stat {
            Some(s) => self.keyword(
                s,
                &format!("{path}.stat"),
                &[
                    ("end", Stat::End),
                    ("max", Stat::Max),
                    ("min", Stat::Min),
                    ("mean", Stat::Mean),
                ],
            ),
            None => Some(Stat::End),
        };
        let op = self.keyword(
            &c.op,
            &format!("{path}.op"),
            &[(">", Op::Gt), (">=", Op::Ge), ("<", Op::Lt), ("<=", Op::Le)],
        );
        Some(Condition {
            outcome: outcome?,
            stat: stat?,
            op: op?,
            value: *c.value,
        })
    }

    fn lever_value(&mut self, v: &Sp<f64>, path: &str) -> f64 {
        if !(0.0..=1.0).contains(&v.value) {
            self.problem(
                Some(v.span.clone()),
                path,
                format!(
                    "{} is out of range: levers take values between 0 and 1",
                    v.value
                ),
                "use a value between 0 and 1",
            );
        }
        **v
    }

    fn coas(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        if f.coa.is_empty() {
            self.problem(
                None,
                "coa",
                "no course of action",
                "add at least one [[coa]] (an empty one means: do nothing)",
            );
        }
        for c in &f.coa {
            let path = format!("coa.{}", c.id.value);
            let mut settings = Vec::new();
            for s in &c.set {
                let lever = self.lookup(&n.levers, &s.lever, &format!("{path}.set.lever"), "lever");
                let value =
                    self.lever_value(&s.value, &format!("{path}.set.{}.value", s.lever.value));
                let from_day = s.day.as_ref().map_or(1, |d| (**d).max(1));
                if let Some(lever) = lever {
                    settings.push(Setting {
                        lever,
                        value,
                        from_day,
                    });
                }
            }
            let mut triggers = Vec::new();
            for (k, t) in c.trigger.iter().enumerate() {
                let tp = format!("{path}.trigger.{k}");
                let when = self.condition(&t.when, &format!("{tp}.when"));
                let lever = self.lookup(&n.levers, &t.lever, &format!("{tp}.lever"), "lever");
                let value = self.lever_value(&t.value, &format!("{tp}.value"));
                if let (Some(when), Some(lever)) = (when, lever) {
                    triggers.push(Trigger {
                        when,
                        from_day: t.from_day.as_ref().map_or(1, |d| **d),
                        lever,
                        value,
                    });
                }
            }
            let issues: BTreeMap<String, usize> = f
                .issue
                .iter()
                .enumerate()
                .map(|(k, is)| (is.id.value.clone(), k))
                .collect();
            let delegated: Vec<usize> = c
                .delegate
                .iter()
                .filter_map(|d| self.lookup(&issues, d, &format!("{path}.delegate"), "issue"))
                .collect();
            w.coas.push(Coa {
                name: c.id.value.clone(),
                settings,
                triggers,
                delegated,
            });
        }
    }

    fn futures(&mut self, f: &raw::File, w: &mut World) {
        for fu in &f.future {
            let path = format!("future.{}", fu.id.value);
            let conditions: Vec<Condition> = fu
                .when
                .iter()
                .enumerate()
                .filter_map(|(k, c)| self.condition(c, &format!("{path}.when.{k}")))
                .collect();
            w.futures.push(Future {
                name: fu.id.value.clone(),
                conditions,
            });
        }
    }

    fn issues(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for is in &f.issue {
            let path = format!("issue.{}", is.id.value);
            let mut stakeholders = Vec::new();
            let base = w.issues.len();
            for (k, s) in is.stakeholder.iter().enumerate() {
                let sp = format!("{path}.stakeholder.{}", s.actor.value);
                self.cite_all(&s.sources, &sp);
                let actor = n.actor(&s.actor);
                if actor.is_none() {
                    self.problem(Some(s.actor.span.clone()), format!("{sp}.actor"), format!("unknown actor `{}`", s.actor.value), "stakeholders are actors: states, armed groups, authorities, blocs or communities");
                }
                let position = self.num(
                    &s.position,
                    &format!("{sp}.position"),
                    POSITION,
                    Arc::new(move |w, v| w.issues[base].stakeholders[k].position = v),
                );
                let salience = self.num(
                    &s.salience,
                    &format!("{sp}.salience"),
                    SHARE,
                    Arc::new(move |w, v| w.issues[base].stakeholders[k].salience = v),
                );
                let capability = self.num(
                    &s.capability,
                    &format!("{sp}.capability"),
                    POSITIVE,
                    Arc::new(move |w, v| w.issues[base].stakeholders[k].capability = v),
                );
                stakeholders.push(Stakeholder {
                    actor: actor.unwrap_or(ActorRef::Host),
                    position,
                    salience,
                    capability,
                });
            }
            let delegates = is
                .delegates
                .iter()
                .filter_map(|d| {
                    let lever = self.lookup(
                        &n.levers,
                        &d.lever,
                        &format!("{path}.delegates.lever"),
                        "lever",
                    )?;
                    let low = self.lever_value(&d.low, &format!("{path}.delegates.low"));
                    let high = self.lever_value(&d.high, &format!("{path}.delegates.high"));
                    Some((lever, low, high))
                })
                .collect();
            let mut smp = patronfall_model::SmpParams::default();
            for (name, value) in &is.smp {
                if let Err(msg) = smp.set(name, &value.text()) {
                    self.problem(
                        Some(value.span.clone()),
                        format!("{path}.smp.{name}"),
                        msg,
                        "set a KTAB parameter of the Spatial Model of Politics by its name, or remove it to keep KTAB's default",
                    );
                }
            }
            w.issues.push(Issue {
                name: is.id.value.clone(),
                stakeholders,
                every_days: *is.every_days,
                delegates,
                smp,
            });
        }
    }

    /// Checks that need the whole scenario.
    fn whole(&mut self, f: &raw::File, n: &Names, w: &World) {
        if let Some(last) = f.future.last()
            && !last.when.is_empty()
        {
            self.problem(
                Some(last.id.span.clone()),
                format!("future.{}.when", last.id.value),
                "the last future has conditions, so a run may reach no future",
                "end the list with a default future that has no `when`",
            );
        }
        for (i, fu) in f.future.iter().enumerate() {
            if fu.when.is_empty() && i + 1 < f.future.len() {
                self.problem(Some(fu.id.span.clone()), format!("future.{}.when", fu.id.value), "a future without conditions always holds, so the futures after it are never reached", "move it to the end of the list");
            }
        }
        for (g, a) in f.armed_group.iter().enumerate() {
            let _ = g;
            if a.role.as_str() == "insurgency" && a.infiltration.is_some() && a.abroad.is_none() {
                self.problem(
                    Some(a.id.span.clone()),
                    format!("armed_group.{}.abroad", a.id.value),
                    "an insurgency that infiltrates needs fighters `abroad`",
                    "add abroad = the fighters outside the host who try to come in",
                );
            }
        }
        let offensive = f
            .event
            .iter()
            .chain(f.shock.iter().flat_map(|s| &s.event))
            .find(|e| e.kind.as_str() == "offensive");
        if let (None, Some(host), Some(e)) = (w.host.capital, &n.host, offensive) {
            self.problem(
                Some(e.kind.span.clone()),
                format!("state.{host}.capital"),
                format!(
                    "the offensive `{}` is scheduled but the host has no capital",
                    e.id.value
                ),
                "add capital = \"<region id>\" to the host state",
            );
        }
    }
}

const GUIDANCE: &[(&str, Guidance)] = &[
    ("silent", Guidance::Silent),
    ("calm", Guidance::Calm),
    ("state_monopoly", Guidance::StateMonopoly),
    ("mobilization", Guidance::Mobilization),
];
