//! Global sensitivity of an output to the varied uncertainties.
//!
//! * Sampler `saltelli`: Sobol first-order and total indices (Saltelli et al.
//!   2010, Table 2 (b) and (f); Jansen 1999) with seeded bootstrap intervals.
//!   The plan stacks its samples as A, B, A_B^(1) … A_B^(k) with N base rows
//!   each (`SaltelliDesign::stacked`); the rows are checked against that
//!   layout before any index is computed.
//! * Sampler `morris`: Morris (1991) elementary effects μ, μ*, σ. The plan's
//!   trajectories are regenerated from the manifest (r = runs, k varied
//!   uncertainties, the plan's levels, the master seed) and every move is
//!   checked against the sampled values in `runs.csv`.
//!
//! Per course of action the output of a sample is the mean over its
//! replications; an output is a scalar column or the indicator of a future.

use super::{Analysis, Output, Results, finite};
use crate::error::ResultsError;
use patronfall_analysis::design::{MorrisDesign, morris};
use patronfall_analysis::futures::CONFIDENCE;
use patronfall_analysis::sensitivity::{SobolOptions, morris_effects, sobol_indices};
use patronfall_ensemble::plan::MORRIS_LEVELS;
use serde::{Deserialize, Serialize};

/// One uncertainty's Sobol indices for one output and course of action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SobolIndex {
    /// The course of action whose runs were analysed.
    pub coa: String,
    /// The output: a column of `runs.csv`, or `future:<name>`.
    pub outcome: String,
    /// The uncertainty's path.
    pub path: String,
    /// First-order index S1; `null` where it cannot be estimated.
    pub first: Option<f64>,
    /// Lower end of S1's bootstrap interval.
    pub first_low: Option<f64>,
    /// Upper end of S1's bootstrap interval.
    pub first_high: Option<f64>,
    /// Total index ST.
    pub total: Option<f64>,
    /// Lower end of ST's bootstrap interval.
    pub total_low: Option<f64>,
    /// Upper end of ST's bootstrap interval.
    pub total_high: Option<f64>,
}

/// One uncertainty's Morris measures for one output and course of action,
/// per unit of the [0, 1] design scale (outcome units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MorrisEffect {
    /// The course of action whose runs were analysed.
    pub coa: String,
    /// The output: a column of `runs.csv`, or `future:<name>`.
    pub outcome: String,
    /// The uncertainty's path.
    pub path: String,
    /// Mean elementary effect μ.
    pub mu: Option<f64>,
    /// Mean absolute elementary effect μ*.
    pub mu_star: Option<f64>,
    /// Standard deviation of the elementary effects σ.
    pub sigma: Option<f64>,
}

/// `analysis/sensitivity.json`: the method follows the ensemble's sampler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Sensitivity {
    /// Sobol indices (sampler `saltelli`).
    Sobol {
        /// Two-sided confidence level of the bootstrap intervals.
        confidence: f64,
        /// Per output, course of action and uncertainty.
        indices: Vec<SobolIndex>,
    },
    /// Morris elementary effects (sampler `morris`).
    Morris {
        /// Per output, course of action and uncertainty.
        indices: Vec<MorrisEffect>,
    },
}

impl Analysis for Sensitivity {
    const NAME: &'static str = "sensitivity";
}

/// How to compute the Sobol intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bootstrap {
    /// Resamples.
    pub resamples: usize,
    /// Seed of the resampling.
    pub seed: u64,
}

