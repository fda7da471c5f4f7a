//! The scenario file as written: serde structs that mirror the TOML, keep
//! the source position of every field that validation may complain about,
//! and reject unknown fields (a typo must never be ignored).
//!
//! These types are the file format (format = 1); the model's types are kept
//! apart and built from them by `resolve`. The JSON Schema for editors is
//! derived from these structs.
//!
//! [`read`] does not stop at an unknown field: it reports it, leaves it
//! out and reads on, so that validation reports the file's other problems
//! in the same pass.

use crate::error::Problem;
use crate::quantity::Quantity;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Unknown fields left out and read past; the next one stops the reading
/// (a file with this many is probably not a scenario at all).
const MAX_UNKNOWN_FIELDS: usize = 50;

/// Reads a scenario's text into [`File`]. Each unknown field becomes a
/// problem and is left out, and the rest is read: `Ok` holds the file and
/// the unknown fields found (validation adds its own problems to them).
/// Anything else wrong at this level (TOML syntax, a missing field, a value
/// of the wrong type) stops the reading: `Err` holds it after the unknown
/// fields found before it.
pub fn read(text: &str) -> Result<(File, Vec<Problem>), Vec<Problem>> {
    let mut table = DeTable::parse(text).map_err(|e| vec![toml_problem(text, &e)])?;
    let mut unknown: Vec<Problem> = Vec::new();
    // Tables are visited in key order: put the file's order back.
    let in_file_order = |mut problems: Vec<Problem>| {
        problems.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
        problems
    };
    loop {
        let error = match File::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(file) => return Ok((file, in_file_order(unknown))),
            Err(e) => e,
        };
        let problem = toml_problem(text, &error);
        let left_out = error.message().starts_with("unknown field")
            && unknown.len() < MAX_UNKNOWN_FIELDS
            && error
                .span()
                .is_some_and(|span| remove_key(table.get_mut(), &span));
        if !left_out {
            let mut all = in_file_order(unknown);
            all.push(problem);
            return Err(all);
        }
        unknown.push(problem);
    }
}

/// Removes the key whose name sits at `span`, wherever it is nested.
fn remove_key(table: &mut DeTable<'_>, span: &Range<usize>) -> bool {
    let name = table
        .iter()
        .find(|(k, _)| k.span() == *span)
        .map(|(k, _)| k.get_ref().to_string());
    match name {
        Some(name) => table.remove(name.as_str()).is_some(),
        None => table
            .iter_mut()
            .any(|(_, v)| remove_key_in(v.get_mut(), span)),
    }
}

fn remove_key_in(value: &mut DeValue<'_>, span: &Range<usize>) -> bool {
    match value {
        DeValue::Table(t) => remove_key(t, span),
        DeValue::Array(items) => items.iter_mut().any(|v| remove_key_in(v.get_mut(), span)),
        _ => false,
    }
}

/// A problem from the TOML reader, with the field it is about and advice
/// suited to its kind.
fn toml_problem(text: &str, e: &toml::de::Error) -> Problem {
    let message = e.message().trim().to_string();
    let help = if message.contains("unknown field") {
        "remove or correct the field: every field a scenario may hold is listed in docs/scenario-format.md (and `patronfall scenario schema`)"
    } else if message.contains("missing field") {
        "add the field; docs/scenario-format.md says what it means"
    } else if message.contains("invalid type") {
        "give the field a value of the type the format expects"
    } else {
        "check the TOML syntax near this place"
    };
    Problem {
        span: e.span(),
        field: field_of_toml_error(text, e.span()),
        message,
        help: help.to_string(),
    }
}

/// The dotted path of the table around a byte offset, for TOML-level errors.
fn field_of_toml_error(text: &str, span: Option<Range<usize>>) -> String {
    let Some(span) = span else {
        return "(file)".into();
    };
    let before = &text[..span.start.min(text.len())];
    let table = before
        .lines()
        .rev()
        .find_map(|l| {
            let t = l.trim();
            t.strip_prefix("[[")
                .and_then(|r| r.strip_suffix("]]"))
                .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        })
        .unwrap_or("");
    let key = text[span.clone()]
        .split(['=', '\n'])
        .next()
        .unwrap_or("")
        .trim();
    match (table.is_empty(), key.is_empty() || key.len() > 40) {
        (true, true) => "(file)".into(),
        (true, false) => key.to_string(),
        (false, true) => table.to_string(),
        (false, false) => format!("{table}.{key}"),
    }
}

