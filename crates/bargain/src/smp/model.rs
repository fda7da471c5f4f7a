//! The fixed part of an SMP run: actors' capabilities and saliences on the
//! internal 0..1 scale, the accommodation matrix and the parameters; and the
//! changing part, a state of positions and ideals (bargaining brief §1.3,
//! "Inputs and internal scaling" and "State").

use crate::params::SmpParams;
use crate::scenario::Scenario;

/// KTAB's position tolerance: positions closer than this (Euclidean, on the
/// 0..1 scale, i.e. 0.1 on 0..100) are the same option.
pub const POSITION_TOLERANCE: f64 = 1e-3;

/// The unchanging inputs of a run.
#[derive(Debug, Clone)]
pub struct Model {
    /// Number of actors.
    pub n: usize,
    /// Number of dimensions.
    pub d: usize,
    /// Capabilities c_i.
    pub caps: Vec<f64>,
    /// Saliences s_ik / 100, row-major n×d.
    pub sal: Vec<f64>,
    /// Σ_k s_ik / 100 per actor.
    pub sal_sum: Vec<f64>,
    /// Accommodation matrix A (n×n), `None` when it is the identity.
    pub acc: Option<Vec<f64>>,
    /// Model parameters.
    pub params: SmpParams,
}

/// Positions θ and ideals q on the 0..1 scale, row-major n×d.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Current positions.
    pub pos: Vec<f64>,
    /// Current ideals.
    pub ideal: Vec<f64>,
}

impl Model {
    /// The model and initial state of a (validated) scenario, with `params`.
    pub fn new(scenario: &Scenario, params: &SmpParams) -> (Model, State) {
        let n = scenario.num_actors();
        let d = scenario.num_dims();
        let mut sal = Vec::with_capacity(n * d);
        let mut pos = Vec::with_capacity(n * d);
        for a in &scenario.actors {
            sal.extend(a.salience.iter().map(|s| s / 100.0));
            pos.extend(a.position.iter().map(|p| p / 100.0));
        }
        let sal_sum = (0..n)
            .map(|i| sal[i * d..(i + 1) * d].iter().sum())
            .collect();
        let acc = scenario.accommodation();
        let identity =
            (0..n).all(|i| (0..n).all(|j| acc[i * n + j] == if i == j { 1.0 } else { 0.0 }));
        let model = Model {
            n,
            d,
            caps: scenario.actors.iter().map(|a| a.capability).collect(),
            sal,
            sal_sum,
            acc: if identity { None } else { Some(acc) },
            params: params.clone(),
        };
        let state = State {
            ideal: pos.clone(),
            pos,
        };
        (model, state)
    }

    /// Actor i's saliences.
    pub fn sal_of(&self, i: usize) -> &[f64] {
        &self.sal[i * self.d..(i + 1) * self.d]
    }
}

impl State {
    /// Actor i's position.
    pub fn pos_of(&self, i: usize, d: usize) -> &[f64] {
        &self.pos[i * d..(i + 1) * d]
    }

    /// Actor i's ideal.
    pub fn ideal_of(&self, i: usize, d: usize) -> &[f64] {
        &self.ideal[i * d..(i + 1) * d]
    }
}

/// Euclidean distance between two points (unweighted).
pub fn euclid(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Σ_i ‖θ_i − θ'_i‖: total movement between two states (KTAB's `stateDist`).
pub fn state_distance(a: &State, b: &State, d: usize) -> f64 {
    a.pos
        .chunks(d)
        .zip(b.pos.chunks(d))
        .map(|(x, y)| euclid(x, y))
        .sum()
}

/// Indices of the distinct positions (first occurrence of each, within the
/// position tolerance), in actor order (KTAB's `ueIndices`).
pub fn unique_positions(state: &State, n: usize, d: usize) -> Vec<usize> {
    let mut uniq: Vec<usize> = Vec::new();
    for i in 0..n {
        let pi = state.pos_of(i, d);
        if !uniq
            .iter()
            .any(|&u| euclid(pi, state.pos_of(u, d)) < POSITION_TOLERANCE)
        {
            uniq.push(i);
        }
    }
    uniq
}
