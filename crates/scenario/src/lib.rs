//! Scenario files: TOML in, a validated [`Scenario`] out.
//!
//! This crate is the only one that knows the scenario format. It reads a file
//! into the raw structs of [`raw`] (which mirror the TOML and keep source
//! positions), then [`resolve`](crate::resolve) turns them into the model's
//! [`World`] with names resolved to ids, units and defaults applied, and every
//! figure checked. Problems come back together as a [`ScenarioError`] that
//! names file, line, column and field.
//!
//! Every uncertain figure (a range or a distribution in the file) becomes an
//! [`Uncertainty`] addressed by its path; [`Scenario::world_with`] builds the
//! world for one sample of them. Built-in scenarios are embedded in the binary
//! ([`builtin`]).

use patronfall_model::{CoaId, ShockId, World};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

pub mod diff;
pub mod edit;
pub mod error;
pub mod indicators;
pub mod limits;
pub mod paths;
pub mod quantity;
pub mod raw;
mod resolve;
pub mod seen;
pub mod trace;

pub use error::{Problem, ScenarioError};
pub use limits::{DaysOutOfRange, MAX_DAYS, check_days};
pub use quantity::{Dist, Quantity};

/// A source figures cite.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRef {
    /// Its key, e.g. `S8`.
    pub key: String,
    /// Publisher or author.
    pub publisher: String,
    /// Title.
    pub title: String,
    /// Year.
    pub year: i32,
    /// Notes (confidence).
    pub note: String,
}

/// Writes one uncertain figure's value into a world.
pub(crate) type Apply = Arc<dyn Fn(&mut World, f64) + Send + Sync>;

/// An uncertain figure: its path, distribution and how to set it in a world.
#[derive(Clone)]
pub struct Uncertainty {
    /// Where it sits, e.g. `armed_group.kh.fighters`.
    pub path: String,
    /// The source keys it rests on: its own `source`, then the keys of the
    /// most specific entity it is written under that cites any ([`trace`]).
    pub sources: Vec<String>,
    /// Its distribution.
    pub dist: Dist,
    /// The value a single run uses.
    pub nominal: f64,
    /// Smallest valid value (samples are clamped to it).
    pub min: f64,
    /// Largest valid value.
    pub max: f64,
    pub(crate) apply: Apply,
}

impl Uncertainty {
    /// The value at cumulative probability `u`, clamped to the valid range.
    pub fn sample(&self, u: f64) -> f64 {
        self.dist.quantile(u).clamp(self.min, self.max)
    }
}

impl std::fmt::Debug for Uncertainty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uncertainty")
            .field("path", &self.path)
            .field("dist", &self.dist)
            .field("nominal", &self.nominal)
            .finish()
    }
}

/// A dated milestone of what actually happened in a past case
/// (`[[observed]]`). Kept apart from the world: observations are what a
/// backtest scores runs against, never model input.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Day it happened (1 is the first simulated day).
    pub day: u32,
    /// The collapse condition that marks it in a run, judged on each day's
    /// value (its stat is always `end`); `None` for a milestone that is
    /// only context (a `since` origin, a dated step on the way).
    pub condition: Option<patronfall_model::Condition>,
    /// How the condition is scored.
    pub kind: MilestoneKind,
    /// Index (into [`Scenario::observed`]) of the observation its lag is
    /// counted from; `None` counts from day 0.
    pub since: Option<usize>,
    /// Calendar date and remarks.
    pub note: String,
    /// Source keys.
    pub sources: Vec<String>,
}

/// How an observed milestone's condition is scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MilestoneKind {
    /// The client collapsed: the milestone's day is the day the condition
    /// first held, and runs are scored on the lag to the day it first holds.
    Collapse,
    /// The client survived: the condition had not held by the milestone's
    /// day, and runs are scored on the share in which it has not held by then.
    Survival,
}

impl MilestoneKind {
    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            MilestoneKind::Collapse => "collapse",
            MilestoneKind::Survival => "survival",
        }
    }
}

impl Scenario {
    /// The day an observation's lag is counted from: its `since`
    /// observation's day, or 0.
    pub fn observed_origin(&self, o: &Observation) -> u32 {
        o.since.map_or(0, |i| self.observed[i].day)
    }

    /// The scored milestone: the observation with a condition (a scenario
    /// has at most one), if any.
    pub fn scored_milestone(&self) -> Option<&Observation> {
        self.observed.iter().find(|o| o.condition.is_some())
    }

    /// Whether this is a past case: it has a scored milestone.
    pub fn is_past_case(&self) -> bool {
        self.scored_milestone().is_some()
    }
}

/// Identifiers of the scenario's entities, in id order, for lookups and outputs.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    /// Armed groups (splinters follow their parent).
    pub groups: Vec<String>,
    /// Courses of action.
    pub coas: Vec<String>,
    /// Shocks.
    pub shocks: Vec<String>,
    /// Futures.
    pub futures: Vec<String>,
    /// Segments.
    pub segments: Vec<String>,
    /// Crossings.
    pub crossings: Vec<String>,
    /// Communities.
    pub communities: Vec<String>,
    /// Levers.
    pub levers: Vec<String>,
}

