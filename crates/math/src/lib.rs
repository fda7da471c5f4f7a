//! Deterministic elementary functions: [`exp`], [`ln`], [`powf`], [`sin`]
//! and [`cos`] of `f64`, in pure Rust, giving the same bits on every
//! machine.
//!
//! Why: the standard library's `f64::exp`, `ln`, `powf`, `sin` and `cos`
//! call the system math library, whose results may differ in the last bit
//! between versions, operating systems and even CPUs of one kind (glibc on
//! x86-64 picks variants that use fused multiply-add when the CPU has it).
//! A run's results must depend only on the scenario, the seed and the
//! version, so every function that can reach a result file is taken from
//! here instead. `crates/math/tests/tidy.rs` holds the result-producing
//! crates to that.
//!
//! How: each function reduces its argument and evaluates a polynomial with
//! nothing but IEEE 754 operations whose results the standard fixes to the
//! bit — addition, subtraction, multiplication, division, comparisons,
//! `floor`, conversions and bit manipulation — in a fixed order. No fused
//! multiply-add (`mul_add` would be a library call on CPUs without it and a
//! single rounding on CPUs with it), no lookup of CPU features, no
//! `unsafe`. Where more than a double's precision is needed it comes from
//! exact sums and products of doubles, carried as pairs.
//!
//! | function | method | error (ulps, all finite arguments) |
//! |---|---|---|
//! | [`exp`] | Tang 1989, 128-entry table | < 0.52 (normal results), < 1 (subnormal) |
//! | [`ln`] | Tang 1990, 129-entry table | < 0.52 |
//! | [`powf`] | `e^(y·ln x)` with a double-double logarithm and product | < 0.6 (normal results), < 1 (subnormal) |
//! | [`sin`], [`cos`] | Cody–Waite / Payne–Hanek reduction, Taylor kernels | < 0.8 |
//!
//! The bounds come from each module's error analysis and are checked by the
//! tests against an independent double-double reference (about 100 bits)
//! over random arguments spread across the whole domain, and against
//! values computed with 300-bit arithmetic. The results are faithful, not
//! always correctly rounded, so they may differ in the last bit from the
//! system library's; what they promise is to be the same everywhere.
//!
//! Special values (zeros, subnormals, infinities, NaN, overflow and
//! underflow) behave as IEEE 754-2019 §9.2 and C's Annex F specify; each
//! module lists its own.
//!
//! ```
//! use patronfall_math::{exp, ln, powf};
//! assert_eq!(exp(0.0), 1.0);
//! assert_eq!(ln(1.0), 0.0);
//! assert_eq!(powf(2.0, 10.0), 1024.0);
//! assert!((exp(1.0) - std::f64::consts::E).abs() <= f64::EPSILON);
//! ```

#![forbid(unsafe_code)]

mod dd;
mod exp;
mod log;
mod pow;
#[cfg(test)]
mod reference;
mod trig;

pub use exp::exp;
pub use log::ln;
pub use pow::powf;
pub use trig::{cos, sin};
