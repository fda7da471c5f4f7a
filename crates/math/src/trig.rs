//! Sine and cosine.
//!
//! Rule: reduce `x` to `r = x − n · π/2` with `|r| ≤ π/4` (about), carried
//! as a pair of doubles, then evaluate the sine or cosine polynomial of `r`
//! chosen by `n mod 4`:
//!
//! ```text
//! sin r ≈ r − r³/3! + r⁵/5! − … + r¹⁷/17!,   cos r ≈ 1 − r²/2! + r⁴/4! − … + r¹⁶/16!
//! ```
//!
//! On `|r| ≤ π/4` the first omitted Taylor terms (r¹⁹/19!, r¹⁸/18!) are
//! below 2^-62 relative to the result. The cosine forms `1 − r²/2` and its
//! rounding error exactly, so the leading term costs no accuracy.
//!
//! Reduction: for `|x| < 2^20`, Cody and Waite's method with π/2 split into
//! three 33-bit heads (each product with `n < 2^20` exact) and a tail, the
//! partial differences summed exactly: 152 bits of π/2. For larger `|x|`,
//! Payne and Hanek's method: the 53-bit integer significand of `x` is
//! multiplied exactly, in integers, by a 192-bit window of the bits of 2/π
//! at its exponent, which yields `n mod 4` and 128 bits of the fraction; no
//! double lies closer than about 2^-62 to a multiple of π/2, so at least 66
//! of those bits are significant.
//!
//! Error: below 0.8 ulp for every finite `x` (the analysis: the final
//! rounding, 0.5 ulp, plus up to about 0.25 ulp from the rounding inside the
//! polynomial near `|r| = π/4`); the tests measure it against an
//! independent reference of about 100 bits and at huge arguments against
//! values computed with 300-bit arithmetic. Results are not always
//! correctly rounded; they are always the same.
//!
//! Special values: `sin(±0) = ±0`, `cos(±0) = 1`, `sin` and `cos` of `±∞`
//! or NaN are NaN.
//!
//! Sources: W. J. Cody and W. Waite, *Software Manual for the Elementary
//! Functions* (1980), ch. 8; M. H. Payne and R. N. Hanek, "Radian reduction
//! for trigonometric functions", ACM SIGNUM Newsletter 18 (1983) 19–24;
//! J.-M. Muller, *Elementary Functions: Algorithms and Implementation* (3rd
//! ed., 2016), ch. 11 (both reductions, and the closest doubles to
//! multiples of π/2). The constants and the bits of 2/π were computed with
//! 400-bit and 1,700-bit arithmetic.

use crate::dd::{fast_two_sum, two_prod, two_sum};

/// 2/π, rounded to nearest.
const INV_PIO2: f64 = std::f64::consts::FRAC_2_PI;
/// π/2 in four parts; the first three have 33 significant bits.
const P1: f64 = 1.570_796_326_734_125_6;
const P2: f64 = 6.077_100_506_303_966e-11;
const P3: f64 = 2.022_266_248_711_166_5e-21;
const P4: f64 = 8.478_427_660_368_9e-32;
/// π/2 as the nearest double and the rounding error of that double.
const PIO2_HI: f64 = std::f64::consts::FRAC_PI_2;
const PIO2_LO: f64 = 6.123_233_995_736_766e-17;
/// 1.5 · 2^52, for rounding to an integer (see `exp`).
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// From here on the Payne–Hanek reduction is used.
const LARGE: f64 = 1_048_576.0;
/// Mantissa bits of a double.
const MANTISSA: u64 = (1 << 52) - 1;

/// sin x, deterministic (see the module documentation for the error bound).
pub fn sin(x: f64) -> f64 {
    let ax = x.abs();
    if !ax.is_finite() {
        return f64::NAN;
    }
    let (n, r, rl) = reduce(ax);
    let v = match n & 3 {
        0 => sin_kernel(r, rl),
        1 => cos_kernel(r, rl),
        2 => -sin_kernel(r, rl),
        _ => -cos_kernel(r, rl),
    };
    if x.is_sign_negative() { -v } else { v }
}

