//! The cheap entry point for the simulation: one issue (one dimension),
//! a dozen or so stakeholders whose capabilities change between calls.
//! `predict` validates, runs the SMP without explanations and returns the
//! predicted position on the 0..100 scale and the per-turn positions.

use crate::error::Unusable;
use crate::params::SmpParams;
use crate::scenario::{Actor, Scenario, check_actor};
use crate::smp::run::{RunOptions, run};

/// A stakeholder on one issue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stakeholder {
    /// Capability (any positive unit: fighters, seats, a power index).
    pub capability: f64,
    /// Position on the issue, 0..100.
    pub position: f64,
    /// Salience of the issue to it, 0..100 (0 excluded).
    pub salience: f64,
}

/// The SMP's prediction for one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Probability-weighted mean of the final distinct positions (0..100).
    pub position: f64,
    /// The most probable final position (0..100).
    pub most_likely: f64,
    /// Number of turns run.
    pub turns: usize,
    /// Positions per state: `history[t][i]` is stakeholder i's position after turn t.
    pub history: Vec<Vec<f64>>,
}

/// Predicts the negotiated position of `stakeholders` on one issue.
/// Errors name the stakeholder (0-based index) whose numbers are unusable:
/// fewer than 3 stakeholders, a capability ≤ 0, a position or salience
/// outside 0..100, or a salience of 0.
pub fn predict(
    stakeholders: &[Stakeholder],
    params: &SmpParams,
    seed: u64,
) -> Result<Prediction, Unusable> {
    let actors: Vec<Actor> = stakeholders
        .iter()
        .enumerate()
        .map(|(i, s)| Actor {
            name: format!("S{i}"),
            description: String::new(),
            capability: s.capability,
            position: vec![s.position],
            salience: vec![s.salience],
        })
        .collect();
    for (i, a) in actors.iter().enumerate() {
        check_actor(a, 1).map_err(|problem| Unusable::Stakeholder { index: i, problem })?;
    }
    let scenario = Scenario {
        name: String::new(),
        description: String::new(),
        dimensions: vec!["issue".into()],
        actors,
        params: params.clone(),
        seed: None,
        affinities: Vec::new(),
    };
    scenario.validate()?;
    let r = run(&scenario, params, seed, RunOptions::default());
    Ok(Prediction {
        position: r.outcome.expected[0],
        most_likely: r.outcome.most_likely[0],
        turns: r.steps.len(),
        history: r
            .states
            .iter()
            .map(|s| s.positions.iter().map(|p| p[0]).collect())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(c: f64, x: f64, s: f64) -> Stakeholder {
        Stakeholder {
            capability: c,
            position: x,
            salience: s,
        }
    }

    #[test]
    fn outcome_stays_in_the_hull_and_follows_power() {
        let base = vec![
            sh(100.0, 10.0, 80.0),
            sh(40.0, 50.0, 60.0),
            sh(30.0, 90.0, 70.0),
            sh(20.0, 70.0, 50.0),
        ];
        let p = predict(&base, &SmpParams::default(), 1).unwrap();
        assert!(p.position >= 10.0 && p.position <= 90.0, "{p:?}");
        // Strengthen the actor at 90: the prediction moves toward 90.
        let mut strong = base.clone();
        strong[2].capability = 300.0;
        let q = predict(&strong, &SmpParams::default(), 1).unwrap();
        assert!(q.position > p.position, "{} vs {}", q.position, p.position);
        assert_eq!(p.history.len(), p.turns + 1);
    }

    #[test]
    fn bad_stakeholders_are_named() {
        let e = predict(
            &[
                sh(1.0, 10.0, 50.0),
                sh(0.0, 20.0, 50.0),
                sh(1.0, 30.0, 50.0),
            ],
            &SmpParams::default(),
            0,
        )
        .unwrap_err();
        assert_eq!(
            e,
            Unusable::Stakeholder {
                index: 1,
                problem: crate::ActorProblem::Capability(0.0)
            }
        );
        assert_eq!(
            e.to_string(),
            "stakeholder 1: capability must be positive and below 1e8, not 0"
        );
        assert!(predict(&[sh(1.0, 10.0, 50.0)], &SmpParams::default(), 0).is_err());
    }

    #[test]
    fn same_seed_same_result_in_stochastic_mode() {
        let mut params = SmpParams::default();
        params.state_transitions = crate::params::StateTransitions::Stochastic;
        let s: Vec<Stakeholder> = (0..12)
            .map(|i| {
                sh(
                    10.0 + i as f64 * 7.0,
                    (i * 37 % 100) as f64,
                    30.0 + (i * 13 % 60) as f64,
                )
            })
            .collect();
        let a = predict(&s, &params, 42).unwrap();
        let b = predict(&s, &params, 42).unwrap();
        assert_eq!(a, b);
    }
}