/// A value with its byte range in the file.
#[derive(Clone, Debug)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the source text.
    pub span: Range<usize>,
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = toml::Spanned::<T>::deserialize(d)?;
        let span = s.span();
        Ok(Sp {
            value: s.into_inner(),
            span,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A figure with its position.
pub type Q = Sp<Quantity>;
/// An identifier or reference with its position.
pub type Id = Sp<String>;

/// The whole file.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Format version of the file; this program reads format 1.
    pub format: Sp<u32>,
    /// What the scenario is.
    pub scenario: Header,
    /// Sources that figures cite by key.
    #[serde(default)]
    pub source: Vec<Source>,
    /// Overrides of the model's general parameters, by mechanism: `[parameters.firebreak] interdiction_k = [0.4, 0.8]`.
    #[serde(default)]
    pub parameters: BTreeMap<String, BTreeMap<String, Q>>,
    /// Regions of the host state.
    #[serde(default)]
    pub region: Vec<Region>,
    /// States: the patron(s), the host, outside powers.
    #[serde(default)]
    pub state: Vec<State>,
    /// Armed groups: factions, state forces, insurgencies.
    #[serde(default)]
    pub armed_group: Vec<ArmedGroup>,
    /// Authorities: clerics and judiciaries.
    #[serde(default)]
    pub authority: Vec<Authority>,
    /// Political blocs.
    #[serde(default)]
    pub bloc: Vec<Bloc>,
    /// Communities: people of one identity in one region.
    #[serde(default)]
    pub community: Vec<Community>,
    /// Border segments with their crossings.
    #[serde(default)]
    pub segment: Vec<Segment>,
    /// Ties between actors.
    #[serde(default)]
    pub tie: Vec<Tie>,
    /// Events that happen whatever the shock.
    #[serde(default)]
    pub event: Vec<Event>,
    /// Shocks: named bundles of events; a run plays one.
    #[serde(default)]
    pub shock: Vec<Shock>,
    /// Levers decision makers can set.
    #[serde(default)]
    pub lever: Vec<Lever>,
    /// Courses of action.
    #[serde(default)]
    pub coa: Vec<Coa>,
    /// Futures: named end states, checked in order.
    #[serde(default)]
    pub future: Vec<Future>,
    /// Issues bargained over by stakeholders.
    #[serde(default)]
    pub issue: Vec<Issue>,
    /// What actually happened (past cases): dated milestones a backtest
    /// scores runs against. Not model input.
    #[serde(default)]
    pub observed: Vec<Observed>,
    /// What an analyst can watch: indicators with their observation days
    /// and measurement error (`crate::indicators`).
    #[serde(default)]
    pub indicator: Vec<crate::indicators::RawIndicator>,
    /// What an analyst saw of the indicators on the way (past cases): one
    /// value or range per indicator and day, with sources (`crate::seen`).
    /// Not model input.
    #[serde(default)]
    pub seen: Vec<crate::seen::RawSeen>,
}

/// `[scenario]`: what the scenario is.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Short identifier, e.g. `iraq-after-tehran`.
    pub id: Id,
    /// Title.
    pub title: String,
    /// What it describes.
    #[serde(default)]
    pub description: String,
    /// Days simulated by default (365 if absent).
    pub horizon_days: Option<Sp<u32>>,
    /// Shock played when none is asked for.
    pub default_shock: Option<Id>,
    /// Course of action played when none is asked for (the first if absent).
    pub default_coa: Option<Id>,
    /// How unrest is computed (M6): `mean_field` (default) or `agents`.
    pub unrest: Option<Id>,
    /// With `unrest = "agents"`: cells per side of each community's grid (default 40).
    pub agent_grid: Option<Sp<u32>>,
}

