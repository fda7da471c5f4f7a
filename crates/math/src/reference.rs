//! The tests' reference: exp, ln, sin and cos in double-double arithmetic
//! (about 104 bits), by methods unlike the crate's own (Taylor series with
//! repeated squaring, Newton's iteration, plain reduction by a three-part
//! π/2), plus the helpers that measure an error in ulps and draw arguments.
//!
//! A reference value is a pair `(v, k)` meaning `v · 2^k`, so results in the
//! subnormal range keep their precision.

use crate::dd::{fast_two_sum, two_prod, two_sum};

/// A double-double `hi + lo`, `|lo| ≤ ulp(hi)/2`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dd {
    pub(crate) hi: f64,
    pub(crate) lo: f64,
}

const LN2: Dd = Dd {
    hi: std::f64::consts::LN_2,
    lo: 2.319_046_813_846_299_6e-17,
};
/// π/2 in three doubles.
const PIO2: [f64; 3] = [
    std::f64::consts::FRAC_PI_2,
    6.123_233_995_736_766e-17,
    -1.497_384_904_859_169_8e-33,
];

impl Dd {
    pub(crate) fn new(v: f64) -> Dd {
        Dd { hi: v, lo: 0.0 }
    }
    fn add(self, b: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, b.hi);
        let (hi, lo) = fast_two_sum(s, e + (self.lo + b.lo));
        Dd { hi, lo }
    }
    fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
    fn mul(self, b: Dd) -> Dd {
        let (p, e) = two_prod(self.hi, b.hi);
        let (hi, lo) = fast_two_sum(p, e + (self.hi * b.lo + self.lo * b.hi));
        Dd { hi, lo }
    }
    fn mul_f(self, b: f64) -> Dd {
        self.mul(Dd::new(b))
    }
    fn div_f(self, b: f64) -> Dd {
        let q = self.hi / b;
        let (p, e) = two_prod(q, b);
        let r = ((self.hi - p) - e + self.lo) / b;
        let (hi, lo) = fast_two_sum(q, r);
        Dd { hi, lo }
    }
    fn scale(self, k: i32) -> Dd {
        Dd {
            hi: scale2(self.hi, k),
            lo: scale2(self.lo, k),
        }
    }
}

/// e^x as `(v, k)`, `e^x = v · 2^k`, for `|x.hi| < 800`.
pub(crate) fn exp(x: Dd) -> (Dd, i32) {
    let k = (x.hi / LN2.hi).round();
    let r = x.add(LN2.mul_f(-k)).scale(-8);
    let mut sum = Dd::new(1.0);
    let mut term = Dd::new(1.0);
    for i in 1..=20 {
        term = term.mul(r).div_f(f64::from(i));
        sum = sum.add(term);
    }
    for _ in 0..8 {
        sum = sum.mul(sum);
    }
    (sum, k as i32)
}

/// ln x for positive finite `x`.
pub(crate) fn ln(x: f64) -> Dd {
    if (x - 1.0).abs() < 1.0 / 32.0 {
        // Near 1, where Newton's step would be limited by its absolute
        // precision: the series of ln(1 + d) with d = x − 1, exact.
        let d = Dd::new(x - 1.0);
        let mut sum = Dd::new(0.0);
        let mut power = Dd::new(1.0);
        for n in 1..=32 {
            power = power.mul(d);
            let term = power.div_f(f64::from(n));
            sum = sum.add(if n % 2 == 1 { term } else { term.neg() });
        }
        return sum;
    }
    let (m, k) = frexp(x);
    // Newton's step from the standard library's guess, done twice:
    // y ← y + ln(m · e^−y) with ln(1 + t) ≈ t − t²/2 + t³/3.
    let mut y = Dd::new(m.ln());
    for _ in 0..2 {
        let (e, ek) = exp(y.neg());
        let t = e.scale(ek).mul_f(m).add(Dd::new(-1.0));
        let t2 = t.mul(t);
        let corr = t.add(t2.mul_f(-0.5)).add(t2.mul(t).div_f(3.0));
        y = y.add(corr);
    }
    y.add(LN2.mul_f(f64::from(k)))
}

/// x^y as `(v, k)` for positive finite `x` and `|y · ln x| < 800`.
pub(crate) fn pow(x: f64, y: f64) -> (Dd, i32) {
    exp(ln(x).mul_f(y))
}

/// `(r, n mod 4)` with `x = n · π/2 + r`, `|r| ≤ π/4`, for `|x| < 2^50`.
fn reduce(x: f64) -> (Dd, i64) {
    let n = (x / PIO2[0]).round();
    let mut r = Dd::new(x);
    for p in PIO2 {
        let (a, b) = two_prod(n, p);
        r = r.add(Dd { hi: -a, lo: -b });
    }
    (r, (n as i64).rem_euclid(4))
}