/// What the scenario file says about an entity for people: its display
/// name and what it means. The model runs on ids; outputs that people read
/// (the report, `patronfall run`) show these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Described {
    /// Display name (`name`).
    pub name: String,
    /// What it means (`description`; empty when the file gives none).
    pub description: String,
}

/// How a scenario is read: options that add to the figures it holds.
/// Results record it (the manifest's `vary_parameters`), so that a scenario
/// re-opened for a report holds the same figures as the ensemble.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// Every model parameter with a plausible range in the registry
    /// (docs/model.md, section 8.1) becomes an uncertain figure
    /// `parameters.GROUP.NAME`, uniform over that range, citing the source
    /// `registry` (an analyst assumption); a `[parameters]` entry that
    /// narrows a plausible range is refused.
    pub vary_parameters: bool,
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Identifier from `[scenario]`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The file name it was read from (or `builtin:<name>`).
    pub file: String,
    /// SHA-256 of the file's bytes, hex.
    pub hash: String,
    /// How it was read.
    pub reading: Reading,
    /// Sources (with the parameter registry's when parameters are varied).
    pub sources: Vec<SourceRef>,
    /// The world with every uncertain figure at its nominal value.
    pub world: World,
    /// Uncertain figures, in file order.
    pub uncertainties: Vec<Uncertainty>,
    /// Shock played by default.
    pub default_shock: Option<ShockId>,
    /// Course of action played by default.
    pub default_coa: CoaId,
    /// Entity identifiers.
    pub ids: Ids,
    /// The futures' names and meanings, in id order (as `ids.futures`).
    pub futures: Vec<Described>,
    /// The courses of action's names and meanings, in id order (as `ids.coas`).
    pub coas: Vec<Described>,
    /// What actually happened, for past cases (`[[observed]]`; empty otherwise).
    pub observed: Vec<Observation>,
    /// What an analyst can watch (`[[indicator]]`, or the defaults of
    /// [`indicators::defaults`] when the file names none).
    pub indicators: Vec<indicators::Indicator>,
    /// What an analyst saw of the indicators on the way, for past cases
    /// (`[[seen]]`; empty otherwise).
    pub seen: Vec<seen::Seen>,
}

impl Scenario {
    /// The world for one sample: `values[i]` sets `uncertainties[i]`.
    pub fn world_with(&self, values: &[f64]) -> World {
        let mut w = self.world.clone();
        for (u, v) in self.uncertainties.iter().zip(values) {
            (u.apply)(&mut w, *v);
        }
        w
    }

    /// The course of action with this id.
    pub fn coa(&self, id: &str) -> Option<CoaId> {
        self.ids.coas.iter().position(|c| c == id).map(CoaId::at)
    }

    /// The keys of the sources that are analyst assumptions
    /// ([`trace::is_assumption`]), in the file's order.
    pub fn assumption_keys(&self) -> Vec<&str> {
        self.sources
            .iter()
            .filter(|s| trace::is_assumption(s))
            .map(|s| s.key.as_str())
            .collect()
    }

    /// The shock with this id.
    pub fn shock(&self, id: &str) -> Option<ShockId> {
        self.ids
            .shocks
            .iter()
            .position(|s| s == id)
            .map(ShockId::at)
    }
}

/// Parses and validates scenario text; `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    parse_with(file, text, Reading::default())
}

/// [`parse`], read with these options.
pub fn parse_with(file: &str, text: &str, reading: Reading) -> Result<Scenario, ScenarioError> {
    let fail = |problems: Vec<Problem>| ScenarioError {
        file: file.to_string(),
        text: text.to_string(),
        problems,
    };
    if text.trim().is_empty() {
        return Err(fail(vec![Problem {
            span: None,
            field: "(file)".into(),
            message: "the file is empty".into(),
            help: "start from `patronfall scenario init` for a commented template".into(),
        }]));
    }
    let (raw, unknown) = raw::read(text).map_err(fail)?;
    match resolve::Resolver::new(text)
        .reading(reading)
        .resolve(raw, file)
    {
        Ok(mut scenario) if unknown.is_empty() => {
            scenario.hash = hex(&Sha256::digest(text.as_bytes()));
            Ok(scenario)
        }
        Ok(_) => Err(fail(unknown)),
        Err(problems) => Err(fail(merge_in_file_order(problems, unknown))),
    }
}

/// Validation's problems with the unknown fields the reader found, each
/// unknown field placed before the first problem further down the file.
fn merge_in_file_order(problems: Vec<Problem>, unknown: Vec<Problem>) -> Vec<Problem> {
    let start = |p: &Problem| p.span.as_ref().map_or(usize::MAX, |s| s.start);
    let mut out = Vec::with_capacity(problems.len() + unknown.len());
    let mut unknown = unknown.into_iter().peekable();
    for p in problems {
        while let Some(u) = unknown.next_if(|u| start(u) <= start(&p)) {
            out.push(u);
        }
        out.push(p);
    }
    out.extend(unknown);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    load_with(path, Reading::default())
}

