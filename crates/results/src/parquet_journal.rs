//! What makes the finished row groups of an unfinished `runs.parquet`
//! readable after a kill.
//!
//! A Parquet file is readable only through its footer, which the writer
//! writes when it closes the file; a killed ensemble leaves a stand-in
//! (`.runs.parquet.partial`) without one. So beside it the writer keeps a
//! journal (`.runs.parquet.journal`): each time a row group reaches the
//! disk it appends one record, the footer of a file that holds that row
//! group alone, with the offset where the row group's bytes end. The
//! column chunks' offsets in these footers are those of the stand-in, so
//! [`rebuild`] can cut the stand-in after the last row group on disk and
//! append one footer that lists every recorded row group: a valid
//! `runs.parquet` with every row of those row groups.
//!
//! A record is `u64` end offset, `u32` length, then the footer (Parquet's
//! metadata, its length and `PAR1`), integers little-endian. The journal
//! grows by one footer per row group (a few tens of kB for the built-in
//! scenario's ~470 columns), linearly with the file; it is removed when
//! the file is finished.

use parquet::arrow::ArrowWriter;
use parquet::file::metadata::{
    FileMetaData, ParquetMetaData, ParquetMetaDataReader, ParquetMetaDataWriter, RowGroupMetaData,
};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The journal's name beside `runs.parquet`.
pub(crate) fn journal_path(dir: &Path) -> PathBuf {
    dir.join(crate::write::RUNS_JOURNAL)
}

/// Where the bytes of a row group end in its file.
fn end_of(rg: &RowGroupMetaData) -> u64 {
    rg.columns()
        .iter()
        .map(|c| {
            let (start, len) = c.byte_range();
            start + len
        })
        .max()
        .unwrap_or(0)
}

/// The footer of a file holding `row_groups` (of one schema, not empty).
fn footer(row_groups: Vec<RowGroupMetaData>) -> parquet::errors::Result<Vec<u8>> {
    let rows = row_groups.iter().map(|rg| rg.num_rows()).sum();
    let schema = row_groups[0].schema_descr_ptr();
    let file = FileMetaData::new(
        1,
        rows,
        Some(format!("patronfall {}", env!("CARGO_PKG_VERSION"))),
        None,
        schema,
        None,
    );
    let metadata = ParquetMetaData::new(file, row_groups);
    let mut bytes = Vec::new();
    ParquetMetaDataWriter::new(&mut bytes, &metadata).finish()?;
    Ok(bytes)
}

/// The journal of a stand-in being written.
pub(crate) struct Journal {
    file: File,
    /// Row groups recorded so far.
    recorded: usize,
}

impl Journal {
    /// Starts the journal of the stand-in of `dir`'s `runs.parquet`.
    pub(crate) fn create(dir: &Path) -> std::io::Result<Journal> {
        Ok(Journal {
            file: File::create(journal_path(dir))?,
            recorded: 0,
        })
    }

    /// Records the row groups `writer` has closed since the last call,
    /// once their bytes have left the writer's buffer for the file.
    pub(crate) fn record(&mut self, writer: &mut ArrowWriter<File>) -> Result<(), String> {
        if writer.flushed_row_groups().len() == self.recorded {
            return Ok(());
        }
        writer.sync().map_err(|e| e.to_string())?;
        for rg in &writer.flushed_row_groups()[self.recorded..] {
            let bytes = footer(vec![rg.clone()]).map_err(|e| e.to_string())?;
            let mut record = Vec::with_capacity(bytes.len() + 12);
            record.extend_from_slice(&end_of(rg).to_le_bytes());
            record.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            record.extend_from_slice(&bytes);
            self.file.write_all(&record).map_err(|e| e.to_string())?;
            self.recorded += 1;
        }
        self.file.flush().map_err(|e| e.to_string())
    }
}

