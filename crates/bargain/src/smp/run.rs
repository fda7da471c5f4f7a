//! Step 13 of the SMP (bargaining brief §1.3, KTAB's `smpStopFn` and
//! `configExec`) and the run loop: turns repeat until t ≥ MaxIter, or until
//! t ≥ MinIter and the last turn's total movement is below MinDeltaRatio of
//! the first turn's (+1e-4). A run records positions per state and, when
//! asked, the reported position probabilities and why every actor moved.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use crate::params::SmpParams;
use crate::scenario::Scenario;
use crate::smp::assess::{Assessment, position_probabilities};
use crate::smp::model::{Model, State, state_distance};
use crate::smp::step::{Bargain, Challenge, Choice, Perspective, step};

/// Guards the first turn's movement against 0/0 (KTAB's minSigDelta).
const MIN_SIG_DELTA: f64 = 1e-4;

/// What to record besides positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunOptions {
    /// Record the reported probability of every position in every state
    /// (the final state's are always computed, for the outcome).
    pub probabilities: bool,
    /// Record challenges, bargains and choices: why each actor moved.
    pub explanations: bool,
}

impl RunOptions {
    /// Record everything.
    pub fn full() -> Self {
        RunOptions {
            probabilities: true,
            explanations: true,
        }
    }
}

/// One state of the history (positions on 0..100).
#[derive(Debug, Clone, PartialEq)]
pub struct StateRecord {
    /// Per actor, per dimension.
    pub positions: Vec<Vec<f64>>,
    /// Per actor: probability of the position it holds (if recorded).
    pub probabilities: Option<Vec<f64>>,
    /// Per actor: inferred risk attitude R in this state (if recorded).
    pub risk: Option<Vec<f64>>,
}

/// A bargain as reported (positions on 0..100).
#[derive(Debug, Clone, PartialEq)]
pub struct BargainRecord {
    /// The challenger.
    pub initiator: usize,
    /// The target.
    pub receiver: usize,
    /// Whose estimate built it.
    pub perspective: Perspective,
    /// Position proposed to the initiator.
    pub initiator_position: Vec<f64>,
    /// Position proposed to the receiver.
    pub receiver_position: Vec<f64>,
}

/// Why one actor ended a turn where it did.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRecord {
    /// The bargain it adopted (index into the step's bargains), `None` if
    /// it kept the status quo.
    pub bargain: Option<usize>,
    /// Number of candidates it chose among (status quo included).
    pub candidates: usize,
    /// PCE probability of the chosen candidate.
    pub probability: f64,
    /// PCE probability of the status quo.
    pub status_quo_probability: f64,
    /// Distance moved (0..100 scale, Euclidean).
    pub distance: f64,
}

/// One turn: from state t−1 to state t.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Turn number, from 1.
    pub turn: usize,
    /// KTAB's "Fractional change compared to first step".
    pub fractional_change: f64,
    /// Per actor: its challenge (when explanations are recorded).
    pub challenges: Vec<Option<Challenge>>,
    /// Every bargain proposed (when explanations are recorded).
    pub bargains: Vec<BargainRecord>,
    /// Per actor: what it did (when explanations are recorded).
    pub moves: Vec<MoveRecord>,
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Movement fell below MinDeltaRatio of the first turn's.
    Converged,
    /// MaxIter turns were run.
    MaxIter,
}

/// The predicted outcome: the final state's distinct positions and their
/// probabilities, their expectation and the most probable one (0..100).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Distinct final positions.
    pub positions: Vec<Vec<f64>>,
    /// Their probabilities (sum to 1).
    pub probabilities: Vec<f64>,
    /// Probability-weighted mean of the distinct positions.
    pub expected: Vec<f64>,
    /// The most probable distinct position.
    pub most_likely: Vec<f64>,
    /// Index of an actor holding the most probable position.
    pub most_likely_actor: usize,
}

/// A complete SMP run.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpRun {
    /// Parameters used.
    pub params: SmpParams,
    /// Seed used (for stochastic transitions).
    pub seed: u64,
    /// States 0..=T.
    pub states: Vec<StateRecord>,
    /// Turns 1..=T.
    pub steps: Vec<StepRecord>,
    /// Why it stopped.
    pub stop: StopReason,
    /// The predicted outcome.
    pub outcome: Outcome,
}

