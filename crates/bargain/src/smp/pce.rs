//! Steps 4–6 of the SMP (bargaining brief §1.3): coalition strengths from
//! votes, pairwise victory probabilities (`VictoryProbModel`) and the
//! probabilistic Condorcet election over options (`PCEModel`: conditional,
//! Markov with incentives, Markov with uniform challenges). Matrices are
//! row-major `Vec<f64>` of size n×n.

use crate::params::{PceModel, VictoryProbModel, VotingRule};
use crate::smp::vote::vote;

/// Floor on every coalition strength, so no probability is 0/0 (KTAB's minC).
pub const MIN_COALITION: f64 = 1e-8;

/// Coalition strengths C(a:b) = 1e-8 + Σ_k [v_k(a:b)]⁺ over `num_opt` options.
/// `v(k, a, b)` is actor k's vote for a over b; as in KTAB only a > b is
/// evaluated and C(b:a) collects the negative votes.
pub fn coalitions(
    num_act: usize,
    num_opt: usize,
    mut v: impl FnMut(usize, usize, usize) -> f64,
) -> Vec<f64> {
    let mut c = vec![0.0; num_opt * num_opt];
    for a in 0..num_opt {
        for b in 0..a {
            let mut cab = MIN_COALITION;
            let mut cba = MIN_COALITION;
            for k in 0..num_act {
                // Branch-free; adding 0.0 to a positive sum changes no bit.
                let x = v(k, a, b);
                cab += x.max(0.0);
                cba += (-x).max(0.0);
            }
            c[a * num_opt + b] = cab;
            c[b * num_opt + a] = cba;
        }
        c[a * num_opt + a] = MIN_COALITION;
    }
    c
}

/// The probability that a coalition of strength `s1` beats one of `s2`.
pub fn victory_pair(model: VictoryProbModel, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match model {
        VictoryProbModel::Linear => (s1, s2),
        VictoryProbModel::Square => (s1 * s1, s2 * s2),
        VictoryProbModel::Quartic => (s1.powi(4), s2.powi(4)),
        VictoryProbModel::Octic => (s1.powi(8), s2.powi(8)),
        VictoryProbModel::Binary => {
            // A 10 % advantage wins outright; linear interpolation inside.
            let thresh = 1.10;
            if s1 >= thresh * s2 {
                (1.0, 1e-6)
            } else if s2 >= thresh * s1 {
                (1e-6, 1.0)
            } else {
                let r = s1 / (s1 + s2);
                let p = (r * (thresh + 1.0) - 1.0) / (thresh - 1.0);
                (p, 1.0 - p)
            }
        }
    };
    let total = x1 + x2;
    if total > 0.0 && total.is_finite() {
        (x1 / total, x2 / total)
    } else {
        (0.5, 0.5)
    }
}

/// Victory matrix P[a≻b] from coalition strengths; P[a≻a] = ½.
pub fn victory_matrix(model: VictoryProbModel, c: &[f64], n: usize) -> Vec<f64> {
    let mut p = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..a {
            let (pab, pba) = victory_pair(model, c[a * n + b], c[b * n + a]);
            p[a * n + b] = pab;
            p[b * n + a] = pba;
        }
        p[a * n + a] = 0.5;
    }
    p
}

/// Conditional PCE: p_a ∝ Π_b P[a≻b].
pub fn conditional_pce(pv: &[f64], n: usize) -> Vec<f64> {
    let mut p: Vec<f64> = (0..n)
        .map(|a| pv[a * n..(a + 1) * n].iter().product())
        .collect();
    normalise(&mut p);
    p
}

/// Markov PCE with challenge incentives n[a→b] = C(a:b)·P[a≻b]
/// (Wise, "Markov Voting with Incentives in KTAB"): iterate from the uniform
/// distribution, averaging each iterate with the last, to tolerance 1e-8.
pub fn markov_incentive_pce(c: &[f64], pv: &[f64], n: usize) -> Vec<f64> {
    let mut incentive = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..n {
            let mut x = c[a * n + b] * pv[a * n + b];
            if a == b {
                x += 1e-10;
            }
            incentive[a * n + b] = x;
        }
    }
    // chlg[a][b]: probability that a is the challenger when b is the favourite.
    let mut chlg = vec![0.0; n * n];
    for b in 0..n {
        let total: f64 = (0..n).map(|k| incentive[k * n + b]).sum();
        for a in 0..n {
            chlg[a * n + b] = incentive[a * n + b] / total;
        }
    }
    markov_iterate(n, 1e-8, |p, q| {
        for (a, qa) in q.iter_mut().enumerate() {
            let mut s = 0.0;
            for b in 0..n {
                let ct_ab = p[a] * chlg[b * n + a];
                let ct_ba = p[b] * chlg[a * n + b];
                s += pv[a * n + b] * (ct_ab + ct_ba);
            }
            *qa = s;
        }
    })
}

/// Markov PCE with uniform challenges 1/n, to tolerance 1e-6.
pub fn markov_uniform_pce(pv: &[f64], n: usize) -> Vec<f64> {
    markov_iterate(n, 1e-6, |p, q| {
        for (a, qa) in q.iter_mut().enumerate() {
            let s: f64 = (0..n).map(|b| pv[a * n + b] * (p[a] + p[b])).sum();
            *qa = s / n as f64;
        }
    })
}

