//! Writing files safely and formatting numbers for people.

pub use patronfall_results::write_atomic;

/// A count with thousands separators: 1840.4 → "1,840".
pub fn count(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let n = v.round() as i64;
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A value shown with a precision that suits its size.
pub fn value(v: f64) -> String {
    if v.abs() >= 100.0 {
        count(v)
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_separators() {
        assert_eq!(count(1840.4), "1,840");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1_234_567.0), "1,234,567");
        assert_eq!(count(-12_000.0), "-12,000");
        assert_eq!(value(0.1234), "0.123");
    }
}