/// `[[source]]`: where figures come from.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Key figures cite, e.g. `S8`.
    pub key: Id,
    /// Publisher or author.
    pub publisher: String,
    /// Title.
    pub title: String,
    /// Year of publication.
    pub year: Sp<i32>,
    /// Anything else a reader should know (e.g. low confidence).
    #[serde(default)]
    pub note: String,
}

/// `[[region]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `[[state]]`: a state actor: role patron, host or outside.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// `patron`, `host` or `outside`.
    pub role: Id,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// Patron: capacity to support clients, 0..1.
    pub capacity: Option<Q>,
    /// Patron: theatres where it keeps personnel.
    #[serde(default)]
    pub theater: Vec<Theater>,
    /// Patron: pools of people who may flee when it collapses.
    #[serde(default)]
    pub pool: Vec<Pool>,
    /// Host: the capital region.
    pub capital: Option<Id>,
    /// Host: people it can detain at once.
    pub detention_capacity: Option<Q>,
    /// Host: the head of government.
    pub leader: Option<Leader>,
    /// Host: share of the governing coalition's seats at the start below
    /// which the government falls, 0..1.
    pub coalition_floor: Option<Q>,
    /// Outside: troops present at the start.
    pub presence: Option<Q>,
    /// Outside: day its presence ends.
    pub presence_end_day: Option<Q>,
    /// Outside: intelligence support to the host, 0..1.
    pub intel: Option<Q>,
    /// Outside: daily probability of exploitative strikes at full instability.
    pub exploitation: Option<Q>,
    /// Outside: credibility as a guarantor, 0..1.
    pub guarantee: Option<Q>,
    /// Outside: donor aid at the start, 0..1.
    pub aid: Option<Q>,
    /// Outside: cooperation in securing the far side of segments.
    #[serde(default)]
    pub border_cooperation: Vec<Cooperation>,
}

/// A theatre of a patron.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Theater {
    /// Identifier (unique within the patron).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Personnel there at the start.
    pub personnel: Q,
    /// Whether this theatre is the host state.
    #[serde(default)]
    pub host: bool,
}

/// A pool of a patron.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Identifier (unique within the patron).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// People in the pool.
    pub people: Q,
    /// Share that tries to flee on collapse, 0..1.
    pub flee_share: Q,
    /// Segments they head for.
    pub routes: Vec<Route>,
    /// Armed group the crossers join, if any.
    pub joins: Option<Id>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// A route of a pool.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Segment id.
    pub segment: Id,
    /// Relative weight.
    pub weight: Q,
}

/// The host's head of government.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Leader {
    /// Name.
    pub name: String,
    /// Decisiveness, 0..1.
    pub decisiveness: Q,
    /// Inclusiveness, 0..1.
    pub inclusiveness: Q,
    /// Integrity, 0..1.
    pub integrity: Q,
}

/// An outside power's cooperation on a segment.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Cooperation {
    /// Segment id.
    pub segment: Id,
    /// Cooperation, 0..1.
    pub level: Q,
}

