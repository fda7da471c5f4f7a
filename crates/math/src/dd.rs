//! Exact sums and products of two doubles, the building blocks of the
//! extra-precise steps (`powf`'s logarithm and product, the trigonometric
//! reduction).
//!
//! Rule: a sum or product of two doubles is returned as an unevaluated pair
//! `(hi, lo)` with `hi` the rounded result and `lo` its exact rounding error,
//! using only IEEE 754 addition and multiplication in round-to-nearest
//! (Knuth's TwoSum, Dekker's Fast2Sum, and Dekker's product with Veltkamp's
//! splitting). No fused multiply-add: its availability differs between CPUs,
//! which is what this crate exists to avoid.
//!
//! Sources: T. J. Dekker, "A floating-point technique for extending the
//! available precision", Numerische Mathematik 18 (1971) 224–242; D. E. Knuth,
//! *The Art of Computer Programming*, vol. 2, §4.2.2; J.-M. Muller et al.,
//! *Handbook of Floating-Point Arithmetic* (2nd ed., 2018), §4.3–4.4.

/// `a + b = hi + lo` exactly, for any finite `a`, `b` (Knuth's TwoSum).
#[inline]
pub(crate) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// `a + b = hi + lo` exactly when `a == 0` or the exponent of `a` is at
/// least that of `b` (Dekker's Fast2Sum).
#[inline]
pub(crate) fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Veltkamp's splitting of `a` into a high part of 26 bits and a low part of
/// 27 bits (both exactly representable, `a = hi + lo`). `|a|` must be below
/// 2^995 so that the scaled copy does not overflow.
#[inline]
fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    let c = SPLITTER * a;
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a · b = hi + lo` exactly (Dekker's product), for `|a|`, `|b|` below
/// 2^995 and a product whose rounding error is not below the subnormal range.
#[inline]
pub(crate) fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_carry_the_exact_rounding_error() {
        // 1 + 2^-60: the sum rounds to 1 and the pair keeps the 2^-60.
        let tiny = f64::from_bits(0x3C30_0000_0000_0000);
        assert_eq!(two_sum(1.0, tiny), (1.0, tiny));
        assert_eq!(two_sum(tiny, 1.0), (1.0, tiny));
        assert_eq!(fast_two_sum(1.0, tiny), (1.0, tiny));
        // (1 + 2^-30)² = 1 + 2^-29 + 2^-60: the last term is the error.
        let a = 1.0 + f64::from_bits(0x3E10_0000_0000_0000);
        let (p, e) = two_prod(a, a);
        assert_eq!(p, 1.0 + f64::from_bits(0x3E20_0000_0000_0000));
        assert_eq!(e, tiny);
        // (2^27 + 1)(2^27 − 1) = 2^54 − 1, which rounds to 2^54.
        let (p, e) = two_prod(134_217_729.0, 134_217_727.0);
        assert_eq!((p, e), (18_014_398_509_481_984.0, -1.0));
    }
}
