//! A results directory opened for analysis: the manifest, the runs table and
//! the lookups every analysis needs (rows of a course of action, rows paired
//! by scenario sample and replication, a numeric column, a future's flags).
//!
//! Pairing uses the `sample` and `replication` columns: under common random
//! numbers the rows of two courses of action with the same pair saw the same
//! sampled values and the same seed (see `crates/ensemble/src/plan.rs`).

use crate::Manifest;
use crate::error::ResultsError;
use crate::read::{self, RunsTable};
use crate::write::ID_COLUMNS;
use std::path::{Path, PathBuf};

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
    /// Course of action of every row (its position in the manifest's list).
    pub coa: Vec<usize>,
    /// Future reached by every row (its position in the manifest's list), if any.
    pub future: Vec<Option<usize>>,
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

/// Opens `dir`: reads and checks the manifest and `runs.csv`. An
/// incomplete directory opens too (its manifest says so): analyses use the
/// finished rows. A shard does not ([`read::whole_manifest`]).
pub fn open(dir: &Path) -> Result<Results, ResultsError> {
    let manifest = read::whole_manifest(dir)?;
    let table = read::runs(dir)?;
    Results::from_table(dir, manifest, table)
}

impl Results {
    /// Checks a runs table read from `dir` (all of it, or the columns
    /// `sample`, `replication`, `coa` and `future` at least) against its
    /// manifest: every id a whole number, every course of action and future
    /// one the manifest lists.
    pub fn from_table(
        dir: &Path,
        manifest: Manifest,
        table: RunsTable,
    ) -> Result<Results, ResultsError> {
        let csv = crate::read::RunsFile::of(dir);
        let column = |name: &str| {
            table.column(name).ok_or_else(|| {
                csv.header(format!(
                    "no `{name}` column; is this a runs table written by `patronfall ensemble`?"
                ))
            })
        };
        let whole = |name: &str| -> Result<Vec<usize>, ResultsError> {
            let i = column(name)?;
            table
                .rows
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    row[i].parse().map_err(|_| {
                        csv.row(
                            r,
                            format!("`{name}` is `{}`, expected a whole number", row[i]),
                        )
                    })
                })
                .collect()
        };
        let sample = whole("sample")?;
        let replication = whole("replication")?;
        let (c, f) = (column("coa")?, column("future")?);
        let mut coa = Vec::with_capacity(table.rows.len());
        let mut future = Vec::with_capacity(table.rows.len());
        for (r, row) in table.rows.iter().enumerate() {
            coa.push(
                manifest
                    .coas
                    .iter()
                    .position(|x| *x == row[c])
                    .ok_or_else(|| {
                        csv.row(
                            r,
                            format!(
                                "course of action `{}` is not in the manifest ({})",
                                row[c],
                                manifest.coas.join(", ")
                            ),
                        )
                    })?,
            );
            future.push(if row[f].is_empty() {
                None
            } else {
                Some(
                    manifest
                        .futures
                        .iter()
                        .position(|x| *x == row[f])
                        .ok_or_else(|| {
                            csv.row(
                                r,
                                format!(
                                    "future `{}` is not in the manifest ({})",
                                    row[f],
                                    manifest.futures.join(", ")
                                ),
                            )
                        })?,
                )
            });
        }
        Ok(Results {
            dir: dir.to_path_buf(),
            manifest,
            table,
            sample,
            replication,
            coa,
            future,
        })
    }

    /// Checks a course of action's name, or returns the first when `None`;
    /// `choice` names the argument it came from.
    pub fn coa_or_first(
        &self,
        name: Option<&str>,
        choice: &'static str,
    ) -> Result<String, ResultsError> {
        match name {
            None => self.manifest.coas.first().cloned().ok_or_else(|| {
                ResultsError::input(
                    &self.dir.join("manifest.json"),
                    None,
                    "the manifest lists no course of action",
                )
            }),
            Some(n) if self.manifest.coas.iter().any(|c| c == n) => Ok(n.to_string()),
            Some(n) => Err(ResultsError::request(
                Some(choice),
                format!(
                    "`{n}` is not a course of action of these results; they have: {}",
                    self.manifest.coas.join(", ")
                ),
            )),
        }
    }

    /// Checks a future's name.
    pub fn check_future(&self, name: &str) -> Result<(), ResultsError> {
        if self.manifest.futures.iter().any(|f| f == name) {
            Ok(())
        } else {
            Err(ResultsError::request(
                Some("future"),
                format!(
                    "`{name}` is not a future of these results; they have: {}",
                    self.manifest.futures.join(", ")
                ),
            ))
        }
    }

    /// Indices of the rows of one course of action, in file order.
    pub fn rows_of(&self, coa: &str) -> Vec<usize> {
        let Some(slot) = self.manifest.coas.iter().position(|c| c == coa) else {
            return Vec::new();
        };
        (0..self.coa.len())
            .filter(|&r| self.coa[r] == slot)
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
        let index = self.manifest.futures.iter().position(|f| f == future);
        self.future
            .iter()
            .map(|f| f.is_some() && *f == index)
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
    pub fn numeric(&self, name: &str) -> Result<Vec<f64>, ResultsError> {
        // Found only for a message: it reads the manifest.
        let csv = || crate::read::RunsFile::of(&self.dir);
        let Some(i) = self.table.column(name) else {
            return Err(ResultsError::request(
                Some("outcome"),
                format!(
                    "{} has no column `{name}`; numeric outcomes are: {}",
                    csv().path.display(),
                    self.outcome_names().join(", ")
                ),
            ));
        };
        self.table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| match row[i].parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(csv().row(
                    r,
                    format!("`{name}` is `{}`, expected a finite number", row[i]),
                )),
            })
            .collect()
    }

    /// The values of an output on every row.
    pub fn output(&self, output: &Output) -> Result<Vec<f64>, ResultsError> {
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

    /// What figures rest on, from the manifest: their source keys (all of
    /// them, in first-seen order) and their basis together (`sourced`,
    /// `mixed`, `assumption` or `unsourced` when they share it, `mixed`
    /// when they differ; empty for no figure or a manifest that does not
    /// record it).
    pub fn trace(&self, figures: &[String]) -> (Vec<String>, String) {
        let mut sources: Vec<String> = Vec::new();
        let mut basis: Option<&str> = None;
        for f in figures {
            let Some(u) = self.manifest.uncertainties.iter().find(|u| &u.path == f) else {
                continue;
            };
            for k in &u.sources {
                if !sources.contains(k) {
                    sources.push(k.clone());
                }
            }
            basis = Some(match basis {
                None => u.basis.as_str(),
                Some(b) if b == u.basis => b,
                Some(_) => "mixed",
            });
        }
        (sources, basis.unwrap_or_default().to_string())
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
