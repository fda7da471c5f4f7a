//! PRIM pasting candidates: the boxes one paste away from the current box.
//!
//! Rule (Friedman & Fisher 1999, §4; EMA Workbench's paste). After peeling,
//! each restricted limit may be moved back outwards. The rows that could join
//! through column `j` are those outside the box on `j` only (inside on every
//! other column). A numeric paste admits the `t = max(1, round(α · n_box))`
//! such rows nearest to the limit (plus any ties of the `t`-th), moving the
//! limit midway to the next excluded value (integer columns: onto the
//! admitted value); when all such rows are admitted the limit returns to the
//! initial one. A categorical paste adds back one excluded category.

use super::data::{Limit, PrimData};
use super::objective::Counts;
use super::peel::Candidate;

/// Rows outside the box on exactly one column, grouped by that column.
fn single_violations(data: &PrimData, limits: &[Limit]) -> Vec<Vec<usize>> {
    let mut buckets = vec![Vec::new(); limits.len()];
    for i in 0..data.rows() {
        let mut violated = None;
        let mut count = 0;
        for (j, limit) in limits.iter().enumerate() {
            if !limit.contains(data.values[j][i]) {
                count += 1;
                violated = Some(j);
                if count > 1 {
                    break;
                }
            }
        }
        if let (1, Some(j)) = (count, violated) {
            buckets[j].push(i);
        }
    }
    buckets
}

/// All pasting candidates of the box `limits` with counts `current`.
pub(crate) fn paste_candidates(
    data: &PrimData,
    limits: &[Limit],
    current: Counts,
    alpha: f64,
) -> Vec<Candidate> {
    let buckets = single_violations(data, limits);
    let take = ((alpha * current.rows as f64).round() as usize).max(1);
    let mut out = Vec::new();
    for (j, bucket) in buckets.iter().enumerate() {
        if bucket.is_empty() {
            continue;
        }
        let col = &data.values[j];
        match (&limits[j], &data.initial[j]) {
            (
                Limit::Range { lower, upper },
                Limit::Range {
                    lower: l0,
                    upper: u0,
                },
            ) => {
                let discrete = data.columns()[j].is_discrete();
                // Rows below the lower limit, nearest first.
                let mut below: Vec<usize> = bucket
                    .iter()
                    .copied()
                    .filter(|&i| col[i] < *lower)
                    .collect();
                below.sort_by(|&a, &b| col[b].total_cmp(&col[a]));
                if let Some((limit_value, counts)) =
                    admit(data, col, &below, take, current, *l0, discrete, |v, t| {
                        v >= t
                    })
                {
                    out.push(Candidate {
                        column: j,
                        limit: Limit::Range {
                            lower: limit_value,
                            upper: *upper,
                        },
                        counts,
                    });
                }
                // Rows above the upper limit, nearest first.
                let mut above: Vec<usize> = bucket
                    .iter()
                    .copied()
                    .filter(|&i| col[i] > *upper)
                    .collect();
                above.sort_by(|&a, &b| col[a].total_cmp(&col[b]));
                if let Some((limit_value, counts)) =
                    admit(data, col, &above, take, current, *u0, discrete, |v, t| {
                        v <= t
                    })
                {
                    out.push(Candidate {
                        column: j,
                        limit: Limit::Range {
                            lower: *lower,
                            upper: limit_value,
                        },
                        counts,
                    });
                }
            }
            (Limit::Categories(set), Limit::Categories(all)) => {
                for &c in all.difference(set) {
                    let joining: Vec<usize> = bucket
                        .iter()
                        .copied()
                        .filter(|&i| col[i] as usize == c)
                        .collect();
                    if joining.is_empty() {
                        continue;
                    }
                    let mut bigger = set.clone();
                    bigger.insert(c);
                    out.push(Candidate {
                        column: j,
                        limit: Limit::Categories(bigger),
                        counts: add(data, current, &joining),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Admits the `take` nearest rows of `sorted` (nearest first) plus ties and
/// returns the new limit value and the counts of the enlarged box.
#[allow(clippy::too_many_arguments)]
fn admit(
    data: &PrimData,
    col: &[f64],
    sorted: &[usize],
    take: usize,
    current: Counts,
    initial: f64,
    discrete: bool,
    inside: impl Fn(f64, f64) -> bool,
) -> Option<(f64, Counts)> {
    let last = *sorted.get(take.min(sorted.len()).checked_sub(1)?)?;
    let edge = col[last];
    let joining: Vec<usize> = sorted
        .iter()
        .copied()
        .filter(|&i| inside(col[i], edge))
        .collect();
    let limit = match sorted.iter().map(|&i| col[i]).find(|&v| !inside(v, edge)) {
        None => initial,
        Some(_) if discrete => edge,
        Some(next) => (edge + next) / 2.0,
    };
    Some((limit, add(data, current, &joining)))
}

/// Counts of the box after `joining` rows are added.
fn add(data: &PrimData, current: Counts, joining: &[usize]) -> Counts {
    Counts {
        rows: current.rows + joining.len(),
        hits: current.hits + joining.iter().filter(|&&i| data.interest[i]).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prim::data::Column;

    #[test]
    fn pastes_nearest_rows_back_and_restores_initial_limit() {
        // x = 0..10, box x ∈ [5.5, 9]: rows 0..=5 are below.
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        let d = PrimData::new(vec![Column::continuous("x", x)], vec![true; 10]).unwrap();
        let limits = vec![Limit::Range {
            lower: 5.5,
            upper: 9.0,
        }];
        let current = Counts { rows: 4, hits: 4 };
        let c = paste_candidates(&d, &limits, current, 0.5);
        // take = round(0.5 · 4) = 2 → rows 5 and 4 join, limit midway to 3.
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].limit,
            Limit::Range {
                lower: 3.5,
                upper: 9.0
            }
        );
        assert_eq!(c[0].counts, Counts { rows: 6, hits: 6 });
        // Taking everything below returns the lower limit to the data minimum.
        let c = paste_candidates(&d, &limits, current, 2.0);
        assert_eq!(
            c[0].limit,
            Limit::Range {
                lower: 0.0,
                upper: 9.0
            }
        );
        assert_eq!(c[0].counts.rows, 10);
    }

    #[test]
    fn rows_outside_on_two_columns_do_not_join() {
        let d = PrimData::new(
            vec![
                Column::continuous("a", vec![0.0, 1.0, 2.0, 3.0]),
                Column::continuous("b", vec![0.0, 1.0, 2.0, 3.0]),
            ],
            vec![true; 4],
        )
        .unwrap();
        let limits = vec![
            Limit::Range {
                lower: 1.5,
                upper: 3.0,
            },
            Limit::Range {
                lower: 1.5,
                upper: 3.0,
            },
        ];
        // Rows 0 and 1 violate both columns: no paste candidates at all.
        assert!(paste_candidates(&d, &limits, Counts { rows: 2, hits: 2 }, 0.5).is_empty());
    }
}
