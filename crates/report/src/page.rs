//! The report's sections, in reading order, each built from the inputs and
//! the charts; every piece of scenario or results text goes through
//! [`escape`]. The page opens with what a reader needs first: at a glance,
//! the futures (their names, meanings and conditions) and the courses of
//! action with the future each most likely reaches; then the comparison of
//! the courses of action (futures per course of action, paired
//! differences) and the charts (fan charts, the first 72 hours, the
//! representative runs, the actor network, sensitivity, scenario
//! discovery), the narrative, methods and caveats; the reference tables
//! (actors, ties, sources, lever settings, the manifest) come last.

use crate::charts::{
    self, ChartError, Figure, bars, fan, lines, network as netchart, sensitivity as sens,
};
use crate::futures::{FutureTable, PairedDiff};
use crate::html::{Page, escape, figure, table};
use crate::network::Network;
use crate::representative::{Representative, narrative};
use crate::timeseries::Fans;
use patronfall_model::{Condition, Op, Outcome, Stance, Stat, World};
use patronfall_results::Manifest;
use patronfall_results::analyses::compare::Comparison;
use patronfall_results::analyses::discover::Discovery;
use patronfall_results::analyses::margins::Held;
use patronfall_results::analyses::sensitivity::{MorrisEffect, Sensitivity};
use patronfall_results::analyses::signposts::Signposts;
use patronfall_results::analyses::update::Update;
use patronfall_results::manifest::ConditionEntry;
use patronfall_scenario::Scenario;
use std::fmt::Write;

/// Outcomes shown as fan charts.
pub const FAN_OUTCOMES: [&str; 6] = [
    "fighters_outside_state_control",
    "crossers_total",
    "active_share",
    "legitimacy",
    "patron_influence",
    "casualties",
];

/// Outcomes shown for the first 72 hours.
pub const FIRST_72: [&str; 6] = [
    "crossers",
    "interdicted",
    "fighters_outside_state_control",
    "active_share",
    "legitimacy",
    "patron_capacity",
];

/// Everything the page is made from.
pub struct Inputs<'a> {
    /// The manifest.
    pub manifest: &'a Manifest,
    /// The scenario, if it could be re-opened.
    pub scenario: Option<&'a Scenario>,
    /// Futures per course of action.
    pub futures: &'a FutureTable,
    /// Paired differences.
    pub paired: &'a [PairedDiff],
    /// Fan-chart table.
    pub fans: &'a Fans,
    /// Representative runs.
    pub reps: &'a [Representative],
    /// Sensitivity results, if present.
    pub sensitivity: Option<&'a Sensitivity>,
    /// Scenario-discovery boxes, if present.
    pub discover: Option<&'a [Discovery]>,
    /// What to watch, if the ensemble recorded indicators.
    pub signposts: Option<&'a Signposts>,
    /// The futures updated from observations, if the report was given some.
    pub update: Option<&'a Update>,
    /// The comparison with another version of the scenario
    /// (`patronfall compare`), if this directory is its version B.
    pub compare: Option<&'a Comparison>,
    /// How often each future's conditions held per course of action, or
    /// why the results cannot say.
    pub decided: Result<&'a [Held], String>,
    /// Warnings to show prominently.
    pub warnings: &'a [String],
}

/// Collects figures and gives each a unique, file-safe id.
#[derive(Default)]
pub struct Figures {
    /// The figures in page order.
    pub list: Vec<Figure>,
}

impl Figures {
    /// Adds a chart and returns its `<figure>` markup.
    fn add(&mut self, stem: &str, caption: &str, svg: Result<String, ChartError>) -> String {
        let id = format!("{:02}-{}", self.list.len() + 1, slug(stem));
        match svg {
            Ok(svg) => {
                let html = figure(
                    &id,
                    &charts::inline(&svg),
                    caption,
                    &format!("figures/{id}.svg, figures/{id}.png"),
                );
                self.list.push(Figure {
                    id,
                    caption: caption.to_string(),
                    svg,
                });
                html
            }
            Err(e) => format!(
                "<p class=\"warning\">The chart “{}” could not be drawn: {}</p>",
                escape(caption),
                escape(&e.to_string())
            ),
        }
    }
}

/// A file-safe stem: lowercase letters, digits and `-`, at most 60 characters.
pub fn slug(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    out.truncate(60);
    let t = out.trim_matches('-').to_string();
    if t.is_empty() { "chart".into() } else { t }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn num(v: f64) -> String {
    format!("<span class=\"num\">{}</span>", escape(&charts::short(v)))
}

/// The unit of an outcome, from the parenthesis that ends its description.
fn unit(outcome: &str) -> String {
    Outcome::from_name(outcome)
        .and_then(|o| {
            let d = o.doc();
            d.rfind('(')
                .map(|i| d[i + 1..].trim_end_matches(')').to_string())
        })
        .unwrap_or_default()
}

fn doc(outcome: &str) -> &'static str {
    Outcome::from_name(outcome).map_or("", |o| o.doc())
}

/// Builds the page and its figures.
pub fn build(i: &Inputs) -> (Page, Figures) {
    let m = i.manifest;
    let title = match i.scenario {
        Some(s) => format!("patronfall report: {}", s.title),
        None => format!("patronfall report: {}", m.scenario),
    };
    let mut page = Page::new(&title);
    let mut figs = Figures::default();
    if !m.complete {
        page.warn(&format!(
            "INCOMPLETE ENSEMBLE: only {} of {} planned experiments finished. Every probability below comes from a partial, possibly unbalanced set of runs.",
            m.experiments_done, m.experiments_planned
        ));
    }
    for w in i.warnings {
        page.warn(w);
    }
    page.section("glance", "At a glance", glance(i));
    page.section(
        "futures",
        "Futures per course of action",
        futures_section(i, &mut figs),
    );
    page.section(
        "paired",
        "Paired differences between courses of action",
        paired_section(i, &mut figs),
    );
    if let Some(c) = i.compare {
        page.section(
            "compare",
            "Compared with another version of the scenario",
            compare_section(c),
        );
    }
    page.section("watch", "What to watch", watch_section(i, &mut figs));
    page.section("fans", "Key outcomes over time", fans_section(i, &mut figs));
    page.section(
        "first72",
        "The first 72 hours",
        first72_section(i, &mut figs),
    );
    page.section(
        "representative",
        "Inside one representative run",
        representative_section(i, &mut figs),
    );
    page.section(
        "network",
        "The actor network",
        network_section(i, &mut figs),
    );
    page.section(
        "sensitivity",
        "What drives the outcomes (sensitivity)",
        sensitivity_section(i, &mut figs),
    );
    page.section(
        "discover",
        "Where the bad futures come from (scenario discovery)",
        discover_section(i, &mut figs),
    );
    page.section(
        "assumptions",
        "What rests on assumptions",
        assumptions_section(i),
    );
    page.section(
        "narrative",
        "Narrative of the representative runs",
        narrative_section(i),
    );
    page.section(
        "methods",
        "Methods, assumptions and caveats",
        methods_section(i),
    );
    page.section(
        "scenario",
        "Reference: actors, ties, sources and lever settings",
        scenario_section(i),
    );
    page.section("manifest", "Manifest", manifest_section(i));
    (page, figs)
}

