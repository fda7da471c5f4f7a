//! The representative run of each course of action, re-run to get the
//! per-entity series the results directory does not hold (faction stances,
//! crossings and interdictions per border segment, unrest per community) and
//! the narrative log.
//!
//! Rule: among the runs of a course of action that reached its most common
//! future, pick the one whose end-of-run key outcomes are closest to the
//! medians of all that course of action's runs. Distance = Σ ((x − median) /
//! scale)², scale = interquartile range (or |median|, or 1, when that is 0),
//! over [`KEY_OUTCOMES`]; ties go to the lowest experiment number. The run is
//! replayed from its row: the sampled value of every uncertainty (by path),
//! its seed, the manifest's shock and days, so it is the same run as in the
//! ensemble when the scenario file is unchanged.

use crate::error::ReportError;
use patronfall_model::{
    ArmedGroup, DayOutcomes, LogEntry, Observer, Outcome, RunResult, RunSpec, Stance, State, World,
    has_stance, run,
};
use patronfall_results::Manifest;
use patronfall_results::read::RunsTable;
use patronfall_scenario::Scenario;
use std::path::Path;

/// End-of-run outcomes that define "typical" (columns of runs.csv).
pub const KEY_OUTCOMES: [&str; 6] = [
    "fighters_outside_state_control_share",
    "crossers_total",
    "active_share",
    "casualties",
    "legitimacy",
    "patron_influence",
];

/// Records what the report's per-entity panels need, day by day.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// The narrative log.
    pub log: Vec<LogEntry>,
    /// `stances[day][group]`: `None` for a group whose stance means
    /// nothing that day (a state force, a splinter not yet formed).
    pub stances: Vec<Vec<Option<Stance>>>,
    /// `crossers[day][segment]`: people who crossed that day.
    pub crossers: Vec<Vec<f64>>,
    /// `interdicted[day][segment]`: people interdicted that day.
    pub interdicted: Vec<Vec<f64>>,
    /// `active[day][community]`: share active in unrest, 0..1.
    pub active: Vec<Vec<f64>>,
    /// Listed fighters still active per group at the end of the run (people).
    pub active_fighters_end: Vec<f64>,
    /// The world's armed groups, to tell whose stance means something.
    groups: Vec<ArmedGroup>,
}

impl Trace {
    /// An empty trace of a run of `world`.
    pub fn new(world: &World) -> Trace {
        Trace {
            groups: world.groups.clone(),
            ..Trace::default()
        }
    }
}

impl Observer for Trace {
    fn wants_log(&self) -> bool {
        true
    }

    fn log(&mut self, entry: LogEntry) {
        self.log.push(entry);
    }

    fn day(&mut self, _day: u32, _outcomes: &DayOutcomes, state: &State) {
        self.stances.push(
            state
                .groups
                .iter()
                .zip(&self.groups)
                .map(|(gs, group)| has_stance(group, gs).then_some(gs.stance))
                .collect(),
        );
        self.crossers
            .push(state.segments.iter().map(|s| s.crossers_today).collect());
        self.interdicted
            .push(state.segments.iter().map(|s| s.interdicted_today).collect());
        self.active
            .push(state.communities.iter().map(|c| c.active).collect());
        self.active_fighters_end = state.groups.iter().map(|g| g.active).collect();
    }
}

/// A course of action's representative run.
#[derive(Clone, Debug)]
pub struct Representative {
    /// Course of action.
    pub coa: String,
    /// Experiment number in the ensemble.
    pub experiment: String,
    /// Its seed.
    pub seed: u64,
    /// The future the ensemble recorded for it.
    pub recorded_future: String,
    /// The future the replay reached (differs only if the scenario changed).
    pub replayed_future: String,
    /// The world it ran on (the scenario with the run's sampled values).
    pub world: World,
    /// What the replay returned.
    pub result: RunResult,
    /// What the replay recorded.
    pub trace: Trace,
}

fn median_and_scale(mut v: Vec<f64>) -> (f64, f64) {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return (0.0, 1.0);
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = p * (v.len() - 1) as f64;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        v[lo] + (v[hi] - v[lo]) * (h - lo as f64)
    };
    let (m, iqr) = (q(0.5), q(0.75) - q(0.25));
    let scale = if iqr > 0.0 {
        iqr
    } else if m.abs() > 0.0 {
        m.abs()
    } else {
        1.0
    };
    (m, scale)
}

