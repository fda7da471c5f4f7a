//! Why each run reached its future: the margins of the futures' conditions
//! that every run records (`margin.<future>.<k>` in `runs.csv`, listed in
//! the manifest's `conditions`), how often each condition held, and the
//! futures recomputed with one threshold moved (`analyze futures --sweep`).
//!
//! A condition's margin is by how much it cleared its threshold, in the
//! outcome's unit (`patronfall_model::Condition::margin`); its sign decides
//! exactly as the comparison does, so the futures of the runs follow from
//! the margins alone, and [`Margins::read`] checks that they do. A swept
//! threshold needs the condition's reduced value itself: it is read from
//! the outcome's column for `end` and `max` (exact) and otherwise worked
//! back from the margin and the run's own threshold (to the last bit of the
//! subtraction).

use super::futures::{CoaFutures, shares};
use super::{Analysis, Results};
use crate::error::ResultsError;
use crate::manifest::ConditionEntry;
use patronfall_analysis::futures::FutureCounts;
use patronfall_model::{Condition, Op, Outcome, Stat};
use serde::{Deserialize, Serialize};

/// The comparison named by its symbol in the manifest.
fn op_of(symbol: &str) -> Option<Op> {
    [Op::Gt, Op::Ge, Op::Lt, Op::Le]
        .into_iter()
        .find(|o| o.symbol() == symbol)
}

/// The recorded margins of a results directory's runs.
pub struct Margins {
    /// The conditions, in the manifest's (and the columns') order.
    pub conditions: Vec<ConditionEntry>,
    /// Their comparisons.
    ops: Vec<Op>,
    /// Per condition, its future's place in the manifest's `futures`.
    future_of: Vec<usize>,
    /// Per row, every condition's margin; `None` for a run that stopped on
    /// a problem (its margins are empty).
    pub rows: Vec<Option<Vec<f64>>>,
}

