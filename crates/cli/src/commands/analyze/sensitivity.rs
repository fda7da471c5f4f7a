//! `patronfall analyze sensitivity`: global sensitivity of an output to the
//! varied uncertainties.
//!
//! * Sampler `saltelli`: Sobol first-order and total indices (Saltelli et al.
//!   2010, Table 2 (b) and (f); Jansen 1999) with seeded bootstrap intervals.
//!   The plan stacks its samples as A, B, A_B^(1) … A_B^(k) with N base rows
//!   each (`SaltelliDesign::stacked`); the rows are checked against that
//!   layout before any index is computed.
//! * Sampler `morris`: Morris (1991) elementary effects μ, μ*, σ. The plan's
//!   trajectories are regenerated from the manifest (r = runs, k varied
//!   uncertainties, 4 levels, the master seed) and every move is checked
//!   against the sampled values in `runs.csv`.
//!
//! Per course of action the output of a sample is the mean over its
//! replications; an output is a scalar column or the indicator of a future.

use super::runs::{self, Output, Results};
use super::{finite, save_json};
use crate::failure::{CommandResult, Failure};
use crate::output::{errln, outln};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use patronfall_analysis::design::{MorrisDesign, morris};
use patronfall_analysis::sensitivity::{SobolOptions, morris_effects, sobol_indices};
use serde::Serialize;
use std::path::PathBuf;

/// Grid levels of the ensemble's Morris plan (`crates/ensemble/src/plan.rs`).
const MORRIS_LEVELS: usize = 4;

/// Arguments of `patronfall analyze sensitivity`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results directory (from `patronfall ensemble --sampler saltelli|morris`).
    pub dir: PathBuf,
    /// Scalar outcomes to analyse (columns of runs.csv).
    #[arg(long, num_args = 1..)]
    pub outcome: Vec<String>,
    /// Futures whose indicator to analyse (every future when neither this nor --outcome is given).
    #[arg(long, num_args = 1..)]
    pub future: Vec<String>,
    /// Courses of action to analyse (all if absent).
    #[arg(long, num_args = 1..)]
    pub coa: Vec<String>,
    /// Bootstrap resamples for the Sobol intervals.
    #[arg(long, default_value_t = 100)]
    pub resamples: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// One uncertainty's Sobol indices for one output and course of action.
#[derive(Debug, Serialize)]
pub struct SobolRow {
    coa: String,
    outcome: String,
    path: String,
    first: Option<f64>,
    first_low: Option<f64>,
    first_high: Option<f64>,
    total: Option<f64>,
    total_low: Option<f64>,
    total_high: Option<f64>,
}

/// One uncertainty's Morris measures for one output and course of action
/// (per unit of the [0, 1] design scale).
#[derive(Debug, Serialize)]
pub struct MorrisRow {
    coa: String,
    outcome: String,
    path: String,
    mu: Option<f64>,
    mu_star: Option<f64>,
    sigma: Option<f64>,
}

/// Runs the analysis.
pub fn run(args: Args) -> CommandResult {
    let results = runs::open(&args.dir)?;
    let coas: Vec<String> = if args.coa.is_empty() {
        results.manifest.coas.clone()
    } else {
        args.coa
            .iter()
            .map(|c| results.coa_or_first(Some(c), "--coa"))
            .collect::<Result<_, _>>()?
    };
    let outputs = runs::outputs(&results, &args.outcome, &args.future);
    for o in &outputs {
        results.output(o)?;
    }
    let paths = results.varied();
    if paths.is_empty() {
        return Err(Failure::bad_input(
            "these results varied no uncertainty; there is nothing to be sensitive to",
        ));
    }
    match results.manifest.sampler.as_str() {
        "saltelli" => {
            check_saltelli(&results, &paths)?;
            let options = SobolOptions {
                resamples: args.resamples,
                confidence: 0.95,
                seed: args.seed,
            };
            let rows = sobol(&results, &paths, &coas, &outputs, &options)?;
            if !args.json {
                print_sobol(&rows);
            }
            save_json(
                &args.dir,
                "sensitivity",
                &serde_json::json!({ "indices": rows }),
                args.json,
            )
        }
        "morris" => {
            let design = morris_design(&results, &paths)?;
            let rows = morris_rows(&results, &design, &paths, &coas, &outputs)?;
            if !args.json {
                print_morris(&rows);
            }
            save_json(
                &args.dir,
                "sensitivity",
                &serde_json::json!({ "indices": rows }),
                args.json,
            )
        }
        other => Err(Failure::bad_input(format!(
            "{}: sampler `{other}` cannot give sensitivity indices; rerun the ensemble with \
             `--sampler saltelli` (Sobol indices) or `--sampler morris` (elementary effects)",
            results.dir.join("manifest.json").display()
        ))),
    }
}

