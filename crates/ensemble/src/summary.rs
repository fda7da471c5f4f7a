//! The futures table counted as rows arrive: the ensemble's closing summary.
//! Counting, labels and intervals are `patronfall_analysis::futures`, the
//! same that `analyze futures` and the report use.

use crate::runner::{Row, Sink};
pub use patronfall_analysis::futures::{CONFIDENCE, FutureCounts, FutureTable, NO_FUTURE};

impl Sink for FutureCounts {
    type Error = std::convert::Infallible;

    fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error> {
        for r in rows {
            self.add(r.experiment.coa_slot, r.future);
        }
        Ok(())
    }
}
