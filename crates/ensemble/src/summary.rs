//! The futures table: how often each course of action reaches each future,
//! with 95% Wilson intervals, counted as rows arrive.

use crate::runner::{Row, Sink};
use patronfall_analysis::proportion::{Interval, wilson};

/// Counts of futures per course of action.
#[derive(Clone, Debug)]
pub struct FutureCounts {
    /// counts\[coa slot\]\[future\]; the last column counts runs that reached none.
    pub counts: Vec<Vec<u64>>,
    /// Runs per course of action.
    pub runs: Vec<u64>,
}

impl FutureCounts {
    /// Empty counts for `coas` courses of action and `futures` futures.
    pub fn new(coas: usize, futures: usize) -> Self {
        FutureCounts {
            counts: vec![vec![0; futures + 1]; coas],
            runs: vec![0; coas],
        }
    }

    /// Counts rows.
    pub fn add(&mut self, rows: &[Row]) {
        for r in rows {
            let slot = r.experiment.coa_slot;
            let col = r.future.unwrap_or(self.counts[slot].len() - 1);
            self.counts[slot][col] += 1;
            self.runs[slot] += 1;
        }
    }

    /// Share of runs of a course of action reaching a future, with a 95% Wilson interval.
    pub fn share(&self, coa_slot: usize, future: usize) -> Option<Interval> {
        wilson(self.counts[coa_slot][future], self.runs[coa_slot], 0.95).ok()
    }
}

impl Sink for FutureCounts {
    fn accept(&mut self, rows: &[Row]) -> Result<(), String> {
        self.add(rows);
        Ok(())
    }
}
