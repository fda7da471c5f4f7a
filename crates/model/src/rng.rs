//! Random numbers: one stream per mechanism, derived from the run's seed.
//!
//! A run's seed is derived by the caller from (master seed, experiment index),
//! so results never depend on thread count or order. Inside a run each
//! mechanism draws from its own ChaCha8 stream (same key, its own stream
//! number), and each mechanism draws a fixed number of values per day whatever
//! the state. Two courses of action run with the same seed therefore see the
//! same random numbers in every mechanism (common random numbers), and a
//! change in one mechanism's use of randomness cannot shift another's draws.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// The mechanisms that draw random numbers; the value is the stream number.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    /// Stochastic event timing.
    Events = 1,
    /// Border crossing noise (M5).
    Firebreak = 2,
    /// Stance choices (M4).
    Stance = 3,
    /// Outside powers' strikes (M10).
    Outside = 4,
    /// Bargaining rounds (M8).
    Settlement = 5,
    /// Coup attempts and their outcome (M9).
    Coup = 6,
    /// Holdouts' attacks on outside powers and the powers' answers (M10).
    Retaliation = 7,
    /// Elite defections (M9).
    Defection = 8,
}

/// One mechanism's stream of random numbers.
#[derive(Clone, Debug)]
pub struct Draws {
    rng: ChaCha8Rng,
}

impl Draws {
    /// The stream of `stream` for the run with this seed.
    pub fn new(seed: u64, stream: Stream) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream as u64);
        Draws { rng }
    }

    /// A uniform number in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal number by the Box-Muller transform; always two
    /// uniforms, so the number of draws per call is fixed.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // in (0, 1]
        let u2 = self.uniform();
        (-2.0 * patronfall_math::ln(u1)).sqrt() * patronfall_math::cos(std::f64::consts::TAU * u2)
    }
}

/// All the streams of one run.
#[derive(Clone, Debug)]
pub struct Streams {
    /// Stochastic event timing.
    pub events: Draws,
    /// Border crossings (M5).
    pub firebreak: Draws,
    /// Stance choices (M4).
    pub stance: Draws,
    /// Outside powers' strikes (M10).
    pub outside: Draws,
    /// Bargaining rounds (M8).
    pub settlement: Draws,
    /// Coup attempts (M9).
    pub coup: Draws,
    /// Holdouts' attacks on outside powers (M10).
    pub retaliation: Draws,
    /// Elite defections (M9).
    pub defection: Draws,
}

impl Streams {
    /// The streams of the run with this seed.
    pub fn new(seed: u64) -> Self {
        Streams {
            events: Draws::new(seed, Stream::Events),
            firebreak: Draws::new(seed, Stream::Firebreak),
            stance: Draws::new(seed, Stream::Stance),
            outside: Draws::new(seed, Stream::Outside),
            settlement: Draws::new(seed, Stream::Settlement),
            coup: Draws::new(seed, Stream::Coup),
            retaliation: Draws::new(seed, Stream::Retaliation),
            defection: Draws::new(seed, Stream::Defection),
        }
    }
}

/// Derives a run's seed from a master seed and an experiment index
/// (SplitMix64 finaliser over both), so neighbouring indices give unrelated streams.
pub fn run_seed(master: u64, index: u64) -> u64 {
    let mut z = master
        ^ index
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(0x6A09_E667_F3BC_C909);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The standard normal cumulative distribution function (Abramowitz and
/// Stegun 7.1.26 via erf, absolute error below 1.5e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * patronfall_math::exp(-z * z);
    let erf = if z >= 0.0 { erf } else { -erf };
    0.5 * (1.0 + erf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = Draws::new(7, Stream::Stance);
        let mut b = Draws::new(7, Stream::Stance);
        let mut c = Draws::new(7, Stream::Firebreak);
        let xs: Vec<f64> = (0..5).map(|_| a.uniform()).collect();
        let ys: Vec<f64> = (0..5).map(|_| b.uniform()).collect();
        let zs: Vec<f64> = (0..5).map(|_| c.uniform()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn normal_draws_have_unit_moments() {
        let mut d = Draws::new(1, Stream::Events);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| d.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-5);
    }

    #[test]
    fn run_seeds_differ_by_index() {
        assert_ne!(run_seed(1, 0), run_seed(1, 1));
        assert_eq!(run_seed(1, 5), run_seed(1, 5));
    }
}
