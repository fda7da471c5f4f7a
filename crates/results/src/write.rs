//! Streaming writers for the results directory.
//!
//! [`ResultsWriter`] is the ensemble's sink: every chunk of rows is appended
//! to `runs.csv` and `runs.parquet` (a row group every [`RUNS_ROW_GROUP`]
//! rows), or to one of them ([`RunsFormats`]), under temporary names, and
//! fed to the fan-chart accumulator; memory holds one chunk at a time plus
//! the bounded series sample and the Parquet row group being built. Without
//! `runs.csv`, a journal beside the Parquet stand-in keeps the row groups
//! on disk recoverable after a kill (`crate::parquet_journal`). [`ResultsWriter::finish`] renames the
//! files into place, writes `timeseries.parquet` and then the manifest. A
//! shard also keeps the daily series of its runs in the fan charts' sample
//! ([`SERIES_SAMPLE`]) for the merge.

use crate::error::ResultsError;
use crate::indicators::{self, Indicators};
use crate::manifest::Manifest;
use crate::temp_path;
use arrow_array::builder::{Float64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use patronfall_ensemble::runner::{Row, Sink};
use patronfall_ensemble::summary::FutureCounts;
use patronfall_ensemble::timeseries::{Accumulator, Fan, QUANTILES};
use patronfall_model::Outcome;
use patronfall_scenario::Scenario;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Columns of the runs table that identify an experiment rather than measure it.
pub const ID_COLUMNS: [&str; 8] = [
    "experiment",
    "sample",
    "replication",
    "coa",
    "seed",
    "future",
    "capital_fell_day",
    "problems",
];

/// The runs table's column of the margin of condition `k` (its place in
/// `when`, from 0) of `future`: `margin.<future>.<k>`.
pub fn margin_column(future: &str, k: usize) -> String {
    format!("margin.{future}.{k}")
}

/// Names of the columns of the runs table, in order: ids, sampled values,
/// every outcome's last-day value and maximum, every future's conditions'
/// margins (`margins`, named by [`margin_column`]), then each armed group's
/// stance at the end (`stance.<group id>`).
pub fn run_columns(uncertainties: &[String], margins: &[String], groups: &[String]) -> Vec<String> {
    let mut cols: Vec<String> = ID_COLUMNS.iter().map(|s| s.to_string()).collect();
    cols.extend(uncertainties.iter().cloned());
    cols.extend(Outcome::ALL.iter().map(|o| o.name().to_string()));
    cols.extend(Outcome::ALL.iter().map(|o| format!("max_{}", o.name())));
    cols.extend(margins.iter().cloned());
    cols.extend(groups.iter().map(|g| format!("stance.{g}")));
    cols
}

fn runs_schema(uncertainties: &[String], margins: &[String], groups: &[String]) -> Arc<Schema> {
    let mut fields = vec![
        Field::new("experiment", DataType::UInt64, false),
        Field::new("sample", DataType::UInt64, false),
        Field::new("replication", DataType::UInt32, false),
        Field::new("coa", DataType::Utf8, false),
        Field::new("seed", DataType::UInt64, false),
        Field::new("future", DataType::Utf8, true),
        Field::new("capital_fell_day", DataType::UInt32, true),
        Field::new("problems", DataType::UInt32, false),
    ];
    let floats = uncertainties.len() + 2 * Outcome::COUNT + margins.len();
    for name in run_columns(uncertainties, margins, groups)
        .into_iter()
        .skip(8)
        .take(floats)
    {
        fields.push(Field::new(name, DataType::Float64, true));
    }
    for g in groups {
        fields.push(Field::new(format!("stance.{g}"), DataType::Utf8, false));
    }
    Arc::new(Schema::new(fields))
}

pub(crate) fn series_schema() -> Arc<Schema> {
    let mut fields = vec![
        Field::new("experiment", DataType::UInt64, false),
        Field::new("coa", DataType::Utf8, false),
        Field::new("day", DataType::UInt32, false),
    ];
    fields.extend(
        Outcome::ALL
            .iter()
            .map(|o| Field::new(o.name(), DataType::Float64, false)),
    );
    Arc::new(Schema::new(fields))
}

fn timeseries_schema() -> Arc<Schema> {
    let mut fields = vec![
        Field::new("coa", DataType::Utf8, false),
        Field::new("day", DataType::UInt32, false),
        Field::new("outcome", DataType::Utf8, false),
    ];
    fields.extend(QUANTILES.iter().map(|q| {
        Field::new(
            format!("q{:02}", (q * 100.0).round() as u32),
            DataType::Float64,
            false,
        )
    }));
    fields.push(Field::new("mean", DataType::Float64, false));
    fields.push(Field::new("runs", DataType::UInt32, false));
    Arc::new(Schema::new(fields))
}

/// A shard's daily series of its runs in the fan charts' sample (the
/// manifest's `series_sample`): what `patronfall results merge` computes
/// the whole plan's `timeseries.parquet` from. The schema of
/// `series.parquet`. Only shards write it.
pub const SERIES_SAMPLE: &str = "series-sample.parquet";

/// Rows per Parquet row group of the runs table. Each row group's metadata
/// stays in memory until the file is closed, so one per 256-row chunk made
/// memory grow with the ensemble; 4,096 rows keep both the open row group
/// (a few MB) and the metadata small.
pub const RUNS_ROW_GROUP: usize = 4096;

/// Which files hold the runs table: `runs.csv`, `runs.parquet` or both
/// (`patronfall ensemble --runs-format`). Both hold the same values, and
/// every reader gives the same fields from either (`crate::read`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunsFormats {
    /// `runs.csv` only.
    Csv,
    /// `runs.parquet` only: about a sixth of the CSV's size for the
    /// built-in scenario (docs/results.md).
    Parquet,
    /// Both.
    #[default]
    Both,
}

