//! A results directory opened for analysis: the manifest, the runs table and
//! the lookups every analysis needs (rows of a course of action, rows paired
//! by scenario sample and replication, a numeric column, a future's flags).
//!
//! Pairing uses the `sample` and `replication` columns: under common random
//! numbers the rows of two courses of action with the same pair saw the same
//! sampled values and the same seed (see `crates/ensemble/src/plan.rs`).

use crate::failure::Failure;
use crate::output::errln;
use patronfall_results::Manifest;
use patronfall_results::read::{self, RunsTable};
use std::path::{Path, PathBuf};

use patronfall_results::write::ID_COLUMNS;

/// An opened results directory.
pub struct Results {
    /// The directory.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Its runs table.
    pub table: RunsTable,
    /// Scenario sample of every row.
    pub sample: Vec<usize>,
    /// Replication of every row.
    pub replication: Vec<usize>,
}

/// What an analysis measures on each run: a scalar column or whether the run
/// reached a future (1) or not (0).
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// A numeric column of `runs.csv` (an outcome's last-day value, `max_…`, …).
    Column(String),
    /// The indicator of reaching this future.
    Future(String),
}

impl Output {
    /// The label used in tables and JSON: the column name, or `future:<name>`.
    pub fn label(&self) -> String {
        match self {
            Output::Column(c) => c.clone(),
            Output::Future(f) => format!("future:{f}"),
        }
    }
}

/// Opens `dir`: reads and checks the manifest and `runs.csv`.
pub fn open(dir: &Path) -> Result<Results, Failure> {
    let manifest = read::manifest(dir).map_err(Failure::bad_input)?;
    let table = read::runs(dir).map_err(Failure::bad_input)?;
    let csv = dir.join("runs.csv");
    for name in ["sample", "replication", "coa", "future"] {
        if table.column(name).is_none() {
            return Err(Failure::bad_input(format!(
                "{}: line 1: no `{name}` column; is this a runs table written by `patronfall ensemble`?",
                csv.display()
            )));
        }
    }
    let parse = |name: &str| -> Result<Vec<usize>, Failure> {
        let i = table.column(name).unwrap_or_default();
        table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row[i].parse().map_err(|_| {
                    Failure::bad_input(format!(
                        "{}: line {}: `{name}` is `{}`, expected a whole number",
                        csv.display(),
                        r + 2,
                        row[i]
                    ))
                })
            })
            .collect()
    };
    let sample = parse("sample")?;
    let replication = parse("replication")?;
    let coa = table.column("coa").unwrap_or_default();
    for (r, row) in table.rows.iter().enumerate() {
        if !manifest.coas.contains(&row[coa]) {
            return Err(Failure::bad_input(format!(
                "{}: line {}: course of action `{}` is not in the manifest ({})",
                csv.display(),
                r + 2,
                row[coa],
                manifest.coas.join(", ")
            )));
        }
    }
    if !manifest.complete {
        errln!(
            "note: {} is incomplete ({} of {} experiments finished); analysing the finished rows",
            dir.display(),
            manifest.experiments_done,
            manifest.experiments_planned
        );
    }
    Ok(Results {
        dir: dir.to_path_buf(),
        manifest,
        table,
        sample,
        replication,
    })
}

impl Results {
    /// Checks a course of action's name, or returns the first when `None`.
    pub fn coa_or_first(&self, name: Option<&str>, flag: &str) -> Result<String, Failure> {
        match name {
            None => self
                .manifest
                .coas
                .first()
                .cloned()
                .ok_or_else(|| Failure::bad_input("the manifest lists no course of action")),
            Some(n) if self.manifest.coas.iter().any(|c| c == n) => Ok(n.to_string()),
            Some(n) => Err(Failure::bad_input(format!(
                "{flag}: `{n}` is not a course of action of these results; they have: {}",
                self.manifest.coas.join(", ")
            ))),
        }
    }

    /// Checks a future's name.
    pub fn check_future(&self, name: &str) -> Result<(), Failure> {
        if self.manifest.futures.iter().any(|f| f == name) {
            Ok(())
        } else {
            Err(Failure::bad_input(format!(
                "--future: `{name}` is not a future of these results; they have: {}",
                self.manifest.futures.join(", ")
            )))
        }
    }

