//! A targeted follow-up ensemble: new scenario samples drawn where the
//! observations point, with the importance correction that keeps their
//! weighted runs an estimate of the same posterior.
//!
//! This is one step of population Monte Carlo ABC (Beaumont, Cornuet,
//! Marin & Robert 2009, "Adaptive approximate Bayesian computation",
//! Biometrika 96(4):983–990; also Del Moral, Doucet & Jasra 2012, "An
//! adaptive sequential Monte Carlo method for approximate Bayesian
//! computation", Statistics and Computing 22:1009–1020), worked on the unit
//! hypercube the ensemble samples: every uncertain figure is its
//! uncertainty's inverse distribution function of a coordinate `u ∈ [0, 1)`,
//! so the prior density of `u` is 1 on the cube whatever the figures'
//! distributions.
//!
//! Given parent samples `u_j` with normalised weights `W_j` (the update's
//! weights, [`pool`]ed over courses of action):
//!
//! 1. **Resample** `n` parents by systematic resampling ([`systematic`];
//!    Kitagawa 1996, "Monte Carlo filter and smoother for non-Gaussian
//!    nonlinear state space models", J. Comput. Graph. Stat. 5:1–25).
//! 2. **Perturb** each perturbed coordinate `d` of the chosen parent with a
//!    normal kernel of width `τ_d` truncated to `[0, 1]`:
//!    `K_d(x | c) = φ((x − c)/τ_d) / (τ_d · (Φ((1 − c)/τ_d) − Φ(−c/τ_d)))`.
//!    `τ_d² = 2 · Var_W(u_d)`, twice the weighted variance of the parents
//!    (Beaumont et al. 2009, §3), floored at [`width_floor`] so that a
//!    weighted spread of 0 (one consistent sample) still explores.
//! 3. **Importance correction.** A new sample's proposal density is the
//!    mixture `q(u) = Σ_j W_j Π_d K_d(u_d | u_jd)`; its weight as a draw from
//!    the prior is `π(u) / q(u) = 1 / q(u)`, returned as
//!    `log_correction = −ln q(u)`. The posterior weight of a new run is its
//!    observation likelihood times this correction: the weights of
//!    Beaumont et al.'s algorithm, with the ABC kernel replaced by the
//!    update's likelihood (`crate::update`).
//!
//! Coordinates not perturbed are not copied from the parent: the caller
//! draws them afresh from the prior, so they contribute a factor 1 to both
//! densities. Perturbing only the few figures the observations inform keeps
//! the proposal's density from varying over hundreds of dimensions, which
//! would leave a handful of runs with all the weight.

use crate::error::{Result, invalid, require_len, require_same_len};
use crate::matrix::Matrix;
use crate::signposts::phi;

/// The normalised mean of several weight vectors over the same samples
/// (one per course of action): each is scaled to sum to 1 and the scaled
/// vectors are averaged. A vector with no positive weight (a course of
/// action no run of which is consistent with the observations) is left
/// out. All zeros when none has a positive weight.
pub fn pool(weights: &[Vec<f64>]) -> Result<Vec<f64>> {
    require_len("weight vectors", weights.len(), 1)?;
    let n = weights[0].len();
    let mut out = vec![0.0; n];
    let mut used = 0usize;
    for w in weights {
        require_same_len("weights", w.len(), n)?;
        if let Some(i) = w.iter().position(|x| !x.is_finite() || *x < 0.0) {
            return Err(invalid(
                "weights",
                i,
                "weights must be finite and not negative",
            ));
        }
        let total: f64 = w.iter().sum();
        if total > 0.0 {
            used += 1;
            for (o, x) in out.iter_mut().zip(w) {
                *o += x / total;
            }
        }
    }
    if used > 0 {
        for o in &mut out {
            *o /= used as f64;
        }
    }
    Ok(out)
}

/// The smallest kernel width: `1/n`, the resolution of `n` parent
/// samples on each coordinate (a Latin hypercube puts one sample in each
/// stratum of that width). It binds only when the weighted spread is
/// smaller, as when one parent sample carries all the weight, and keeps the
/// follow-up exploring the stratum that sample stands for.
pub fn width_floor(parent_samples: usize) -> f64 {
    1.0 / parent_samples.max(1) as f64
}

/// The kernel's width per column of `parents` (rows: parent samples,
/// columns: the perturbed coordinates): `max(√(2 · Var_W), floor)`.
pub fn kernel_widths(parents: &Matrix, weights: &[f64], floor: f64) -> Result<Vec<f64>> {
    require_same_len("weights", weights.len(), parents.rows())?;
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return Err(invalid("weights", total, "no parent sample has weight"));
    }
    Ok((0..parents.cols())
        .map(|d| {
            let mean = (0..parents.rows())
                .map(|j| weights[j] * parents.get(j, d))
                .sum::<f64>()
                / total;
            let var = (0..parents.rows())
                .map(|j| weights[j] * (parents.get(j, d) - mean).powi(2))
                .sum::<f64>()
                / total;
            (2.0 * var).sqrt().max(floor)
        })
        .collect())
}

