//! Reads `timeseries.parquet`: per course of action, day and outcome, the
//! quantiles (5, 25, 50, 75, 95%) of the daily values over the sampled runs.

use crate::error::ReportError;
use arrow_array::{Array, Float64Array, RecordBatch, StringArray, UInt32Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::path::Path;

/// One day of one outcome under one course of action.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FanPoint {
    /// Day (0 is the start).
    pub day: u32,
    /// Quantiles at 5, 25, 50, 75 and 95%, in the outcome's units.
    pub q: [f64; 5],
    /// Runs the quantiles come from.
    pub runs: u32,
}

/// The fan-chart table keyed by (course of action, outcome), days in order.
#[derive(Clone, Debug, Default)]
pub struct Fans {
    /// Series by (course of action, outcome name).
    pub series: BTreeMap<(String, String), Vec<FanPoint>>,
}

impl Fans {
    /// The series of one outcome under one course of action.
    pub fn get(&self, coa: &str, outcome: &str) -> Option<&[FanPoint]> {
        self.series
            .get(&(coa.to_string(), outcome.to_string()))
            .map(|v| v.as_slice())
    }
}

fn column<'a, T: 'static>(
    batch: &'a RecordBatch,
    name: &str,
    path: &Path,
) -> Result<&'a T, ReportError> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or_else(|| {
            ReportError::input(
                path,
                format!("column `{name}` is missing or has the wrong type"),
            )
        })
}

/// Reads the fan-chart table of a results directory.
pub fn read(path: &Path) -> Result<Fans, ReportError> {
    let file = std::fs::File::open(path)
        .map_err(|e| ReportError::input(path, format!("cannot open: {e}")))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| ReportError::input(path, format!("not a readable Parquet file: {e}")))?;
    let mut fans = Fans::default();
    for batch in reader {
        let batch = batch.map_err(|e| ReportError::input(path, format!("cannot read: {e}")))?;
        let coa: &StringArray = column(&batch, "coa", path)?;
        let day: &UInt32Array = column(&batch, "day", path)?;
        let outcome: &StringArray = column(&batch, "outcome", path)?;
        let runs: &UInt32Array = column(&batch, "runs", path)?;
        let qs: Vec<&Float64Array> = ["q05", "q25", "q50", "q75", "q95"]
            .iter()
            .map(|n| column(&batch, n, path))
            .collect::<Result<_, _>>()?;
        for i in 0..batch.num_rows() {
            if coa.is_null(i) || outcome.is_null(i) {
                return Err(ReportError::input(
                    path,
                    format!("row {}: empty course of action or outcome", i + 1),
                ));
            }
            let point = FanPoint {
                day: day.value(i),
                q: [
                    qs[0].value(i),
                    qs[1].value(i),
                    qs[2].value(i),
                    qs[3].value(i),
                    qs[4].value(i),
                ],
                runs: runs.value(i),
            };
            fans.series
                .entry((coa.value(i).to_string(), outcome.value(i).to_string()))
                .or_default()
                .push(point);
        }
    }
    for v in fans.series.values_mut() {
        v.sort_by_key(|p| p.day);
    }
    Ok(fans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_names_itself() {
        let e = read(Path::new("no/such/timeseries.parquet")).unwrap_err();
        assert!(e.to_string().contains("no/such/timeseries.parquet"));
        assert!(matches!(e, ReportError::Input { .. }), "{e:?}");
    }

    #[test]
    fn a_text_file_is_not_parquet() {
        let dir = std::env::temp_dir().join(format!("pf-report-ts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("timeseries.parquet");
        std::fs::write(&p, "day,coa\n1,a\n").unwrap();
        let e = read(&p).unwrap_err();
        assert!(matches!(e, ReportError::Input { .. }), "{e:?}");
        assert!(e.to_string().contains("Parquet"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
