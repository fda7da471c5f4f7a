//! Steps 8–9 of the SMP (bargaining brief §1.3, KTAB's `probEduChlg` and
//! `bestChallenge`): h's estimate of the probability that i beats j if i
//! challenges j, after third parties weigh in (`ThirdPartyCommit`), and of
//! the change in k's expected utility compared with the status quo; then
//! each actor's most advantageous target.
//!
//! Cost: one estimate sums over the n − 2 third parties, and every actor
//! weighs every target, so a turn is O(n³). `best_challenge` therefore
//! tabulates its estimator's n × n utilities once ([`Estimates`]) instead of
//! evaluating them n − 2 times per target, and the coalition sums add
//! `max(v, 0)` rather than branch on the sign of each vote (adding 0.0 to a
//! positive sum leaves it bit for bit unchanged, so the results are those of
//! the branching form).

use crate::params::{ThirdPartyCommit, VotingRule};
use crate::smp::assess::Assessment;
use crate::smp::model::Model;
use crate::smp::utility::utility;
use crate::smp::vote::vote;

/// Floor on the principals' coalitions (KTAB's minCltn).
const MIN_CLTN: f64 = 1e-10;
/// Expected gains at or below this are not worth a challenge (KTAB's minSigEDU).
pub const MIN_SIGNIFICANT_GAIN: f64 = 1e-5;

/// One estimator's view of everyone's utilities: `u[x·n + y]` is h's
/// estimate of the utility to actor x of actor y's position.
#[derive(Debug, Clone, Default)]
pub struct Estimates {
    n: usize,
    u: Vec<f64>,
    /// Per-target work space of [`best_challenge`], kept between calls.
    scratch: [Vec<f64>; 6],
}

impl Estimates {
    /// Tabulates estimator h's utilities, reusing this table's storage.
    pub fn fill(&mut self, a: &Assessment, h: usize) {
        let n = a.actors();
        self.n = n;
        self.u.clear();
        self.u.reserve(n * n);
        for x in 0..n {
            // Row x: h's estimate of x's risk attitude, x's distances.
            let r = a.est[h * n + x];
            let row = &a.dist[x * n..(x + 1) * n];
            self.u.extend(row.iter().map(|&d| utility(d, r)));
        }
    }

    /// h's estimate of the utility to x of y's position.
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> f64 {
        self.u[x * self.n + y]
    }
}

/// For i challenging j, as seen by one estimator whose utility estimates are
/// `u(x, y)` (utility to x of y's position): the probability that i wins and
/// the expected change of k's utility (sum of i's and j's positions' utilities).
pub fn prob_gain(
    model: &Model,
    u: impl Fn(usize, usize) -> f64,
    k: usize,
    i: usize,
    j: usize,
) -> (f64, f64) {
    let p = &model.params;
    match p.voting_rule {
        // The default rule, spelled out so the compiler can keep the vote
        // inline and free of the rule's dispatch in the O(n) loop.
        VotingRule::Prop => prob_gain_with(model, u, k, i, j, |w, a, b| w * (a - b)),
        rule => prob_gain_with(model, u, k, i, j, |w, a, b| vote(rule, w, a, b)),
    }
}

#[inline(always)]
fn prob_gain_with(
    model: &Model,
    u: impl Fn(usize, usize) -> f64,
    k: usize,
    i: usize,
    j: usize,
    vote: impl Fn(f64, f64, f64) -> f64,
) -> (f64, f64) {
    let p = &model.params;
    let (uii, uij, uji, ujj) = (u(i, i), u(i, j), u(j, i), u(j, j));
    let eu_sq = u(k, i) + u(k, j);
    let eu_i_wins = 2.0 * u(k, i);
    let eu_j_wins = 2.0 * u(k, j);
    let sj = model.sal_sum[j];

    let contrib_i = vote(model.sal_sum[i] * model.caps[i], uii, uij);
    let contrib_j = vote(sj * model.caps[j], uji, ujj);
    let mut cij = MIN_CLTN;
    let mut cji = MIN_CLTN;
    for c in [contrib_i, contrib_j] {
        cij += c.max(0.0);
        cji += (-c).max(0.0);
    }
    let (base_i, base_j) = (cij, cji);

    // Weights of the three positions' utilities (i, j, n) in each outcome:
    // (i and n win, j beats i and n, i beats j and n, j and n win), as
    // multiples of (u(n,i) or u(n,j), u(n,n)).
    let commit = p.third_party_commit;
    for n in 0..model.n {
        if n == i || n == j {
            continue;
        }
        let wn = model.sal_sum[n] * model.caps[n];
        let (uni, unj, unn) = (u(n, i), u(n, j), u(n, n));
        // The "little conflict": principals plus n's zero-order vote.
        let v0 = vote(wn, uni, unj);
        let ci = base_i + v0.max(0.0);
        let cj = base_j + (-v0).max(0.0);
        let pin = ci / (ci + cj);
        let pjn = 1.0 - pin;
        let (ik_wins, j_beats_ik, i_beats_jk, jk_wins) = match commit {
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
        let vn = vote(wn, join_i, join_j);
        cij += vn.max(0.0);
        cji += (-vn).max(0.0);
    }

    let pij = cij / (cij + cji);
    let pji = cji / (cij + cji);
    let eu_contest = pij * eu_i_wins + pji * eu_j_wins;
    let eu_challenge = (1.0 - sj) * eu_i_wins + sj * eu_contest;
    (pij, eu_challenge - eu_sq)
}

/// i's most advantageous target under its own estimates (tabulated into
/// `own`): (target, p_win, gain), or `None` if no target gains more than
/// 1e-5. Ties go to the lowest index, as in KTAB.
///
/// The result is [`prob_gain`]'s for every target, computed with the loops
/// turned inside out: third parties outside, targets inside, so that the
/// inner loop runs over contiguous rows and the compiler can vectorise it.
/// Each target's coalition sums still add third parties in increasing
/// order, so the numbers are bit for bit those of `prob_gain` (a test below
/// holds them to it).
pub fn best_challenge(
    model: &Model,
    a: &Assessment,
    i: usize,
    own: &mut Estimates,
) -> Option<(usize, f64, f64)> {
    own.fill(a, i);
    let mut scratch = std::mem::take(&mut own.scratch);
    all_targets(model, own, i, &mut scratch);
    let [.., pij, gain] = &scratch;
    let mut best: Option<(usize, f64, f64)> = None;
    for j in 0..model.n {
        if j == i {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, _, g)) => gain[j] > g,
        };
        if gain[j] > MIN_SIGNIFICANT_GAIN && better {
            best = Some((j, pij[j], gain[j]));
        }
    }
    own.scratch = scratch;
    best
}