/// A paired difference with its interval, scaled (100 for points).
fn signed_interval(d: Option<f64>, l: Option<f64>, h: Option<f64>, scale: f64) -> String {
    let text = |v: f64| {
        let v = v * scale;
        let sign = if v < 0.0 { "−" } else { "+" };
        escape(&format!("{sign}{}", charts::short(v.abs())))
    };
    match (d, l, h) {
        (Some(d), Some(l), Some(h)) => format!("{} ({} to {})", text(d), text(l), text(h)),
        _ => "–".to_string(),
    }
}

/// `patronfall compare`: what differs from version A, and the paired
/// effect on each course of action's futures and key outcomes.
fn compare_section(c: &Comparison) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<p>This is version B; version A is <code>{}</code> ({}). Both ran {} samples × {} replication(s), sampler <code>{}</code>, seed {}, shock <code>{}</code>, {} days; runs are paired by sample and {} figures took the same values in both. Intervals at {:.0}%: Wilson for each share, Newcombe's paired interval for differences of futures, Student t for paired mean differences.</p>",
        escape(&c.a.scenario_file),
        escape(&c.a.dir),
        c.samples,
        c.replications,
        escape(&c.sampler),
        c.seed,
        escape(&c.shock),
        c.days,
        c.paired_figures,
        c.confidence * 100.0
    );
    let rows: Vec<Vec<String>> = c
        .figures
        .iter()
        .map(|f| {
            let v = |x: &Option<String>| {
                x.as_ref().map_or("(not set)".to_string(), |x| {
                    format!("<code>{}</code>", escape(x))
                })
            };
            vec![
                format!("<code>{}</code>", escape(&f.path)),
                v(&f.a),
                v(&f.b),
                escape(format!("{} {}", f.sources.join(" "), f.basis).trim()),
            ]
        })
        .collect();
    if rows.is_empty() {
        s.push_str("<p>No figure differs.</p>");
    } else {
        s.push_str(&table(
            &["figure", "A", "B", "sources, basis"],
            &rows,
            "compare-figures",
        ));
    }
    if !c.entries.is_empty() {
        let list: Vec<String> = c
            .entries
            .iter()
            .map(|e| format!("<code>{}</code> {}", escape(&e.path), escape(&e.change)))
            .collect();
        let _ = write!(s, "<p>Entries: {}.</p>", list.join(", "));
    }
    let mut rows = Vec::new();
    for coa in &c.coas {
        for f in &coa.futures {
            rows.push(vec![
                escape(&coa.coa),
                escape(&f.future),
                pct(f.a),
                pct(f.b),
                signed_interval(f.difference, f.low, f.high, 100.0),
            ]);
        }
    }
    s.push_str(&table(
        &["course of action", "future", "A", "B", "B − A, points"],
        &rows,
        "compare-futures",
    ));
    let mut rows = Vec::new();
    for coa in &c.coas {
        for o in &coa.outcomes {
            let mean = |m: Option<f64>| m.map_or("–".to_string(), num);
            rows.push(vec![
                escape(&coa.coa),
                format!("<code>{}</code>", escape(&o.outcome)),
                mean(o.a_mean),
                mean(o.b_mean),
                signed_interval(o.difference, o.low, o.high, 1.0),
            ]);
        }
    }
    s.push_str(&table(
        &[
            "course of action",
            "outcome (last day)",
            "A mean",
            "B mean",
            "B − A",
        ],
        &rows,
        "compare-outcomes",
    ));
    s
}

/// The display name of a future id, from the scenario when it was re-opened
/// and knows the id (else the id itself, as the results record it).
fn future_name(i: &Inputs, id: &str) -> String {
    i.scenario
        .and_then(|sc| {
            let f = sc.ids.futures.iter().position(|f| f == id)?;
            Some(sc.futures.get(f)?.name.clone())
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| id.to_string())
}

/// A future's condition in words: `outcome` at the end (or its highest,
/// lowest, mean over the run), the comparison and the threshold as written.
fn condition_text(c: &Condition) -> String {
    let when = match c.stat {
        Stat::End => "at the end",
        Stat::Max => "at its highest",
        Stat::Min => "at its lowest",
        Stat::Mean => "on average over the run",
    };
    let op = match c.op {
        Op::Gt => ">",
        Op::Ge => "≥",
        Op::Lt => "<",
        Op::Le => "≤",
    };
    format!(
        "<code>{}</code> {when} {op} {}",
        escape(c.outcome.name()),
        escape(&c.value.to_string())
    )
}

/// The futures as the scenario defines them: name and id, meaning, and the
/// conditions that must all hold at the end of a run.
fn futures_defined(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .ids
        .futures
        .iter()
        .enumerate()
        .map(|(f, id)| {
            let text = sc.futures.get(f).cloned().unwrap_or_default();
            let conditions = sc
                .world
                .futures
                .get(f)
                .map(|fu| fu.conditions.iter().map(condition_text).collect::<Vec<_>>())
                .unwrap_or_default();
            let when = if conditions.is_empty() {
                "none: the default, reached when no future above it holds".to_string()
            } else {
                format!("<ul><li>{}</li></ul>", conditions.join("</li><li>"))
            };
            vec![
                format!(
                    "<strong>{}</strong><br><code>{}</code>",
                    escape(&text.name),
                    escape(id)
                ),
                escape(&text.description),
                when,
            ]
        })
        .collect();
    let mut s = String::from(
        "<h3>The futures</h3><p>Every run ends in exactly one future: the first in this list whose conditions all hold when the run ends.</p>",
    );
    s.push_str(&table(
        &["future", "what it means", "conditions (all must hold)"],
        &rows,
        "futures-defined",
    ));
    s
}

fn glance(i: &Inputs) -> String {
    let m = i.manifest;
    let mut s = String::new();
    if let Some(sc) = i.scenario {
        s.push_str(&futures_defined(sc));
    }
    let _ = write!(
        s,
        "<h3>The courses of action and where they most likely lead</h3><p>Scenario <code>{}</code>, shock <code>{}</code>, {} days per run; {} scenario samples × {} replication(s) × {} course(s) of action = {} experiments ({}), sampler {}, master seed {}.</p>",
        escape(&m.scenario),
        escape(&m.shock),
        m.days,
        m.samples,
        m.replications,
        m.coas.len(),
        m.experiments_done,
        if m.complete { "complete" } else { "INCOMPLETE" },
        escape(&m.sampler),
        m.seed
    );
    let t = i.futures;
    let coa_text = |id: &str| {
        i.scenario
            .and_then(|sc| {
                let c = sc.ids.coas.iter().position(|c| c == id)?;
                sc.coas.get(c).cloned()
            })
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = t
        .coas
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let text = coa_text(id);
            let name = if text.name.is_empty() {
                format!("<code>{}</code>", escape(id))
            } else {
                format!(
                    "<strong>{}</strong><br><code>{}</code>",
                    escape(&text.name),
                    escape(id)
                )
            };
            let best = (0..t.futures.len()).max_by_key(|&f| t.counts[c][f]);
            let mut r = vec![name, escape(&text.description), t.runs[c].to_string()];
            match best.and_then(|f| t.share[c][f].map(|x| (f, x))) {
                Some((f, x)) => {
                    r.push(escape(&future_name(i, &t.futures[f])));
                    r.push(format!(
                        "{} ({}–{})",
                        pct(x.estimate),
                        pct(x.lower),
                        pct(x.upper)
                    ));
                }
                None => r.extend(["–".to_string(), "–".to_string()]),
            }
            r
        })
        .collect();
    s.push_str(&table(
        &[
            "course of action",
            "what it does",
            "runs",
            "most likely future",
            "probability (95% interval)",
        ],
        &rows,
        "glance",
    ));
    if let Some(sc) = i.scenario {
        let _ = write!(s, "<h3>The scenario</h3><p>{}</p>", escape(&sc.description));
    }
    s
}

