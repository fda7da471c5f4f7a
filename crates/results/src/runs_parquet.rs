//! `runs.parquet` read as the text `runs.csv` holds, field for field.
//!
//! Why text: every reader of the runs table ([`crate::read::RunsTable`])
//! works on the fields of `runs.csv`, and the identity of the runs
//! ([`crate::read::runs_sha256`]) is the SHA-256 of that file's bytes. A
//! Parquet row rendered the way the writer renders a CSV row (whole
//! numbers in decimal, floats as their shortest round-trip text through
//! [`crate::float_text`], a value that is not finite and a null as an
//! empty field) gives the same fields, so an analysis of a Parquet-only
//! directory is the analysis of its CSV twin, to the byte. Float64 holds
//! the exact bits, and the shortest round-trip text parses back to them.

use crate::error::ResultsError;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;

/// Rows decoded at a time: one record batch. Memory holds one batch of
/// the kept columns, whatever the file's size.
const BATCH_ROWS: usize = 4096;

/// Whether a column of this type can be rendered as `runs.csv` renders it.
fn supported(t: &DataType) -> bool {
    matches!(
        t,
        DataType::UInt64
            | DataType::UInt32
            | DataType::Int64
            | DataType::Int32
            | DataType::Float64
            | DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
    )
}

/// Appends the `runs.csv` text of row `i` of `array` (a type that
/// [`supported`] accepts) to `out`.
fn push_field(out: &mut String, array: &dyn Array, i: usize) {
    use std::fmt::Write as _;
    if array.is_null(i) {
        return;
    }
    // Writing into a String cannot fail.
    let _ = match array.data_type() {
        DataType::UInt64 => write!(out, "{}", array.as_primitive::<UInt64Type>().value(i)),
        DataType::UInt32 => write!(out, "{}", array.as_primitive::<UInt32Type>().value(i)),
        DataType::Int64 => write!(out, "{}", array.as_primitive::<Int64Type>().value(i)),
        DataType::Int32 => write!(out, "{}", array.as_primitive::<Int32Type>().value(i)),
        DataType::Float64 => {
            let v = array.as_primitive::<Float64Type>().value(i);
            if v.is_finite() {
                let mut bytes = std::mem::take(out).into_bytes();
                crate::float_text::push_display(&mut bytes, v);
                // `push_display` writes ASCII digits, signs and points only.
                *out = String::from_utf8(bytes).unwrap_or_default();
            }
            Ok(())
        }
        DataType::Utf8 => {
            out.push_str(array.as_string::<i32>().value(i));
            Ok(())
        }
        DataType::LargeUtf8 => {
            out.push_str(array.as_string::<i64>().value(i));
            Ok(())
        }
        DataType::Utf8View => {
            out.push_str(array.as_string_view().value(i));
            Ok(())
        }
        _ => Ok(()),
    };
}

/// Why `path` cannot be read as a Parquet file, and what to do.
pub(crate) fn broken(path: &Path, e: impl std::fmt::Display) -> ResultsError {
    ResultsError::input(
        path,
        None,
        format!(
            "not a readable Parquet file ({e}): it was cut short or damaged. If the ensemble \
             writing it was killed, `patronfall recover` keeps its finished rows; otherwise run \
             the ensemble again with --force"
        ),
    )
}

/// Reads the Parquet runs table at `path` batch by batch: calls `header`
/// once with the names of the columns that pass `column` (in file order),
/// then `row` with the text fields of those columns for every row (from
/// 0) that passes `want`, in file order. Columns left out are not
/// decoded; rows left out are not rendered.
pub(crate) fn scan(
    path: &Path,
    column: impl Fn(&str) -> bool,
    want: impl Fn(u64) -> bool,
    header: impl FnOnce(Vec<String>) -> Result<(), ResultsError>,
    mut row: impl FnMut(&[String]) -> Result<(), ResultsError>,
) -> Result<(), ResultsError> {
    let file = std::fs::File::open(path)
        .map_err(|e| ResultsError::input(path, None, format!("cannot read it: {e}")))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| broken(path, e))?;
    let schema = builder.schema().clone();
    let kept: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| column(schema.field(i).name()))
        .collect();
    for &i in &kept {
        let f = schema.field(i);
        if !supported(f.data_type()) {
            return Err(ResultsError::input(
                path,
                None,
                format!(
                    "column `{}` holds {}, which no column of a runs table holds; the file was \
                     not written by `patronfall ensemble`: run the ensemble again",
                    f.name(),
                    f.data_type()
                ),
            ));
        }
    }
    header(
        kept.iter()
            .map(|&i| schema.field(i).name().clone())
            .collect(),
    )?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), kept.iter().copied());
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| broken(path, e))?;
    let mut fields = vec![String::new(); kept.len()];
    let mut at = 0u64;
    for batch in reader {
        let batch: RecordBatch = batch.map_err(|e| broken(path, e))?;
        for i in 0..batch.num_rows() {
            if want(at) {
                for (field, array) in fields.iter_mut().zip(batch.columns()) {
                    field.clear();
                    push_field(field, array.as_ref(), i);
                }
                row(&fields)?;
            }
            at += 1;
        }
    }
    Ok(())
}
