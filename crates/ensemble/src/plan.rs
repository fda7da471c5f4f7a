//! Experiment plans: which scenario samples, courses of action and seeds to run.
//!
//! An experiment is one (scenario sample, course of action, replication); the
//! vocabulary follows the EMA Workbench. Every course of action sees the same
//! samples and the same seeds (common random numbers), so differences between
//! courses of action are paired. Experiments are numbered
//! `((sample · replications) + replication) · coas + coa`, and the run seed is
//! derived from (master seed, sample · replications + replication) alone.
//!
//! A plan is plain data: it can be printed, saved in the manifest and rerun.

use patronfall_analysis::Matrix;
use patronfall_analysis::design;
use patronfall_model::rng::run_seed;
use patronfall_model::{CoaId, ShockId};
use patronfall_scenario::{Dist, Scenario, Uncertainty};

/// Grid levels of a Morris plan's trajectories; the analysis rebuilds the
/// design with the same number.
pub const MORRIS_LEVELS: usize = 4;

/// How scenario samples are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampler {
    /// Independent uniform points (Monte Carlo).
    MonteCarlo,
    /// Latin hypercube: one point per stratum in every dimension.
    LatinHypercube,
    /// Owen-scrambled Sobol points.
    Sobol,
    /// The Saltelli scheme (A, B and the A_B^(i) matrices from scrambled Sobol
    /// points): for Sobol sensitivity indices; `runs` is the base size N and
    /// the plan has N·(k + 2) samples.
    Saltelli,
    /// Morris trajectories on a 4-level grid: for elementary effects; `runs`
    /// is the number of trajectories r and the plan has r·(k + 1) samples.
    Morris,
    /// Every combination of the discrete uncertainties' values; continuous
    /// ones stay at their nominal values. `runs` is ignored.
    Factorial,
}

impl Sampler {
    /// The name used on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Sampler::MonteCarlo => "mc",
            Sampler::LatinHypercube => "lhs",
            Sampler::Sobol => "sobol",
            Sampler::Saltelli => "saltelli",
            Sampler::Morris => "morris",
            Sampler::Factorial => "factorial",
        }
    }

    /// The sampler with this name.
    pub fn from_name(s: &str) -> Option<Sampler> {
        [
            Sampler::MonteCarlo,
            Sampler::LatinHypercube,
            Sampler::Sobol,
            Sampler::Saltelli,
            Sampler::Morris,
            Sampler::Factorial,
        ]
        .into_iter()
        .find(|x| x.name() == s)
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct PlanSpec {
    /// The sampler.
    pub sampler: Sampler,
    /// Number of samples (base size for Saltelli, trajectories for Morris).
    pub runs: usize,
    /// Replications (seeds) per sample.
    pub replications: usize,
    /// Courses of action, all run on every sample.
    pub coas: Vec<CoaId>,
    /// The shock played.
    pub shock: Option<ShockId>,
    /// Days per run.
    pub days: u32,
    /// Master seed.
    pub seed: u64,
    /// Paths of the uncertainties that vary (empty: all); the others stay nominal.
    pub vary: Vec<String>,
}

/// A plan: its specification and the sampled values.
#[derive(Clone, Debug)]
pub struct Plan {
    /// What was asked for.
    pub spec: PlanSpec,
    /// Indices (into the scenario's uncertainties) of the varied ones.
    pub varied: Vec<usize>,
    /// Points on the unit hypercube, one row per sample, one column per varied uncertainty.
    pub points: Matrix,
    /// The scenario's uncertainties, to map points to values.
    uncertainties: Vec<Uncertainty>,
}

/// One experiment of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Experiment {
    /// Its number.
    pub index: u64,
    /// Its scenario sample.
    pub sample: usize,
    /// Its replication.
    pub replication: usize,
    /// Its position in the plan's course-of-action list.
    pub coa_slot: usize,
    /// The run seed.
    pub seed: u64,
}