/// Writes to `out` the `runs.parquet` that the stand-in `partial` and its
/// `journal` make: the row groups the journal records whose bytes are all
/// in the stand-in, then their footer. Returns the rows kept and the bytes
/// of the stand-in dropped after them, or `None` when no whole row group
/// reached the disk (nothing is written then).
pub(crate) fn rebuild(
    partial: &Path,
    journal: &Path,
    out: &Path,
) -> Result<Option<(u64, u64)>, String> {
    let what = |p: &Path, e: &dyn std::fmt::Display| format!("{}: {e}", p.display());
    let records = std::fs::read(journal).map_err(|e| what(journal, &e))?;
    let data = std::fs::read(partial).map_err(|e| what(partial, &e))?;
    let mut row_groups = Vec::new();
    let mut end = 0u64;
    let mut at = 0usize;
    // A kill can cut the last record, and the last row group's bytes.
    while let Some(head) = records.get(at..at + 12) {
        let stop = u64::from_le_bytes(head[..8].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(head[8..].try_into().unwrap_or_default()) as usize;
        let Some(bytes) = records.get(at + 12..at + 12 + len) else {
            break;
        };
        if stop > data.len() as u64 || stop < end {
            break;
        }
        let metadata = ParquetMetaDataReader::decode_metadata(&bytes[..len.saturating_sub(8)])
            .map_err(|e| what(journal, &e))?;
        row_groups.extend(metadata.row_groups().iter().cloned());
        end = stop;
        at += 12 + len;
    }
    if row_groups.is_empty() {
        return Ok(None);
    }
    let rows = row_groups.iter().map(|rg| rg.num_rows() as u64).sum();
    let tail = footer(row_groups).map_err(|e| what(journal, &e))?;
    let mut file = File::create(out).map_err(|e| what(out, &e))?;
    file.write_all(&data[..end as usize])
        .and_then(|()| file.write_all(&tail))
        .and_then(|()| file.sync_all())
        .map_err(|e| what(out, &e))?;
    Ok(Some((rows, data.len() as u64 - end)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, UInt64Array};
    use parquet::file::properties::WriterProperties;
    use std::sync::Arc;

    #[test]
    fn a_killed_file_is_rebuilt_from_its_whole_row_groups() {
        let dir = std::env::temp_dir().join(format!("pf-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let partial = dir.join(".runs.parquet.partial");
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(10))
            .build();
        let batch = |from: u64| {
            let ids: ArrayRef = Arc::new(UInt64Array::from_iter_values(from..from + 4));
            let xs: ArrayRef = Arc::new(Float64Array::from_iter_values(
                (from..from + 4).map(|i| i as f64 / 3.0),
            ));
            RecordBatch::try_from_iter([("experiment", ids), ("x", xs)]).unwrap()
        };
        let mut w = ArrowWriter::try_new(
            File::create(&partial).unwrap(),
            batch(0).schema(),
            Some(props),
        )
        .unwrap();
        let mut journal = Journal::create(&dir).unwrap();
        for k in 0..7 {
            w.write(&batch(4 * k)).unwrap();
            journal.record(&mut w).unwrap();
        }
        // 28 rows: two row groups of 10 on disk, 8 rows still in memory.
        let out = dir.join("runs.parquet");
        let (rows, _) = rebuild(&partial, &journal_path(&dir), &out)
            .unwrap()
            .unwrap();
        assert_eq!(rows, 20);
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            File::open(&out).unwrap(),
        )
        .unwrap()
        .build()
        .unwrap();
        let mut seen = Vec::new();
        for b in reader {
            let b = b.unwrap();
            let ids = b.column(0).as_any().downcast_ref::<UInt64Array>().unwrap();
            let xs = b.column(1).as_any().downcast_ref::<Float64Array>().unwrap();
            for i in 0..b.num_rows() {
                assert_eq!(xs.value(i).to_bits(), (ids.value(i) as f64 / 3.0).to_bits());
                seen.push(ids.value(i));
            }
        }
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        // A journal cut inside its second record keeps the first row group.
        let records = std::fs::read(journal_path(&dir)).unwrap();
        let first = 12 + u32::from_le_bytes(records[8..12].try_into().unwrap()) as usize;
        std::fs::write(journal_path(&dir), &records[..first + 30]).unwrap();
        let (rows, dropped) = rebuild(&partial, &journal_path(&dir), &out)
            .unwrap()
            .unwrap();
        assert_eq!(rows, 10);
        assert!(dropped > 0);
        // A stand-in cut before the first row group's end keeps nothing.
        std::fs::write(&partial, b"PAR1").unwrap();
        assert_eq!(rebuild(&partial, &journal_path(&dir), &out).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
