//! `[[indicator]]`: what an analyst can watch, when, and how precisely.
//!
//! An indicator names one daily figure of a run (an outcome of the
//! catalogue, or the same figure for one segment, community, armed group,
//! patron or lever), the days it is observed on, and its measurement error.
//! The ensemble records each run's true value on each observation day;
//! `patronfall signposts` and `patronfall update` apply the measurement
//! error when they compare runs with what is, or could be, observed
//! (docs/scenario-format.md, docs/analysis.md).
//!
//! A scenario that names no indicator gets [`defaults`]: seven catalogue
//! outcomes, observed exactly on days 7, 14, 30, 60 and 90 (those within the
//! horizon).

use crate::error::Problem;
use crate::raw::{self, Id, Sp};
use patronfall_model::{
    CommunityId, DayOutcomes, GroupId, LeverId, Outcome, PatronId, SegmentId, Stance, State,
};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeSet;

/// `[[indicator]]` as written.
#[derive(Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    /// Identifier (unique among indicators; letters, digits, `_`, `-`).
    pub id: Id,
    /// Display name, e.g. "Crossings at the Diyala segment".
    pub name: String,
    /// What it is and how it would be seen.
    #[serde(default)]
    pub description: String,
    /// The figure observed: an outcome of the catalogue (`crossers_total`,
    /// `casualties`, ...), or `fighters`, `stance` or `lever` (with `of`).
    pub observe: Id,
    /// The one segment, community, armed group, patron or lever observed
    /// (absent: the outcome over the whole scenario).
    pub of: Option<Id>,
    /// With `observe = "stance"`: the stances that count as 1 (others 0).
    #[serde(default)]
    pub stances: Vec<Id>,
    /// Days on which the value is known to the analyst (1 is the first
    /// simulated day).
    pub days: Vec<Sp<u32>>,
    /// Days the observation covers, ending on the observed day (default 1).
    pub window_days: Option<Sp<u32>>,
    /// How a window is reduced: `end` (default), `sum`, `mean`, `max`, `min`.
    pub reduce: Option<Id>,
    /// Standard deviation of the error as a share of the value (default 0).
    pub relative_error: Option<Sp<f64>>,
    /// Standard deviation of the error in the figure's unit (default 0).
    pub absolute_error: Option<Sp<f64>>,
    /// Probability that each person or event counted is seen (counts only;
    /// default 1).
    pub detection: Option<Sp<f64>>,
    /// Days between a figure and its report: the value known on day `d` is
    /// the figure of day `d − delay_days` (default 0).
    pub delay_days: Option<Sp<u32>>,
    /// Why this indicator and how its error was judged.
    #[serde(default)]
    pub note: String,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// The one entity an indicator narrows its figure to.
#[derive(Clone, Debug, PartialEq)]
pub enum Measure {
    /// An outcome of the catalogue over the whole scenario.
    Outcome(Outcome),
    /// `crossers`, `crossers_total`, `interdicted` or `interdicted_total` at one segment.
    Segment(SegmentId, Outcome),
    /// `active_share` or `casualties` in one community.
    Community(CommunityId, Outcome),
    /// `patron_capacity` of one patron.
    Patron(PatronId),
    /// Active fighters of one armed group.
    Fighters(GroupId),
    /// 1 while the armed group holds one of these stances, else 0.
    Stance(GroupId, Vec<Stance>),
    /// The value in force of one lever.
    Lever(LeverId),
}

impl Measure {
    /// The figure today, from the day's outcomes and the state.
    pub fn value(&self, outcomes: &DayOutcomes, state: &State) -> f64 {
        match self {
            Measure::Outcome(o) => outcomes.get(*o),
            Measure::Segment(s, o) => {
                let s = &state.segments[s.index()];
                match o {
                    Outcome::Crossers => s.crossers_today,
                    Outcome::CrossersTotal => s.crossers_total,
                    Outcome::Interdicted => s.interdicted_today,
                    _ => s.interdicted_total,
                }
            }
            Measure::Community(c, o) => {
                let c = &state.communities[c.index()];
                match o {
                    Outcome::Casualties => c.casualties,
                    _ => c.active,
                }
            }
            Measure::Patron(p) => state.patrons[p.index()].capacity,
            Measure::Fighters(g) => state.groups[g.index()].active,
            Measure::Stance(g, stances) => {
                f64::from(u8::from(stances.contains(&state.groups[g.index()].stance)))
            }
            Measure::Lever(l) => state.government.levers[l.index()],
        }
    }

