//! `patronfall scenario list|show|check|init|schema|seen`: built-ins, a
//! readable view, validation, a commented template, a JSON Schema for
//! editors, and a past case's readings as an observations file.

use crate::commands::common::{DEFAULT_SCENARIO, open_scenario};
use crate::failure::{CommandResult, Failure};
use crate::output::{out, outln};
use crate::output::{plural, plural_of, value, write_atomic};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_model::{GroupRole, PARAMETERS, Params};
use std::path::PathBuf;

/// Arguments of `patronfall scenario`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List the built-in scenarios.
    List,
    /// Show a scenario: actors, ties, border, shocks, courses of action, futures, sources.
    Show {
        /// A built-in name or a file.
        #[arg(default_value = DEFAULT_SCENARIO)]
        scenario: String,
        /// Also list the model's general parameters with the values this scenario uses.
        #[arg(long)]
        parameters: bool,
    },
    /// Validate scenario files; exits with 2 and every problem if one is invalid.
    Check {
        /// Built-in names or files.
        #[arg(required = true)]
        scenarios: Vec<String>,
    },
    /// Write a commented template scenario to start from.
    Init {
        /// Where to write it (standard output if absent).
        file: Option<PathBuf>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print a JSON Schema of the scenario format, for editors.
    Schema,
    /// Write a past case's readings (`[[seen]]`) as an observations file for
    /// `patronfall update --observed`, each note ending with its sources.
    Seen {
        /// A built-in name or a file.
        scenario: String,
        /// Where to write it (standard output if absent).
        file: Option<PathBuf>,
        /// Only the readings known by this day.
        #[arg(long)]
        by_day: Option<u32>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    match args.action {
        Action::List => {
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY)
                .set_header(["name", "description"]);
            for (name, about, _) in patronfall_scenario::BUILTINS {
                t.add_row([*name, *about]);
            }
            t.add_row([
                "template",
                "The commented template `patronfall scenario init` writes: a small case to start from",
            ]);
            outln!("{t}");
            Ok(())
        }
        Action::Show {
            scenario,
            parameters,
        } => show(&scenario, parameters),
        Action::Check { scenarios } => {
            let mut failures = Vec::new();
            for name in &scenarios {
                match patronfall_scenario::open(name) {
                    Ok(s) => outln!(
                        "ok: {} ({}, {}, {}, {}, {}; sha256 {})",
                        s.file,
                        plural(s.world.groups.len(), "armed group"),
                        plural_of(s.world.communities.len(), "community", "communities"),
                        plural(s.world.segments.len(), "segment"),
                        plural_of(s.world.coas.len(), "course of action", "courses of action"),
                        plural(s.uncertainties.len(), "uncertain figure"),
                        &s.hash[..12]
                    ),
                    Err(e) => failures.push(e.render()),
                }
                if let Ok(s) = patronfall_scenario::open(name) {
                    for w in s.warnings() {
                        println!("warning: {}: {w}", s.file);
                    }
                }
            }
            if failures.is_empty() {
                Ok(())
            } else {
                Err(Failure::bad_input(failures.join("\n")))
            }
        }
        Action::Init { file, force } => {
            if let Some(path) =
                print_or_write(file.as_deref(), force, patronfall_scenario::TEMPLATE)?
            {
                outln!(
                    "wrote {} (check it with `patronfall scenario check {}`)",
                    path.display(),
                    path.display()
                );
            }
            Ok(())
        }
        Action::Seen {
            scenario,
            file,
            by_day,
            force,
        } => seen(&scenario, file.as_deref(), by_day, force),
        Action::Schema => {
            let text = serde_json::to_string_pretty(&patronfall_scenario::schema())
                .map_err(Failure::failed)?;
            outln!("{text}");
            Ok(())
        }
    }
}

/// An observations file, as `patronfall update --observed` reads it.
#[derive(serde::Serialize)]
struct ObservationsFile {
    observed: Vec<patronfall_results::analyses::update::Observation>,
}

