//! Experiment plans: which scenario samples, courses of action and seeds to run.
//!
//! An experiment is one (scenario sample, course of action, replication); the
//! vocabulary follows the EMA Workbench. Every course of action sees the same
//! samples and the same seeds (common random numbers), so differences between
//! courses of action are paired. Experiments are numbered
//! `((sample · replications) + replication) · coas + coa`, and the run seed is
//! derived from (master seed, seed unit · replications + replication) alone,
//! never from the course of action.
//!
//! **Seed units.** For Monte Carlo, Latin hypercube, Sobol and factorial
//! plans every sample is its own seed unit. A sensitivity design
//! (Saltelli, Morris) shares its dice within a design unit, so that the
//! difference between two of its points is due to the figures and not to
//! the random numbers (common random numbers within the unit):
//!
//! * Saltelli: base row `j` is a unit; `A_j` and every `A_B^(g)_j` play the
//!   seed of side A, `B_j` the seed of side B (unit `2j` and `2j + 1`);
//! * Morris: trajectory `t` is a unit; its points play the seed of side A
//!   until the step that moves the dummy, and the seed of side B after it
//!   (unit `2t` and `2t + 1`).
//!
//! **The dummy factor.** Saltelli and Morris plans add a last design column,
//! [`DUMMY`], sampled like the others and read by no mechanism. Its only
//! effect is the side of the dice a point plays: where the design swaps the
//! dummy (its `A_B` block, its Morris step), the point re-rolls the dice and
//! changes nothing else. So its indices measure what the dice alone do to
//! the output, and a figure stands above the noise floor only if moving it
//! does more than re-rolling the dice (docs/analysis.md, "The noise floor").
//!
//! A plan is plain data: it can be printed, saved in the manifest and rerun.
//! It does not hold its samples' points but computes each when a chunk
//! needs it (`points.rs`), so its memory does not grow with the number of
//! samples (Latin hypercubes excepted).

use crate::points::Points;
use patronfall_analysis::Matrix;
use patronfall_analysis::design::{self, Groups, MorrisPoints, SaltelliPoints, SobolSequence};
use patronfall_model::rng::run_seed;
use patronfall_model::{CoaId, ShockId};
use patronfall_scenario::paths::{entity_of, kind_of};
use patronfall_scenario::{Dist, Scenario, Uncertainty};

/// Grid levels of a Morris plan's trajectories (recorded in the manifest's
/// design, from which the analysis rebuilds it).
pub const MORRIS_LEVELS: usize = 4;

/// The name of a sensitivity design's dummy factor and of its group.
pub const DUMMY: &str = "dummy";

/// How a sensitivity design (Saltelli, Morris) groups the varied figures:
/// the factors of one group move together, and the analysis gives one index
/// per group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// Every figure is a factor of its own.
    Figures,
    /// By the entity a figure is written under (`armed_group.kh`,
    /// `tie.iran->kh`, …; `patronfall_scenario::paths::entity_of`).
    Entity,
    /// By kind of figure (`armed_group.*.fighters`, …;
    /// `patronfall_scenario::paths::kind_of`).
    Kind,
    /// Groups the user names, each a list of path patterns (exact, or a
    /// prefix ending in `*`); a varied figure no pattern matches is a group
    /// of its own. A figure may match one group only.
    Named(Vec<NamedGroup>),
}

/// A group named by the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedGroup {
    /// Its name.
    pub name: String,
    /// Path patterns of its figures.
    pub patterns: Vec<String>,
}

impl Grouping {
    /// The name recorded in the manifest: `figures`, `entity`, `kind` or `named`.
    pub fn name(&self) -> &'static str {
        match self {
            Grouping::Figures => "figures",
            Grouping::Entity => "entity",
            Grouping::Kind => "kind",
            Grouping::Named(_) => "named",
        }
    }

    /// The group of each path.
    fn names(&self, paths: &[&str]) -> Result<Vec<String>, PlanError> {
        let mut out = Vec::with_capacity(paths.len());
        for path in paths {
            out.push(match self {
                Grouping::Figures => path.to_string(),
                Grouping::Entity => entity_of(path).to_string(),
                Grouping::Kind => kind_of(path),
                Grouping::Named(groups) => {
                    let mut found = groups
                        .iter()
                        .filter(|g| g.patterns.iter().any(|p| matches_path(p, path)));
                    match (found.next(), found.next()) {
                        (Some(a), Some(b)) => {
                            return Err(PlanError(format!(
                                "`{path}` is in two groups, `{}` and `{}`; a figure belongs to one group",
                                a.name, b.name
                            )));
                        }
                        (Some(g), None) => g.name.clone(),
                        (None, _) => path.to_string(),
                    }
                }
            });
        }
        Ok(out)
    }
}