/// cos x, deterministic (see the module documentation for the error bound).
pub fn cos(x: f64) -> f64 {
    let ax = x.abs();
    if !ax.is_finite() {
        return f64::NAN;
    }
    let (n, r, rl) = reduce(ax);
    match n & 3 {
        0 => cos_kernel(r, rl),
        1 => -sin_kernel(r, rl),
        2 => -cos_kernel(r, rl),
        _ => sin_kernel(r, rl),
    }
}

/// `ax = n · π/2 + (r + rl)` for finite `ax ≥ 0`, with `|r| ≲ π/4`; only
/// `n mod 4` is meaningful.
#[inline]
fn reduce(ax: f64) -> (u64, f64, f64) {
    if ax <= std::f64::consts::FRAC_PI_4 {
        return (0, ax, 0.0);
    }
    if ax >= LARGE {
        return reduce_large(ax);
    }
    let nd = (ax * INV_PIO2 + SHIFT) - SHIFT;
    // Exact (Sterbenz): ax is within a factor of two of nd · P1.
    let a = ax - nd * P1;
    let (s, e1) = two_sum(a, -(nd * P2));
    let (s, e2) = two_sum(s, -(nd * P3));
    let (r, rl) = fast_two_sum(s, (e1 + e2) - nd * P4);
    (nd as u64, r, rl)
}

/// Payne–Hanek reduction for `ax ≥ 2^20` (finite).
fn reduce_large(ax: f64) -> (u64, f64, f64) {
    let bits = ax.to_bits();
    let e = (bits >> 52) as usize - 1023; // 20 ≤ e ≤ 1023
    let significand = u128::from((bits & MANTISSA) | (1 << 52));
    // ax = significand · 2^(e − 52). Bit i of 2/π (weight 2^-i) meets it
    // with weight 2^(e − 52 − i); the window starts at i = e − 53 (weight
    // 2^1, the lowest that still matters mod 4), which is bit e + 10 of
    // `TWO_OVER_PI_BITS` (whose first word is zero padding).
    let start = e + 10;
    let (w, shift) = (start / 64, start % 64);
    let word = |k: usize| {
        if shift == 0 {
            TWO_OVER_PI_BITS[w + k]
        } else {
            (TWO_OVER_PI_BITS[w + k] << shift) | (TWO_OVER_PI_BITS[w + k + 1] >> (64 - shift))
        }
    };
    let (w0, w1, w2) = (
        u128::from(word(0)),
        u128::from(word(1)),
        u128::from(word(2)),
    );
    // significand · (w0·2^128 + w1·2^64 + w2) = R; x · 2/π ≡ R / 2^190
    // (mod 4), up to less than 2^-137 from the bits beyond the window.
    let p2 = significand * w2;
    let p1 = significand * w1;
    let p0 = significand * w0;
    let r0 = p2 as u64;
    let carry = (p2 >> 64) + u128::from(p1 as u64);
    let r1 = carry as u64;
    let carry = (carry >> 64) + (p1 >> 64) + u128::from(p0 as u64);
    let r2 = carry as u64;
    let quadrant = r2 >> 62;
    // The 128 bits below the binary point; read as signed, a fraction of a
    // half or more becomes that fraction minus one and the quadrant moves
    // up by one, so |fraction| ≤ 1/2.
    let fraction = ((u128::from(r2) << 66) | (u128::from(r1) << 2) | u128::from(r0 >> 62)) as i128;
    let n = quadrant + u64::from(fraction < 0);
    let head = fraction as f64;
    let tail = fraction.wrapping_sub(head as i128) as f64;
    let scale = f64::from_bits((1023 - 128) << 52);
    let (a, b) = (head * scale, tail * scale);
    let (r, rl) = two_prod(a, PIO2_HI);
    let (r, rl) = fast_two_sum(r, rl + (a * PIO2_LO + b * PIO2_HI));
    (n, r, rl)
}