fn seen(
    name: &str,
    file: Option<&std::path::Path>,
    by_day: Option<u32>,
    force: bool,
) -> CommandResult {
    let s = open_scenario(name)?;
    if s.seen.is_empty() {
        return Err(Failure::bad_input(format!(
            "{}: records no [[seen]] readings; add them to the file (docs/scenario-format.md section 14)",
            s.file
        )));
    }
    let mut observed = patronfall_validation::readings(&s, by_day.unwrap_or(u32::MAX));
    if observed.is_empty() {
        return Err(Failure::bad_input(format!(
            "--by-day: {} has no reading by day {}; its first is on day {}",
            s.file,
            by_day.unwrap_or(0),
            s.seen.iter().map(|x| x.day).min().unwrap_or(0)
        )));
    }
    // Each note ends with its sources in full, so the file stands alone.
    for (o, x) in observed
        .iter_mut()
        .zip(s.seen.iter().filter(|x| by_day.is_none_or(|d| x.day <= d)))
    {
        let cited: Vec<String> = x
            .sources
            .iter()
            .filter_map(|k| s.sources.iter().find(|r| r.key == *k))
            .map(|r| format!("{} ({}, \"{}\", {})", r.key, r.publisher, r.title, r.year))
            .collect();
        o.note = format!("{} Sources: {}.", o.note.trim_end(), cited.join("; "));
    }
    let text = toml::to_string(&ObservationsFile { observed })
        .map_err(|e| Failure::failed(format!("cannot write the observations: {e}")))?;
    let head = format!(
        "# The readings of `{}` ([[seen]] in {}), for `patronfall update DIR --observed FILE`.\n\n",
        s.id, s.file
    );
    if let Some(path) = print_or_write(file, force, &format!("{head}{text}"))? {
        outln!("wrote {}", path.display());
    }
    Ok(())
}

/// Prints `text`, or writes it atomically to `file`, refusing a file that
/// exists unless `force`; returns the file when it was written.
fn print_or_write<'a>(
    file: Option<&'a std::path::Path>,
    force: bool,
    text: &str,
) -> Result<Option<&'a std::path::Path>, Failure> {
    let Some(path) = file else {
        out!("{text}");
        return Ok(None);
    };
    if path.exists() && !force {
        return Err(Failure::bad_input(format!(
            "{} exists; pass --force to overwrite it",
            path.display()
        )));
    }
    write_atomic(path, text.as_bytes())
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path))
}

