//! The futures table: how often each course of action reaches each future,
//! with Wilson intervals (Wilson 1927), and paired differences between two
//! courses of action with Newcombe's interval for paired proportions
//! (method 10 of Newcombe 1998). The ensemble's closing summary, `analyze
//! futures` and the report all count and bound the futures here, so they
//! agree to the last digit: one label for runs that reached no future, one
//! confidence level, one interval method each for shares and differences.
//!
//! ```
//! use patronfall_analysis::futures::{FutureCounts, NO_FUTURE};
//!
//! let mut counts = FutureCounts::new(2, 2);
//! for (coa, future) in [(0, Some(0)), (0, None), (1, Some(1)), (1, Some(1))] {
//!     counts.add(coa, future);
//! }
//! let t = counts.table(&["passive".into(), "firm".into()], &["war".into(), "peace".into()]);
//! assert_eq!(t.futures, ["war", "peace", NO_FUTURE]);
//! assert_eq!(t.counts[1], [0, 2, 0]);
//! assert_eq!(t.share[0][2].unwrap().estimate, 0.5);
//! ```

use crate::proportion::{Interval, paired_difference_of, wilson};

/// Two-sided confidence level of every interval patronfall reports on
/// futures and differences between courses of action.
pub const CONFIDENCE: f64 = 0.95;

/// The label of runs whose end state matched no future's rule, wherever a
/// futures table is shown or saved.
pub const NO_FUTURE: &str = "(no future)";

/// Runs per course of action and future, counted as they arrive.
#[derive(Clone, Debug, PartialEq)]
pub struct FutureCounts {
    /// `counts[coa][future]`; the last column counts runs that reached none.
    counts: Vec<Vec<u64>>,
}

impl FutureCounts {
    /// Empty counts for `coas` courses of action and `futures` futures.
    pub fn new(coas: usize, futures: usize) -> Self {
        FutureCounts {
            counts: vec![vec![0; futures + 1]; coas],
        }
    }

    /// Counts one run of the course of action at `coa` (its position in the
    /// plan) that reached `future` (its index in rule order), or none.
    ///
    /// # Panics
    /// When `coa` or `future` is out of the range given to [`new`](Self::new):
    /// the caller's plan and scenario fix both, so that is a programming error.
    pub fn add(&mut self, coa: usize, future: Option<usize>) {
        let row = &mut self.counts[coa];
        let column = future.unwrap_or(row.len() - 1);
        row[column] += 1;
    }

    /// Runs counted for the course of action at `coa`.
    pub fn runs(&self, coa: usize) -> u64 {
        self.counts.get(coa).map_or(0, |r| r.iter().sum())
    }

    /// The table with names and intervals. `coas` and `futures` name the
    /// positions counted (plan order, rule order); the [`NO_FUTURE`] column
    /// is present only when some run reached no future.
    pub fn table(&self, coas: &[String], futures: &[String]) -> FutureTable {
        let none = self.counts.iter().any(|r| r.last().is_some_and(|&n| n > 0));
        let width = futures.len() + usize::from(none);
        let mut labels = futures.to_vec();
        if none {
            labels.push(NO_FUTURE.to_string());
        }
        let counts: Vec<Vec<u64>> = self
            .counts
            .iter()
            .map(|r| {
                let mut row = r[..futures.len()].to_vec();
                if none {
                    row.push(r[futures.len()]);
                }
                debug_assert_eq!(row.len(), width);
                row
            })
            .collect();
        let runs: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
        let share = counts
            .iter()
            .zip(&runs)
            .map(|(row, &n)| row.iter().map(|&x| wilson(x, n, CONFIDENCE).ok()).collect())
            .collect();
        FutureTable {
            coas: coas.to_vec(),
            futures: labels,
            runs,
            counts,
            share,
        }
    }
}

