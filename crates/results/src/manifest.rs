//! `manifest.json`: what an ensemble ran, with what, and how far it got.
//!
//! [`Manifest::new`] is the one place a manifest is made: from the scenario
//! and the plan, so that what it records (the design: sampler, runs,
//! samples, seed, the figures varied, and for a sensitivity design its
//! layout, groups, dummy and seed units) is what ran.

use crate::error::ResultsError;
use crate::write::margin_column;
use patronfall_ensemble::{DUMMY, Options, Plan, Sampler};
use patronfall_model::PARAMETERS;
use patronfall_scenario::Scenario;
use patronfall_scenario::trace::Basis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Format version of the results directory.
pub const RESULTS_FORMAT: u32 = 1;

/// The platform this binary runs on, as `arch-os-env` (the target's
/// architecture, operating system and C library or ABI).
pub fn platform() -> String {
    let env = if cfg!(target_env = "gnu") {
        "gnu"
    } else if cfg!(target_env = "musl") {
        "musl"
    } else if cfg!(target_env = "msvc") {
        "msvc"
    } else {
        "none"
    };
    format!("{}-{}-{env}", std::env::consts::ARCH, std::env::consts::OS)
}

/// One uncertain figure of the run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UncertaintyEntry {
    /// Its path, also its column name in `runs.csv`.
    pub path: String,
    /// Distribution name.
    pub dist: String,
    /// Smallest and largest value it can take.
    pub support: [f64; 2],
    /// Nominal value.
    pub nominal: f64,
    /// Whether the plan varied it (otherwise it stayed nominal).
    pub varied: bool,
    /// The source keys it rests on (its own, then its entity's;
    /// `patronfall_scenario::trace`); empty in directories written before
    /// they were recorded.
    #[serde(default)]
    pub sources: Vec<String>,
    /// What those keys are: `sourced`, `mixed` (a published source and an
    /// analyst assumption), `assumption` or `unsourced`; empty in
    /// directories written before it was recorded.
    #[serde(default)]
    pub basis: String,
}

/// One condition of a future, as the runs recorded it: its margin column
/// and what it compared.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ConditionEntry {
    /// The future it belongs to.
    pub future: String,
    /// Its place in the future's `when`, from 0.
    pub index: usize,
    /// Its margin's column in `runs.csv` (`margin.<future>.<index>`): by
    /// how much it held (positive or zero) or failed (negative), in the
    /// outcome's unit.
    pub column: String,
    /// The outcome compared.
    pub outcome: String,
    /// How its daily series is reduced: `end`, `max`, `min` or `mean`.
    pub stat: String,
    /// The comparison: `>`, `>=`, `<` or `<=`.
    pub op: String,
    /// The threshold's nominal value, in the outcome's unit.
    pub value: f64,
    /// The threshold's path (also its column in `runs.csv`) when it is an
    /// uncertain figure; `null` when it is a plain number.
    pub path: Option<String>,
}

/// One group of a sensitivity design.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DesignGroup {
    /// Its name: a figure's path (ungrouped), an entity, a kind, a name
    /// from the groups file, or `dummy`.
    pub name: String,
    /// The paths of its figures (none for the dummy).
    pub figures: Vec<String>,
}

/// The shape of a sensitivity design (sampler `saltelli` or `morris`),
/// from which the analysis reads the samples; the sampler, the base size
/// (`runs`) and the seed are the manifest's own fields.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Design {
    /// How the samples are laid out: `saltelli-blocks` (A, B, then one
    /// A_B block per group, `runs` rows each) or `morris-trajectories`
    /// (`runs` trajectories of one point per group and one more).
    pub layout: String,
    /// Design columns: the varied figures in manifest order, then the dummy.
    pub factors: usize,
    /// Grid levels of the Morris trajectories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<usize>,
    /// How the figures were grouped: `figures` (each its own), `entity`,
    /// `kind` or `named`.
    pub grouping: String,
    /// The groups in design order (the order of the A_B blocks and of the
    /// analysis's indices); the last is the dummy.
    pub groups: Vec<DesignGroup>,
    /// The dummy's design column (0-based): read by no mechanism; where
    /// the design swaps it the point re-rolls the dice.
    pub dummy: usize,
    /// Which samples share their dice: `design-unit` (a Saltelli base row,
    /// a Morris trajectory; side B where the dummy is swapped).
    pub seeds: String,
}

