//! PRIM peeling candidates: the boxes one peel away from the current box.
//!
//! Rule (Friedman & Fisher 1999, §3; EMA Workbench's peel). For every numeric
//! column, two candidates remove about a fraction `α` of the box's rows from
//! the bottom or from the top of the column's values: with the box's `m`
//! values sorted, the lower cut falls after the order statistic at rank
//! `⌊α (m−1)⌋` and before the next *distinct* value, so ties are never split
//! and at least one value is always removed; the upper cut mirrors it at rank
//! `⌈(1−α)(m−1)⌉`. A continuous limit is placed midway between the two
//! neighbouring values; an integer limit on the nearest kept value. For every
//! categorical column with two or more categories present in the box, one
//! candidate per present category removes that category.

use std::collections::BTreeSet;

use super::data::{Limit, PrimData};
use super::objective::Counts;

/// A candidate box: the current box with column `column` set to `limit`.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub column: usize,
    pub limit: Limit,
    pub counts: Counts,
}

/// All peeling candidates of the box `limits` holding rows `members`.
pub(crate) fn peel_candidates(
    data: &PrimData,
    limits: &[Limit],
    members: &[usize],
    alpha: f64,
    scratch: &mut Vec<f64>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (j, limit) in limits.iter().enumerate() {
        match limit {
            Limit::Categories(set) => categorical_peels(data, j, set, members, &mut out),
            Limit::Range { lower, upper } => {
                let discrete = data.columns()[j].is_discrete();
                numeric_peels(
                    data,
                    j,
                    (*lower, *upper),
                    discrete,
                    members,
                    alpha,
                    scratch,
                    &mut out,
                );
            }
        }
    }
    out
}

/// The two range peels of numeric column `j`.
#[allow(clippy::too_many_arguments)]
fn numeric_peels(
    data: &PrimData,
    j: usize,
    (lower, upper): (f64, f64),
    discrete: bool,
    members: &[usize],
    alpha: f64,
    scratch: &mut Vec<f64>,
    out: &mut Vec<Candidate>,
) {
    let col = &data.values[j];
    let m = members.len();
    if m < 2 {
        return;
    }
    scratch.clear();
    scratch.extend(members.iter().map(|&i| col[i]));

    // Lower peel: drop every value ≤ `a`, where `a` is the order statistic at
    // rank ⌊α(m−1)⌋; `b` is the next distinct value.
    let lo_rank = (alpha * (m - 1) as f64).floor() as usize;
    let (_, &mut a_lo, _) = scratch.select_nth_unstable_by(lo_rank, f64::total_cmp);
    let b_lo = scratch
        .iter()
        .copied()
        .filter(|&v| v > a_lo)
        .fold(f64::INFINITY, f64::min);

    // Upper peel: drop every value ≥ `b`, the order statistic at ⌈(1−α)(m−1)⌉.
    let hi_rank = (((1.0 - alpha) * (m - 1) as f64).ceil() as usize).min(m - 1);
    let (_, &mut b_hi, _) = scratch.select_nth_unstable_by(hi_rank, f64::total_cmp);
    let a_hi = scratch
        .iter()
        .copied()
        .filter(|&v| v < b_hi)
        .fold(f64::NEG_INFINITY, f64::max);

    let (mut lo_counts, mut hi_counts) = (Counts { rows: 0, hits: 0 }, Counts { rows: 0, hits: 0 });
    for &i in members {
        let v = col[i];
        let hit = usize::from(data.interest[i]);
        if v > a_lo {
            lo_counts.rows += 1;
            lo_counts.hits += hit;
        }
        if v < b_hi {
            hi_counts.rows += 1;
            hi_counts.hits += hit;
        }
    }
    if b_lo.is_finite() {
        let new_lower = if discrete { b_lo } else { (a_lo + b_lo) / 2.0 };
        out.push(Candidate {
            column: j,
            limit: Limit::Range {
                lower: new_lower,
                upper,
            },
            counts: lo_counts,
        });
    }
    if a_hi.is_finite() {
        let new_upper = if discrete { a_hi } else { (a_hi + b_hi) / 2.0 };
        out.push(Candidate {
            column: j,
            limit: Limit::Range {
                lower,
                upper: new_upper,
            },
            counts: hi_counts,
        });
    }
}

