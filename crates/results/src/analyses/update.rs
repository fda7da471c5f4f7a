//! `analysis/update.json`: the futures' odds and the uncertain figures
//! updated from dated observations of the indicators, by importance
//! weighting of the ensemble's runs (`patronfall_analysis::update`), and
//! the hold-out check of that method on the ensemble itself.
//!
//! The observations file (TOML):
//!
//! ```toml
//! [[observed]]
//! indicator = "diyala_crossings"   # an indicator of the ensemble
//! day = 14                         # one of its recorded observation days
//! value = 3200                     # or: range = [2500, 4000]
//! note = "Border Forces statement"  # optional
//! ```

use super::{Analysis, Results, finite};
use crate::error::ResultsError;
use crate::indicators::IndicatorTable;
use patronfall_analysis::futures::{CONFIDENCE, NO_FUTURE};
use patronfall_analysis::update::{
    self as method, Column, Seen, bandwidth, log_likelihood, weights_from_logs,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Below this effective sample size the posterior rests on too few runs.
pub const MIN_EFFECTIVE_RUNS: f64 = 50.0;

/// One observation as read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Indicator id.
    pub indicator: String,
    /// Day it was known.
    pub day: u32,
    /// The value seen, if one.
    pub value: Option<f64>,
    /// The range seen, if one.
    pub range: Option<[f64; 2]>,
    /// Remarks.
    #[serde(default)]
    pub note: String,
}

impl Observation {
    fn seen(&self) -> Seen {
        match (self.value, self.range) {
            (Some(v), _) => Seen::Value(v),
            (None, Some([lo, hi])) => Seen::Range(lo, hi),
            (None, None) => Seen::Range(f64::NEG_INFINITY, f64::INFINITY),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    observed: Vec<toml::Spanned<RawObservation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObservation {
    indicator: toml::Spanned<String>,
    day: toml::Spanned<i64>,
    value: Option<toml::Spanned<f64>>,
    range: Option<toml::Spanned<Vec<f64>>>,
    #[serde(default)]
    note: String,
}

/// 1-based line of a byte offset.
fn line(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

/// Reads an observations file and checks every entry against the
/// ensemble's indicators: an error names the file, line and field, and
/// says how to fix it.
pub fn read_observations(
    path: &Path,
    table: &IndicatorTable,
) -> Result<Vec<(usize, Observation)>, ResultsError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ResultsError::input(path, None, format!("cannot read it: {e}")))?;
    let bad = |offset: usize, field: &str, message: String| {
        ResultsError::input(
            path,
            Some(line(&text, offset)),
            format!("{field}: {message}"),
        )
    };
    let raw: RawFile = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        bad(
            offset,
            "(file)",
            format!(
                "{}; an observations file holds [[observed]] entries with indicator, day and value or range",
                e.message().trim()
            ),
        )
    })?;
    if raw.observed.is_empty() {
        return Err(ResultsError::input(
            path,
            None,
            "no [[observed]] entry: add one per indicator and day seen (indicator, day, value or range)"
                .to_string(),
        ));
    }
    let defs = &table.definitions;
    let mut out: Vec<(usize, Observation)> = Vec::new();
    for (n, entry) in raw.observed.iter().enumerate() {
        let o = entry.get_ref();
        let field = |f: &str| format!("observed[{}].{f}", n + 1);
        let ind = o.indicator.get_ref();
        let Some(i) = defs.indicators.iter().position(|d| d.id == *ind) else {
            let known: Vec<&str> = defs.indicators.iter().map(|d| d.id.as_str()).collect();
            return Err(bad(
                o.indicator.span().start,
                &field("indicator"),
                format!(
                    "`{ind}` is not an indicator of this ensemble; use one of {}",
                    known.join(", ")
                ),
            ));
        };
        let day = *o.day.get_ref();
        let days = &defs.indicators[i].days;
        let column = u32::try_from(day).ok().and_then(|d| table.column(i, d));
        let Some(column) = column else {
            let list: Vec<String> = days.iter().map(|d| d.to_string()).collect();
            return Err(bad(
                o.day.span().start,
                &field("day"),
                format!(
                    "`{ind}` was recorded on days {} only; give one of them (the nearest day on or before the one seen), or add the day to the scenario's [[indicator]] and run the ensemble again",
                    list.join(", ")
                ),
            ));
        };
        let value = o.value.as_ref().map(|v| (*v.get_ref(), v.span().start));
        let range = o
            .range
            .as_ref()
            .map(|r| (r.get_ref().clone(), r.span().start));
        let (value, range) = match (value, range) {
            (Some(_), Some((_, at))) => {
                return Err(bad(
                    at,
                    &field("range"),
                    "give a value or a range, not both".into(),
                ));
            }
            (None, None) => {
                return Err(bad(
                    entry.span().start,
                    &field("value"),
                    "missing: give value = <number> or range = [low, high]".into(),
                ));
            }
            (Some((v, at)), None) => {
                if !v.is_finite() {
                    return Err(bad(at, &field("value"), "must be a finite number".into()));
                }
                (Some(v), None)
            }
            (None, Some((r, at))) => {
                if r.len() != 2 || !r.iter().all(|x| x.is_finite()) || r[0] > r[1] {
                    return Err(bad(
                        at,
                        &field("range"),
                        "must be [low, high] with low ≤ high".into(),
                    ));
                }
                (None, Some([r[0], r[1]]))
            }
        };
        if out.iter().any(|(c, _)| *c == column) {
            return Err(bad(
                o.indicator.span().start,
                &field("indicator"),
                format!("`{ind}` on day {day} is observed twice; keep one entry"),
            ));
        }
        out.push((
            column,
            Observation {
                indicator: ind.clone(),
                day: day as u32,
                value,
                range,
                note: o.note.clone(),
            },
        ));
    }
    Ok(out)
}