/// sin(r + rl) for `|r| ≲ π/4`, `|rl|` at most an ulp of `r`.
#[inline]
fn sin_kernel(r: f64, rl: f64) -> f64 {
    const S3: f64 = -1.0 / 6.0;
    const S5: f64 = 1.0 / 120.0;
    const S7: f64 = -1.0 / 5_040.0;
    const S9: f64 = 1.0 / 362_880.0;
    const S11: f64 = -1.0 / 39_916_800.0;
    const S13: f64 = 1.0 / 6_227_020_800.0;
    const S15: f64 = -1.0 / 1_307_674_368_000.0;
    const S17: f64 = 1.0 / 355_687_428_096_000.0;
    let z = r * r;
    let p =
        z * r * (S3 + z * (S5 + z * (S7 + z * (S9 + z * (S11 + z * (S13 + z * (S15 + z * S17)))))));
    // sin(r + rl) ≈ sin r + rl · cos r, with cos r ≈ 1 − r²/2 here.
    r + (p + rl * (1.0 - 0.5 * z))
}

/// cos(r + rl) for `|r| ≲ π/4`, `|rl|` at most an ulp of `r`.
#[inline]
fn cos_kernel(r: f64, rl: f64) -> f64 {
    const C4: f64 = 1.0 / 24.0;
    const C6: f64 = -1.0 / 720.0;
    const C8: f64 = 1.0 / 40_320.0;
    const C10: f64 = -1.0 / 3_628_800.0;
    const C12: f64 = 1.0 / 479_001_600.0;
    const C14: f64 = -1.0 / 87_178_291_200.0;
    const C16: f64 = 1.0 / 20_922_789_888_000.0;
    let z = r * r;
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    let tail = z * z * (C4 + z * (C6 + z * (C8 + z * (C10 + z * (C12 + z * (C14 + z * C16))))));
    // (1 − w) − hz is the exact rounding error of w (both steps exact by
    // Sterbenz); cos(r + rl) ≈ cos r − rl · sin r, with sin r ≈ r here.
    w + (((1.0 - w) - hz) + (tail - r * rl))
}

