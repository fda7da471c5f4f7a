//! Dropping the restrictions of a box that are not significant.
//!
//! Rule (the quasi-p test of Bryant & Lempert 2010, as the EMA Workbench
//! reports it; `inspect.rs`): a restricted bound whose quasi-p value exceeds
//! the significance level `α` does not concentrate the cases of interest
//! beyond what the box would hold without it. Such bounds are relaxed to the
//! initial box one at a time, the least significant (largest quasi-p) first,
//! and every quasi-p value is computed again on the relaxed box, until
//! every bound left is significant. The result trades a little density for
//! a box with fewer dimensions, which is what the analyst can read and test.

use super::data::{Limit, PrimData};
use super::inspect::{Bound, describe_box};
use crate::error::{Result, invalid};

/// A bound dropped from a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// Column index.
    pub column: usize,
    /// Column name.
    pub name: String,
    /// Which bound.
    pub bound: Bound,
    /// Its quasi-p value when it was dropped.
    pub quasi_p: f64,
}

/// Relaxes the bounds of `limits` whose quasi-p value exceeds `alpha`, the
/// least significant first, recomputing after each. Returns the pruned box
/// and the bounds dropped, in the order they were dropped.
///
/// Errors if `alpha` is not in (0, 1] or `limits` has not one limit per column.
pub fn prune(data: &PrimData, limits: &[Limit], alpha: f64) -> Result<(Vec<Limit>, Vec<Dropped>)> {
    if !(alpha > 0.0 && alpha <= 1.0) {
        return Err(invalid("alpha", alpha, "must lie in (0, 1]"));
    }
    if limits.len() != data.columns().len() {
        return Err(invalid(
            "limits",
            limits.len(),
            &format!("need one limit per column ({})", data.columns().len()),
        ));
    }
    let mut limits = limits.to_vec();
    let mut dropped = Vec::new();
    loop {
        let report = describe_box(data, &limits, 0);
        let worst = report
            .restrictions
            .iter()
            .flat_map(|r| r.quasi_p.iter().map(move |&(b, p)| (r, b, p)))
            .filter(|&(_, _, p)| p > alpha || p.is_nan())
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((r, bound, p)) = worst else {
            return Ok((limits, dropped));
        };
        let initial = &data.initial_box()[r.column];
        limits[r.column] = match (&limits[r.column], initial, bound) {
            (Limit::Range { upper, .. }, Limit::Range { lower: l0, .. }, Bound::Lower) => {
                Limit::Range {
                    lower: *l0,
                    upper: *upper,
                }
            }
            (Limit::Range { lower, .. }, Limit::Range { upper: u0, .. }, Bound::Upper) => {
                Limit::Range {
                    lower: *lower,
                    upper: *u0,
                }
            }
            _ => initial.clone(),
        };
        dropped.push(Dropped {
            column: r.column,
            name: r.name.clone(),
            bound,
            quasi_p: p,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prim::{Column, PrimData};

    /// Cases of interest where `x0 < 0.5`; `x1` is noise. A box that also
    /// restricts `x1` to its lower 90 % keeps a restriction that explains
    /// nothing.
    fn data() -> PrimData {
        let n = 400;
        let x0: Vec<f64> = (0..n).map(|i| (i % 20) as f64 / 20.0).collect();
        let x1: Vec<f64> = (0..n).map(|i| (i / 20) as f64 / 20.0).collect();
        let interest = x0.iter().map(|&v| v < 0.5).collect();
        PrimData::new(
            vec![Column::continuous("x0", x0), Column::continuous("x1", x1)],
            interest,
        )
        .unwrap()
    }

    #[test]
    fn an_insignificant_restriction_is_dropped_and_a_significant_one_kept() {
        let d = data();
        let boxed = vec![
            Limit::Range {
                lower: 0.0,
                upper: 0.45,
            },
            Limit::Range {
                lower: 0.0,
                upper: 0.85,
            },
        ];
        let (pruned, dropped) = prune(&d, &boxed, 0.05).unwrap();
        assert_eq!(pruned[0], boxed[0]);
        assert_eq!(pruned[1], d.initial_box()[1]);
        assert_eq!(dropped.len(), 1);
        assert_eq!(
            (dropped[0].name.as_str(), dropped[0].bound),
            ("x1", Bound::Upper)
        );
        assert!(dropped[0].quasi_p > 0.05);
        // Nothing left to drop: pruning again changes nothing.
        let (again, none) = prune(&d, &pruned, 0.05).unwrap();
        assert_eq!((again, none.len()), (pruned, 0));
        assert!(prune(&d, &boxed, 0.0).is_err());
        assert!(prune(&d, &boxed[..1], 0.05).is_err());
    }
}