/// A future's prior and posterior probability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FutureOdds {
    /// The future (or the no-future label).
    pub future: String,
    /// Share of the runs.
    pub prior: f64,
    /// Weighted share; `null` when no run is consistent.
    pub posterior: Option<f64>,
    /// Wilson interval on the effective sample size.
    pub low: Option<f64>,
    /// Wilson interval on the effective sample size.
    pub high: Option<f64>,
}

/// An uncertain figure's prior and posterior.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureShift {
    /// Its path.
    pub path: String,
    /// Prior mean.
    pub prior_mean: f64,
    /// Prior 5, 50 and 95% quantiles.
    pub prior_quantiles: [f64; 3],
    /// Posterior mean.
    pub posterior_mean: f64,
    /// Posterior 5, 50 and 95% quantiles.
    pub posterior_quantiles: [f64; 3],
    /// `(posterior mean − prior mean) / prior sd`: how far the observations moved it.
    pub shift: f64,
}

/// The update of one course of action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoaUpdate {
    /// Course of action.
    pub coa: String,
    /// Its runs.
    pub runs: usize,
    /// Kish's effective sample size of the weights.
    pub effective_runs: f64,
    /// Per future.
    pub futures: Vec<FutureOdds>,
    /// The varied uncertain figures, those moved most first.
    pub figures: Vec<FigureShift>,
    /// What to do when the posterior rests on too few runs.
    pub warning: Option<String>,
}

/// `analysis/update.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// Confidence of the intervals.
    pub confidence: f64,
    /// The observations used.
    pub observed: Vec<Observation>,
    /// Per course of action.
    pub coas: Vec<CoaUpdate>,
}

impl Analysis for Update {
    const NAME: &'static str = "update";
}

fn failed(source: patronfall_analysis::AnalysisError) -> ResultsError {
    ResultsError::Analysis {
        what: "update",
        source,
    }
}