/// Systematic resampling: `n` indices, index `j` appearing about
/// `n · W_j` times, from one uniform `start ∈ [0, 1)`: the `i`-th pick is
/// the parent whose cumulative weight first exceeds `(i + start) / n`.
pub fn systematic(weights: &[f64], n: usize, start: f64) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(n);
    let mut j = 0usize;
    let mut acc = weights.first().copied().unwrap_or(0.0) / total;
    for i in 0..n {
        let target = (i as f64 + start) / n as f64;
        while acc <= target && j + 1 < weights.len() {
            j += 1;
            acc += weights[j] / total;
        }
        out.push(j);
    }
    out
}

/// Spearman's rank correlation of the pairs `(a[i], b[i])` with both
/// finite (ties take their mean rank); 0 when fewer than 3 pairs or
/// either side does not vary. Screens which figures drive an observed
/// indicator across all of an ensemble's runs, a measure that does not
/// rest on the few runs the observations favour.
pub fn rank_correlation(a: &[f64], b: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = a
        .iter()
        .zip(b)
        .filter(|(p, q)| p.is_finite() && q.is_finite())
        .map(|(p, q)| (*p, *q))
        .unzip();
    if x.len() < 3 {
        return 0.0;
    }
    let (rx, ry) = (ranks(&x), ranks(&y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (p, q) in rx.iter().zip(&ry) {
        sxy += (p - mx) * (q - my);
        sxx += (p - mx).powi(2);
        syy += (q - my).powi(2);
    }
    if sxx > 0.0 && syy > 0.0 {
        sxy / (sxx * syy).sqrt()
    } else {
        0.0
    }
}

/// Ranks from 1, ties given their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|a, b| v[*a].total_cmp(&v[*b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// The new samples of a follow-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// One row per new sample, one column per perturbed coordinate, on `[0, 1]`.
    pub points: Matrix,
    /// The parent sample each was perturbed from.
    pub parents: Vec<usize>,
    /// `ln(π(u) / q(u)) = −ln q(u)`: the importance correction of each.
    pub log_correction: Vec<f64>,
}

/// One parent's truncated kernels: centre, width and the log of the mass
/// the untruncated normal puts on `[0, 1]`, per coordinate.
struct Component<'a> {
    centre: &'a [f64],
    log_weight: f64,
    log_mass: Vec<f64>,
}

fn components<'a>(parents: &'a Matrix, weights: &[f64], widths: &[f64]) -> Vec<Component<'a>> {
    let total: f64 = weights.iter().sum();
    (0..parents.rows())
        .filter(|j| weights[*j] > 0.0)
        .map(|j| {
            let centre = parents.row(j);
            Component {
                centre,
                log_weight: patronfall_math::ln(weights[j] / total),
                log_mass: centre
                    .iter()
                    .zip(widths)
                    .map(|(c, t)| patronfall_math::ln(phi((1.0 - c) / t) - phi(-c / t)))
                    .collect(),
            }
        })
        .collect()
}

