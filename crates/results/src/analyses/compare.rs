//! Two versions of a scenario compared on paired samples: what differs
//! between them, and what that does to the futures and key outcomes of each
//! course of action.
//!
//! **Pairing.** Run `r`, replication `k` and course of action `c` of
//! version A is paired with the same of version B. That is a fair pair only
//! if both saw the same value of every figure they share and the same
//! random numbers: the run seed derives from (master seed, sample,
//! replication) alone, and the keyed Latin hypercube (`lhs-keyed`) draws
//! each figure's column from a stream keyed by its path, so a figure
//! unchanged between the versions takes the same value in both, whatever
//! figures were added or removed. [`compare`] checks it: every figure both
//! versions vary with the same distribution must take the same value in
//! every pair, or the directories are refused. Adding an actor can change
//! how many random numbers a mechanism draws per day, so after a structural
//! change the dice are shared as far as the model's streams allow, not
//! exactly.
//!
//! **Intervals.** A future's probability in each version has its Wilson
//! interval; the paired difference B − A has Newcombe's interval for paired
//! proportions (Newcombe 1998, method 10); a key outcome's paired mean
//! difference has the Student t interval of the differences
//! (`patronfall_analysis::proportion`), all at `futures::CONFIDENCE`.
//!
//! [`run_version`] runs one version into a results directory, for
//! `patronfall compare` of two scenario files (and, cancellable with
//! progress, for `patronfall serve`'s what-ifs); the comparison is saved in
//! B's directory as `analysis/compare.json`, where the report finds it.

use super::{Analysis, Results, finite};
use crate::Manifest;
use crate::directory::RunsFormatsChoice;
use crate::error::ResultsError;
use patronfall_analysis::futures::{CONFIDENCE, NO_FUTURE};
use patronfall_analysis::proportion::{paired_difference_of, paired_mean_difference, share};
use patronfall_ensemble::runner::{Options, RunError};
use patronfall_ensemble::{Plan, Sampler};
use patronfall_scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The outcomes compared when none are named: last-day values of the
/// headline outcomes (columns of `runs.csv`).
pub const KEY_OUTCOMES: [&str; 5] = [
    "fighters_outside_state_control",
    "casualties",
    "crossers_total",
    "legitimacy",
    "state_strength",
];

/// One version, as its results directory records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// Its results directory, as given.
    pub dir: String,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario file (`builtin:<name>` or a path).
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// SHA-256 of its `runs.csv`.
    pub runs_sha256: String,
    /// patronfall's version that ran it.
    pub version: String,
}

/// A figure that differs between the versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureDifference {
    /// Its path (an uncertain figure's path, or the file's path to it).
    pub path: String,
    /// A's value or range as written, or its distribution; `null` where A
    /// does not set it.
    pub a: Option<String>,
    /// B's, likewise.
    pub b: Option<String>,
    /// Whether it is an uncertain figure of either version.
    pub uncertain: bool,
    /// The source keys it rests on (B's, or A's where B lacks it).
    pub sources: Vec<String>,
    /// `sourced`, `mixed`, `assumption`, `unsourced`, or empty for a
    /// figure that is not uncertain.
    pub basis: String,
}

/// An entry (an actor, a tie, a lever, a source …) one version has and the
/// other not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryDifference {
    /// The list and the entry's name (`armed_group.kh`).
    pub path: String,
    /// `added` (B has it) or `removed` (A has it).
    pub change: String,
}

/// A future's probability in A and B and their paired difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FutureComparison {
    /// The future, or [`NO_FUTURE`].
    pub future: String,
    /// Its share of A's runs (0–1).
    pub a: f64,
    /// Wilson interval of A's share.
    pub a_low: f64,
    /// Upper end.
    pub a_high: f64,
    /// Its share of B's runs (0–1).
    pub b: f64,
    /// Wilson interval of B's share.
    pub b_low: f64,
    /// Upper end.
    pub b_high: f64,
    /// B − A over the pairs (0–1); `null` where it cannot be computed.
    pub difference: Option<f64>,
    /// Lower end of Newcombe's paired interval.
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
}

