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
        let mut restrictions = Vec::new();
        for (j, limit) in s.limits.iter().enumerate() {
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
                        quasi_p.push((Bound::Lower, quasi_p_value(data, &s.limits, j, relaxed, s)));
                    }
                    if upper != u0 {
                        let relaxed = Limit::Range {
                            lower: *lower,
                            upper: *u0,
                        };
                        quasi_p.push((Bound::Upper, quasi_p_value(data, &s.limits, j, relaxed, s)));
                    }
                }
                _ => {
                    let relaxed = initial.clone();
                    quasi_p.push((
                        Bound::Categories,
                        quasi_p_value(data, &s.limits, j, relaxed, s),
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
        Ok(BoxReport {
            index,
            coverage: s.coverage,
            density: s.density,
            mass: s.mass,
            restrictions,
        })
    }
}

/// Quasi-p value of the box `limits` against the box with column `j` relaxed.
fn quasi_p_value(
    data: &PrimData,
    limits: &[Limit],
    j: usize,
    relaxed: Limit,
    chosen: &super::TrajectoryStep,
) -> f64 {
    let mut wider = limits.to_vec();
    wider[j] = relaxed;
    let (t_j, h_j) = data.count_in(&wider);
    let p = h_j as f64 / t_j as f64;
    binomial_upper_tail(chosen.hits as u64, chosen.rows as u64, p)
}