/// `[[armed_group]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ArmedGroup {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// `faction`, `state_force` or `insurgency`.
    pub role: Id,
    /// Home region id.
    pub region: Option<Id>,
    /// Listed fighters (payroll figure).
    pub fighters: Q,
    /// Share of listed fighters actually present, 0..1 (1 if absent).
    pub fill_rate: Option<Q>,
    /// Morale at the start, 0..1.
    pub morale: Q,
    /// Ideological commitment to its patron's cause, 0..1 (0 if absent).
    pub ideology: Option<Q>,
    /// Allegiance at the start to patron, host and itself (normalised to sum 1).
    pub allegiance: Option<Allegiance>,
    /// Stance at the start (factions): aligned, hedging, negotiating, holdout, ...
    pub stance: Option<Id>,
    /// Cost of one fighter, US dollars per day.
    pub cost_per_fighter: Q,
    /// Illicit revenue besides crossings, US dollars per day.
    pub illicit_revenue: Option<Q>,
    /// How much morale rests on sponsors' support, 0..1 (0 if absent).
    pub sponsor_dependence: Option<Q>,
    /// Mean desertion threshold (Granovetter), 0..1.
    pub threshold_mean: Q,
    /// Standard deviation of desertion thresholds.
    pub threshold_sd: Q,
    /// Whether it demands foreign forces leave before it disarms.
    #[serde(default)]
    pub foreign_exit_precondition: bool,
    /// Whether it fights as guerrillas when the state moves against it
    /// (false: it defends its positions).
    #[serde(default)]
    pub guerrilla: bool,
    /// A splinter group its hardliners form if it integrates.
    pub splinter: Option<Splinter>,
    /// State forces: shares assigned to segments and regions; the rest is reserve.
    #[serde(default)]
    pub allocation: Vec<Assignment>,
    /// Insurgencies: fighters abroad.
    pub abroad: Option<Q>,
    /// Insurgencies: the segment they infiltrate through.
    pub infiltration: Option<Infiltration>,
    /// Stocks of arms, ammunition and fuel at the start, days of supply.
    pub stocks_days: Option<Q>,
    /// People who could still join (recruitment pool).
    pub recruit_pool: Option<Q>,
    /// The group its fighters go over to when they leave under fire.
    pub defects_to: Option<Id>,
    /// Share of leavers who go over to `defects_to`, 0..1.
    pub defection_share: Option<Q>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// Allegiance shares.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Allegiance {
    /// To the patron.
    pub patron: Q,
    /// To the host state.
    pub host: Q,
    /// To itself.
    #[serde(rename = "self")]
    pub own: Q,
}

/// A splinter group.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Splinter {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
}

/// One front of a state force.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// A segment id (guarding it) ...
    pub segment: Option<Id>,
    /// ... or a region id (policing it).
    pub region: Option<Id>,
    /// Share of the force, 0..1.
    pub share: Q,
}

/// Infiltration of an insurgency.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Infiltration {
    /// Segment id.
    pub segment: Id,
    /// Attempts per day.
    pub per_day: Q,
}