/// Why a plan cannot be made.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Plan {
    /// Samples the scenario's uncertainties as the spec says.
    pub fn new(scenario: &Scenario, spec: PlanSpec) -> Result<Plan, PlanError> {
        if spec.coas.is_empty() {
            return Err(PlanError("no course of action to run".into()));
        }
        if spec.replications == 0 {
            return Err(PlanError("replications must be at least 1".into()));
        }
        let varied: Vec<usize> = scenario
            .uncertainties
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                spec.vary.is_empty() || spec.vary.iter().any(|p| matches_path(p, &u.path))
            })
            .map(|(i, _)| i)
            .collect();
        if !spec.vary.is_empty() && varied.is_empty() {
            return Err(PlanError(format!(
                "no uncertain figure matches {}",
                spec.vary.join(", ")
            )));
        }
        let k = varied.len();
        let err = |e: patronfall_analysis::AnalysisError| PlanError(e.to_string());
        let needs_runs = !matches!(spec.sampler, Sampler::Factorial);
        if needs_runs && spec.runs == 0 {
            return Err(PlanError("runs must be at least 1".into()));
        }
        let points = if k == 0 {
            Matrix::zeros(if needs_runs { spec.runs } else { 1 }, 0)
        } else {
            match spec.sampler {
                Sampler::MonteCarlo => design::monte_carlo(spec.runs, k, spec.seed).map_err(err)?,
                Sampler::LatinHypercube => {
                    design::latin_hypercube(spec.runs, k, spec.seed).map_err(err)?
                }
                Sampler::Sobol => design::sobol(spec.runs, k, spec.seed).map_err(err)?,
                Sampler::Saltelli => design::saltelli(spec.runs, k, spec.seed)
                    .map_err(err)?
                    .stacked(),
                Sampler::Morris => {
                    design::morris(spec.runs, k, MORRIS_LEVELS, spec.seed)
                        .map_err(err)?
                        .points
                }
                Sampler::Factorial => {
                    let levels: Vec<usize> = varied
                        .iter()
                        .map(|&i| match &scenario.uncertainties[i].dist {
                            Dist::Discrete { values, .. } => values.len(),
                            _ => 1,
                        })
                        .collect();
                    design::full_factorial(&levels).map_err(err)?
                }
            }
        };
        Ok(Plan {
            spec,
            varied,
            points,
            uncertainties: scenario.uncertainties.clone(),
        })
    }

    /// The value of every uncertainty of the scenario (varied or nominal)
    /// in sample `r`. Computed on demand from the sample's point, so a plan
    /// holds one number per varied uncertainty and sample, not a world's
    /// worth of values per sample.
    pub fn values(&self, r: usize) -> Vec<f64> {
        let mut v: Vec<f64> = self.uncertainties.iter().map(|u| u.nominal).collect();
        for (j, &i) in self.varied.iter().enumerate() {
            let u = &self.uncertainties[i];
            let continuous_in_factorial =
                self.spec.sampler == Sampler::Factorial && !matches!(u.dist, Dist::Discrete { .. });
            if !continuous_in_factorial {
                v[i] = u.sample(self.points.get(r, j).min(1.0 - 1e-12));
            }
        }
        v
    }

    /// Number of scenario samples.
    pub fn samples(&self) -> usize {
        self.points.rows()
    }

    /// Number of experiments.
    pub fn experiments(&self) -> u64 {
        (self.samples() * self.spec.replications * self.spec.coas.len()) as u64
    }

    /// The experiment with this number.
    pub fn experiment(&self, index: u64) -> Experiment {
        let c = self.spec.coas.len() as u64;
        let r = self.spec.replications as u64;
        let coa_slot = (index % c) as usize;
        let run = index / c;
        Experiment {
            index,
            sample: (run / r) as usize,
            replication: (run % r) as usize,
            coa_slot,
            seed: run_seed(self.spec.seed, run),
        }
    }
}

/// Whether an uncertainty path matches a pattern: exact, or a prefix ending in `*`.
pub fn matches_path(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        patronfall_scenario::parse("template.toml", patronfall_scenario::TEMPLATE).unwrap()
    }

    fn spec(sampler: Sampler, runs: usize) -> PlanSpec {
        PlanSpec {
            sampler,
            runs,
            replications: 2,
            coas: vec![CoaId(0), CoaId(1)],
            shock: None,
            days: 10,
            seed: 7,
            vary: vec![],
        }
    }

    #[test]
    fn coas_share_samples_and_seeds() {
        let s = scenario();
        let plan = Plan::new(&s, spec(Sampler::LatinHypercube, 5)).unwrap();
        assert_eq!(plan.experiments(), 5 * 2 * 2);
        for i in (0..plan.experiments()).step_by(2) {
            let a = plan.experiment(i);
            let b = plan.experiment(i + 1);
            assert_eq!(
                (a.sample, a.replication, a.seed),
                (b.sample, b.replication, b.seed)
            );
            assert_ne!(a.coa_slot, b.coa_slot);
        }
        assert_ne!(plan.experiment(0).seed, plan.experiment(2).seed);
    }

    #[test]
    fn sampled_values_stay_in_their_ranges() {
        let s = scenario();
        for sampler in [Sampler::MonteCarlo, Sampler::LatinHypercube, Sampler::Sobol] {
            let plan = Plan::new(&s, spec(sampler, 64)).unwrap();
            for row in (0..plan.samples()).map(|r| plan.values(r)) {
                for (u, v) in s.uncertainties.iter().zip(&row) {
                    let (lo, hi) = u.dist.support();
                    assert!(
                        *v >= lo.max(u.min) - 1e-9 && *v <= hi.min(u.max) + 1e-9,
                        "{} = {v}",
                        u.path
                    );
                }
            }
        }
    }

    #[test]
    fn every_figure_of_the_built_in_scenario_fits_the_sobol_and_saltelli_designs() {
        let s = patronfall_scenario::open("iraq-after-tehran").unwrap();
        let k = s.uncertainties.len();
        assert!(k > 256, "{k} uncertain figures");
        let saltelli = Plan::new(&s, spec(Sampler::Saltelli, 8)).unwrap();
        assert_eq!(saltelli.varied.len(), k);
        assert_eq!(saltelli.samples(), 8 * (k + 2));
        let sobol = Plan::new(&s, spec(Sampler::Sobol, 16)).unwrap();
        assert_eq!((sobol.samples(), sobol.points.cols()), (16, k));
    }

    #[test]
    fn vary_restricts_the_design() {
        let s = scenario();
        let mut sp = spec(Sampler::MonteCarlo, 8);
        sp.vary = vec!["armed_group.*".into()];
        let plan = Plan::new(&s, sp).unwrap();
        assert!(
            plan.varied
                .iter()
                .all(|&i| s.uncertainties[i].path.starts_with("armed_group."))
        );
        let other = s
            .uncertainties
            .iter()
            .position(|u| !u.path.starts_with("armed_group."))
            .unwrap();
        assert!(
            (0..plan.samples()).all(|r| plan.values(r)[other] == s.uncertainties[other].nominal)
        );
        let mut bad = spec(Sampler::MonteCarlo, 8);
        bad.vary = vec!["nothing.*".into()];
        assert!(Plan::new(&s, bad).is_err());
    }
}
