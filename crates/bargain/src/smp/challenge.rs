//! Steps 8–9 of the SMP (bargaining brief §1.3, KTAB's `probEduChlg` and
//! `bestChallenge`): h's estimate of the probability that i beats j if i
//! challenges j, after third parties weigh in (`ThirdPartyCommit`), and of
//! the change in k's expected utility compared with the status quo; then
//! each actor's most advantageous target.

use crate::params::ThirdPartyCommit;
use crate::smp::assess::Assessment;
use crate::smp::model::Model;
use crate::smp::vote::vote;

/// Floor on the principals' coalitions (KTAB's minCltn).
const MIN_CLTN: f64 = 1e-10;
/// Expected gains at or below this are not worth a challenge (KTAB's minSigEDU).
pub const MIN_SIGNIFICANT_GAIN: f64 = 1e-5;

/// h's estimate, for i challenging j: the probability that i wins and the
/// expected change of k's utility (sum of i's and j's positions' utilities).
pub fn prob_gain(
    model: &Model,
    a: &Assessment,
    h: usize,
    k: usize,
    i: usize,
    j: usize,
) -> (f64, f64) {
    let p = &model.params;
    let vr = p.voting_rule;
    let u = |x: usize, y: usize| a.u(h, x, y);
    let (uii, uij, uji, ujj) = (u(i, i), u(i, j), u(j, i), u(j, j));
    let eu_sq = u(k, i) + u(k, j);
    let eu_i_wins = 2.0 * u(k, i);
    let eu_j_wins = 2.0 * u(k, j);
    let sj = model.sal_sum[j];

    let contrib_i = vote(vr, model.sal_sum[i] * model.caps[i], uii, uij);
    let contrib_j = vote(vr, sj * model.caps[j], uji, ujj);
    let mut cij = MIN_CLTN;
    let mut cji = MIN_CLTN;
    for c in [contrib_i, contrib_j] {
        if c > 0.0 {
            cij += c;
        }
        if c < 0.0 {
            cji -= c;
        }
    }
    let (base_i, base_j) = (cij, cji);

    for n in 0..model.n {
        if n == i || n == j {
            continue;
        }
        let wn = model.sal_sum[n] * model.caps[n];
        let (uni, unj, unn) = (u(n, i), u(n, j), u(n, n));
        // The "little conflict": principals plus n's zero-order vote.
        let v0 = vote(vr, wn, uni, unj);
        let ci = if v0 > 0.0 { base_i + v0 } else { base_i };
        let cj = if v0 < 0.0 { base_j - v0 } else { base_j };
        let pin = ci / (ci + cj);
        let pjn = 1.0 - pin;
        // Sums of three positions' utilities (i, j, n) in each outcome.
        let (ik_wins, j_beats_ik, i_beats_jk, jk_wins) = match p.third_party_commit {
            ThirdPartyCommit::FullCommit => (3.0 * uni, 3.0 * unj, 3.0 * uni, 3.0 * unj),
            ThirdPartyCommit::SemiCommit => {
                (2.0 * uni + unn, 3.0 * unj, 3.0 * uni, 2.0 * unj + unn)
            }
            ThirdPartyCommit::NoCommit => (
                2.0 * uni + unn,
                2.0 * unj + unn,
                2.0 * uni + unn,
                2.0 * unj + unn,
            ),
        };
        let join_i = pin * ik_wins + pjn * j_beats_ik;
        let join_j = pin * i_beats_jk + pjn * jk_wins;
        let vn = vote(vr, wn, join_i, join_j);
        if vn > 0.0 {
            cij += vn;
        }
        if vn < 0.0 {
            cji -= vn;
        }
    }

    let pij = cij / (cij + cji);
    let pji = cji / (cij + cji);
    let eu_contest = pij * eu_i_wins + pji * eu_j_wins;
    let eu_challenge = (1.0 - sj) * eu_i_wins + sj * eu_contest;
    (pij, eu_challenge - eu_sq)
}

/// i's most advantageous target under its own estimates: (target, p_win,
/// gain), or `None` if no target gains more than 1e-5. Ties go to the
/// lowest index, as in KTAB.
pub fn best_challenge(model: &Model, a: &Assessment, i: usize) -> Option<(usize, f64, f64)> {
    let mut best: Option<(usize, f64, f64)> = None;
    for j in 0..model.n {
        if j == i {
            continue;
        }
        let (p, gain) = prob_gain(model, a, i, i, i, j);
        let better = match best {
            None => true,
            Some((_, _, g)) => gain > g,
        };
        if gain > MIN_SIGNIFICANT_GAIN && better {
            best = Some((j, p, gain));
        }
    }
    best
}
