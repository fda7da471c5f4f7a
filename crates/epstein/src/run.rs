//! A whole run: set up a grid, apply the legitimacy and cop paths before
//! each tick, and hand each step's record to the caller.
//!
//! The record of step 0 is the initial state; records 1..=steps follow each
//! tick. The caller decides what to keep (a series, a summary, nothing).

use crate::grid::{Counts, Grid};
use crate::params::{ParamError, Params};
use crate::schedule::{CopPath, LegitimacyPath};

/// What to run beyond the parameters: how long and the exogenous paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Ticks to run.
    pub steps: u64,
    /// Legitimacy over time.
    pub legitimacy: LegitimacyPath,
    /// Cop count over time.
    pub cops: CopPath,
}

impl Plan {
    /// `steps` ticks at the parameters' constant legitimacy, cops unchanged.
    pub fn constant(params: &Params, steps: u64) -> Self {
        Plan {
            steps,
            legitimacy: LegitimacyPath::Constant(params.legitimacy),
            cops: CopPath::unchanged(),
        }
    }
}

/// The state after one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    /// Step number (0 = initial state).
    pub step: u64,
    /// Legitimacy in force during the step.
    pub legitimacy: f64,
    /// Cops in force after the step.
    pub cops: u32,
    /// Citizens by state after the step.
    pub counts: Counts,
}

/// Runs `plan` from `seed`, calling `observe` with every record.
pub fn run(
    params: Params,
    seed: u64,
    plan: &Plan,
    mut observe: impl FnMut(&Record),
) -> Result<(), ParamError> {
    if !plan.legitimacy.is_valid() {
        return Err(ParamError::OutOfUnit {
            name: "legitimacy path",
            value: plan.legitimacy.at(0),
        });
    }
    let mut grid = Grid::new(params, seed)?;
    grid.set_legitimacy(plan.legitimacy.at(0))?;
    observe(&record(&grid, 0));
    for step in 1..=plan.steps {
        grid.set_legitimacy(plan.legitimacy.at(step))?;
        if let Some(n) = plan.cops.change_at(step) {
            grid.set_cop_count(n)?;
        }
        grid.step();
        observe(&record(&grid, step));
    }
    Ok(())
}

/// Runs `plan` and returns every record (steps + 1 of them).
pub fn series(params: Params, seed: u64, plan: &Plan) -> Result<Vec<Record>, ParamError> {
    // A capacity hint only: a huge plan grows the vector as it runs.
    let mut out = Vec::with_capacity(plan.steps.min(1 << 20) as usize + 1);
    run(params, seed, plan, |r| out.push(*r))?;
    Ok(out)
}

fn record(grid: &Grid, step: u64) -> Record {
    Record {
        step,
        legitimacy: grid.legitimacy(),
        cops: grid.cop_count(),
        counts: grid.counts(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_has_initial_state_and_follows_paths() {
        let params = Params {
            width: 20,
            height: 20,
            ..Params::netlogo()
        };
        let plan = Plan {
            steps: 30,
            legitimacy: LegitimacyPath::Sudden {
                before: 0.9,
                after: 0.6,
                at: 10,
            },
            cops: CopPath::new(vec![(20, 2)]),
        };
        let s = series(params, 1, &plan).unwrap();
        assert_eq!(s.len(), 31);
        assert_eq!(s[0].counts.active, 0);
        assert_eq!(s[0].counts.quiet, 280);
        assert_eq!(s[9].legitimacy, 0.9);
        assert_eq!(s[10].legitimacy, 0.6);
        assert_eq!(s[19].cops, 16);
        assert_eq!(s[20].cops, 2);
    }

    #[test]
    fn invalid_path_is_refused() {
        let params = Params::netlogo();
        let plan = Plan {
            legitimacy: LegitimacyPath::Constant(2.0),
            ..Plan::constant(&params, 3)
        };
        assert!(series(params, 1, &plan).is_err());
    }
}
