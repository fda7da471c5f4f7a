//! A targeted follow-up of an ensemble (`patronfall update --follow-up`):
//! the plan of new samples concentrated where the observations point, and
//! the manifest record of how they were made.
//!
//! The parent's samples are rebuilt on the unit hypercube from its
//! manifest (sampler, runs, seed and varied figures) and checked against
//! `runs.csv` figure by figure on up to 64 samples spread over the plan. Each sample's weight is the update's
//! likelihood of the observations, summed over its replications and pooled
//! over the courses of action (`patronfall_analysis::follow_up::pool`), so
//! that the follow-up runs every course of action on the same samples and
//! seeds. The figures the observations moved most (or those named) are
//! resampled and perturbed (`patronfall_analysis::follow_up::propose`);
//! the other varied figures are drawn afresh from their prior by a Latin
//! hypercube. Method and sources: `docs/analysis.md`, "A targeted
//! follow-up".

use super::Results;
use super::update::{Observation, log_likelihoods};
use crate::error::ResultsError;
use crate::indicators::IndicatorTable;
use crate::manifest::{FollowUp, KernelWidth, PriorFigure, PriorShares};
use patronfall_analysis::Matrix;
use patronfall_analysis::follow_up::{kernel_widths, pool, propose, rank_correlation, width_floor};
use patronfall_analysis::update::{effective_sample_size, weights_from_logs};
use patronfall_ensemble::plan::matches_path;
use patronfall_ensemble::{Plan, PlanSpec, Sampler};
use patronfall_scenario::Scenario;
use std::path::Path;

/// Figures perturbed when none are named: those the observations moved
/// most. The proposal's log density over `d` perturbed coordinates spreads
/// like half a χ² with `d` degrees of freedom (sd `√(d/2)`): at 8 the new
/// runs' corrections stay within a factor of about e² of each other, where
/// perturbing hundreds of figures would leave a handful of runs with all
/// the weight.
pub const DEFAULT_PERTURBED: usize = 8;

/// Parent samples whose values are checked against `runs.csv`.
const CHECKED: usize = 64;

/// The samplers whose samples are draws from the prior, which a follow-up
/// can resample.
const PRIOR_SAMPLERS: [Sampler; 4] = [
    Sampler::MonteCarlo,
    Sampler::LatinHypercube,
    Sampler::KeyedLatinHypercube,
    Sampler::Sobol,
];

/// What the follow-up should be.
#[derive(Clone, Debug)]
pub struct Request {
    /// New scenario samples.
    pub samples: usize,
    /// Master seed of the new runs.
    pub seed: u64,
    /// Path patterns of the figures to perturb (exact, or a prefix ending in
    /// `*`); empty: the [`DEFAULT_PERTURBED`] figures moved most.
    pub perturb: Vec<String>,
    /// Courses of action (positions in the parent's list) whose weights
    /// are pooled and which the follow-up runs.
    pub coas: Vec<usize>,
}

/// A follow-up ready to run: its plan and the record of how its samples
/// were made (for the manifest's `follow_up`).
#[derive(Clone, Debug)]
pub struct Targeted {
    /// The plan (sampler `follow-up`).
    pub plan: Plan,
    /// The record.
    pub record: FollowUp,
}

fn sha256_of(path: &Path) -> Result<String, ResultsError> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path)
        .map_err(|e| ResultsError::input(path, None, format!("cannot read it: {e}")))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