/// One candidate per category present in the box (if at least two are present).
fn categorical_peels(
    data: &PrimData,
    j: usize,
    set: &BTreeSet<usize>,
    members: &[usize],
    out: &mut Vec<Candidate>,
) {
    let col = &data.values[j];
    let size = set.iter().next_back().map_or(0, |&c| c + 1);
    let mut rows = vec![0usize; size];
    let mut hits = vec![0usize; size];
    for &i in members {
        let c = col[i] as usize;
        rows[c] += 1;
        hits[c] += usize::from(data.interest[i]);
    }
    let present = set.iter().filter(|&&c| rows[c] > 0).count();
    if present < 2 {
        return;
    }
    let total_hits: usize = hits.iter().sum();
    for &c in set.iter().filter(|&&c| rows[c] > 0) {
        let mut smaller = set.clone();
        smaller.remove(&c);
        out.push(Candidate {
            column: j,
            limit: Limit::Categories(smaller),
            counts: Counts {
                rows: members.len() - rows[c],
                hits: total_hits - hits[c],
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prim::data::Column;

    #[test]
    fn numeric_peels_remove_alpha_share_without_splitting_ties() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let y: Vec<bool> = (0..100).map(|i| i >= 50).collect();
        let d = PrimData::new(vec![Column::continuous("x", x)], y).unwrap();
        let members: Vec<usize> = (0..100).collect();
        let c = peel_candidates(&d, d.initial_box(), &members, 0.05, &mut Vec::new());
        assert_eq!(c.len(), 2);
        // Lower: rank ⌊0.05·99⌋ = 4 → drop 0..=4, limit 4.5.
        assert_eq!(c[0].counts, Counts { rows: 95, hits: 50 });
        assert_eq!(
            c[0].limit,
            Limit::Range {
                lower: 4.5,
                upper: 99.0
            }
        );
        // Upper: rank ⌈0.95·99⌉ = 95 → drop 95..=99, limit 94.5.
        assert_eq!(c[1].counts, Counts { rows: 95, hits: 45 });
        assert_eq!(
            c[1].limit,
            Limit::Range {
                lower: 0.0,
                upper: 94.5
            }
        );
    }

    #[test]
    fn discrete_and_categorical_peels() {
        let x = vec![1, 1, 1, 1, 2, 2, 3, 3, 3, 3];
        let cat = vec![0, 0, 1, 1, 1, 2, 2, 2, 0, 0];
        let y = vec![true; 10];
        let labels = vec!["a".to_string(), "b".into(), "c".into(), "unused".into()];
        let d = PrimData::new(
            vec![
                Column::discrete("x", x),
                Column::categorical("k", labels, cat),
            ],
            y,
        )
        .unwrap();
        let members: Vec<usize> = (0..10).collect();
        let c = peel_candidates(&d, d.initial_box(), &members, 0.1, &mut Vec::new());
        // Ties at the bottom: all four 1s go at once; integer limit is 2.
        assert_eq!(
            c[0].limit,
            Limit::Range {
                lower: 2.0,
                upper: 3.0
            }
        );
        assert_eq!(c[0].counts.rows, 6);
        assert_eq!(
            c[1].limit,
            Limit::Range {
                lower: 1.0,
                upper: 2.0
            }
        );
        assert_eq!(c[1].counts.rows, 6);
        // Three present categories → three candidates; "unused" is not peeled.
        assert_eq!(c.len(), 5);
        assert_eq!(c[2].counts.rows, 6);
        assert_eq!(c[3].counts.rows, 7);
        assert_eq!(c[4].counts.rows, 7);
    }

    #[test]
    fn constant_column_cannot_be_peeled() {
        let d =
            PrimData::new(vec![Column::continuous("x", vec![0.5; 20])], vec![true; 20]).unwrap();
        let members: Vec<usize> = (0..20).collect();
        assert!(peel_candidates(&d, d.initial_box(), &members, 0.05, &mut Vec::new()).is_empty());
    }
}
