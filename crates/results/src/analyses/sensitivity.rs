//! Global sensitivity of an output to the varied uncertainties.
//!
//! The design is read from the manifest's `design` record (layout, groups,
//! dummy, Morris levels), written by the ensemble that drew the samples; a
//! results directory without one (written before it was recorded) is
//! refused with a request to run the ensemble again.
//!
//! * Sampler `saltelli`: Sobol first-order and total indices (Saltelli et al.
//!   2010, Table 2 (b) and (f); Jansen 1999) with seeded bootstrap
//!   intervals, one per group of the design (per figure when ungrouped;
//!   closed indices of the group when grouped). The plan stacks its samples
//!   as A, B, A_B^(1) … A_B^(G) with N base rows each; the rows (values and
//!   seeds) are checked against that layout before any index is computed.
//! * Sampler `morris`: Morris (1991) elementary effects μ, μ*, σ, with a
//!   bootstrap interval of μ* (per group when grouped; Campolongo et al.
//!   2007). The plan's trajectories are computed point by point from the
//!   record and the master seed, as the planner computed them
//!   (`patronfall_analysis::design::MorrisPoints`), and every move is
//!   checked against the sampled values.
//!
//! The last group is the dummy (`dummy`): it moves only the side of the
//! dice a point plays, so its index is what re-rolling the dice does to
//! the output. A factor stands above the noise floor when the lower end
//! of its interval (ST, or μ*) exceeds the upper end of the dummy's
//! (`patronfall_analysis::sensitivity::noise_floor`).
//!
//! Per course of action the output of a sample is the mean over its
//! replications; an output is a scalar column or the indicator of a future.

use super::{Analysis, Output, Results, finite};
use crate::error::ResultsError;
use crate::manifest::{DESIGN_UNIT_SEEDS, Design, MORRIS_LAYOUT, SALTELLI_LAYOUT};
use patronfall_analysis::design::{Groups, MorrisMove, MorrisPoints};
use patronfall_analysis::futures::CONFIDENCE;
use patronfall_analysis::sensitivity::{
    MorrisOptions, SobolOptions, morris_effects_of_moves, noise_floor, sobol_indices,
};
use serde::{Deserialize, Serialize};

/// One factor's Sobol indices for one output and course of action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SobolIndex {
    /// The course of action whose runs were analysed.
    pub coa: String,
    /// The output: a column of `runs.csv`, or `future:<name>`.
    pub outcome: String,
    /// The factor: a figure's path (ungrouped design), a group's name, or
    /// `dummy`.
    pub factor: String,
    /// The figures the factor moves (the figure itself, a group's figures;
    /// none for the dummy).
    pub figures: Vec<String>,
    /// First-order index S1 (closed index of a group); `null` where it
    /// cannot be estimated.
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
    /// Whether ST stands above the noise floor (its lower end above the
    /// upper end of the dummy's interval); `null` without intervals.
    pub above_noise: Option<bool>,
    /// The source keys its figures rest on (docs/scenario-format.md §4).
    pub sources: Vec<String>,
    /// What they are: `sourced`, `mixed`, `assumption` or `unsourced`
    /// (empty for the dummy).
    pub basis: String,
}

/// One factor's Morris measures for one output and course of action,
/// per unit of the [0, 1] design scale (outcome units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MorrisEffect {
    /// The course of action whose runs were analysed.
    pub coa: String,
    /// The output: a column of `runs.csv`, or `future:<name>`.
    pub outcome: String,
    /// The factor: a figure's path (ungrouped design), a group's name, or
    /// `dummy`.
    pub factor: String,
    /// The figures the factor moves (none for the dummy).
    pub figures: Vec<String>,
    /// Mean elementary effect μ (meaningless for a group of several
    /// figures, whose figures move in their own directions).
    pub mu: Option<f64>,
    /// Mean absolute elementary effect μ*.
    pub mu_star: Option<f64>,
    /// Lower end of μ*'s bootstrap interval.
    pub mu_star_low: Option<f64>,
    /// Upper end of μ*'s bootstrap interval.
    pub mu_star_high: Option<f64>,
    /// Standard deviation of the elementary effects σ.
    pub sigma: Option<f64>,
    /// Whether μ* stands above the noise floor (its lower end above the
    /// upper end of the dummy's interval); `null` without intervals.
    pub above_noise: Option<bool>,
    /// The source keys its figures rest on (docs/scenario-format.md §4).
    pub sources: Vec<String>,
    /// What they are: `sourced`, `mixed`, `assumption` or `unsourced`
    /// (empty for the dummy).
    pub basis: String,
}