/// The parent's plan, rebuilt from its manifest and checked against its
/// runs: every varied figure of up to [`CHECKED`] samples spread over the
/// plan has in every row the value the plan gives.
fn parent_plan(parent: &Results, scenario: &Scenario) -> Result<Plan, ResultsError> {
    let m = &parent.manifest;
    let manifest_file = parent.dir.join("manifest.json");
    let sampler = Sampler::from_name(&m.sampler).filter(|s| PRIOR_SAMPLERS.contains(s));
    let Some(sampler) = sampler else {
        return Err(ResultsError::request(
            Some("follow-up"),
            format!(
                "{} was drawn with sampler `{}`; a follow-up resamples an ensemble drawn from the prior (sampler mc, lhs, lhs-keyed or sobol): run one and follow it up",
                parent.dir.display(),
                m.sampler
            ),
        ));
    };
    if scenario.hash != m.scenario_sha256 {
        return Err(ResultsError::input(
            &manifest_file,
            None,
            format!(
                "scenario_sha256: the scenario {} has changed since this ensemble ran (SHA-256 {} now, {} then); a follow-up must run the scenario its parent ran: restore the file or run the ensemble again",
                m.scenario_file, scenario.hash, m.scenario_sha256
            ),
        ));
    }
    let coas = m
        .coas
        .iter()
        .map(|c| {
            scenario.coa(c).ok_or_else(|| {
                ResultsError::input(
                    &manifest_file,
                    None,
                    format!("coas: `{c}` is not a course of action of {}", scenario.id),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let shock = match m.shock.as_str() {
        "none" if scenario.shock("none").is_none() => None,
        name => Some(scenario.shock(name).ok_or_else(|| {
            ResultsError::input(
                &manifest_file,
                None,
                format!("shock: `{name}` is not a shock of {}", scenario.id),
            )
        })?),
    };
    let vary: Vec<String> = m
        .uncertainties
        .iter()
        .filter(|u| u.varied)
        .map(|u| u.path.clone())
        .collect();
    let all_varied = vary.len() == scenario.uncertainties.len();
    let spec = PlanSpec {
        sampler,
        runs: m.runs,
        replications: m.replications,
        coas,
        shock,
        days: m.days,
        seed: m.seed,
        vary: if all_varied { Vec::new() } else { vary },
    };
    let plan = Plan::new(scenario, spec).map_err(|e| {
        ResultsError::input(
            &manifest_file,
            None,
            format!("cannot rebuild the ensemble's samples: {e}"),
        )
    })?;
    let mismatch = |what: String| {
        ResultsError::input(
            &crate::read::runs_path(&parent.dir),
            None,
            format!(
                "{what}: the samples rebuilt from the manifest differ from the runs (written by another patronfall version?); run the ensemble again with this version"
            ),
        )
    };
    if plan.samples() != m.samples {
        return Err(mismatch(format!(
            "{} samples rebuilt, {} recorded",
            plan.samples(),
            m.samples
        )));
    }
    // A sample's values cost one inverse distribution function per varied
    // figure, about as much as the ensemble spent on them: check up to
    // CHECKED samples spread over the plan (a design drawn differently
    // differs in nearly every sample), every row of each.
    let step = plan.samples().div_ceil(CHECKED).max(1);
    let checked: Vec<usize> = (0..plan.samples()).step_by(step).collect();
    let values: Vec<Vec<f64>> = checked.iter().map(|s| plan.values(*s)).collect();
    for &i in &plan.varied {
        let path = &scenario.uncertainties[i].path;
        let Some(column) = parent.table.floats(path) else {
            return Err(mismatch(format!("no column {path}")));
        };
        for (r, v) in column.iter().enumerate() {
            let s = parent.sample[r];
            if s >= plan.samples() {
                return Err(mismatch(format!("sample {s} in row {}", r + 1)));
            }
            if s.is_multiple_of(step) && values[s / step][i].to_bits() != v.to_bits() {
                return Err(mismatch(format!("{path} in sample {s}")));
            }
        }
    }
    Ok(plan)
}

/// The plan of a follow-up of `parent` (opened, with its indicator table)
/// given the observations read from `observations` (`update::read_observations`).
pub fn plan(
    parent: &Results,
    scenario: &Scenario,
    table: &IndicatorTable,
    observed: &[(usize, Observation)],
    observations: &Path,
    request: &Request,
) -> Result<Targeted, ResultsError> {
    if request.samples == 0 {
        return Err(ResultsError::request(
            Some("follow-up"),
            "give at least 1 new sample",
        ));
    }
    if request.coas.is_empty() {
        return Err(ResultsError::request(
            Some("coa"),
            "no course of action to follow up",
        ));
    }
    let m = &parent.manifest;
    if m.follow_up.is_some() {
        return Err(ResultsError::request(
            Some("follow-up"),
            format!(
                "{} is itself a follow-up; follow up the ensemble it came from ({}) with more samples",
                parent.dir.display(),
                m.follow_up.as_ref().map_or("", |f| f.parent.as_str())
            ),
        ));
    }
    let parent_plan = parent_plan(parent, scenario)?;
    let samples = parent_plan.samples();
    let failed = |source| ResultsError::Analysis {
        what: "follow-up",
        source,
    };
    // Each course of action's weights per sample (replications summed).
    let per_coa: Vec<Vec<f64>> = request
        .coas
        .iter()
        .map(|&c| {
            let rows: Vec<usize> = (0..parent.coa.len())
                .filter(|r| parent.coa[*r] == c)
                .collect();
            let w = weights_from_logs(&log_likelihoods(table, observed, &rows));
            let mut by_sample = vec![0.0; samples];
            for (r, w) in rows.iter().zip(&w) {
                by_sample[parent.sample[*r]] += w;
            }
            by_sample
        })
        .collect();
    let weights = pool(&per_coa).map_err(failed)?;
    if weights.iter().all(|w| *w == 0.0) {
        return Err(ResultsError::request(
            Some("follow-up"),
            "no run of the ensemble is consistent with the observations, so there is nowhere to concentrate: check the observations against `patronfall signposts`, or run a larger ensemble",
        ));
    }
    let k = parent_plan.varied.len();
    if k == 0 {
        return Err(ResultsError::request(
            Some("follow-up"),
            "the ensemble varied no uncertain figure; there is nothing to concentrate",
        ));
    }
    let paths: Vec<&str> = parent_plan
        .varied
        .iter()
        .map(|&i| scenario.uncertainties[i].path.as_str())
        .collect();
    // The parent's points, computed once by sample number.
    let points: Vec<Vec<f64>> = (0..samples).map(|s| parent_plan.point(s)).collect();
    let perturbed: Vec<usize> = if request.perturb.is_empty() {
        // The figures that drive what was observed: the largest |Spearman
        // correlation| of a figure with an observed indicator, over all the
        // parent's runs of a pooled course of action.
        let mut score = vec![0.0f64; k];
        for (col, _) in observed {
            for &c in &request.coas {
                let rows: Vec<usize> = (0..parent.coa.len())
                    .filter(|r| parent.coa[*r] == c)
                    .collect();
                let x: Vec<f64> = rows.iter().map(|r| table.values[*col][*r]).collect();
                for (j, best) in score.iter_mut().enumerate() {
                    let u: Vec<f64> = rows.iter().map(|r| points[parent.sample[*r]][j]).collect();
                    *best = best.max(rank_correlation(&u, &x).abs());
                }
            }
        }
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|a, b| score[*b].total_cmp(&score[*a]).then(a.cmp(b)));
        let mut top: Vec<usize> = order.into_iter().take(DEFAULT_PERTURBED).collect();
        top.sort_unstable();
        top
    } else {
        for p in &request.perturb {
            if !paths.iter().any(|path| matches_path(p, path)) {
                return Err(ResultsError::request(
                    Some("perturb"),
                    format!(
                        "`{p}` matches no figure the ensemble varied; give paths of varied figures (a trailing `*` matches a prefix), as `patronfall update` lists them"
                    ),
                ));
            }
        }
        (0..k)
            .filter(|j| request.perturb.iter().any(|p| matches_path(p, paths[*j])))
            .collect()
    };
    let d = perturbed.len();
    let mut parents = Matrix::zeros(samples, d);
    for (c, &j) in perturbed.iter().enumerate() {
        for (s, point) in points.iter().enumerate() {
            parents.set(s, c, point[j]);
        }
    }
    let widths = kernel_widths(&parents, &weights, width_floor(samples)).map_err(failed)?;
    let kernel_seed = request.seed ^ KERNEL_STREAM;
    let fresh_seed = request.seed ^ FRESH_STREAM;
    let proposal =
        propose(&parents, &weights, &widths, request.samples, kernel_seed).map_err(failed)?;
    let others: Vec<usize> = (0..k).filter(|j| !perturbed.contains(j)).collect();
    let fresh = if others.is_empty() {
        Matrix::zeros(request.samples, 0)
    } else {
        patronfall_analysis::design::latin_hypercube(request.samples, others.len(), fresh_seed)
            .map_err(failed)?
    };
    let mut points = Matrix::zeros(request.samples, k);
    for s in 0..request.samples {
        for (c, &j) in perturbed.iter().enumerate() {
            points.set(s, j, proposal.points.get(s, c));
        }
        for (c, &j) in others.iter().enumerate() {
            points.set(s, j, fresh.get(s, c));
        }
    }
    let spec = PlanSpec {
        sampler: Sampler::FollowUp,
        runs: request.samples,
        replications: parent_plan.spec.replications,
        coas: request
            .coas
            .iter()
            .map(|&c| parent_plan.spec.coas[c])
            .collect(),
        shock: parent_plan.spec.shock,
        days: parent_plan.spec.days,
        seed: request.seed,
        vary: parent_plan.spec.vary.clone(),
    };
    let plan = Plan::from_points(scenario, spec, parent_plan.varied.clone(), points)
        .map_err(|e| ResultsError::request(Some("follow-up"), format!("cannot plan it: {e}")))?;
    let record = FollowUp {
        parent: parent.dir.display().to_string(),
        parent_runs_sha256: crate::read::runs_sha256(&parent.dir)?,
        observations: observations.display().to_string(),
        observations_sha256: sha256_of(observations)?,
        pooled_coas: request.coas.iter().map(|&c| m.coas[c].clone()).collect(),
        parent_effective_samples: effective_sample_size(&weights),
        method: METHOD.to_string(),
        kernel_seed,
        fresh_seed,
        perturbed: perturbed
            .iter()
            .zip(&widths)
            .map(|(&j, w)| KernelWidth {
                path: paths[j].to_string(),
                width: *w,
            })
            .collect(),
        prior: prior_shares(parent, &request.coas),
        prior_figures: prior_figures(parent, &paths, request.coas[0]).map_err(failed)?,
        parents: proposal.parents,
        log_correction: proposal.log_correction,
    };
    Ok(Targeted { plan, record })
}

/// The parent's share of runs in each future, per course of action.
fn prior_shares(parent: &Results, coas: &[usize]) -> Vec<PriorShares> {
    let m = &parent.manifest;
    let k = m.futures.len();
    coas.iter()
        .map(|&c| {
            let mut shares = vec![0.0; k + 1];
            let mut n = 0usize;
            for (r, f) in parent.future.iter().enumerate() {
                if parent.coa[r] == c {
                    shares[f.unwrap_or(k).min(k)] += 1.0;
                    n += 1;
                }
            }
            for x in &mut shares {
                *x /= n.max(1) as f64;
            }
            PriorShares {
                coa: m.coas[c].clone(),
                shares,
            }
        })
        .collect()
}

/// Each varied figure's summary over the parent's runs of one course of
/// action (every course of action runs the same samples).
fn prior_figures(
    parent: &Results,
    paths: &[&str],
    coa: usize,
) -> Result<Vec<PriorFigure>, patronfall_analysis::AnalysisError> {
    let rows: Vec<usize> = (0..parent.coa.len())
        .filter(|r| parent.coa[*r] == coa)
        .collect();
    let ones = vec![1.0; rows.len()];
    let mut out = Vec::new();
    for path in paths {
        let Some(all) = parent.table.floats(path) else {
            continue;
        };
        let v: Vec<f64> = rows.iter().map(|r| all[*r]).collect();
        let s = patronfall_analysis::update::summary(&v, &ones)?;
        out.push(PriorFigure {
            path: path.to_string(),
            mean: s.mean,
            sd: s.sd,
            quantiles: s.quantiles,
        });
    }
    Ok(out)
}

/// The method as the manifest records it.
pub const METHOD: &str = "population Monte Carlo ABC step (Beaumont, Cornuet, Marin & Robert 2009) on the unit hypercube: parent samples weighted by the observations' likelihood pooled over courses of action, systematic resampling, each perturbed figure moved by a normal kernel truncated to [0, 1] with width sqrt(2 * weighted variance) floored at 1/parent samples, the other varied figures drawn afresh from the prior by a Latin hypercube; importance correction ln(prior / proposal density)";

/// Streams of the follow-up's two generators, mixed into its seed so that
/// the kernel's draws and the fresh figures' hypercube do not share one.
const KERNEL_STREAM: u64 = 0x6b65_726e_656c; // "kernel"
const FRESH_STREAM: u64 = 0x0066_7265_7368; // "fresh"