    /// Course of action of every row.
    pub fn coas(&self) -> Vec<&str> {
        self.table.strings("coa").unwrap_or_default()
    }

    /// Indices of the rows of one course of action, in file order.
    pub fn rows_of(&self, coa: &str) -> Vec<usize> {
        self.coas()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == coa)
            .map(|(i, _)| i)
            .collect()
    }

    /// The row of one course of action for every (sample, replication):
    /// `grid[sample][replication]`, `None` where the run did not finish.
    pub fn grid(&self, coa: &str) -> Vec<Vec<Option<usize>>> {
        let samples = self
            .manifest
            .samples
            .max(self.sample.iter().max().map_or(0, |m| m + 1));
        let reps = self
            .manifest
            .replications
            .max(self.replication.iter().max().map_or(0, |m| m + 1));
        let mut grid = vec![vec![None; reps]; samples];
        for r in self.rows_of(coa) {
            grid[self.sample[r]][self.replication[r]] = Some(r);
        }
        grid
    }

    /// Whether every row reached `future`.
    pub fn future_flags(&self, future: &str) -> Vec<bool> {
        self.table
            .strings("future")
            .unwrap_or_default()
            .iter()
            .map(|f| *f == future)
            .collect()
    }

    /// Names of the numeric measured columns (outcomes), in file order:
    /// neither an id column nor an uncertainty, and numeric in every row.
    pub fn outcome_names(&self) -> Vec<String> {
        let uncertain: Vec<&str> = self
            .manifest
            .uncertainties
            .iter()
            .map(|u| u.path.as_str())
            .collect();
        self.table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !ID_COLUMNS.contains(&c.as_str()) && !uncertain.contains(&c.as_str()))
            .filter(|(i, _)| {
                self.table
                    .rows
                    .iter()
                    .all(|r| r[*i].is_empty() || r[*i].parse::<f64>().is_ok())
            })
            .map(|(_, c)| c.clone())
            .collect()
    }

    /// A numeric column; every value must be a finite number.
    pub fn numeric(&self, name: &str) -> Result<Vec<f64>, Failure> {
        let csv = self.dir.join("runs.csv");
        let Some(i) = self.table.column(name) else {
            return Err(Failure::bad_input(format!(
                "--outcome: {} has no column `{name}`; numeric outcomes are: {}",
                csv.display(),
                self.outcome_names().join(", ")
            )));
        };
        self.table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| match row[i].parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(Failure::bad_input(format!(
                    "{}: line {}: `{name}` is `{}`, expected a finite number",
                    csv.display(),
                    r + 2,
                    row[i]
                ))),
            })
            .collect()
    }

    /// The values of an output on every row.
    pub fn output(&self, output: &Output) -> Result<Vec<f64>, Failure> {
        match output {
            Output::Column(c) => self.numeric(c),
            Output::Future(f) => {
                self.check_future(f)?;
                Ok(self
                    .future_flags(f)
                    .into_iter()
                    .map(|b| if b { 1.0 } else { 0.0 })
                    .collect())
            }
        }
    }

    /// Per scenario sample, the mean of `values` over the replications of
    /// one course of action; `None` for a sample with no finished run.
    pub fn sample_means(&self, coa: &str, values: &[f64]) -> Vec<Option<f64>> {
        self.grid(coa)
            .iter()
            .map(|reps| {
                let done: Vec<f64> = reps.iter().flatten().map(|&r| values[r]).collect();
                (!done.is_empty()).then(|| done.iter().sum::<f64>() / done.len() as f64)
            })
            .collect()
    }

    /// Paths of the uncertainties the plan varied, in manifest order.
    pub fn varied(&self) -> Vec<String> {
        self.manifest
            .uncertainties
            .iter()
            .filter(|u| u.varied)
            .map(|u| u.path.clone())
            .collect()
    }
}

/// The outputs named by `--outcome` and `--future`; all futures when both are empty.
pub fn outputs(results: &Results, outcomes: &[String], futures: &[String]) -> Vec<Output> {
    let mut out: Vec<Output> = outcomes.iter().cloned().map(Output::Column).collect();
    out.extend(futures.iter().cloned().map(Output::Future));
    if out.is_empty() {
        out = results
            .manifest
            .futures
            .iter()
            .cloned()
            .map(Output::Future)
            .collect();
    }
    out
}
