//! A plan's points on the unit hypercube, computed by sample number when a
//! chunk needs them.
//!
//! A plan holds what it needs to compute any sample's point, not the table
//! of all of them: a Saltelli plan over 400 figures at a base size of 4,096
//! has 1.6 million samples, whose table would take 5 GB. What each sampler
//! keeps (`patronfall_analysis::design`, "By index"):
//!
//! | sampler | kept | bytes |
//! |---|---|---|
//! | Monte Carlo | the seed | — |
//! | Sobol | direction numbers and scrambling seeds | 132 per figure |
//! | Saltelli | the same for A and B, and the groups | 272 per figure |
//! | Morris | each trajectory's start in the stream and order of moves | 16 + 4 G per trajectory |
//! | factorial | the level counts | 8 per figure |
//! | Latin hypercube (plain, keyed) | the whole table | 8 per figure and sample |
//!
//! A Latin hypercube column is one shuffle of all `n` strata, so a row
//! cannot be computed without the column's shuffle: its table stays (at
//! 10,000 samples of 400 figures, 32 MB). Every point is bit for bit the
//! row the whole-table design functions give, so `runs.csv` does not depend
//! on which way it was computed.

use patronfall_analysis::Matrix;
use patronfall_analysis::design::{
    MorrisPoints, SaltelliPoints, SobolSequence, factorial_row, monte_carlo_row,
};

/// How a plan computes its points.
#[derive(Clone, Debug)]
pub(crate) enum Points {
    /// No varied figure: every sample is the nominal scenario.
    Empty {
        /// Samples.
        rows: usize,
    },
    /// The whole table (Latin hypercubes).
    Table(Matrix),
    /// Independent uniform points from a ChaCha8 stream.
    MonteCarlo {
        /// Samples.
        rows: usize,
        /// The stream's seed.
        seed: u64,
    },
    /// Scrambled Sobol points `0 .. rows`.
    Sobol {
        /// Samples.
        rows: usize,
        /// The sequence.
        sequence: SobolSequence,
    },
    /// The Saltelli blocks.
    Saltelli(SaltelliPoints),
    /// Morris trajectories.
    Morris(MorrisPoints),
    /// Every combination of the level counts.
    Factorial {
        /// Samples.
        rows: usize,
        /// Levels of each figure.
        levels: Vec<usize>,
    },
}

impl Points {
    /// Number of samples.
    pub(crate) fn rows(&self) -> usize {
        match self {
            Points::Empty { rows }
            | Points::MonteCarlo { rows, .. }
            | Points::Sobol { rows, .. }
            | Points::Factorial { rows, .. } => *rows,
            Points::Table(m) => m.rows(),
            Points::Saltelli(p) => p.rows(),
            Points::Morris(p) => p.rows(),
        }
    }

    /// Sample `r`'s point (`r` below [`Points::rows`]; `cols` values, one
    /// per design column).
    pub(crate) fn point(&self, r: usize, cols: usize) -> Vec<f64> {
        let mut out = vec![0.0; cols];
        let computed = match self {
            Points::Empty { .. } => Ok(()),
            Points::Table(m) => {
                out.copy_from_slice(m.row(r));
                Ok(())
            }
            Points::MonteCarlo { seed, .. } => {
                monte_carlo_row(r as u64, *seed, &mut out);
                Ok(())
            }
            Points::Sobol { sequence, .. } => sequence.point_into(r as u64, &mut out),
            Points::Saltelli(p) => p.point_into(r, &mut out, &mut Vec::new()),
            Points::Morris(p) => p.point_into(r, &mut out),
            Points::Factorial { levels, .. } => {
                factorial_row(levels, r, &mut out);
                Ok(())
            }
        };
        // The plan checked the shape and the number of samples when it was
        // made; a sample outside it is a caller's bug, as indexing a table
        // out of bounds would be.
        if let Err(e) = computed {
            panic!("sample {r} of a plan of {} samples: {e}", self.rows());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use patronfall_analysis::design::{self, Groups};

    fn rows(p: &Points, cols: usize) -> Vec<Vec<f64>> {
        (0..p.rows()).map(|r| p.point(r, cols)).collect()
    }

    #[test]
    fn every_generator_gives_the_rows_of_its_whole_table() {
        let (n, k, seed) = (24, 5, 9);
        let mc = Points::MonteCarlo { rows: n, seed };
        assert_eq!(
            rows(&mc, k),
            design::monte_carlo(n, k, seed).unwrap().to_rows()
        );
        let sobol = Points::Sobol {
            rows: n,
            sequence: SobolSequence::new(k, Some(seed)).unwrap(),
        };
        assert_eq!(
            rows(&sobol, k),
            design::sobol(n, k, seed).unwrap().to_rows()
        );
        let groups = Groups::new(&["a", "b", "a", "c", "d"]).unwrap();
        let saltelli = Points::Saltelli(SaltelliPoints::new(8, &groups, seed).unwrap());
        let whole = design::saltelli_groups(8, &groups, seed).unwrap().stacked();
        assert_eq!(rows(&saltelli, k), whole.to_rows());
        let morris = Points::Morris(MorrisPoints::new(6, &groups, 4, seed).unwrap());
        let whole = design::morris_groups(6, &groups, 4, seed).unwrap().points;
        assert_eq!(rows(&morris, k), whole.to_rows());
        let levels = vec![2, 3, 1, 4];
        let factorial = Points::Factorial {
            rows: 24,
            levels: levels.clone(),
        };
        assert_eq!(
            rows(&factorial, 4),
            design::full_factorial(&levels).unwrap().to_rows()
        );
    }
}