fn actors(w: &World) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut add = |kind: &str, name: &str, detail: String| {
        rows.push(vec![escape(kind), escape(name), escape(&detail)]);
    };
    for p in &w.patrons {
        add(
            "patron state",
            &p.name,
            format!("capacity {:.2}", p.capacity),
        );
    }
    add(
        "host state",
        &w.host.name,
        format!("leader {}", w.host.leader.name),
    );
    for o in &w.outside {
        add(
            "outside power",
            &o.name,
            format!("presence {:.2}, intelligence {:.2}", o.presence, o.intel),
        );
    }
    for g in &w.groups {
        use patronfall_model::GroupRole;
        let role = match g.role {
            GroupRole::Faction => "armed faction",
            GroupRole::StateForce => "state force",
            GroupRole::Insurgency => "insurgency",
        };
        // Only a faction chooses a stance; a splinter exists only once its
        // parent integrates, and an insurgency fights from the start.
        let stance = match (g.role, g.splinter_of) {
            (GroupRole::Faction, Some(parent)) => {
                format!("forms if {} integrates", w.groups[parent.index()].name)
            }
            (GroupRole::Faction, None) => format!("stance {}", g.stance.name()),
            (GroupRole::Insurgency, _) => "fights the state".to_string(),
            (GroupRole::StateForce, _) => "under state command".to_string(),
        };
        let listed = charts::short(g.fighters);
        add(role, &g.name, format!("{listed} fighters listed, {stance}"));
    }
    for a in &w.authorities {
        add(
            "authority",
            &a.name,
            format!("guidance {}", a.guidance.name()),
        );
    }
    for b in &w.blocs {
        add(
            "political bloc",
            &b.name,
            format!("{} seats", charts::short(b.seats)),
        );
    }
    for c in &w.communities {
        add(
            "community",
            &c.name,
            format!(
                "{}, population {}, legitimacy {:.2}",
                c.identity,
                charts::short(c.population),
                c.legitimacy
            ),
        );
    }
    rows
}

fn scenario_section(i: &Inputs) -> String {
    let Some(sc) = i.scenario else {
        return "<p class=\"warning\">The scenario file could not be re-opened, so its actors, ties, sources and lever settings are not shown.</p>".into();
    };
    let w = &sc.world;
    let mut s = String::from("<h3>Actors by kind</h3>");
    s.push_str(&table(
        &["kind", "actor", "at the start"],
        &actors(w),
        "actors",
    ));
    s.push_str("<h3>Ties</h3>");
    let ties: Vec<Vec<String>> = w
        .ties
        .iter()
        .map(|t| {
            let to = match t.to {
                patronfall_model::TieTarget::Actor(a) => w.actor_name(a).to_string(),
                patronfall_model::TieTarget::Crossing(c) => w.crossings[c.index()].name.clone(),
                patronfall_model::TieTarget::Region(r) => w.regions[r.index()].name.clone(),
            };
            vec![
                escape(w.actor_name(t.from)),
                escape(t.kind.name()),
                escape(&to),
                format!("{:.2}", t.weight),
            ]
        })
        .collect();
    s.push_str(&table(&["from", "kind", "to", "weight"], &ties, "ties"));
    s.push_str("<h3>Sources</h3>");
    let sources: Vec<Vec<String>> = sc
        .sources
        .iter()
        .map(|r| {
            vec![
                escape(&r.key),
                escape(&r.publisher),
                escape(&r.title),
                // The parameter registry's source has no year (0).
                if r.year == 0 {
                    "–".to_string()
                } else {
                    r.year.to_string()
                },
                escape(&r.note),
            ]
        })
        .collect();
    s.push_str(&table(
        &["key", "publisher", "title", "year", "note"],
        &sources,
        "sources",
    ));
    s.push_str("<h3>Lever settings of the courses of action</h3>");
    let coas: Vec<Vec<String>> = i
        .manifest
        .coas
        .iter()
        .map(|name| {
            let detail = sc.coa(name).map_or_else(
                || "not in the scenario any more".to_string(),
                |id| {
                    let c = &w.coas[id.index()];
                    let mut parts: Vec<String> = c
                        .settings
                        .iter()
                        .map(|st| {
                            format!(
                                "{} = {} from day {}",
                                w.levers[st.lever.index()].name,
                                charts::short(st.value),
                                st.from_day
                            )
                        })
                        .collect();
                    if !c.triggers.is_empty() {
                        parts.push(format!("{} conditional trigger(s)", c.triggers.len()));
                    }
                    if parts.is_empty() {
                        "every lever at its default".into()
                    } else {
                        parts.join("; ")
                    }
                },
            );
            vec![escape(name), escape(&detail)]
        })
        .collect();
    s.push_str(&table(&["course of action", "levers"], &coas, "coas"));
    s
}

fn futures_section(i: &Inputs, figs: &mut Figures) -> String {
    let t = i.futures;
    let mut s = String::from(
        "<p>Share of runs that ended in each future, per course of action. Intervals are 95% Wilson score intervals over the runs of that course of action.</p>",
    );
    s.push_str(&figs.add(
        "futures-stacked",
        "Futures reached per course of action, stacked shares with direct labels",
        bars::stacked(t),
    ));
    s.push_str(&figs.add(
        "futures-intervals",
        "Probability of each future with its 95% Wilson interval",
        bars::intervals(t),
    ));
    let names: Vec<String> = t.futures.iter().map(|f| future_name(i, f)).collect();
    let mut header = vec!["course of action", "runs"];
    header.extend(names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = t
        .coas
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let mut r = vec![escape(name), t.runs[c].to_string()];
            for f in 0..t.futures.len() {
                r.push(t.share[c][f].map_or("–".into(), |x| {
                    format!(
                        "{} ({}–{}) · {}",
                        pct(x.estimate),
                        pct(x.lower),
                        pct(x.upper),
                        t.counts[c][f]
                    )
                }));
            }
            r
        })
        .collect();
    s.push_str(&table(&header, &rows, "futures"));
    s.push_str(&decided_table(i));
    s
}

/// A condition as the results record it, in the words of the futures
/// table: the outcome, its reduction, the comparison and the threshold
/// (with its range when it was drawn).
fn entry_text(m: &Manifest, c: &ConditionEntry) -> String {
    let when = match c.stat.as_str() {
        "end" => "at the end",
        "max" => "at its highest",
        "min" => "at its lowest",
        _ => "on average over the run",
    };
    let op = match c.op.as_str() {
        ">=" => "≥",
        "<=" => "≤",
        other => other,
    };
    let drawn = c
        .path
        .as_ref()
        .and_then(|p| m.uncertainties.iter().find(|u| &u.path == p))
        .filter(|u| u.varied)
        .map_or(String::new(), |u| {
            format!(
                " (drawn from {} to {})",
                charts::short(u.support[0]),
                charts::short(u.support[1])
            )
        });
    format!(
        "<code>{}</code> {when} {} {}{}",
        escape(&c.outcome),
        escape(op),
        escape(&c.value.to_string()),
        escape(&drawn)
    )
}

