//! PRIM scenario discovery: which ranges of which uncertainties lead to a
//! case of interest (e.g. a chosen future), as a box with coverage and density.
//!
//! Rule — the Patient Rule Induction Method (Friedman & Fisher 1999) as the EMA
//! Workbench applies it to scenario discovery (Bryant & Lempert 2010):
//!
//! 1. Start from the box holding all runs.
//! 2. **Peel**: among all candidate boxes that remove a fraction `peel_alpha`
//!    of the box's runs from one end of one numeric column, or one category
//!    of a categorical column (see `peel`), take the one with the best
//!    [`Objective`] score; ties go to the candidate leaving more columns
//!    unrestricted, then to the first column. Accept it if its mass (share of
//!    all runs inside) stays at least `mass_min`, it removes at least one run
//!    and its score is positive; repeat until no peel is accepted.
//! 3. **Paste**: from the last peeled box, move restricted limits back out by
//!    `paste_alpha` (see `paste`) while that raises the density and the score
//!    is positive.
//! 4. Every accepted box is a step of the **peeling trajectory** with
//!    coverage = cases of interest inside / all cases of interest,
//!    density = cases of interest inside / runs inside,
//!    mass = runs inside / all runs, and the number of restricted columns.
//!
//! The analyst then picks a step (by index, or the highest-coverage box whose
//! density meets a threshold) and [`Trajectory::inspect`] reports its limits
//! and the quasi-p value of each restriction (see `inspect`).
//!
//! Only the first box is found (no covering / Guivarch update) and no
//! resampling of boxes is done.

mod covering;
mod data;
mod inspect;
mod objective;
mod paste;
mod peel;
mod prune;
mod resample;

pub use covering::{CoveringOptions, FoundBox, Selection, covering};
pub use data::{Column, ColumnData, Limit, PrimData};
pub use inspect::{Bound, BoxReport, Restriction, describe_box};
pub use objective::Objective;
pub use prune::{Dropped, prune};
pub use resample::{Resampling, restriction_frequency};

use crate::error::{Result, invalid};
use objective::Counts;
use paste::paste_candidates;
use peel::{Candidate, peel_candidates};

/// Settings of [`find_box`]; the defaults are the EMA Workbench's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's runs removed per peel, in (0, 1). Default 0.05.
    pub peel_alpha: f64,
    /// Share of the box's runs added per paste, in [0, 1); 0 disables pasting.
    /// Default 0.05.
    pub paste_alpha: f64,
    /// Smallest mass (share of all runs) a box may have, in [0, 1). Default 0.05.
    pub mass_min: f64,
    /// Objective maximised by each peel and paste. Default [`Objective::Lenient1`].
    pub objective: Objective,
}

impl Default for PrimOptions {
    fn default() -> Self {
        Self {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            objective: Objective::Lenient1,
        }
    }
}

/// How a trajectory step was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The box holding all runs.
    Initial,
    /// After a peel.
    Peel,
    /// After a paste.
    Paste,
}

/// One box on the peeling trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectoryStep {
    /// Limits per column (same order as the input columns).
    pub limits: Vec<Limit>,
    /// Runs inside the box.
    pub rows: usize,
    /// Cases of interest inside the box.
    pub hits: usize,
    /// Share of all cases of interest that lie inside (0–1).
    pub coverage: f64,
    /// Share of the runs inside that are cases of interest (0–1).
    pub density: f64,
    /// Share of all runs inside (0–1).
    pub mass: f64,
    /// Number of columns whose limit is tighter than the initial box.
    pub restricted_dims: usize,
    /// Whether the step came from peeling or pasting.
    pub phase: Phase,
}

/// The peeling (and pasting) trajectory of one PRIM box search.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// Steps from the initial box (index 0) to the final pasted box.
    pub steps: Vec<TrajectoryStep>,
}

