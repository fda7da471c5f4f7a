//! Updating the futures' odds from what was observed: importance weighting
//! of an ensemble's runs by the likelihood of the observations, a form of
//! approximate Bayesian computation.
//!
//! The runs of one course of action are draws from the prior (the
//! scenario's uncertain figures and the model's randomness). A run `i`
//! with true indicator values `xᵢ` gets the weight `wᵢ = Πₖ L(obsₖ | xᵢₖ)`,
//! the product over the observations (assumed independent given the run)
//! of:
//!
//! * for an observed value `y`: the normal density of `y` around
//!   `E[Y | x]` with variance `Var[Y | x] + h²` (the measurement error of
//!   `signposts::MeasurementError`, smoothed by a kernel of bandwidth `h`);
//! * for an observed range `[lo, hi]`: `P(lo ≤ Y ≤ hi | x)` (no kernel).
//!
//! `h` is the normal reference rule of a product kernel over the runs'
//! `E[Y | x]` in as many dimensions as there are observations
//! ([`bandwidth`]): the kernel of ABC's smooth rejection (Beaumont, Zhang & Balding 2002, "Approximate Bayesian
//! computation in population genetics", Genetics 162:2025–2035), so that an
//! exactly observed figure still finds runs near it.
//!
//! The posterior probability of a future is the weighted share of its runs;
//! the posterior of an uncertain figure is its weighted mean and
//! quantiles. The effective sample size `(Σw)² / Σw²` (Kish 1965, Survey
//! Sampling) says how many runs the posterior rests on; posterior
//! intervals are Wilson intervals on that many runs.

use crate::error::{Result, invalid, require_len, require_same_len};
use crate::proportion::{Interval, wilson};
use crate::signposts::{MeasurementError, phi};
use crate::stats::quantile_sorted;

/// What was observed of one indicator on one day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Seen {
    /// A value.
    Value(f64),
    /// A range, both ends included.
    Range(f64, f64),
}

/// The kernel bandwidth for one of `dims` observed columns: the normal
/// reference rule of a product kernel in `dims` dimensions,
/// `h = σ · (4 / (d + 2))^(1/(d+4)) · n^(−1/(d+4))` (Silverman 1986,
/// Density Estimation, eq. 4.14), with `σ = min(sd, IQR/1.34)` of the runs'
/// expected observed values (the sd when the IQR is 0; 0 when they do not
/// vary). For one observation it is the familiar `1.06 σ n^(−1/5)`; the
/// more observations are combined, the wider each kernel, so that the
/// weights do not collapse onto a handful of runs.
pub fn bandwidth(values: &[f64], error: &MeasurementError, dims: usize) -> f64 {
    let mut e: Vec<f64> = values
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| error.mean(*v))
        .collect();
    if e.len() < 2 {
        return 0.0;
    }
    e.sort_by(f64::total_cmp);
    let n = e.len() as f64;
    let mean = e.iter().sum::<f64>() / n;
    let sd = (e.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let iqr = (quantile_sorted(&e, 0.75) - quantile_sorted(&e, 0.25)) / 1.34;
    let spread = if iqr > 0.0 { sd.min(iqr) } else { sd };
    let d = dims.max(1) as f64;
    let power =
        |base: f64, exponent: f64| patronfall_math::exp(exponent * patronfall_math::ln(base));
    spread * power(4.0 / (d + 2.0), 1.0 / (d + 4.0)) * power(n, -1.0 / (d + 4.0))
}

/// The likelihood of what was seen given a run's true value `x` (0 for a
/// run with no value).
pub fn likelihood(seen: Seen, x: f64, error: &MeasurementError, bandwidth: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let m = error.mean(x);
    match seen {
        Seen::Value(y) => {
            let s = (error.sd(x).powi(2) + bandwidth.powi(2)).sqrt();
            if s > 0.0 {
                let z = (y - m) / s;
                patronfall_math::exp(-0.5 * z * z) / s
            } else {
                f64::from(u8::from(y == m))
            }
        }
        Seen::Range(lo, hi) => {
            let s = error.sd(x);
            if s > 0.0 {
                (phi((hi - m) / s) - phi((lo - m) / s)).max(0.0)
            } else {
                f64::from(u8::from(lo <= m && m <= hi))
            }
        }
    }
}