/// What decided the futures: per condition and course of action, the share
/// of runs in which the condition held and its median margin.
fn decided_table(i: &Inputs) -> String {
    let held = match &i.decided {
        Ok(h) if !h.is_empty() => *h,
        Ok(_) => return String::new(),
        Err(why) => {
            return format!(
                "<p>What decided the futures cannot be shown: {}</p>",
                escape(why)
            );
        }
    };
    let m = i.manifest;
    let mut s = String::from(
        "<h3>What decided them</h3><p>For each condition of each future, the share of runs in which it held and its median margin (by how much it held, +, or failed, −, in the outcome's unit). A condition that holds in nearly every run does not decide its future; the one that fails most often is what keeps runs from it. <code>patronfall run</code> shows the margins of one run and <code>patronfall analyze futures --sweep</code> how the shares move with a threshold.</p>",
    );
    let mut header = vec!["future", "condition"];
    header.extend(m.coas.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = m
        .conditions
        .iter()
        .map(|c| {
            let mut r = vec![
                if c.index == 0 {
                    escape(&future_name(i, &c.future))
                } else {
                    String::new()
                },
                entry_text(m, c),
            ];
            for coa in &m.coas {
                r.push(
                    held.iter()
                        .find(|h| &h.coa == coa && h.condition == c.column)
                        .filter(|h| h.runs > 0)
                        .map_or("–".into(), |h| {
                            let margin = h.median_margin.unwrap_or(f64::NAN);
                            format!(
                                "{} · {}{}",
                                pct(h.held as f64 / h.runs as f64),
                                if margin >= 0.0 { "+" } else { "" },
                                escape(&charts::short(margin))
                            )
                        }),
                );
            }
            r
        })
        .collect();
    s.push_str(&table(&header, &rows, "decided"));
    s
}

fn paired_section(i: &Inputs, figs: &mut Figures) -> String {
    if i.paired.is_empty() {
        return "<p>Only one course of action was run, so there is nothing to compare.</p>".into();
    }
    let mut s = String::from(
        "<p>Every course of action ran on the same scenario samples and seeds (common random numbers), so the comparison is paired: each row is the difference in the probability of a future between a course of action and the reference, over the same experiments, with the 95% Newcombe interval for paired proportions. An interval that excludes zero is a difference the ensemble resolves.</p>",
    );
    s.push_str(&figs.add(
        "paired",
        "Paired differences against the reference course of action (percentage points)",
        bars::paired(i.paired),
    ));
    let rows: Vec<Vec<String>> = i
        .paired
        .iter()
        .map(|d| {
            vec![
                escape(&d.b),
                escape(&d.a),
                escape(&future_name(i, &d.future)),
                d.pairs.to_string(),
                format!(
                    "{:+.1} ({:+.1} to {:+.1})",
                    d.diff.estimate * 100.0,
                    d.diff.lower * 100.0,
                    d.diff.upper * 100.0
                ),
            ]
        })
        .collect();
    s.push_str(&table(
        &[
            "course of action",
            "reference",
            "future",
            "pairs",
            "difference, points (95%)",
        ],
        &rows,
        "paired",
    ));
    s
}

/// Indicators charted in "What to watch": the strongest few.
pub const WATCH_CHARTS: usize = 3;
/// Indicators listed per course of action in "What to watch".
pub const WATCH_ROWS: usize = 5;

fn watch_section(i: &Inputs, figs: &mut Figures) -> String {
    let Some(sp) = i.signposts else {
        return "<p>This results directory has no indicators (<code>indicators.csv</code>): it was written before patronfall recorded them. Run the ensemble again to see which early observations tell the futures apart.</p>".into();
    };
    let mut s = String::from(
        "<p>Which observations, and how early, tell the futures apart (<code>patronfall signposts DIR</code> prints the full table; method in docs/analysis.md). <em>Informative from</em> is the first observation day on which the information the indicator carries about the future reaches a tenth of the uncertainty (lower end of its 95% bootstrap interval). A signpost reads: seeing this makes the future that many times more likely, in odds, with its 95% interval; the indicators' measurement error (the scenario's <code>[[indicator]]</code> entries) is taken into account.</p>",
    );
    let mut rows = Vec::new();
    let mut coas: Vec<&str> = Vec::new();
    for r in &sp.ranking {
        if !coas.contains(&r.coa.as_str()) {
            coas.push(&r.coa);
        }
    }
    for coa in &coas {
        for (n, r) in sp
            .ranking
            .iter()
            .filter(|r| r.coa == *coa)
            .take(WATCH_ROWS)
            .enumerate()
        {
            rows.push(vec![
                escape(coa),
                (n + 1).to_string(),
                escape(&r.name),
                r.informative_from
                    .map_or("never".into(), |d| format!("day {d}")),
                format!("{} ({}) on day {}", pct(r.share), pct(r.share_low), r.day),
                r.sign.as_ref().map_or("–".into(), |g| {
                    escape(&format!(
                        "by day {}, {} {} {}: {} {:.1}× more likely ({:.1}–{:.1})",
                        r.day,
                        r.name,
                        if g.side == "above" {
                            "above"
                        } else {
                            "at most"
                        },
                        charts::short(g.threshold),
                        future_name(i, &g.future),
                        g.lr.ratio,
                        g.lr.low,
                        g.lr.high
                    ))
                }),
            ]);
        }
    }
    s.push_str(&table(
        &[
            "course of action",
            "rank",
            "indicator",
            "informative from",
            "information (lower end)",
            "strongest signpost",
        ],
        &rows,
        "signposts",
    ));
    // The strongest indicators of the course of action whose best
    // indicator tells its futures apart most, charted on the day they are
    // judged on (a course of action whose runs all reach one future has
    // nothing to chart).
    let best = coas.iter().max_by(|a, b| {
        let top = |c: &&&str| {
            sp.ranking
                .iter()
                .filter(|r| r.coa == ***c)
                .map(|r| r.share)
                .fold(0.0, f64::max)
        };
        top(a).total_cmp(&top(b)).then(b.cmp(a))
    });
    if let Some(coa) = best {
        for r in sp
            .ranking
            .iter()
            .filter(|r| r.coa == *coa && r.share > 0.0)
            .take(WATCH_CHARTS)
        {
            let Some(e) = sp
                .entries
                .iter()
                .find(|e| e.coa == r.coa && e.indicator == r.indicator && e.day == r.day)
            else {
                continue;
            };
            let rows: Vec<charts::signposts::Row> = e
                .distributions
                .iter()
                .map(|d| {
                    let mut q = [f64::NAN; 5];
                    for (slot, v) in q.iter_mut().zip(&d.quantiles) {
                        *slot = v.unwrap_or(f64::NAN);
                    }
                    charts::signposts::Row {
                        future: future_name(i, &d.future),
                        runs: d.runs,
                        quantiles: q,
                    }
                })
                .collect();
            let title = format!("{} on day {} ({coa})", e.name, e.day);
            s.push_str(&figs.add(
                &format!("watch-{}-{}", e.indicator, e.day),
                &format!(
                    "{}, as observed on day {} under {coa}: per future, 5–95% (line), 25–75% (box) and median (dot) of the runs",
                    e.name, e.day
                ),
                charts::signposts::distributions(&title, &rows),
            ));
        }
    }
    if let Some(u) = i.update {
        let _ = write!(
            s,
            "<h3>The futures given what was observed</h3><p>{} observation(s): ",
            u.observed.len()
        );
        let seen: Vec<String> = u
            .observed
            .iter()
            .map(|o| {
                let what = match (o.value, o.range) {
                    (Some(v), _) => charts::short(v),
                    (None, Some([lo, hi])) => {
                        format!("{}–{}", charts::short(lo), charts::short(hi))
                    }
                    _ => "–".into(),
                };
                escape(&format!("{} on day {}: {what}", o.indicator, o.day))
            })
            .collect();
        s.push_str(&seen.join("; "));
        s.push_str(". Runs are weighted by how likely each makes the observations (importance weighting, docs/analysis.md); intervals are 95% Wilson intervals on the effective number of runs.</p>");
        let mut rows = Vec::new();
        for c in &u.coas {
            for f in &c.futures {
                if f.prior == 0.0 && f.posterior.unwrap_or(0.0) == 0.0 {
                    continue;
                }
                rows.push(vec![
                    escape(&c.coa),
                    escape(&future_name(i, &f.future)),
                    pct(f.prior),
                    match (f.posterior, f.low, f.high) {
                        (Some(p), Some(l), Some(h)) => {
                            format!("{} ({}–{})", pct(p), pct(l), pct(h))
                        }
                        _ => "–".into(),
                    },
                    format!("{:.0} of {}", c.effective_runs, c.runs),
                ]);
            }
            if let Some(w) = &c.warning {
                let _ = write!(
                    s,
                    "<p class=\"warning\">{}: {}</p>",
                    escape(&c.coa),
                    escape(w)
                );
            }
        }
        s.push_str(&table(
            &[
                "course of action",
                "future",
                "prior",
                "posterior",
                "effective runs",
            ],
            &rows,
            "update",
        ));
    }
    s
}

fn fans_section(i: &Inputs, figs: &mut Figures) -> String {
    let runs = i
        .fans
        .series
        .values()
        .next()
        .and_then(|v| v.first())
        .map_or(0, |p| p.runs);
    let mut s = format!(
        "<p>Fan charts: the line is the median over the sampled runs ({runs} per course of action), the dark band holds the middle 50% of runs and the light band 90%. Panels share one vertical scale.</p>"
    );
    for o in FAN_OUTCOMES {
        let panels: Vec<fan::Panel> = i
            .manifest
            .coas
            .iter()
            .filter_map(|c| i.fans.get(c, o).map(|p| (c.as_str(), p)))
            .collect();
        if panels.is_empty() {
            continue;
        }
        let svg = fan::fan(&format!("{o}: {}", doc(o)), &unit(o), &panels);
        s.push_str(&figs.add(
            &format!("fan-{o}"),
            &format!("{o}, median with 50% and 90% bands, per course of action"),
            svg,
        ));
    }
    s
}

fn first72_section(i: &Inputs, figs: &mut Figures) -> String {
    let mut s = String::from(
        "<p>The first 72 hours after the shock in detail: days 0 (the start) to 3. Markers are medians, one shape per course of action (named in the key under the chart), and whiskers span the middle 50% of runs.</p>",
    );
    let data: Vec<(&str, Vec<fan::Panel>)> = FIRST_72
        .iter()
        .map(|o| {
            let panels = i
                .manifest
                .coas
                .iter()
                .filter_map(|c| i.fans.get(c, o).map(|p| (c.as_str(), p)))
                .collect();
            (*o, panels)
        })
        .collect();
    s.push_str(&figs.add(
        "first-72-hours",
        "Days 0 to 3 of key outcomes, median and 25–75% range",
        fan::first_72_hours(&data),
    ));
    let mut header = vec!["outcome".to_string(), "course of action".to_string()];
    header.extend((0..=3).map(|d| format!("day {d}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for (o, panels) in &data {
        for (c, pts) in panels {
            let mut r = vec![escape(o), escape(c)];
            for d in 0..=3 {
                r.push(pts.iter().find(|p| p.day == d).map_or("–".into(), |p| {
                    format!(
                        "{} ({}–{})",
                        charts::short(p.q[2]),
                        charts::short(p.q[1]),
                        charts::short(p.q[3])
                    )
                }));
            }
            rows.push(r);
        }
    }
    s.push_str(&table(&header, &rows, "first72"));
    s
}

fn representative_section(i: &Inputs, figs: &mut Figures) -> String {
    if i.reps.is_empty() {
        return "<p class=\"warning\">No representative run could be replayed (the scenario could not be re-opened or no runs were recorded).</p>".into();
    }
    let mut s = String::from(
        "<p class=\"note\">These panels show ONE representative run per course of action, not the ensemble: among the runs that reached the course of action's most common future, the one whose end values of key outcomes (fighters outside state control, crossers, unrest, casualties, legitimacy, patron influence) are closest to the medians of all its runs. Per-faction, per-segment and per-community series are not stored in the results directory, so the run is replayed from its sampled values and seed.</p>",
    );
    let rows: Vec<Vec<String>> = i
        .reps
        .iter()
        .map(|r| {
            vec![
                escape(&r.coa),
                escape(&r.experiment),
                r.seed.to_string(),
                escape(&r.recorded_future),
                escape(&r.replayed_future),
            ]
        })
        .collect();
    s.push_str(&table(
        &[
            "course of action",
            "experiment",
            "seed",
            "future in the ensemble",
            "future on replay",
        ],
        &rows,
        "reps",
    ));
    for r in i.reps {
        let w = &r.world;
        let _ = write!(
            s,
            "<h3>{}: experiment {}</h3>",
            escape(&r.coa),
            escape(&r.experiment)
        );
        let stance_rows: Vec<lines::StanceRow> = w
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.role != patronfall_model::GroupRole::StateForce)
            .map(|(g, grp)| lines::StanceRow {
                name: grp.name.clone(),
                stances: r
                    .trace
                    .stances
                    .iter()
                    .map(|d| d.get(g).copied().flatten().map_or("", |s| s.name()))
                    .collect(),
            })
            .collect();
        s.push_str(&figs.add(
            &format!("stances-{}", r.coa),
            &format!(
                "Faction stances day by day, representative run of {}",
                r.coa
            ),
            lines::stances(&format!("Faction stances: {}", r.coa), &stance_rows),
        ));
        let border: Vec<lines::Segment> = w
            .segments
            .iter()
            .enumerate()
            .map(|(k, seg)| {
                let day = |d: &Vec<f64>| d.get(k).copied().unwrap_or(0.0);
                lines::Segment {
                    name: seg.name.clone(),
                    crossed: r.trace.crossers.iter().map(day).collect(),
                    interdicted: r.trace.interdicted.iter().map(day).collect(),
                }
            })
            .collect();
        s.push_str(&figs.add(
            &format!("border-{}", r.coa),
            &format!("People crossing (solid line, filled circles) and interdicted (dashed line, open squares) per day on each border segment, each panel on its own scale, representative run of {}", r.coa),
            lines::segments(&format!("Crossings and interdictions by border segment: {}", r.coa), &border),
        ));
        let unrest: Vec<lines::Line> = w
            .communities
            .iter()
            .enumerate()
            .map(|(k, c)| lines::Line {
                label: c.name.clone(),
                dashed: (k / charts::PALETTE.len()) % 2 == 1,
                slot: k,
                values: r
                    .trace
                    .active
                    .iter()
                    .map(|d| d.get(k).copied().unwrap_or(0.0))
                    .collect(),
            })
            .collect();
        s.push_str(&figs.add(
            &format!("unrest-{}", r.coa),
            &format!(
                "Share of each community active in unrest, representative run of {}; each line has its own marker and is named at its last value",
                r.coa
            ),
            lines::lines(
                &format!("Unrest by community: {}", r.coa),
                "share active (0..1)",
                &unrest,
            ),
        ));
    }
    s
}

fn network_section(i: &Inputs, figs: &mut Figures) -> String {
    let Some(sc) = i.scenario else {
        return "<p class=\"warning\">The scenario file could not be re-opened, so the network is not shown.</p>".into();
    };
    let net = Network::of(&sc.world);
    let mut s = String::from(
        "<p>Actors and their ties, placed by a force-directed layout (Fruchterman–Reingold). Line width is the tie's weight; the small triangle on each line points from source to target. The start is the scenario as written; the end is the representative run's last day, where ties of groups that dissolved or integrated are faded and each armed group shows its final stance.</p>",
    );
    s.push_str(&figs.add(
        "network-start",
        "The actor network at the start",
        netchart::network("Actor network at the start", &net, None),
    ));
    for r in i.reps {
        let stances: Vec<Option<Stance>> = r
            .result
            .stances
            .iter()
            .zip(&r.result.has_stance)
            .map(|(s, has)| has.then_some(*s))
            .collect();
        s.push_str(&figs.add(
            &format!("network-end-{}", r.coa),
            &format!(
                "The actor network at the end of the representative run of {}",
                r.coa
            ),
            netchart::network(
                &format!("Actor network at the end: {}", r.coa),
                &net,
                Some(&stances),
            ),
        ));
    }
    s
}

fn sensitivity_section(i: &Inputs, figs: &mut Figures) -> String {
    let Some(sens) = i.sensitivity else {
        return "<p>No sensitivity analysis in this results directory yet. Run <code>patronfall analyze sensitivity DIR</code> (on an ensemble drawn with <code>--sampler saltelli</code> or <code>morris</code>) and rebuild the report with <code>patronfall report DIR</code>.</p>".into();
    };
    let mut s = String::new();
    // One chart per (outcome, course of action): the analysis runs each
    // course of action's runs separately.
    type Key = (String, Option<String>);
    fn groups<E>(entries: &[E], key: impl Fn(&E) -> Key) -> Vec<(Key, Vec<&E>)> {
        let mut keys: Vec<Key> = entries.iter().map(&key).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let sel = entries.iter().filter(|e| key(e) == k).collect();
                (k, sel)
            })
            .collect()
    }
    let under = |coa: &Option<String>| {
        coa.as_ref()
            .map_or(String::new(), |c| format!(" under {c}"))
    };
    let stem = |o: &str, coa: &Option<String>| match coa {
        Some(c) => format!("tornado-{o}-{c}"),
        None => format!("tornado-{o}"),
    };
    match sens {
        Sensitivity::Sobol {
            indices: entries,
            grouping,
            ..
        } => {
            s.push_str("<p>Sobol indices (Saltelli scheme): the first-order index is the share of the outcome's variance due to the uncertainty alone, the total index includes its interactions; whiskers are 95% bootstrap intervals of the total index. Indices are estimates: with few samples they can fall below 0 or above 1, and wide whiskers mean the ensemble is too small to rank those uncertainties.</p>");
            s.push_str(&noise_floor_note(grouping, "total index"));
            for ((o, coa), sel) in groups(entries, |e| (e.outcome.clone(), Some(e.coa.clone()))) {
                s.push_str(&figs.add(
                    &stem(&o, &coa),
                    &format!("Tornado chart of Sobol indices for {o}{}", under(&coa)),
                    sens::sobol(&format!("{o}{}", under(&coa)), &sel),
                ));
            }
        }
        Sensitivity::Morris {
            indices: entries,
            grouping,
            ..
        } => {
            s.push_str("<p>Morris screening: μ* is the mean absolute elementary effect (how much the outcome moves when the uncertainty moves), σ their spread (non-linearity or interactions); whiskers are 95% bootstrap intervals of μ*.</p>");
            s.push_str(&noise_floor_note(grouping, "μ*"));
            let key = |e: &MorrisEffect| (e.outcome.clone(), Some(e.coa.clone()));
            for ((o, coa), sel) in groups(entries, key) {
                s.push_str(&figs.add(
                    &stem(&o, &coa),
                    &format!("Morris screening for {o}{}", under(&coa)),
                    sens::morris(&format!("{o}{}", under(&coa)), &sel),
                ));
            }
        }
    }
    s
}