/// A key outcome's mean in A and B and their paired difference, in the
/// outcome's units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeComparison {
    /// The column of `runs.csv`.
    pub outcome: String,
    /// Mean over A's paired runs.
    pub a_mean: Option<f64>,
    /// Mean over B's paired runs.
    pub b_mean: Option<f64>,
    /// Mean of B − A over the pairs.
    pub difference: Option<f64>,
    /// Lower end of the t interval.
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
}

/// One course of action in both versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoaComparison {
    /// The course of action.
    pub coa: String,
    /// Pairs of finished runs.
    pub pairs: usize,
    /// Every future either version has, then [`NO_FUTURE`] where reached.
    pub futures: Vec<FutureComparison>,
    /// The compared outcomes.
    pub outcomes: Vec<OutcomeComparison>,
}

/// `analysis/compare.json`, saved in B's directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Two-sided confidence level of every interval.
    pub confidence: f64,
    /// Version A.
    pub a: Version,
    /// Version B.
    pub b: Version,
    /// Sampler, samples, replications, seed, shock and days both ran with.
    pub sampler: String,
    /// Scenario samples.
    pub samples: usize,
    /// Replications per sample.
    pub replications: usize,
    /// Master seed.
    pub seed: u64,
    /// The shock played.
    pub shock: String,
    /// Days per run.
    pub days: u32,
    /// Figures varied by both versions with the same distribution, found
    /// with the same value in every pair.
    pub paired_figures: usize,
    /// Whether both scenario files were read (their SHA-256 as recorded),
    /// so that fixed figures and entries are compared too; otherwise only
    /// the uncertain figures of the manifests are.
    pub files_compared: bool,
    /// Figures that differ, in path order.
    pub figures: Vec<FigureDifference>,
    /// Entries added or removed, in path order.
    pub entries: Vec<EntryDifference>,
    /// Courses of action both versions ran, in A's order.
    pub coas: Vec<CoaComparison>,
}

impl Analysis for Comparison {
    const NAME: &'static str = "compare";
}

/// Runs one version of a scenario into `dir` (which must exist and be
/// empty) as `patronfall ensemble` would, with no cancel: the manifest,
/// the runs table in the formats `asked` or by the size rule
/// ([`crate::directory::runs_formats`]), and the other files of a results
/// directory. Returns the manifest written and the formats chosen.
pub fn run_version(
    scenario: &Scenario,
    plan: &Plan,
    options: Options,
    to: (&Path, Option<crate::RunsFormats>),
    command: Vec<String>,
) -> Result<(Manifest, RunsFormatsChoice), ResultsError> {
    let never = AtomicBool::new(false);
    run_version_with(scenario, plan, options, to, command, &never, &mut |_, _| {})
}

/// [`run_version`] that stops between chunks once `cancel` is raised (the
/// manifest then says the directory is incomplete) and reports
/// `progress(done, total)` after each chunk, for `patronfall serve`.
pub fn run_version_with(
    scenario: &Scenario,
    plan: &Plan,
    options: Options,
    (dir, asked): (&Path, Option<crate::RunsFormats>),
    command: Vec<String>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Manifest, RunsFormatsChoice), ResultsError> {
    let manifest = Manifest::new(scenario, plan, &options, command);
    let choice = crate::directory::runs_formats(asked, &manifest, scenario);
    let never = AtomicBool::new(false);
    let control = crate::directory::Control {
        cancel,
        abort: &never,
        progress,
    };
    let block = 0..plan.experiments();
    crate::directory::run_plan(
        scenario,
        plan,
        options,
        crate::directory::Destination {
            dir,
            formats: choice.formats,
        },
        manifest,
        block,
        control,
    )
    .map(|filled| (filled.manifest, choice))
    .map_err(|e| match e {
        RunError::Sink(e) => e,
        RunError::Threads(e) => {
            ResultsError::request(Some("threads"), format!("cannot start worker threads: {e}"))
        }
    })
}