    /// Whether the figure counts people or events, so that a detection
    /// probability applies to it.
    pub fn is_count(&self) -> bool {
        match self {
            Measure::Outcome(o) | Measure::Segment(_, o) | Measure::Community(_, o) => is_count(*o),
            Measure::Fighters(_) => true,
            Measure::Patron(_) | Measure::Stance(..) | Measure::Lever(_) => false,
        }
    }
}

/// Outcomes that count people, events or factions.
fn is_count(o: Outcome) -> bool {
    !matches!(
        o,
        Outcome::PatronCapacity
            | Outcome::PatronInfluence
            | Outcome::FightersOutsideStateControlShare
            | Outcome::ActiveShare
            | Outcome::ActiveShareMaxCommunity
            | Outcome::Legitimacy
            | Outcome::CapitalHeld
            | Outcome::LeaderFled
            | Outcome::ClientFightersShare
    )
}

/// How an observation window is reduced to one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    /// The last day's value.
    End,
    /// The sum over the window (for a daily flow: the people in the window).
    Sum,
    /// The mean over the window.
    Mean,
    /// The largest value.
    Max,
    /// The smallest value.
    Min,
}

impl Reduce {
    const ALL: [(&'static str, Reduce); 5] = [
        ("end", Reduce::End),
        ("sum", Reduce::Sum),
        ("mean", Reduce::Mean),
        ("max", Reduce::Max),
        ("min", Reduce::Min),
    ];

    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        Reduce::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("end", |(n, _)| n)
    }
}

/// How precisely an indicator is observed: the observed value `y` of a true
/// value `x` has mean `detection · x` and variance
/// `detection · (1 − detection) · x` (binomial thinning, counts only)
/// `+ (relative_error · detection · x)² + absolute_error²`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasurementError {
    /// Standard deviation as a share of the value.
    pub relative: f64,
    /// Standard deviation in the figure's unit.
    pub absolute: f64,
    /// Probability each counted person or event is seen.
    pub detection: f64,
    /// Days between a figure and its report.
    pub delay_days: u32,
}

impl MeasurementError {
    /// No error at all.
    pub const EXACT: MeasurementError = MeasurementError {
        relative: 0.0,
        absolute: 0.0,
        detection: 1.0,
        delay_days: 0,
    };
}

/// A resolved indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// `observe` as written (an outcome's name, `fighters`, `stance`, `lever`).
    pub observe: String,
    /// `of` as written, if any.
    pub of: Option<String>,
    /// The figure.
    pub measure: Measure,
    /// Days the value is known on, ascending.
    pub days: Vec<u32>,
    /// Days covered by one observation.
    pub window_days: u32,
    /// How the window is reduced.
    pub reduce: Reduce,
    /// The measurement error.
    pub error: MeasurementError,
    /// Why this indicator.
    pub note: String,
    /// Source keys.
    pub sources: Vec<String>,
}

impl Indicator {
    /// The simulated days (first, last) whose figures make the value known
    /// on `day`: the window of `window_days` ending `delay_days` before it.
    /// `None` when the window would start before day 0.
    pub fn window(&self, day: u32) -> Option<(u32, u32)> {
        let last = day.checked_sub(self.error.delay_days)?;
        let first = (last + 1).checked_sub(self.window_days)?;
        Some((first, last))
    }
}

/// Observation days of the default indicators.
pub const DEFAULT_DAYS: [u32; 5] = [7, 14, 30, 60, 90];

/// Outcomes watched by default, with their display names.
const DEFAULT_OUTCOMES: [(Outcome, &str); 7] = [
    (
        Outcome::CrossersTotal,
        "People who crossed the border so far",
    ),
    (Outcome::InterdictedTotal, "People interdicted so far"),
    (Outcome::Casualties, "Casualties so far"),
    (Outcome::ActiveShare, "Share of people active in unrest"),
    (Outcome::PatronCapacity, "Patron capacity"),
    (Outcome::FactionsInsurgent, "Factions fighting the state"),
    (
        Outcome::ClientFightersShare,
        "Clients' fighters still active (share)",
    ),
];