/// How to read the noise floor (and the groups) of a sensitivity chart.
fn noise_floor_note(grouping: &str, measure: &str) -> String {
    let groups = match grouping {
        "figures" => String::new(),
        g => format!(
            " The design moved the figures in groups ({}): each bar is a group, labelled with its number of figures.",
            escape(g)
        ),
    };
    format!(
        "<p>The dashed line is the noise floor: the upper end of the interval of the <em>dummy</em>, a factor that moves nothing but the dice. A bar in colour stands above it (the lower end of its {measure}'s interval is beyond the floor): moving that uncertainty changes the outcome more than re-rolling the dice does. Grey bars cannot be told apart from the dice at this ensemble's size; more replications lower the floor.{groups}</p>"
    )
}

fn discover_section(i: &Inputs, figs: &mut Figures) -> String {
    let Some(boxes) = i.discover else {
        return "<p>No scenario discovery in this results directory yet. Run <code>patronfall analyze discover DIR</code> and rebuild the report with <code>patronfall report DIR</code>.</p>".into();
    };
    let mut s = String::from(
        "<p>PRIM boxes: ranges of the uncertainties inside which the future is much more likely. Coverage is the share of all runs reaching the future that fall in the box; density is the share of runs in the box that reach it. Restrictions whose quasi-p value is not significant are dropped; a later box is found on the runs the boxes before it left; the last column says in how many bootstrap resamples of the runs the first box restricts the same uncertainty.</p>",
    );
    let support = |p: &str| {
        i.manifest
            .uncertainties
            .iter()
            .find(|u| u.path == p)
            .map(|u| u.support)
    };
    for d in boxes {
        for (k, b) in d.boxes.iter().enumerate() {
            s.push_str(&format!(
                "<p>Box {} for {}: coverage {:.2} of the runs reaching it, density {:.2}, mass {:.2} (step {}, {}).</p>",
                k + 1,
                escape(&d.future),
                b.coverage,
                b.density,
                b.mass,
                b.chosen_step,
                escape(&d.selection)
            ));
            s.push_str(&figs.add(
                &format!("discover-{k}-{}", d.future),
                &format!("Scenario-discovery box {} for {}", k + 1, d.future),
                sens::discover_box(&d.future, d.coa.as_deref(), b, &support),
            ));
            let rows: Vec<Vec<String>> = b
                .limits
                .iter()
                .map(|l| {
                    let bound = |v: Option<f64>| charts::short(v.unwrap_or(f64::NAN));
                    let p = b
                        .quasi_p
                        .iter()
                        .filter(|q| q.path == l.path)
                        .map(|q| format!("{:.1e}", q.p))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let stable = d
                        .resampling
                        .as_ref()
                        .filter(|_| k == 0)
                        .and_then(|r| r.restricted.iter().find(|x| x.path == l.path))
                        .map_or(String::new(), |x| format!("{:.0}%", 100.0 * x.share));
                    if l.categories.is_empty() {
                        vec![escape(&l.path), bound(l.low), bound(l.high), p, stable]
                    } else {
                        vec![
                            escape(&l.path),
                            escape(&l.categories.join(", ")),
                            String::new(),
                            p,
                            stable,
                        ]
                    }
                })
                .collect();
            s.push_str(&table(
                &[
                    "uncertainty",
                    "from",
                    "to",
                    "quasi-p",
                    "restricted in resamples",
                ],
                &rows,
                "box",
            ));
            if !b.dropped.is_empty() {
                let dropped: Vec<String> = b.dropped.iter().map(|x| escape(&x.path)).collect();
                s.push_str(&format!(
                    "<p class=\"note\">Dropped as not significant (quasi-p above {}): {}.</p>",
                    d.significance.map_or("the level".into(), |a| a.to_string()),
                    dropped.join(", ")
                ));
            }
        }
        if !d.not_played.is_empty() {
            s.push_str(&format!(
                "<p class=\"note\">{} figure(s) of shocks not played were left out of the search.</p>",
                d.not_played.len()
            ));
        }
    }
    s
}

