//! Tables handed to Python as `pyarrow.Table`s through the Arrow C data
//! interface (arrow-rs's `arrow-pyarrow`, of the workspace's Arrow
//! version): the columns are not copied; polars takes them as they are and
//! pandas converts them.

use arrow_array::{ArrayRef, Float64Array, RecordBatch, UInt32Array};
use arrow_pyarrow::{IntoPyArrow, Table};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use patronfall_results::ResultsError;
use std::path::Path;
use std::sync::Arc;

/// A Parquet file of a results directory (`runs.parquet`,
/// `timeseries.parquet`) as record batches and their schema.
pub fn read_parquet(file: &Path) -> Result<(Vec<RecordBatch>, Arc<Schema>), ResultsError> {
    let opened = std::fs::File::open(file).map_err(|e| {
        ResultsError::input(
            file,
            None,
            format!("cannot open it ({e}); is this a finished results directory?"),
        )
    })?;
    let unreadable = |e: &dyn std::fmt::Display| {
        ResultsError::input(file, None, format!("not a readable Parquet file: {e}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(opened).map_err(|e| unreadable(&e))?;
    let schema = builder.schema().clone();
    let reader = builder.build().map_err(|e| unreadable(&e))?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(&e))?;
    Ok((batches, schema))
}

/// Record batches as a `pyarrow.Table`.
pub fn to_pyarrow(
    py: pyo3::Python<'_>,
    batches: Vec<RecordBatch>,
    schema: Arc<Schema>,
) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
    let table = Table::try_new(batches, schema)
        .map_err(|e| crate::errors::PatronfallError::new_err(e.to_string()))?;
    Ok(table.into_pyarrow(py)?.unbind())
}

/// A table of a `day` column (0 is the start) and one float column per
/// name, as one record batch.
pub fn day_table(names: &[&str], columns: Vec<Vec<f64>>) -> Result<RecordBatch, String> {
    let days = columns.first().map_or(0, Vec::len);
    let mut fields = vec![Field::new("day", DataType::UInt32, false)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(UInt32Array::from_iter_values(
        (0..days).map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
    ))];
    for (name, values) in names.iter().zip(columns) {
        fields.push(Field::new(*name, DataType::Float64, false));
        arrays.push(Arc::new(Float64Array::from(values)));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| e.to_string())
}
