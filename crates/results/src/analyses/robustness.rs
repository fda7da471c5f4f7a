//! How each course of action fares across the scenario samples. The runs
//! are pivoted to a table `v[sample][coa]` (mean over replications; samples
//! where some course of action did not finish are left out), then per
//! course of action: the mean outcome, the maximum and 90th-percentile
//! regret (Savage 1951; Rhodium's regret type 2) and, with a threshold, the
//! share of samples in which it meets the threshold (satisficing, Starr
//! 1963).

use super::{Analysis, Results, finite};
use crate::error::ResultsError;
use patronfall_analysis::Matrix;
use patronfall_analysis::robustness::{
    Direction, Threshold, max_regret, quantile_regret, satisficing_share,
};
use serde::{Deserialize, Serialize};

/// Quantile of regret reported beside the maximum.
pub const REGRET_QUANTILE: f64 = 0.9;

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Larger values are better.
    Maximize,
    /// Smaller values are better.
    Minimize,
}

/// One course of action's robustness figures (outcome units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoaRobustness {
    /// The course of action.
    pub coa: String,
    /// Mean outcome over the samples.
    pub mean: Option<f64>,
    /// Largest regret.
    pub max_regret: Option<f64>,
    /// 90th percentile of regret.
    pub p90_regret: Option<f64>,
    /// Share of samples meeting the threshold (0–1), when one was given.
    pub satisficing: Option<f64>,
}

/// `analysis/robustness.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Robustness {
    /// The scalar outcome judged (a column of `runs.csv`).
    pub outcome: String,
    /// Which way is better.
    pub direction: Better,
    /// The satisficing threshold, when one was given.
    pub threshold: Option<f64>,
    /// Scenario samples in the table (those where every course of action finished).
    pub scenarios: usize,
    /// Per course of action, in manifest order.
    pub coas: Vec<CoaRobustness>,
}

impl Analysis for Robustness {
    const NAME: &'static str = "robustness";
}

/// Computes the analysis of `outcome` (a numeric column).
pub fn analyse(
    results: &Results,
    outcome: &str,
    direction: Better,
    threshold: Option<f64>,
) -> Result<Robustness, ResultsError> {
    let values = results.numeric(outcome)?;
    let coas = &results.manifest.coas;
    let per_coa: Vec<Vec<Option<f64>>> = coas
        .iter()
        .map(|c| results.sample_means(c, &values))
        .collect();
    let samples = per_coa.iter().map(Vec::len).min().unwrap_or(0);
    let table: Vec<Vec<f64>> = (0..samples)
        .filter_map(|s| per_coa.iter().map(|v| v[s]).collect::<Option<Vec<f64>>>())
        .collect();
    if table.is_empty() {
        return Err(ResultsError::input(
            &results.dir,
            None,
            "no scenario sample has a finished run of every course of action",
        ));
    }
    let failed = || ResultsError::analysis("robustness");
    let v = Matrix::from_rows("outcomes", &table).map_err(failed())?;
    let sense = match direction {
        Better::Maximize => Direction::Maximise,
        Better::Minimize => Direction::Minimise,
    };
    let max = max_regret(&v, sense).map_err(failed())?;
    let p90 = quantile_regret(&v, sense, REGRET_QUANTILE).map_err(failed())?;
    let satisficing = match threshold {
        Some(x) => Some(
            satisficing_share(
                &v,
                match direction {
                    Better::Maximize => Threshold::AtLeast(x),
                    Better::Minimize => Threshold::AtMost(x),
                },
            )
            .map_err(failed())?,
        ),
        None => None,
    };
    Ok(Robustness {
        outcome: outcome.to_string(),
        direction,
        threshold,
        scenarios: v.rows(),
        coas: coas
            .iter()
            .enumerate()
            .map(|(c, name)| CoaRobustness {
                coa: name.clone(),
                mean: finite(v.column(c).iter().sum::<f64>() / v.rows() as f64),
                max_regret: finite(max[c]),
                p90_regret: finite(p90[c]),
                satisficing: satisficing.as_ref().map(|s| s[c]),
            })
            .collect(),
    })
}
