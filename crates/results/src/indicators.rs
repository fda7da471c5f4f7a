//! The indicators of an ensemble: `indicators.json` (what each indicator
//! observes, on which days, with which measurement error) and
//! `indicators.csv` (one row per run, in the order of `runs.csv`: the
//! experiment, then the true value of every indicator on every observation
//! day, in a column `<indicator id>@<day>`).
//!
//! The definitions are copied from the scenario when the ensemble starts,
//! as the manifest copies the uncertain figures, so that `signposts` and
//! `update` read the measurement error the values were recorded under.

use crate::error::ResultsError;
use patronfall_ensemble::indicators::Column;
use patronfall_scenario::Scenario;
use patronfall_scenario::indicators::Indicator;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file of the definitions.
pub const JSON: &str = "indicators.json";
/// The file of the values.
pub const CSV: &str = "indicators.csv";

/// One indicator as the ensemble recorded it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorEntry {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The figure observed (an outcome's name, `fighters`, `stance`, `lever`).
    pub observe: String,
    /// The one entity it is narrowed to, if any.
    pub of: Option<String>,
    /// Observation days recorded (those within the ensemble's days).
    pub days: Vec<u32>,
    /// Days covered by one observation.
    pub window_days: u32,
    /// How the window is reduced.
    pub reduce: String,
    /// Standard deviation of the error as a share of the value.
    pub relative_error: f64,
    /// Standard deviation of the error in the figure's unit.
    pub absolute_error: f64,
    /// Probability each counted person or event is seen.
    pub detection: f64,
    /// Days between a figure and its report.
    pub delay_days: u32,
    /// Whether the figure counts people or events.
    pub count: bool,
    /// Why this indicator.
    pub note: String,
    /// Source keys.
    pub sources: Vec<String>,
}

impl IndicatorEntry {
    fn new(i: &Indicator, days: Vec<u32>) -> Self {
        IndicatorEntry {
            id: i.id.clone(),
            name: i.name.clone(),
            description: i.description.clone(),
            observe: i.observe.clone(),
            of: i.of.clone(),
            days,
            window_days: i.window_days,
            reduce: i.reduce.name().to_string(),
            relative_error: i.error.relative,
            absolute_error: i.error.absolute,
            detection: i.error.detection,
            delay_days: i.error.delay_days,
            count: i.measure.is_count(),
            note: i.note.clone(),
            sources: i.sources.clone(),
        }
    }

    /// The measurement error the analyses apply.
    pub fn error(&self) -> patronfall_analysis::signposts::MeasurementError {
        patronfall_analysis::signposts::MeasurementError {
            relative: self.relative_error,
            absolute: self.absolute_error,
            detection: self.detection,
            count: self.count,
        }
    }
}

/// `indicators.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicators {
    /// The indicators, in the scenario's order.
    pub indicators: Vec<IndicatorEntry>,
}

impl Indicators {
    /// The definitions of the columns an ensemble records.
    pub fn new(scenario: &Scenario, columns: &[Column]) -> Self {
        let indicators = scenario
            .indicators
            .iter()
            .enumerate()
            .filter_map(|(i, ind)| {
                let days: Vec<u32> = columns
                    .iter()
                    .filter(|c| c.indicator == i)
                    .map(|c| c.day)
                    .collect();
                (!days.is_empty()).then(|| IndicatorEntry::new(ind, days))
            })
            .collect();
        Indicators { indicators }
    }

    /// The column names, in file order after `experiment`.
    pub fn column_names(&self) -> Vec<String> {
        self.indicators
            .iter()
            .flat_map(|i| i.days.iter().map(move |d| format!("{}@{d}", i.id)))
            .collect()
    }

    /// The indicator with this id.
    pub fn find(&self, id: &str) -> Option<&IndicatorEntry> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// An ensemble's indicator values: one column per indicator and day.
#[derive(Clone, Debug)]
pub struct IndicatorTable {
    /// The definitions.
    pub definitions: Indicators,
    /// (indicator index, day) of every column.
    pub columns: Vec<(usize, u32)>,
    /// Each column's values, one per run in the order of `runs.csv` (NaN
    /// where the run stopped before the window).
    pub values: Vec<Vec<f64>>,
}

impl IndicatorTable {
    /// The column of an indicator on a day.
    pub fn column(&self, indicator: usize, day: u32) -> Option<usize> {
        self.columns.iter().position(|c| *c == (indicator, day))
    }
}

/// Reads `indicators.json` and `indicators.csv` of `dir`, and checks that
/// the rows are the runs of `runs.csv` (`experiments`, in its order).
pub fn read(dir: &Path, experiments: &[u64]) -> Result<IndicatorTable, ResultsError> {
    let json = dir.join(JSON);
    let text = std::fs::read_to_string(&json).map_err(|e| {
        ResultsError::input(
            &json,
            None,
            format!(
                "cannot read it: {e}; it is written by `patronfall ensemble` from the scenario's [[indicator]] entries: run the ensemble again with this version"
            ),
        )
    })?;
    let definitions: Indicators = serde_json::from_str(&text)
        .map_err(|e| ResultsError::input(&json, Some(e.line() as u64), e.to_string()))?;
    let path = dir.join(CSV);
    let mut r = csv::Reader::from_path(&path)
        .map_err(|e| ResultsError::input(&path, None, format!("cannot read it: {e}")))?;
    let header = r
        .headers()
        .map_err(|e| ResultsError::input(&path, Some(1), e.to_string()))?
        .clone();
    let want = definitions.column_names();
    let got: Vec<&str> = header.iter().skip(1).collect();
    if header.get(0) != Some("experiment") || got != want {
        return Err(ResultsError::input(
            &path,
            Some(1),
            format!(
                "the columns are not those {JSON} defines (experiment, {}); the two files come from different ensembles: run the ensemble again",
                want.join(", ")
            ),
        ));
    }
    let columns: Vec<(usize, u32)> = definitions
        .indicators
        .iter()
        .enumerate()
        .flat_map(|(i, ind)| ind.days.iter().map(move |d| (i, *d)))
        .collect();
    let mut values = vec![Vec::with_capacity(experiments.len()); columns.len()];
    let mut rec = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        let more = r
            .read_record(&mut rec)
            .map_err(|e| ResultsError::input(&path, Some(n as u64 + 2), e.to_string()))?;
        if !more {
            break;
        }
        let line = Some(n as u64 + 2);
        let experiment: Option<u64> = rec.get(0).and_then(|x| x.parse().ok());
        if experiments.get(n).copied() != experiment || experiment.is_none() {
            return Err(ResultsError::input(
                &path,
                line,
                format!(
                    "row {} is experiment {}, but runs.csv has {} there: the files come from different ensembles",
                    n + 1,
                    rec.get(0).unwrap_or(""),
                    experiments
                        .get(n)
                        .map_or("no row".to_string(), |e| e.to_string())
                ),
            ));
        }
        for (c, v) in values.iter_mut().enumerate() {
            let field = rec.get(c + 1).unwrap_or("");
            v.push(if field.is_empty() {
                f64::NAN
            } else {
                field.parse().map_err(|_| {
                    ResultsError::input(
                        &path,
                        line,
                        format!("`{}` is `{field}`, expected a number", want[c]),
                    )
                })?
            });
        }
        n += 1;
    }
    if n != experiments.len() {
        return Err(ResultsError::input(
            &path,
            None,
            format!(
                "{n} rows, but runs.csv has {}: the files come from different ensembles",
                experiments.len()
            ),
        ));
    }
    Ok(IndicatorTable {
        definitions,
        columns,
        values,
    })
}
