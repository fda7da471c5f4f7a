//! The power function, x^y.
//!
//! Rule: `x^y = e^(y · ln x)`, with the logarithm carried as a pair of
//! doubles (about 2^-66 relative, see [`crate::ln`]'s module), the product
//! `y · ln x` formed exactly by Dekker's product and the exponential taken
//! of the resulting pair. The extra precision is needed because the
//! exponential turns an absolute error in its argument into a relative error
//! of the result: with `|y · ln x|` up to 745, a logarithm good to 2^-53
//! would cost up to 2^9 ulps.
//!
//! Error: below 0.6 ulp for normal results (the exponential's 0.51 ulp plus
//! at most `745 · 2^-66` relative from the argument); in the
//! gradual-underflow range below 1 ulp of the subnormal result. The tests
//! measure it against an independent reference of about 100 bits.
//!
//! Special values follow IEEE 754-2019 §9.2.1 `pow` (and C's `pow`, which
//! Rust's `f64::powf` calls): `x^±0 = 1` and `1^y = 1` for every `x`, `y`,
//! NaN included; otherwise a NaN operand gives NaN; `(−1)^±∞ = 1`;
//! `x^+∞` is `+0` for `|x| < 1` and `+∞` for `|x| > 1`, and the reverse for
//! `x^−∞`; `(±0)^y` and `(±∞)^y` are zero or infinite by the sign of `y`,
//! negative only for a negative base and an odd integer `y`; a finite
//! negative `x` with a non-integer finite `y` gives NaN, and with an integer
//! `y` gives `±|x|^y` by the parity of `y`. Overflow gives `+∞` (or `−∞`),
//! underflow `+0` (or `−0`).
//!
//! Sources: J.-M. Muller, *Elementary Functions: Algorithms and
//! Implementation* (3rd ed., 2016), ch. 12 (the power function as
//! exponential of a product, and the precision it needs); T. J. Dekker
//! (1971) for the exact product; IEEE Std 754-2019 §9.2.1 for the special
//! values.

use crate::dd::two_prod;
use crate::exp::exp_pair;
use crate::log::ln_pair;

/// 2^64: beyond this, `|y · ln x| > 2^64 · 2^-53` exceeds 745 for every
/// `x ≠ 1`, so the result is 0 or ∞.
const HUGE_Y: f64 = 18_446_744_073_709_551_616.0;

/// x^y, deterministic (see the module documentation for the error bound
/// and the special values).
#[inline]
pub fn powf(x: f64, y: f64) -> f64 {
    // The common case: a positive normal or subnormal base and a moderate,
    // nonzero exponent.
    if x > 0.0 && x < f64::INFINITY && x != 1.0 && y != 0.0 && y.abs() < HUGE_Y {
        return pos_pow(x, y);
    }
    pow_edge(x, y)
}

/// x^y for positive finite `x ≠ 1` and finite nonzero `|y| < 2^64`.
#[inline(always)]
fn pos_pow(x: f64, y: f64) -> f64 {
    let (lh, ll) = ln_pair::<true>(x);
    let (ph, pl) = two_prod(y, lh);
    exp_pair(ph, pl + y * ll)
}

/// Whether a finite `y` is an odd integer (`Some(true)`), an even integer
/// (`Some(false)`) or not an integer (`None`).
fn parity(y: f64) -> Option<bool> {
    if y.floor() != y {
        None
    } else if y.abs() >= 9_007_199_254_740_992.0 {
        // From 2^53 on every double is an even integer.
        Some(false)
    } else {
        Some((y as i64) & 1 == 1)
    }
}