/// `analysis/sensitivity.json`: the method follows the ensemble's sampler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Sensitivity {
    /// Sobol indices (sampler `saltelli`).
    Sobol {
        /// Two-sided confidence level of the bootstrap intervals.
        confidence: f64,
        /// How the design grouped the figures (`figures`, `entity`, `kind`, `named`).
        grouping: String,
        /// Per output, course of action and factor (the dummy last).
        indices: Vec<SobolIndex>,
    },
    /// Morris elementary effects (sampler `morris`).
    Morris {
        /// Two-sided confidence level of the bootstrap intervals.
        confidence: f64,
        /// How the design grouped the figures.
        grouping: String,
        /// Per output, course of action and factor (the dummy last).
        indices: Vec<MorrisEffect>,
    },
}

impl Analysis for Sensitivity {
    const NAME: &'static str = "sensitivity";
}

/// How to compute the bootstrap intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bootstrap {
    /// Resamples (at least 1: the noise floor needs intervals).
    pub resamples: usize,
    /// Seed of the resampling.
    pub seed: u64,
}

/// The design of a results directory, read from its manifest.
struct ReadDesign<'a> {
    record: &'a Design,
    groups: Groups,
}

impl ReadDesign<'_> {
    fn dummy(&self) -> usize {
        self.groups.len() - 1
    }

    /// A factor's name and figures.
    fn factor(&self, g: usize, paths: &[String]) -> (String, Vec<String>) {
        let figures = self
            .groups
            .members(g)
            .into_iter()
            .filter_map(|i| paths.get(i).cloned())
            .collect();
        (self.groups.names()[g].clone(), figures)
    }
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
    if bootstrap.resamples == 0 {
        return Err(ResultsError::request(
            Some("resamples"),
            "the noise floor needs bootstrap intervals: use at least 1 resample (100 or more to read them)",
        ));
    }
    let sampler = results.manifest.sampler.as_str();
    let layout = match sampler {
        "saltelli" => SALTELLI_LAYOUT,
        "morris" => MORRIS_LAYOUT,
        other => {
            return Err(ResultsError::input(
                &results.dir.join("manifest.json"),
                None,
                format!(
                    "sampler `{other}` cannot give sensitivity indices; rerun the ensemble with \
                     `--sampler saltelli` (Sobol indices) or `--sampler morris` (elementary effects)"
                ),
            ));
        }
    };
    let design = read_design(results, &paths, layout)?;
    let grouping = design.record.grouping.clone();
    match sampler {
        "saltelli" => {
            check_saltelli(results, &paths, &design)?;
            let options = SobolOptions {
                resamples: bootstrap.resamples,
                confidence: CONFIDENCE,
                seed: bootstrap.seed,
            };
            let (indices, notes) = sobol(results, &paths, &design, coas, outputs, &options)?;
            Ok((
                Sensitivity::Sobol {
                    confidence: CONFIDENCE,
                    grouping,
                    indices,
                },
                notes,
            ))
        }
        _ => {
            let morris = morris_design(results, &paths, &design)?;
            let options = MorrisOptions {
                resamples: bootstrap.resamples,
                confidence: CONFIDENCE,
                seed: bootstrap.seed,
            };
            let indices = morris_rows(results, &morris, &paths, &design, coas, outputs, &options)?;
            Ok((
                Sensitivity::Morris {
                    confidence: CONFIDENCE,
                    grouping,
                    indices,
                },
                Vec::new(),
            ))
        }
    }
}