/// Futures reached per course of action, with intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct FutureTable {
    /// Courses of action, in plan order.
    pub coas: Vec<String>,
    /// Futures in rule order, then [`NO_FUTURE`] when some run reached none.
    pub futures: Vec<String>,
    /// Runs per course of action.
    pub runs: Vec<u64>,
    /// `counts[coa][future]`: runs reaching that future.
    pub counts: Vec<Vec<u64>>,
    /// `share[coa][future]`: the probability (0–1) with its Wilson interval
    /// at [`CONFIDENCE`]; `None` for a course of action without runs.
    pub share: Vec<Vec<Option<Interval>>>,
}

impl FutureTable {
    /// Whether a run that reached `future` (index in rule order, or none)
    /// counts under the table's column `column`.
    pub fn reached(&self, column: usize, future: Option<usize>) -> bool {
        match future {
            Some(f) => f == column,
            None => self.futures.get(column).is_some_and(|l| l == NO_FUTURE),
        }
    }

    /// Per column, P(column | first) − P(column | second) over paired runs
    /// (`pairs[i]` = the futures reached by the two runs of pair `i`), with
    /// Newcombe's interval at [`CONFIDENCE`]; `None` where it cannot be
    /// computed (no pairs).
    pub fn paired_differences(
        &self,
        pairs: &[(Option<usize>, Option<usize>)],
    ) -> Vec<Option<Interval>> {
        (0..self.futures.len())
            .map(|column| {
                let first: Vec<bool> = pairs.iter().map(|p| self.reached(column, p.0)).collect();
                let second: Vec<bool> = pairs.iter().map(|p| self.reached(column, p.1)).collect();
                paired_difference_of(&first, &second, CONFIDENCE).ok()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn counts_every_run_once_and_adds_the_no_future_column_only_when_needed() {
        let mut c = FutureCounts::new(2, 2);
        for (coa, f) in [(0, Some(0)), (0, Some(1)), (1, Some(1))] {
            c.add(coa, f);
        }
        let t = c.table(&names(&["a", "b"]), &names(&["x", "y"]));
        assert_eq!(t.futures, ["x", "y"]);
        assert_eq!(t.counts, [[1, 1], [0, 1]]);
        assert_eq!(t.runs, [2, 1]);
        c.add(1, None);
        let t = c.table(&names(&["a", "b"]), &names(&["x", "y"]));
        assert_eq!(t.futures, ["x", "y", NO_FUTURE]);
        assert_eq!(t.counts, [[1, 1, 0], [0, 1, 1]]);
        assert_eq!(c.runs(1), 2);
    }

    #[test]
    fn shares_are_wilson_intervals_at_the_one_level() {
        let mut c = FutureCounts::new(1, 1);
        for f in [Some(0), Some(0), None, None] {
            c.add(0, f);
        }
        let t = c.table(&names(&["a"]), &names(&["x"]));
        let expected = wilson(2, 4, CONFIDENCE).unwrap();
        assert_eq!(t.share[0][0], Some(expected));
        assert_eq!(t.share[0][1], Some(expected));
        let empty = FutureCounts::new(1, 1).table(&names(&["a"]), &names(&["x"]));
        assert_eq!(empty.share[0][0], None);
    }

    #[test]
    fn paired_differences_cover_the_no_future_column() {
        let mut c = FutureCounts::new(2, 1);
        c.add(0, None);
        let t = c.table(&names(&["a", "b"]), &names(&["x"]));
        // first reaches x where second reached none, three times of four.
        let pairs = [
            (Some(0), None),
            (Some(0), None),
            (Some(0), None),
            (None, None),
        ];
        let d = t.paired_differences(&pairs);
        assert_eq!(d.len(), 2);
        assert!((d[0].unwrap().estimate - 0.75).abs() < 1e-12);
        assert!((d[1].unwrap().estimate + 0.75).abs() < 1e-12);
        assert!(t.paired_differences(&[])[0].is_none());
    }
}