impl RunsFormats {
    /// The name on the command line: `csv`, `parquet` or `both`.
    pub fn name(self) -> &'static str {
        match self {
            RunsFormats::Csv => "csv",
            RunsFormats::Parquet => "parquet",
            RunsFormats::Both => "both",
        }
    }

    /// Whether `runs.csv` is written.
    pub fn csv(self) -> bool {
        self != RunsFormats::Parquet
    }

    /// Whether `runs.parquet` is written.
    pub fn parquet(self) -> bool {
        self != RunsFormats::Csv
    }
}

/// The journal that keeps an unfinished `runs.parquet` recoverable when
/// no `runs.csv` is written (`patronfall recover`).
pub const RUNS_JOURNAL: &str = ".runs.parquet.journal";

/// Bytes a field of `runs.csv` takes on average, its comma included: the
/// built-in scenario's floats in shortest round-trip text average 16.6
/// characters, rounded up to 18 to cover the names and other scenarios.
pub const CSV_BYTES_PER_FIELD: u64 = 18;

/// The size `runs.csv` would have for `experiments` rows of `columns`
/// fields, estimated at [`CSV_BYTES_PER_FIELD`] a field.
pub fn estimated_csv_bytes(experiments: u64, columns: usize) -> u64 {
    experiments
        .saturating_mul(columns as u64)
        .saturating_mul(CSV_BYTES_PER_FIELD)
}