/// Which of the varied figures, of the drivers above the noise floor and of
/// the discovery boxes' restrictions rest on the analyst's assumptions
/// (`basis` in the manifest: `patronfall_scenario::trace`).
fn assumptions_section(i: &Inputs) -> String {
    let varied: Vec<_> = i
        .manifest
        .uncertainties
        .iter()
        .filter(|u| u.varied)
        .collect();
    if varied.iter().all(|u| u.basis.is_empty()) {
        return "<p>This results directory does not record what its figures rest on (it was written before the record); run the ensemble again to see it.</p>".into();
    }
    let count = |b: &str| varied.iter().filter(|u| u.basis == b).count();
    let mut s = format!(
        "<p>Of the {} uncertain figures this ensemble varied, {} rest on published sources only, {} on a published source with an analyst's range (mixed), {} on analyst assumptions alone and {} cite no source. A figure's sources are its own <code>source</code> key, else its entity's <code>sources</code>; a source is an assumption when its title says so (docs/scenario-format.md, section 4).</p>",
        varied.len(),
        count("sourced"),
        count("mixed"),
        count("assumption"),
        count("unsourced")
    );
    let rests = |basis: &str| basis == "mixed" || basis == "assumption" || basis == "unsourced";
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut drivers = 0;
    let mut add =
        |name: &str, basis: &str, sources: &[String], why: String, rows: &mut Vec<Vec<String>>| {
            if rests(basis) && !seen.iter().any(|x| x == name) {
                seen.push(name.to_string());
                rows.push(vec![
                    escape(name),
                    escape(basis),
                    escape(&sources.join(", ")),
                    escape(&why),
                ]);
            }
        };
    match i.sensitivity {
        Some(Sensitivity::Sobol { indices, .. }) => {
            for e in indices.iter().filter(|e| e.above_noise == Some(true)) {
                drivers += 1;
                let why = format!(
                    "driver of {} under {} (total index {:.2})",
                    e.outcome,
                    e.coa,
                    e.total.unwrap_or(f64::NAN)
                );
                add(&e.factor, &e.basis, &e.sources, why, &mut rows);
            }
        }
        Some(Sensitivity::Morris { indices, .. }) => {
            for e in indices.iter().filter(|e| e.above_noise == Some(true)) {
                drivers += 1;
                let why = format!(
                    "driver of {} under {} (μ* {})",
                    e.outcome,
                    e.coa,
                    charts::short(e.mu_star.unwrap_or(f64::NAN))
                );
                add(&e.factor, &e.basis, &e.sources, why, &mut rows);
            }
        }
        None => {}
    }
    let from_drivers = rows.len();
    for d in i.discover.unwrap_or_default() {
        for (k, b) in d.boxes.iter().enumerate() {
            for l in &b.limits {
                add(
                    &l.path,
                    &l.basis,
                    &l.sources,
                    format!("restricts box {} for {}", k + 1, d.future),
                    &mut rows,
                );
            }
        }
    }
    if i.sensitivity.is_some() {
        let _ = write!(
            s,
            "<p>{from_drivers} of the drivers standing above the noise floor rest at least in part on assumptions or on no source ({drivers} driver rows in all).</p>"
        );
    }
    if rows.is_empty() {
        s.push_str("<p>No driver above the noise floor and no discovery restriction rests on an assumption (or no sensitivity or discovery analysis was run).</p>");
    } else {
        s.push_str(&table(
            &[
                "figure or group",
                "rests on",
                "sources",
                "why it matters here",
            ],
            &rows,
            "assumptions",
        ));
    }
    s
}

