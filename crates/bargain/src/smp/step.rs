//! Steps 9–12 of the SMP (bargaining brief §1.3, KTAB's `doBCN`): one turn.
//! Every actor picks its best target and proposes bargains (`BargnModel`);
//! every actor then scores its own candidate list (status quo first, then
//! bargains in initiator order) by the average utility of the resulting
//! state, runs a PCE over them and takes the winner (`StateTransitions`);
//! finally ideals move through the accommodation matrix.

use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

use crate::params::{BargnModel, StateTransitions};
use crate::smp::assess::Assessment;
use crate::smp::challenge::{Estimates, best_challenge, prob_gain};
use crate::smp::interp::interpolate;
use crate::smp::model::{Model, State};
use crate::smp::pce::scalar_pce;
use crate::smp::utility::{utility, weighted_distance};

/// Whose estimate of the victory probability produced a bargain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perspective {
    /// The initiator's estimate (KTAB's brgnIIJ).
    Initiator,
    /// The receiver's estimate (KTAB's brgnJIJ).
    Receiver,
    /// The capability×salience-weighted average of both (KTAB's brgnIJ).
    Compromise,
}

/// A proposed bargain between an initiator and its target (0..1 scale).
#[derive(Debug, Clone, PartialEq)]
pub struct Bargain {
    /// The challenger.
    pub initiator: usize,
    /// The target.
    pub receiver: usize,
    /// Whose estimate built it.
    pub perspective: Perspective,
    /// Position proposed to the initiator.
    pub init_pos: Vec<f64>,
    /// Position proposed to the receiver.
    pub rcvr_pos: Vec<f64>,
}

/// An actor's challenge this turn, as both sides estimate it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Challenge {
    /// The target.
    pub target: usize,
    /// The challenger's estimate that it wins.
    pub win_probability: f64,
    /// The challenger's estimate of its own expected gain (utility).
    pub gain: f64,
    /// The target's estimate that the challenger wins.
    pub target_win_probability: f64,
    /// The target's estimate of its own expected change (utility, ≤ 0 usually).
    pub target_gain: f64,
}

/// Which candidate an actor took and how strongly it was favoured.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Index into the turn's bargains, `None` for the status quo.
    pub bargain: Option<usize>,
    /// Number of candidates (status quo included).
    pub candidates: usize,
    /// PCE probability of the chosen candidate.
    pub probability: f64,
    /// PCE probability of the status quo.
    pub status_quo_probability: f64,
}

/// The outcome of one turn.
#[derive(Debug, Clone)]
pub struct Step {
    /// The next state.
    pub state: State,
    /// Per actor: its challenge, if it made one.
    pub challenges: Vec<Option<Challenge>>,
    /// Every bargain proposed this turn.
    pub bargains: Vec<Bargain>,
    /// Per actor: what it chose.
    pub choices: Vec<Choice>,
}

