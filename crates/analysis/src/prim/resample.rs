//! How stable a box's restrictions are under resampling.
//!
//! Rule (the reproducibility check of Bryant & Lempert 2010, §3.2, by
//! bootstrap): draw `B` resamples of the runs with replacement, find the
//! first box on each with the same settings, selection and pruning, and
//! count, per column, the share of resamples whose box restricts it. A
//! restriction that appears in most resamples is a feature of the data; one
//! that comes and goes is an accident of the sample.

use super::covering::Selection;
use super::data::PrimData;
use super::prune::prune;
use super::{PrimOptions, find_box};
use crate::error::Result;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How often each column is restricted across resamples.
#[derive(Debug, Clone, PartialEq)]
pub struct Resampling {
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples on which a box met the selection.
    pub found: usize,
    /// Per column, the share of all resamples whose box restricts it (0–1).
    pub frequency: Vec<f64>,
}

/// Resamples `data` `resamples` times (ChaCha8 stream from `seed`) and
/// counts the columns the first box of each restricts, selected by
/// `selection` and pruned at `alpha` as the analysis's own box is.
pub fn restriction_frequency(
    data: &PrimData,
    prim: &PrimOptions,
    selection: Selection,
    alpha: Option<f64>,
    resamples: usize,
    seed: u64,
) -> Result<Resampling> {
    let n = data.rows();
    let k = data.columns().len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0usize; k];
    let mut found = 0;
    let mut rows = vec![0usize; n];
    for _ in 0..resamples {
        rows.iter_mut().for_each(|r| *r = rng.random_range(0..n));
        let Ok(sample) = data.subset(&rows) else {
            continue; // no case of interest in this resample
        };
        let trajectory = find_box(&sample, prim)?;
        let Ok(chosen) = selection.pick(&trajectory) else {
            continue;
        };
        let limits = &trajectory.steps[chosen].limits;
        let limits = match alpha {
            Some(a) => prune(&sample, limits, a)?.0,
            None => limits.clone(),
        };
        found += 1;
        for (j, count) in counts.iter_mut().enumerate() {
            if limits[j] != sample.initial_box()[j] {
                *count += 1;
            }
        }
    }
    let frequency = counts
        .iter()
        .map(|&c| {
            if resamples == 0 {
                0.0
            } else {
                c as f64 / resamples as f64
            }
        })
        .collect();
    Ok(Resampling {
        resamples,
        found,
        frequency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prim::Column;

    #[test]
    fn planted_restrictions_recur_and_noise_does_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let n = 1500;
        let x: Vec<Vec<f64>> = (0..4)
            .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
            .collect();
        let interest = (0..n).map(|i| x[0][i] < 0.3 && x[1][i] > 0.6).collect();
        let columns = x
            .into_iter()
            .enumerate()
            .map(|(j, v)| Column::continuous(&format!("x{j}"), v))
            .collect();
        let d = PrimData::new(columns, interest).unwrap();
        let r = restriction_frequency(
            &d,
            &PrimOptions::default(),
            Selection::Density(0.8),
            Some(0.05),
            20,
            3,
        )
        .unwrap();
        assert_eq!((r.resamples, r.found), (20, 20));
        assert!(
            r.frequency[0] >= 0.9 && r.frequency[1] >= 0.9,
            "{:?}",
            r.frequency
        );
        assert!(
            r.frequency[2] <= 0.3 && r.frequency[3] <= 0.3,
            "{:?}",
            r.frequency
        );
        // Same seed, same answer.
        let again = restriction_frequency(
            &d,
            &PrimOptions::default(),
            Selection::Density(0.8),
            Some(0.05),
            20,
            3,
        )
        .unwrap();
        assert_eq!(again, r);
    }
}
