//! The SMP's input: actors with a capability, a position and a salience per
//! dimension (both on KTAB's 0..100 scale), the model parameters, an optional
//! seed and the ideal-accommodation ("affinity") matrix. `validate` holds the
//! rules KTAB's readers enforce, so scenarios built in code meet them too.

use crate::error::{ActorProblem, Unusable};
use crate::params::SmpParams;

/// One stakeholder as KTAB describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Short name, 1..=25 characters (KTAB's limit), unique in a scenario.
    pub name: String,
    /// Free description (KTAB allows up to 256 characters).
    pub description: String,
    /// Capability (KTAB's "Power"/"Influence"): any positive number below 1e8.
    pub capability: f64,
    /// Position per dimension, 0..100.
    pub position: Vec<f64>,
    /// Salience per dimension, 0..100; their sum is at most 100 and positive.
    pub salience: Vec<f64>,
}

/// One entry of the accommodation matrix: `actor`'s ideal moves toward
/// `toward`'s position at rate `rate` each turn (KTAB's `iaPair`).
#[derive(Debug, Clone, PartialEq)]
pub struct Affinity {
    /// Index of the actor whose ideal adjusts (`adjustingIdeal`).
    pub actor: usize,
    /// Index of the actor whose position it adjusts toward (`referencePos`).
    pub toward: usize,
    /// Rate in [0, 1] (`adjust`).
    pub rate: f64,
}

/// A complete SMP scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// One name per dimension.
    pub dimensions: Vec<String>,
    /// The stakeholders.
    pub actors: Vec<Actor>,
    /// Model parameters (XML files may set them; CSV files use defaults).
    pub params: SmpParams,
    /// The file's own seed (`prngSeed` in XML), if it gives one.
    pub seed: Option<u64>,
    /// Entries of the accommodation matrix that differ from the identity.
    /// A row with no entries keeps A_ii = 1 (the "cynical" ideal = position);
    /// a row with entries uses exactly those entries (others are 0).
    pub affinities: Vec<Affinity>,
}

/// KTAB's limits on the number of actors.
pub const MIN_ACTORS: usize = 3;
/// KTAB's limits on the number of actors.
pub const MAX_ACTORS: usize = 250;

impl Scenario {
    /// Number of actors.
    pub fn num_actors(&self) -> usize {
        self.actors.len()
    }

    /// Number of dimensions.
    pub fn num_dims(&self) -> usize {
        self.dimensions.len()
    }

    /// The accommodation matrix A (row-major, N×N), built from `affinities`
    /// as KTAB's XML reader does: identity first, then each pair overwrites
    /// its row (rows named by no pair stay identity rows).
    pub fn accommodation(&self) -> Vec<f64> {
        let n = self.num_actors();
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + i] = 1.0;
        }
        for f in &self.affinities {
            a[f.actor * n + f.toward] = f.rate;
        }
        a
    }

    /// Checks the rules KTAB's readers enforce; the message names the actor.
    pub fn validate(&self) -> Result<(), Unusable> {
        let n = self.num_actors();
        let d = self.num_dims();
        if !(MIN_ACTORS..=MAX_ACTORS).contains(&n) {
            return Err(Unusable::ActorCount {
                min: MIN_ACTORS,
                max: MAX_ACTORS,
                count: n,
            });
        }
        if d == 0 {
            return Err(Unusable::NoDimension);
        }
        for (i, a) in self.actors.iter().enumerate() {
            check_actor(a, d).map_err(|problem| Unusable::Actor {
                number: i + 1,
                name: a.name.clone(),
                problem,
            })?;
            if self.actors[..i].iter().any(|b| b.name == a.name) {
                return Err(Unusable::DuplicateName(a.name.clone()));
            }
        }
        let acc = self.accommodation();
        for f in &self.affinities {
            if f.actor >= n || f.toward >= n {
                return Err(Unusable::AdjustmentActor);
            }
            if !(f.rate.is_finite() && (0.0..=1.0).contains(&f.rate)) {
                return Err(Unusable::AdjustmentRate {
                    actor: self.actors[f.actor].name.clone(),
                    toward: self.actors[f.toward].name.clone(),
                    rate: f.rate,
                });
            }
        }
        for i in 0..n {
            let row: f64 = acc[i * n..(i + 1) * n].iter().sum();
            if row > 1.0 + 1e-10 {
                return Err(Unusable::AdjustmentSum {
                    actor: self.actors[i].name.clone(),
                    sum: row,
                });
            }
        }
        Ok(())
    }
}

/// Checks one actor's numbers against KTAB's limits.
pub fn check_actor(a: &Actor, dims: usize) -> Result<(), ActorProblem> {
    if a.name.trim().is_empty() {
        return Err(ActorProblem::EmptyName);
    }
    if a.name.chars().count() > 25 {
        return Err(ActorProblem::NameTooLong);
    }
    if a.description.chars().count() > 256 {
        return Err(ActorProblem::DescriptionTooLong);
    }
    if !(a.capability.is_finite() && a.capability > 0.0 && a.capability < 1e8) {
        return Err(ActorProblem::Capability(a.capability));
    }
    if a.position.len() != dims || a.salience.len() != dims {
        return Err(ActorProblem::Dimensions {
            dims,
            positions: a.position.len(),
            saliences: a.salience.len(),
        });
    }
    for (k, &p) in a.position.iter().enumerate() {
        if !(p.is_finite() && (0.0..=100.0).contains(&p)) {
            return Err(ActorProblem::Position {
                dimension: k + 1,
                value: p,
            });
        }
    }
    for (k, &s) in a.salience.iter().enumerate() {
        if !(s.is_finite() && (0.0..=100.0).contains(&s)) {
            return Err(ActorProblem::Salience {
                dimension: k + 1,
                value: s,
            });
        }
    }
    let total: f64 = a.salience.iter().sum();
    if total > 100.0 + 1e-9 {
        return Err(ActorProblem::SalienceSum(total));
    }
    if total <= 0.0 {
        return Err(ActorProblem::NoSalience);
    }
    Ok(())
}