/// Snappy pages without dictionaries: nearly every column is a float whose
/// values hardly repeat within a row group except in the runs of adjacent
/// courses of action, which Snappy finds by itself; building dictionaries
/// for them cost more time than the rest of the Parquet writer.
pub(crate) fn props() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_dictionary_enabled(false)
        .set_max_row_group_row_count(Some(RUNS_ROW_GROUP))
        .set_created_by(format!("patronfall {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// An encoder's failure while writing the file `name` of `dir`.
fn encode<E: std::fmt::Display>(dir: &Path, name: &str) -> impl FnOnce(E) -> ResultsError + use<E> {
    ResultsError::encode(&dir.join(name))
}

/// Streams an ensemble's rows into a results directory.
pub struct ResultsWriter {
    dir: PathBuf,
    coas: Vec<String>,
    futures: Vec<String>,
    /// The figures written: each one's place in a row's values, and its column.
    figures: Vec<(usize, String)>,
    margin_names: Vec<String>,
    groups: Vec<String>,
    /// `runs.csv`, unless [`ResultsWriter::runs_formats`] left it out.
    csv: Option<csv::Writer<File>>,
    /// `runs.parquet`, unless [`ResultsWriter::runs_formats`] left it out.
    parquet: Option<ArrowWriter<File>>,
    /// The journal that keeps `runs.parquet`'s row groups recoverable when
    /// there is no `runs.csv`.
    journal: Option<crate::parquet_journal::Journal>,
    series: Option<ArrowWriter<File>>,
    /// `series-sample.parquet`, in a shard ([`ResultsWriter::series_sample`]).
    series_sample: Option<ArrowWriter<File>>,
    /// Samples per course of action in the fan charts' sample.
    series_limit: usize,
    schema: Arc<Schema>,
    accumulator: Accumulator,
    /// `indicators.csv` and the definitions for `indicators.json`, once
    /// [`ResultsWriter::indicators`] has opened them.
    indicators: Option<(csv::Writer<File>, Indicators)>,
    /// Futures reached per course of action so far.
    pub counts: FutureCounts,
}

impl ResultsWriter {
    /// Starts writing into `dir` (which must exist). Each row carries the
    /// values of the uncertain figures `figures` (their places in a run's
    /// values and their paths: the manifest's
    /// [`figure_columns`](Manifest::figure_columns)) and its conditions'
    /// margins, named by `margin_names` (the manifest's `conditions`, in
    /// order).
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        dir: &Path,
        coas: Vec<String>,
        futures: Vec<String>,
        groups: Vec<String>,
        figures: Vec<(usize, String)>,
        margin_names: Vec<String>,
        days: u32,
        series_sample: usize,
        keep_series: bool,
    ) -> Result<ResultsWriter, ResultsError> {
        let open = |name: &str| {
            File::create(temp_path(&dir.join(name)))
                .map_err(ResultsError::io("create", &dir.join(name)))
        };
        let names: Vec<String> = figures.iter().map(|(_, n)| n.clone()).collect();
        let mut csv = csv::Writer::from_writer(open("runs.csv")?);
        csv.write_record(run_columns(&names, &margin_names, &groups))
            .map_err(encode(dir, "runs.csv"))?;
        let schema = runs_schema(&names, &margin_names, &groups);
        let parquet = ArrowWriter::try_new(open("runs.parquet")?, schema.clone(), Some(props()))
            .map_err(encode(dir, "runs.parquet"))?;
        let series = if keep_series {
            Some(
                ArrowWriter::try_new(open("series.parquet")?, series_schema(), Some(props()))
                    .map_err(encode(dir, "series.parquet"))?,
            )
        } else {
            None
        };
        Ok(ResultsWriter {
            dir: dir.to_path_buf(),
            accumulator: Accumulator::new(coas.len(), days, series_sample),
            counts: FutureCounts::new(coas.len(), futures.len()),
            coas,
            futures,
            figures,
            margin_names,
            groups,
            csv: Some(csv),
            parquet: Some(parquet),
            journal: None,
            series,
            series_sample: None,
            series_limit: series_sample,
            schema,
            indicators: None,
        })
    }

    /// Writes the runs table in `formats` only (both files unless this is
    /// called, before the first row). Without `runs.csv`, a journal keeps
    /// `runs.parquet`'s finished row groups recoverable after a kill.
    pub fn runs_formats(&mut self, formats: RunsFormats) -> Result<(), ResultsError> {
        let remove = |name: &str| {
            let path = temp_path(&self.dir.join(name));
            std::fs::remove_file(&path).map_err(ResultsError::io("remove", &path))
        };
        if !formats.csv() && self.csv.take().is_some() {
            remove("runs.csv")?;
        }
        if !formats.parquet() && self.parquet.take().is_some() {
            remove("runs.parquet")?;
        }
        if self.csv.is_none() && self.parquet.is_some() && self.journal.is_none() {
            let path = crate::parquet_journal::journal_path(&self.dir);
            self.journal = Some(
                crate::parquet_journal::Journal::create(&self.dir)
                    .map_err(ResultsError::io("create", &path))?,
            );
        }
        Ok(())
    }

    /// Records the scenario's indicators too: `indicators.csv` streams one
    /// row per run beside `runs.csv`, and `indicators.json` is written at
    /// the end. `days` is the ensemble's run length (later days are not
    /// recorded). A scenario always has indicators (its own or the
    /// defaults); with none within `days`, nothing is written.
    pub fn indicators(&mut self, scenario: &Scenario, days: u32) -> Result<(), ResultsError> {
        let columns = patronfall_ensemble::indicators::columns(scenario, days);
        if columns.is_empty() {
            return Ok(());
        }
        let defs = Indicators::new(scenario, &columns);
        let path = self.dir.join(indicators::CSV);
        let file = File::create(temp_path(&path)).map_err(ResultsError::io("create", &path))?;
        let mut csv = csv::Writer::from_writer(file);
        let mut header = vec!["experiment".to_string()];
        header.extend(defs.column_names());
        csv.write_record(&header)
            .map_err(encode(&self.dir, indicators::CSV))?;
        self.indicators = Some((csv, defs));
        Ok(())
    }

    /// Writes the daily series of the runs in the fan charts' sample to
    /// [`SERIES_SAMPLE`] too, as a shard must: its own fan charts cover
    /// only its runs, and the merge needs the sample's series to compute
    /// the whole plan's.
    pub fn series_sample(&mut self) -> Result<(), ResultsError> {
        let path = self.dir.join(SERIES_SAMPLE);
        let file = File::create(temp_path(&path)).map_err(ResultsError::io("create", &path))?;
        self.series_sample = Some(
            ArrowWriter::try_new(file, series_schema(), Some(props()))
                .map_err(encode(&self.dir, SERIES_SAMPLE))?,
        );
        Ok(())
    }

    fn runs_batch(&self, rows: &[Row]) -> Result<RecordBatch, ResultsError> {
        let n = rows.len();
        let mut experiment = UInt64Builder::with_capacity(n);
        let mut sample = UInt64Builder::with_capacity(n);
        let mut replication = UInt32Builder::with_capacity(n);
        let mut coa = StringBuilder::new();
        let mut seed = UInt64Builder::with_capacity(n);
        let mut future = StringBuilder::new();
        let mut fell = UInt32Builder::with_capacity(n);
        let mut problems = UInt32Builder::with_capacity(n);
        let k = self.figures.len();
        let margins = self.margin_names.len();
        let mut floats: Vec<Float64Builder> = (0..k + 2 * Outcome::COUNT + margins)
            .map(|_| Float64Builder::with_capacity(n))
            .collect();
        let mut stances: Vec<StringBuilder> =
            self.groups.iter().map(|_| StringBuilder::new()).collect();
        for r in rows {
            experiment.append_value(r.experiment.index);
            sample.append_value(r.experiment.sample as u64);
            replication.append_value(r.experiment.replication as u32);
            coa.append_value(&self.coas[r.experiment.coa_slot]);
            seed.append_value(r.experiment.seed);
            future.append_option(r.future.map(|f| self.futures[f].as_str()));
            fell.append_option(r.capital_fell);
            problems.append_value(r.problems.len() as u32);
            for (j, &(i, _)) in self.figures.iter().enumerate() {
                floats[j].append_value(r.values[i]);
            }
            for (j, o) in Outcome::ALL.iter().enumerate() {
                floats[k + j].append_value(r.end.get(*o));
                floats[k + Outcome::COUNT + j].append_value(r.max.get(*o));
            }
            for (j, m) in r.margins.iter().enumerate() {
                floats[k + 2 * Outcome::COUNT + j].append_value(*m);
            }
            for (b, s) in stances.iter_mut().zip(&r.stances) {
                b.append_value(s.map_or("", |s| s.name()));
            }
        }
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(experiment.finish()),
            Arc::new(sample.finish()),
            Arc::new(replication.finish()),
            Arc::new(coa.finish()),
            Arc::new(seed.finish()),
            Arc::new(future.finish()),
            Arc::new(fell.finish()),
            Arc::new(problems.finish()),
        ];
        cols.extend(floats.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
        cols.extend(stances.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
        RecordBatch::try_new(self.schema.clone(), cols).map_err(encode(&self.dir, "runs.parquet"))
    }

    /// The daily series of the `rows` that carry one and pass `keep`, as
    /// a batch of `series.parquet`'s schema; `None` when none does.
    fn series_batch(
        &self,
        rows: &[Row],
        keep: impl Fn(&Row) -> bool,
        name: &str,
    ) -> Result<Option<RecordBatch>, ResultsError> {
        let mut experiment = UInt64Builder::new();
        let mut coa = StringBuilder::new();
        let mut day = UInt32Builder::new();
        let mut outs: Vec<Float64Builder> =
            (0..Outcome::COUNT).map(|_| Float64Builder::new()).collect();
        let mut any = false;
        for r in rows.iter().filter(|r| keep(r)) {
            let Some(series) = &r.series else { continue };
            for (d, values) in series.iter().enumerate() {
                any = true;
                experiment.append_value(r.experiment.index);
                coa.append_value(&self.coas[r.experiment.coa_slot]);
                day.append_value(d as u32);
                for (j, v) in values.0.iter().enumerate() {
                    outs[j].append_value(*v);
                }
            }
        }
        if !any {
            return Ok(None);
        }
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(experiment.finish()),
            Arc::new(coa.finish()),
            Arc::new(day.finish()),
        ];
        cols.extend(outs.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
        RecordBatch::try_new(series_schema(), cols)
            .map(Some)
            .map_err(encode(&self.dir, name))
    }

    /// Closes the files, renames them into place, writes the fan-chart table
    /// and finally the manifest.
    pub fn finish(mut self, mut manifest: Manifest) -> Result<Manifest, ResultsError> {
        let mut files = Vec::new();
        if let Some(mut csv) = self.csv.take() {
            csv.flush()
                .map_err(ResultsError::io("write", &self.dir.join("runs.csv")))?;
            files.push("runs.csv".to_string());
        }
        if let Some(parquet) = self.parquet.take() {
            parquet.close().map_err(encode(&self.dir, "runs.parquet"))?;
            files.push("runs.parquet".to_string());
        }
        let defs = match self.indicators.take() {
            Some((mut csv, defs)) => {
                csv.flush()
                    .map_err(ResultsError::io("write", &self.dir.join(indicators::CSV)))?;
                files.push(indicators::CSV.to_string());
                Some(defs)
            }
            None => None,
        };
        if let Some(series) = self.series.take() {
            series
                .close()
                .map_err(encode(&self.dir, "series.parquet"))?;
            files.push("series.parquet".into());
        }
        if let Some(sample) = self.series_sample.take() {
            sample.close().map_err(encode(&self.dir, SERIES_SAMPLE))?;
            files.push(SERIES_SAMPLE.into());
        }
        for name in &files {
            let path = self.dir.join(name);
            std::fs::rename(temp_path(&path), &path)
                .map_err(ResultsError::io("move into place", &path))?;
        }
        if self.journal.take().is_some() {
            let path = crate::parquet_journal::journal_path(&self.dir);
            std::fs::remove_file(&path).map_err(ResultsError::io("remove", &path))?;
        }
        if let Some(defs) = defs {
            let path = self.dir.join(indicators::JSON);
            let text = serde_json::to_string_pretty(&defs).map_err(ResultsError::encode(&path))?;
            crate::write_atomic(&path, format!("{text}\n").as_bytes())
                .map_err(ResultsError::io("write", &path))?;
            files.push(indicators::JSON.to_string());
        }
        write_timeseries(
            &self.dir.join("timeseries.parquet"),
            &self.coas,
            &self.accumulator.finish(),
        )?;
        files.push("timeseries.parquet".into());
        files.push("manifest.json".into());
        manifest.files = files;
        manifest.write(&self.dir)?;
        Ok(manifest)
    }
}

/// Writes a float as its shortest round-trip text (exactly Rust's `Display`,
/// see [`crate::float_text`]), or nothing for a value that is not finite,
/// into a buffer reused across fields.
fn write_float(csv: &mut csv::Writer<File>, buf: &mut Vec<u8>, v: f64) -> csv::Result<()> {
    buf.clear();
    if v.is_finite() {
        crate::float_text::push_display(buf, v);
    }
    csv.write_field(&buf[..])
}

impl Sink for ResultsWriter {
    type Error = ResultsError;

    fn accept(&mut self, rows: &[Row]) -> Result<(), ResultsError> {
        // Field by field into the CSV writer, with one reused text buffer: a
        // Vec of Strings per row cost more than the Parquet writer.
        let mut buf = Vec::new();
        let csv_failed = || encode(&self.dir, "runs.csv");
        for r in rows {
            let Some(csv) = self.csv.as_mut() else { break };
            let ids = [
                r.experiment.index.to_string(),
                r.experiment.sample.to_string(),
                r.experiment.replication.to_string(),
                self.coas[r.experiment.coa_slot].clone(),
                r.experiment.seed.to_string(),
                r.future.map_or(String::new(), |f| self.futures[f].clone()),
                r.capital_fell.map_or(String::new(), |d| d.to_string()),
                r.problems.len().to_string(),
            ];
            for field in &ids {
                csv.write_field(field).map_err(csv_failed())?;
            }
            for &(i, _) in &self.figures {
                write_float(csv, &mut buf, r.values[i]).map_err(csv_failed())?;
            }
            for o in Outcome::ALL {
                write_float(csv, &mut buf, r.end.get(o)).map_err(csv_failed())?;
            }
            for o in Outcome::ALL {
                write_float(csv, &mut buf, r.max.get(o)).map_err(csv_failed())?;
            }
            for m in &r.margins {
                write_float(csv, &mut buf, *m).map_err(csv_failed())?;
            }
            for s in &r.stances {
                csv.write_field(s.map_or("", |s| s.name()))
                    .map_err(csv_failed())?;
            }
            csv.write_record(None::<&[u8]>).map_err(csv_failed())?;
        }
        if let Some((csv, _)) = &mut self.indicators {
            let failed = || encode(&self.dir, indicators::CSV);
            for r in rows {
                csv.write_field(r.experiment.index.to_string())
                    .map_err(failed())?;
                for v in &r.indicators {
                    write_float(csv, &mut buf, *v).map_err(failed())?;
                }
                csv.write_record(None::<&[u8]>).map_err(failed())?;
            }
        }
        if self.parquet.is_some() {
            let batch = self.runs_batch(rows)?;
            let failed = || encode(&self.dir, "runs.parquet");
            if let Some(parquet) = self.parquet.as_mut() {
                // No flush: the writer closes a row group every
                // RUNS_ROW_GROUP rows, and the file only moves into place at
                // `finish`; the journal records each closed row group.
                parquet.write(&batch).map_err(failed())?;
                if let Some(journal) = self.journal.as_mut() {
                    journal
                        .record(parquet)
                        .map_err(encode(&self.dir, crate::write::RUNS_JOURNAL))?;
                }
            }
        }
        if self.series.is_some()
            && let Some(batch) = self.series_batch(rows, |_| true, "series.parquet")?
            && let Some(w) = self.series.as_mut()
        {
            let series_failed = || encode(&self.dir, "series.parquet");
            w.write(&batch).map_err(series_failed())?;
            w.flush().map_err(series_failed())?;
        }
        let limit = self.series_limit;
        if self.series_sample.is_some()
            && let Some(batch) =
                self.series_batch(rows, |r| r.experiment.sample < limit, SERIES_SAMPLE)?
            && let Some(w) = self.series_sample.as_mut()
        {
            w.write(&batch).map_err(encode(&self.dir, SERIES_SAMPLE))?;
        }
        self.accumulator.add(rows);
        for r in rows {
            self.counts.add(r.experiment.coa_slot, r.future);
        }
        Ok(())
    }
}

/// Writes the fan-chart table.
pub fn write_timeseries(path: &Path, coas: &[String], fans: &[Fan]) -> Result<(), ResultsError> {
    let mut coa = StringBuilder::new();
    let mut day = UInt32Builder::new();
    let mut outcome = StringBuilder::new();
    let mut qs: Vec<Float64Builder> = (0..QUANTILES.len())
        .map(|_| Float64Builder::new())
        .collect();
    let mut mean = Float64Builder::new();
    let mut runs = UInt32Builder::new();
    for f in fans {
        coa.append_value(&coas[f.coa_slot]);
        day.append_value(f.day);
        outcome.append_value(f.outcome.name());
        for (b, q) in qs.iter_mut().zip(f.quantiles) {
            b.append_value(q);
        }
        mean.append_value(f.mean);
        runs.append_value(f.runs as u32);
    }
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(coa.finish()),
        Arc::new(day.finish()),
        Arc::new(outcome.finish()),
    ];
    cols.extend(qs.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    cols.push(Arc::new(mean.finish()));
    cols.push(Arc::new(runs.finish()));
    let batch =
        RecordBatch::try_new(timeseries_schema(), cols).map_err(ResultsError::encode(path))?;
    let tmp = temp_path(path);
    let file = File::create(&tmp).map_err(ResultsError::io("create", path))?;
    let mut w = ArrowWriter::try_new(file, timeseries_schema(), Some(props()))
        .map_err(ResultsError::encode(path))?;
    w.write(&batch).map_err(ResultsError::encode(path))?;
    w.close().map_err(ResultsError::encode(path))?;
    std::fs::rename(&tmp, path).map_err(ResultsError::io("move into place", path))
}
