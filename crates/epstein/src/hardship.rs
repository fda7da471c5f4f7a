//! Distributions of perceived hardship H, drawn once per citizen.
//!
//! Epstein (2002) draws H ~ U(0, 1) for life. A caller that reuses the grid
//! as an agent-level unrest model (M6-agents) may redraw H between steps,
//! for example to represent a shock to living conditions.

use rand::RngExt;
use rand_distr::{Beta, Distribution};

use crate::params::ParamError;

/// A distribution of hardship H on [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hardship {
    /// H ~ U(low, high), 0 ≤ low ≤ high ≤ 1 (the paper: U(0, 1)).
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// H ~ Beta(alpha, beta), both shape parameters > 0.
    Beta {
        /// First shape parameter α.
        alpha: f64,
        /// Second shape parameter β.
        beta: f64,
    },
    /// The same H for every citizen.
    Constant(f64),
}

impl Hardship {
    /// The paper's U(0, 1).
    pub const PAPER: Hardship = Hardship::Uniform {
        low: 0.0,
        high: 1.0,
    };

    /// Checks the distribution's parameters.
    pub fn validate(&self) -> Result<(), ParamError> {
        let ok = match *self {
            Hardship::Uniform { low, high } => {
                (0.0..=1.0).contains(&low) && (low..=1.0).contains(&high)
            }
            Hardship::Beta { alpha, beta } => {
                alpha.is_finite() && beta.is_finite() && alpha > 0.0 && beta > 0.0
            }
            Hardship::Constant(h) => (0.0..=1.0).contains(&h),
        };
        if ok {
            Ok(())
        } else {
            Err(ParamError::Hardship(format!(
                "invalid distribution {self:?}"
            )))
        }
    }

    /// Draws one H. Call only after [`Hardship::validate`] succeeded.
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Hardship::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Hardship::Beta { alpha, beta } => match Beta::new(alpha, beta) {
                Ok(d) => d.sample(rng),
                Err(_) => 0.5,
            },
            Hardship::Constant(h) => h,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    #[test]
    fn samples_stay_in_range_and_have_the_right_mean() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        for (dist, mean) in [
            (Hardship::PAPER, 0.5),
            (
                Hardship::Uniform {
                    low: 0.2,
                    high: 0.4,
                },
                0.3,
            ),
            (
                Hardship::Beta {
                    alpha: 2.0,
                    beta: 6.0,
                },
                0.25,
            ),
            (Hardship::Constant(0.7), 0.7),
        ] {
            dist.validate().unwrap();
            let n = 20_000;
            let mut sum = 0.0;
            for _ in 0..n {
                let h = dist.sample(&mut rng);
                assert!((0.0..=1.0).contains(&h));
                sum += h;
            }
            let m = sum / f64::from(n);
            assert!((m - mean).abs() < 0.01, "{dist:?}: {m}");
        }
    }

    #[test]
    fn bad_distributions_are_rejected() {
        assert!(
            Hardship::Uniform {
                low: 0.6,
                high: 0.4
            }
            .validate()
            .is_err()
        );
        assert!(
            Hardship::Beta {
                alpha: 0.0,
                beta: 1.0
            }
            .validate()
            .is_err()
        );
        assert!(Hardship::Constant(1.2).validate().is_err());
    }
}