/// The bits of 2/π after the binary point, most significant first, behind
/// one word of zeros (so a window may start before the first bit). 1,216
/// bits cover every exponent of a finite double.
const TWO_OVER_PI_BITS: [u64; 21] = [
    0x0000_0000_0000_0000,
    0xA2F9_836E_4E44_1529,
    0xFC27_57D1_F534_DDC0,
    0xDB62_9599_3C43_9041,
    0xFE51_63AB_DEBB_C561,
    0xB724_6E3A_424D_D2E0,
    0x0649_2EEA_09D1_921C,
    0xFE1D_EB1C_B129_A73E,
    0xE882_35F5_2EBB_4484,
    0xE99C_7026_B45F_7E41,
    0x3991_D639_8353_39F4,
    0x9C84_5F8B_BDF9_283B,
    0x1FF8_97FF_DE05_980F,
    0xEF2F_118B_5A0A_6D1F,
    0x6D36_7ECF_27CB_09B7,
    0x4F46_3F66_9E5F_EA2D,
    0x7527_BAC7_EBE5_F17B,
    0x3D07_39F7_8A52_92EA,
    0x6BFB_5FB1_1F8D_5D08,
    0x5603_3046_FC7B_6BAB,
    0xF0CF_BC20_9AF4_361D,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{self, Dd, Draw, ulps};
    use std::f64::consts::PI;

    /// The larger of the sine's and the cosine's worst error.
    fn worst(n: usize, seed: u64, arg: impl FnMut(&mut Draw) -> f64) -> (f64, f64) {
        let (e, x) = reference::worst(n, seed, arg, |x| {
            ulps(sin(x), (reference::sin(x), 0)).max(ulps(cos(x), (reference::cos(x), 0)))
        });
        (e, x.unwrap_or(f64::NAN))
    }

    #[test]
    fn error_is_below_eight_tenths_of_an_ulp() {
        // The model's arguments: 2π·u and π·x for u, x in [0, 1).
        let (e, x) = worst(100_000, 31, |d| d.between(0.0, 2.0 * PI));
        assert!(e < 0.8, "{e} ulp at {x:e}");
        // Every magnitude the reference covers, both signs, both reductions.
        let (e, x) = worst(100_000, 32, |d| {
            let m = d.magnitude(-1074, 49);
            if d.unit() < 0.5 { -m } else { m }
        });
        assert!(e < 0.8, "{e} ulp at {x:e}");
        // Near multiples of π/2, where the reduction cancels most.
        let (e, x) = worst(100_000, 33, |d| {
            let k = (d.bits() % 1_000) as f64;
            k * std::f64::consts::FRAC_PI_2 + d.between(-1e-6, 1e-6)
        });
        assert!(e < 0.8, "{e} ulp at {x:e}");
        // The doubles nearest to k · π/2 up to the end of the Cody–Waite
        // range: r is then about an ulp of x, so every part of π/2 counts.
        let (e, x) = worst(100_000, 34, |d| {
            (1 + d.bits() % 600_000) as f64 * std::f64::consts::FRAC_PI_2
        });
        assert!(e < 0.8, "{e} ulp at {x:e}");
    }

    /// Values computed with 2,000-bit arithmetic at huge arguments (the
    /// Payne–Hanek reduction), including the double closest to a multiple
    /// of π/2: (x, sin x as hi + lo, cos x as hi + lo).
    #[test]
    fn matches_high_precision_values_at_huge_arguments() {
        for (x, sh, sl, ch, cl) in [
            (
                1e22,
                -0.852_200_849_767_188_8,
                -6.780_682_589_677_328_4e-18,
                0.523_214_785_395_139,
                -4.714_320_107_657_516_4e-17,
            ),
            (
                1e300,
                -0.817_881_912_115_908_5,
                -4.781_358_374_403_26e-17,
                -0.575_386_111_957_549_1,
                2.677_076_191_878_706_8e-17,
            ),
            (
                2f64.powi(1000),
                -0.159_201_703_086_242_43,
                -8.410_182_334_689_326e-18,
                0.987_246_077_598_913_5,
                1.021_275_934_014_975e-17,
            ),
            (
                f64::MAX,
                0.004_961_954_789_184_062,
                -2.504_937_767_649_410_4e-19,
                -0.999_987_689_426_559_9,
                -2.603_289_026_721_674_8e-17,
            ),
            (
                6_381_956_970_095_103.0 * 2f64.powi(797),
                1.0,
                -1.098_476_220_074_687e-37,
                -4.687_165_924_254_628e-19,
                4.372_055_742_938_273_3e-36,
            ),
            (
                1_048_576.0,
                0.330_493_140_021_734_7,
                -1.654_339_944_266_833_5e-17,
                0.943_808_393_901_312,
                -8.729_095_955_788_883e-18,
            ),
            (
                1_048_577.5,
                0.964_822_301_126_893_2,
                -9.574_357_701_498_376e-18,
                -0.262_902_885_583_644_2,
                -1.344_977_546_329_358e-18,
            ),
            (
                123_456_789.0,
                0.990_114_751_802_035_5,
                -8.980_618_906_983_069e-18,
                0.140_259_681_533_909_64,
                -5.935_903_437_627_408e-18,
            ),
            (
                5e15,
                -0.901_711_760_523_585,
                4.753_982_212_027_478e-17,
                -0.432_337_716_297_638,
                1.784_984_903_555_77e-17,
            ),
        ] {
            for (sign, x) in [(1.0, x), (-1.0, -x)] {
                let e = ulps(
                    sin(x),
                    (
                        Dd {
                            hi: sign * sh,
                            lo: sign * sl,
                        },
                        0,
                    ),
                );
                assert!(e < 0.8, "sin({x:e}) = {:e} is {e} ulp off", sin(x));
                let e = ulps(cos(x), (Dd { hi: ch, lo: cl }, 0));
                assert!(e < 0.8, "cos({x:e}) = {:e} is {e} ulp off", cos(x));
            }
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(sin(0.0).to_bits(), 0);
        assert_eq!(sin(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(cos(0.0), 1.0);
        assert_eq!(cos(-0.0), 1.0);
        for x in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            assert!(sin(x).is_nan() && cos(x).is_nan(), "{x}");
        }
        // Tiny arguments: sin x = x, cos x = 1.
        for x in [5e-324, 1e-310, f64::MIN_POSITIVE, 1e-20, 2f64.powi(-27)] {
            assert_eq!(sin(x), x);
            assert_eq!(sin(-x), -x);
            assert_eq!(cos(x), 1.0);
        }
        assert_eq!(sin(PI / 2.0), 1.0);
        assert_eq!(cos(PI), -1.0);
    }
}
