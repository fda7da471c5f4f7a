//! What an ensemble will need, worked out from the plan's shape before it
//! starts, so that a run too large for the machine is refused instead of
//! aborting on an allocation hours in.
//!
//! The figures count the large buffers only, from their element sizes:
//! - the fan-chart accumulator (`timeseries.rs`): for every course of
//!   action, day and outcome, one `f32` per kept run (the first
//!   `series_sample` samples, every replication) plus a vector header;
//! - the daily series of the rows in flight (`runner.rs`): two chunks (one
//!   computed, one written), each row's series `days + 1` days of every
//!   outcome as `f64`, for the rows that keep one;
//! - with `keep_series`, the values `series.parquet` receives (every
//!   experiment, every day, every outcome, as `f64` before compression);
//!   they stream to disk and count towards disk, not memory;
//! - with `unrest = "agents"`, the Epstein grids of the runs under way:
//!   one grid of `agent_grid`² cells per community in every thread's run,
//!   at [`AGENT_GRID_BYTES_PER_CELL`].
//!
//! The rest of the scenario's state (one world and run state per thread)
//! is small beside these and not counted; a probe run measures time.

use crate::plan::Plan;
use crate::runner::Options;
use patronfall_model::{Outcome, UnrestModel, World};

/// The large buffers of an ensemble, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// Held in memory at once, at most.
    pub memory_bytes: u64,
    /// Written to `series.parquet` before compression (0 without `keep_series`).
    pub series_bytes: u64,
}

/// Size of a `Vec` header (pointer, capacity, length).
const VEC_HEADER: u64 = 24;

/// Bytes an Epstein grid (`patronfall_epstein::Grid`) holds per cell, at
/// most: 16 for the cell itself (the `u64` count of cops and actives seen,
/// the `u32` blocking count, the `u32` head of its citizen list), and at
/// most one agent per cell (citizen and cop densities sum to at most 1),
/// a citizen being the larger at 33 bytes (hardship and risk aversion as
/// `f64`, cell, jail term and next-on-cell as `u32`, its state, its place
/// in the activation order), rounded up to 40 for alignment.
pub const AGENT_GRID_BYTES_PER_CELL: u64 = 56;

/// The needs of running `plan` on `world` (the scenario's, for its agent
/// grids) with `options`.
pub fn needs(world: &World, plan: &Plan, options: &Options) -> Needs {
    let days = u64::from(plan.spec.days) + 1;
    let coas = plan.spec.coas.len() as u64;
    let outcomes = Outcome::COUNT as u64;
    let replications = plan.spec.replications as u64;
    let kept_samples = options.series_sample.min(plan.samples()) as u64;
    let kept_runs = kept_samples.saturating_mul(replications);
    let cells = coas.saturating_mul(days).saturating_mul(outcomes);
    let accumulator = cells.saturating_mul(VEC_HEADER.saturating_add(kept_runs.saturating_mul(4)));
    let chunk = options.chunk.max(1) as u64;
    let rows_with_series = if options.keep_series || kept_samples > 0 {
        chunk.min(plan.experiments()).saturating_mul(2)
    } else {
        0
    };
    let in_flight = rows_with_series
        .saturating_mul(days)
        .saturating_mul(outcomes)
        .saturating_mul(8);
    let series_bytes = if options.keep_series {
        plan.experiments()
            .saturating_mul(days)
            .saturating_mul(outcomes)
            .saturating_mul(8)
    } else {
        0
    };
    let grids = match world.unrest {
        UnrestModel::Agents { side } => (options.threads.max(1) as u64)
            .saturating_mul(world.communities.len() as u64)
            .saturating_mul(u64::from(side).pow(2))
            .saturating_mul(AGENT_GRID_BYTES_PER_CELL),
        UnrestModel::MeanField => 0,
    };
    Needs {
        memory_bytes: accumulator.saturating_add(in_flight).saturating_add(grids),
        series_bytes,
    }
}

/// Bytes as people read them: "812 MB", "3.4 GB".
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 || v >= 100.0 {
        format!("{v:.0} {}", UNITS[unit])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlanSpec, Sampler};
    use patronfall_model::CoaId;

    fn iraq() -> patronfall_scenario::Scenario {
        patronfall_scenario::open("iraq-after-tehran").expect("built-in")
    }

    fn plan(days: u32, runs: usize) -> Plan {
        let s = iraq();
        let spec = PlanSpec {
            sampler: Sampler::MonteCarlo,
            runs,
            replications: 1,
            coas: vec![CoaId::at(0), CoaId::at(1)],
            shock: s.default_shock,
            days,
            seed: 1,
            vary: vec![],
        };
        Plan::new(&s, spec).expect("a valid plan")
    }

    #[test]
    fn memory_follows_days_kept_runs_and_chunks() {
        let o = Options {
            threads: 1,
            chunk: 256,
            keep_series: false,
            series_sample: 500,
        };
        let n = needs(&iraq().world, &plan(365, 1000), &o);
        let cells = 2 * 366 * Outcome::COUNT as u64;
        // 500 kept runs per course of action, two chunks of 256 in flight.
        assert_eq!(
            n.memory_bytes,
            cells * (24 + 500 * 4) + 512 * 366 * Outcome::COUNT as u64 * 8
        );
        assert_eq!(n.series_bytes, 0);
        // Memory grows with the horizon, about linearly.
        let long = needs(&iraq().world, &plan(100_000, 1000), &o);
        assert!(long.memory_bytes > 250 * n.memory_bytes);
        // No series kept at all: no accumulator values, no rows in flight.
        let none = needs(
            &iraq().world,
            &plan(365, 1000),
            &Options {
                series_sample: 0,
                ..o
            },
        );
        assert_eq!(none.memory_bytes, cells * 24);
        // keep_series writes every experiment's days to disk.
        let kept = needs(
            &iraq().world,
            &plan(365, 1000),
            &Options {
                keep_series: true,
                ..o
            },
        );
        assert_eq!(kept.series_bytes, 2000 * 366 * Outcome::COUNT as u64 * 8);
    }

    #[test]
    fn agent_grids_count_per_community_and_thread() {
        let o = Options {
            threads: 3,
            chunk: 256,
            keep_series: false,
            series_sample: 500,
        };
        let mut world = iraq().world;
        assert_eq!(world.unrest, UnrestModel::MeanField);
        let p = plan(365, 1000);
        let mean_field = needs(&world, &p, &o).memory_bytes;
        world.unrest = UnrestModel::Agents { side: 1000 };
        let agents = needs(&world, &p, &o).memory_bytes;
        let communities = world.communities.len() as u64;
        assert!(communities > 1);
        assert_eq!(
            agents - mean_field,
            3 * communities * 1000 * 1000 * AGENT_GRID_BYTES_PER_CELL
        );
    }

    #[test]
    fn bytes_read_as_people_say_them() {
        assert_eq!(human_bytes(812), "812 bytes");
        assert_eq!(human_bytes(3_400_000_000), "3.4 GB");
        assert_eq!(human_bytes(812_000_000), "812 MB");
    }
}