/// The natural log of [`likelihood`], computed without underflow for a
/// value far from the run's (−∞ where the likelihood is 0). Weights are
/// products of many likelihoods: sum these and pass them to
/// [`weights_from_logs`].
pub fn log_likelihood(seen: Seen, x: f64, error: &MeasurementError, bandwidth: f64) -> f64 {
    if !x.is_finite() {
        return f64::NEG_INFINITY;
    }
    match seen {
        Seen::Value(y) => {
            let s = (error.sd(x).powi(2) + bandwidth.powi(2)).sqrt();
            if s > 0.0 {
                let z = (y - error.mean(x)) / s;
                -0.5 * z * z - patronfall_math::ln(s)
            } else if y == error.mean(x) {
                0.0
            } else {
                f64::NEG_INFINITY
            }
        }
        Seen::Range(..) => {
            let l = likelihood(seen, x, error, bandwidth);
            if l > 0.0 {
                patronfall_math::ln(l)
            } else {
                f64::NEG_INFINITY
            }
        }
    }
}

/// Weights from summed log-likelihoods, scaled so the largest is 1 (all 0
/// when no run is consistent with the observations).
pub fn weights_from_logs(logs: &[f64]) -> Vec<f64> {
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return vec![0.0; logs.len()];
    }
    logs.iter()
        .map(|l| {
            if l.is_finite() {
                patronfall_math::exp(l - top)
            } else {
                0.0
            }
        })
        .collect()
}

/// Kish's effective sample size of weights.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let s: f64 = weights.iter().sum();
    let s2: f64 = weights.iter().map(|w| w * w).sum();
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// The futures' probabilities under weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    /// Per outcome (futures, then "no future"): the unweighted share.
    pub prior: Vec<f64>,
    /// Per outcome: the weighted share, with a Wilson interval on the
    /// effective sample size.
    pub posterior: Vec<Interval>,
    /// Kish's effective sample size.
    pub effective_runs: f64,
    /// Runs.
    pub runs: usize,
}

/// The prior and posterior of the futures: `futures[i]` is run `i`'s
/// future (`None`: no future), `weights[i]` its weight.
pub fn posterior(
    futures: &[Option<usize>],
    futures_count: usize,
    weights: &[f64],
    confidence: f64,
) -> Result<Posterior> {
    require_same_len("weights", weights.len(), futures.len())?;
    require_len("runs", futures.len(), 1)?;
    if let Some(i) = weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
        return Err(invalid(
            "weights",
            i,
            "weights must be finite and not negative",
        ));
    }
    let k = futures_count + 1;
    let mut prior = vec![0.0; k];
    let mut post = vec![0.0; k];
    for (f, w) in futures.iter().zip(weights) {
        let o = f.unwrap_or(futures_count).min(futures_count);
        prior[o] += 1.0;
        post[o] += w;
    }
    let n = futures.len() as f64;
    let total: f64 = post.iter().sum();
    let ess = effective_sample_size(weights);
    let trials = ess.floor().max(1.0) as u64;
    let posterior = post
        .iter()
        .map(|p| {
            let share = if total > 0.0 { p / total } else { f64::NAN };
            let hits = (share * trials as f64).round().clamp(0.0, trials as f64) as u64;
            let w = wilson(hits, trials, confidence)?;
            Ok(Interval {
                estimate: share,
                lower: w.lower,
                upper: w.upper,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Posterior {
        prior: prior.iter().map(|c| c / n).collect(),
        posterior,
        effective_runs: ess,
        runs: futures.len(),
    })
}

/// The weighted mean and 5, 50 and 95% quantiles of a figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5, 50 and 95% quantiles.
    pub quantiles: [f64; 3],
}

/// The summary of `values` under `weights` (all 1 for the prior); the
/// weighted quantile is the smallest value whose cumulative weight reaches
/// the level.
pub fn summary(values: &[f64], weights: &[f64]) -> Result<Summary> {
    require_same_len("weights", weights.len(), values.len())?;
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .zip(weights)
        .filter(|(v, w)| v.is_finite() && **w > 0.0)
        .map(|(v, w)| (*v, *w))
        .collect();
    require_len("values with weight", pairs.len(), 1)?;
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    let mean = pairs.iter().map(|(v, w)| v * w).sum::<f64>() / total;
    let var = pairs
        .iter()
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum::<f64>()
        / total;
    let quantile = |q: f64| {
        let mut acc = 0.0;
        for (v, w) in &pairs {
            acc += w;
            if acc >= q * total {
                return *v;
            }
        }
        pairs[pairs.len() - 1].0
    };
    Ok(Summary {
        mean,
        sd: var.sqrt(),
        quantiles: [quantile(0.05), quantile(0.5), quantile(0.95)],
    })
}

/// Scores of a probability forecast of the outcome `truth`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// Logarithmic score, `−ln p(truth)` (lower is better; `p` floored at 1e-6).
    pub log: f64,
    /// Brier score, `Σ (p − 1[truth])²` over outcomes (lower is better).
    pub brier: f64,
}