fn show(name: &str, parameters: bool) -> CommandResult {
    let s = open_scenario(name)?;
    let w = &s.world;
    outln!("{} — {}", s.id, s.title);
    outln!("file {}  sha256 {}", s.file, s.hash);
    if !s.description.is_empty() {
        outln!("\n{}", s.description.trim());
    }
    outln!(
        "\nhorizon {} days; default course of action `{}`; default shock `{}`",
        w.horizon_days,
        s.ids.coas[s.default_coa.index()],
        s.default_shock
            .map_or("none", |k| s.ids.shocks[k.index()].as_str())
    );

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_header(["state", "role", "key figures"]);
    for p in &w.patrons {
        let pools: f64 = p.pools.iter().map(|q| q.people).sum();
        t.add_row([
            p.name.clone(),
            "patron".into(),
            format!(
                "capacity {:.2}; {} theatres; {} people in {} pools",
                p.capacity,
                p.theaters.len(),
                value(pools),
                p.pools.len()
            ),
        ]);
    }
    t.add_row([
        w.host.name.clone(),
        "host".into(),
        format!(
            "leader {} (decisiveness {:.2}, inclusiveness {:.2}, integrity {:.2}); detention {}",
            w.host.leader.name,
            w.host.leader.decisiveness,
            w.host.leader.inclusiveness,
            w.host.leader.integrity,
            value(w.host.detention_capacity)
        ),
    ]);
    for o in &w.outside {
        t.add_row([
            o.name.clone(),
            "outside".into(),
            format!(
                "presence {}; intel {:.2}; exploitation {:.3}; guarantee {:.2}",
                value(o.presence),
                o.intel,
                o.exploitation,
                o.guarantee
            ),
        ]);
    }
    outln!("\n{t}");

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header([
        "armed group",
        "role",
        "fighters",
        "fill",
        "morale",
        "ideology",
        "allegiance p/h/s",
        "stance",
    ]);
    for g in &w.groups {
        if g.splinter_of.is_some() {
            continue;
        }
        let role = match g.role {
            GroupRole::Faction => "faction",
            GroupRole::StateForce => "state force",
            GroupRole::Insurgency => "insurgency",
        };
        t.add_row([
            g.name.clone(),
            role.into(),
            value(g.fighters + g.abroad),
            format!("{:.2}", g.fill_rate),
            format!("{:.2}", g.morale),
            format!("{:.2}", g.ideology),
            format!(
                "{:.2}/{:.2}/{:.2}",
                g.allegiance[0], g.allegiance[1], g.allegiance[2]
            ),
            g.stance.name().into(),
        ]);
    }
    outln!("\n{t}");

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header([
        "community",
        "region",
        "population",
        "patron alignment",
        "hardship",
        "legitimacy",
    ]);
    for c in &w.communities {
        t.add_row([
            c.name.clone(),
            w.regions[c.region.index()].name.clone(),
            value(c.population),
            format!("{:.2}", c.patron_alignment),
            format!("{:.2}", c.hardship),
            format!("{:.2}", c.legitimacy),
        ]);
    }
    outln!("\n{t}");

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_header(["border segment", "neighbour", "km", "crossings"]);
    for seg in &w.segments {
        let names: Vec<String> = seg
            .crossings
            .iter()
            .map(|x| {
                let c = &w.crossings[x.index()];
                format!(
                    "{} ({}, {}/day)",
                    c.name,
                    if c.official { "official" } else { "informal" },
                    value(c.capacity_per_day)
                )
            })
            .collect();
        t.add_row([
            seg.name.clone(),
            seg.neighbor.clone(),
            value(seg.length_km),
            names.join("; "),
        ]);
    }
    outln!("\n{t}");

    outln!("\nties: {}", w.ties.len());
    for kind in patronfall_model::TieKind::ALL {
        let n = w.ties.iter().filter(|t| t.kind == kind).count();
        if n > 0 {
            outln!("  {}: {n}", kind.name());
        }
    }
    outln!("\nshocks: {}", s.ids.shocks.join(", "));
    outln!("courses of action: {}", s.ids.coas.join(", "));
    outln!("futures (checked in order): {}", s.ids.futures.join(", "));
    outln!(
        "issues: {}",
        w.issues
            .iter()
            .map(|i| format!("{} ({} stakeholders)", i.name, i.stakeholders.len()))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_header(["uncertain figure", "distribution", "nominal"]);
    for u in &s.uncertainties {
        let (lo, hi) = u.dist.support();
        t.add_row([
            u.path.clone(),
            format!("{} [{}, {}]", u.dist.name(), value(lo), value(hi)),
            value(u.nominal),
        ]);
    }
    outln!("\n{} uncertain figures\n{t}", s.uncertainties.len());

    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_header(["source", "publisher", "title", "year"]);
    for src in &s.sources {
        t.add_row([
            src.key.clone(),
            src.publisher.clone(),
            src.title.clone(),
            src.year.to_string(),
        ]);
    }
    outln!("\n{t}");

    if parameters {
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header([
            "parameter",
            "unit",
            "value",
            "default",
            "plausible",
            "meaning",
        ]);
        let d = Params::default();
        for p in PARAMETERS {
            t.add_row([
                p.name.to_string(),
                p.unit.to_string(),
                value((p.get)(&w.params)),
                value((p.get)(&d)),
                p.plausible.map_or_else(
                    || "fixed".to_string(),
                    |[low, high]| format!("{}–{}", value(low), value(high)),
                ),
                p.doc.to_string(),
            ]);
        }
        outln!("\n{t}");
    }
    Ok(())
}