/// A uniform draw in [0, 1) from 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Runs one turn from `state` (already assessed as `a`).
pub fn step(model: &Model, state: &State, a: &Assessment, rng: &mut ChaCha8Rng) -> Step {
    let n = model.n;
    let d = model.d;
    let p = &model.params;
    let mut bargains: Vec<Bargain> = Vec::new();
    let mut challenges = vec![None; n];
    let mut estimates = Estimates::default();

    for (i, slot) in challenges.iter_mut().enumerate() {
        let Some((j, pij, gain)) = best_challenge(model, a, i, &mut estimates) else {
            continue;
        };
        let (pj_est, gain_j) = prob_gain(model, |x, y| a.u(j, x, y), j, i, j);
        *slot = Some(Challenge {
            target: j,
            win_probability: pij,
            gain,
            target_win_probability: pj_est,
            target_gain: gain_j,
        });
        let (pos_i, pos_j) = (state.pos_of(i, d), state.pos_of(j, d));
        let (sal_i, sal_j) = (model.sal_of(i), model.sal_of(j));
        let make = |prob: f64| {
            interpolate(
                p.inter_vec_brgn,
                pos_i,
                sal_i,
                prob,
                pos_j,
                sal_j,
                1.0 - prob,
            )
        };
        let from_i = make(pij);
        let mut push = |perspective, (init_pos, rcvr_pos): (Vec<f64>, Vec<f64>)| {
            bargains.push(Bargain {
                initiator: i,
                receiver: j,
                perspective,
                init_pos,
                rcvr_pos,
            })
        };
        match p.bargn_model {
            BargnModel::InitOnlyInterp => push(Perspective::Initiator, from_i),
            BargnModel::InitRcvrInterp => {
                push(Perspective::Initiator, from_i);
                push(Perspective::Receiver, make(pj_est));
            }
            BargnModel::PWCompInterp => {
                let from_j = make(pj_est);
                let wi = model.caps[i] * model.sal_sum[i];
                let wj = model.caps[j] * model.sal_sum[j];
                let mix = |x: &[f64], y: &[f64]| -> Vec<f64> {
                    x.iter()
                        .zip(y)
                        .map(|(a, b)| (wi * a + wj * b) / (wi + wj))
                        .collect()
                };
                let comp = (mix(&from_i.0, &from_j.0), mix(&from_i.1, &from_j.1));
                push(Perspective::Compromise, comp);
            }
        }
    }

    // Each actor's candidates: status quo, then the bargains it is party to
    // in initiator order. Bargains are proposed initiator by initiator, so
    // that is their order in `bargains`.
    debug_assert!(
        bargains
            .windows(2)
            .all(|w| w[0].initiator <= w[1].initiator)
    );
    let pos_util = |who: usize, point: &[f64]| {
        let dd = weighted_distance(state.pos_of(who, d), point, model.sal_of(who));
        utility(dd, a.risk[who])
    };
    // Average utility to `who` of the state after bargain `b` (or status
    // quo). A bargain is a candidate of both its initiator and its receiver,
    // so each (who, candidate) value is computed once per turn, here.
    let own: Vec<f64> = (0..n * n).map(|x| a.own(x / n, x % n)).collect();
    let nbargains = bargains.len();
    let mut after = vec![0.0; n * (nbargains + 1)];
    for who in 0..n {
        let row = &own[who * n..(who + 1) * n];
        after[who * (nbargains + 1)] = row.iter().sum::<f64>() / n as f64;
        for (b, bg) in bargains.iter().enumerate() {
            let mut s = pos_util(who, &bg.init_pos) + pos_util(who, &bg.rcvr_pos);
            debug_assert_ne!(bg.initiator, bg.receiver);
            // Everyone else's utility, in actor order as before, without a
            // test per actor: the two parties split the row into three runs.
            let (lo, hi) = if bg.initiator < bg.receiver {
                (bg.initiator, bg.receiver)
            } else {
                (bg.receiver, bg.initiator)
            };
            for part in [&row[..lo], &row[lo + 1..hi], &row[hi + 1..]] {
                for &u in part {
                    s += u;
                }
            }
            after[who * (nbargains + 1) + b + 1] = s / n as f64;
        }
    }
    let state_util = |who: usize, b: Option<usize>| -> f64 {
        after[who * (nbargains + 1) + b.map_or(0, |b| b + 1)]
    };

    let mut new_pos = state.pos.clone();
    let mut choices = Vec::with_capacity(n);
    let mut options: Vec<Option<usize>> = Vec::new();
    let mut table: Vec<f64> = Vec::new();
    for k in 0..n {
        options.clear();
        options.push(None);
        options.extend(
            (0..bargains.len())
                .filter(|&b| bargains[b].initiator == k || bargains[b].receiver == k)
                .map(Some),
        );
        table.clear();
        table.resize(n * options.len(), 0.0);
        for who in 0..n {
            for (m, &opt) in options.iter().enumerate() {
                table[who * options.len() + m] = state_util(who, opt);
            }
        }
        let nb = options.len();
        let probs = scalar_pce(
            &model.caps,
            nb,
            |who, m| table[who * nb + m],
            p.voting_rule,
            p.victory_prob_model,
            p.pce_model,
        );
        let pick = match p.state_transitions {
            StateTransitions::Deterministic => {
                let mut best = 0;
                for m in 1..nb {
                    if probs[m] > probs[best] {
                        best = m;
                    }
                }
                best
            }
            StateTransitions::Stochastic => {
                let u = uniform(rng);
                let mut sum = 0.0;
                let mut chosen = nb - 1;
                for (m, pm) in probs.iter().enumerate() {
                    sum += pm;
                    if u <= sum {
                        chosen = m;
                        break;
                    }
                }
                chosen
            }
        };
        if let Some(b) = options[pick] {
            let bg = &bargains[b];
            let target = if bg.initiator == k {
                &bg.init_pos
            } else {
                &bg.rcvr_pos
            };
            new_pos[k * d..(k + 1) * d].copy_from_slice(target);
        }
        choices.push(Choice {
            bargain: options[pick],
            candidates: nb,
            probability: probs[pick],
            status_quo_probability: probs[0],
        });
    }

    let ideal = match &model.acc {
        None => new_pos.clone(),
        Some(acc) => adjust_ideals(acc, &new_pos, &state.ideal, n, d),
    };
    Step {
        state: State {
            pos: new_pos,
            ideal,
        },
        challenges,
        bargains,
        choices,
    }
}

/// Step 12: q_i' = Σ_j A_ij θ_j' + (1 − Σ_j A_ij) q_i (row sums clipped to 1).
pub fn adjust_ideals(acc: &[f64], pos: &[f64], ideal: &[f64], n: usize, d: usize) -> Vec<f64> {
    let mut out = vec![0.0; n * d];
    for i in 0..n {
        let row = &acc[i * n..(i + 1) * n];
        let lag = 1.0 - row.iter().sum::<f64>().min(1.0);
        for k in 0..d {
            let mut x = lag * ideal[i * d + k];
            for j in 0..n {
                x += row[j] * pos[j * d + k];
            }
            out[i * d + k] = x;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideals_follow_the_accommodation_matrix() {
        // Actor 0 keeps 40 % of its old ideal, moves 50 % to its own position
        // and 10 % to actor 1's.
        let acc = [0.5, 0.1, 0.0, 1.0];
        let pos = [0.2, 0.8];
        let ideal = [0.0, 0.8];
        let q = adjust_ideals(&acc, &pos, &ideal, 2, 1);
        assert!((q[0] - (0.5 * 0.2 + 0.1 * 0.8)).abs() < 1e-15);
        assert!((q[1] - 0.8).abs() < 1e-15);
    }
}
