//! `patronfall reference`: reference models used for validation. Today one,
//! `epstein`: Epstein's (2002) civil-violence Model I, printing the counts of
//! quiet, active and jailed citizens per step as CSV.
//!
//! Flags map one to one onto `patronfall_epstein::Params`, its `Variant` and
//! a `Plan`; the model is in that crate. This module only parses, writes the
//! CSV (atomically when to a file) and, on request, times the run.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::ValueEnum;
use patronfall_epstein as ep;

use crate::failure::{CommandResult, Failure};
use crate::output::errln;

/// Arguments of `patronfall reference`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    model: Model,
}

/// The reference models.
#[derive(Debug, clap::Subcommand)]
enum Model {
    /// Epstein (2002) civil violence, Model I: CSV of quiet/active/jailed per step.
    Epstein(EpsteinArgs),
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    match args.model {
        Model::Epstein(a) => run_epstein(a),
    }
}

/// Largest `--steps`: the CSV keeps one row per step in memory.
const MAX_STEPS: u64 = 10_000_000;

/// Flags of `patronfall reference epstein`. Numbers default to NetLogo's
/// Rebellion sliders (which Mesa's app also uses); `--variant` picks whose
/// implementation choices apply, and each choice can be overridden.
#[derive(Debug, clap::Args)]
struct EpsteinArgs {
    /// Whose implementation choices to follow (see docs/epstein.md).
    #[arg(long, value_enum, default_value_t = VariantName::Netlogo)]
    variant: VariantName,
    /// Grid width, in cells (torus).
    #[arg(long, default_value_t = 40)]
    width: u32,
    /// Grid height, in cells.
    #[arg(long, default_value_t = 40)]
    height: u32,
    /// Share of cells holding a citizen at set-up.
    #[arg(long, default_value_t = 0.70)]
    citizen_density: f64,
    /// Share of cells holding a cop at set-up.
    #[arg(long, default_value_t = 0.04)]
    cop_density: f64,
    /// Vision of citizens and cops, in cells (v = v*).
    #[arg(long, default_value_t = 7.0)]
    vision: f64,
    /// Citizen vision v, overriding --vision.
    #[arg(long)]
    citizen_vision: Option<f64>,
    /// Cop vision v*, overriding --vision.
    #[arg(long)]
    cop_vision: Option<f64>,
    /// Regime legitimacy L in [0, 1] at the start.
    #[arg(long, default_value_t = 0.82)]
    legitimacy: f64,
    /// Maximum jail term Jmax, in steps.
    #[arg(long, default_value_t = 30)]
    max_jail_term: u32,
    /// Activation threshold T (active when G − R·P > T).
    #[arg(long, default_value_t = 0.1)]
    threshold: f64,
    /// Arrest constant k in P = 1 − exp(−k·C/A).
    #[arg(long, default_value_t = 2.3)]
    k: f64,
    /// Number of steps (ticks) to run, at most 10,000,000.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=MAX_STEPS))]
    steps: u64,
    /// Seed of the run's random stream.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Legitimacy after a drop (needs --drop-at).
    #[arg(long, requires = "drop_at")]
    drop_to: Option<f64>,
    /// First step of the legitimacy drop.
    #[arg(long, requires = "drop_to")]
    drop_at: Option<u64>,
    /// Spread the drop linearly over this many steps (default: all at once).
    #[arg(long, requires = "drop_to")]
    drop_over: Option<u64>,
    /// Set the number of cops to COUNT from step STEP on; repeatable.
    #[arg(long, value_name = "STEP:COUNT", value_parser = parse_cop_change)]
    cops_at: Vec<(u64, u32)>,
    /// Write the CSV to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Print set-up and per-step wall time as one JSON line on standard error.
    #[arg(long)]
    timing: bool,
    /// Neighbourhood shape (overrides the variant).
    #[arg(long, value_enum)]
    shape: Option<ShapeArg>,
    /// Whether an agent sees its own cell (overrides the variant).
    #[arg(long, value_enum)]
    centre: Option<CentreArg>,
    /// Rounding of the cop/active ratio (overrides the variant).
    #[arg(long, value_enum)]
    ratio: Option<RatioArg>,
    /// Jail terms U{0..Jmax-1} or U{0..Jmax} (overrides the variant).
    #[arg(long, value_enum)]
    jail_range: Option<JailRangeArg>,
    /// Whether jailed citizens keep their cell (overrides the variant).
    #[arg(long, value_enum)]
    jailed_cell: Option<JailedCellArg>,
    /// Move before or after acting (overrides the variant).
    #[arg(long, value_enum)]
    turn_order: Option<TurnOrderArg>,
    /// When jail terms count down (overrides the variant).
    #[arg(long, value_enum)]
    jail_countdown: Option<CountdownArg>,
    /// Where a cop goes after an arrest (overrides the variant).
    #[arg(long, value_enum)]
    after_arrest: Option<AfterArrestArg>,
    /// Who moves (overrides the variant).
    #[arg(long, value_enum)]
    movement: Option<MovementArg>,
    /// Activation order within a tick (overrides the variant).
    #[arg(long, value_enum)]
    activation: Option<ActivationArg>,
    /// Initial placement (overrides the variant).
    #[arg(long, value_enum)]
    placement: Option<PlacementArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VariantName {
    /// NetLogo's Rebellion model.
    Netlogo,
    /// Mesa 3.3.1's epstein_civil_violence example.
    Mesa,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShapeArg {
    /// |dx| + |dy| ≤ v (diamond).
    VonNeumann,
    /// dx² + dy² ≤ v² (disc).
    Disc,
    /// max(|dx|, |dy|) ≤ v (square).
    Moore,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CentreArg {
    /// The own cell is seen.
    Include,
    /// The own cell is not seen.
    Exclude,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RatioArg {
    /// floor(C/A).
    Floor,
    /// round(C/A), halves to even.
    Round,
    /// C/A unrounded.
    Exact,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum JailRangeArg {
    /// 0..Jmax-1.
    Exclusive,
    /// 0..Jmax.
    Inclusive,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum JailedCellArg {
    /// The cell is free while its citizen is jailed.
    Vacate,
    /// The cell stays occupied.
    Hold,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TurnOrderArg {
    /// Move, then act.
    MoveFirst,
    /// Act, then move.
    ActFirst,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CountdownArg {
    /// All terms count down at the end of the tick.
    EndOfTick,
    /// Each term counts down at its citizen's turn.
    OwnTurn,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AfterArrestArg {
    /// The cop moves onto the arrestee's cell.
    MoveToArrestee,
    /// The cop stays.
    Stay,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MovementArg {
    /// Citizens and cops move.
    All,
    /// Only cops move.
    CopsOnly,
    /// Nobody moves.
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ActivationArg {
    /// A new random order every tick.
    Random,
    /// Citizens in creation order, then cops.
    Sequential,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PlacementArg {
    /// Exactly round(density × cells) of each kind.
    Exact,
    /// Each cell drawn independently.
    Bernoulli,
}

/// Parses `STEP:COUNT`.
fn parse_cop_change(s: &str) -> Result<(u64, u32), String> {
    let (step, count) = s
        .split_once(':')
        .ok_or_else(|| format!("expected STEP:COUNT, got `{s}`"))?;
    let step = step
        .trim()
        .parse()
        .map_err(|_| format!("step `{step}` is not a whole number"))?;
    let count = count
        .trim()
        .parse()
        .map_err(|_| format!("cop count `{count}` is not a whole number"))?;
    Ok((step, count))
}

impl EpsteinArgs {
    fn variant(&self) -> ep::Variant {
        let mut v = match self.variant {
            VariantName::Netlogo => ep::Variant::netlogo(),
            VariantName::Mesa => ep::Variant::mesa(),
        };
        if let Some(x) = self.shape {
            v.shape = match x {
                ShapeArg::VonNeumann => ep::Shape::VonNeumann,
                ShapeArg::Disc => ep::Shape::Disc,
                ShapeArg::Moore => ep::Shape::Moore,
            };
        }
        if let Some(x) = self.centre {
            v.centre = match x {
                CentreArg::Include => ep::Centre::Include,
                CentreArg::Exclude => ep::Centre::Exclude,
            };
        }
        if let Some(x) = self.ratio {
            v.ratio = match x {
                RatioArg::Floor => ep::Ratio::Floor,
                RatioArg::Round => ep::Ratio::RoundHalfEven,
                RatioArg::Exact => ep::Ratio::Exact,
            };
        }
        if let Some(x) = self.jail_range {
            v.jail_range = match x {
                JailRangeArg::Exclusive => ep::JailRange::Exclusive,
                JailRangeArg::Inclusive => ep::JailRange::Inclusive,
            };
        }
        if let Some(x) = self.jailed_cell {
            v.jailed_cell = match x {
                JailedCellArg::Vacate => ep::JailedCell::Vacate,
                JailedCellArg::Hold => ep::JailedCell::Hold,
            };
        }
        if let Some(x) = self.turn_order {
            v.turn = match x {
                TurnOrderArg::MoveFirst => ep::TurnOrder::MoveFirst,
                TurnOrderArg::ActFirst => ep::TurnOrder::ActFirst,
            };
        }
        if let Some(x) = self.jail_countdown {
            v.countdown = match x {
                CountdownArg::EndOfTick => ep::JailCountdown::EndOfTick,
                CountdownArg::OwnTurn => ep::JailCountdown::OwnTurn,
            };
        }
        if let Some(x) = self.after_arrest {
            v.after_arrest = match x {
                AfterArrestArg::MoveToArrestee => ep::AfterArrest::MoveToArrestee,
                AfterArrestArg::Stay => ep::AfterArrest::Stay,
            };
        }
        if let Some(x) = self.movement {
            v.movement = match x {
                MovementArg::All => ep::Movement::All,
                MovementArg::CopsOnly => ep::Movement::CopsOnly,
                MovementArg::None => ep::Movement::None,
            };
        }
        if let Some(x) = self.activation {
            v.activation = match x {
                ActivationArg::Random => ep::Activation::Random,
                ActivationArg::Sequential => ep::Activation::Sequential,
            };
        }
        if let Some(x) = self.placement {
            v.placement = match x {
                PlacementArg::Exact => ep::Placement::ExactCounts,
                PlacementArg::Bernoulli => ep::Placement::Bernoulli,
            };
        }
        v
    }

    fn params(&self) -> ep::Params {
        ep::Params {
            width: self.width,
            height: self.height,
            citizen_density: self.citizen_density,
            cop_density: self.cop_density,
            citizen_vision: self.citizen_vision.unwrap_or(self.vision),
            cop_vision: self.cop_vision.unwrap_or(self.vision),
            legitimacy: self.legitimacy,
            max_jail_term: self.max_jail_term,
            threshold: self.threshold,
            k: self.k,
            variant: self.variant(),
        }
    }

    fn plan(&self) -> Result<ep::Plan, Failure> {
        let legitimacy = match (self.drop_to, self.drop_at, self.drop_over) {
            (Some(to), Some(at), None | Some(0)) => ep::LegitimacyPath::Sudden {
                before: self.legitimacy,
                after: to,
                at,
            },
            (Some(to), Some(start), Some(over)) => ep::LegitimacyPath::Gradual {
                from: self.legitimacy,
                to,
                start,
                over,
            },
            _ => ep::LegitimacyPath::Constant(self.legitimacy),
        };
        if let Some(to) = self.drop_to
            && !(0.0..=1.0).contains(&to)
        {
            return Err(Failure::bad_input(format!(
                "--drop-to: legitimacy must be between 0 and 1, got {to}"
            )));
        }
        Ok(ep::Plan {
            steps: self.steps,
            legitimacy,
            cops: ep::CopPath::new(self.cops_at.clone()),
        })
    }
}

fn run_epstein(args: EpsteinArgs) -> CommandResult {
    let params = args.params();
    params
        .validate()
        .map_err(|e| Failure::bad_input(format!("invalid parameters: {e}")))?;
    let plan = args.plan()?;
    if let Some(&(_, n)) = plan.cops.changes().iter().max_by_key(|&&(_, n)| n)
        && u64::from(n) > params.cells() as u64
    {
        return Err(Failure::bad_input(format!(
            "--cops-at: {n} cops cannot fit on a {}×{} grid",
            params.width, params.height
        )));
    }

    let mut records = Vec::with_capacity(plan.steps as usize + 1);
    let start = Instant::now();
    let mut set_up = None;
    ep::run(params, args.seed, &plan, |r| {
        if set_up.is_none() {
            set_up = Some(start.elapsed());
        }
        records.push(*r);
    })
    .map_err(|e| Failure::bad_input(format!("invalid run: {e}")))?;
    let total = start.elapsed();

    if args.timing {
        let setup = set_up.unwrap_or_default();
        let stepping = total.saturating_sub(setup).as_secs_f64();
        let per_step = if plan.steps == 0 {
            0.0
        } else {
            stepping / plan.steps as f64
        };
        errln!(
            "{{\"setup_seconds\":{:e},\"steps\":{},\"stepping_seconds\":{:e},\"step_seconds\":{:e},\"citizens\":{}}}",
            setup.as_secs_f64(),
            plan.steps,
            stepping,
            per_step,
            records
                .first()
                .map(|r| r.counts.quiet + r.counts.active + r.counts.jailed)
                .unwrap_or(0)
        );
    }

    let text = to_csv(&records);
    match &args.csv {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // The reader stopped reading (`| head`): nothing is lost.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => {
                    r.map_err(|e| Failure::failed(format!("cannot write to standard output: {e}")))
                }
            }
        }
    }
}

/// One header line and one line per record.
fn to_csv(records: &[ep::Record]) -> String {
    let mut s = String::with_capacity(32 * (records.len() + 1));
    s.push_str("step,legitimacy,cops,quiet,active,jailed\n");
    for r in records {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{}",
            r.step, r.legitimacy, r.cops, r.counts.quiet, r.counts.active, r.counts.jailed
        );
    }
    s
}

/// Writes `bytes` atomically (temporary file, then rename), so readers
/// never see a half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> CommandResult {
    patronfall_results::write_atomic(path, bytes)
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cop_changes_parse_and_reject_garbage() {
        assert_eq!(parse_cop_change("100:32"), Ok((100, 32)));
        assert!(parse_cop_change("100").is_err());
        assert!(parse_cop_change("x:3").unwrap_err().contains("step"));
        assert!(parse_cop_change("3:-1").unwrap_err().contains("cop count"));
    }

    #[test]
    fn csv_has_header_and_one_line_per_record() {
        let params = ep::Params {
            width: 10,
            height: 10,
            ..ep::Params::netlogo()
        };
        let records = ep::series(params, 1, &ep::Plan::constant(&params, 3)).unwrap();
        let text = to_csv(&records);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], "step,legitimacy,cops,quiet,active,jailed");
        assert_eq!(lines[1], "0,0.82,4,70,0,0");
    }
}
