//! The Bueno de Mesquita expected-utility model in the Scholz, Calbert &
//! Smith (2011) reading (bargaining brief §2.2), one issue at a time.
//!
//! Actor i (position x_i, capability c_i, salience s_i ∈ [0,1]) values a
//! challenge of j with
//! E^i U_ij = s_j [P_ij U_s + (1 − P_ij) U_f] + (1 − s_j) U_s − Q U_sq
//!            − (1 − Q)[T U_b + (1 − T) U_w],
//! with U_s = 2 − 4(½ − ½δ)^r, U_f = 2 − 4(½ + ½δ)^r, U_sq = 2 − 4(½)^r,
//! U_b/U_w = 2 − 4(½ ∓ ¼(|x_i − μ| + |x_i − x_j|)/Δ)^r, δ = |x_i − x_j|/Δ,
//! μ the median (Condorcet) position and Δ the initial range of positions.
//! Risk exponents r come from "security" S_k = Σ_{j≠k} E^j U_jk computed
//! with r = 1: R = (2S_k − S_max − S_min)/(S_max − S_min),
//! r = (1 − R/3)/(1 + R/3). Offers (E^j U_ji > 0) are classified from the
//! receiver's side as conflict, compromise or capitulation (§2.2 item 6).
//! The choices the open implementations disagree on are named options.

use crate::error::ParamError;

/// One actor on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmActor {
    /// Name, for the event log.
    pub name: String,
    /// Capability c (any positive unit).
    pub capability: f64,
    /// Position x (any scale; the range Δ is taken from the first round).
    pub position: f64,
    /// Salience s in [0, 1]; also the probability that the actor resists.
    pub salience: f64,
}

/// How P_ij, the probability that i beats j, is computed from the votes
/// v_k(i:j) = c_k s_k (|x_k − x_j| − |x_k − x_i|)/Δ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BdmProbability {
    /// max(0, Σ_k v_k)/Σ_k |v_k| (dmasad's replication; reproduces the
    /// published round-1 risk exponents of the EC example). Default.
    NetVotes,
    /// Σ_k [v_k]⁺ / Σ_k |v_k| (BDM 1994).
    PositiveVotes,
    /// Σ_k [v_k]⁺ over the sum of |v_k(a:b)| over all actor pairs (a, b):
    /// what jmckib reads in Scholz's code.
    AllPairs,
}

/// Which of several acceptable offers a receiver takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BdmOfferChoice {
    /// The offer requiring the smallest move (Scholz et al., BDM). Default.
    SmallestMove,
    /// The offer whose sender expects most, then the nearest (dmasad).
    MaxGainThenNearest,
}

/// How far a receiver that loses a conflict moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BdmConflictMove {
    /// All the way to the challenger (Scholz et al.). Default.
    Full,
    /// Half-way (minimalgeek's variant).
    Half,
}

/// BDM model options.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmParams {
    /// Probability formula.
    pub probability: BdmProbability,
    /// Offer choice.
    pub offer: BdmOfferChoice,
    /// Move after a lost conflict.
    pub conflict_move: BdmConflictMove,
    /// Q: probability the status quo persists without a challenge (1 in all
    /// open implementations).
    pub q: f64,
    /// T: probability that a change would favour the challenger.
    pub t: f64,
    /// Maximum number of rounds.
    pub rounds: usize,
    /// Stop when no position moves by more than this (position units).
    pub tolerance: f64,
}

impl Default for BdmParams {
    fn default() -> Self {
        BdmParams {
            probability: BdmProbability::NetVotes,
            offer: BdmOfferChoice::SmallestMove,
            conflict_move: BdmConflictMove::Full,
            q: 1.0,
            t: 1.0,
            rounds: 10,
            tolerance: 1e-6,
        }
    }
}