/// The indicators of a scenario that names none: the outcomes of
/// `DEFAULT_OUTCOMES`, exact, on the days of [`DEFAULT_DAYS`] within the horizon.
pub fn defaults(horizon: u32) -> Vec<Indicator> {
    let days: Vec<u32> = DEFAULT_DAYS
        .iter()
        .copied()
        .filter(|d| *d <= horizon)
        .collect();
    if days.is_empty() {
        return Vec::new();
    }
    DEFAULT_OUTCOMES
        .iter()
        .map(|(o, name)| Indicator {
            id: o.name().to_string(),
            name: (*name).to_string(),
            description: o.doc().to_string(),
            observe: o.name().to_string(),
            of: None,
            measure: Measure::Outcome(*o),
            days: days.clone(),
            window_days: 1,
            reduce: Reduce::End,
            error: MeasurementError::EXACT,
            note: "default indicator: the scenario names none".to_string(),
            sources: Vec::new(),
        })
        .collect()
}

/// Entity observations that are not outcomes of the catalogue.
const ENTITY_ONLY: [&str; 3] = ["fighters", "stance", "lever"];

/// What `of` may name for each `observe`, for messages.
const OF_HELP: &str = "`of` narrows crossers, crossers_total, interdicted, interdicted_total to a segment; active_share, casualties to a community; patron_capacity to a patron; and names the armed group of fighters or stance, or the lever of lever";