fn narrative_section(i: &Inputs) -> String {
    if i.reps.is_empty() {
        return "<p>No representative run, so no narrative.</p>".into();
    }
    let mut s = String::from(
        "<p class=\"note\">What happened in each representative run, and why: turning points (importance 3) over the whole run and notable events (importance 2) in the first 14 days, with the numbers behind them.</p>",
    );
    for r in i.reps {
        let _ = write!(s, "<h3>{}</h3>", escape(&r.coa));
        let rows: Vec<Vec<String>> = narrative(&r.trace.log)
            .map(|e| {
                let numbers: Vec<String> = e
                    .numbers
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", charts::short(*v)))
                    .collect();
                vec![
                    e.day.to_string(),
                    escape(e.topic.name()),
                    escape(&e.text),
                    escape(&numbers.join(", ")),
                ]
            })
            .collect();
        if rows.is_empty() {
            s.push_str("<p>Nothing notable happened in this run.</p>");
        } else {
            s.push_str(&table(
                &["day", "mechanism", "what happened", "numbers"],
                &rows,
                "log",
            ));
        }
    }
    s
}

fn methods_section(i: &Inputs) -> String {
    let m = i.manifest;
    format!(
        "<ul>\
<li>Each run simulates {days} days, one step per day, with the mechanisms of the model in a fixed order (patron, resources, loyalty and cohesion, stance and disarmament, border, unrest, armed contests, political settlement, government, outside actors). A run is a pure function of the scenario, the course of action, the sampled values and the seed.</li>\
<li>Uncertain figures of the scenario were sampled with the <code>{sampler}</code> sampler ({varied} of {total} varied; the rest at their nominal values). Every course of action ran on the same samples and seeds (common random numbers), so comparisons are paired. {params}</li>\
<li>A future is the first rule in the scenario's list that holds at the end of a run. Probabilities carry 95% Wilson intervals; paired differences 95% Newcombe (1998, method 10) intervals.</li>\
<li>Fan charts use the daily series of the first {series} samples of each course of action (exchangeable with the rest).</li>\
<li>Panels of stances, border segments, unrest by community, the network at the end and the narrative come from one representative run per course of action; other runs differ.</li>\
<li>Caveats: the numbers are the scenario's assumptions carried forward by the model, not forecasts. Intervals cover sampling error of the ensemble only, not error in the model's structure or in the scenario's figures beyond the stated ranges. Figures with weak sources (see the scenario's sources and their notes) deserve the least trust.</li>\
</ul>",
        days = m.days,
        sampler = escape(&m.sampler),
        varied = m.uncertainties.iter().filter(|u| u.varied).count(),
        total = m.uncertainties.len(),
        series = m.series_sample,
        params = if m.vary_parameters {
            "The model's behavioural parameters were among them, each over its plausible range in the parameter registry."
        } else {
            "The model's behavioural parameters were held at their values (<code>--vary-parameters</code> varies them over their plausible ranges)."
        },
    )
}