/// Shared damped fixed-point loop of both Markov PCEs. KTAB gives up after
/// 1000 iterations with an error; here the last iterate is returned.
fn markov_iterate(n: usize, tol: f64, mut next: impl FnMut(&[f64], &mut [f64])) -> Vec<f64> {
    let mut p = vec![1.0 / n as f64; n];
    let mut q = p.clone();
    for _ in 0..1000 {
        next(&p, &mut q);
        let change = p
            .iter()
            .zip(&q)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        for (pa, qa) in p.iter_mut().zip(&q) {
            *pa = (*pa + qa) / 2.0;
        }
        if change <= tol {
            break;
        }
    }
    normalise(&mut p);
    p
}

fn normalise(p: &mut [f64]) {
    let total: f64 = p.iter().sum();
    if total > 0.0 && total.is_finite() {
        for x in p.iter_mut() {
            *x /= total;
        }
    } else {
        let u = 1.0 / p.len() as f64;
        p.iter_mut().for_each(|x| *x = u);
    }
}

/// The PCE distribution over options given coalition strengths `c` (n×n).
pub fn pce_from_coalitions(pce: PceModel, vpm: VictoryProbModel, c: &[f64], n: usize) -> Vec<f64> {
    let pv = victory_matrix(vpm, c, n);
    match pce {
        PceModel::Conditional => conditional_pce(&pv, n),
        PceModel::MarkovIncentive => markov_incentive_pce(c, &pv, n),
        PceModel::MarkovUniform => markov_uniform_pce(&pv, n),
    }
}

/// KTAB's `scalarPCE`: actors with weights `w` vote over `num_opt` options
/// with utilities `u(k, m)`; returns the probability of each option.
pub fn scalar_pce(
    w: &[f64],
    num_opt: usize,
    u: impl Fn(usize, usize) -> f64,
    rule: VotingRule,
    vpm: VictoryProbModel,
    pce: PceModel,
) -> Vec<f64> {
    let c = rule_coalitions(rule, w, num_opt, u);
    pce_from_coalitions(pce, vpm, &c, num_opt)
}

/// [`coalitions`] for actors of weight `w[k]` voting by `rule` with
/// utilities `u(k, option)`. The default rule (`Prop`, w·Δu) is spelled out
/// so that its vote stays inline and free of the rule's dispatch in the
/// O(actors · options²) loop; it is the same expression as [`vote`]'s, so
/// the strengths are bit for bit the same.
pub fn rule_coalitions(
    rule: VotingRule,
    w: &[f64],
    num_opt: usize,
    u: impl Fn(usize, usize) -> f64,
) -> Vec<f64> {
    match rule {
        VotingRule::Prop => coalitions(w.len(), num_opt, |k, a, b| w[k] * (u(k, a) - u(k, b))),
        rule => coalitions(w.len(), num_opt, |k, a, b| {
            vote(rule, w[k], u(k, a), u(k, b))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference_utilities() -> (Vec<f64>, Vec<Vec<f64>>) {
        // Actor 0's five bargains in turn 1 of KTAB's dummyData_3Dim log.
        let w = vec![102.543, 53.393, 129.643, 75.920, 63.224, 120.048, 54.178];
        let u = vec![
            vec![0.82325, 0.83726, 0.80570, 0.81633, 0.80676],
            vec![0.71543, 0.73202, 0.77307, 0.74652, 0.74814],
            vec![0.51258, 0.52804, 0.52407, 0.51692, 0.52177],
            vec![0.74789, 0.76561, 0.77479, 0.79217, 0.80283],
            vec![0.96427, 0.96840, 0.96715, 0.96956, 0.96810],
            vec![0.75597, 0.77250, 0.74109, 0.77766, 0.76567],
            vec![0.73554, 0.72736, 0.72174, 0.74794, 0.73902],
        ];
        (w, u)
    }

    #[test]
    fn conditional_pce_matches_ktab_log() {
        let (w, u) = reference_utilities();
        let p = scalar_pce(
            &w,
            5,
            |k, m| u[k][m],
            VotingRule::Prop,
            VictoryProbModel::Linear,
            PceModel::Conditional,
        );
        let expect = [0.0004, 0.2938, 0.0137, 0.4968, 0.1953];
        // The log prints utilities to 5 decimals, so allow 2e-4.
        for (a, b) in p.iter().zip(expect) {
            assert!((a - b).abs() < 2e-4, "{p:?}");
        }
    }

    #[test]
    fn markov_forms_are_distributions_and_agree_on_a_dominant_option() {
        // Option 0 beats every other option with probability 0.9.
        let n = 3;
        let mut pv = vec![0.5; 9];
        for b in 1..3 {
            pv[b] = 0.9;
            pv[b * n] = 0.1;
        }
        pv[n + 2] = 0.5;
        pv[2 * n + 1] = 0.5;
        let c: Vec<f64> = pv.clone();
        for p in [
            conditional_pce(&pv, n),
            markov_uniform_pce(&pv, n),
            markov_incentive_pce(&c, &pv, n),
        ] {
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            assert!(p[0] > p[1] && p[0] > p[2], "{p:?}");
            assert!((p[1] - p[2]).abs() < 1e-9);
        }
    }

    #[test]
    fn victory_models() {
        let (p, q) = victory_pair(VictoryProbModel::Square, 2.0, 1.0);
        assert!((p - 0.8).abs() < 1e-12 && (q - 0.2).abs() < 1e-12);
        let (p, _) = victory_pair(VictoryProbModel::Quartic, 2.0, 1.0);
        assert!((p - 16.0 / 17.0).abs() < 1e-12);
        let (p, _) = victory_pair(VictoryProbModel::Binary, 1.2, 1.0);
        assert!((p - 1.0 / (1.0 + 1e-6)).abs() < 1e-9);
        let (p, _) = victory_pair(VictoryProbModel::Binary, 1.0, 1.0);
        assert!((p - 0.5).abs() < 1e-12);
    }
}