/// [`load`], read with these options.
pub fn load_with(path: &Path, reading: Reading) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse_with(&file, &text, reading),
            Err(_) => Err(ScenarioError {
                file,
                text: String::new(),
                problems: vec![Problem {
                    span: None,
                    field: "(file)".into(),
                    message: "the file is not UTF-8 text".into(),
                    help: "save the scenario as UTF-8 TOML".into(),
                }],
            }),
        },
        Err(e) => Err(ScenarioError {
            file,
            text: String::new(),
            problems: vec![Problem {
                span: None,
                field: "(file)".into(),
                message: format!("cannot read the file: {e}"),
                help: "check the path; built-in scenarios are listed by `patronfall scenario list`"
                    .into(),
            }],
        }),
    }
}

/// Built-in scenarios: (name, one-line description, TOML text).
pub const BUILTINS: &[(&str, &str, &str)] = &[
    (
        "iraq-after-tehran",
        "Iraq when Iran's regime pulls back or collapses (the seeds' system)",
        include_str!("../scenarios/iraq-after-tehran.toml"),
    ),
    (
        "syria-2024",
        "Past case: Assad's patrons drawn away, Damascus falls to the HTS-led offensive",
        include_str!("../scenarios/syria-2024.toml"),
    ),
    (
        "afghanistan-2021",
        "Past case: the US leaves the Afghan Republic, Kabul falls to the Taliban",
        include_str!("../scenarios/afghanistan-2021.toml"),
    ),
    (
        "sla-2000",
        "Past case: Israel leaves southern Lebanon, the South Lebanon Army dissolves",
        include_str!("../scenarios/sla-2000.toml"),
    ),
    (
        "kdp-1975",
        "Past case: the Algiers Agreement ends Iran's support, the Kurdish revolt collapses",
        include_str!("../scenarios/kdp-1975.toml"),
    ),
    (
        "derg-1991",
        "Past case: the USSR cuts back, Ethiopia's army erodes and Addis Ababa falls",
        include_str!("../scenarios/derg-1991.toml"),
    ),
    (
        "contras-1984",
        "Past case (survival): the US cuts military aid, the Contras fight on",
        include_str!("../scenarios/contras-1984.toml"),
    ),
    (
        "renamo-1984",
        "Past case (survival): South Africa signs Nkomati, RENAMO fights on",
        include_str!("../scenarios/renamo-1984.toml"),
    ),
];

/// The text of a built-in scenario.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.0 == name).map(|b| b.2)
}

/// Loads a built-in scenario by name (or `template`, the template
/// `patronfall scenario init` writes) or a file by path.
pub fn open(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    open_with(name_or_path, Reading::default())
}

/// [`open`], read with these options.
pub fn open_with(name_or_path: &str, reading: Reading) -> Result<Scenario, ScenarioError> {
    let text = builtin_text(name_or_path).or((name_or_path == "template").then_some(TEMPLATE));
    match text {
        Some(text) => parse_with(&format!("builtin:{name_or_path}"), text, reading),
        None => load_with(Path::new(name_or_path), reading),
    }
}

/// The text of a scenario as [`Scenario::file`] names it (`builtin:<name>`
/// or a path), if it can still be read; its SHA-256 is checked by whoever
/// needs the text of exactly that version.
pub fn source_text(file: &str) -> Option<String> {
    match file.strip_prefix("builtin:") {
        Some(name) => builtin_text(name)
            .or((name == "template").then_some(TEMPLATE))
            .map(str::to_string),
        None => std::fs::read_to_string(file).ok(),
    }
}

/// The SHA-256 of a scenario text, hex: [`Scenario::hash`] of its scenario.
pub fn text_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// A JSON Schema of the scenario format, for editors.
pub fn schema() -> serde_json::Value {
    let schema = schemars::schema_for!(raw::File);
    serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
}

/// A commented template scenario for `patronfall scenario init`.
pub const TEMPLATE: &str = include_str!("../scenarios/template.toml");

#[cfg(test)]
mod tests {
    use super::*;

    /// The futures' and courses of action's names and descriptions reach the
    /// scenario, in id order, for the outputs people read.
    #[test]
    fn futures_and_coas_keep_their_names_and_meanings() {
        let s = parse("iraq.toml", builtin_text("iraq-after-tehran").unwrap())
            .unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(s.futures.len(), s.ids.futures.len());
        assert_eq!(s.coas.len(), s.ids.coas.len());
        let f = s.ids.futures.iter().position(|f| f == "spillover_crisis");
        let f = &s.futures[f.expect("the built-in scenario has spillover_crisis")];
        assert_eq!(f.name, "Spillover crisis");
        assert!(f.description.contains("fire break fails"), "{f:?}");
        for (id, c) in s.ids.coas.iter().zip(&s.coas) {
            assert!(!c.name.is_empty(), "{id} has a display name");
        }
    }
}