/// `[[authority]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// `cleric` or `judiciary`.
    pub role: Id,
    /// Guidance at the start: silent, calm, state_monopoly, mobilization.
    pub guidance: Option<Id>,
    /// Credibility lent to offers, 0..1.
    pub credibility: Option<Q>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `[[bloc]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Bloc {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Seats.
    pub seats: Q,
    /// Alignment with the patron, 0..1.
    pub patron_alignment: Q,
    /// Whether it belongs to the coalition the government rests on.
    #[serde(default)]
    pub governing: bool,
    /// Armed groups that are its armed wing.
    #[serde(default)]
    pub wings: Vec<Id>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `[[community]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Community {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Region id.
    pub region: Id,
    /// Identity label.
    #[serde(default)]
    pub identity: String,
    /// People.
    pub population: Q,
    /// Alignment with the patron, 0..1.
    pub patron_alignment: Q,
    /// Mean hardship, 0..1.
    pub hardship: Q,
    /// Perceived legitimacy of the government, 0..1.
    pub legitimacy: Q,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `[[segment]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// State on the other side.
    pub neighbor: String,
    /// Length, km.
    pub length_km: Q,
    /// Terrain cover, 0..1.
    pub terrain: Option<Q>,
    /// Region crossers arrive in.
    pub region: Id,
    /// Crossings.
    #[serde(default)]
    pub crossing: Vec<Crossing>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// A crossing.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Crossing {
    /// Identifier (unique in the scenario).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// `official` or `informal`.
    pub kind: Id,
    /// People per day.
    pub capacity_per_day: Q,
    /// Illicit revenue to a controlling group, US dollars per day.
    pub revenue_per_day: Option<Q>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `[[tie]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Tie {
    /// Actor id the tie starts from.
    pub from: Id,
    /// Actor, crossing or region id it points to.
    pub to: Id,
    /// funds, arms, commands, ideology, pays, hostile, controls.
    pub kind: Id,
    /// Weight, 0..1.
    pub weight: Q,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// A note for readers.
    #[serde(default)]
    pub note: String,
}

/// A stochastic window.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Hazard {
    /// Daily probability.
    pub per_day: Q,
    /// First day.
    pub from: Q,
    /// Last day.
    pub to: Q,
}

/// `[[event]]` and `[[shock.event]]`: one struct for every kind; each kind
/// takes the fields listed in the format documentation and no others.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Identifier.
    pub id: Id,
    /// collapse, pullback, withdrawal, announcement, successor, leader_killed, guidance, strike, offensive, cut, defection, coup.
    pub kind: Id,
    /// Day it happens (1 is the first day) ...
    pub day: Option<Q>,
    /// ... or a stochastic window.
    pub hazard: Option<Hazard>,
    /// Patron (collapse, pullback, withdrawal, successor).
    pub patron: Option<Id>,
    /// Days to the floor (collapse, pullback).
    pub duration_days: Option<Q>,
    /// Capacity left (collapse, pullback).
    pub floor: Option<Q>,
    /// Theatre left (withdrawal).
    pub from: Option<Id>,
    /// Theatre reinforced (withdrawal; absent: home).
    pub to: Option<Id>,
    /// Share of personnel moved (withdrawal).
    pub share: Option<Q>,
    /// Sponsor (announcement).
    pub sponsor: Option<Id>,
    /// Drop of clients' expectations at once (announcement).
    pub expectation_drop: Option<Q>,
    /// Share of support cut (announcement).
    pub cut: Option<Q>,
    /// Days until the cut (announcement).
    pub delay_days: Option<Q>,
    /// Days over which the announced drop in expectations fades
    /// (announcement; absent: `delay_days`).
    pub belief_days: Option<Q>,
    /// Support channels cut (cut): funds, arms, commands, combat_support,
    /// sanctuary.
    pub channels: Option<Vec<Id>>,
    /// Share of the attacker's effective strength committed (offensive).
    pub commit: Option<Q>,
    /// Regions attacked next, in order, each once the one before falls (offensive).
    pub then: Option<Vec<Id>>,
    /// Capacity of the successor (successor).
    pub capacity: Option<Q>,
    /// Ideological continuity (successor).
    pub continuity: Option<Q>,
    /// Group (leader_killed, strike, offensive).
    pub group: Option<Id>,
    /// Morale lost (leader_killed).
    pub morale_drop: Option<Q>,
    /// Authority (guidance).
    pub authority: Option<Id>,
    /// The guidance (guidance).
    pub guidance: Option<Id>,
    /// Striking outside power (strike).
    pub by: Option<Id>,
    /// Fighters killed (strike).
    pub fighters_killed: Option<Q>,
    /// Region attacked (offensive).
    pub region: Option<Id>,
    /// Probability that the attempt succeeds (coup).
    pub success: Option<Q>,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// A note for readers.
    #[serde(default)]
    pub note: String,
}

/// `[[shock]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Shock {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What it is.
    #[serde(default)]
    pub description: String,
    /// Its events.
    #[serde(default)]
    pub event: Vec<Event>,
}

/// `[[lever]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// border_share, offer, force, payroll, intel, aid, neighbor_pressure, dissuasion, guarantee, policing.
    pub kind: Id,
    /// Value before any course of action sets it (0 if absent; payroll 1).
    pub default: Option<Sp<f64>>,
    /// State force (border_share).
    pub force: Option<Id>,
    /// Segments (border_share, neighbor_pressure).
    #[serde(default)]
    pub segments: Vec<Id>,
    /// Offer part: immunity, compensation, posts (offer).
    pub part: Option<Id>,
    /// Targeted groups (offer, force, payroll); empty: all factions.
    #[serde(default)]
    pub targets: Vec<Id>,
    /// Outside power (intel, aid, neighbor_pressure, dissuasion, guarantee).
    pub power: Option<Id>,
    /// Regions (policing); empty: all.
    #[serde(default)]
    pub regions: Vec<Id>,
}

/// A lever setting of a course of action.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// Lever id.
    pub lever: Id,
    /// Value.
    pub value: Sp<f64>,
    /// Day the decision is taken (1 if absent).
    pub day: Option<Sp<u32>>,
}

/// A rule over one outcome.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Outcome name.
    pub outcome: Id,
    /// end, max, min or mean (end if absent).
    pub stat: Option<Id>,
    /// >, >=, <, <=.
    pub op: Id,
    /// Threshold, in the outcome's unit: a figure (a number, a range or a
    /// distribution), sampled like any uncertain figure.
    pub value: Q,
}