/// Which uncertain figures have a column in `runs.csv` and `runs.parquet`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureColumns {
    /// Every uncertain figure of the scenario, varied or nominal.
    #[default]
    All,
    /// Only the figures the plan varied; the others stayed at their
    /// nominal values, which `uncertainties` records. A row of the built-in
    /// scenario is about 8 kB with every figure: a large ensemble that
    /// varies a few figures saves most of its disk this way.
    Varied,
}

impl FigureColumns {
    /// The name on the command line and in the manifest: `all` or `varied`.
    pub fn name(self) -> &'static str {
        match self {
            FigureColumns::All => "all",
            FigureColumns::Varied => "varied",
        }
    }
}

/// The layout name of a Saltelli design.
pub const SALTELLI_LAYOUT: &str = "saltelli-blocks";
/// The layout name of a Morris design.
pub const MORRIS_LAYOUT: &str = "morris-trajectories";
/// The seed units of a sensitivity design.
pub const DESIGN_UNIT_SEEDS: &str = "design-unit";

impl Design {
    /// The record of a plan's sensitivity design, if it has one.
    fn of(scenario: &Scenario, plan: &Plan) -> Option<Design> {
        let d = plan.design.as_ref()?;
        let path = |column: usize| {
            plan.varied
                .get(column)
                .map(|&i| scenario.uncertainties[i].path.clone())
        };
        let groups = d
            .groups
            .names()
            .iter()
            .enumerate()
            .map(|(g, name)| DesignGroup {
                name: name.clone(),
                figures: d.groups.members(g).into_iter().filter_map(path).collect(),
            })
            .collect();
        Some(Design {
            layout: match plan.spec.sampler {
                Sampler::Saltelli => SALTELLI_LAYOUT,
                _ => MORRIS_LAYOUT,
            }
            .to_string(),
            factors: d.groups.factors(),
            levels: d.levels,
            grouping: d.grouping.clone(),
            groups,
            dummy: d.dummy_column(),
            seeds: DESIGN_UNIT_SEEDS.to_string(),
        })
    }

    /// The group names of the design columns in order (`names_by_factor`
    /// of `patronfall_analysis::design::Groups::new`), for the varied
    /// figures `paths`; `None` if the record does not partition them and
    /// the dummy.
    pub fn names_by_factor(&self, paths: &[String]) -> Option<Vec<String>> {
        if self.factors != paths.len() + 1 || self.dummy != paths.len() {
            return None;
        }
        let (dummy, figures) = self.groups.split_last()?;
        if dummy.name != DUMMY || !dummy.figures.is_empty() {
            return None;
        }
        let mut names: Vec<Option<&str>> = vec![None; paths.len()];
        for g in figures {
            for f in &g.figures {
                let i = paths.iter().position(|p| p == f)?;
                if names[i].replace(g.name.as_str()).is_some() {
                    return None;
                }
            }
        }
        let mut out: Vec<String> = names
            .into_iter()
            .map(|n| n.map(str::to_string))
            .collect::<Option<_>>()?;
        out.push(DUMMY.to_string());
        Some(out)
    }
}

/// Which shard of a plan a directory holds (`patronfall ensemble --shard
/// K/N`; `patronfall_ensemble::shard`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ShardEntry {
    /// This shard's number, from 1 to `count`.
    pub index: u32,
    /// How many shards the plan is split into.
    pub count: u32,
    /// The experiment numbers it holds: from the first up to, not
    /// including, the second.
    pub experiments: [u64; 2],
    /// Experiments in the whole plan.
    pub plan_experiments: u64,
    /// The plan's identity ([`Manifest::plan_sha256`]): shards join only
    /// with shards of the same.
    pub plan_sha256: String,
}

/// Where a directory joined from shards came from (`patronfall results
/// merge`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct MergedEntry {
    /// How many shards were joined.
    pub shards: u32,
    /// The plan's identity, the same in every shard.
    pub plan_sha256: String,
    /// Each shard's command as typed, in shard order.
    pub commands: Vec<Vec<String>>,
}

/// The fields of a manifest that say how one directory of a plan was made
/// rather than what the plan is: left out of [`Manifest::plan_identity`].
/// The scenario file is named by its path on the machine that ran, so it
/// is here too; `scenario_sha256` identifies the scenario.
const NOT_PLAN: [&str; 9] = [
    "command",
    "platform",
    "scenario_file",
    "experiments_planned",
    "experiments_done",
    "complete",
    "files",
    "shard",
    "merged",
];

