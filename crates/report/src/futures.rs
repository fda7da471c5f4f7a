//! The futures per course of action and the paired differences against the
//! first course of action, as the report shows them. Both are computed by
//! `patronfall_results::analyses::futures` (Wilson intervals, Newcombe's
//! paired interval, one label for runs that reached no future, one
//! confidence level), the same computation as `analyze futures` and the
//! ensemble's closing summary.

use patronfall_analysis::proportion::Interval;
use patronfall_results::ResultsError;
use patronfall_results::analyses::{Results, futures};

pub use patronfall_analysis::futures::{CONFIDENCE, FutureTable, NO_FUTURE};

/// One paired comparison: P(future | b) − P(future | a) on the same experiments.
#[derive(Clone, Debug, PartialEq)]
pub struct PairedDiff {
    /// The reference course of action.
    pub a: String,
    /// The course of action compared with it.
    pub b: String,
    /// The future.
    pub future: String,
    /// Pairs of experiments used.
    pub pairs: usize,
    /// Difference b − a with its Newcombe interval (probability points / 100).
    pub diff: Interval,
}

/// The futures table and the paired differences of every course of action
/// against the first (those that could be computed).
pub fn compute(results: &Results) -> Result<(FutureTable, Vec<PairedDiff>), ResultsError> {
    let table = futures::tabulate(results);
    let Some(first) = table.coas.first() else {
        return Ok((table, Vec::new()));
    };
    let analysis = futures::analyse(results, first, &[])?;
    let paired = analysis
        .future_differences
        .iter()
        .filter_map(|d| {
            Some(PairedDiff {
                a: analysis.baseline.clone(),
                b: d.coa.clone(),
                future: d.of.clone(),
                pairs: d.pairs,
                diff: Interval {
                    estimate: d.difference?,
                    lower: d.low?,
                    upper: d.high?,
                },
            })
        })
        .collect();
    Ok((table, paired))
}

#[cfg(test)]
mod tests {
    use super::*;
    use patronfall_results::read::RunsTable;
    use std::path::Path;

    fn results(rows: &[(&str, u64, &str)]) -> Result<Results, ResultsError> {
        let s = patronfall_scenario::open("template").unwrap();
        let mut manifest = crate::testutil::manifest(&s, "none", 10);
        manifest.coas = vec!["passive".into(), "firm".into()];
        manifest.futures = vec!["bad".into(), "good".into()];
        let table = RunsTable {
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
        };
        Results::from_table(Path::new("r"), manifest, table)
    }

    #[test]
    fn counts_intervals_and_pairs() {
        let r = results(&[
            ("passive", 0, "bad"),
            ("firm", 0, "good"),
            ("passive", 1, "bad"),
            ("firm", 1, "bad"),
            ("passive", 2, "good"),
            ("firm", 2, "good"),
            ("passive", 3, ""),
            ("firm", 3, "good"),
        ])
        .unwrap();
        let (tab, d) = compute(&r).unwrap();
        assert_eq!(tab.futures, vec!["bad", "good", NO_FUTURE]);
        assert_eq!(tab.counts, vec![vec![2, 1, 1], vec![1, 3, 0]]);
        let s = tab.share[0][0].unwrap();
        assert!((s.estimate - 0.5).abs() < 1e-12 && s.lower < 0.5 && s.upper > 0.5);
        let good = d.iter().find(|d| d.future == "good").unwrap();
        assert_eq!((good.a.as_str(), good.b.as_str()), ("passive", "firm"));
        assert_eq!(good.pairs, 4);
        assert!((good.diff.estimate - 0.5).abs() < 1e-12);
        assert!(good.diff.lower < 0.5 && good.diff.upper > 0.5);
    }

    #[test]
    fn unknown_coa_names_the_line() {
        let e = results(&[("passive", 0, "bad"), ("ghost", 0, "bad")])
            .err()
            .unwrap();
        let m = e.to_string();
        assert!(m.contains("line 3") && m.contains("ghost"), "{m}");
    }
}