/// What a receiver did with the offer it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BdmOutcome {
    /// Both expect to gain; the receiver expects less and loses.
    Conflict,
    /// The receiver expects to lose less than the sender gains: it moves
    /// part-way, by |E^i U_ij / E^j U_ji|.
    Compromise,
    /// The receiver expects to lose more than the sender gains: it gives in.
    Capitulation,
}

/// One accepted offer in a round.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmEvent {
    /// The actor that moved.
    pub receiver: usize,
    /// The actor whose offer it accepted.
    pub sender: usize,
    /// Kind of move.
    pub outcome: BdmOutcome,
    /// Position before.
    pub from: f64,
    /// Position after.
    pub to: f64,
}

/// One round: values at its start and the moves it produced.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmRound {
    /// Positions at the start of the round.
    pub positions: Vec<f64>,
    /// Median (Condorcet) position at the start.
    pub median: f64,
    /// Weighted mean Σ c s x / Σ c s at the start.
    pub mean: f64,
    /// Risk exponents r used in the round.
    pub risk: Vec<f64>,
    /// Accepted offers.
    pub events: Vec<BdmEvent>,
}

/// A BDM run.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmRun {
    /// Rounds played.
    pub rounds: Vec<BdmRound>,
    /// Final positions.
    pub positions: Vec<f64>,
    /// Final median.
    pub median: f64,
    /// Final weighted mean.
    pub mean: f64,
}

impl BdmParams {
    /// Sets an option by name: `Probability` (NetVotes, PositiveVotes,
    /// AllPairs), `Offer` (SmallestMove, MaxGainThenNearest), `ConflictMove`
    /// (Full, Half), `Q`, `T` (in [0, 1]) and `Rounds` (1..=1000).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ParamError> {
        let (k, v) = (name.trim(), value.trim());
        let is = |x: &str| k.eq_ignore_ascii_case(x);
        let bad = |allowed: &str| ParamError::NotAChoice {
            name: k.to_string(),
            value: v.to_string(),
            allowed: allowed.to_string(),
        };
        let eq = |x: &str| v.eq_ignore_ascii_case(x);
        if is("Probability") {
            self.probability = if eq("NetVotes") {
                BdmProbability::NetVotes
            } else if eq("PositiveVotes") {
                BdmProbability::PositiveVotes
            } else if eq("AllPairs") {
                BdmProbability::AllPairs
            } else {
                return Err(bad("NetVotes, PositiveVotes, AllPairs"));
            };
        } else if is("Offer") {
            self.offer = if eq("SmallestMove") {
                BdmOfferChoice::SmallestMove
            } else if eq("MaxGainThenNearest") {
                BdmOfferChoice::MaxGainThenNearest
            } else {
                return Err(bad("SmallestMove, MaxGainThenNearest"));
            };
        } else if is("ConflictMove") {
            self.conflict_move = if eq("Full") {
                BdmConflictMove::Full
            } else if eq("Half") {
                BdmConflictMove::Half
            } else {
                return Err(bad("Full, Half"));
            };
        } else if is("Q") || is("T") {
            let x: f64 = v.parse().map_err(|_| ParamError::NotANumber {
                name: k.to_string(),
                expected: "a number",
                value: v.to_string(),
            })?;
            if !(0.0..=1.0).contains(&x) {
                return Err(ParamError::OutOfRange {
                    name: k.to_string(),
                    range: "lie in [0, 1]",
                    value: v.to_string(),
                });
            }
            if is("Q") {
                self.q = x;
            } else {
                self.t = x;
            }
        } else if is("Rounds") {
            let n: usize = v.parse().map_err(|_| ParamError::NotANumber {
                name: k.to_string(),
                expected: "a whole number",
                value: v.to_string(),
            })?;
            if !(1..=1000).contains(&n) {
                return Err(ParamError::OutOfRange {
                    name: k.to_string(),
                    range: "be 1 to 1000",
                    value: n.to_string(),
                });
            }
            self.rounds = n;
        } else {
            return Err(ParamError::UnknownName {
                what: "BDM option",
                plural: "options",
                name: k.to_string(),
                known: "Probability, Offer, ConflictMove, Q, T, Rounds".to_string(),
            });
        }
        Ok(())
    }
}