/// Every case the fast path leaves out, in the order of IEEE 754's rules.
#[cold]
fn pow_edge(x: f64, y: f64) -> f64 {
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    let ax = x.abs();
    if y.is_infinite() {
        return if ax == 1.0 {
            1.0
        } else if (ax < 1.0) == (y < 0.0) {
            f64::INFINITY
        } else {
            0.0
        };
    }
    let odd = parity(y);
    let negative = x.is_sign_negative() && odd == Some(true);
    let signed = |v: f64| if negative { -v } else { v };
    if ax == 0.0 {
        return signed(if y < 0.0 { f64::INFINITY } else { 0.0 });
    }
    if ax == f64::INFINITY {
        return signed(if y < 0.0 { 0.0 } else { f64::INFINITY });
    }
    if x < 0.0 && odd.is_none() {
        return f64::NAN;
    }
    if ax == 1.0 {
        return signed(1.0);
    }
    if y.abs() >= HUGE_Y {
        return signed(if (ax > 1.0) == (y > 0.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    signed(pos_pow(ax, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{self, Dd, Draw, ulps};

    fn worst(n: usize, seed: u64, mut args: impl FnMut(&mut Draw) -> (f64, f64)) -> f64 {
        let mut draw = Draw::new(seed);
        let mut worst = 0.0;
        for _ in 0..n {
            let (x, y) = args(&mut draw);
            let e = ulps(powf(x, y), reference::pow(x, y));
            assert!(e.is_finite(), "powf({x:e}, {y:e}) = {:e}", powf(x, y));
            if e > worst {
                worst = e;
            }
        }
        worst
    }

    #[test]
    fn error_is_below_six_tenths_of_an_ulp_for_normal_results() {
        // Any base, an exponent that puts y · ln x anywhere in the normal range.
        let e = worst(100_000, 21, |d| {
            let x = d.magnitude(-1074, 1023);
            let t = d.between(-708.0, 709.0);
            (x, t / reference::ln(x).hi)
        });
        assert!(e < 0.6, "{e} ulp");
        // Bases near 1 with large exponents, where ln x must be precise.
        let e = worst(100_000, 22, |d| {
            let x = 1.0 + d.between(-1e-6, 1e-6);
            let t = d.between(-700.0, 700.0);
            (x, t / reference::ln(x).hi)
        });
        assert!(e < 0.6, "{e} ulp");
        // The bargaining model's utilities: z^r, z ∈ [0, 1], r ∈ [1/2, 2].
        let e = worst(100_000, 23, |d| (d.between(1e-9, 1.0), d.between(0.5, 2.0)));
        assert!(e < 0.6, "{e} ulp");
    }

    #[test]
    fn error_is_below_an_ulp_in_gradual_underflow() {
        let e = worst(50_000, 24, |d| {
            let x = d.between(0.01, 0.99);
            let t = d.between(-745.0, -708.4);
            (x, t / reference::ln(x).hi)
        });
        assert!(e < 1.0, "{e} ulp");
    }

    /// Values computed with 2,000-bit arithmetic: (x, y, x^y as hi + lo).
    #[test]
    fn matches_high_precision_values() {
        for (x, y, hi, lo) in [
            (
                2.0,
                0.5,
                std::f64::consts::SQRT_2,
                -9.667_293_313_452_913e-17,
            ),
            (
                10.0,
                -5.5,
                3.162_277_660_168_379e-6,
                1.408_692_748_561_498e-22,
            ),
            (0.3, 1.7, 0.129_153_486_074_980_26, 9.990_474_601_818_6e-18),
            (
                1.000_000_1,
                3e9,
                1.942_397_599_296_388_5e130,
                1.797_016_442_962_821e113,
            ),
            (
                0.999,
                -7e5,
                1.439_599_915_152_06e304,
                1.019_549_348_337_795_3e288,
            ),
            (
                7.5,
                300.0,
                3.298_974_947_466_076e262,
                -2.348_804_841_158_780_6e246,
            ),
            (
                3.0,
                -600.0,
                5.336_385_165_377_108e-287,
                -3.025_597_951_469_893_6e-303,
            ),
        ] {
            let e = ulps(powf(x, y), (Dd { hi, lo }, 0));
            assert!(e < 0.6, "powf({x}, {y}) = {:e} is {e} ulp off", powf(x, y));
        }
        assert_eq!(powf(0.5, 1074.0), 5e-324);
        assert_eq!(powf(0.5, 1074.5), 5e-324);
        assert_eq!(powf(0.5, 1075.5).to_bits(), 0);
        assert_eq!(powf(2.0, 1024.0), f64::INFINITY);
        assert_eq!(powf(2.0, 1023.0), 2f64.powi(1023));
        assert_eq!(powf(-2.0, 1025.0), f64::NEG_INFINITY);
        assert_eq!(powf(-0.5, 1077.0).to_bits(), (-0.0f64).to_bits());
    }

    /// The special cases of IEEE 754's `pow`, one by one.
    #[test]
    fn special_values() {
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        let same = |got: f64, want: f64| {
            got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan())
        };
        let cases = [
            // x^±0 = 1 and 1^y = 1, even for NaN.
            (nan, 0.0, 1.0),
            (nan, -0.0, 1.0),
            (1.0, nan, 1.0),
            (1.0, inf, 1.0),
            (1.0, -inf, 1.0),
            (-inf, 0.0, 1.0),
            // Otherwise NaN in, NaN out.
            (nan, 1.0, nan),
            (2.0, nan, nan),
            (-1.0, nan, nan),
            // (−1)^±∞ = 1.
            (-1.0, inf, 1.0),
            (-1.0, -inf, 1.0),
            // Infinite exponents.
            (0.5, inf, 0.0),
            (-0.5, inf, 0.0),
            (2.0, inf, inf),
            (-2.0, inf, inf),
            (0.5, -inf, inf),
            (-0.5, -inf, inf),
            (2.0, -inf, 0.0),
            (-2.0, -inf, 0.0),
            (0.0, inf, 0.0),
            (0.0, -inf, inf),
            (inf, inf, inf),
            (inf, -inf, 0.0),
            // Zero bases.
            (0.0, 3.0, 0.0),
            (-0.0, 3.0, -0.0),
            (-0.0, 2.0, 0.0),
            (-0.0, 0.5, 0.0),
            (0.0, -3.0, inf),
            (-0.0, -3.0, -inf),
            (-0.0, -2.0, inf),
            (-0.0, -0.5, inf),
            // Infinite bases.
            (inf, 0.5, inf),
            (inf, -0.5, 0.0),
            (-inf, 3.0, -inf),
            (-inf, 2.0, inf),
            (-inf, 0.5, inf),
            (-inf, -3.0, -0.0),
            (-inf, -2.0, 0.0),
            (-inf, -0.5, 0.0),
            // Negative finite bases: integers only.
            (-2.0, 0.5, nan),
            (-2.0, -1.5, nan),
            (-2.0, 3.0, -8.0),
            (-2.0, 2.0, 4.0),
            (-2.0, -1.0, -0.5),
            (-1.0, 1e300, 1.0),
            (-1.0, 3.0, -1.0),
            (-5e-324, 1.0, -5e-324),
            // Exponents so large that every base but 1 overflows or underflows.
            (2.0, 1e20, inf),
            (0.5, 1e20, 0.0),
            (2.0, -1e20, 0.0),
            (-2.0, 1e20, inf),
            (1.000_000_000_000_000_2, 1e300, inf),
            (0.999_999_999_999_999_9, 1e300, 0.0),
            // Exact small powers.
            (2.0, 10.0, 1024.0),
            (4.0, 0.5, 2.0),
            (5e-324, 1.0, 5e-324),
        ];
        for (x, y, want) in cases {
            let got = powf(x, y);
            assert!(
                same(got, want),
                "powf({x:e}, {y:e}) = {got:e}, want {want:e}"
            );
        }
    }
}
