//! Choosing a box on the PRIM trajectory and reporting it with quasi-p values.
//!
//! Rule. A box is chosen by index or as the highest-coverage step whose
//! density reaches a threshold (ties: higher density, then fewer restricted
//! columns, then the earlier step). For each restricted limit the quasi-p
//! value (Bryant & Lempert 2010; EMA Workbench's definition) asks whether the
//! restriction matters: drop that one limit (a range side goes back to the
//! initial bound, a category set back to all categories), count the runs
//! `T_j` and cases of interest `H_j` in the relaxed box, and compute the
//! one-sided binomial tail `P(X ≥ H_box)` for `X ~ Binomial(T_box, H_j / T_j)`,
//! where `T_box`, `H_box` are the chosen box's runs and cases of interest.
//! Small values mean the restriction raises density beyond chance.

use super::Trajectory;
use super::data::{Limit, PrimData};
use crate::error::{Result, invalid};
use crate::stats::binomial_upper_tail;

/// Which part of a limit a quasi-p value tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The lower end of a range.
    Lower,
    /// The upper end of a range.
    Upper,
    /// The category set of a categorical column.
    Categories,
}

/// One restricted column of a chosen box.
#[derive(Debug, Clone, PartialEq)]
pub struct Restriction {
    /// Column index in the input.
    pub column: usize,
    /// Column name.
    pub name: String,
    /// The box's limit on this column.
    pub limit: Limit,
    /// Readable limit, e.g. `x0 in [0.2, 0.5]`.
    pub text: String,
    /// Quasi-p value of each restricted bound.
    pub quasi_p: Vec<(Bound, f64)>,
}

/// A chosen box with its statistics and restrictions.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxReport {
    /// Index of the step on the trajectory.
    pub index: usize,
    /// Share of all cases of interest inside (0–1).
    pub coverage: f64,
    /// Share of runs inside that are cases of interest (0–1).
    pub density: f64,
    /// Share of all runs inside (0–1).
    pub mass: f64,
    /// Restricted columns, in column order; unrestricted columns are omitted.
    pub restrictions: Vec<Restriction>,
}

impl Trajectory {
    /// Index of the densest step with `coverage ≥ min_coverage` (ties: the
    /// higher coverage, then fewer restricted columns, then the earlier).
    ///
    /// Errors if `min_coverage` is not in [0, 1] or no step reaches it.
    pub fn select_by_coverage(&self, min_coverage: f64) -> Result<usize> {
        if !(0.0..=1.0).contains(&min_coverage) {
            return Err(invalid("min_coverage", min_coverage, "must lie in [0, 1]"));
        }
        let mut best: Option<usize> = None;
        for (i, s) in self.steps.iter().enumerate() {
            if s.coverage < min_coverage {
                continue;
            }
            let better = match best.map(|b| &self.steps[b]) {
                None => true,
                Some(b) => {
                    (s.density, s.coverage, std::cmp::Reverse(s.restricted_dims))
                        > (b.density, b.coverage, std::cmp::Reverse(b.restricted_dims))
                }
            };
            if better {
                best = Some(i);
            }
        }
        best.ok_or_else(|| {
            invalid(
                "min_coverage",
                min_coverage,
                "no box on the trajectory covers that much",
            )
        })
    }

    /// Index of the highest-coverage step with `density ≥ min_density`.
    ///
    /// Errors if `min_density` is not in [0, 1] or no step reaches it.
    pub fn select_by_density(&self, min_density: f64) -> Result<usize> {
        if !(0.0..=1.0).contains(&min_density) {
            return Err(invalid("min_density", min_density, "must lie in [0, 1]"));
        }
        let mut best: Option<usize> = None;
        for (i, s) in self.steps.iter().enumerate() {
            if s.density < min_density {
                continue;
            }
            let better = match best.map(|b| &self.steps[b]) {
                None => true,
                Some(b) => {
                    (s.coverage, s.density, std::cmp::Reverse(s.restricted_dims))
                        > (b.coverage, b.density, std::cmp::Reverse(b.restricted_dims))
                }
            };
            if better {
                best = Some(i);
            }
        }
        best.ok_or_else(|| {
            invalid(
                "min_density",
                min_density,
                "no box on the trajectory is that dense",
            )
        })
    }

    /// Reports step `index`: statistics, restricted limits and quasi-p values.
    ///
    /// `data` must be the input the trajectory was found on. Errors if `index`
    /// is past the end of the trajectory.
    pub fn inspect(&self, data: &PrimData, index: usize) -> Result<BoxReport> {
        let s = self.steps.get(index).ok_or_else(|| {
            invalid(
                "index",
                index,
                &format!("the trajectory has {} steps", self.steps.len()),
            )
        })?;
        Ok(describe_box(data, &s.limits, index))
    }
}

/// Reports the box `limits` on `data` (numbered `index`): coverage,
/// density, mass, and each restricted column with its quasi-p values.
pub fn describe_box(data: &PrimData, limits: &[Limit], index: usize) -> BoxReport {
    let (rows, hits) = data.count_in(limits);
    let mut restrictions = Vec::new();
    for (j, limit) in limits.iter().enumerate() {
        let initial = &data.initial_box()[j];
        if limit == initial {
            continue;
        }
        let mut quasi_p = Vec::new();
        match (limit, initial) {
            (
                Limit::Range { lower, upper },
                Limit::Range {
                    lower: l0,
                    upper: u0,
                },
            ) => {
                if lower != l0 {
                    let relaxed = Limit::Range {
                        lower: *l0,
                        upper: *upper,
                    };
                    quasi_p.push((
                        Bound::Lower,
                        quasi_p_value(data, limits, j, relaxed, rows, hits),
                    ));
                }
                if upper != u0 {
                    let relaxed = Limit::Range {
                        lower: *lower,
                        upper: *u0,
                    };
                    quasi_p.push((
                        Bound::Upper,
                        quasi_p_value(data, limits, j, relaxed, rows, hits),
                    ));
                }
            }
            _ => {
                let relaxed = initial.clone();
                quasi_p.push((
                    Bound::Categories,
                    quasi_p_value(data, limits, j, relaxed, rows, hits),
                ));
            }
        }
        restrictions.push(Restriction {
            column: j,
            name: data.columns()[j].name.clone(),
            limit: limit.clone(),
            text: data.describe(j, limit),
            quasi_p,
        });
    }
    BoxReport {
        index,
        coverage: hits as f64 / data.cases_of_interest() as f64,
        density: if rows == 0 {
            0.0
        } else {
            hits as f64 / rows as f64
        },
        mass: rows as f64 / data.rows() as f64,
        restrictions,
    }
}

/// Quasi-p value of the box `limits` against the box with column `j` relaxed.
fn quasi_p_value(
    data: &PrimData,
    limits: &[Limit],
    j: usize,
    relaxed: Limit,
    rows: usize,
    hits: usize,
) -> f64 {
    let mut wider = limits.to_vec();
    wider[j] = relaxed;
    let (t_j, h_j) = data.count_in(&wider);
    let p = h_j as f64 / t_j as f64;
    binomial_upper_tail(hits as u64, rows as u64, p)
}
