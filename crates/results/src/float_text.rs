//! Floats as text for `runs.csv`: the same characters as Rust's `Display`
//! (shortest round-trip digits, plain decimal notation, never an exponent),
//! produced faster.
//!
//! Why: `runs.csv` holds about 450 floats per experiment, and formatting
//! them through `core::fmt` was 2.6% of all the instructions of an ensemble
//! (docs/performance.md). The `ryu` crate finds the same shortest digits
//! several times faster but prints large and small magnitudes with an
//! exponent (`1e-7`, `1.234e16`) and whole numbers with `.0`; this module
//! rewrites its output into `Display`'s form, so the file's bytes do not
//! change. The tests hold it to `format!("{v}")`.
//!
//! One case differs in the digits themselves: when the value lies exactly
//! halfway between the two closest shortest candidates, `ryu` and
//! `core::fmt` may pick different ones (`1180805929535088.25` prints
//! `…088.2` through `ryu` and `…088.3` through `core::fmt`). Such a tie
//! needs a value whose exact decimal expansion has at most 18 significant
//! digits; [`may_tie`] finds every such value cheaply from its bits, and
//! those go through `core::fmt`.

/// Appends the `Display` text of a finite `v` to `out`.
///
/// A value that is not finite is the caller's to handle (`runs.csv` leaves
/// its field empty); here it would print some unspecified number.
pub fn push_display(out: &mut Vec<u8>, v: f64) {
    if may_tie(v) {
        use std::io::Write as _;
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{v}");
        return;
    }
    // A `ryu::Buffer` is an uninitialised array on the stack: free to make.
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(v).as_bytes();
    // `ryu` puts an exponent (`e16`, `e-7`, `e-308`) only at the end, so it
    // is within the last five bytes; most values have none.
    let tail = text.len().saturating_sub(5);
    let Some(e) = text[tail..].iter().position(|&c| c == b'e') else {
        // Plain notation: the text of `Display`, except that whole numbers
        // end in `.0`.
        out.extend_from_slice(text.strip_suffix(b".0").unwrap_or(text));
        return;
    };
    let (mantissa, exponent) = (&text[..tail + e], parse_exponent(&text[tail + e + 1..]));
    let (negative, mantissa) = match mantissa.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, mantissa),
    };
    if negative {
        out.push(b'-');
    }
    // With an exponent the mantissa is `d` or `d.ddd`: its digits without
    // the point, and the point's place counted from the first digit.
    let (int, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(p) => (&mantissa[..p], &mantissa[p + 1..]),
        None => (mantissa, &[][..]),
    };
    let count = int.len() + frac.len();
    let point = int.len() as i64 + exponent;
    if point <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-point) as usize));
        out.extend_from_slice(int);
        out.extend_from_slice(frac);
    } else if point as usize >= count {
        out.extend_from_slice(int);
        out.extend_from_slice(frac);
        out.extend(std::iter::repeat_n(b'0', point as usize - count));
    } else {
        // The point falls inside the fraction (the integer part is one digit).
        let inside = point as usize - int.len();
        out.extend_from_slice(int);
        out.extend_from_slice(&frac[..inside]);
        out.push(b'.');
        out.extend_from_slice(&frac[inside..]);
    }
}

/// log10(5).
const LOG10_5: f64 = 0.698_970_004_336_018_9;

/// Whether a finite `v` could lie exactly halfway between two shortest
/// round-trip candidates (conservative: `true` for some values that do not).
///
/// `v = m·2^q` with m odd. A tie between k-digit candidates (k ≤ 17, the most
/// a shortest round-trip text needs) puts the exact value at k + 1
/// significant digits, so at most 18. For q < 0 the exact expansion of
/// `m·2^q = m·5^(−q)/10^(−q)` has as many significant digits as `m·5^(−q)`,
/// at least `1 + ⌊(bits(m) − 1)·log10 2 + (−q)·log10 5⌋`; when that bound
/// passes 18 no tie is possible. For q ≥ 0 the value is a whole number: below
/// 2^53 its spacing is at most 1 and it is its own shortest text, so no tie.
fn may_tie(v: f64) -> bool {
    let bits = v.to_bits();
    let exponent_bits = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mut m, mut q) = if exponent_bits == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exponent_bits - 1075)
    };
    if m == 0 {
        return false;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    q += i64::from(zeros);
    if q >= 0 {
        // m < 2^53, so v < 2^53 exactly when m·2^q fits in 53 bits.
        return q + i64::from(64 - m.leading_zeros()) > 53;
    }
    let bits_m = f64::from(64 - m.leading_zeros());
    // Lower bound on log10(m·5^(−q)), with a margin for rounding.
    let log10 = (bits_m - 1.0) * std::f64::consts::LOG10_2 + (-q) as f64 * LOG10_5;
    log10 < 18.0 + 1e-6
}

/// The exponent after `e`: an optional sign and decimal digits.
fn parse_exponent(text: &[u8]) -> i64 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let value = digits
        .iter()
        .fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'));
    if negative { -value } else { value }
}

#[cfg(test)]
mod tests {
    use super::push_display;
    use proptest::prelude::*;

    fn text(v: f64) -> String {
        let mut out = Vec::new();
        push_display(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn matches_display_on_the_awkward_cases() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.5,
            123456.0,
            1e15,
            1e16,
            1.234e16,
            12345678901234567.0,
            1e21,
            1e22,
            1e-5,
            1e-7,
            -1.5e-7,
            2.5e-300,
            5e-324,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            std::f64::consts::PI,
            0.30000000000000004,
            9007199254740993.0,
            4.35e-3,
            // Exact ties between two shortest candidates.
            4_723_223_718_140_353.0 / 4.0,
            -4_723_223_718_140_353.0 / 4.0,
            2f64.powi(56) + 48.0,
            0.375,
        ];
        for v in cases {
            assert_eq!(text(v), format!("{v}"), "for {v:e}");
        }
    }

    #[test]
    fn may_tie_holds_for_the_known_tie_and_not_for_model_values() {
        assert!(super::may_tie(4_723_223_718_140_353.0 / 4.0));
        assert!(!super::may_tie(0.1));
        assert!(!super::may_tie(1234.5678));
        assert!(!super::may_tie(3.0));
        assert!(super::may_tie(2f64.powi(60)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Any finite bit pattern: every exponent and mantissa.
        #[test]
        fn matches_display_on_any_finite_float(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assume!(v.is_finite());
            prop_assert_eq!(text(v), format!("{v}"));
        }

        /// Values of the size the model writes (shares, fighters, people).
        #[test]
        fn matches_display_on_model_sized_values(v in -1e7f64..1e7) {
            prop_assert_eq!(text(v), format!("{v}"));
        }
    }
}