/// Σ c s x / Σ c s.
pub fn weighted_mean(actors: &[BdmActor], x: &[f64]) -> f64 {
    let w: f64 = actors.iter().map(|a| a.capability * a.salience).sum();
    let t: f64 = actors
        .iter()
        .zip(x)
        .map(|(a, xi)| a.capability * a.salience * xi)
        .sum();
    t / w
}

/// The Condorcet (median voter) position among the held positions: the one
/// whose summed votes against every other are ≥ 0; if none exists, the one
/// with the best worst-case margin. Ties go to the lowest actor index.
pub fn median_position(actors: &[BdmActor], x: &[f64]) -> f64 {
    let margin = |a: f64, b: f64| -> f64 {
        actors
            .iter()
            .zip(x)
            .map(|(k, xk)| k.capability * k.salience * ((xk - b).abs() - (xk - a).abs()))
            .sum()
    };
    let mut best = x[0];
    let mut best_worst = f64::NEG_INFINITY;
    for &a in x {
        let worst = x
            .iter()
            .filter(|&&b| b != a)
            .map(|&b| margin(a, b))
            .fold(f64::INFINITY, f64::min);
        if worst > best_worst + 1e-12 {
            best_worst = worst;
            best = a;
        }
    }
    best
}

/// The matrix P[i·n + j] that i beats j.
pub fn probabilities(actors: &[BdmActor], x: &[f64], range: f64, rule: BdmProbability) -> Vec<f64> {
    let n = actors.len();
    let vote = |k: usize, i: usize, j: usize| {
        actors[k].capability * actors[k].salience * ((x[k] - x[j]).abs() - (x[k] - x[i]).abs())
            / range
    };
    let all_pairs: f64 = if rule == BdmProbability::AllPairs {
        (0..n)
            .flat_map(|a| (0..n).map(move |b| (a, b)))
            .map(|(a, b)| (0..n).map(|k| vote(k, a, b).abs()).sum::<f64>())
            .sum()
    } else {
        0.0
    };
    let mut p = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i == j || x[i] == x[j] {
                continue;
            }
            let (mut pos, mut net, mut abs) = (0.0, 0.0, 0.0);
            for k in 0..n {
                let v = vote(k, i, j);
                pos += v.max(0.0);
                net += v;
                abs += v.abs();
            }
            p[i * n + j] = match rule {
                BdmProbability::NetVotes => net.max(0.0) / abs,
                BdmProbability::PositiveVotes => pos / abs,
                BdmProbability::AllPairs => pos / all_pairs,
            };
        }
    }
    p
}

/// E^i U_ij for all pairs, given risk exponents `r` and the median `mu`.
pub fn expected_utilities(
    actors: &[BdmActor],
    x: &[f64],
    r: &[f64],
    mu: f64,
    range: f64,
    params: &BdmParams,
) -> Vec<f64> {
    let n = actors.len();
    let p = probabilities(actors, x, range, params.probability);
    let mut eu = vec![0.0; n * n];
    for i in 0..n {
        let ri = r[i];
        let u = |z: f64| 2.0 - 4.0 * patronfall_math::powf(z.max(0.0), ri);
        for j in 0..n {
            if i == j || x[i] == x[j] {
                continue;
            }
            let delta = (x[i] - x[j]).abs() / range;
            let us = u(0.5 - 0.5 * delta);
            let uf = u(0.5 + 0.5 * delta);
            let usq = u(0.5);
            let spread = 0.25 * ((x[i] - mu).abs() + (x[i] - x[j]).abs()) / range;
            let ub = u(0.5 - spread);
            let uw = u(0.5 + spread);
            let sj = actors[j].salience;
            let pij = p[i * n + j];
            eu[i * n + j] = sj * (pij * us + (1.0 - pij) * uf) + (1.0 - sj) * us
                - params.q * usq
                - (1.0 - params.q) * (params.t * ub + (1.0 - params.t) * uw);
        }
    }
    eu
}