/// The shape of a sensitivity design (Saltelli or Morris): what the
/// analysis needs to read its samples, recorded in the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityDesign {
    /// How the figures were grouped.
    pub grouping: String,
    /// The group of every design column: the varied figures in scenario
    /// order, then the dummy in a group of its own, [`DUMMY`].
    pub groups: Groups,
    /// Grid levels (Morris only).
    pub levels: Option<usize>,
    /// Morris: for each trajectory, the position (0-based) of the move
    /// that swaps the dummy (4 bytes a trajectory).
    dummy_moves: Vec<u32>,
}

impl SensitivityDesign {
    /// The dummy's group (always the last).
    pub fn dummy_group(&self) -> usize {
        self.groups.len() - 1
    }

    /// The dummy's design column (always the last).
    pub fn dummy_column(&self) -> usize {
        self.groups.factors() - 1
    }
}

/// How scenario samples are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampler {
    /// Independent uniform points (Monte Carlo).
    MonteCarlo,
    /// Latin hypercube: one point per stratum in every dimension.
    LatinHypercube,
    /// Keyed Latin hypercube: a Latin hypercube whose column for a figure
    /// is drawn from a stream chosen by the figure's path
    /// (`patronfall_analysis::design::latin_hypercube_keyed`), so a figure
    /// takes the same value in sample `r` whatever other figures the
    /// scenario has. Two versions of a scenario run with it (same seed and
    /// runs) stay paired figure by figure: `patronfall compare` uses it.
    KeyedLatinHypercube,
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
    /// Points given by the caller ([`Plan::from_points`]): the samples of a
    /// targeted follow-up (`patronfall update --follow-up`), drawn where
    /// observations point. Not a design [`Plan::grouped`] draws.
    FollowUp,
}