/// Computes the analysis for `coas` and `outputs` (checked by the caller
/// with [`Results::coa_or_first`] and [`Results::output`]). Returns it
/// with notes for the reader: outputs for which no index could be
/// estimated, and why.
pub fn analyse(
    results: &Results,
    coas: &[String],
    outputs: &[Output],
    bootstrap: Bootstrap,
) -> Result<(Sensitivity, Vec<String>), ResultsError> {
    let paths = results.varied();
    if paths.is_empty() {
        return Err(ResultsError::request(
            None,
            "these results varied no uncertainty; there is nothing to be sensitive to",
        ));
    }
    match results.manifest.sampler.as_str() {
        "saltelli" => {
            check_saltelli(results, &paths)?;
            let options = SobolOptions {
                resamples: bootstrap.resamples,
                confidence: CONFIDENCE,
                seed: bootstrap.seed,
            };
            let (indices, notes) = sobol(results, &paths, coas, outputs, &options)?;
            Ok((
                Sensitivity::Sobol {
                    confidence: CONFIDENCE,
                    indices,
                },
                notes,
            ))
        }
        "morris" => {
            let design = morris_design(results, &paths)?;
            let indices = morris_rows(results, &design, &paths, coas, outputs)?;
            Ok((Sensitivity::Morris { indices }, Vec::new()))
        }
        other => Err(ResultsError::input(
            &results.dir.join("manifest.json"),
            None,
            format!(
                "sampler `{other}` cannot give sensitivity indices; rerun the ensemble with \
                 `--sampler saltelli` (Sobol indices) or `--sampler morris` (elementary effects)"
            ),
        )),
    }
}