/// The posterior of every course of action in `coas` given the observations.
pub fn analyse(
    results: &Results,
    table: &IndicatorTable,
    observed: &[(usize, Observation)],
    coas: &[usize],
) -> Result<Update, ResultsError> {
    let m = &results.manifest;
    let mut out = Vec::new();
    let varied: Vec<(String, Vec<f64>)> = m
        .uncertainties
        .iter()
        .filter(|u| u.varied)
        .filter_map(|u| results.table.floats(&u.path).map(|v| (u.path.clone(), v)))
        .collect();
    let correction = correction(results)?;
    for &c in coas {
        let rows: Vec<usize> = (0..results.coa.len())
            .filter(|r| results.coa[*r] == c)
            .collect();
        let mut logs = log_likelihoods(table, observed, &rows);
        if let Some(k) = correction {
            for (x, r) in logs.iter_mut().zip(&rows) {
                *x += k[results.sample[*r]];
            }
        }
        let prior_weights = vec![1.0; rows.len()];
        let weights = weights_from_logs(&logs);
        let fut: Vec<Option<usize>> = rows.iter().map(|r| results.future[*r]).collect();
        let post =
            method::posterior(&fut, m.futures.len(), &weights, CONFIDENCE).map_err(failed)?;
        // The prior: each run's share, or for a follow-up (whose runs are
        // not prior draws) its parent's, as recorded.
        let recorded = m
            .follow_up
            .as_ref()
            .and_then(|f| f.prior.iter().find(|p| p.coa == m.coas[c]));
        let prior = match recorded {
            Some(p) if p.shares.len() == m.futures.len() + 1 => p.shares.clone(),
            Some(_) | None if m.follow_up.is_some() => {
                return Err(ResultsError::input(
                    &results.dir.join("manifest.json"),
                    None,
                    format!(
                        "follow_up.prior: no shares of {} futures for `{}`; write the follow-up again with `patronfall update --follow-up`",
                        m.futures.len() + 1,
                        m.coas[c]
                    ),
                ));
            }
            _ => post.prior.clone(),
        };
        let consistent = weights.iter().any(|w| *w > 0.0);
        let futures = m
            .futures
            .iter()
            .cloned()
            .chain(std::iter::once(NO_FUTURE.to_string()))
            .enumerate()
            .map(|(o, future)| FutureOdds {
                future,
                prior: prior[o],
                posterior: consistent
                    .then(|| finite(post.posterior[o].estimate))
                    .flatten(),
                low: consistent.then_some(post.posterior[o].lower),
                high: consistent.then_some(post.posterior[o].upper),
            })
            .collect();
        let mut figures = Vec::new();
        if consistent {
            for (path, all) in &varied {
                let v: Vec<f64> = rows.iter().map(|r| all[*r]).collect();
                let prior =
                    match &m.follow_up {
                        Some(f) => f.prior_figures.iter().find(|p| p.path == *path).map(|p| {
                            method::Summary {
                                mean: p.mean,
                                sd: p.sd,
                                quantiles: p.quantiles,
                            }
                        }),
                        None => method::summary(&v, &prior_weights).ok(),
                    };
                let (Some(prior), Ok(posterior)) = (prior, method::summary(&v, &weights)) else {
                    continue;
                };
                figures.push(FigureShift {
                    path: path.clone(),
                    prior_mean: prior.mean,
                    prior_quantiles: prior.quantiles,
                    posterior_mean: posterior.mean,
                    posterior_quantiles: posterior.quantiles,
                    shift: if prior.sd > 0.0 {
                        (posterior.mean - prior.mean) / prior.sd
                    } else {
                        0.0
                    },
                });
            }
            figures.sort_by(|a, b| b.shift.abs().total_cmp(&a.shift.abs()));
        }
        let warning = (post.effective_runs < MIN_EFFECTIVE_RUNS).then(|| {
            let targeted = if correction.is_some() {
                "a larger follow-up (a higher --follow-up N from the parent ensemble, or --perturb the figures that moved most)"
            } else {
                "a targeted follow-up (`patronfall update DIR --observed FILE --follow-up N --out NEW_DIR` runs new samples where the observations point)"
            };
            format!(
                "only {:.0} effective run(s) of {} are consistent with what was observed: the posterior is unreliable. Run a larger ensemble (more --runs), or {targeted}; check the observations' days and values against `patronfall signposts`",
                post.effective_runs,
                rows.len()
            )
        });
        out.push(CoaUpdate {
            coa: m.coas[c].clone(),
            runs: rows.len(),
            effective_runs: post.effective_runs,
            futures,
            figures,
            warning,
        });
    }
    Ok(Update {
        confidence: CONFIDENCE,
        observed: observed.iter().map(|(_, o)| o.clone()).collect(),
        coas: out,
    })
}

/// Each run's summed log-likelihood of the observations: the runs are
/// `rows` of the directory, the kernel's bandwidth is set from them.
pub fn log_likelihoods(
    table: &IndicatorTable,
    observed: &[(usize, Observation)],
    rows: &[usize],
) -> Vec<f64> {
    let mut logs = vec![0.0; rows.len()];
    let dims = observed
        .iter()
        .filter(|(_, o)| matches!(o.seen(), Seen::Value(_)))
        .count();
    for (col, obs) in observed {
        let def = &table.definitions.indicators[table.columns[*col].0];
        let error = def.error();
        let values: Vec<f64> = rows.iter().map(|r| table.values[*col][*r]).collect();
        let h = match obs.seen() {
            Seen::Value(_) => bandwidth(&values, &error, dims),
            Seen::Range(..) => 0.0,
        };
        for (l, x) in logs.iter_mut().zip(&values) {
            *l += log_likelihood(obs.seen(), *x, &error, h);
        }
    }
    logs
}