/// Resolves `[[indicator]]`; a scenario with none gets [`defaults`].
/// Problems are pushed onto `problems` with file positions.
pub(crate) fn resolve(f: &raw::File, problems: &mut Vec<Problem>) -> Vec<Indicator> {
    let horizon = f.scenario.horizon_days.as_ref().map_or(365, |d| **d);
    if f.indicator.is_empty() {
        return defaults(horizon);
    }
    let ctx = Context::new(f);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for raw in &f.indicator {
        let path = format!("indicator.{}", raw.id.value);
        let mut p = |span: &std::ops::Range<usize>, field: &str, message: String, help: String| {
            problems.push(Problem {
                span: Some(span.clone()),
                field: format!("{path}.{field}"),
                message,
                help,
            });
        };
        let id = &raw.id;
        if id.value.is_empty()
            || !id
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            p(
                &id.span,
                "id",
                format!("`{}` is not a valid id", id.value),
                "use letters, digits, `_` and `-` only".into(),
            );
        }
        if !seen.insert(id.value.clone()) {
            p(
                &id.span,
                "id",
                format!("duplicate indicator id `{}`", id.value),
                "give every [[indicator]] a unique id".into(),
            );
        }
        let measure = ctx.measure(raw, &mut p);
        let days = check_days(raw, horizon, &mut p);
        let (window_days, reduce) = check_window(raw, &mut p);
        let error = check_error(raw, measure.as_ref(), &mut p);
        for key in &raw.sources {
            if !ctx.sources.contains(key.as_str()) {
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
        let mut indicator = Indicator {
            id: id.value.clone(),
            name: raw.name.clone(),
            description: raw.description.clone(),
            observe: raw.observe.value.clone(),
            of: raw.of.as_ref().map(|o| o.value.clone()),
            measure: measure.unwrap_or(Measure::Outcome(Outcome::Crossers)),
            days,
            window_days,
            reduce,
            error,
            note: raw.note.clone(),
            sources: raw.sources.iter().map(|s| s.value.clone()).collect(),
        };
        for (d, day) in indicator.days.clone().into_iter().enumerate() {
            if indicator.window(day).is_none() {
                let span = &raw.days[d.min(raw.days.len().saturating_sub(1))].span;
                p(
                    span,
                    "days",
                    format!(
                        "day {day} is too early: a window of {} day(s) reported {} day(s) late starts before day 0",
                        indicator.window_days, indicator.error.delay_days
                    ),
                    "observe later, or shorten window_days or delay_days".into(),
                );
            }
        }
        indicator.days.dedup();
        out.push(indicator);
    }
    out
}

/// The names an indicator may refer to, in the model's id order.
struct Context {
    segments: Vec<String>,
    communities: Vec<String>,
    groups: Vec<String>,
    patrons: Vec<String>,
    levers: Vec<String>,
    sources: BTreeSet<String>,
}

impl Context {
    fn new(f: &raw::File) -> Context {
        Context {
            segments: f.segment.iter().map(|s| s.id.value.clone()).collect(),
            communities: f.community.iter().map(|c| c.id.value.clone()).collect(),
            groups: f
                .armed_group
                .iter()
                .flat_map(|g| {
                    std::iter::once(g.id.value.clone())
                        .chain(g.splinter.iter().map(|s| s.id.value.clone()))
                })
                .collect(),
            patrons: f
                .state
                .iter()
                .filter(|s| s.role.as_str() == "patron")
                .map(|s| s.id.value.clone())
                .collect(),
            levers: f.lever.iter().map(|l| l.id.value.clone()).collect(),
            sources: f.source.iter().map(|s| s.key.value.clone()).collect(),
        }
    }

    fn measure(
        &self,
        raw: &RawIndicator,
        p: &mut impl FnMut(&std::ops::Range<usize>, &str, String, String),
    ) -> Option<Measure> {
        let observe = &raw.observe;
        let outcome = Outcome::from_name(observe.as_str());
        if outcome.is_none() && !ENTITY_ONLY.contains(&observe.as_str()) {
            p(
                &observe.span,
                "observe",
                format!(
                    "`{}` is not a figure an indicator can observe",
                    observe.value
                ),
                format!(
                    "use an outcome of the catalogue (docs/scenario-format.md lists them: crossers_total, casualties, active_share, ...) or one of {}",
                    ENTITY_ONLY.join(", ")
                ),
            );
            return None;
        }
        if observe.as_str() != "stance" && !raw.stances.is_empty() {
            p(
                &raw.stances[0].span,
                "stances",
                "`stances` is only read with observe = \"stance\"".into(),
                "remove `stances`, or observe = \"stance\"".into(),
            );
        }
        let Some(of) = &raw.of else {
            return match outcome {
                Some(o) => Some(Measure::Outcome(o)),
                None => {
                    p(
                        &observe.span,
                        "of",
                        format!("observe = \"{}\" needs `of`", observe.value),
                        format!(
                            "name the {} it observes with of = \"<id>\"",
                            if observe.as_str() == "lever" {
                                "lever"
                            } else {
                                "armed group"
                            }
                        ),
                    );
                    None
                }
            };
        };
        let find = |list: &[String]| list.iter().position(|x| *x == of.value);
        let (list, what): (&[String], &str) = match (outcome, observe.as_str()) {
            (
                Some(
                    Outcome::Crossers
                    | Outcome::CrossersTotal
                    | Outcome::Interdicted
                    | Outcome::InterdictedTotal,
                ),
                _,
            ) => (&self.segments, "segment"),
            (Some(Outcome::ActiveShare | Outcome::Casualties), _) => {
                (&self.communities, "community")
            }
            (Some(Outcome::PatronCapacity), _) => (&self.patrons, "patron"),
            (Some(_), _) => {
                p(
                    &of.span,
                    "of",
                    format!("`{}` cannot be narrowed to one entity", observe.value),
                    OF_HELP.into(),
                );
                return None;
            }
            (None, "lever") => (&self.levers, "lever"),
            (None, _) => (&self.groups, "armed group"),
        };
        let Some(i) = find(list) else {
            let known: Vec<String> = list.iter().take(12).map(|k| format!("`{k}`")).collect();
            p(
                &of.span,
                "of",
                format!("refers to unknown {what} `{}`", of.value),
                format!(
                    "name one of the scenario's {what}s: {}{}",
                    known.join(", "),
                    if list.len() > 12 { ", ..." } else { "" }
                ),
            );
            return None;
        };
        Some(match (outcome, observe.as_str()) {
            (Some(Outcome::PatronCapacity), _) => Measure::Patron(PatronId::at(i)),
            (Some(o), _) if what == "segment" => Measure::Segment(SegmentId::at(i), o),
            (Some(o), _) => Measure::Community(CommunityId::at(i), o),
            (None, "lever") => Measure::Lever(LeverId::at(i)),
            (None, "fighters") => Measure::Fighters(GroupId::at(i)),
            (None, _) => {
                if raw.stances.is_empty() {
                    p(
                        &observe.span,
                        "stances",
                        "observe = \"stance\" needs the stances that count".into(),
                        "add stances = [\"insurgent\", \"holdout\"] (any of aligned, hedging, negotiating, integrated, holdout, insurgent, dissolved)".into(),
                    );
                    return None;
                }
                let mut stances = Vec::new();
                for s in &raw.stances {
                    match Stance::ALL.iter().find(|x| x.name() == s.as_str()) {
                        Some(x) => stances.push(*x),
                        None => {
                            let names: Vec<&str> = Stance::ALL.iter().map(|x| x.name()).collect();
                            p(
                                &s.span,
                                "stances",
                                format!("`{}` is not a stance", s.value),
                                format!("use one of {}", names.join(", ")),
                            );
                            return None;
                        }
                    }
                }
                Measure::Stance(GroupId::at(i), stances)
            }
        })
    }
}

fn check_days(
    raw: &RawIndicator,
    horizon: u32,
    p: &mut impl FnMut(&std::ops::Range<usize>, &str, String, String),
) -> Vec<u32> {
    if raw.days.is_empty() {
        p(
            &raw.id.span,
            "days",
            "an indicator needs at least one observation day".into(),
            "add days = [7, 14, 30] (days the value is known, 1 is the first simulated day)".into(),
        );
    }
    let mut days = Vec::new();
    for d in &raw.days {
        if d.value == 0 || d.value > horizon {
            p(
                &d.span,
                "days",
                format!(
                    "day {} is outside the scenario's 1..={horizon} days",
                    d.value
                ),
                format!("observe on a day from 1 to the horizon ({horizon})"),
            );
        } else if days.contains(&d.value) {
            p(
                &d.span,
                "days",
                format!("day {} is listed twice", d.value),
                "list each observation day once".into(),
            );
        } else {
            days.push(d.value);
        }
    }
    days.sort_unstable();
    days
}

fn check_window(
    raw: &RawIndicator,
    p: &mut impl FnMut(&std::ops::Range<usize>, &str, String, String),
) -> (u32, Reduce) {
    let window = raw.window_days.as_ref().map_or(1, |w| w.value);
    if let Some(w) = &raw.window_days
        && w.value == 0
    {
        p(
            &w.span,
            "window_days",
            "a window of 0 days observes nothing".into(),
            "use window_days = 1 (the day itself) or more".into(),
        );
    }
    let reduce = match &raw.reduce {
        Some(r) => match Reduce::ALL.iter().find(|(n, _)| *n == r.as_str()) {
            Some((_, x)) => *x,
            None => {
                p(
                    &r.span,
                    "reduce",
                    format!("`{}` is not one of end, sum, mean, max, min", r.value),
                    "use one of end, sum, mean, max, min".into(),
                );
                Reduce::End
            }
        },
        None => Reduce::End,
    };
    if window > 1 && reduce == Reduce::End {
        let span = raw.window_days.as_ref().map_or(&raw.id.span, |w| &w.span);
        p(
            span,
            "reduce",
            format!("a window of {window} days needs a reduction"),
            "add reduce = \"sum\" (a daily flow), \"mean\", \"max\" or \"min\"".into(),
        );
    }
    (window.max(1), reduce)
}

fn check_error(
    raw: &RawIndicator,
    measure: Option<&Measure>,
    p: &mut impl FnMut(&std::ops::Range<usize>, &str, String, String),
) -> MeasurementError {
    let mut e = MeasurementError::EXACT;
    let mut number = |x: &Option<Sp<f64>>, field: &str, ok: &dyn Fn(f64) -> bool, help: &str| {
        let v = x.as_ref()?;
        if !v.value.is_finite() || !ok(v.value) {
            p(
                &v.span,
                field,
                format!("{} is out of range", v.value),
                help.to_string(),
            );
            return None;
        }
        Some(v.value)
    };
    if let Some(v) = number(
        &raw.relative_error,
        "relative_error",
        &|v| (0.0..=10.0).contains(&v),
        "give the error's standard deviation as a share of the value, 0 to 10 (0.2 is ±20%)",
    ) {
        e.relative = v;
    }
    if let Some(v) = number(
        &raw.absolute_error,
        "absolute_error",
        &|v| v >= 0.0,
        "give the error's standard deviation in the figure's unit, 0 or more",
    ) {
        e.absolute = v;
    }
    if let Some(v) = number(
        &raw.detection,
        "detection",
        &|v| v > 0.0 && v <= 1.0,
        "give the probability that each person or event is seen, above 0 and at most 1",
    ) {
        e.detection = v;
    }
    if let (Some(d), Some(m)) = (&raw.detection, measure)
        && !m.is_count()
    {
        p(
            &d.span,
            "detection",
            format!(
                "`{}` is not a count: a detection probability does not apply",
                raw.observe.value
            ),
            "describe its error with relative_error or absolute_error".into(),
        );
    }
    if let Some(d) = &raw.delay_days {
        e.delay_days = d.value;
    }
    e
}

#[cfg(test)]
mod tests {
    use crate::{builtin_text, parse};

    fn with(extra: &str) -> String {
        format!("{}\n{extra}", builtin_text("iraq-after-tehran").unwrap())
    }

    #[test]
    fn a_scenario_without_indicators_gets_the_defaults() {
        let s = parse("t.toml", crate::TEMPLATE).unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(s.indicators.len(), 7);
        assert!(s.indicators.iter().all(|i| !i.days.is_empty()));
        assert!(
            s.indicators
                .iter()
                .all(|i| i.error == super::MeasurementError::EXACT)
        );
    }

    #[test]
    fn the_built_in_scenario_names_its_indicators_with_sources() {
        let s = parse("iraq.toml", builtin_text("iraq-after-tehran").unwrap())
            .unwrap_or_else(|e| panic!("{}", e.render()));
        assert!(s.indicators.len() >= 6, "{}", s.indicators.len());
        for i in &s.indicators {
            assert!(!i.sources.is_empty(), "{} cites no source", i.id);
            assert!(!i.note.is_empty(), "{} has no note", i.id);
        }
    }

    #[test]
    fn bad_indicators_are_named_with_their_field_and_fix() {
        let text = with(
            r#"
[[indicator]]
id = "x"
name = "X"
observe = "crosers_total"
days = [7]

[[indicator]]
id = "y"
name = "Y"
observe = "crossers_total"
of = "nowhere"
days = [0, 14, 14]
detection = 1.5

[[indicator]]
id = "z"
name = "Z"
observe = "active_share"
days = [10]
window_days = 7
detection = 0.5
"#,
        );
        let e = parse("bad.toml", &text).expect_err("bad indicators");
        let fields: Vec<&str> = e.problems.iter().map(|p| p.field.as_str()).collect();
        for want in [
            "indicator.x.observe",
            "indicator.y.of",
            "indicator.y.days",
            "indicator.y.detection",
            "indicator.z.reduce",
            "indicator.z.detection",
        ] {
            assert!(fields.contains(&want), "{want} missing from {fields:?}");
        }
        let text = e.to_string();
        assert!(text.contains("bad.toml:"), "{text}");
        assert!(text.contains("unknown segment `nowhere`"), "{text}");
        assert!(text.contains("listed twice"), "{text}");
    }

    #[test]
    fn a_delay_and_a_window_set_the_days_observed() {
        let text = with(
            r#"
[[indicator]]
id = "w"
name = "W"
observe = "crossers"
of = "iran_diyala"
days = [14, 3]
window_days = 7
reduce = "sum"
delay_days = 2
relative_error = 0.2
"#,
        );
        let e = parse("w.toml", &text).expect_err("day 3 is too early");
        assert!(e.to_string().contains("day 3 is too early"), "{e}");
        let s = parse("w.toml", &text.replace("[14, 3]", "[14, 8]"))
            .unwrap_or_else(|e| panic!("{}", e.render()));
        let w = s.indicators.iter().find(|i| i.id == "w").unwrap();
        assert_eq!(w.days, vec![8, 14]);
        assert_eq!(w.window(14), Some((6, 12)));
        assert_eq!(w.window(8), Some((0, 6)));
        assert_eq!(w.error.relative, 0.2);
    }
}