impl Sampler {
    /// The name used on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Sampler::MonteCarlo => "mc",
            Sampler::LatinHypercube => "lhs",
            Sampler::KeyedLatinHypercube => "lhs-keyed",
            Sampler::Sobol => "sobol",
            Sampler::Saltelli => "saltelli",
            Sampler::Morris => "morris",
            Sampler::Factorial => "factorial",
            Sampler::FollowUp => "follow-up",
        }
    }

    /// The sampler with this name.
    pub fn from_name(s: &str) -> Option<Sampler> {
        [
            Sampler::MonteCarlo,
            Sampler::LatinHypercube,
            Sampler::KeyedLatinHypercube,
            Sampler::Sobol,
            Sampler::Saltelli,
            Sampler::Morris,
            Sampler::Factorial,
            Sampler::FollowUp,
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
    /// Points on the unit hypercube, one per sample, one column per
    /// varied uncertainty, then (sensitivity designs) the dummy's column;
    /// computed by sample number ([`Plan::point`]).
    points: Points,
    /// Design columns: the varied figures, and the dummy of a sensitivity design.
    columns: usize,
    /// The sensitivity design's shape (Saltelli and Morris plans).
    pub design: Option<SensitivityDesign>,
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
    /// Samples the scenario's uncertainties as the spec says, every figure a
    /// factor of its own.
    pub fn new(scenario: &Scenario, spec: PlanSpec) -> Result<Plan, PlanError> {
        Plan::grouped(scenario, spec, &Grouping::Figures)
    }

    /// Samples the scenario's uncertainties as the spec says; a Saltelli or
    /// Morris design groups the varied figures by `grouping` (other samplers
    /// take only [`Grouping::Figures`]).
    pub fn grouped(
        scenario: &Scenario,
        spec: PlanSpec,
        grouping: &Grouping,
    ) -> Result<Plan, PlanError> {
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
        if spec.sampler == Sampler::FollowUp {
            return Err(PlanError(
                "a follow-up's samples are given, not drawn: make its plan with Plan::from_points"
                    .into(),
            ));
        }
        let sensitivity = matches!(spec.sampler, Sampler::Saltelli | Sampler::Morris);
        if !sensitivity && *grouping != Grouping::Figures {
            return Err(PlanError(format!(
                "groups apply to the saltelli and morris samplers, not {}",
                spec.sampler.name()
            )));
        }
        let groups = if sensitivity && k > 0 {
            let paths: Vec<&str> = varied
                .iter()
                .map(|&i| scenario.uncertainties[i].path.as_str())
                .collect();
            let mut names = grouping.names(&paths)?;
            if names.iter().any(|n| n == DUMMY) {
                return Err(PlanError(format!(
                    "`{DUMMY}` is the name of the design's dummy factor; name the group otherwise"
                )));
            }
            names.push(DUMMY.to_string());
            Some(Groups::new(&names).map_err(err)?)
        } else {
            None
        };
        let mut design = None;
        let points = if k == 0 {
            Points::Empty {
                rows: if needs_runs { spec.runs } else { 1 },
            }
        } else {
            match (spec.sampler, groups) {
                (Sampler::MonteCarlo, _) => Points::MonteCarlo {
                    rows: spec.runs,
                    seed: spec.seed,
                },
                (Sampler::LatinHypercube, _) => {
                    Points::Table(design::latin_hypercube(spec.runs, k, spec.seed).map_err(err)?)
                }
                (Sampler::KeyedLatinHypercube, _) => {
                    let keys: Vec<u64> = varied
                        .iter()
                        .map(|&i| design::column_key(&scenario.uncertainties[i].path))
                        .collect();
                    Points::Table(
                        design::latin_hypercube_keyed(spec.runs, &keys, spec.seed).map_err(err)?,
                    )
                }
                (Sampler::Sobol, _) => {
                    if spec.runs as u64 > design::MAX_SOBOL_POINTS {
                        return Err(PlanError(format!(
                            "the Sobol sequence has 2^32 points; {} runs is more",
                            spec.runs
                        )));
                    }
                    Points::Sobol {
                        rows: spec.runs,
                        sequence: SobolSequence::new(k, Some(spec.seed)).map_err(err)?,
                    }
                }
                (Sampler::Saltelli, Some(groups)) => {
                    let p = SaltelliPoints::new(spec.runs, &groups, spec.seed).map_err(err)?;
                    design = Some(SensitivityDesign {
                        grouping: grouping.name().to_string(),
                        groups,
                        levels: None,
                        dummy_moves: Vec::new(),
                    });
                    Points::Saltelli(p)
                }
                (Sampler::Morris, Some(groups)) => {
                    let p = MorrisPoints::new(spec.runs, &groups, MORRIS_LEVELS, spec.seed)
                        .map_err(err)?;
                    let g = groups.len();
                    let dummy_moves = (0..spec.runs)
                        .map(|t| p.order(t).position(|b| b == g - 1).unwrap_or(g) as u32)
                        .collect();
                    design = Some(SensitivityDesign {
                        grouping: grouping.name().to_string(),
                        groups,
                        levels: Some(MORRIS_LEVELS),
                        dummy_moves,
                    });
                    Points::Morris(p)
                }
                (Sampler::Saltelli | Sampler::Morris, None) => {
                    unreachable!("a sensitivity design with varied figures has groups")
                }
                (Sampler::FollowUp, _) => unreachable!("refused above"),
                (Sampler::Factorial, _) => {
                    let levels: Vec<usize> = varied
                        .iter()
                        .map(|&i| match &scenario.uncertainties[i].dist {
                            Dist::Discrete { values, .. } => values.len(),
                            _ => 1,
                        })
                        .collect();
                    Points::Factorial {
                        rows: design::factorial_rows(&levels).map_err(err)?,
                        levels,
                    }
                }
            }
        };
        let columns = design.as_ref().map_or(k, |d| d.groups.factors());
        Ok(Plan {
            spec,
            varied,
            points,
            columns,
            design,
            uncertainties: scenario.uncertainties.clone(),
        })
    }

    /// Sample `r`'s point on the unit hypercube (`r` below
    /// [`Plan::samples`]): one value per varied uncertainty, then the
    /// dummy's in a sensitivity design. Computed from `r` alone.
    pub fn point(&self, r: usize) -> Vec<f64> {
        self.points.point(r, self.columns)
    }

    /// A plan of given points (sampler [`Sampler::FollowUp`]): row `r` of
    /// `points` is sample `r`, column `j` the coordinate on `[0, 1]` of the
    /// uncertainty `varied[j]` (mapped through its inverse distribution
    /// function like any design's). Every sample is its own seed unit, so
    /// the courses of action share samples and seeds as in any plan.
    pub fn from_points(
        scenario: &Scenario,
        spec: PlanSpec,
        varied: Vec<usize>,
        points: Matrix,
    ) -> Result<Plan, PlanError> {
        if spec.sampler != Sampler::FollowUp {
            return Err(PlanError(format!(
                "given points make a follow-up plan, not a {} one",
                spec.sampler.name()
            )));
        }
        if spec.coas.is_empty() {
            return Err(PlanError("no course of action to run".into()));
        }
        if spec.replications == 0 {
            return Err(PlanError("replications must be at least 1".into()));
        }
        if points.rows() == 0 || points.rows() != spec.runs {
            return Err(PlanError(format!(
                "{} point(s) given for {} sample(s); give at least one, one per sample",
                points.rows(),
                spec.runs
            )));
        }
        if points.cols() != varied.len() {
            return Err(PlanError(format!(
                "points have {} column(s) for {} varied figure(s)",
                points.cols(),
                varied.len()
            )));
        }
        if let Some(&i) = varied.iter().find(|&&i| i >= scenario.uncertainties.len()) {
            return Err(PlanError(format!("no uncertain figure number {i}")));
        }
        if points.as_slice().iter().any(|x| !(0.0..=1.0).contains(x)) {
            return Err(PlanError("points must lie on [0, 1]".into()));
        }
        Ok(Plan {
            spec,
            columns: varied.len(),
            varied,
            points: Points::Table(points),
            design: None,
            uncertainties: scenario.uncertainties.clone(),
        })
    }

    /// The value of every uncertainty of the scenario (varied or nominal)
    /// in sample `r`. Computed on demand from the sample's point, so a plan
    /// holds no value of any sample.
    pub fn values(&self, r: usize) -> Vec<f64> {
        let mut v: Vec<f64> = self.uncertainties.iter().map(|u| u.nominal).collect();
        let point = self.point(r);
        for (j, &i) in self.varied.iter().enumerate() {
            let u = &self.uncertainties[i];
            let continuous_in_factorial =
                self.spec.sampler == Sampler::Factorial && !matches!(u.dist, Dist::Discrete { .. });
            if !continuous_in_factorial {
                v[i] = u.sample(point[j].min(1.0 - 1e-12));
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
        let (sample, replication) = (run / r, run % r);
        Experiment {
            index,
            sample: sample as usize,
            replication: replication as usize,
            coa_slot,
            seed: run_seed(self.spec.seed, self.seed_unit(sample) * r + replication),
        }
    }

    /// The seed unit of a sample (see the module's documentation): the
    /// sample itself, or in a sensitivity design its design unit and side.
    pub fn seed_unit(&self, sample: u64) -> u64 {
        let Some(d) = &self.design else {
            return sample;
        };
        let g = d.groups.len() as u64;
        let (unit, side_b) = match self.spec.sampler {
            Sampler::Saltelli => {
                let n = self.spec.runs as u64;
                let block = sample / n;
                (sample % n, block == 1 || block == 2 + g - 1)
            }
            _ => {
                let (t, m) = (sample / (g + 1), (sample % (g + 1)) as usize);
                (t, m > d.dummy_moves[t as usize] as usize)
            }
        };
        2 * unit + u64::from(side_b)
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
        for sampler in [
            Sampler::MonteCarlo,
            Sampler::LatinHypercube,
            Sampler::KeyedLatinHypercube,
            Sampler::Sobol,
        ] {
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
        // One block per figure and one for the dummy.
        assert_eq!(saltelli.samples(), 8 * (k + 3));
        assert_eq!(saltelli.point(0).len(), k + 1);
        let sobol = Plan::new(&s, spec(Sampler::Sobol, 16)).unwrap();
        assert_eq!((sobol.samples(), sobol.point(15).len()), (16, k));
    }

    /// The seeds of every sample of a plan, replication 0.
    fn seeds(plan: &Plan) -> Vec<u64> {
        let per_sample = (plan.spec.replications * plan.spec.coas.len()) as u64;
        (0..plan.samples() as u64)
            .map(|s| plan.experiment(s * per_sample).seed)
            .collect()
    }

    #[test]
    fn a_saltelli_base_row_shares_its_dice_except_where_the_dummy_swaps_them() {
        let s = scenario();
        let plan = Plan::new(&s, spec(Sampler::Saltelli, 4)).unwrap();
        let d = plan.design.as_ref().unwrap();
        let (n, k) = (4, plan.varied.len());
        assert_eq!(d.groups.len(), k + 1);
        assert_eq!(d.groups.names().last().map(String::as_str), Some(DUMMY));
        assert_eq!(plan.samples(), n * (k + 3));
        let seed = seeds(&plan);
        for j in 0..n {
            let (a, b) = (seed[j], seed[n + j]);
            assert_ne!(a, b);
            for g in 0..k {
                assert_eq!(seed[(2 + g) * n + j], a, "block of figure {g}, row {j}");
            }
            assert_eq!(seed[(2 + k) * n + j], b, "the dummy's block plays B's dice");
            // The dummy's block differs from A only in the dummy column.
            let (row_a, row_d) = (plan.point(j), plan.point((2 + k) * n + j));
            assert_eq!(row_a[..k], row_d[..k]);
            assert_ne!(row_a[k], row_d[k]);
        }
        let units: std::collections::BTreeSet<u64> = seed.iter().copied().collect();
        assert_eq!(units.len(), 2 * n, "two sides of the dice per base row");
        // Replications of a point have seeds of their own.
        assert_ne!(plan.experiment(0).seed, plan.experiment(2).seed);
    }

    #[test]
    fn a_morris_trajectory_shares_its_dice_until_the_dummy_moves() {
        let s = scenario();
        let plan = Plan::new(&s, spec(Sampler::Morris, 6)).unwrap();
        let d = plan.design.as_ref().unwrap();
        let g = d.groups.len();
        let dummy = d.dummy_column();
        let seed = seeds(&plan);
        for t in 0..6 {
            let first = t * (g + 1);
            for m in 0..g {
                let (x, y) = (plan.point(first + m), plan.point(first + m + 1));
                let dummy_moved = x[dummy] != y[dummy];
                assert_eq!(
                    seed[first + m] != seed[first + m + 1],
                    dummy_moved,
                    "trajectory {t}, move {m}"
                );
            }
        }
        assert_ne!(seed[0], seed[g + 1], "trajectories have dice of their own");
    }

    #[test]
    fn designs_group_figures_by_entity_kind_or_name() {
        let s = patronfall_scenario::open("iraq-after-tehran").unwrap();
        let k = s.uncertainties.len();
        let groups = |grouping: &Grouping| {
            Plan::grouped(&s, spec(Sampler::Saltelli, 2), grouping)
                .map(|p| p.design.unwrap().groups)
        };
        let entity = groups(&Grouping::Entity).unwrap();
        assert_eq!(entity.factors(), k + 1);
        assert!(entity.len() < k / 2, "{} entities", entity.len());
        let g = entity.group_of(0);
        assert!(
            entity
                .members(g)
                .iter()
                .all(|&i| i < k && entity_of(&s.uncertainties[i].path) == entity.names()[g])
        );
        let kind = groups(&Grouping::Kind).unwrap();
        assert!(kind.len() < entity.len());
        let named = Grouping::Named(vec![NamedGroup {
            name: "militias".into(),
            patterns: vec!["armed_group.*".into()],
        }]);
        let named = groups(&named).unwrap();
        let militia = named.names().iter().position(|n| n == "militias").unwrap();
        let inside = named.members(militia).len();
        let expected = s
            .uncertainties
            .iter()
            .filter(|u| u.path.starts_with("armed_group."))
            .count();
        assert_eq!(inside, expected);
        assert_eq!(named.len(), k - expected + 2);
        let overlapping = Grouping::Named(vec![
            NamedGroup {
                name: "a".into(),
                patterns: vec!["armed_group.*".into()],
            },
            NamedGroup {
                name: "b".into(),
                patterns: vec!["armed_group.kh.*".into()],
            },
        ]);
        let e = groups(&overlapping).unwrap_err();
        assert!(e.0.contains("two groups, `a` and `b`"), "{e}");
        let dummy = Grouping::Named(vec![NamedGroup {
            name: DUMMY.into(),
            patterns: vec!["state.*".into()],
        }]);
        assert!(groups(&dummy).unwrap_err().0.contains("dummy"));
        let e = Plan::grouped(&s, spec(Sampler::LatinHypercube, 2), &Grouping::Kind).unwrap_err();
        assert!(e.0.contains("saltelli and morris"), "{e}");
    }

    #[test]
    fn other_samplers_keep_one_seed_unit_per_sample() {
        let s = scenario();
        let plan = Plan::new(&s, spec(Sampler::LatinHypercube, 5)).unwrap();
        assert!(plan.design.is_none());
        for e in (0..plan.experiments()).map(|i| plan.experiment(i)) {
            let run = (e.sample * 2 + e.replication) as u64;
            assert_eq!(e.seed, run_seed(7, run));
        }
    }

    /// The template with one more uncertain figure: a range where the
    /// template has a plain number.
    fn scenario_with_one_more_figure() -> (Scenario, String) {
        let before = scenario();
        let mut added = None;
        let mut text = String::new();
        for line in patronfall_scenario::TEMPLATE.lines() {
            let replaced = added
                .is_none()
                .then(|| plain_number_as_range(line))
                .flatten();
            match replaced {
                Some(l) => {
                    added = Some(());
                    text.push_str(&l);
                }
                None => text.push_str(line),
            }
            text.push('\n');
        }
        let after = patronfall_scenario::parse("template.toml", &text).unwrap();
        assert_eq!(after.uncertainties.len(), before.uncertainties.len() + 1);
        let new = after
            .uncertainties
            .iter()
            .find(|u| !before.uncertainties.iter().any(|b| b.path == u.path))
            .unwrap()
            .path
            .clone();
        (after, new)
    }

    /// `key = 0.5` becomes `key = [0.25, 0.75]` (a figure in (0, 1) that a
    /// range can replace), or `None` for any other line.
    fn plain_number_as_range(line: &str) -> Option<String> {
        let (key, value) = line.split_once(" = ")?;
        let v: f64 = value.trim().parse().ok()?;
        let simple = key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        (simple && v > 0.2 && v < 0.8 && value.contains('.'))
            .then(|| format!("{key} = [{}, {}]", v - 0.1, v + 0.1))
    }

    #[test]
    fn a_keyed_plan_keeps_every_other_figure_when_a_figure_is_added() {
        let before = scenario();
        let (after, new) = scenario_with_one_more_figure();
        let sp = || spec(Sampler::KeyedLatinHypercube, 16);
        let (a, b) = (
            Plan::new(&before, sp()).unwrap(),
            Plan::new(&after, sp()).unwrap(),
        );
        for r in 0..16 {
            let (va, vb) = (a.values(r), b.values(r));
            for (u, x) in before.uncertainties.iter().zip(&va) {
                let j = after
                    .uncertainties
                    .iter()
                    .position(|w| w.path == u.path)
                    .unwrap();
                assert_eq!(x.to_bits(), vb[j].to_bits(), "{} in sample {r}", u.path);
            }
        }
        // The same seeds too: the seed unit is the sample.
        assert_eq!(seeds(&a), seeds(&b));
        // A plain Latin hypercube moves them (one stream in column order).
        let (la, lb) = (
            Plan::new(&before, spec(Sampler::LatinHypercube, 16)).unwrap(),
            Plan::new(&after, spec(Sampler::LatinHypercube, 16)).unwrap(),
        );
        let moved = before.uncertainties.iter().enumerate().any(|(i, u)| {
            let j = after
                .uncertainties
                .iter()
                .position(|w| w.path == u.path)
                .unwrap();
            (0..16).any(|r| la.values(r)[i] != lb.values(r)[j])
        });
        assert!(
            moved,
            "adding {new} moved no figure of a plain Latin hypercube"
        );
    }

    #[test]
    fn a_plan_of_given_points_maps_them_and_shares_seeds_across_coas() {
        let s = scenario();
        let mut sp = spec(Sampler::FollowUp, 3);
        assert!(Plan::new(&s, sp.clone()).is_err());
        let points = Matrix::from_rows("p", &[vec![0.1], vec![0.5], vec![0.9]]).unwrap();
        let plan = Plan::from_points(&s, sp.clone(), vec![2], points.clone()).unwrap();
        let u = &s.uncertainties[2];
        assert_eq!(plan.values(1)[2], u.sample(0.5));
        assert_eq!(plan.values(1)[0], s.uncertainties[0].nominal);
        let (a, b) = (plan.experiment(0), plan.experiment(1));
        assert_eq!((a.sample, a.seed), (b.sample, b.seed));
        assert_eq!(a.seed, run_seed(7, 0));
        sp.runs = 2;
        assert!(Plan::from_points(&s, sp, vec![2], points).is_err());
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
