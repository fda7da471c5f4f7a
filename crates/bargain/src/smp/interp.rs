//! Step 10 of the SMP (bargaining brief §1.3, KTAB's `interpolateBrgn`):
//! the compromise point proposed when i challenges j, per dimension, from
//! the two positions, saliences and an estimated victory probability
//! (`InterVecBrgn`: S1P1, S2P2, S2PMax). Values are on the 0..1 scale.

use crate::params::InterVecBrgn;

/// Small weight keeping 0/0 away when neither side cares (KTAB's minW).
const MIN_W: f64 = 1e-6;

/// Rounds to 4 decimals (half up), as KTAB does to avoid spurious precision.
fn round4(x: f64) -> f64 {
    ((0.5 + x * 10_000.0) as i64) as f64 / 10_000.0
}

/// The positions proposed to i and to j. `p_i` is the estimated probability
/// that i beats j and `p_j` that j beats i.
pub fn interpolate(
    rule: InterVecBrgn,
    pos_i: &[f64],
    sal_i: &[f64],
    p_i: f64,
    pos_j: &[f64],
    sal_j: &[f64],
    p_j: f64,
) -> (Vec<f64>, Vec<f64>) {
    let d = pos_i.len();
    let mut bi = Vec::with_capacity(d);
    let mut bj = Vec::with_capacity(d);
    for k in 0..d {
        let (ti, si, tj, sj) = (pos_i[k], sal_i[k], pos_j[k], sal_j[k]);
        let (x, y) = match rule {
            InterVecBrgn::S1P1 => weighted(ti, si * p_i, tj, sj * p_j),
            InterVecBrgn::S2P2 => weighted(ti, si * si * p_i * p_i, tj, sj * sj * p_j * p_j),
            InterVecBrgn::S2PMax => {
                let di = (p_j - p_i).max(0.0);
                let dj = (p_i - p_j).max(0.0);
                let (si2, sj2) = (si * si, sj * sj);
                let dik = di * sj2 / (di * sj2 + MIN_W + (1.0 - di) * si2);
                let djk = dj * si2 / (dj * si2 + MIN_W + (1.0 - dj) * sj2);
                (ti + dik * (tj - ti), tj + djk * (ti - tj))
            }
        };
        bi.push(x);
        bj.push(y);
    }
    (bi, bj)
}

/// b = (w_i t_i + w_j t_j)/(w_i + w_j), with the tie-breaking weight added
/// to i's side for i's point and to j's side for j's point, then rounded.
fn weighted(ti: f64, wi: f64, tj: f64, wj: f64) -> (f64, f64) {
    let total = wi + MIN_W + wj;
    (
        round4(((wi + MIN_W) * ti + wj * tj) / total),
        round4((wi * ti + (MIN_W + wj) * tj) / total),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s2p2_matches_ktab_bargain_1006() {
        // Turn 1 of dummyData_3Dim: actor 0 challenges actor 6, p = 0.7643…;
        // KTAB proposes 75.610/24.780/71.950 to 0 and 75.610/24.790/71.950 to 6.
        let pos0 = [0.7579, 0.0637, 0.7045];
        let sal0 = [0.4953, 0.0591, 0.2815];
        let pos6 = [0.7096, 0.3346, 0.9036];
        let sal6 = [0.3175, 0.2793, 0.2603];
        let p = 0.7643;
        let (b0, b6) = interpolate(InterVecBrgn::S2P2, &pos0, &sal0, p, &pos6, &sal6, 1.0 - p);
        assert!((b0[0] - 0.7561).abs() < 2e-4, "{b0:?}");
        assert!((b0[1] - 0.2478).abs() < 2e-4, "{b0:?}");
        assert!((b6[1] - 0.2479).abs() < 2e-4, "{b6:?}");
    }

    #[test]
    fn s2pmax_moves_only_the_weaker_side() {
        let (bi, bj) = interpolate(
            InterVecBrgn::S2PMax,
            &[0.0],
            &[0.5],
            0.8,
            &[1.0],
            &[0.5],
            0.2,
        );
        assert_eq!(bi, vec![0.0]);
        assert!(bj[0] < 1.0 && bj[0] > 0.0);
    }
}
