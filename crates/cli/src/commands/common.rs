//! Pieces several commands share: opening a scenario, choosing a course of
//! action and a shock by name, timing a simulated day.

use crate::failure::Failure;
use crate::output::errln;
use patronfall_model::{CoaId, ShockId, World};
use patronfall_scenario::Scenario;

/// The scenario used when `--scenario` is not given.
pub const DEFAULT_SCENARIO: &str = "iraq-after-tehran";

/// Opens a built-in scenario by name or a file by path; bad input becomes
/// exit code 2 with every problem rendered.
pub fn open_scenario(name_or_path: &str) -> Result<Scenario, Failure> {
    open_scenario_with(name_or_path, false)
}

/// [`open_scenario`], with the model's parameters varied over their
/// plausible ranges if `vary_parameters` (the commands' `--vary-parameters`).
pub fn open_scenario_with(name_or_path: &str, vary_parameters: bool) -> Result<Scenario, Failure> {
    let reading = patronfall_scenario::Reading { vary_parameters };
    patronfall_scenario::open_with(name_or_path, reading)
        .map_err(|e| Failure::bad_input(e.render()))
}

/// The course of action with this id, or the scenario's default.
pub fn pick_coa(s: &Scenario, name: Option<&str>) -> Result<CoaId, Failure> {
    match name {
        None => Ok(s.default_coa),
        Some(n) => s.coa(n).ok_or_else(|| {
            Failure::bad_input(format!(
                "--coa: `{n}` is not a course of action of {}; it has: {}",
                s.id,
                s.ids.coas.join(", ")
            ))
        }),
    }
}

/// The shock with this id (`none` for no shock), or the scenario's default.
pub fn pick_shock(s: &Scenario, name: Option<&str>) -> Result<Option<ShockId>, Failure> {
    match name {
        None => {
            if s.default_shock.is_none() && !s.ids.shocks.is_empty() {
                errln!(
                    "note: playing no shock: {} sets no default_shock; `--shock NAME` plays one of: {}",
                    s.file,
                    s.ids.shocks.join(", ")
                );
            }
            Ok(s.default_shock)
        }
        Some("none") if s.shock("none").is_none() => Ok(None),
        Some(n) => s.shock(n).map(Some).ok_or_else(|| {
            Failure::bad_input(format!(
                "--shock: `{n}` is not a shock of {}; it has: {} (or `none`)",
                s.id,
                s.ids.shocks.join(", ")
            ))
        }),
    }
}

/// The days a run lasts: `--days` if given, else the scenario's horizon,
/// held to the one rule every command shares (`patronfall_scenario::check_days`).
pub fn run_days(s: &Scenario, given: Option<u32>) -> Result<u32, Failure> {
    match given {
        Some(d) => patronfall_scenario::check_days(u64::from(d))
            .map_err(|e| Failure::bad_input(format!("--days: {e}"))),
        None => patronfall_scenario::check_days(u64::from(s.world.horizon_days))
            .map_err(|e| Failure::bad_input(format!("{}: scenario.horizon_days: {e}", s.file))),
    }
}

/// The name of a shock choice for outputs.
pub fn shock_name(s: &Scenario, shock: Option<ShockId>) -> String {
    shock.map_or_else(|| "none".to_string(), |k| s.ids.shocks[k.index()].clone())
}

/// Days of the probe run that times a simulated day.
const PROBE_DAYS: u32 = 2;

/// Seconds one simulated day of `world` takes on this machine, timed by a
/// short probe run (agent grids and bargaining included): the one estimate
/// behind the time warnings of `run` and `ensemble`.
pub fn seconds_per_day(world: &World, coa: CoaId, shock: Option<ShockId>, days: u32) -> f64 {
    let probe_days = days.clamp(1, PROBE_DAYS);
    let start = std::time::Instant::now();
    patronfall_model::run(
        patronfall_model::RunSpec {
            world,
            coa,
            shock,
            days: probe_days,
            seed: 1,
        },
        &mut patronfall_model::Quiet,
    );
    start.elapsed().as_secs_f64() / f64::from(probe_days)
}

/// A duration as people say it: "40 minutes", "3.5 hours".
pub fn duration_words(seconds: f64) -> String {
    if seconds < 5400.0 {
        format!("{:.0} minutes", (seconds / 60.0).max(1.0))
    } else {
        format!("{:.1} hours", seconds / 3600.0)
    }
}
