//! Scores of simulated collapse timing against the observed one.
//!
//! Input: for each run, the lag of the capital's fall in days (the day it
//! fell minus the day the observed lag is counted from), or `None` when it
//! never fell within the horizon; the observed lag `y` in days; the
//! censoring value `c` (the horizon's last day minus the origin, plus one)
//! that stands for "after the horizon"; and a window half-width `w` as a
//! share of `y`.
//!
//! - **Share collapsed**: runs whose capital fell, with a 95% Wilson interval.
//! - **Quantiles** (5, 25, 50, 75, 95%): the empirical inverse distribution,
//!   the smallest lag x with F(x) ≥ p (no interpolation, so a censored run is
//!   never averaged with a real day); a quantile that lands on a censored run
//!   is "after the horizon" (`None`).
//! - **Median error**: median lag − y, in days (`None` when the median is
//!   after the horizon).
//! - **Window share**: runs with |x − y| ≤ w·y; a run that never fell is
//!   outside (the scenarios' horizons lie beyond the window).
//! - **CRPS** (Gneiting and Raftery 2007, the energy form for a sample):
//!   `CRPS = (1/n) Σ|x_i − y| − (1/(2n²)) Σ_i Σ_j |x_i − x_j|`, in days; lower
//!   is better and 0 is a sure and right forecast. Runs that never fell enter
//!   at the censoring value c, so for a case whose capital fell before the
//!   horizon the score is a lower bound on the uncensored one. The relative
//!   CRPS divides by y so that cases of different tempo compare.
//!
//! A **survival** milestone (the client was still standing s days after the
//! cut) is scored by [`score_survival`] on the runs up to s: a run that
//! collapses later counts as surviving. Share collapsed, its interval and
//! the quantiles are as above with censoring at s; there is no observed lag,
//! so no median error and no window. Its CRPS is the survival CRPS for a
//! right-censored observation (Avati et al. 2020): with F the share of runs
//! collapsed by lag x, `CRPS = ∫_0^s F(x)² dx`, in days (0 when no run
//! collapses before s; s when every run collapses at once), and divided by s.

use patronfall_analysis::proportion::wilson;
use serde::Serialize;

/// The probabilities of the reported quantiles.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Scores of one ensemble against one observed lag.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Runs scored.
    pub runs: usize,
    /// Runs whose capital fell within the horizon.
    pub collapsed: usize,
    /// Share of runs whose capital fell.
    pub share_collapsed: f64,
    /// Lower limit of its 95% Wilson interval.
    pub share_lower: f64,
    /// Upper limit of its 95% Wilson interval.
    pub share_upper: f64,
    /// Lag quantiles in days at [`QUANTILES`]; `None` is after the horizon.
    pub quantiles: [Option<f64>; 5],
    /// Median lag minus observed lag, days; `None` when the median is after the horizon.
    pub median_error: Option<f64>,
    /// Share of runs within ± window × observed lag of the observed lag
    /// (`None` for a survival milestone).
    pub within_window: Option<f64>,
    /// Continuous ranked probability score, days (runs that never fell
    /// censored; the survival CRPS for a survival milestone).
    pub crps: f64,
    /// CRPS over the observed lag.
    pub crps_relative: f64,
}

impl Scores {
    /// The median lag in days (`None`: after the horizon).
    pub fn median(&self) -> Option<f64> {
        self.quantiles[2]
    }
}

/// Scores `lags` (days, `None` = never fell) against the observed lag
/// `observed` (days > 0), censoring at `censor` days, with a window of
/// ± `window` × `observed`.
pub fn score(lags: &[Option<f64>], observed: f64, censor: f64, window: f64) -> Scores {
    let n = lags.len();
    let collapsed = lags.iter().filter(|l| l.is_some()).count();
    let interval = wilson(collapsed as u64, n.max(1) as u64, 0.95).ok();
    let mut sorted: Vec<(f64, bool)> = lags
        .iter()
        .map(|l| l.map_or((censor, true), |x| (x, false)))
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let quantiles = QUANTILES.map(|p| {
        if n == 0 {
            return None;
        }
        let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
        let (x, censored) = sorted[rank - 1];
        (!censored).then_some(x)
    });
    let values: Vec<f64> = sorted.iter().map(|v| v.0).collect();
    let c = crps(&values, observed);
    let within = lags
        .iter()
        .filter(|l| l.is_some_and(|x| (x - observed).abs() <= window * observed))
        .count();
    Scores {
        runs: n,
        collapsed,
        share_collapsed: if n > 0 {
            collapsed as f64 / n as f64
        } else {
            0.0
        },
        share_lower: interval.map_or(0.0, |i| i.lower),
        share_upper: interval.map_or(1.0, |i| i.upper),
        quantiles,
        median_error: quantiles[2].map(|m| m - observed),
        within_window: Some(if n > 0 { within as f64 / n as f64 } else { 0.0 }),
        crps: c,
        crps_relative: if observed > 0.0 { c / observed } else { c },
    }
}

/// Scores `lags` (days, `None` = never collapsed) against a survival of
/// `span` days (> 0): runs are judged up to `span` (module doc).
pub fn score_survival(lags: &[Option<f64>], span: f64) -> Scores {
    let by_span: Vec<Option<f64>> = lags.iter().map(|l| l.filter(|x| *x <= span)).collect();
    let mut s = score(&by_span, span, span, 0.0);
    s.median_error = None;
    s.within_window = None;
    s.crps = survival_crps(&by_span, span);
    s.crps_relative = if span > 0.0 { s.crps / span } else { s.crps };
    s
}