/// How the samples of a targeted follow-up were made: from which runs,
/// which observations, and with which kernel
/// (`patronfall_analysis::follow_up`). Its runs are not draws from the
/// prior: every analysis of their futures weights them, sample `s` by
/// `exp(log_correction[s])` (times the observations' likelihood for the
/// posterior).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FollowUp {
    /// The parent results directory, as given on the command line.
    pub parent: String,
    /// SHA-256 of the parent's `runs.csv`: the runs whose weights chose the samples.
    pub parent_runs_sha256: String,
    /// The observations file, as given.
    pub observations: String,
    /// SHA-256 of the observations file.
    pub observations_sha256: String,
    /// Courses of action whose weights were pooled (each with an equal say).
    pub pooled_coas: Vec<String>,
    /// Kish's effective sample size of the pooled weights of the parent's samples.
    pub parent_effective_samples: f64,
    /// The method, in words.
    pub method: String,
    /// Seed of the resampling and the kernel's draws.
    pub kernel_seed: u64,
    /// Seed of the Latin hypercube that draws the other varied figures afresh.
    pub fresh_seed: u64,
    /// The figures perturbed around a resampled parent, with the kernel's
    /// width on the unit interval of their distribution function.
    pub perturbed: Vec<KernelWidth>,
    /// The prior the follow-up's posterior is set beside: per pooled
    /// course of action, the parent's share of runs in each future (then
    /// the runs that reached none), and each varied figure's summary over
    /// the parent's samples. The follow-up's own runs are not prior draws.
    pub prior: Vec<PriorShares>,
    /// See `prior`.
    pub prior_figures: Vec<PriorFigure>,
    /// Per sample: the parent sample it was perturbed from.
    pub parents: Vec<usize>,
    /// Per sample: `ln(prior density / proposal density)` on the unit
    /// hypercube, its importance correction.
    pub log_correction: Vec<f64>,
}

/// A course of action's futures in a follow-up's parent.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PriorShares {
    /// Course of action.
    pub coa: String,
    /// Share of its runs in each future of the manifest's `futures`, then
    /// in none.
    pub shares: Vec<f64>,
}

/// A varied figure's summary over a follow-up's parent samples.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PriorFigure {
    /// Its path.
    pub path: String,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5, 50 and 95% quantiles.
    pub quantiles: [f64; 3],
}

/// One perturbed figure of a follow-up.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct KernelWidth {
    /// The figure's path.
    pub path: String,
    /// The truncated normal kernel's width (standard deviation) on `[0, 1]`.
    pub width: f64,
}