/// Reads the manifest's design record and checks it against the varied
/// figures and the sampler.
fn read_design<'a>(
    results: &'a Results,
    paths: &[String],
    layout: &str,
) -> Result<ReadDesign<'a>, ResultsError> {
    let manifest = results.dir.join("manifest.json");
    let bad = |message: String| ResultsError::input(&manifest, None, message);
    let Some(record) = &results.manifest.design else {
        return Err(bad(format!(
            "no `design` record: these results were written by a patronfall that did not record \
             its sensitivity designs (nor add their dummy factor); run the ensemble again \
             (`patronfall ensemble --sampler {}`) and analyse the new directory",
            results.manifest.sampler
        )));
    };
    if record.layout != layout {
        return Err(bad(format!(
            "`design.layout` is `{}`, but sampler `{}` lays its samples out as `{layout}`",
            record.layout, results.manifest.sampler
        )));
    }
    if record.seeds != DESIGN_UNIT_SEEDS {
        return Err(bad(format!(
            "`design.seeds` is `{}`; this version reads `{DESIGN_UNIT_SEEDS}` only",
            record.seeds
        )));
    }
    let names = record.names_by_factor(paths).ok_or_else(|| {
        bad(format!(
            "`design.groups` does not partition the {} varied figures and the dummy",
            paths.len()
        ))
    })?;
    let groups = Groups::new(&names).map_err(|e| bad(format!("`design.groups`: {e}")))?;
    let recorded: Vec<&str> = record.groups.iter().map(|g| g.name.as_str()).collect();
    if groups
        .names()
        .iter()
        .map(String::as_str)
        .ne(recorded.iter().copied())
    {
        return Err(bad(
            "`design.groups` is not in design order (the order the groups first appear among the figures)".into(),
        ));
    }
    Ok(ReadDesign { record, groups })
}
/// The varied values of every sample as written (exact text) and its seed
/// (replication 0), from the first row of each sample: borrowed from the
/// runs table, whose rows already hold them (a copy doubled the memory of
/// a wide design).
struct Samples<'a> {
    results: &'a Results,
    /// The runs table's column of each varied figure.
    columns: Vec<usize>,
    /// The column `seed`.
    seed: usize,
    /// The row of each sample's first run.
    rows: Vec<usize>,
}

impl Samples<'_> {
    /// Sample `s`'s value of varied figure `c`, as written.
    fn value(&self, s: usize, c: usize) -> &str {
        &self.results.table.rows[self.rows[s]][self.columns[c]]
    }

    /// Sample `s`'s seed, as written.
    fn seed(&self, s: usize) -> &str {
        &self.results.table.rows[self.rows[s]][self.seed]
    }
}

fn sample_values<'a>(results: &'a Results, paths: &[String]) -> Result<Samples<'a>, ResultsError> {
    let csv = crate::read::RunsFile::of(&results.dir);
    let column = |p: &str| {
        results
            .table
            .column(p)
            .ok_or_else(|| csv.header(format!("no `{p}` column")))
    };
    let columns: Vec<usize> = paths.iter().map(|p| column(p)).collect::<Result<_, _>>()?;
    let seed = column("seed")?;
    let n = results.manifest.samples;
    let mut rows: Vec<Option<usize>> = vec![None; n];
    for r in 0..results.table.rows.len() {
        let s = results.sample[r];
        if s < n && rows[s].is_none() && results.replication[r] == 0 {
            rows[s] = Some(r);
        }
    }
    let missing = rows.iter().filter(|v| v.is_none()).count();
    if missing > 0 {
        return Err(ResultsError::input(
            &results.dir,
            None,
            format!(
                "{missing} of {n} scenario samples have no finished run; sensitivity needs the \
                 whole design (rerun the ensemble to completion)"
            ),
        ));
    }
    Ok(Samples {
        results,
        columns,
        seed,
        rows: rows.into_iter().flatten().collect(),
    })
}