/// Index of the representative row among `rows` (row indices of one course of action).
pub fn pick(runs: &RunsTable, rows: &[usize]) -> Option<usize> {
    let fi = runs.column("future")?;
    let mut tally: Vec<(String, usize)> = Vec::new();
    for &r in rows {
        let f = &runs.rows[r][fi];
        match tally.iter_mut().find(|t| &t.0 == f) {
            Some(t) => t.1 += 1,
            None => tally.push((f.clone(), 1)),
        }
    }
    // The most common future; the first seen wins ties, so the pick is stable.
    let best = tally
        .iter()
        .fold(None::<&(String, usize)>, |b, t| match b {
            Some(b) if b.1 >= t.1 => Some(b),
            _ => Some(t),
        })?;
    let candidates: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| runs.rows[r][fi] == best.0)
        .collect();
    let cols: Vec<usize> = KEY_OUTCOMES.iter().filter_map(|k| runs.column(k)).collect();
    let value = |r: usize, c: usize| runs.rows[r][c].parse::<f64>().unwrap_or(f64::NAN);
    let centre: Vec<(f64, f64)> = cols
        .iter()
        .map(|&c| median_and_scale(rows.iter().map(|&r| value(r, c)).collect()))
        .collect();
    let distance = |r: usize| -> f64 {
        cols.iter()
            .zip(&centre)
            .map(|(&c, &(m, s))| {
                let x = value(r, c);
                if x.is_finite() {
                    ((x - m) / s).powi(2)
                } else {
                    1e12
                }
            })
            .sum()
    };
    candidates
        .into_iter()
        .map(|r| (distance(r), r))
        .fold(None::<(f64, usize)>, |b, (d, r)| match b {
            Some((bd, _)) if bd <= d => b,
            _ => Some((d, r)),
        })
        .map(|(_, r)| r)
}

/// Replays the representative run of every course of action of the manifest.
/// `runs` needs only the columns `coa`, `future` and [`KEY_OUTCOMES`]; the
/// chosen rows are then read whole from `runs_path` (a second pass, so the
/// report never holds every column of every run).
pub fn replay_all(
    scenario: &Scenario,
    manifest: &Manifest,
    runs: &RunsTable,
    runs_path: &Path,
) -> Result<Vec<Representative>, ReportError> {
    let ci = runs
        .column("coa")
        .ok_or_else(|| ReportError::input(runs_path, "column `coa` is missing"))?;
    let mut picked = Vec::new();
    for coa in &manifest.coas {
        let rows: Vec<usize> = (0..runs.rows.len())
            .filter(|&r| &runs.rows[r][ci] == coa)
            .collect();
        if let Some(r) = pick(runs, &rows) {
            picked.push((coa, r));
        }
    }
    let dir = runs_path.parent().unwrap_or(Path::new("."));
    let whole = patronfall_results::read::runs_where(
        dir,
        |_| true,
        |r| picked.iter().any(|&(_, p)| p == r),
    )
    .map_err(|e| ReportError::input(runs_path, e))?;
    let mut order: Vec<usize> = picked.iter().map(|&(_, r)| r).collect();
    order.sort_unstable();
    order.dedup();
    let mut out = Vec::new();
    for (coa, r) in picked {
        let at = order.binary_search(&r).map_err(|_| {
            ReportError::input(
                runs_path,
                format!("{}: row vanished", place(runs_path, r + 2)),
            )
        })?;
        out.push(replay(
            scenario,
            manifest,
            &whole,
            at,
            r + 2,
            coa,
            runs_path,
        )?);
    }
    Ok(out)
}

/// Where a row is, for messages: its line in `runs.csv` (the header is line
/// 1), or its row in `runs.parquet` (the first row is row 1).
fn place(runs_path: &Path, line: usize) -> String {
    if runs_path.extension().is_some_and(|e| e == "parquet") {
        format!("row {}", line.saturating_sub(1))
    } else {
        format!("line {line}")
    }
}