/// The manifest of a results directory.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Results format version.
    pub format: u32,
    /// patronfall version that wrote it.
    pub version: String,
    /// The platform that computed it, as `arch-os-env` (for example
    /// `x86_64-linux-gnu`). The model's transcendental functions are
    /// `patronfall-math`'s, so the system math library and the CPU's FMA do
    /// not change the bytes; the field records where a directory came from
    /// in case a platform's floating point ever does. Empty in directories
    /// written before it was recorded.
    #[serde(default)]
    pub platform: String,
    /// The command that produced it, as typed.
    pub command: Vec<String>,
    /// Scenario id.
    pub scenario: String,
    /// Scenario file (or `builtin:<name>`).
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Sampler name.
    pub sampler: String,
    /// Samples asked for (base size for Saltelli, trajectories for Morris).
    pub runs: usize,
    /// Scenario samples in the plan.
    pub samples: usize,
    /// Replications per sample.
    pub replications: usize,
    /// Master seed; run seeds derive from (seed, seed unit · replications +
    /// replication), where the seed unit is the sample, or in a sensitivity
    /// design its design unit and side (`design.seeds`).
    pub seed: u64,
    /// Courses of action, in plan order.
    pub coas: Vec<String>,
    /// Shock played.
    pub shock: String,
    /// Days per run.
    pub days: u32,
    /// Futures in rule order.
    pub futures: Vec<String>,
    /// Every condition of every future, future by future in rule order and
    /// in `when` order within each: the margin columns of `runs.csv`, in
    /// their order. Empty in directories written before margins were
    /// recorded.
    #[serde(default)]
    pub conditions: Vec<ConditionEntry>,
    /// Uncertain figures.
    pub uncertainties: Vec<UncertaintyEntry>,
    /// Which of them have a column in the runs table: `all` (also in
    /// directories written before it was recorded) or `varied`.
    #[serde(default)]
    pub figure_columns: FigureColumns,
    /// The model's general parameters (nominal values).
    pub parameters: BTreeMap<String, f64>,
    /// Whether the model's parameters were varied over their plausible
    /// ranges (`--vary-parameters`): they are then among `uncertainties`,
    /// and the scenario is re-opened the same way (`Reading`). False in
    /// directories written before it was recorded.
    #[serde(default)]
    pub vary_parameters: bool,
    /// The sensitivity design (samplers `saltelli` and `morris`); absent
    /// for other samplers and in directories written before it was
    /// recorded, whose sensitivity analysis asks for the ensemble again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<Design>,
    /// How a follow-up's samples were made (sampler `follow-up`, written
    /// by `patronfall update --follow-up`); absent for other samplers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// Samples per COA whose daily series feed `timeseries.parquet`.
    pub series_sample: usize,
    /// Whether per-experiment series were kept.
    pub keep_series: bool,
    /// Experiments in the plan.
    pub experiments_planned: u64,
    /// Experiments finished and written.
    pub experiments_done: u64,
    /// Whether every experiment finished.
    pub complete: bool,
    /// Files in the directory.
    pub files: Vec<String>,
    /// The shard of the plan this directory holds; absent for a whole
    /// plan. `experiments_planned` then counts the shard's experiments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardEntry>,
    /// The shards this directory was joined from; absent for a directory
    /// one ensemble wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<MergedEntry>,
}

/// The conditions of the scenario's futures, in the order of the runs'
/// margins.
fn conditions(scenario: &Scenario) -> Vec<ConditionEntry> {
    scenario
        .world
        .futures
        .iter()
        .zip(&scenario.ids.futures)
        .flat_map(|(f, id)| {
            f.conditions.iter().enumerate().map(move |(k, c)| {
                let path = format!("future.{id}.when.{k}.value");
                ConditionEntry {
                    future: id.clone(),
                    index: k,
                    column: margin_column(id, k),
                    outcome: c.outcome.name().to_string(),
                    stat: c.stat.name().to_string(),
                    op: c.op.symbol().to_string(),
                    value: c.value,
                    path: scenario
                        .uncertainties
                        .iter()
                        .any(|u| u.path == path)
                        .then_some(path),
                }
            })
        })
        .collect()
}

impl Manifest {
    /// How the ensemble read its scenario: a report or analysis that
    /// re-opens it must read it the same way to see the same figures.
    pub fn reading(&self) -> patronfall_scenario::Reading {
        patronfall_scenario::Reading {
            vary_parameters: self.vary_parameters,
        }
    }

