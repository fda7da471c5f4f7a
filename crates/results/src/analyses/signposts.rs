//! `analysis/signposts.json`: what to watch. For each course of action,
//! indicator and observation day, the indicator's distribution under each
//! future, the likelihood ratios of its thresholds, and the information it
//! carries about the future (`patronfall_analysis::signposts`); the
//! indicators ranked by how early and how strongly they tell the futures
//! apart, each with its strongest signpost.
//!
//! Ranking: an indicator is *informative from* the first observation day
//! on which the lower limit of its information reaches [`INFORMATIVE`] of
//! the futures' entropy; indicators rank by that day (earliest first), then
//! by the information's share on it; those never informative rank last, by
//! their largest share. A *signpost* of a future is the threshold and side
//! (above or below) whose likelihood ratio for that future has the highest
//! lower limit, among the events seen in at least [`MIN_SEEN`] of the
//! future's runs; only ratios whose interval lies above 1 are signposts.

use super::{Analysis, Results, finite};
use crate::error::ResultsError;
use crate::indicators::{self, IndicatorTable};
use patronfall_analysis::futures::{CONFIDENCE, NO_FUTURE};
use patronfall_analysis::signposts::{LEVELS, Options, Ratio, Signpost, signpost};
use serde::{Deserialize, Serialize};

/// Share of the futures' entropy whose lower limit makes an indicator informative.
pub const INFORMATIVE: f64 = 0.1;
/// Least share of a future's runs in which a signpost's event is seen.
pub const MIN_SEEN: f64 = 0.2;

/// A future's distribution of an indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// The future (or the no-future label).
    pub future: String,
    /// Runs that reached it.
    pub runs: usize,
    /// 5, 25, 50, 75 and 95% quantiles of the expected observed value.
    pub quantiles: Vec<Option<f64>>,
}

/// A likelihood ratio with its interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lr {
    /// The ratio.
    pub ratio: f64,
    /// Lower limit.
    pub low: f64,
    /// Upper limit.
    pub high: f64,
}

impl From<Ratio> for Lr {
    fn from(r: Ratio) -> Self {
        Lr {
            ratio: r.estimate,
            low: r.lower,
            high: r.upper,
        }
    }
}

/// One threshold's ratios for every future.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRatios {
    /// The threshold, in the indicator's unit (observed scale).
    pub threshold: f64,
    /// Per future (the signposts' `futures` order): `P(observed > threshold | future)`.
    pub above_share: Vec<Option<f64>>,
    /// Per future: the likelihood ratio of seeing more than the threshold.
    pub above: Vec<Option<Lr>>,
    /// Per future: the likelihood ratio of seeing at most the threshold.
    pub below: Vec<Option<Lr>>,
}

/// The information an indicator carries about the future.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Information {
    /// Mutual information, bits (Miller–Madow corrected).
    pub bits: f64,
    /// Bootstrap interval, bits.
    pub low: f64,
    /// Bootstrap interval, bits.
    pub high: f64,
    /// The futures' entropy, bits.
    pub entropy: f64,
    /// `bits` as a share of the entropy.
    pub share: f64,
    /// `low` as a share of the entropy.
    pub share_low: f64,
}

/// A readable signpost: seeing the event makes the future this many times
/// more likely, in odds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sign {
    /// The future.
    pub future: String,
    /// `above` (more than the threshold) or `below` (at most).
    pub side: String,
    /// The threshold.
    pub threshold: f64,
    /// Share of the future's runs in which the event is seen.
    pub seen: f64,
    /// The likelihood ratio.
    pub lr: Lr,
}

/// One indicator on one day for one course of action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Course of action.
    pub coa: String,
    /// Indicator id.
    pub indicator: String,
    /// Its display name.
    pub name: String,
    /// Observation day.
    pub day: u32,
    /// Runs with a value.
    pub runs: usize,
    /// The information.
    pub information: Information,
    /// Per future: the distribution.
    pub distributions: Vec<Distribution>,
    /// The thresholds, ascending.
    pub thresholds: Vec<ThresholdRatios>,
    /// Per future, its signpost on this day, if any.
    pub signs: Vec<Sign>,
}

/// An indicator's place in a course of action's ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// Course of action.
    pub coa: String,
    /// Indicator id.
    pub indicator: String,
    /// Its display name.
    pub name: String,
    /// First day it is informative, if any.
    pub informative_from: Option<u32>,
    /// The day its place is judged on (that day, or the day of its largest share).
    pub day: u32,
    /// Its information's share of the futures' entropy on that day.
    pub share: f64,
    /// The lower limit of that share.
    pub share_low: f64,
    /// Its strongest signpost on that day, if any.
    pub sign: Option<Sign>,
}

/// `analysis/signposts.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signposts {
    /// Confidence of every interval.
    pub confidence: f64,
    /// The futures, then the no-future label: the order of every per-future list.
    pub futures: Vec<String>,
    /// Every course of action, indicator and day.
    pub entries: Vec<Entry>,
    /// Per course of action, the indicators in rank order.
    pub ranking: Vec<Ranked>,
}

impl Analysis for Signposts {
    const NAME: &'static str = "signposts";
}

/// Reads the indicators of an opened results directory.
pub fn indicator_table(results: &Results) -> Result<IndicatorTable, ResultsError> {
    let experiments = experiments(results)?;
    indicators::read(&results.dir, &experiments)
}

/// The `experiment` column of `runs.csv`.
pub(crate) fn experiments(results: &Results) -> Result<Vec<u64>, ResultsError> {
    let csv = crate::read::RunsFile::of(&results.dir);
    let i = results
        .table
        .column("experiment")
        .ok_or_else(|| csv.header("no `experiment` column".to_string()))?;
    results
        .table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row[i].parse().map_err(|_| {
                csv.row(
                    r,
                    format!("`experiment` is `{}`, expected a whole number", row[i]),
                )
            })
        })
        .collect()
}