/// Runs PRIM on `data` and returns the whole trajectory.
///
/// Errors if an option is out of range.
pub fn find_box(data: &PrimData, options: &PrimOptions) -> Result<Trajectory> {
    check_options(options)?;
    let n = data.rows();
    let mut limits = data.initial_box().to_vec();
    let mut members: Vec<usize> = (0..n).collect();
    let mut counts = Counts {
        rows: n,
        hits: data.cases_of_interest(),
    };
    let mut steps = vec![step(data, &limits, counts, Phase::Initial)];
    let mut scratch = Vec::with_capacity(n);

    loop {
        let candidates = peel_candidates(data, &limits, &members, options.peel_alpha, &mut scratch);
        let Some((best, score)) = choose(data, &limits, counts, candidates, options.objective)
        else {
            break;
        };
        let mass = best.counts.rows as f64 / n as f64;
        if !(mass >= options.mass_min && best.counts.rows < counts.rows && score > 0.0) {
            break;
        }
        let values = &data.values[best.column];
        members.retain(|&i| best.limit.contains(values[i]));
        limits[best.column] = best.limit;
        counts = best.counts;
        steps.push(step(data, &limits, counts, Phase::Peel));
    }

    if options.paste_alpha > 0.0 {
        loop {
            let candidates = paste_candidates(data, &limits, counts, options.paste_alpha);
            let Some((best, score)) = choose(data, &limits, counts, candidates, options.objective)
            else {
                break;
            };
            let mass = best.counts.rows as f64 / n as f64;
            let denser = best.counts.density() > counts.density();
            if !(mass >= options.mass_min
                && best.counts.rows > counts.rows
                && score > 0.0
                && denser)
            {
                break;
            }
            limits[best.column] = best.limit;
            counts = best.counts;
            steps.push(step(data, &limits, counts, Phase::Paste));
        }
    }
    Ok(Trajectory { steps })
}

/// Picks the candidate with the highest score, then the most unrestricted
/// columns, then the earliest; returns it with its score.
fn choose(
    data: &PrimData,
    limits: &[Limit],
    current: Counts,
    candidates: Vec<Candidate>,
    objective: Objective,
) -> Option<(Candidate, f64)> {
    let restricted_now = data.restricted_count(limits);
    let mut best: Option<(Candidate, f64, usize)> = None;
    for c in candidates {
        let score = objective.score(current, c.counts);
        let was = data.is_restricted(limits, c.column);
        let will = c.limit != data.initial_box()[c.column];
        let restricted = restricted_now + usize::from(will) - usize::from(was);
        let free = limits.len() - restricted;
        let better = match &best {
            None => true,
            Some((_, s, f)) => score > *s || (score == *s && free > *f),
        };
        if better {
            best = Some((c, score, free));
        }
    }
    best.map(|(c, s, _)| (c, s))
}

/// Builds a trajectory step from a box and its counts.
fn step(data: &PrimData, limits: &[Limit], counts: Counts, phase: Phase) -> TrajectoryStep {
    TrajectoryStep {
        limits: limits.to_vec(),
        rows: counts.rows,
        hits: counts.hits,
        coverage: counts.hits as f64 / data.cases_of_interest() as f64,
        density: counts.density(),
        mass: counts.rows as f64 / data.rows() as f64,
        restricted_dims: data.restricted_count(limits),
        phase,
    }
}

/// Rejects options outside their ranges.
fn check_options(o: &PrimOptions) -> Result<()> {
    if !(o.peel_alpha > 0.0 && o.peel_alpha < 1.0) {
        return Err(invalid("peel_alpha", o.peel_alpha, "must lie in (0, 1)"));
    }
    if !(0.0..1.0).contains(&o.paste_alpha) {
        return Err(invalid("paste_alpha", o.paste_alpha, "must lie in [0, 1)"));
    }
    if !(0.0..1.0).contains(&o.mass_min) {
        return Err(invalid("mass_min", o.mass_min, "must lie in [0, 1)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