    /// The manifest of an ensemble about to run `plan` on `scenario` with
    /// `options`, started by `command` (as typed): no experiment done yet,
    /// `complete` false, no files listed.
    pub fn new(scenario: &Scenario, plan: &Plan, options: &Options, command: Vec<String>) -> Self {
        let spec = &plan.spec;
        let assumed = scenario.assumption_keys();
        Manifest {
            format: RESULTS_FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            platform: platform(),
            command,
            scenario: scenario.id.clone(),
            scenario_file: scenario.file.clone(),
            scenario_sha256: scenario.hash.clone(),
            sampler: spec.sampler.name().to_string(),
            runs: spec.runs,
            samples: plan.samples(),
            replications: spec.replications,
            seed: spec.seed,
            coas: spec
                .coas
                .iter()
                .map(|c| scenario.ids.coas[c.index()].clone())
                .collect(),
            shock: spec.shock.map_or_else(
                || "none".to_string(),
                |k| scenario.ids.shocks[k.index()].clone(),
            ),
            days: spec.days,
            futures: scenario.ids.futures.clone(),
            conditions: conditions(scenario),
            uncertainties: scenario
                .uncertainties
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let (lo, hi) = u.dist.support();
                    UncertaintyEntry {
                        path: u.path.clone(),
                        dist: u.dist.name().to_string(),
                        support: [lo.max(u.min), hi.min(u.max)],
                        nominal: u.nominal,
                        varied: plan.varied.contains(&i),
                        sources: u.sources.clone(),
                        basis: Basis::of(&u.sources, |k| assumed.contains(&k))
                            .name()
                            .to_string(),
                    }
                })
                .collect(),
            figure_columns: FigureColumns::All,
            parameters: PARAMETERS
                .iter()
                .map(|p| (p.name.to_string(), (p.get)(&scenario.world.params)))
                .collect(),
            vary_parameters: scenario.reading.vary_parameters,
            design: Design::of(scenario, plan),
            follow_up: None,
            series_sample: options.series_sample,
            keep_series: options.keep_series,
            experiments_planned: plan.experiments(),
            experiments_done: 0,
            complete: false,
            files: Vec::new(),
            shard: None,
            merged: None,
        }
    }

    /// The uncertain figures that have a column in the runs table, in
    /// order: each one's place in the scenario's uncertainties (and in a
    /// run's values) and its path.
    pub fn figure_columns(&self) -> Vec<(usize, String)> {
        self.uncertainties
            .iter()
            .enumerate()
            .filter(|(_, u)| self.figure_columns == FigureColumns::All || u.varied)
            .map(|(i, u)| (i, u.path.clone()))
            .collect()
    }

    /// This manifest made the manifest of shard `shard` of its plan: it
    /// records the shard and the plan's identity, and plans the shard's
    /// experiments only.
    pub fn for_shard(mut self, shard: patronfall_ensemble::Shard) -> Manifest {
        let plan_experiments = self.experiments_planned;
        let block = shard.range(plan_experiments);
        self.shard = Some(ShardEntry {
            index: shard.index,
            count: shard.count,
            experiments: [block.start, block.end],
            plan_experiments,
            plan_sha256: self.plan_sha256(),
        });
        self.experiments_planned = block.end - block.start;
        self
    }

    /// What defines the plan and every byte of its results: the manifest
    /// as JSON without the fields that describe one directory's making
    /// (the command, platform, scenario file's path, progress, files,
    /// shard and merge). The version, scenario hash, seed, sampler, sizes,
    /// courses of action, shock, days, figures, parameters, design and
    /// series options are all in it.
    pub fn plan_identity(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            // A manifest is a struct of strings, numbers and lists.
            _ => serde_json::Map::new(),
        };
        for key in NOT_PLAN {
            map.remove(key);
        }
        map
    }

    /// The SHA-256 (hex) of [`Manifest::plan_identity`]'s JSON text: the
    /// same for every shard of one plan, whatever machine ran it.
    pub fn plan_sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        let text = serde_json::Value::Object(self.plan_identity()).to_string();
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The margin columns of `runs.csv`, in order.
    pub fn margin_columns(&self) -> Vec<String> {
        self.conditions.iter().map(|c| c.column.clone()).collect()
    }

    /// Reads a manifest from its JSON text; older manifests (without
    /// `platform`) read too.
    pub fn from_json(text: &str) -> serde_json::Result<Manifest> {
        serde_json::from_str(text)
    }

    /// The manifest's file text: pretty JSON and a final newline.
    pub fn to_json(&self) -> String {
        // A manifest holds only strings, numbers and lists: it always encodes.
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        format!("{text}\n")
    }

    /// Writes `DIR/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), ResultsError> {
        let path = dir.join("manifest.json");
        crate::write_atomic(&path, self.to_json().as_bytes())
            .map_err(ResultsError::io("write", &path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest as the first format wrote it, before `platform`.
    const WITHOUT_PLATFORM: &str = r#"{
        "format": 1, "version": "0.1.0", "command": ["patronfall"],
        "scenario": "s", "scenario_file": "builtin:s", "scenario_sha256": "00",
        "sampler": "lhs", "runs": 1, "samples": 1, "replications": 1, "seed": 1,
        "coas": ["a"], "shock": "none", "days": 1, "futures": ["f"],
        "uncertainties": [], "parameters": {}, "series_sample": 0,
        "keep_series": false, "experiments_planned": 1, "experiments_done": 1,
        "complete": true, "files": []
    }"#;

    #[test]
    fn platform_names_architecture_system_and_environment() {
        let p = platform();
        let parts: Vec<&str> = p.split('-').collect();
        assert_eq!(parts.len(), 3, "{p}");
        assert!(parts.iter().all(|s| !s.is_empty()), "{p}");
        assert_eq!(parts[0], std::env::consts::ARCH);
        assert_eq!(parts[1], std::env::consts::OS);
    }

    #[test]
    fn a_new_manifest_records_the_plan_it_was_made_from() {
        use patronfall_ensemble::{PlanSpec, Sampler};
        let s = patronfall_scenario::open("template").unwrap();
        let varied = s.uncertainties[1].path.clone();
        let spec = PlanSpec {
            sampler: Sampler::Morris,
            runs: 3,
            replications: 2,
            coas: vec![s.coa("act").unwrap()],
            shock: None,
            days: 12,
            seed: 9,
            vary: vec![varied.clone()],
        };
        let plan = Plan::new(&s, spec).unwrap();
        let options = Options {
            threads: 1,
            chunk: 8,
            keep_series: true,
            series_sample: 5,
        };
        let m = Manifest::new(&s, &plan, &options, vec!["patronfall".into()]);
        assert_eq!(m.sampler, "morris");
        // Three trajectories of one figure and the dummy: three points each.
        assert_eq!((m.runs, m.samples, m.replications, m.seed), (3, 9, 2, 9));
        assert_eq!(m.coas, ["act"]);
        assert_eq!((m.shock.as_str(), m.days), ("none", 12));
        assert_eq!((m.series_sample, m.keep_series), (5, true));
        assert_eq!(m.experiments_planned, 18);
        assert_eq!((m.experiments_done, m.complete), (0, false));
        let flagged: Vec<&str> = m
            .uncertainties
            .iter()
            .filter(|u| u.varied)
            .map(|u| u.path.as_str())
            .collect();
        assert_eq!(flagged, [varied.as_str()]);
        assert_eq!(m.uncertainties.len(), s.uncertainties.len());
        assert_eq!(Manifest::from_json(&m.to_json()).unwrap(), m);
        let d = m.design.as_ref().expect("a Morris plan records its design");
        assert_eq!(
            (d.layout.as_str(), d.factors, d.levels, d.dummy),
            (MORRIS_LAYOUT, 2, Some(4), 1)
        );
        assert_eq!(
            (d.grouping.as_str(), d.seeds.as_str()),
            ("figures", "design-unit")
        );
        let names: Vec<&str> = d.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, [varied.as_str(), DUMMY]);
        assert_eq!(d.groups[0].figures, std::slice::from_ref(&varied));
        assert!(d.groups[1].figures.is_empty());
        assert_eq!(
            d.names_by_factor(std::slice::from_ref(&varied)),
            Some(vec![varied.clone(), DUMMY.to_string()])
        );
        assert_eq!(d.names_by_factor(&["other".to_string()]), None);
    }

    #[test]
    fn a_grouped_saltelli_design_records_its_groups() {
        use patronfall_ensemble::{Grouping, PlanSpec};
        let s = patronfall_scenario::open("template").unwrap();
        let spec = PlanSpec {
            sampler: Sampler::Saltelli,
            runs: 4,
            replications: 1,
            coas: vec![s.coa("act").unwrap()],
            shock: None,
            days: 5,
            seed: 3,
            vary: vec![],
        };
        let plan = Plan::grouped(&s, spec, &Grouping::Entity).unwrap();
        let options = Options {
            threads: 1,
            chunk: 8,
            keep_series: false,
            series_sample: 0,
        };
        let m = Manifest::new(&s, &plan, &options, vec![]);
        let d = m.design.unwrap();
        assert_eq!(
            (d.layout.as_str(), d.grouping.as_str()),
            (SALTELLI_LAYOUT, "entity")
        );
        assert_eq!(d.factors, s.uncertainties.len() + 1);
        assert_eq!(m.samples, 4 * (d.groups.len() + 2));
        let listed: usize = d.groups.iter().map(|g| g.figures.len()).sum();
        assert_eq!(listed, s.uncertainties.len());
        let paths: Vec<String> = s.uncertainties.iter().map(|u| u.path.clone()).collect();
        let names = d.names_by_factor(&paths).unwrap();
        assert_eq!(names.len(), paths.len() + 1);
        // A manifest of another sampler has no design.
        assert!(WITHOUT_PLATFORM.contains("\"lhs\""));
        assert_eq!(Manifest::from_json(WITHOUT_PLATFORM).unwrap().design, None);
    }

    #[test]
    fn figure_columns_are_every_figure_or_the_varied_ones() {
        use patronfall_ensemble::{PlanSpec, Sampler};
        let s = patronfall_scenario::open("template").unwrap();
        let varied = s.uncertainties[2].path.clone();
        let spec = PlanSpec {
            sampler: Sampler::MonteCarlo,
            runs: 2,
            replications: 1,
            coas: vec![s.coa("act").unwrap()],
            shock: None,
            days: 5,
            seed: 1,
            vary: vec![varied.clone()],
        };
        let plan = Plan::new(&s, spec).unwrap();
        let mut m = Manifest::new(&s, &plan, &Options::default(), vec![]);
        assert_eq!(m.figure_columns, FigureColumns::All);
        assert_eq!(m.figure_columns().len(), s.uncertainties.len());
        m.figure_columns = FigureColumns::Varied;
        assert_eq!(m.figure_columns(), [(2, varied)]);
        let text = m.to_json();
        assert!(text.contains("\"figure_columns\": \"varied\""), "{text}");
        assert_eq!(Manifest::from_json(&text).unwrap(), m);
        // A manifest written before the field was recorded had every figure.
        let old = Manifest::from_json(WITHOUT_PLATFORM).unwrap();
        assert_eq!(old.figure_columns, FigureColumns::All);
    }

    #[test]
    fn every_figure_records_its_sources_and_basis() {
        use patronfall_ensemble::{PlanSpec, Sampler};
        let s = patronfall_scenario::open("iraq-after-tehran").unwrap();
        let spec = PlanSpec {
            sampler: Sampler::MonteCarlo,
            runs: 1,
            replications: 1,
            coas: vec![patronfall_model::CoaId(0)],
            shock: None,
            days: 1,
            seed: 1,
            vary: vec![],
        };
        let plan = Plan::new(&s, spec).unwrap();
        let options = Options {
            threads: 1,
            chunk: 8,
            keep_series: false,
            series_sample: 0,
        };
        let m = Manifest::new(&s, &plan, &options, vec![]);
        let capacity = m
            .uncertainties
            .iter()
            .find(|u| u.path == "state.iran.capacity")
            .unwrap();
        assert_eq!(capacity.sources.first().map(String::as_str), Some("S62"));
        for basis in ["sourced", "assumption"] {
            assert!(m.uncertainties.iter().any(|u| u.basis == basis), "{basis}");
        }
        assert!(
            m.uncertainties
                .iter()
                .filter(|u| u.basis == "assumption")
                .all(|u| u.sources.iter().all(|k| k == "A1"))
        );
    }

    #[test]
    fn a_shard_records_its_block_and_the_plan_it_belongs_to() {
        let m = Manifest::from_json(WITHOUT_PLATFORM).expect("reads");
        let mut m = Manifest {
            experiments_planned: 10,
            ..m
        };
        let whole = m.plan_sha256();
        let shard = m
            .clone()
            .for_shard(patronfall_ensemble::Shard { index: 2, count: 3 });
        let entry = shard.shard.clone().expect("a shard entry");
        assert_eq!((entry.index, entry.count), (2, 3));
        assert_eq!(entry.experiments, [3, 6]);
        assert_eq!((entry.plan_experiments, shard.experiments_planned), (10, 3));
        // The identity leaves out how a directory was made, not what ran.
        assert_eq!(entry.plan_sha256, whole);
        assert_eq!(shard.plan_sha256(), whole);
        m.command = vec!["elsewhere".into()];
        m.platform = "other".into();
        m.scenario_file = "/another/copy.toml".into();
        assert_eq!(m.plan_sha256(), whole);
        m.seed = 2;
        assert_ne!(m.plan_sha256(), whole);
        let back = Manifest::from_json(&shard.to_json()).expect("reads back");
        assert_eq!(back, shard);
        // A whole plan's manifest writes no shard or merge entry.
        assert!(!m.to_json().contains("\"shard\""));
        assert!(!m.to_json().contains("\"merged\""));
    }

    #[test]
    fn manifests_written_before_the_platform_still_read() {
        let m = Manifest::from_json(WITHOUT_PLATFORM).expect("reads");
        assert_eq!(m.platform, "");
        let again: Manifest =
            serde_json::from_str(&serde_json::to_string(&m).unwrap()).expect("round trip");
        assert_eq!(again, m);
    }
}