/// Scores a forecast `p` (one probability per outcome) of `truth`.
pub fn score(p: &[f64], truth: usize) -> Score {
    let log = -patronfall_math::ln(p.get(truth).copied().unwrap_or(0.0).max(1e-6));
    let brier = p
        .iter()
        .enumerate()
        .map(|(o, q)| (q - f64::from(u8::from(o == truth))).powi(2))
        .sum();
    Score { log, brier }
}

/// A reliability table: forecasts binned by their probability, with the
/// share of them that came true.
#[derive(Clone, Debug, PartialEq)]
pub struct Reliability {
    /// Per bin (tenths of probability): forecasts, their mean probability,
    /// and the share of them that came true.
    pub bins: Vec<(usize, f64, f64)>,
}

impl Reliability {
    /// An empty table of ten bins.
    pub fn new() -> Self {
        Reliability {
            bins: vec![(0, 0.0, 0.0); 10],
        }
    }

    /// Adds a forecast `p` of every outcome, `truth` being the outcome reached.
    pub fn add(&mut self, p: &[f64], truth: usize) {
        for (o, q) in p.iter().enumerate() {
            if !q.is_finite() {
                continue;
            }
            let b = ((q * 10.0) as usize).min(9);
            let (n, mean, hit) = &mut self.bins[b];
            *n += 1;
            *mean += (q - *mean) / *n as f64;
            *hit += (f64::from(u8::from(o == truth)) - *hit) / *n as f64;
        }
    }
}

impl Default for Reliability {
    fn default() -> Self {
        Reliability::new()
    }
}

/// One indicator column of a hold-out check: the runs' true values and
/// the measurement error they are observed with.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    /// One value per run (NaN: not reached).
    pub values: &'a [f64],
    /// The measurement error.
    pub error: MeasurementError,
}

/// The result of [`holdout`].
#[derive(Clone, Debug, PartialEq)]
pub struct Holdout {
    /// Held-out runs scored.
    pub runs: usize,
    /// Mean logarithmic score of the prior (the training runs' shares).
    pub prior_log: f64,
    /// Mean logarithmic score of the posterior.
    pub posterior_log: f64,
    /// Mean Brier score of the prior.
    pub prior_brier: f64,
    /// Mean Brier score of the posterior.
    pub posterior_brier: f64,
    /// Held-out runs whose true future became more probable.
    pub raised: usize,
    /// Mean effective sample size of the posteriors.
    pub mean_effective_runs: f64,
    /// Reliability of the posteriors.
    pub reliability: Reliability,
    /// Reliability of the prior.
    pub prior_reliability: Reliability,
}