impl Margins {
    /// Reads the margin columns of `results` and checks that each run's
    /// future is the one its margins give. Results written before margins
    /// were recorded are refused with what to do.
    pub fn read(results: &Results) -> Result<Margins, ResultsError> {
        let m = &results.manifest;
        let manifest = results.dir.join("manifest.json");
        let csv = crate::read::RunsFile::of(&results.dir);
        let conditionless = m.futures.len() <= 1;
        if m.conditions.is_empty() && !conditionless {
            return Err(ResultsError::input(
                &manifest,
                None,
                "these results do not record their futures' conditions (they were written before margins were recorded); run `patronfall ensemble` again",
            ));
        }
        let mut ops = Vec::with_capacity(m.conditions.len());
        let mut future_of = Vec::with_capacity(m.conditions.len());
        for c in &m.conditions {
            let bad = |what: String| ResultsError::input(&manifest, None, what);
            ops.push(op_of(&c.op).ok_or_else(|| {
                bad(format!(
                    "condition `{}` has the comparison `{}`, not one of >, >=, <, <=",
                    c.column, c.op
                ))
            })?);
            future_of.push(
                m.futures
                    .iter()
                    .position(|f| *f == c.future)
                    .ok_or_else(|| {
                        bad(format!(
                            "condition `{}` belongs to `{}`, which is not among the futures",
                            c.column, c.future
                        ))
                    })?,
            );
        }
        let columns: Vec<usize> = m
            .conditions
            .iter()
            .map(|c| {
                results.table.column(&c.column).ok_or_else(|| {
                    csv.header(format!(
                        "no `{}` column, which the manifest lists",
                        c.column
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::with_capacity(results.table.rows.len());
        for (r, row) in results.table.rows.iter().enumerate() {
            if columns.iter().all(|&i| row[i].is_empty()) && !columns.is_empty() {
                if let Some(f) = results.future[r] {
                    return Err(csv.row(
                        r,
                        format!("the run reached `{}` but records no margins", m.futures[f]),
                    ));
                }
                rows.push(None);
                continue;
            }
            let values: Vec<f64> = columns
                .iter()
                .zip(&m.conditions)
                .map(|(&i, c)| match row[i].parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(csv.row(
                        r,
                        format!("`{}` is `{}`, expected a finite number", c.column, row[i]),
                    )),
                })
                .collect::<Result<_, _>>()?;
            rows.push(Some(values));
        }
        let margins = Margins {
            conditions: m.conditions.clone(),
            ops,
            future_of,
            rows,
        };
        for (r, recorded) in results.future.iter().enumerate() {
            let Some(row) = &margins.rows[r] else {
                continue;
            };
            let given = margins.future(results, row);
            if given != *recorded {
                let name = |f: Option<usize>| f.map_or("no future", |f| m.futures[f].as_str());
                return Err(csv.row(r, format!(
                        "the run reached {} but its margins give {}; the table was changed after it was written",
                        name(*recorded),
                        name(given)
                    ),
                ));
            }
        }
        Ok(margins)
    }

    /// The future the margins `row` give: the first whose conditions all
    /// held (a future without conditions always holds).
    fn future(&self, results: &Results, row: &[f64]) -> Option<usize> {
        (0..results.manifest.futures.len()).find(|&f| {
            (0..self.conditions.len())
                .filter(|&k| self.future_of[k] == f)
                .all(|k| Condition::held(self.ops[k], row[k]))
        })
    }

    /// Finds a condition by its future and either its place in `when`
    /// (`0`, `1`, …) or its outcome's name (when the future compares that
    /// outcome once).
    pub fn find(&self, future: &str, condition: &str) -> Result<usize, ResultsError> {
        let of_future: Vec<usize> = (0..self.conditions.len())
            .filter(|&k| self.conditions[k].future == future)
            .collect();
        if of_future.is_empty() {
            let with: Vec<&str> =
                self.conditions
                    .iter()
                    .map(|c| c.future.as_str())
                    .fold(Vec::new(), |mut acc, f| {
                        if !acc.contains(&f) {
                            acc.push(f);
                        }
                        acc
                    });
            return Err(ResultsError::request(
                Some("sweep"),
                format!(
                    "`{future}` is not a future with conditions in these results; those with conditions are: {}",
                    with.join(", ")
                ),
            ));
        }
        let listed = || {
            of_future
                .iter()
                .map(|&k| {
                    let c = &self.conditions[k];
                    format!(
                        "{} ({} {} {} {})",
                        c.index, c.stat, c.outcome, c.op, c.value
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let by_index = condition.parse::<usize>().ok().and_then(|i| {
            of_future
                .iter()
                .copied()
                .find(|&k| self.conditions[k].index == i)
        });
        if let Some(k) = by_index {
            return Ok(k);
        }
        let by_outcome: Vec<usize> = of_future
            .iter()
            .copied()
            .filter(|&k| self.conditions[k].outcome == condition)
            .collect();
        match by_outcome.as_slice() {
            [k] => Ok(*k),
            [] => Err(ResultsError::request(
                Some("sweep"),
                format!(
                    "`{future}` has no condition `{condition}`; name one by its place or its outcome: {}",
                    listed()
                ),
            )),
            _ => Err(ResultsError::request(
                Some("sweep"),
                format!(
                    "`{future}` compares `{condition}` more than once; name the condition by its place: {}",
                    listed()
                ),
            )),
        }
    }

    /// The reduced value (`stat(outcome)`) of condition `k` on every row:
    /// from the outcome's column for `end` and `max`, otherwise from the
    /// margin and the run's threshold. `None` where the run stopped on a
    /// problem.
    fn values(
        &self,
        results: &Results,
        k: usize,
    ) -> Result<(Outcome, Stat, Vec<Option<f64>>), ResultsError> {
        let c = &self.conditions[k];
        let manifest = results.dir.join("manifest.json");
        let (outcome, stat) = match (Outcome::from_name(&c.outcome), stat_of(&c.stat)) {
            (Some(o), Some(s)) => (o, s),
            _ => {
                return Err(ResultsError::input(
                    &manifest,
                    None,
                    format!(
                        "condition `{}` compares `{}` of `{}`, which this version does not know",
                        c.column, c.stat, c.outcome
                    ),
                ));
            }
        };
        let column = match stat {
            Stat::End => Some(results.numeric(outcome.name())?),
            Stat::Max => Some(results.numeric(&format!("max_{}", outcome.name()))?),
            Stat::Min | Stat::Mean => None,
        };
        let thresholds = match &c.path {
            Some(p) => results.numeric(p)?,
            None => vec![c.value; self.rows.len()],
        };
        let values = self
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let margin = row.as_ref()?[k];
                Some(match &column {
                    Some(values) => values[r],
                    None => match self.ops[k] {
                        Op::Gt | Op::Ge => thresholds[r] + margin,
                        Op::Lt | Op::Le => thresholds[r] - margin,
                    },
                })
            })
            .collect();
        Ok((outcome, stat, values))
    }
}

/// The stat named in the manifest.
fn stat_of(name: &str) -> Option<Stat> {
    [Stat::End, Stat::Max, Stat::Min, Stat::Mean]
        .into_iter()
        .find(|s| s.name() == name)
}

/// How often one condition held among one course of action's runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Held {
    /// The course of action.
    pub coa: String,
    /// The condition's margin column.
    pub condition: String,
    /// Runs in which it held.
    pub held: u64,
    /// Runs with margins (those that did not stop on a problem).
    pub runs: u64,
    /// The median margin, in the outcome's unit; `None` without runs.
    pub median_margin: Option<f64>,
}

/// Per course of action (manifest order) and condition (manifest order):
/// how often it held and its median margin.
pub fn held(results: &Results, margins: &Margins) -> Vec<Held> {
    let mut out = Vec::new();
    for (slot, coa) in results.manifest.coas.iter().enumerate() {
        let rows: Vec<&Vec<f64>> = (0..margins.rows.len())
            .filter(|&r| results.coa[r] == slot)
            .filter_map(|r| margins.rows[r].as_ref())
            .collect();
        for (k, c) in margins.conditions.iter().enumerate() {
            let mut values: Vec<f64> = rows.iter().map(|row| row[k]).collect();
            values.sort_by(f64::total_cmp);
            out.push(Held {
                coa: coa.clone(),
                condition: c.column.clone(),
                held: values
                    .iter()
                    .filter(|m| Condition::held(margins.ops[k], **m))
                    .count() as u64,
                runs: values.len() as u64,
                median_margin: median(&values),
            });
        }
    }
    out
}

/// The median of sorted values.
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The futures at one value of the swept threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The threshold, in the outcome's unit.
    pub value: f64,
    /// Per course of action, every future's share at that threshold.
    pub coas: Vec<CoaFutures>,
}

/// `analysis/sweep.json`: the futures table recomputed from the recorded
/// runs with one condition's threshold set, in every run, to each of a
/// row of values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The condition swept.
    pub condition: ConditionEntry,
    /// The thresholds, from the first value asked to the last.
    pub points: Vec<SweepPoint>,
}

impl Analysis for Sweep {
    const NAME: &'static str = "sweep";
}

/// Sweeps condition `k` of `margins` over `steps` evenly spaced
/// thresholds from `low` to `high` (both included; `steps` ≥ 2, `low` <
/// `high`, both finite). Every other condition keeps each run's own
/// threshold; a run that stopped on a problem reaches no future, as
/// recorded.
pub fn sweep(
    results: &Results,
    margins: &Margins,
    k: usize,
    low: f64,
    high: f64,
    steps: usize,
) -> Result<Sweep, ResultsError> {
    if !(low.is_finite() && high.is_finite() && low < high) {
        return Err(ResultsError::request(
            Some("sweep"),
            format!(
                "the thresholds run from {low} to {high}; give two finite numbers, the lower first"
            ),
        ));
    }
    if !(2..=MAX_STEPS).contains(&steps) {
        return Err(ResultsError::request(
            Some("sweep"),
            format!("{steps} steps; sweep between 2 and {MAX_STEPS} thresholds"),
        ));
    }
    let (outcome, stat, values) = margins.values(results, k)?;
    let op = margins.ops[k];
    let m = &results.manifest;
    let mut points = Vec::with_capacity(steps);
    for i in 0..steps {
        let value = if i + 1 == steps {
            high
        } else {
            low + (high - low) * i as f64 / (steps - 1) as f64
        };
        let moved = Condition {
            outcome,
            stat,
            op,
            value,
        };
        let mut counts = FutureCounts::new(m.coas.len(), m.futures.len());
        for (r, row) in margins.rows.iter().enumerate() {
            let future = match (row, values[r]) {
                (Some(row), Some(v)) => {
                    let mut row = row.clone();
                    row[k] = moved.margin(v);
                    margins.future(results, &row)
                }
                _ => None,
            };
            counts.add(results.coa[r], future);
        }
        points.push(SweepPoint {
            value,
            coas: shares(&counts.table(&m.coas, &m.futures)),
        });
    }
    Ok(Sweep {
        condition: margins.conditions[k].clone(),
        points,
    })
}

/// The most thresholds a sweep computes.
pub const MAX_STEPS: usize = 1001;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Manifest;
    use crate::read::RunsTable;
    use std::path::Path;

    /// Two futures: `riot` when the peak active share reaches 0.1 and the
    /// mean casualties pass an uncertain threshold, `calm` otherwise.
    const MANIFEST: &str = r#"{
        "format": 1, "version": "0.1.0", "command": ["patronfall"],
        "scenario": "s", "scenario_file": "builtin:s", "scenario_sha256": "00",
        "sampler": "lhs", "runs": 2, "samples": 2, "replications": 1, "seed": 1,
        "coas": ["a", "b"], "shock": "none", "days": 1, "futures": ["riot", "calm"],
        "conditions": [
            {"future": "riot", "index": 0, "column": "margin.riot.0", "outcome": "active_share",
             "stat": "max", "op": ">=", "value": 0.1, "path": null},
            {"future": "riot", "index": 1, "column": "margin.riot.1", "outcome": "casualties",
             "stat": "mean", "op": ">", "value": 100, "path": "future.riot.when.1.value"}
        ],
        "uncertainties": [], "parameters": {}, "series_sample": 0,
        "keep_series": false, "experiments_planned": 4, "experiments_done": 4,
        "complete": true, "files": []
    }"#;

    const COLUMNS: [&str; 9] = [
        "experiment",
        "sample",
        "replication",
        "coa",
        "future",
        "max_active_share",
        "future.riot.when.1.value",
        "margin.riot.0",
        "margin.riot.1",
    ];

    fn results(rows: &[[&str; 9]], manifest: &str) -> Result<Results, ResultsError> {
        let table = RunsTable {
            columns: COLUMNS.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        };
        Results::from_table(
            Path::new("r"),
            Manifest::from_json(manifest).unwrap(),
            table,
        )
    }

    /// Mean casualties 150, 150 and 50; the last run stopped on a problem.
    const ROWS: [[&str; 9]; 4] = [
        ["0", "0", "0", "a", "riot", "0.2", "100", "0.1", "50"],
        ["1", "0", "0", "b", "calm", "0.3", "80", "0.2", "-30"],
        ["2", "1", "0", "a", "calm", "0.05", "120", "-0.05", "30"],
        ["3", "1", "0", "b", "", "0.4", "90", "", ""],
    ];

    fn share(point: &SweepPoint, coa: usize, future: &str) -> f64 {
        point.coas[coa]
            .futures
            .iter()
            .find(|f| f.future == future)
            .map_or(0.0, |f| f.share)
    }

    #[test]
    fn the_futures_follow_from_the_margins_and_a_changed_table_is_refused() {
        let r = results(&ROWS, MANIFEST).unwrap();
        let m = Margins::read(&r).unwrap();
        assert_eq!(m.rows[3], None, "a run that stopped has no margins");
        assert_eq!(m.rows[0], Some(vec![0.1, 50.0]));
        let mut changed = ROWS;
        changed[2][4] = "riot";
        let r = results(&changed, MANIFEST).unwrap();
        let e = Margins::read(&r).err().expect("refused").to_string();
        assert!(
            e.contains("line 4") && e.contains("reached riot but its margins give calm"),
            "{e}"
        );
    }

    #[test]
    fn results_without_conditions_ask_for_the_ensemble_again() {
        let start = MANIFEST.find("\"conditions\"").unwrap();
        let end = MANIFEST.find("\"uncertainties\"").unwrap();
        let old = format!("{}{}", &MANIFEST[..start], &MANIFEST[end..]);
        let r = results(&ROWS, &old).unwrap();
        let e = Margins::read(&r).err().expect("refused").to_string();
        assert!(e.contains("run `patronfall ensemble` again"), "{e}");
    }

    #[test]
    fn a_condition_is_named_by_its_place_or_its_outcome() {
        let r = results(&ROWS, MANIFEST).unwrap();
        let m = Margins::read(&r).unwrap();
        assert_eq!(m.find("riot", "1").unwrap(), 1);
        assert_eq!(m.find("riot", "casualties").unwrap(), 1);
        assert_eq!(m.find("riot", "active_share").unwrap(), 0);
        let e = m.find("riot", "legitimacy").unwrap_err().to_string();
        assert!(
            e.starts_with("sweep: `riot` has no condition `legitimacy`")
                && e.contains("0 (max active_share >= 0.1)"),
            "{e}"
        );
        let e = m.find("calm", "0").unwrap_err().to_string();
        assert!(e.contains("those with conditions are: riot"), "{e}");
    }

    #[test]
    fn how_often_each_condition_held_and_its_median_margin() {
        let r = results(&ROWS, MANIFEST).unwrap();
        let m = Margins::read(&r).unwrap();
        let h = held(&r, &m);
        assert_eq!(h.len(), 4);
        assert_eq!(
            (h[0].coa.as_str(), h[0].condition.as_str()),
            ("a", "margin.riot.0")
        );
        assert_eq!((h[0].held, h[0].runs), (1, 2));
        assert_eq!(h[0].median_margin, Some((0.1 - 0.05) / 2.0));
        assert_eq!((h[1].held, h[1].runs), (2, 2));
        assert_eq!(h[3].coa, "b");
        assert_eq!(
            (h[3].held, h[3].runs, h[3].median_margin),
            (0, 1, Some(-30.0))
        );
    }

    #[test]
    fn a_swept_threshold_moves_the_futures_and_reproduces_the_recorded_ones() {
        let r = results(&ROWS, MANIFEST).unwrap();
        let m = Margins::read(&r).unwrap();
        // The peak active share is read from `max_active_share`, exactly:
        // at 0.2 the first run's 0.2 still reaches `>= 0.2`.
        let s = sweep(&r, &m, 0, 0.0, 0.4, 5).unwrap();
        let values: Vec<f64> = s.points.iter().map(|p| p.value).collect();
        assert_eq!(values, [0.0, 0.1, 0.2, 0.30000000000000004, 0.4]);
        let riot: Vec<f64> = s.points.iter().map(|p| share(p, 0, "riot")).collect();
        assert_eq!(riot, [1.0, 0.5, 0.5, 0.0, 0.0]);
        // b's first run fails on casualties whatever the share; its second
        // stopped on a problem and reaches no future.
        for p in &s.points {
            assert_eq!(share(p, 1, "calm"), 0.5);
            assert_eq!(share(p, 1, "riot"), 0.0);
        }
        // At the recorded threshold the recorded futures come back.
        let at = sweep(&r, &m, 0, 0.1, 0.2, 2).unwrap();
        assert_eq!(share(&at.points[0], 0, "riot"), 0.5);
        // The mean casualties are worked back from the margin and each
        // run's own threshold: 150, 150 and 50.
        let s = sweep(&r, &m, 1, 100.0, 200.0, 3).unwrap();
        let riot: Vec<f64> = s.points.iter().map(|p| share(p, 0, "riot")).collect();
        assert_eq!(riot, [0.5, 0.0, 0.0]);
        let s = sweep(&r, &m, 1, 0.0, 149.0, 2).unwrap();
        assert_eq!(
            share(&s.points[1], 0, "riot"),
            0.5,
            "the third run fails on the share"
        );
        assert_eq!(share(&s.points[1], 1, "riot"), 0.0);
        assert_eq!(share(&s.points[0], 1, "riot"), 0.5, "50 > 0");
    }

    #[test]
    fn a_sweep_needs_two_ordered_finite_thresholds() {
        let r = results(&ROWS, MANIFEST).unwrap();
        let m = Margins::read(&r).unwrap();
        for (low, high, steps) in [
            (1.0, 0.0, 3),
            (0.0, f64::NAN, 3),
            (0.0, 1.0, 1),
            (0.0, 1.0, 5000),
        ] {
            let e = sweep(&r, &m, 0, low, high, steps).unwrap_err();
            assert!(e.is_bad_input(), "{e}");
        }
    }
}