/// `prob_gain(model, own, i, i, j)` for every j (entry i is meaningless),
/// into the last two vectors of `scratch` (win probabilities, gains); the
/// first four are work space.
fn all_targets(model: &Model, own: &Estimates, i: usize, scratch: &mut [Vec<f64>; 6]) {
    for v in scratch.iter_mut() {
        v.clear();
        v.resize(model.n, 0.0);
    }
    match model.params.voting_rule {
        VotingRule::Prop => all_targets_with(model, own, i, scratch, |w, a, b| w * (a - b)),
        rule => all_targets_with(model, own, i, scratch, |w, a, b| vote(rule, w, a, b)),
    }
}

#[inline(always)]
fn all_targets_with(
    model: &Model,
    own: &Estimates,
    i: usize,
    scratch: &mut [Vec<f64>; 6],
    vote: impl Fn(f64, f64, f64) -> f64 + Copy,
) {
    let [base_i, base_j, cij, cji, pij, gain] = scratch;
    let n_act = model.n;
    let u = |x: usize, y: usize| own.get(x, y);
    let wi = model.sal_sum[i] * model.caps[i];
    let uii = u(i, i);
    // The principals' own votes, per target j.
    for j in 0..n_act {
        let contrib_i = vote(wi, uii, u(i, j));
        let contrib_j = vote(model.sal_sum[j] * model.caps[j], u(j, i), u(j, j));
        let mut cij = MIN_CLTN;
        let mut cji = MIN_CLTN;
        for c in [contrib_i, contrib_j] {
            cij += c.max(0.0);
            cji += (-c).max(0.0);
        }
        base_i[j] = cij;
        base_j[j] = cji;
    }
    cij.copy_from_slice(base_i);
    cji.copy_from_slice(base_j);
    let commit = model.params.third_party_commit;
    for n in 0..n_act {
        if n == i {
            continue;
        }
        let wn = model.sal_sum[n] * model.caps[n];
        let uni = u(n, i);
        let unn = u(n, n);
        let row = &own.u[n * n_act..(n + 1) * n_act];
        // Targets j ≠ n in contiguous runs (j = i is computed and ignored).
        for (lo, hi) in [(0, n), (n + 1, n_act)] {
            let third = ThirdParty {
                wn,
                uni,
                unn,
                commit,
            };
            third.weigh(
                &row[lo..hi],
                &base_i[lo..hi],
                &base_j[lo..hi],
                &mut cij[lo..hi],
                &mut cji[lo..hi],
                vote,
            );
        }
    }
    for j in 0..n_act {
        let sj = model.sal_sum[j];
        let (uki, ukj) = (u(i, i), u(i, j));
        let eu_sq = uki + ukj;
        let eu_i_wins = 2.0 * uki;
        let eu_j_wins = 2.0 * ukj;
        let p = cij[j] / (cij[j] + cji[j]);
        let q = cji[j] / (cij[j] + cji[j]);
        let eu_contest = p * eu_i_wins + q * eu_j_wins;
        let eu_challenge = (1.0 - sj) * eu_i_wins + sj * eu_contest;
        pij[j] = p;
        gain[j] = eu_challenge - eu_sq;
    }
}

/// One third party n's view, fixed while the target varies.
struct ThirdParty {
    wn: f64,
    uni: f64,
    unn: f64,
    commit: ThirdPartyCommit,
}