/// The varied values of every sample as written (exact text), from the first
/// row of each sample.
fn sample_values(results: &Results, paths: &[String]) -> Result<Vec<Vec<String>>, ResultsError> {
    let csv = results.dir.join("runs.csv");
    let cols: Vec<usize> = paths
        .iter()
        .map(|p| {
            results.table.column(p).ok_or_else(|| {
                ResultsError::input(
                    &csv,
                    Some(1),
                    format!("no column for the varied uncertainty `{p}`"),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let mut values: Vec<Option<Vec<String>>> = vec![None; results.manifest.samples];
    for (r, row) in results.table.rows.iter().enumerate() {
        let s = results.sample[r];
        if s < values.len() && values[s].is_none() {
            values[s] = Some(cols.iter().map(|&c| row[c].clone()).collect());
        }
    }
    let missing = values.iter().filter(|v| v.is_none()).count();
    if missing > 0 {
        return Err(ResultsError::input(
            &results.dir,
            None,
            format!(
                "{missing} of {} scenario samples have no finished run; sensitivity needs the \
                 whole design (rerun the ensemble to completion)",
                results.manifest.samples
            ),
        ));
    }
    Ok(values.into_iter().flatten().collect())
}

/// Checks that the samples follow the stacked Saltelli layout.
fn check_saltelli(results: &Results, paths: &[String]) -> Result<(), ResultsError> {
    let k = paths.len();
    let n = results.manifest.runs;
    if results.manifest.samples != n * (k + 2) {
        return Err(ResultsError::input(
            &results.dir.join("manifest.json"),
            None,
            format!(
                "{} samples, but a Saltelli plan with N = {n} and k = {k} varied uncertainties has {}",
                results.manifest.samples,
                n * (k + 2)
            ),
        ));
    }
    let v = sample_values(results, paths)?;
    for i in 0..k {
        for j in 0..n {
            let ab = &v[(2 + i) * n + j];
            for (c, value) in ab.iter().enumerate() {
                let expected = if c == i { &v[n + j][c] } else { &v[j][c] };
                if value != expected {
                    return Err(ResultsError::Design {
                        file: results.dir.join("runs.csv"),
                        message: format!(
                            "sample {} does not follow the Saltelli layout (A_B^({}) row {j}, `{}`)",
                            (2 + i) * n + j,
                            i + 1,
                            paths[c]
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Per-sample means of an output for one course of action; every sample must be present.
fn per_sample(results: &Results, coa: &str, values: &[f64]) -> Result<Vec<f64>, ResultsError> {
    results
        .sample_means(coa, values)
        .into_iter()
        .enumerate()
        .map(|(s, v)| {
            v.ok_or_else(|| {
                ResultsError::input(
                    &results.dir,
                    None,
                    format!(
                        "sample {s} has no finished run of `{coa}`; sensitivity needs the whole design"
                    ),
                )
            })
        })
        .collect()
}

fn sobol(
    results: &Results,
    paths: &[String],
    coas: &[String],
    outputs: &[Output],
    options: &SobolOptions,
) -> Result<(Vec<SobolIndex>, Vec<String>), ResultsError> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for output in outputs {
        let values = results.output(output)?;
        for coa in coas {
            let y = per_sample(results, coa, &values)?;
            match sobol_indices(paths.len(), &y, options) {
                Ok(s) => {
                    for (i, path) in paths.iter().enumerate() {
                        let fi = s.first_interval.get(i).copied();
                        let ti = s.total_interval.get(i).copied();
                        rows.push(SobolIndex {
                            coa: coa.clone(),
                            outcome: output.label(),
                            path: path.clone(),
                            first: finite(s.first[i]),
                            first_low: fi.and_then(|x| finite(x.0)),
                            first_high: fi.and_then(|x| finite(x.1)),
                            total: finite(s.total[i]),
                            total_low: ti.and_then(|x| finite(x.0)),
                            total_high: ti.and_then(|x| finite(x.1)),
                        });
                    }
                }
                Err(e) => notes.push(format!(
                    "no Sobol indices for `{}` under `{coa}`: {e}",
                    output.label()
                )),
            }
        }
    }
    Ok((rows, notes))
}

/// Regenerates the plan's Morris design and checks it against the samples.
fn morris_design(results: &Results, paths: &[String]) -> Result<MorrisDesign, ResultsError> {
    let m = &results.manifest;
    let k = paths.len();
    let manifest = results.dir.join("manifest.json");
    let design = morris(m.runs, k, MORRIS_LEVELS, m.seed).map_err(|e| {
        ResultsError::input(
            &manifest,
            None,
            format!("cannot rebuild the Morris design: {e}"),
        )
    })?;
    if design.runs() != m.samples {
        return Err(ResultsError::input(
            &manifest,
            None,
            format!(
                "{} samples, but a Morris plan with r = {} and k = {k} has {}",
                m.samples,
                m.runs,
                design.runs()
            ),
        ));
    }
    let v = sample_values(results, paths)?;
    for t in 0..design.trajectories {
        for step in 0..k {
            let mv = design.moves[t * k + step];
            let row = t * (k + 1) + step;
            for c in 0..k {
                let (before, after) = (&v[row][c], &v[row + 1][c]);
                if before == after {
                    continue;
                }
                let rising = after.parse::<f64>().unwrap_or(f64::NAN)
                    > before.parse::<f64>().unwrap_or(f64::NAN);
                if c != mv.factor || rising != (mv.step > 0.0) {
                    return Err(ResultsError::Design {
                        file: results.dir.join("runs.csv"),
                        message: format!(
                            "samples {row}→{} do not follow the Morris design (`{}` changed)",
                            row + 1,
                            paths[c]
                        ),
                    });
                }
            }
        }
    }
    Ok(design)
}

fn morris_rows(
    results: &Results,
    design: &MorrisDesign,
    paths: &[String],
    coas: &[String],
    outputs: &[Output],
) -> Result<Vec<MorrisEffect>, ResultsError> {
    let mut rows = Vec::new();
    for output in outputs {
        let values = results.output(output)?;
        for coa in coas {
            let y = per_sample(results, coa, &values)?;
            let e = morris_effects(design, &y).map_err(ResultsError::analysis("Morris effects"))?;
            for (i, path) in paths.iter().enumerate() {
                rows.push(MorrisEffect {
                    coa: coa.clone(),
                    outcome: output.label(),
                    path: path.clone(),
                    mu: finite(e.mu[i]),
                    mu_star: finite(e.mu_star[i]),
                    sigma: finite(e.sigma[i]),
                });
            }
        }
    }
    Ok(rows)
}