/// Treats the runs with `held[i]` as the truth and the others as the
/// ensemble: each held-out run's indicators are observed with their
/// measurement error (normal draws from a generator seeded with `seed`),
/// the ensemble's runs are weighted by those observations, and the
/// posterior of the futures is scored against the future the held-out run
/// reached, beside the prior.
pub fn holdout(
    columns: &[Column<'_>],
    futures: &[Option<usize>],
    futures_count: usize,
    held: &[bool],
    seed: u64,
) -> Result<Holdout> {
    use rand::{RngExt, SeedableRng};
    let n = futures.len();
    require_same_len("held", held.len(), n)?;
    for c in columns {
        require_same_len("column values", c.values.len(), n)?;
    }
    let train: Vec<usize> = (0..n).filter(|i| !held[*i]).collect();
    let test: Vec<usize> = (0..n).filter(|i| held[*i]).collect();
    require_len("training runs", train.len(), 2)?;
    require_len("held-out runs", test.len(), 1)?;
    let k = futures_count + 1;
    let outcome = |i: usize| futures[i].unwrap_or(futures_count).min(futures_count);
    let mut prior = vec![0.0; k];
    for &i in &train {
        prior[outcome(i)] += 1.0 / train.len() as f64;
    }
    let dims = columns.len();
    let bandwidths: Vec<f64> = columns
        .iter()
        .map(|c| {
            let v: Vec<f64> = train.iter().map(|i| c.values[*i]).collect();
            bandwidth(&v, &c.error, dims)
        })
        .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut normal = move || {
        // Box–Muller: one standard normal from two uniforms.
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random::<f64>();
        (-2.0 * patronfall_math::ln(u1)).sqrt() * patronfall_math::cos(std::f64::consts::TAU * u2)
    };
    let mut out = Holdout {
        runs: 0,
        prior_log: 0.0,
        posterior_log: 0.0,
        prior_brier: 0.0,
        posterior_brier: 0.0,
        raised: 0,
        mean_effective_runs: 0.0,
        reliability: Reliability::new(),
        prior_reliability: Reliability::new(),
    };
    let mut train_futures: Vec<Option<usize>> = train.iter().map(|i| futures[*i]).collect();
    for f in &mut train_futures {
        *f = f.map(|x| x.min(futures_count));
    }
    for &t in &test {
        let mut logs = vec![0.0; train.len()];
        for (c, h) in columns.iter().zip(&bandwidths) {
            let x = c.values[t];
            if !x.is_finite() {
                continue;
            }
            let y = c.error.mean(x) + c.error.sd(x) * normal();
            for (l, i) in logs.iter_mut().zip(&train) {
                *l += log_likelihood(Seen::Value(y), c.values[*i], &c.error, *h);
            }
        }
        let w = weights_from_logs(&logs);
        let post = posterior(&train_futures, futures_count, &w, 0.95)?;
        let p: Vec<f64> = post.posterior.iter().map(|x| x.estimate).collect();
        if p.iter().any(|x| !x.is_finite()) {
            continue;
        }
        let truth = outcome(t);
        let (a, b) = (score(&prior, truth), score(&p, truth));
        out.runs += 1;
        out.prior_log += a.log;
        out.posterior_log += b.log;
        out.prior_brier += a.brier;
        out.posterior_brier += b.brier;
        out.raised += usize::from(p[truth] > prior[truth]);
        out.mean_effective_runs += post.effective_runs;
        out.reliability.add(&p, truth);
        out.prior_reliability.add(&prior, truth);
    }
    if out.runs > 0 {
        let r = out.runs as f64;
        out.prior_log /= r;
        out.posterior_log /= r;
        out.prior_brier /= r;
        out.posterior_brier /= r;
        out.mean_effective_runs /= r;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs whose value is 10 reached future 0, those at 20 future 1: an
    /// observation of 19 moves the odds to future 1.
    #[test]
    fn an_observation_moves_the_odds_to_the_runs_near_it() {
        let x: Vec<f64> = (0..100).map(|i| if i < 50 { 10.0 } else { 20.0 }).collect();
        let f: Vec<Option<usize>> = (0..100).map(|i| Some(usize::from(i >= 50))).collect();
        let e = MeasurementError {
            absolute: 2.0,
            ..MeasurementError::EXACT
        };
        let h = bandwidth(&x, &e, 1);
        let w: Vec<f64> = x
            .iter()
            .map(|v| likelihood(Seen::Value(19.0), *v, &e, h))
            .collect();
        let p = posterior(&f, 2, &w, 0.95).unwrap();
        assert_eq!(p.prior, vec![0.5, 0.5, 0.0]);
        assert!(p.posterior[1].estimate > 0.95, "{p:?}");
        // The runs at 20 carry the weight; those at 10 a little (the kernel).
        assert!(p.effective_runs > 45.0 && p.effective_runs < 52.0, "{p:?}");
        let range: Vec<f64> = x
            .iter()
            .map(|v| likelihood(Seen::Range(0.0, 12.0), *v, &MeasurementError::EXACT, 0.0))
            .collect();
        let p = posterior(&f, 2, &range, 0.95).unwrap();
        assert_eq!(p.posterior[0].estimate, 1.0);
        assert_eq!(p.effective_runs, 50.0);
    }

    #[test]
    fn weighted_summaries_and_scores() {
        let s = summary(&[1.0, 2.0, 3.0, 4.0], &[0.0, 0.0, 1.0, 1.0]).unwrap();
        assert_eq!(s.mean, 3.5);
        assert_eq!(s.quantiles, [3.0, 3.0, 4.0]);
        let sc = score(&[0.5, 0.5], 0);
        assert!((sc.log - std::f64::consts::LN_2).abs() < 1e-12);
        assert!((sc.brier - 0.5).abs() < 1e-12);
        assert_eq!(effective_sample_size(&[1.0, 1.0, 0.0]), 2.0);
        let mut r = Reliability::new();
        r.add(&[0.95, 0.05], 0);
        assert_eq!(r.bins[9], (1, 0.95, 1.0));
        assert_eq!(r.bins[0], (1, 0.05, 0.0));
    }

    #[test]
    fn log_weights_agree_with_weights_and_do_not_underflow() {
        let e = MeasurementError {
            absolute: 1.0,
            ..MeasurementError::EXACT
        };
        let l = likelihood(Seen::Value(1.0), 0.0, &e, 0.0);
        let ll = log_likelihood(Seen::Value(1.0), 0.0, &e, 0.0);
        assert!((patronfall_math::ln(l) - ll).abs() < 1e-12);
        // 60 observations each 5 sd away: the plain product underflows.
        let logs: Vec<f64> = [0.0, 1.0]
            .iter()
            .map(|x| 60.0 * log_likelihood(Seen::Value(6.0), *x, &e, 0.0))
            .collect();
        let w = weights_from_logs(&logs);
        assert_eq!(w[1], 1.0);
        assert!(w[0] > 0.0 && w[0] < 1e-100, "{w:?}");
        assert_eq!(weights_from_logs(&[f64::NEG_INFINITY]), vec![0.0]);
    }

    /// Held-out runs of a world where the indicator tracks the future
    /// score better after the update than before, and the check fails to
    /// improve when the indicator is noise.
    #[test]
    fn held_out_runs_score_better_when_the_indicator_is_informative() {
        let n = 400;
        let futures: Vec<Option<usize>> = (0..n).map(|i| Some(i % 2)).collect();
        let informative: Vec<f64> = (0..n)
            .map(|i| (i % 2) as f64 * 10.0 + ((i * 7) % 13) as f64 * 0.5)
            .collect();
        let noise: Vec<f64> = (0..n).map(|i| ((i * 7) % 13) as f64).collect();
        let held: Vec<bool> = (0..n).map(|i| i % 5 == 0).collect();
        let e = MeasurementError {
            absolute: 1.0,
            ..MeasurementError::EXACT
        };
        let good = holdout(
            &[Column {
                values: &informative,
                error: e,
            }],
            &futures,
            2,
            &held,
            7,
        )
        .unwrap();
        assert_eq!(good.runs, 80);
        assert!(good.posterior_log < good.prior_log - 0.3, "{good:?}");
        assert!(good.posterior_brier < good.prior_brier - 0.2, "{good:?}");
        assert!(good.raised > 70, "{good:?}");
        let bad = holdout(
            &[Column {
                values: &noise,
                error: e,
            }],
            &futures,
            2,
            &held,
            7,
        )
        .unwrap();
        assert!(bad.posterior_log > good.posterior_log + 0.3, "{bad:?}");
    }

    #[test]
    fn bad_weights_are_errors() {
        assert!(posterior(&[Some(0)], 1, &[f64::NAN], 0.95).is_err());
        assert!(posterior(&[Some(0)], 1, &[1.0, 2.0], 0.95).is_err());
    }
}