fn to_100(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| x * 100.0).collect()
}

fn positions_100(state: &State, n: usize, d: usize) -> Vec<Vec<f64>> {
    (0..n).map(|i| to_100(state.pos_of(i, d))).collect()
}

fn explain(
    step: &crate::smp::step::Step,
    before: &State,
    d: usize,
) -> (Vec<BargainRecord>, Vec<MoveRecord>) {
    let bargains = step
        .bargains
        .iter()
        .map(|b: &Bargain| BargainRecord {
            initiator: b.initiator,
            receiver: b.receiver,
            perspective: b.perspective,
            initiator_position: to_100(&b.init_pos),
            receiver_position: to_100(&b.rcvr_pos),
        })
        .collect();
    let moves = step
        .choices
        .iter()
        .enumerate()
        .map(|(k, c): (usize, &Choice)| MoveRecord {
            bargain: c.bargain,
            candidates: c.candidates,
            probability: c.probability,
            status_quo_probability: c.status_quo_probability,
            distance: 100.0
                * crate::smp::model::euclid(before.pos_of(k, d), step.state.pos_of(k, d)),
        })
        .collect();
    (bargains, moves)
}

/// Runs the SMP on a validated `scenario` with `params` and `seed`.
/// The seed matters only for `StateTransitions = Stochastic`.
pub fn run(scenario: &Scenario, params: &SmpParams, seed: u64, options: RunOptions) -> SmpRun {
    let (model, mut state) = Model::new(scenario, params);
    let (n, d) = (model.n, model.d);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut assessment = Assessment::new(&model, &state);
    let record = |s: &State, a: &Assessment| StateRecord {
        positions: positions_100(s, n, d),
        probabilities: options
            .probabilities
            .then(|| position_probabilities(&model, s, a).actor_prob),
        risk: options.probabilities.then(|| a.risk.clone()),
    };
    let mut states = vec![record(&state, &assessment)];
    let mut steps = Vec::new();
    let mut first_move = 0.0;
    let max_iter = params.max_iter.max(1);
    let stop = loop {
        let t = steps.len() + 1;
        let st = step(&model, &state, &assessment, &mut rng);
        let moved = state_distance(&state, &st.state, d);
        if t == 1 {
            first_move = moved + MIN_SIG_DELTA;
        }
        let ratio = moved / first_move;
        let (bargains, moves) = if options.explanations {
            explain(&st, &state, d)
        } else {
            (Vec::new(), Vec::new())
        };
        steps.push(StepRecord {
            turn: t,
            fractional_change: ratio,
            challenges: if options.explanations {
                st.challenges.clone()
            } else {
                Vec::new()
            },
            bargains,
            moves,
        });
        state = st.state;
        assessment = Assessment::new(&model, &state);
        states.push(record(&state, &assessment));
        if t >= max_iter {
            break StopReason::MaxIter;
        }
        if t >= params.min_iter && ratio < params.min_delta_ratio {
            break StopReason::Converged;
        }
    };
    let outcome = outcome(&model, &state, &assessment);
    SmpRun {
        params: params.clone(),
        seed,
        states,
        steps,
        stop,
        outcome,
    }
}

fn outcome(model: &Model, state: &State, a: &Assessment) -> Outcome {
    let d = model.d;
    let pp = position_probabilities(model, state, a);
    let positions: Vec<Vec<f64>> = pp
        .unique
        .iter()
        .map(|&u| to_100(state.pos_of(u, d)))
        .collect();
    let mut expected = vec![0.0; d];
    for (pos, pr) in positions.iter().zip(&pp.unique_prob) {
        for k in 0..d {
            expected[k] += pr * pos[k];
        }
    }
    let mut best = 0;
    for m in 1..pp.unique_prob.len() {
        if pp.unique_prob[m] > pp.unique_prob[best] {
            best = m;
        }
    }
    Outcome {
        most_likely: positions[best].clone(),
        most_likely_actor: pp.unique[best],
        positions,
        probabilities: pp.unique_prob,
        expected,
    }
}