/// A follow-up's importance correction per sample (`None` for an
/// ensemble drawn from the prior), checked against its samples.
fn correction(results: &Results) -> Result<Option<&[f64]>, ResultsError> {
    let Some(f) = &results.manifest.follow_up else {
        return Ok(None);
    };
    let k = &f.log_correction;
    if k.len() != results.manifest.samples || k.iter().any(|x| !x.is_finite()) {
        return Err(ResultsError::input(
            &results.dir.join("manifest.json"),
            None,
            format!(
                "follow_up.log_correction: needs one finite number per sample ({}), has {}; write the follow-up again with `patronfall update --follow-up`",
                results.manifest.samples,
                k.len()
            ),
        ));
    }
    Ok(Some(k))
}

/// One row of a reliability table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge of the probability bin.
    pub from: f64,
    /// Forecasts in it.
    pub forecasts: usize,
    /// Their mean probability.
    pub mean_probability: Option<f64>,
    /// The share of them that came true.
    pub observed_share: Option<f64>,
}

/// The hold-out check of one course of action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoaHoldout {
    /// Course of action.
    pub coa: String,
    /// Held-out runs scored.
    pub runs: usize,
    /// Mean log score, prior.
    pub prior_log: f64,
    /// Mean log score, posterior.
    pub posterior_log: f64,
    /// Mean Brier score, prior.
    pub prior_brier: f64,
    /// Mean Brier score, posterior.
    pub posterior_brier: f64,
    /// Share of held-out runs whose true future became more probable.
    pub raised: f64,
    /// Mean effective sample size.
    pub mean_effective_runs: f64,
    /// Reliability of the posteriors.
    pub reliability: Vec<ReliabilityBin>,
}

/// The hold-out check: every `every`-th scenario sample is the truth, the
/// rest the ensemble; the observations are each indicator's value on its
/// latest observation day up to `by_day`.
pub fn holdout(
    results: &Results,
    table: &IndicatorTable,
    coas: &[usize],
    every: usize,
    by_day: u32,
) -> Result<Vec<CoaHoldout>, ResultsError> {
    let m = &results.manifest;
    if m.follow_up.is_some() {
        return Err(ResultsError::request(
            Some("holdout"),
            format!(
                "{} holds a follow-up, whose samples were drawn where observations point, not from the prior; check the method on the ensemble it followed",
                results.dir.display()
            ),
        ));
    }
    let mut out = Vec::new();
    for &c in coas {
        let rows: Vec<usize> = (0..results.coa.len())
            .filter(|r| results.coa[*r] == c)
            .collect();
        // Each indicator's latest day known by `by_day`: the earlier days
        // of a running total say little more, and counting them as
        // independent evidence would make the posterior overconfident.
        let latest: Vec<usize> = (0..table.definitions.indicators.len())
            .filter_map(|i| {
                table
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(_, (ind, d))| *ind == i && *d <= by_day)
                    .max_by_key(|(_, (_, d))| *d)
                    .map(|(col, _)| col)
            })
            .collect();
        let kept: Vec<(usize, Vec<f64>)> = latest
            .into_iter()
            .map(|col| (col, rows.iter().map(|r| table.values[col][*r]).collect()))
            .collect();
        let columns: Vec<Column<'_>> = kept
            .iter()
            .map(|(col, v)| Column {
                values: v,
                error: table.definitions.indicators[table.columns[*col].0].error(),
            })
            .collect();
        let fut: Vec<Option<usize>> = rows.iter().map(|r| results.future[*r]).collect();
        let held: Vec<bool> = rows
            .iter()
            .map(|r| results.sample[*r].is_multiple_of(every.max(2)))
            .collect();
        let h = method::holdout(&columns, &fut, m.futures.len(), &held, m.seed).map_err(failed)?;
        let reliability = h
            .reliability
            .bins
            .iter()
            .enumerate()
            .map(|(b, (n, mean, hit))| ReliabilityBin {
                from: b as f64 / 10.0,
                forecasts: *n,
                mean_probability: (*n > 0).then_some(*mean),
                observed_share: (*n > 0).then_some(*hit),
            })
            .collect();
        out.push(CoaHoldout {
            coa: m.coas[c].clone(),
            runs: h.runs,
            prior_log: h.prior_log,
            posterior_log: h.posterior_log,
            prior_brier: h.prior_brier,
            posterior_brier: h.posterior_brier,
            raised: if h.runs > 0 {
                h.raised as f64 / h.runs as f64
            } else {
                0.0
            },
            mean_effective_runs: h.mean_effective_runs,
            reliability,
        });
    }
    Ok(out)
}