/// The signposts of every course of action (or those of `coas`).
pub fn analyse(
    results: &Results,
    table: &IndicatorTable,
    coas: &[usize],
) -> Result<Signposts, ResultsError> {
    let m = &results.manifest;
    let mut futures = m.futures.clone();
    futures.push(NO_FUTURE.to_string());
    let options = Options::default();
    let mut entries = Vec::new();
    for &c in coas {
        let rows: Vec<usize> = (0..results.coa.len())
            .filter(|r| results.coa[*r] == c)
            .collect();
        let fut: Vec<Option<usize>> = rows.iter().map(|r| results.future[*r]).collect();
        for (col, (ind, day)) in table.columns.iter().enumerate() {
            let def = &table.definitions.indicators[*ind];
            let values: Vec<f64> = rows.iter().map(|r| table.values[col][*r]).collect();
            if values.iter().filter(|v| v.is_finite()).count() < 2 {
                continue;
            }
            let s = signpost(&values, &fut, m.futures.len(), &def.error(), &options).map_err(
                |source| ResultsError::Analysis {
                    what: "signposts",
                    source,
                },
            )?;
            entries.push(entry(&m.coas[c], def, *day, &s, &futures));
        }
    }
    let ranking = rank(&entries, m, coas);
    Ok(Signposts {
        confidence: CONFIDENCE,
        futures,
        entries,
        ranking,
    })
}

fn entry(
    coa: &str,
    def: &indicators::IndicatorEntry,
    day: u32,
    s: &Signpost,
    futures: &[String],
) -> Entry {
    let distributions = futures
        .iter()
        .enumerate()
        .map(|(o, f)| Distribution {
            future: f.clone(),
            runs: s.runs_per_outcome[o],
            quantiles: s.quantiles[o].iter().map(|q| finite(*q)).collect(),
        })
        .collect();
    let thresholds: Vec<ThresholdRatios> = s
        .thresholds
        .iter()
        .map(|t| ThresholdRatios {
            threshold: t.value,
            above_share: t.above.iter().map(|p| finite(*p)).collect(),
            above: t.ratio_above.iter().map(|r| r.map(Lr::from)).collect(),
            below: t.ratio_below.iter().map(|r| r.map(Lr::from)).collect(),
        })
        .collect();
    let mut signs = Vec::new();
    for (o, f) in futures.iter().enumerate() {
        if s.runs_per_outcome[o] == 0 {
            continue;
        }
        let mut best: Option<Sign> = None;
        for t in &thresholds {
            let above = t.above_share[o].unwrap_or(0.0);
            for (side, seen, lr) in [
                ("above", above, t.above[o]),
                ("below", 1.0 - above, t.below[o]),
            ] {
                let Some(lr) = lr else { continue };
                if seen < MIN_SEEN || lr.low <= 1.0 {
                    continue;
                }
                if best.as_ref().is_none_or(|b| lr.low > b.lr.low) {
                    best = Some(Sign {
                        future: f.clone(),
                        side: side.to_string(),
                        threshold: t.threshold,
                        seen,
                        lr,
                    });
                }
            }
        }
        signs.extend(best);
    }
    let i = &s.information;
    Entry {
        coa: coa.to_string(),
        indicator: def.id.clone(),
        name: def.name.clone(),
        day,
        runs: s.runs,
        information: Information {
            bits: i.bits,
            low: i.lower,
            high: i.upper,
            entropy: i.entropy,
            share: i.share(),
            share_low: i.share_lower(),
        },
        distributions,
        thresholds,
        signs,
    }
}

fn rank(entries: &[Entry], m: &crate::Manifest, coas: &[usize]) -> Vec<Ranked> {
    let mut out = Vec::new();
    for &c in coas {
        let coa = &m.coas[c];
        let mut ids: Vec<&str> = Vec::new();
        for e in entries.iter().filter(|e| e.coa == *coa) {
            if !ids.contains(&e.indicator.as_str()) {
                ids.push(&e.indicator);
            }
        }
        let mut ranked: Vec<Ranked> = ids
            .iter()
            .filter_map(|id| {
                let days: Vec<&Entry> = entries
                    .iter()
                    .filter(|e| e.coa == *coa && e.indicator == *id)
                    .collect();
                let first = days
                    .iter()
                    .find(|e| e.information.share_low >= INFORMATIVE)
                    .copied();
                let judged = first.or_else(|| {
                    days.iter()
                        .copied()
                        .max_by(|a, b| a.information.share.total_cmp(&b.information.share))
                })?;
                Some(Ranked {
                    coa: coa.clone(),
                    indicator: judged.indicator.clone(),
                    name: judged.name.clone(),
                    informative_from: first.map(|e| e.day),
                    day: judged.day,
                    share: judged.information.share,
                    share_low: judged.information.share_low,
                    sign: judged
                        .signs
                        .iter()
                        .max_by(|a, b| a.lr.low.total_cmp(&b.lr.low))
                        .cloned(),
                })
            })
            .collect();
        ranked.sort_by(|a, b| {
            let key = |r: &Ranked| r.informative_from.unwrap_or(u32::MAX);
            key(a)
                .cmp(&key(b))
                .then(b.share.total_cmp(&a.share))
                .then(a.indicator.cmp(&b.indicator))
        });
        out.extend(ranked);
    }
    out
}

/// The quantile levels of [`Distribution::quantiles`].
pub const QUANTILE_LEVELS: [f64; 5] = LEVELS;