/// The varied values of every sample as written (exact text), from the first
/// row of each sample.
fn sample_values(results: &Results, paths: &[String]) -> Result<Vec<Vec<String>>, Failure> {
    let cols: Vec<usize> = paths
        .iter()
        .map(|p| {
            results.table.column(p).ok_or_else(|| {
                Failure::bad_input(format!(
                    "{}: no column for the varied uncertainty `{p}`",
                    results.dir.join("runs.csv").display()
                ))
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
        return Err(Failure::bad_input(format!(
            "{}: {missing} of {} scenario samples have no finished run; sensitivity needs the \
             whole design (rerun the ensemble to completion)",
            results.dir.display(),
            results.manifest.samples
        )));
    }
    Ok(values.into_iter().flatten().collect())
}

/// Checks that the samples follow the stacked Saltelli layout.
fn check_saltelli(results: &Results, paths: &[String]) -> Result<(), Failure> {
    let k = paths.len();
    let n = results.manifest.runs;
    if results.manifest.samples != n * (k + 2) {
        return Err(Failure::bad_input(format!(
            "{}: {} samples, but a Saltelli plan with N = {n} and k = {k} varied uncertainties has {}",
            results.dir.join("manifest.json").display(),
            results.manifest.samples,
            n * (k + 2)
        )));
    }
    let v = sample_values(results, paths)?;
    for i in 0..k {
        for j in 0..n {
            let ab = &v[(2 + i) * n + j];
            for (c, value) in ab.iter().enumerate() {
                let expected = if c == i { &v[n + j][c] } else { &v[j][c] };
                if value != expected {
                    return Err(Failure::failed(format!(
                        "{}: sample {} does not follow the Saltelli layout (A_B^({}) row {j}, `{}`)",
                        results.dir.join("runs.csv").display(),
                        (2 + i) * n + j,
                        i + 1,
                        paths[c]
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Per-sample means of an output for one course of action; every sample must be present.
fn per_sample(results: &Results, coa: &str, values: &[f64]) -> Result<Vec<f64>, Failure> {
    results
        .sample_means(coa, values)
        .into_iter()
        .enumerate()
        .map(|(s, v)| {
            v.ok_or_else(|| {
                Failure::bad_input(format!(
                    "{}: sample {s} has no finished run of `{coa}`; sensitivity needs the whole design",
                    results.dir.display()
                ))
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
) -> Result<Vec<SobolRow>, Failure> {
    let mut rows = Vec::new();
    for output in outputs {
        let values = results.output(output)?;
        for coa in coas {
            let y = per_sample(results, coa, &values)?;
            match sobol_indices(paths.len(), &y, options) {
                Ok(s) => {
                    for (i, path) in paths.iter().enumerate() {
                        let fi = s.first_interval.get(i).copied();
                        let ti = s.total_interval.get(i).copied();
                        rows.push(SobolRow {
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
                Err(e) => errln!(
                    "note: no Sobol indices for `{}` under `{coa}`: {e}",
                    output.label()
                ),
            }
        }
    }
    Ok(rows)
}

/// Regenerates the plan's Morris design and checks it against the samples.
fn morris_design(results: &Results, paths: &[String]) -> Result<MorrisDesign, Failure> {
    let m = &results.manifest;
    let k = paths.len();
    let design = morris(m.runs, k, MORRIS_LEVELS, m.seed)
        .map_err(|e| Failure::bad_input(format!("cannot rebuild the Morris design: {e}")))?;
    if design.runs() != m.samples {
        return Err(Failure::bad_input(format!(
            "{}: {} samples, but a Morris plan with r = {} and k = {k} has {}",
            results.dir.join("manifest.json").display(),
            m.samples,
            m.runs,
            design.runs()
        )));
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
                    return Err(Failure::failed(format!(
                        "{}: samples {row}→{} do not follow the Morris design (`{}` changed)",
                        results.dir.join("runs.csv").display(),
                        row + 1,
                        paths[c]
                    )));
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
) -> Result<Vec<MorrisRow>, Failure> {
    let mut rows = Vec::new();
    for output in outputs {
        let values = results.output(output)?;
        for coa in coas {
            let y = per_sample(results, coa, &values)?;
            let e = morris_effects(design, &y).map_err(|e| Failure::failed(e.to_string()))?;
            for (i, path) in paths.iter().enumerate() {
                rows.push(MorrisRow {
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

fn num(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.3}"))
}

fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => format!("{l:.3}–{h:.3}"),
        _ => "–".into(),
    }
}

/// Groups rows by (course of action, output), keeping first-seen order.
fn groups<T>(rows: &[T], key: impl Fn(&T) -> (&str, &str)) -> Vec<Vec<&T>> {
    let mut out: Vec<Vec<&T>> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|g| key(g[0]) == key(r)) {
            Some(g) => g.push(r),
            None => out.push(vec![r]),
        }
    }
    out
}

fn print_sobol(rows: &[SobolRow]) {
    for mut g in groups(rows, |r| (r.coa.as_str(), r.outcome.as_str())) {
        g.sort_by(|a, b| {
            b.total
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.total.unwrap_or(f64::NEG_INFINITY))
        });
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
            "uncertainty",
            "first order",
            "95% interval",
            "total",
            "95% interval",
        ]);
        for r in &g {
            t.add_row(vec![
                r.path.clone(),
                num(r.first),
                interval(r.first_low, r.first_high),
                num(r.total),
                interval(r.total_low, r.total_high),
            ]);
        }
        outln!(
            "\nSobol indices of `{}` under `{}` (largest total effect first):\n{t}",
            g[0].outcome,
            g[0].coa
        );
    }
}

fn print_morris(rows: &[MorrisRow]) {
    for mut g in groups(rows, |r| (r.coa.as_str(), r.outcome.as_str())) {
        g.sort_by(|a, b| {
            b.mu_star
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.mu_star.unwrap_or(f64::NEG_INFINITY))
        });
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY)
            .set_header(vec!["uncertainty", "μ*", "μ", "σ"]);
        for r in &g {
            t.add_row(vec![
                r.path.clone(),
                num(r.mu_star),
                num(r.mu),
                num(r.sigma),
            ]);
        }
        outln!(
            "\nMorris elementary effects of `{}` under `{}` (per unit of the [0, 1] design scale, largest μ* first):\n{t}",
            g[0].outcome,
            g[0].coa
        );
    }
}