/// Risk exponents r ∈ [½, 2] from the risk-neutral expected utilities.
pub fn risk_exponents(
    actors: &[BdmActor],
    x: &[f64],
    mu: f64,
    range: f64,
    params: &BdmParams,
) -> Vec<f64> {
    let n = actors.len();
    let eu = expected_utilities(actors, x, &vec![1.0; n], mu, range, params);
    let security: Vec<f64> = (0..n)
        .map(|k| (0..n).filter(|&j| j != k).map(|j| eu[j * n + k]).sum())
        .collect();
    let smax = security.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let smin = security.iter().copied().fold(f64::INFINITY, f64::min);
    if smax - smin <= 1e-15 {
        return vec![1.0; n];
    }
    security
        .iter()
        .map(|&s| {
            let big_r = (2.0 * s - smax - smin) / (smax - smin);
            (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
        })
        .collect()
}

/// Plays rounds until no one moves or `params.rounds` is reached.
pub fn run(actors: &[BdmActor], params: &BdmParams) -> BdmRun {
    let n = actors.len();
    let mut x: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let range = if hi > lo { hi - lo } else { 1.0 };
    let mut rounds = Vec::new();
    for _ in 0..params.rounds {
        let mu = median_position(actors, &x);
        let mean = weighted_mean(actors, &x);
        let r = risk_exponents(actors, &x, mu, range, params);
        let eu = expected_utilities(actors, &x, &r, mu, range, params);
        let mut next = x.clone();
        let mut events = Vec::new();
        for i in 0..n {
            // Offers to i: senders j with E^j U_ji > 0, and where i would move.
            let mut offers: Vec<(usize, BdmOutcome, f64, f64)> = Vec::new();
            for j in 0..n {
                let uj = eu[j * n + i];
                if j == i || uj <= 0.0 {
                    continue;
                }
                let ui = eu[i * n + j];
                let (kind, to) = if ui > 0.0 && ui < uj {
                    let to = match params.conflict_move {
                        BdmConflictMove::Full => x[j],
                        BdmConflictMove::Half => x[i] + 0.5 * (x[j] - x[i]),
                    };
                    (BdmOutcome::Conflict, to)
                } else if ui < 0.0 && ui.abs() < uj {
                    (
                        BdmOutcome::Compromise,
                        x[i] + (x[j] - x[i]) * (ui / uj).abs(),
                    )
                } else if ui < 0.0 {
                    (BdmOutcome::Capitulation, x[j])
                } else {
                    continue;
                };
                offers.push((j, kind, to, uj));
            }
            let chosen = match params.offer {
                BdmOfferChoice::SmallestMove => offers.iter().min_by(|a, b| {
                    (a.2 - x[i])
                        .abs()
                        .total_cmp(&(b.2 - x[i]).abs())
                        .then(a.0.cmp(&b.0))
                }),
                BdmOfferChoice::MaxGainThenNearest => {
                    let top = offers.iter().map(|o| o.3).fold(f64::NEG_INFINITY, f64::max);
                    offers
                        .iter()
                        .filter(|o| o.3 == top)
                        .min_by(|a, b| (x[i] - x[a.0]).abs().total_cmp(&(x[i] - x[b.0]).abs()))
                }
            };
            if let Some(&(j, kind, to, _)) = chosen {
                next[i] = to;
                events.push(BdmEvent {
                    receiver: i,
                    sender: j,
                    outcome: kind,
                    from: x[i],
                    to,
                });
            }
        }
        let moved = x
            .iter()
            .zip(&next)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        rounds.push(BdmRound {
            positions: x.clone(),
            median: mu,
            mean,
            risk: r,
            events,
        });
        x = next;
        if moved <= params.tolerance {
            break;
        }
    }
    BdmRun {
        median: median_position(actors, &x),
        mean: weighted_mean(actors, &x),
        positions: x,
        rounds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The EC car-emission example of BDM & Stokman (1994) (bargaining brief §2.4).
    fn ec() -> Vec<BdmActor> {
        [
            ("Netherlands", 0.08, 4.0, 80.0),
            ("Belgium", 0.08, 7.0, 40.0),
            ("Luxembourg", 0.03, 4.0, 20.0),
            ("Germany", 0.16, 4.0, 80.0),
            ("France", 0.16, 10.0, 60.0),
            ("Italy", 0.16, 10.0, 60.0),
            ("UK", 0.16, 10.0, 90.0),
            ("Ireland", 0.05, 7.0, 10.0),
            ("Denmark", 0.05, 4.0, 100.0),
            ("Greece", 0.08, 7.0, 70.0),
        ]
        .iter()
        .map(|&(n, c, x, s)| BdmActor {
            name: n.into(),
            capability: c,
            position: x,
            salience: s / 100.0,
        })
        .collect()
    }

    #[test]
    fn published_starting_figures() {
        let a = ec();
        let x: Vec<f64> = a.iter().map(|a| a.position).collect();
        assert_eq!(median_position(&a, &x), 7.0);
        assert!((weighted_mean(&a, &x) - 7.38996).abs() < 1e-5);
        let r = risk_exponents(&a, &x, 7.0, 6.0, &BdmParams::default());
        let published = [
            1.127, 0.781, 0.500, 1.127, 1.078, 1.078, 2.000, 0.525, 1.472, 1.140,
        ];
        for (got, want) in r.iter().zip(published) {
            assert!((got - want).abs() < 0.0005, "{r:?}");
        }
    }

    #[test]
    fn probability_variants_differ_but_stay_in_unit_interval() {
        let a = ec();
        let x: Vec<f64> = a.iter().map(|a| a.position).collect();
        for rule in [
            BdmProbability::NetVotes,
            BdmProbability::PositiveVotes,
            BdmProbability::AllPairs,
        ] {
            let p = probabilities(&a, &x, 6.0, rule);
            assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
        }
        let net = probabilities(&a, &x, 6.0, BdmProbability::NetVotes);
        let pos = probabilities(&a, &x, 6.0, BdmProbability::PositiveVotes);
        // France (10) against Luxembourg (4): the positive-only share is larger.
        assert!(pos[4 * 10 + 2] >= net[4 * 10 + 2]);
    }

    #[test]
    fn dmasad_first_round_events() {
        // dmasad's notebook: "Luxembourg loses confrontation to France" and
        // "Ireland compromises with France" in round 1.
        let params = BdmParams {
            offer: BdmOfferChoice::MaxGainThenNearest,
            rounds: 1,
            ..BdmParams::default()
        };
        let r = run(&ec(), &params);
        let ev = &r.rounds[0].events;
        let lux = ev
            .iter()
            .find(|e| e.receiver == 2)
            .expect("Luxembourg moves");
        assert_eq!((lux.sender, lux.outcome), (4, BdmOutcome::Conflict));
        let ire = ev.iter().find(|e| e.receiver == 7).expect("Ireland moves");
        assert_eq!((ire.sender, ire.outcome), (4, BdmOutcome::Compromise));
        // dmasad reports a mean of 7.4445 after round 1; we get about 7.54.
        // Its code weighs the resistance term on the 0..100 salience scale but
        // subtracts an unscaled U_sq, which changes offer values once r ≠ 1;
        // we keep the paper's scale (see docs/bargaining.md).
        assert!(
            r.mean > 7.38996 && r.mean < 7.6,
            "mean after round 1: {}",
            r.mean
        );
    }

    #[test]
    fn run_stays_in_range() {
        let r = run(&ec(), &BdmParams::default());
        assert!(r.positions.iter().all(|x| (4.0..=10.0).contains(x)));
        assert!((4.0..=10.0).contains(&r.mean));
    }
}
