//! Step 7 of the SMP (bargaining brief §1.3, KTAB's `setAllAUtil`): from a
//! state, the distances from each ideal to each position, the risk-neutral
//! PCE over all positions (votes weighted by capability), the risk attitudes
//! it implies, and each actor's estimate of everyone's risk attitude. Also
//! the reported "winning probability" of each actor's position (KTAB's
//! `pDist(-1)`): a PCE over distinct positions, each actor using its own
//! utilities, votes by the model's `VotingRule`, weights = capabilities.
//! (KTAB's later source hard-codes proportional votes here; its 2017
//! reference logs, which we reproduce, used the model's rule.)

use crate::smp::model::{Model, POSITION_TOLERANCE, State, euclid, unique_positions};
use crate::smp::pce::{pce_from_coalitions, rule_coalitions, scalar_pce};
use crate::smp::utility::{estimated_risk, risk_from_probabilities, utility, weighted_distance};

/// Everything a turn needs to know about one state.
#[derive(Debug, Clone)]
pub struct Assessment {
    n: usize,
    /// dist[i·n + j]: distance from i's ideal to j's position (i's saliences).
    pub dist: Vec<f64>,
    /// Objective risk attitudes R_i.
    pub risk: Vec<f64>,
    /// est[h·n + i]: h's estimate of i's risk attitude.
    pub est: Vec<f64>,
}

impl Assessment {
    /// Assesses `state` under `model`'s parameters.
    pub fn new(model: &Model, state: &State) -> Assessment {
        let n = model.n;
        let d = model.d;
        let p = &model.params;
        let mut dist = vec![0.0; n * n];
        for i in 0..n {
            let qi = state.ideal_of(i, d);
            let si = model.sal_of(i);
            for j in 0..n {
                dist[i * n + j] = weighted_distance(qi, state.pos_of(j, d), si);
            }
        }
        let neutral: Vec<f64> = dist.iter().map(|&d| utility(d, 0.0)).collect();
        let neutral = |k: usize, a: usize| neutral[k * n + a];
        let c = rule_coalitions(p.voting_rule, &model.caps, n, neutral);
        let probs = pce_from_coalitions(p.pce_model, p.victory_prob_model, &c, n);
        let risk = risk_from_probabilities(&probs, p.big_r_range);
        let mut est = vec![0.0; n * n];
        for h in 0..n {
            for i in 0..n {
                est[h * n + i] = estimated_risk(risk[h], risk[i], p.big_r_adjust);
            }
        }
        Assessment { n, dist, risk, est }
    }

    /// Number of actors.
    pub fn actors(&self) -> usize {
        self.n
    }

    /// h's estimate of the utility to actor i of actor j's position.
    #[inline]
    pub fn u(&self, h: usize, i: usize, j: usize) -> f64 {
        utility(self.dist[i * self.n + j], self.est[h * self.n + i])
    }

    /// Actor i's own utility for actor j's position.
    #[inline]
    pub fn own(&self, i: usize, j: usize) -> f64 {
        self.u(i, i, j)
    }
}

/// The reported probability of each distinct position and, per actor, the
/// probability of the position it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PositionProbabilities {
    /// Index of one actor holding each distinct position.
    pub unique: Vec<usize>,
    /// Probability of each distinct position (sums to 1).
    pub unique_prob: Vec<f64>,
    /// Per actor: the probability of its position (can sum above 1).
    pub actor_prob: Vec<f64>,
}

/// KTAB's reported position probabilities for a state.
pub fn position_probabilities(
    model: &Model,
    state: &State,
    a: &Assessment,
) -> PositionProbabilities {
    let n = model.n;
    let d = model.d;
    let unique = unique_positions(state, n, d);
    let unique_prob = scalar_pce(
        &model.caps,
        unique.len(),
        |k, m| a.own(k, unique[m]),
        model.params.voting_rule,
        model.params.victory_prob_model,
        model.params.pce_model,
    );
    // As KTAB's posProb: the last distinct position within tolerance.
    let actor_prob = (0..n)
        .map(|i| {
            let pi = state.pos_of(i, d);
            let m = unique
                .iter()
                .rposition(|&u| euclid(pi, state.pos_of(u, d)) < POSITION_TOLERANCE)
                .unwrap_or(0);
            unique_prob[m]
        })
        .collect();
    PositionProbabilities {
        unique,
        unique_prob,
        actor_prob,
    }
}