fn sin_cos_series(r: Dd) -> (Dd, Dd) {
    let mut sin = r;
    let mut cos = Dd::new(1.0);
    let mut term = r;
    let mut i = 1.0;
    while i < 40.0 {
        term = term.mul(r).div_f(i + 1.0);
        cos = cos.add(if (i as i64) % 4 == 1 {
            term.neg()
        } else {
            term
        });
        term = term.mul(r).div_f(i + 2.0);
        sin = sin.add(if (i as i64) % 4 == 1 {
            term.neg()
        } else {
            term
        });
        i += 2.0;
    }
    (sin, cos)
}

/// sin x for `|x| < 2^50`.
pub(crate) fn sin(x: f64) -> Dd {
    let (r, n) = reduce(x);
    let (s, c) = sin_cos_series(r);
    [s, c, s.neg(), c.neg()][n as usize]
}

/// cos x for `|x| < 2^50`.
pub(crate) fn cos(x: f64) -> Dd {
    let (r, n) = reduce(x);
    let (s, c) = sin_cos_series(r);
    [c, s.neg(), c.neg(), s][n as usize]
}

/// `x = m · 2^k` with `1 ≤ m < 2`, for positive finite `x`.
fn frexp(x: f64) -> (f64, i32) {
    let (x, bias) = if x < f64::MIN_POSITIVE {
        (x * 2f64.powi(64), 64)
    } else {
        (x, 0)
    };
    let k = ((x.to_bits() >> 52) as i32) - 1023;
    let m = f64::from_bits((x.to_bits() & ((1 << 52) - 1)) | (1023 << 52));
    (m, k - bias)
}

/// The error of `got` against the reference `v · 2^k`, in ulps of the
/// exact result (the ulp of a subnormal result is 2^-1074).
pub(crate) fn ulps(got: f64, (v, k): (Dd, i32)) -> f64 {
    let exact_exponent = frexp(v.hi.abs()).1 + k;
    let ulp_exponent = (exact_exponent - 52).max(-1074);
    // got · 2^-k is exact: k is small, or got is a tiny number scaled up.
    let diff = Dd::new(scale2(got, -k)).add(v.neg());
    scale2(diff.hi.abs(), k - ulp_exponent)
}

/// `x · 2^k`, in two steps so that neither factor overflows.
fn scale2(x: f64, k: i32) -> f64 {
    let pow2 = |e: i32| f64::from_bits(((1023 + e) as u64) << 52);
    x * pow2(k / 2) * pow2(k - k / 2)
}

/// A small, fixed pseudo-random generator (SplitMix64) for drawing test
/// arguments.
pub(crate) struct Draw(u64);

impl Draw {
    pub(crate) fn new(seed: u64) -> Draw {
        Draw(seed)
    }
    pub(crate) fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 * 2f64.powi(-53)
    }
    /// Uniform in [lo, hi).
    pub(crate) fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// A positive double with a uniformly drawn exponent in [lo, hi] and a
    /// random significand.
    pub(crate) fn magnitude(&mut self, lo: i32, hi: i32) -> f64 {
        let e = lo + (self.bits() % (hi - lo + 1) as u64) as i32;
        let m = 1.0 + self.unit();
        scale2(m, e)
    }
}

/// The largest error (in ulps, with the argument where it occurs) of `err`
/// over `n` arguments drawn by `arg` from a generator seeded with `seed`.
pub(crate) fn worst<A: Copy>(
    n: usize,
    seed: u64,
    mut arg: impl FnMut(&mut Draw) -> A,
    err: impl Fn(A) -> f64,
) -> (f64, Option<A>) {
    let mut draw = Draw::new(seed);
    let mut worst = (0.0, None);
    for _ in 0..n {
        let x = arg(&mut draw);
        let e = err(x);
        if e > worst.0 || e.is_nan() {
            worst = (e, Some(x));
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference itself against values computed with 2,000-bit
    /// arithmetic.
    #[test]
    fn reference_agrees_with_high_precision_values() {
        let close = |got: Dd, hi: f64, lo: f64| {
            let d = got.add(Dd { hi: -hi, lo: -lo });
            assert!(
                d.hi.abs() <= 1e-28 * hi.abs().max(1.0),
                "{got:?} vs {hi} {lo}"
            );
        };
        let (e, k) = exp(Dd::new(1.0));
        close(e.scale(k), std::f64::consts::E, 1.445_646_891_729_250_2e-16);
        let (e, k) = exp(Dd::new(-1.0));
        close(
            e.scale(k),
            0.367_879_441_171_442_33,
            -1.242_875_367_278_836_3e-17,
        );
        close(
            ln(10.0),
            std::f64::consts::LN_10,
            -2.170_756_223_382_249_4e-16,
        );
        close(
            ln(0.996),
            -0.004_008_021_397_538_822,
            -1.096_018_728_636_536e-19,
        );
        close(
            sin(1_048_577.5),
            0.964_822_301_126_893_2,
            -9.574_357_701_498_376e-18,
        );
        close(
            cos(123_456_789.0),
            0.140_259_681_533_909_64,
            -5.935_903_437_627_408e-18,
        );
        let (p, k) = pow(0.3, 1.7);
        close(
            p.scale(k),
            0.129_153_486_074_980_26,
            9.990_474_601_818_6e-18,
        );
    }
}