/// Checks that the samples follow the stacked Saltelli layout: the values
/// of every A_B^(g) row are A's but for group g's figures, B's; its seed
/// is A's, or B's for the dummy's block.
fn check_saltelli(
    results: &Results,
    paths: &[String],
    design: &ReadDesign,
) -> Result<(), ResultsError> {
    let g = design.groups.len();
    let n = results.manifest.runs;
    if results.manifest.samples != n * (g + 2) {
        return Err(ResultsError::input(
            &results.dir.join("manifest.json"),
            None,
            format!(
                "{} samples, but a Saltelli plan with N = {n} and {g} groups (the dummy's included) has {}",
                results.manifest.samples,
                n * (g + 2)
            ),
        ));
    }
    let v = sample_values(results, paths)?;
    let broken = |sample: usize, what: String| ResultsError::Design {
        file: crate::read::runs_path(&results.dir),
        message: format!("sample {sample} does not follow the Saltelli layout ({what})"),
    };
    for b in 0..g {
        for j in 0..n {
            let sample = (2 + b) * n + j;
            for (c, path) in paths.iter().enumerate() {
                let from_b = design.groups.group_of(c) == b;
                let expected = if from_b {
                    v.value(n + j, c)
                } else {
                    v.value(j, c)
                };
                if v.value(sample, c) != expected {
                    return Err(broken(sample, format!("A_B^({}) row {j}, `{path}`", b + 1)));
                }
            }
            let side = if b == design.dummy() { n + j } else { j };
            if v.seed(sample) != v.seed(side) {
                return Err(broken(
                    sample,
                    format!(
                        "A_B^({}) row {j} plays seed {}, not {}'s {}",
                        b + 1,
                        v.seed(sample),
                        if side == j { "A" } else { "B" },
                        v.seed(side)
                    ),
                ));
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

/// Which factors stand above the noise floor, from their intervals.
fn above_floor(intervals: &[(f64, f64)], dummy: usize) -> Vec<Option<bool>> {
    match noise_floor(intervals, dummy) {
        Ok(floor) => floor
            .above
            .into_iter()
            .enumerate()
            .map(|(i, a)| (i != dummy).then_some(a))
            .collect(),
        Err(_) => vec![None; intervals.len()],
    }
}

fn sobol(
    results: &Results,
    paths: &[String],
    design: &ReadDesign,
    coas: &[String],
    outputs: &[Output],
    options: &SobolOptions,
) -> Result<(Vec<SobolIndex>, Vec<String>), ResultsError> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let g = design.groups.len();
    for output in outputs {
        let values = results.output(output)?;
        for coa in coas {
            let y = per_sample(results, coa, &values)?;
            match sobol_indices(g, &y, options) {
                Ok(s) => {
                    let above = above_floor(&s.total_interval, design.dummy());
                    for (b, above) in above.into_iter().enumerate() {
                        let (factor, figures) = design.factor(b, paths);
                        let (sources, basis) = results.trace(&figures);
                        let fi = s.first_interval.get(b).copied();
                        let ti = s.total_interval.get(b).copied();
                        rows.push(SobolIndex {
                            coa: coa.clone(),
                            outcome: output.label(),
                            factor,
                            figures,
                            first: finite(s.first[b]),
                            first_low: fi.and_then(|x| finite(x.0)),
                            first_high: fi.and_then(|x| finite(x.1)),
                            total: finite(s.total[b]),
                            total_low: ti.and_then(|x| finite(x.0)),
                            total_high: ti.and_then(|x| finite(x.1)),
                            above_noise: above,
                            sources,
                            basis,
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

/// The plan's Morris design, from the record and the master seed, point by
/// point as the planner computed it (not as a table: `r (G + 1) × k`
/// values would be 0.6 GB at 2,000 figures), checked against the samples:
/// a move changes only its group's figures, each in the design's
/// direction, and the seed changes exactly where the dummy moves. Returns
/// the design's moves.
fn morris_design(
    results: &Results,
    paths: &[String],
    design: &ReadDesign,
) -> Result<Vec<MorrisMove>, ResultsError> {
    let m = &results.manifest;
    let manifest = results.dir.join("manifest.json");
    let levels = design.record.levels.ok_or_else(|| {
        ResultsError::input(
            &manifest,
            None,
            "`design.levels` is missing for a Morris design",
        )
    })?;
    let d = MorrisPoints::new(m.runs, &design.groups, levels, m.seed).map_err(|e| {
        ResultsError::input(
            &manifest,
            None,
            format!("cannot rebuild the Morris design: {e}"),
        )
    })?;
    if d.rows() != m.samples {
        return Err(ResultsError::input(
            &manifest,
            None,
            format!(
                "{} samples, but a Morris plan with r = {} and {} groups (the dummy's included) has {}",
                m.samples,
                m.runs,
                design.groups.len(),
                d.rows()
            ),
        ));
    }
    let v = sample_values(results, paths)?;
    let g = design.groups.len();
    let dummy = design.record.dummy;
    let point = |row: usize| {
        let mut out = vec![0.0; design.groups.factors()];
        d.point_into(row, &mut out).map(|()| out).map_err(|e| {
            ResultsError::input(
                &manifest,
                None,
                format!("cannot rebuild the Morris design: {e}"),
            )
        })
    };
    for t in 0..d.trajectories() {
        let mut y = point(t * (g + 1))?;
        for step in 0..g {
            let row = t * (g + 1) + step;
            let broken = |what: String| ResultsError::Design {
                file: crate::read::runs_path(&results.dir),
                message: format!(
                    "samples {row}→{} do not follow the Morris design ({what})",
                    row + 1
                ),
            };
            let x = std::mem::replace(&mut y, point(row + 1)?);
            for c in 0..paths.len() {
                let (before, after) = (v.value(row, c), v.value(row + 1, c));
                if before == after {
                    continue;
                }
                let rising = after.parse::<f64>().unwrap_or(f64::NAN)
                    > before.parse::<f64>().unwrap_or(f64::NAN);
                if x[c] == y[c] || rising != (y[c] > x[c]) {
                    return Err(broken(format!("`{}` changed", paths[c])));
                }
            }
            if (v.seed(row) != v.seed(row + 1)) != (x[dummy] != y[dummy]) {
                return Err(broken(
                    "the seed changes where the dummy does not move, or stays where it moves"
                        .into(),
                ));
            }
        }
    }
    Ok(d.moves())
}

fn morris_rows(
    results: &Results,
    moves: &[MorrisMove],
    paths: &[String],
    design: &ReadDesign,
    coas: &[String],
    outputs: &[Output],
    options: &MorrisOptions,
) -> Result<Vec<MorrisEffect>, ResultsError> {
    let mut rows = Vec::new();
    for output in outputs {
        let values = results.output(output)?;
        for coa in coas {
            let y = per_sample(results, coa, &values)?;
            let e = morris_effects_of_moves(moves, design.groups.len(), &y, options)
                .map_err(ResultsError::analysis("Morris effects"))?;
            let above = above_floor(&e.mu_star_interval, design.dummy());
            for (b, above) in above.into_iter().enumerate() {
                let (factor, figures) = design.factor(b, paths);
                let (sources, basis) = results.trace(&figures);
                let interval = e.mu_star_interval.get(b).copied();
                rows.push(MorrisEffect {
                    coa: coa.clone(),
                    outcome: output.label(),
                    factor,
                    figures,
                    mu: finite(e.mu[b]),
                    mu_star: finite(e.mu_star[b]),
                    mu_star_low: interval.and_then(|x| finite(x.0)),
                    mu_star_high: interval.and_then(|x| finite(x.1)),
                    sigma: finite(e.sigma[b]),
                    above_noise: above,
                    sources,
                    basis,
                });
            }
        }
    }
    Ok(rows)
}