/// `∫_0^s F(x)² dx` for the empirical distribution of the lags that fell
/// (runs with `None` never fall); lags below 0 count from 0.
pub fn survival_crps(lags: &[Option<f64>], span: f64) -> f64 {
    let n = lags.len();
    if n == 0 {
        return f64::NAN;
    }
    let mut xs: Vec<f64> = lags.iter().flatten().map(|x| x.clamp(0.0, span)).collect();
    xs.sort_by(f64::total_cmp);
    let nf = n as f64;
    // F steps to (k + 1)/n at the k-th smallest lag and holds until the next.
    let mut total = 0.0;
    for (k, x) in xs.iter().enumerate() {
        let next = xs.get(k + 1).copied().unwrap_or(span);
        let f = (k as f64 + 1.0) / nf;
        total += f * f * (next - x);
    }
    total
}

/// The CRPS of the sample `xs` (any order) against the observation `y`:
/// `mean |x − y| − ½ mean |x − x'|` over all ordered pairs (module doc).
/// The pair term uses the sorted form `Σ_i Σ_j |x_i − x_j| = 2 Σ_k (2k − n − 1) x_(k)`
/// (k = 1..n), so the cost is a sort, not n².
pub fn crps(xs: &[f64], y: f64) -> f64 {
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    let nf = n as f64;
    let spread_to_obs = xs.iter().map(|x| (x - y).abs()).sum::<f64>() / nf;
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let pairs: f64 = s
        .iter()
        .enumerate()
        .map(|(k, x)| (2.0 * (k as f64 + 1.0) - nf - 1.0) * x)
        .sum::<f64>()
        * 2.0;
    spread_to_obs - pairs / (2.0 * nf * nf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_crps(xs: &[f64], y: f64) -> f64 {
        let n = xs.len() as f64;
        let a: f64 = xs.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
        let b: f64 = xs
            .iter()
            .flat_map(|x| xs.iter().map(move |z| (x - z).abs()))
            .sum::<f64>()
            / (n * n);
        a - b / 2.0
    }

    #[test]
    fn crps_of_point_forecasts_is_the_absolute_error() {
        assert_eq!(crps(&[12.0; 7], 12.0), 0.0);
        assert!((crps(&[20.0; 3], 12.0) - 8.0).abs() < 1e-12);
    }

    #[test]
    fn crps_matches_the_pairwise_definition() {
        // Two points either side: mean |x - y| = 1, mean |x - x'| = 1, so 0.5.
        assert!((crps(&[0.0, 2.0], 1.0) - 0.5).abs() < 1e-12);
        let xs = [3.0, 17.0, 9.0, 9.0, 40.0, 1.0, 12.5];
        for y in [0.0, 9.0, 11.0, 50.0] {
            assert!((crps(&xs, y) - brute_crps(&xs, y)).abs() < 1e-9);
        }
    }

    #[test]
    fn crps_rewards_sharp_and_right_over_vague_or_wrong() {
        let right: Vec<f64> = (8..=14).map(f64::from).collect();
        let vague: Vec<f64> = (0..=40).map(f64::from).collect();
        let wrong: Vec<f64> = (38..=44).map(f64::from).collect();
        assert!(crps(&right, 11.0) < crps(&vague, 11.0));
        assert!(crps(&vague, 11.0) < crps(&wrong, 11.0));
    }

    #[test]
    fn censored_runs_push_quantiles_after_the_horizon() {
        let lags = [Some(10.0), Some(12.0), None, None, None];
        let s = score(&lags, 11.0, 90.0, 0.5);
        assert_eq!(s.collapsed, 2);
        assert!((s.share_collapsed - 0.4).abs() < 1e-12);
        assert_eq!(s.quantiles[0], Some(10.0));
        assert_eq!(s.quantiles[1], Some(12.0));
        assert_eq!(s.median(), None);
        assert_eq!(s.median_error, None);
        assert!((s.within_window.unwrap() - 0.4).abs() < 1e-12);
        assert!(s.share_lower < 0.4 && s.share_upper > 0.4);
    }

    #[test]
    fn median_error_and_window_share() {
        let lags: Vec<Option<f64>> = [6.0, 9.0, 11.0, 14.0, 30.0].map(Some).to_vec();
        let s = score(&lags, 11.0, 100.0, 0.5);
        assert_eq!(s.median(), Some(11.0));
        assert_eq!(s.median_error, Some(0.0));
        // Window 5.5..16.5 holds 6, 9, 11 and 14.
        assert!((s.within_window.unwrap() - 0.8).abs() < 1e-12);
        assert!((s.crps_relative - s.crps / 11.0).abs() < 1e-12);
    }

    #[test]
    fn survival_counts_only_collapses_before_the_span() {
        // Two of five collapse before day 100; one after it counts as survived.
        let lags = [Some(10.0), Some(60.0), Some(150.0), None, None];
        let s = score_survival(&lags, 100.0);
        assert_eq!(s.collapsed, 2);
        assert!((s.share_collapsed - 0.4).abs() < 1e-12);
        assert_eq!(s.median(), None);
        assert_eq!(s.median_error, None);
        assert_eq!(s.within_window, None);
        // F = 0.2 on [10, 60), 0.4 on [60, 100]: 0.04·50 + 0.16·40 = 8.4.
        assert!((s.crps - 8.4).abs() < 1e-9);
        assert!((s.crps_relative - 0.084).abs() < 1e-12);
    }

    #[test]
    fn survival_crps_is_zero_for_survivors_and_the_span_for_instant_collapse() {
        assert_eq!(survival_crps(&[None, None, None], 100.0), 0.0);
        assert!((survival_crps(&[Some(0.0), Some(-3.0)], 100.0) - 100.0).abs() < 1e-12);
    }
}