fn manifest_section(i: &Inputs) -> String {
    let m = i.manifest;
    let status = if m.complete {
        "complete".to_string()
    } else {
        format!(
            "INCOMPLETE: {} of {} experiments",
            m.experiments_done, m.experiments_planned
        )
    };
    let rows = vec![
        vec!["patronfall version".into(), escape(&m.version)],
        vec![
            "platform".into(),
            if m.platform.is_empty() {
                "not recorded".into()
            } else {
                escape(&m.platform)
            },
        ],
        vec!["results format".into(), m.format.to_string()],
        vec![
            "command".into(),
            format!("<code>{}</code>", escape(&m.command.join(" "))),
        ],
        vec!["scenario".into(), escape(&m.scenario)],
        vec!["scenario file".into(), escape(&m.scenario_file)],
        vec![
            "scenario SHA-256".into(),
            format!("<code>{}</code>", escape(&m.scenario_sha256)),
        ],
        vec!["sampler".into(), escape(&m.sampler)],
        vec![
            "model parameters".into(),
            if m.vary_parameters {
                "varied over their plausible ranges (<code>--vary-parameters</code>)".into()
            } else {
                "not varied: the registry's defaults and the scenario's <code>[parameters]</code>"
                    .into()
            },
        ],
        vec!["master seed".into(), m.seed.to_string()],
        vec![
            "samples × replications".into(),
            format!("{} × {}", m.samples, m.replications),
        ],
        vec!["courses of action".into(), escape(&m.coas.join(", "))],
        vec!["shock".into(), escape(&m.shock)],
        vec!["days".into(), m.days.to_string()],
        vec![
            "experiments".into(),
            format!(
                "{} done of {} planned",
                m.experiments_done, m.experiments_planned
            ),
        ],
        vec!["completeness".into(), escape(&status)],
        vec!["files".into(), escape(&m.files.join(", "))],
    ];
    let mut s = table(&["field", "value"], &rows, "manifest");
    s.push_str("<h3>Uncertain figures</h3>");
    let u: Vec<Vec<String>> = m
        .uncertainties
        .iter()
        .map(|u| {
            vec![
                format!("<code>{}</code>", escape(&u.path)),
                escape(&u.dist),
                format!(
                    "{} – {}",
                    charts::short(u.support[0]),
                    charts::short(u.support[1])
                ),
                num(u.nominal),
                if u.varied {
                    "yes".into()
                } else {
                    "no (nominal)".into()
                },
            ]
        })
        .collect();
    s.push_str(&table(
        &["path", "distribution", "range", "nominal", "varied"],
        &u,
        "uncertainties",
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(
            slug("<script>alert(1)</script>"),
            "-script-alert-1---script".trim_matches('-')
        );
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("\"><"), "chart");
        assert!(slug(&"x".repeat(100)).len() <= 60);
    }

    /// The page opens with the futures (name, meaning, conditions) and the
    /// courses of action, and keeps the reference tables for the end.
    #[test]
    fn the_page_opens_with_the_futures_and_ends_with_the_reference() {
        let sc = patronfall_scenario::open("iraq-after-tehran").unwrap();
        let m = crate::testutil::manifest(&sc, "abrupt_collapse", 30);
        let futures =
            patronfall_analysis::futures::FutureCounts::new(m.coas.len(), m.futures.len())
                .table(&m.coas, &m.futures);
        let fans = Fans::default();
        let (page, _) = build(&Inputs {
            manifest: &m,
            scenario: Some(&sc),
            futures: &futures,
            paired: &[],
            fans: &fans,
            reps: &[],
            sensitivity: None,
            discover: None,
            signposts: None,
            update: None,
            compare: None,
            decided: Ok(&[]),
            warnings: &[],
        });
        let ids = page.section_ids();
        assert_eq!(ids.first(), Some(&"glance"));
        assert_eq!(ids[ids.len() - 2..], ["scenario", "manifest"]);
        let html = page.render();
        let first_table = html.find("<table").unwrap();
        assert_eq!(
            html.find("<table class=\"futures-defined\">"),
            Some(first_table),
            "the futures table comes first"
        );
        let end = first_table + html[first_table..].find("</table>").unwrap();
        let table = &html[first_table..end];
        for (f, text) in sc.futures.iter().enumerate() {
            assert!(table.contains(&escape(&text.name)), "{}", text.name);
            assert!(table.contains(&escape(&text.description)), "{}", text.name);
            for c in &sc.world.futures[f].conditions {
                assert!(table.contains(&condition_text(c)), "{}", text.name);
            }
        }
        assert!(table.contains("<code>unaffiliated_armed</code> at its highest ≥ 2500"));
        let coa = &sc.coas[0];
        let glance = &html[..html.find("id=\"futures\"").unwrap()];
        assert!(glance.contains(&escape(&coa.name)) && glance.contains(&escape(&coa.description)));
        let actors = html.find("<table class=\"actors\">").unwrap();
        assert!(
            actors > html.find("id=\"methods\"").unwrap(),
            "actors at the end"
        );
    }

    /// Every condition of every future gets a row; a cell is the share of
    /// runs in which it held and its median margin; results that cannot
    /// say show why instead.
    #[test]
    fn what_decided_the_futures_is_a_row_per_condition() {
        let sc = patronfall_scenario::open("iraq-after-tehran").unwrap();
        let m = crate::testutil::manifest(&sc, "abrupt_collapse", 30);
        let futures =
            patronfall_analysis::futures::FutureCounts::new(m.coas.len(), m.futures.len())
                .table(&m.coas, &m.futures);
        let fans = Fans::default();
        let spill = m
            .conditions
            .iter()
            .find(|c| c.future == "spillover_crisis")
            .expect("the built-in scenario's spillover has a condition");
        let held = [Held {
            coa: m.coas[0].clone(),
            condition: spill.column.clone(),
            held: 3,
            runs: 4,
            median_margin: Some(-208.0),
        }];
        let inputs = |decided| Inputs {
            manifest: &m,
            scenario: Some(&sc),
            futures: &futures,
            paired: &[],
            fans: &fans,
            reps: &[],
            sensitivity: None,
            discover: None,
            signposts: None,
            update: None,
            compare: None,
            decided,
            warnings: &[],
        };
        let html = build(&inputs(Ok(&held))).0.render();
        let start = html.find("<table class=\"decided\">").expect("the table");
        let t = &html[start..start + html[start..].find("</table>").unwrap()];
        assert_eq!(t.matches("<tr>").count(), m.conditions.len() + 1);
        assert!(t.contains("75.0% · -208"), "{t}");
        assert!(t.contains("<code>unaffiliated_armed</code> at its highest ≥ 2500"));
        let html = build(&inputs(Err("no margins".into()))).0.render();
        assert!(html.contains("What decided the futures cannot be shown: no margins"));
    }

    #[test]
    fn units_come_from_the_catalogue() {
        assert_eq!(unit("crossers"), "people/day");
        assert_eq!(unit("legitimacy"), "0..1");
        assert_eq!(unit("nonsense"), "");
    }
}