/// A trigger of a course of action.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The condition.
    pub when: Condition,
    /// First day it is checked (1 if absent).
    pub from_day: Option<Sp<u32>>,
    /// Lever id.
    pub lever: Id,
    /// Value.
    pub value: Sp<f64>,
}

/// `[[coa]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Coa {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What it is.
    #[serde(default)]
    pub description: String,
    /// Scheduled settings.
    #[serde(default)]
    pub set: Vec<Setting>,
    /// Triggers.
    #[serde(default)]
    pub trigger: Vec<Trigger>,
    /// Issues whose bargaining outcome sets their delegated levers under
    /// this course of action (without it, bargaining rounds only forecast).
    #[serde(default)]
    pub delegate: Vec<Id>,
}

/// `[[future]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Future {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What it means.
    #[serde(default)]
    pub description: String,
    /// All must hold; none: always holds (a default, listed last).
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Source keys its thresholds rest on (`A1` for an analyst's).
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `[[issue]]`.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Identifier.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What 0 and 100 mean.
    #[serde(default)]
    pub description: String,
    /// Days between bargaining rounds.
    pub every_days: Sp<u32>,
    /// Stakeholders.
    #[serde(default)]
    pub stakeholder: Vec<Stakeholder>,
    /// Levers that follow the predicted position.
    #[serde(default)]
    pub delegates: Vec<Delegate>,
    /// Parameters of the Spatial Model of Politics for this issue's rounds,
    /// by KTAB's names: `smp = { MinDeltaRatio = 0.1 }`. Absent names keep
    /// KTAB's defaults (docs/bargaining.md lists the names and values; an
    /// unknown name's error lists them too).
    #[serde(default)]
    pub smp: BTreeMap<String, Sp<SmpValue>>,
}

/// The value of one KTAB parameter: a name (`"PropCbc"`) or a number.
#[derive(Deserialize, JsonSchema, Debug, Clone)]
#[serde(untagged)]
pub enum SmpValue {
    /// A whole number (`MinIter`, `MaxIter`).
    Whole(i64),
    /// A number (`MinDeltaRatio`).
    Number(f64),
    /// A named choice (`VotingRule = "PropCbc"`).
    Name(String),
}

impl SmpValue {
    /// The value as the text KTAB's parameter reader takes.
    pub fn text(&self) -> String {
        match self {
            SmpValue::Whole(n) => n.to_string(),
            SmpValue::Number(x) => x.to_string(),
            SmpValue::Name(s) => s.clone(),
        }
    }
}

/// A stakeholder of an issue.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    /// Actor id.
    pub actor: Id,
    /// Position, 0..100.
    pub position: Q,
    /// Salience, 0..1.
    pub salience: Q,
    /// Capability (positive).
    pub capability: Q,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// A lever delegated to an issue's outcome.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Delegate {
    /// Lever id.
    pub lever: Id,
    /// Lever value at position 0.
    pub low: Sp<f64>,
    /// Lever value at position 100.
    pub high: Sp<f64>,
}

/// `[[observed]]`: a dated milestone of what actually happened in a past
/// case. Observations are read by the backtest, never by the model.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// Identifier (unique among observations).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Day it happened, counted like events (1 is the first simulated day).
    pub day: Sp<u32>,
    /// The outcome whose condition marks it in a run, if any (e.g.
    /// `capital_held` for the capital's fall). A scenario has at most one
    /// such scored milestone.
    pub outcome: Option<Id>,
    /// The comparison of the condition: >, >=, <, <= (`<` for `capital_held`).
    pub op: Option<Id>,
    /// The threshold of the condition (0.5 for `capital_held`).
    pub value: Option<Sp<f64>>,
    /// `collapse` (the day the condition first holds; the default) or
    /// `survival` (the condition had not held by this day).
    pub kind: Option<Id>,
    /// Another observation the lag is counted from (absent: day 0).
    pub since: Option<Id>,
    /// The calendar date and anything a reader should know.
    #[serde(default)]
    pub note: String,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}