/// The plan setting both versions must share for their runs to pair.
fn check_plans(a: &Results, b: &Results) -> Result<(), ResultsError> {
    let (ma, mb) = (&a.manifest, &b.manifest);
    let settings = [
        ("sampler", ma.sampler.clone(), mb.sampler.clone()),
        ("samples", ma.samples.to_string(), mb.samples.to_string()),
        (
            "replications",
            ma.replications.to_string(),
            mb.replications.to_string(),
        ),
        ("seed", ma.seed.to_string(), mb.seed.to_string()),
        ("shock", ma.shock.clone(), mb.shock.clone()),
        ("days", ma.days.to_string(), mb.days.to_string()),
    ];
    for (name, x, y) in settings {
        if x != y {
            return Err(ResultsError::request(
                None,
                format!(
                    "{} and {} were not run on the same plan: {name} is {x} in one and {y} in the \
                     other, so their runs do not pair; run both with the same settings (or compare \
                     the two scenario files, which runs them alike)",
                    a.dir.display(),
                    b.dir.display()
                ),
            ));
        }
    }
    if ma.design.is_some() {
        return Err(ResultsError::request(
            None,
            format!(
                "{} was run with the {} sensitivity design; compare pairs plain samples \
                 (lhs-keyed, lhs, mc or sobol)",
                a.dir.display(),
                ma.sampler
            ),
        ));
    }
    Ok(())
}

/// The row of every (sample, replication) of one course of action, in
/// (sample, replication) order.
fn cells(results: &Results, coa: &str) -> Vec<Option<usize>> {
    results.grid(coa).into_iter().flatten().collect()
}

/// Checks that the figures both versions vary alike take the same values
/// in every pair; returns how many such figures there are.
fn check_pairing(a: &Results, b: &Results, coa: &str) -> Result<usize, ResultsError> {
    let (ca, cb) = (cells(a, coa), cells(b, coa));
    let mut paired = 0;
    for ua in a.manifest.uncertainties.iter().filter(|u| u.varied) {
        let Some(ub) = b
            .manifest
            .uncertainties
            .iter()
            .find(|u| u.path == ua.path && u.varied)
        else {
            continue;
        };
        if (ua.dist.as_str(), ua.support) != (ub.dist.as_str(), ub.support) {
            continue;
        }
        let (xa, xb) = (a.table.column(&ua.path), b.table.column(&ub.path));
        let (Some(xa), Some(xb)) = (xa, xb) else {
            continue;
        };
        for (ra, rb) in ca.iter().zip(&cb) {
            let (Some(ra), Some(rb)) = (ra, rb) else {
                continue;
            };
            let (va, vb) = (&a.table.rows[*ra][xa], &b.table.rows[*rb][xb]);
            if va != vb {
                return Err(ResultsError::request(
                    None,
                    format!(
                        "the runs of {} and {} are not paired: `{}` has the same distribution in \
                         both but is {va} in one and {vb} in the other in sample {}; run both \
                         versions with `--sampler lhs-keyed` and the same seed and runs (or \
                         compare the two scenario files, which does)",
                        a.dir.display(),
                        b.dir.display(),
                        ua.path,
                        a.sample[*ra]
                    ),
                ));
            }
        }
        paired += 1;
    }
    Ok(paired)
}

/// An uncertain figure as the manifest records it, for people.
fn described(u: &crate::manifest::UncertaintyEntry) -> String {
    format!(
        "{} {}–{} (nominal {})",
        u.dist, u.support[0], u.support[1], u.nominal
    )
}

