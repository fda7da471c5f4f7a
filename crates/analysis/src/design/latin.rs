//! Latin hypercube design (McKay, Beckman & Conover 1979).
//!
//! Rule: split each axis into `n` equal strata; column `j` puts exactly one
//! point in each stratum, in an independent random order:
//! `x_ij = (π_j(i) + u_ij) / n` with `π_j` a uniform random permutation of
//! `0..n` and `u_ij ~ U[0,1)`. Every one-dimensional projection is therefore
//! stratified, which is what makes LHS better than Monte Carlo for additive
//! responses.
//!
//! **Keyed columns.** [`latin_hypercube_keyed`] draws the same design, but
//! column `j`'s permutation and jitter come from a ChaCha8 stream of its own,
//! chosen by a key (a figure's path, hashed by [`column_key`]), instead of
//! from one stream shared by all columns in order. A column then depends only
//! on (seed, key, n): adding, removing or reordering the other columns leaves
//! it unchanged, which is what keeps two versions of a scenario paired figure
//! by figure. Columns stay independent uniform permutations, so the design is
//! still a Latin hypercube.

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::check_shape;
use crate::error::Result;
use crate::matrix::Matrix;

/// `n × k` Latin hypercube in `[0,1)^k`.
///
/// * `n` — number of points and of strata per axis, at least 1.
/// * `k` — number of dimensions, at least 1.
/// * `seed` — seed of the ChaCha8 stream used for permutations and jitter.
pub fn latin_hypercube(n: usize, k: usize, seed: u64) -> Result<Matrix> {
    check_shape(n, k)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = Matrix::zeros(n, k);
    let mut strata: Vec<usize> = (0..n).collect();
    for j in 0..k {
        stratified_column(&mut m, j, &mut strata, &mut rng);
    }
    Ok(m)
}

/// Fills column `j` of `m`: shuffles the strata, then puts point `i` at a
/// uniform place within stratum `strata[i]` of the `strata.len()` equal
/// strata of [0, 1).
fn stratified_column(m: &mut Matrix, j: usize, strata: &mut [usize], rng: &mut ChaCha8Rng) {
    let n = strata.len();
    strata.shuffle(rng);
    for (i, &s) in strata.iter().enumerate() {
        let u: f64 = rng.random();
        // Guard the top stratum against rounding up to exactly 1.0.
        let x = ((s as f64 + u) / n as f64).min(1.0 - f64::EPSILON / 2.0);
        m.set(i, j, x);
    }
}

/// `n × keys.len()` Latin hypercube in `[0,1)^k` whose column `j` depends
/// only on (`seed`, `keys[j]`, `n`): its permutation and jitter come from the
/// ChaCha8 stream number `keys[j]` of the generator seeded by `seed`.
///
/// * `n` — number of points and of strata per axis, at least 1.
/// * `keys` — one key per column, at least one (see [`column_key`]); equal
///   keys give equal columns.
/// * `seed` — the master seed.
pub fn latin_hypercube_keyed(n: usize, keys: &[u64], seed: u64) -> Result<Matrix> {
    check_shape(n, keys.len())?;
    let mut m = Matrix::zeros(n, keys.len());
    let mut strata: Vec<usize> = Vec::with_capacity(n);
    for (j, &key) in keys.iter().enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(key);
        strata.clear();
        strata.extend(0..n);
        stratified_column(&mut m, j, &mut strata, &mut rng);
    }
    Ok(m)
}

/// The key of a design column named by `name` (a figure's path): the 64-bit
/// FNV-1a hash of its UTF-8 bytes (Fowler, Noll & Vo; offset basis
/// 14695981039346656037, prime 1099511628211). Fixed by its definition, so
/// the same name keys the same column in every version and on every machine.
pub fn column_key(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::discrepancy::l2_star;
    use crate::design::monte_carlo;

    #[test]
    fn every_column_hits_every_stratum_once() {
        let n = 257;
        let m = latin_hypercube(n, 6, 11).unwrap();
        for j in 0..6 {
            let mut seen = vec![false; n];
            for x in m.column(j) {
                assert!((0.0..1.0).contains(&x));
                let s = (x * n as f64).floor() as usize;
                assert!(!seen[s], "stratum {s} of column {j} hit twice");
                seen[s] = true;
            }
            assert!(seen.iter().all(|&b| b));
        }
    }

    #[test]
    fn a_keyed_column_depends_on_its_key_alone_and_stays_stratified() {
        let n = 50;
        let keys: Vec<u64> = ["a.x", "b.y", "c.z"].map(column_key).to_vec();
        let m = latin_hypercube_keyed(n, &keys, 9).unwrap();
        // Another column added in front, one removed: the rest are unchanged.
        let other = [column_key("new.figure"), keys[2], keys[0]];
        let o = latin_hypercube_keyed(n, &other, 9).unwrap();
        assert_eq!(m.column(0), o.column(2));
        assert_eq!(m.column(2), o.column(1));
        assert_ne!(m.column(0), o.column(0));
        assert_ne!(m.column(0), m.column(1));
        // Another seed moves every column.
        let s = latin_hypercube_keyed(n, &keys, 10).unwrap();
        assert_ne!(m.column(0), s.column(0));
        for j in 0..3 {
            let mut strata: Vec<usize> = m
                .column(j)
                .into_iter()
                .map(|x| {
                    assert!((0.0..1.0).contains(&x));
                    (x * n as f64).floor() as usize
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
        assert!(latin_hypercube_keyed(n, &[], 9).is_err());
    }

    #[test]
    fn column_keys_are_fnv_1a() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(column_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(column_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(column_key("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn reproducible_and_no_worse_than_monte_carlo() {
        assert_eq!(
            latin_hypercube(64, 3, 5).unwrap(),
            latin_hypercube(64, 3, 5).unwrap()
        );
        // Averaged over seeds, the LHS discrepancy is below Monte Carlo's.
        let (mut lhs, mut mc) = (0.0, 0.0);
        for seed in 0..10 {
            lhs += l2_star(&latin_hypercube(128, 2, seed).unwrap());
            mc += l2_star(&monte_carlo(128, 2, seed).unwrap());
        }
        assert!(lhs < mc, "lhs {lhs} mc {mc}");
    }
}