impl ThirdParty {
    /// Adds n's vote to the coalitions of a run of targets whose utilities
    /// to n are `unj`. The commitment rule is resolved here, once, so the
    /// loop itself has no branches.
    #[inline(always)]
    fn weigh(
        &self,
        unj: &[f64],
        base_i: &[f64],
        base_j: &[f64],
        cij: &mut [f64],
        cji: &mut [f64],
        vote: impl Fn(f64, f64, f64) -> f64,
    ) {
        let (uni, unn) = (self.uni, self.unn);
        // Sums of the three positions' utilities (i, j, n) in each outcome:
        // (i and n win, i beats j and n) do not depend on j; (j beats i and
        // n, j and n win) do.
        match self.commit {
            ThirdPartyCommit::FullCommit => {
                let (ik, ibj) = (3.0 * uni, 3.0 * uni);
                self.run(unj, base_i, base_j, cij, cji, &vote, ik, ibj, |u| {
                    (3.0 * u, 3.0 * u)
                })
            }
            ThirdPartyCommit::SemiCommit => {
                let (ik, ibj) = (2.0 * uni + unn, 3.0 * uni);
                self.run(unj, base_i, base_j, cij, cji, &vote, ik, ibj, |u| {
                    (3.0 * u, 2.0 * u + unn)
                })
            }
            ThirdPartyCommit::NoCommit => {
                let (ik, ibj) = (2.0 * uni + unn, 2.0 * uni + unn);
                self.run(unj, base_i, base_j, cij, cji, &vote, ik, ibj, |u| {
                    (2.0 * u + unn, 2.0 * u + unn)
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn run(
        &self,
        unj: &[f64],
        base_i: &[f64],
        base_j: &[f64],
        cij: &mut [f64],
        cji: &mut [f64],
        vote: &impl Fn(f64, f64, f64) -> f64,
        ik_wins: f64,
        i_beats_jk: f64,
        j_terms: impl Fn(f64) -> (f64, f64),
    ) {
        let (wn, uni) = (self.wn, self.uni);
        let len = unj.len();
        let (base_i, base_j) = (&base_i[..len], &base_j[..len]);
        let (cij, cji) = (&mut cij[..len], &mut cji[..len]);
        for t in 0..len {
            let unj = unj[t];
            let v0 = vote(wn, uni, unj);
            let ci = base_i[t] + v0.max(0.0);
            let cj = base_j[t] + (-v0).max(0.0);
            let pin = ci / (ci + cj);
            let pjn = 1.0 - pin;
            let (j_beats_ik, jk_wins) = j_terms(unj);
            let join_i = pin * ik_wins + pjn * j_beats_ik;
            let join_j = pin * i_beats_jk + pjn * jk_wins;
            let vn = vote(wn, join_i, join_j);
            cij[t] += vn.max(0.0);
            cji[t] += (-vn).max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::SmpParams;
    use crate::scenario::{Actor, Scenario};
    use crate::smp::model::Model;

    fn scenario(n: usize, params: SmpParams) -> (Model, crate::smp::model::State) {
        let actors = (0..n)
            .map(|i| Actor {
                name: format!("A{i}"),
                description: String::new(),
                capability: 5.0 + ((i * 37) % 50) as f64,
                position: vec![((i * 61) % 101) as f64, ((i * 17) % 101) as f64],
                salience: vec![20.0 + ((i * 13) % 40) as f64, 10.0 + ((i * 7) % 30) as f64],
            })
            .collect();
        let s = Scenario {
            name: String::new(),
            description: String::new(),
            dimensions: vec!["x".into(), "y".into()],
            actors,
            params: params.clone(),
            seed: None,
            affinities: Vec::new(),
        };
        Model::new(&s, &params)
    }

    /// The batched search must give `prob_gain`'s numbers exactly, under
    /// every voting rule and third-party commitment.
    #[test]
    fn all_targets_equals_prob_gain_bit_for_bit() {
        use crate::params::{ThirdPartyCommit as T, VotingRule as V};
        for rule in [
            V::Prop,
            V::Binary,
            V::PropBin,
            V::PropCbc,
            V::Cubic,
            V::ASymProsp,
        ] {
            for commit in [T::FullCommit, T::SemiCommit, T::NoCommit] {
                let params = SmpParams {
                    voting_rule: rule,
                    third_party_commit: commit,
                    ..SmpParams::default()
                };
                let (model, state) = scenario(11, params);
                let a = Assessment::new(&model, &state);
                let mut own = Estimates::default();
                for i in 0..model.n {
                    own.fill(&a, i);
                    let mut scratch = Default::default();
                    all_targets(&model, &own, i, &mut scratch);
                    let [.., p, g] = &scratch;
                    for j in (0..model.n).filter(|&j| j != i) {
                        let (p1, g1) = prob_gain(&model, |x, y| a.u(i, x, y), i, i, j);
                        assert_eq!(p[j].to_bits(), p1.to_bits(), "{rule:?} {commit:?} {i} {j}");
                        assert_eq!(g[j].to_bits(), g1.to_bits(), "{rule:?} {commit:?} {i} {j}");
                    }
                }
            }
        }
    }
}