/// `ln q(u)` for the mixture of [`components`].
fn log_density(u: &[f64], parts: &[Component<'_>], widths: &[f64]) -> f64 {
    let half_ln_tau: f64 = 0.5 * patronfall_math::ln(std::f64::consts::TAU);
    let ln_widths: f64 = widths.iter().map(|t| patronfall_math::ln(*t)).sum();
    let constant = -(u.len() as f64) * half_ln_tau - ln_widths;
    let terms: Vec<f64> = parts
        .iter()
        .map(|p| {
            let quad: f64 = u
                .iter()
                .zip(p.centre)
                .zip(widths)
                .map(|((x, c), t)| {
                    let z = (x - c) / t;
                    0.5 * z * z
                })
                .sum();
            p.log_weight + constant - quad - p.log_mass.iter().sum::<f64>()
        })
        .collect();
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    top + patronfall_math::ln(
        terms
            .iter()
            .map(|t| patronfall_math::exp(t - top))
            .sum::<f64>(),
    )
}

/// `ln q(u)`, the proposal's log density at `u` (on the cube) for parents
/// with weights `weights` and kernel widths `widths`.
pub fn log_proposal(u: &[f64], parents: &Matrix, weights: &[f64], widths: &[f64]) -> Result<f64> {
    require_same_len("weights", weights.len(), parents.rows())?;
    require_same_len("widths", widths.len(), parents.cols())?;
    require_same_len("point", u.len(), parents.cols())?;
    if u.iter().any(|x| !(0.0..=1.0).contains(x)) {
        return Ok(f64::NEG_INFINITY);
    }
    Ok(log_density(
        u,
        &components(parents, weights, widths),
        widths,
    ))
}

/// Draws `n` new samples from the parents (rows of `parents`, weights
/// `weights`, not necessarily normalised) with kernel widths `widths`, from
/// a ChaCha8 stream seeded with `seed`: resampled, perturbed, and each
/// given its importance correction.
pub fn propose(
    parents: &Matrix,
    weights: &[f64],
    widths: &[f64],
    n: usize,
    seed: u64,
) -> Result<Proposal> {
    use rand::{RngExt, SeedableRng};
    require_same_len("weights", weights.len(), parents.rows())?;
    require_same_len("widths", widths.len(), parents.cols())?;
    require_len("new samples", n, 1)?;
    if let Some(i) = weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
        return Err(invalid(
            "weights",
            i,
            "weights must be finite and not negative",
        ));
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        return Err(invalid("weights", 0, "no parent sample has weight"));
    }
    if let Some(d) = widths.iter().position(|t| !(t.is_finite() && *t > 0.0)) {
        return Err(invalid("widths", d, "kernel widths must be positive"));
    }
    if parents.as_slice().iter().any(|x| !(0.0..=1.0).contains(x)) {
        return Err(invalid("parents", "", "points must lie on [0, 1]"));
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let picks = systematic(weights, n, rng.random::<f64>());
    let mut normal = move || {
        // Box–Muller: one standard normal from two uniforms.
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random::<f64>();
        (-2.0 * patronfall_math::ln(u1)).sqrt() * patronfall_math::cos(std::f64::consts::TAU * u2)
    };
    let k = parents.cols();
    let mut points = Matrix::zeros(n, k);
    for (i, &j) in picks.iter().enumerate() {
        for (d, t) in widths.iter().enumerate() {
            let c = parents.get(j, d);
            // The truncated normal by rejection: each try lands on [0, 1]
            // with probability at least Φ(1/τ) − 1/2 ≥ 0.42 for τ ≤ 1/√2,
            // the largest width a spread on [0, 1] gives.
            let x = loop {
                let x = c + t * normal();
                if (0.0..=1.0).contains(&x) {
                    break x;
                }
            };
            points.set(i, d, x);
        }
    }
    let parts = components(parents, weights, widths);
    let log_correction = points
        .iter_rows()
        .map(|u| -log_density(u, &parts, widths))
        .collect();
    Ok(Proposal {
        points,
        parents: picks,
        log_correction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::update::{effective_sample_size, weights_from_logs};

    #[test]
    fn systematic_resampling_follows_the_weights() {
        let picks = systematic(&[0.0, 3.0, 1.0, 0.0], 8, 0.5);
        assert_eq!(picks.iter().filter(|j| **j == 1).count(), 6);
        assert_eq!(picks.iter().filter(|j| **j == 2).count(), 2);
        assert!(picks.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(systematic(&[1.0], 3, 0.99), vec![0, 0, 0]);
    }

    #[test]
    fn rank_correlation_sees_monotone_relations_and_skips_gaps() {
        let a = [1.0, 2.0, 3.0, 4.0, f64::NAN];
        assert!((rank_correlation(&a, &[1.0, 8.0, 27.0, 64.0, 0.0]) - 1.0).abs() < 1e-12);
        assert!((rank_correlation(&a, &[4.0, 3.0, 2.0, 1.0, 9.0]) + 1.0).abs() < 1e-12);
        assert_eq!(rank_correlation(&a, &[5.0; 5]), 0.0);
        assert_eq!(ranks(&[2.0, 1.0, 2.0]), vec![2.5, 1.0, 2.5]);
        assert_eq!(rank_correlation(&[1.0, 2.0], &[1.0, 2.0]), 0.0);
    }

    #[test]
    fn pooled_weights_give_every_consistent_course_of_action_an_equal_say() {
        let p = pool(&[vec![2.0, 2.0, 0.0], vec![0.0, 0.0, 5.0], vec![0.0; 3]]).unwrap();
        assert_eq!(p, vec![0.25, 0.25, 0.5]);
        assert_eq!(pool(&[vec![0.0, 0.0]]).unwrap(), vec![0.0, 0.0]);
        assert!(pool(&[vec![1.0], vec![1.0, 2.0]]).is_err());
        assert!(pool(&[vec![f64::NAN]]).is_err());
    }

    /// The proposal's density integrates to 1 over the cube (midpoint rule
    /// on a 2-D grid), kernels at the edges included.
    #[test]
    fn the_proposal_density_integrates_to_one() {
        let parents = Matrix::from_rows("p", &[vec![0.02, 0.5], vec![0.7, 0.98]]).unwrap();
        let (w, t) = ([1.0, 3.0], [0.1, 0.3]);
        let m = 400;
        let mut total = 0.0;
        for a in 0..m {
            for b in 0..m {
                let u = [(a as f64 + 0.5) / m as f64, (b as f64 + 0.5) / m as f64];
                total += patronfall_math::exp(log_proposal(&u, &parents, &w, &t).unwrap());
            }
        }
        total /= (m * m) as f64;
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        assert_eq!(
            log_proposal(&[1.2, 0.5], &parents, &w, &t).unwrap(),
            f64::NEG_INFINITY
        );
    }

    /// A toy with a known posterior: θ uniform on [0, 1] (its own
    /// coordinate), a second figure φ that nothing observes, and one
    /// observation y = θ + e, e ~ N(0, 0.03²), of 0.3. The posterior of θ is
    /// N(0.3, 0.03²) truncated to [0, 1] (mean 0.3 to 1e-9), φ keeps its
    /// prior (mean 0.5). The parent is 400 Monte Carlo samples; the
    /// follow-up draws 400 where the parent's weights point, θ perturbed and
    /// φ drawn afresh, and its corrected weights recover both posteriors
    /// on a larger effective sample.
    #[test]
    fn a_follow_up_recovers_a_known_posterior_on_more_effective_samples() {
        use rand::{RngExt, SeedableRng};
        let sd = 0.03;
        let log_lik = |theta: f64| {
            let z = (0.3 - theta) / sd;
            -0.5 * z * z
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let n = 400;
        let theta: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let parent_w = weights_from_logs(&theta.iter().map(|t| log_lik(*t)).collect::<Vec<_>>());
        let parent_ess = effective_sample_size(&parent_w);
        let parents = Matrix::from_row_major(n, 1, theta).unwrap();
        let widths = kernel_widths(&parents, &parent_w, width_floor(n)).unwrap();
        assert!(widths[0] > sd && widths[0] < 3.0 * sd, "{widths:?}");
        let p = propose(&parents, &parent_w, &widths, n, 5).unwrap();
        let fresh: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let logs: Vec<f64> = (0..n)
            .map(|i| log_lik(p.points.get(i, 0)) + p.log_correction[i])
            .collect();
        let w = weights_from_logs(&logs);
        let ess = effective_sample_size(&w);
        let mean = |v: &dyn Fn(usize) -> f64| {
            (0..n).map(|i| w[i] * v(i)).sum::<f64>() / w.iter().sum::<f64>()
        };
        let theta_mean = mean(&|i| p.points.get(i, 0));
        let theta_sd = mean(&|i| (p.points.get(i, 0) - theta_mean).powi(2)).sqrt();
        assert!((theta_mean - 0.3).abs() < 0.003, "mean {theta_mean}");
        assert!((theta_sd - sd).abs() < 0.003, "sd {theta_sd}");
        assert!((mean(&|i| fresh[i]) - 0.5).abs() < 0.05);
        assert!(
            ess > 3.0 * parent_ess,
            "follow-up {ess:.0} against parent {parent_ess:.0} effective samples"
        );
        // Without the correction the weights would describe the
        // likelihood times the proposal, a posterior narrower than the
        // truth.
        let plain = weights_from_logs(
            &(0..n)
                .map(|i| log_lik(p.points.get(i, 0)))
                .collect::<Vec<_>>(),
        );
        let total: f64 = plain.iter().sum();
        let m: f64 = (0..n).map(|i| plain[i] * p.points.get(i, 0)).sum::<f64>() / total;
        let s = ((0..n)
            .map(|i| plain[i] * (p.points.get(i, 0) - m).powi(2))
            .sum::<f64>()
            / total)
            .sqrt();
        assert!(s < 0.93 * sd, "uncorrected sd {s}");
    }

    #[test]
    fn bad_inputs_are_errors() {
        let parents = Matrix::from_rows("p", &[vec![0.5]]).unwrap();
        assert!(propose(&parents, &[0.0], &[0.1], 4, 1).is_err());
        assert!(propose(&parents, &[1.0], &[0.0], 4, 1).is_err());
        assert!(propose(&parents, &[1.0], &[0.1], 0, 1).is_err());
        let p = propose(&parents, &[1.0], &[0.1], 4, 1).unwrap();
        assert_eq!(p.parents, vec![0; 4]);
        assert_eq!(p, propose(&parents, &[1.0], &[0.1], 4, 1).unwrap());
    }
}