/// The figures and entries that differ: from both scenario files when they
/// can be read as recorded, else from the manifests' uncertain figures.
fn differences(a: &Results, b: &Results) -> (bool, Vec<FigureDifference>, Vec<EntryDifference>) {
    let text = |m: &Manifest| {
        patronfall_scenario::source_text(&m.scenario_file)
            .filter(|t| patronfall_scenario::text_hash(t) == m.scenario_sha256)
    };
    let find = |r: &Results, p: &str| {
        r.manifest
            .uncertainties
            .iter()
            .find(|u| u.path == p)
            .cloned()
    };
    let figure = |path: &str, fa: Option<String>, fb: Option<String>| {
        let (ua, ub) = (find(a, path), find(b, path));
        let trace = ub.as_ref().or(ua.as_ref());
        FigureDifference {
            path: path.to_string(),
            a: fa,
            b: fb,
            uncertain: trace.is_some(),
            sources: trace.map(|u| u.sources.clone()).unwrap_or_default(),
            basis: trace.map(|u| u.basis.clone()).unwrap_or_default(),
        }
    };
    let files = text(&a.manifest).zip(text(&b.manifest));
    if let Some(d) = files.and_then(|(ta, tb)| patronfall_scenario::diff::diff(&ta, &tb).ok()) {
        let figures = d
            .figures
            .into_iter()
            .map(|f| figure(&f.path, f.a, f.b))
            .collect();
        let entries = d
            .entries
            .into_iter()
            .map(|e| EntryDifference {
                path: e.path,
                change: if e.added { "added" } else { "removed" }.to_string(),
            })
            .collect();
        return (true, figures, entries);
    }
    let mut paths: Vec<&str> = a
        .manifest
        .uncertainties
        .iter()
        .chain(&b.manifest.uncertainties)
        .map(|u| u.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let figures = paths
        .into_iter()
        .filter_map(|p| {
            let (ua, ub) = (find(a, p), find(b, p));
            let (da, db) = (ua.as_ref().map(described), ub.as_ref().map(described));
            (da != db).then(|| figure(p, da, db))
        })
        .collect();
    (false, figures, Vec::new())
}

/// Compares version A's results with version B's on paired runs. `coas`
/// restricts the courses of action (all both versions ran if empty);
/// `outcomes` names the columns of `runs.csv` to compare
/// ([`KEY_OUTCOMES`] if empty).
pub fn compare(
    a: &Results,
    b: &Results,
    coas: &[String],
    outcomes: &[String],
) -> Result<Comparison, ResultsError> {
    check_plans(a, b)?;
    let shared: Vec<String> = a
        .manifest
        .coas
        .iter()
        .filter(|c| b.manifest.coas.contains(c))
        .cloned()
        .collect();
    let chosen: Vec<String> = if coas.is_empty() {
        shared.clone()
    } else {
        for c in coas {
            if !shared.contains(c) {
                return Err(ResultsError::request(
                    Some("coa"),
                    format!(
                        "`{c}` is not a course of action both versions ran; they share: {}",
                        shared.join(", ")
                    ),
                ));
            }
        }
        coas.to_vec()
    };
    if chosen.is_empty() {
        return Err(ResultsError::request(
            Some("coa"),
            format!(
                "{} and {} ran no course of action in common",
                a.dir.display(),
                b.dir.display()
            ),
        ));
    }
    let outcomes: Vec<String> = if outcomes.is_empty() {
        KEY_OUTCOMES.iter().map(|s| s.to_string()).collect()
    } else {
        outcomes.to_vec()
    };
    let columns = |r: &Results| -> Result<Vec<Vec<f64>>, ResultsError> {
        outcomes.iter().map(|o| r.numeric(o)).collect()
    };
    let (cols_a, cols_b) = (columns(a)?, columns(b)?);
    let mut paired_figures = 0;
    let mut futures: Vec<String> = a.manifest.futures.clone();
    futures.extend(
        b.manifest
            .futures
            .iter()
            .filter(|f| !a.manifest.futures.contains(f))
            .cloned(),
    );
    fn name_of(r: &Results, row: usize) -> &str {
        r.future[row].map_or(NO_FUTURE, |f| r.manifest.futures[f].as_str())
    }
    let mut compared = Vec::new();
    for coa in &chosen {
        paired_figures = check_pairing(a, b, coa)?;
        let pairs: Vec<(usize, usize)> = cells(a, coa)
            .into_iter()
            .zip(cells(b, coa))
            .filter_map(|(x, y)| Some((x?, y?)))
            .collect();
        let mut labels = futures.clone();
        let none = pairs
            .iter()
            .any(|&(x, y)| a.future[x].is_none() || b.future[y].is_none());
        if none {
            labels.push(NO_FUTURE.to_string());
        }
        let future_rows = labels
            .iter()
            .filter_map(|f| {
                let fa: Vec<bool> = pairs.iter().map(|&(x, _)| name_of(a, x) == f).collect();
                let fb: Vec<bool> = pairs.iter().map(|&(_, y)| name_of(b, y) == f).collect();
                let (sa, sb) = (share(&fa, CONFIDENCE).ok()?, share(&fb, CONFIDENCE).ok()?);
                let d = paired_difference_of(&fb, &fa, CONFIDENCE).ok();
                Some(FutureComparison {
                    future: f.clone(),
                    a: sa.estimate,
                    a_low: sa.lower,
                    a_high: sa.upper,
                    b: sb.estimate,
                    b_low: sb.lower,
                    b_high: sb.upper,
                    difference: d.and_then(|i| finite(i.estimate)),
                    low: d.and_then(|i| finite(i.lower)),
                    high: d.and_then(|i| finite(i.upper)),
                })
            })
            .collect();
        let outcome_rows = outcomes
            .iter()
            .zip(cols_a.iter().zip(&cols_b))
            .map(|(name, (va, vb))| {
                let xa: Vec<f64> = pairs.iter().map(|&(x, _)| va[x]).collect();
                let xb: Vec<f64> = pairs.iter().map(|&(_, y)| vb[y]).collect();
                let mean =
                    |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
                let d = paired_mean_difference(&xb, &xa, CONFIDENCE).ok();
                OutcomeComparison {
                    outcome: name.clone(),
                    a_mean: mean(&xa).and_then(finite),
                    b_mean: mean(&xb).and_then(finite),
                    difference: d.and_then(|m| finite(m.interval.estimate)),
                    low: d.and_then(|m| finite(m.interval.lower)),
                    high: d.and_then(|m| finite(m.interval.upper)),
                }
            })
            .collect();
        compared.push(CoaComparison {
            coa: coa.clone(),
            pairs: pairs.len(),
            futures: future_rows,
            outcomes: outcome_rows,
        });
    }
    let (files_compared, figures, entries) = differences(a, b);
    let version = |r: &Results| -> Result<Version, ResultsError> {
        Ok(Version {
            dir: r.dir.display().to_string(),
            scenario: r.manifest.scenario.clone(),
            scenario_file: r.manifest.scenario_file.clone(),
            scenario_sha256: r.manifest.scenario_sha256.clone(),
            runs_sha256: crate::read::runs_sha256(&r.dir)?,
            version: r.manifest.version.clone(),
        })
    };
    let m = &a.manifest;
    Ok(Comparison {
        confidence: CONFIDENCE,
        a: version(a)?,
        b: version(b)?,
        sampler: m.sampler.clone(),
        samples: m.samples,
        replications: m.replications,
        seed: m.seed,
        shock: m.shock.clone(),
        days: m.days,
        paired_figures,
        files_compared,
        figures,
        entries,
        coas: compared,
    })
}

/// The sampler `patronfall compare` runs two scenario versions with.
pub const SAMPLER: Sampler = Sampler::KeyedLatinHypercube;