/// Replays one row of a runs table holding every column; `line` is that
/// row's line in `runs.csv` (for `runs.parquet`, its row number plus one),
/// for messages.
pub fn replay(
    scenario: &Scenario,
    manifest: &Manifest,
    runs: &RunsTable,
    row: usize,
    line: usize,
    coa: &str,
    runs_path: &Path,
) -> Result<Representative, ReportError> {
    let cell = |name: &str| -> Result<&str, ReportError> {
        runs.column(name)
            .map(|c| runs.rows[row][c].as_str())
            .ok_or_else(|| ReportError::input(runs_path, format!("column `{name}` is missing")))
    };
    let seed: u64 = cell("seed")?.parse().map_err(|_| {
        ReportError::input(
            runs_path,
            format!("{}: `seed` is not a whole number", place(runs_path, line)),
        )
    })?;
    let mut values = Vec::with_capacity(scenario.uncertainties.len());
    for u in &scenario.uncertainties {
        let v = match runs.column(&u.path) {
            Some(c) => runs.rows[row][c].parse::<f64>().map_err(|_| {
                ReportError::input(
                    runs_path,
                    format!("{}: `{}` is not a number", place(runs_path, line), u.path),
                )
            })?,
            None => u.nominal,
        };
        values.push(v);
    }
    let coa_id = scenario.coa(coa).ok_or_else(|| {
        ReportError::input(
            runs_path,
            format!(
                "course of action `{coa}` is no longer in scenario {}",
                scenario.id
            ),
        )
    })?;
    let shock = match manifest.shock.as_str() {
        "none" if scenario.shock("none").is_none() => None,
        name => Some(scenario.shock(name).ok_or_else(|| {
            ReportError::input(
                runs_path,
                format!("shock `{name}` is no longer in scenario {}", scenario.id),
            )
        })?),
    };
    let world = scenario.world_with(&values);
    let mut trace = Trace::new(&world);
    let result = run(
        RunSpec {
            world: &world,
            coa: coa_id,
            shock,
            days: manifest.days,
            seed,
        },
        &mut trace,
    );
    let replayed_future = result
        .future
        .and_then(|f| scenario.ids.futures.get(f).cloned())
        .unwrap_or_else(|| crate::futures::NO_FUTURE.to_string());
    let recorded = cell("future")?;
    Ok(Representative {
        coa: coa.to_string(),
        experiment: cell("experiment")?.to_string(),
        seed,
        recorded_future: if recorded.is_empty() {
            crate::futures::NO_FUTURE.to_string()
        } else {
            recorded.to_string()
        },
        replayed_future,
        world,
        result,
        trace,
    })
}

/// The log entries the narrative shows: importance ≥ 3, and ≥ 2 in the first 14 days.
pub fn narrative(log: &[LogEntry]) -> impl Iterator<Item = &LogEntry> {
    log.iter()
        .filter(|e| e.importance >= 3 || (e.importance >= 2 && e.day <= 14))
}

/// Outcome names the panels use, checked against the model's catalogue.
pub fn known(name: &str) -> bool {
    Outcome::from_name(name).is_some()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_row_is_placed_by_line_in_csv_and_by_row_in_parquet() {
        assert_eq!(place(Path::new("out/runs.csv"), 7), "line 7");
        assert_eq!(place(Path::new("out/runs.parquet"), 7), "row 6");
    }

    use super::*;

    fn table(rows: &[(&str, f64)]) -> RunsTable {
        let mut columns = vec!["experiment".to_string(), "future".to_string()];
        columns.extend(KEY_OUTCOMES.iter().map(|s| s.to_string()));
        RunsTable {
            columns,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, (f, x))| {
                    let mut r = vec![i.to_string(), f.to_string()];
                    r.extend(KEY_OUTCOMES.iter().map(|_| x.to_string()));
                    r
                })
                .collect(),
        }
    }

    #[test]
    fn picks_the_median_run_of_the_modal_future() {
        let t = table(&[("a", 1.0), ("a", 5.0), ("b", 3.0), ("a", 3.2), ("a", 9.0)]);
        // Median of all runs is 3.2; the modal future is `a`; row 3 is closest.
        assert_eq!(pick(&t, &[0, 1, 2, 3, 4]), Some(3));
        assert_eq!(pick(&t, &[]), None);
    }

    #[test]
    fn every_key_outcome_is_in_the_catalogue() {
        assert!(KEY_OUTCOMES.iter().all(|k| known(k)));
    }

    #[test]
    fn replay_reproduces_a_nominal_run() {
        let s = patronfall_scenario::parse("template.toml", patronfall_scenario::TEMPLATE).unwrap();
        let coa = s.ids.coas[0].clone();
        let manifest_shock = s
            .default_shock
            .map_or("none".to_string(), |k| s.ids.shocks[k.index()].clone());
        let direct = run(
            RunSpec {
                world: &s.world,
                coa: s.coa(&coa).unwrap(),
                shock: s.default_shock,
                days: 30,
                seed: 11,
            },
            &mut patronfall_model::Quiet,
        );
        let future = direct
            .future
            .map_or(String::new(), |f| s.ids.futures[f].clone());
        let runs = RunsTable {
            columns: vec!["experiment".into(), "seed".into(), "future".into()],
            rows: vec![vec!["0".into(), "11".into(), future.clone()]],
        };
        let m = crate::testutil::manifest(&s, &manifest_shock, 30);
        let rep = replay(&s, &m, &runs, 0, 2, &coa, Path::new("runs.csv")).unwrap();
        assert_eq!(rep.result.future, direct.future);
        assert_eq!(rep.trace.stances.len(), 31);
        assert_eq!(rep.trace.crossers[0].len(), s.world.segments.len());
        assert!(narrative(&rep.trace.log).all(|e| e.importance >= 2));
    }
}
