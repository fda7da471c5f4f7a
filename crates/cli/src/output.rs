//! Writing files safely, writing to standard output and standard error
//! without panicking, and formatting numbers for people.

pub use patronfall_results::write_atomic;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output is closed or failed: later output is dropped.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Writes to standard output without ever panicking. When the reader stops
/// reading (`patronfall run | head`), the pipe breaks; the rest of the output
/// is dropped quietly and the command still finishes its work (results,
/// report) and exits with its own code. Any other write error is said once
/// on standard error.
pub fn write_stdout(args: std::fmt::Arguments) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            write_stderr(format_args!(
                "warning: cannot write to standard output ({e}); the rest of it is dropped\n"
            ));
        }
    }
}

/// Writes to standard error without ever panicking. Notes, warnings and
/// progress lines are worth less than the command's work: when standard
/// error is closed (`2>&-`) or a pipe whose reader has gone
/// (`2>&1 | head`), they are dropped and the command goes on.
pub fn write_stderr(args: std::fmt::Arguments) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `eprintln!` that never panics (see [`write_stderr`]).
macro_rules! errln {
    () => {
        $crate::output::write_stderr(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use errln;

/// `println!` that never panics (see [`write_stdout`]).
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;

/// `print!` that never panics (see [`write_stdout`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!($($arg)*))
    };
}
pub(crate) use out;

/// A count and its noun, singular for one: (1, "segment") → "1 segment",
/// (3, "course of action", "courses of action") via [`plural_of`].
pub fn plural(n: usize, noun: &str) -> String {
    plural_of(n, noun, &format!("{noun}s"))
}

/// A count with an irregular plural.
pub fn plural_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

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

/// A number with three significant digits (thousands separators from 100 up).
pub fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || v.abs() >= 100.0 {
        return value(v);
    }
    let decimals = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.decimals$}")
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
        assert_eq!(plural(1, "segment"), "1 segment");
        assert_eq!(plural(0, "segment"), "0 segments");
        assert_eq!(
            plural_of(1, "course of action", "courses of action"),
            "1 course of action"
        );
    }
}
