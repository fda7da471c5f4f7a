//! The futures per course of action with 95% Wilson intervals, and the
//! paired differences between courses of action with Newcombe's interval
//! for paired proportions (method 10 of Newcombe 1998; both computed by
//! `patronfall_analysis::proportion`). Rows are paired by (sample,
//! replication): with common random numbers those experiments share the
//! scenario sample and the seed, so the differences are paired.

use crate::error::ReportError;
use patronfall_analysis::proportion::{Interval, paired_difference_of, wilson};
use patronfall_results::read::RunsTable;
use std::collections::BTreeMap;
use std::path::Path;

/// Confidence level of every interval in the report.
pub const CONFIDENCE: f64 = 0.95;

/// Label of runs whose end state matched no future's rule.
pub const NO_FUTURE: &str = "(no future)";

/// Futures reached per course of action.
#[derive(Clone, Debug)]
pub struct FutureTable {
    /// Courses of action, in manifest order.
    pub coas: Vec<String>,
    /// Futures in rule order, plus [`NO_FUTURE`] when some run reached none.
    pub futures: Vec<String>,
    /// Runs per course of action.
    pub runs: Vec<u64>,
    /// `counts[coa][future]`: runs reaching that future.
    pub counts: Vec<Vec<u64>>,
    /// `share[coa][future]`: probability with its 95% Wilson interval (None without runs).
    pub share: Vec<Vec<Option<Interval>>>,
}

/// One paired comparison: P(future | b) − P(future | a) on the same experiments.
#[derive(Clone, Debug)]
pub struct PairedDiff {
    /// The reference course of action.
    pub a: String,
    /// The course of action compared with it.
    pub b: String,
    /// The future.
    pub future: String,
    /// Pairs of experiments used.
    pub pairs: usize,
    /// Difference b − a with its 95% Newcombe interval (probability points / 100).
    pub diff: Interval,
}

/// Per course of action: future reached, keyed by (sample, replication).
pub type Outcomes = Vec<BTreeMap<(u64, u64), String>>;

/// Reads each run's course of action, pair key and future from the runs table.
pub fn outcomes(runs: &RunsTable, coas: &[String], path: &Path) -> Result<Outcomes, ReportError> {
    let col = |name: &str| {
        runs.column(name)
            .ok_or_else(|| ReportError::input(path, format!("column `{name}` is missing")))
    };
    let (ci, si, ri, fi) = (
        col("coa")?,
        col("sample")?,
        col("replication")?,
        col("future")?,
    );
    let mut out: Outcomes = vec![BTreeMap::new(); coas.len()];
    for (line, row) in runs.rows.iter().enumerate() {
        let at = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let num = |i: usize, what: &str| {
            at(i).parse::<u64>().map_err(|_| {
                ReportError::input(
                    path,
                    format!(
                        "line {}: {what} `{}` is not a whole number",
                        line + 2,
                        at(i)
                    ),
                )
            })
        };
        let Some(c) = coas.iter().position(|c| c == at(ci)) else {
            return Err(ReportError::input(
                path,
                format!(
                    "line {}: course of action `{}` is not in the manifest",
                    line + 2,
                    at(ci)
                ),
            ));
        };
        let key = (num(si, "sample")?, num(ri, "replication")?);
        let future = if at(fi).is_empty() { NO_FUTURE } else { at(fi) };
        out[c].insert(key, future.to_string());
    }
    Ok(out)
}

/// Tabulates the futures per course of action.
pub fn table(coas: &[String], futures: &[String], outcomes: &Outcomes) -> FutureTable {
    let mut names: Vec<String> = futures.to_vec();
    for o in outcomes {
        for f in o.values() {
            if !names.contains(f) {
                names.push(f.clone());
            }
        }
    }
    let mut counts = vec![vec![0u64; names.len()]; coas.len()];
    for (c, o) in outcomes.iter().enumerate() {
        for f in o.values() {
            if let Some(j) = names.iter().position(|n| n == f) {
                counts[c][j] += 1;
            }
        }
    }
    let runs: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
    let share = counts
        .iter()
        .zip(&runs)
        .map(|(row, &n)| row.iter().map(|&x| wilson(x, n, CONFIDENCE).ok()).collect())
        .collect();
    FutureTable {
        coas: coas.to_vec(),
        futures: names,
        runs,
        counts,
        share,
    }
}

/// Paired differences of every course of action against the first, per future.
pub fn paired(table: &FutureTable, outcomes: &Outcomes) -> Vec<PairedDiff> {
    let mut out = Vec::new();
    let Some(reference) = outcomes.first() else {
        return out;
    };
    for (b, other) in outcomes.iter().enumerate().skip(1) {
        let keys: Vec<&(u64, u64)> = reference.keys().filter(|k| other.contains_key(k)).collect();
        if keys.is_empty() {
            continue;
        }
        for future in &table.futures {
            let first: Vec<bool> = keys.iter().map(|k| &other[*k] == future).collect();
            let second: Vec<bool> = keys.iter().map(|k| &reference[*k] == future).collect();
            if let Ok(diff) = paired_difference_of(&first, &second, CONFIDENCE) {
                out.push(PairedDiff {
                    a: table.coas[0].clone(),
                    b: table.coas[b].clone(),
                    future: future.clone(),
                    pairs: keys.len(),
                    diff,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(rows: &[(&str, u64, &str)]) -> RunsTable {
        RunsTable {
            columns: ["experiment", "sample", "replication", "coa", "future"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, (c, s, f))| {
                    vec![
                        i.to_string(),
                        s.to_string(),
                        "0".into(),
                        c.to_string(),
                        f.to_string(),
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn counts_intervals_and_pairs() {
        let coas = vec!["passive".to_string(), "firm".to_string()];
        let futures = vec!["bad".to_string(), "good".to_string()];
        let t = runs(&[
            ("passive", 0, "bad"),
            ("firm", 0, "good"),
            ("passive", 1, "bad"),
            ("firm", 1, "bad"),
            ("passive", 2, "good"),
            ("firm", 2, "good"),
            ("passive", 3, ""),
            ("firm", 3, "good"),
        ]);
        let o = outcomes(&t, &coas, Path::new("runs.csv")).unwrap();
        let tab = table(&coas, &futures, &o);
        assert_eq!(tab.futures, vec!["bad", "good", NO_FUTURE]);
        assert_eq!(tab.counts, vec![vec![2, 1, 1], vec![1, 3, 0]]);
        let s = tab.share[0][0].unwrap();
        assert!((s.estimate - 0.5).abs() < 1e-12 && s.lower < 0.5 && s.upper > 0.5);
        let d = paired(&tab, &o);
        let good = d.iter().find(|d| d.future == "good").unwrap();
        assert_eq!(good.pairs, 4);
        assert!((good.diff.estimate - 0.5).abs() < 1e-12);
        assert!(good.diff.lower < 0.5 && good.diff.upper > 0.5);
    }

    #[test]
    fn unknown_coa_names_the_line() {
        let t = runs(&[("passive", 0, "bad"), ("ghost", 0, "bad")]);
        let e = outcomes(&t, &["passive".into()], Path::new("runs.csv")).unwrap_err();
        assert!(
            e.message.contains("line 3") && e.message.contains("ghost"),
            "{e}"
        );
    }
}
