//! Quantities: a figure that is either known or uncertain.
//!
//! Every number in a scenario may be written as a plain number (known), as a
//! two-element array `[low, high]` (uncertain, uniform between the two), or as
//! a table naming a distribution and optionally the source it comes from:
//!
//! ```toml
//! fighters = 7500
//! fighters = [5000, 10000]
//! fighters = { dist = "triangular", low = 5000, mode = 7500, high = 10000, source = "S4" }
//! floor = { dist = "beta", alpha = 2, beta = 5 }            # on [0, 1] unless low/high given
//! sd = { dist = "normal", mean = 0.12, sd = 0.02 }           # clamped to the field's range
//! shock_day = { dist = "discrete", values = [1, 7, 30], weights = [1, 1, 1] }
//! capacity = { value = 0.9, source = "S61" }
//! ```
//!
//! An uncertain figure has a nominal value (used by a single run: the middle
//! of a range, the mode, the mean, or the most likely discrete value) and is
//! sampled by the ensemble through its inverse cumulative distribution.

use schemars::JsonSchema;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// A distribution over one figure.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Uniform on [low, high].
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Triangular on [low, high] with the given mode.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal with mean and standard deviation (clamped to the field's range when sampled).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Beta(alpha, beta) scaled to [low, high].
    Beta {
        /// First shape parameter.
        alpha: f64,
        /// Second shape parameter.
        beta: f64,
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// A finite set of values with weights.
    Discrete {
        /// The values.
        values: Vec<f64>,
        /// Their relative weights.
        weights: Vec<f64>,
    },
}

impl Dist {
    /// The name used in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::Normal { .. } => "normal",
            Dist::Beta { .. } => "beta",
            Dist::Discrete { .. } => "discrete",
        }
    }

    /// The value a single run uses.
    pub fn nominal(&self) -> f64 {
        match self {
            Dist::Uniform { low, high } => 0.5 * (low + high),
            Dist::Triangular { mode, .. } => *mode,
            Dist::Normal { mean, .. } => *mean,
            Dist::Beta {
                alpha,
                beta,
                low,
                high,
            } => low + (high - low) * alpha / (alpha + beta),
            Dist::Discrete { values, weights } => {
                let mut best = 0;
                for (i, w) in weights.iter().enumerate() {
                    if *w > weights[best] {
                        best = i;
                    }
                }
                values[best]
            }
        }
    }

    /// Smallest and largest value the distribution can give (normal: ±4 sd).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Uniform { low, high }
            | Dist::Triangular { low, high, .. }
            | Dist::Beta { low, high, .. } => (*low, *high),
            Dist::Normal { mean, sd } => (mean - 4.0 * sd, mean + 4.0 * sd),
            Dist::Discrete { values, .. } => (
                values.iter().copied().fold(f64::INFINITY, f64::min),
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ),
        }
    }

    /// The value at cumulative probability `u` in [0, 1) (inverse CDF), so
    /// any design on the unit hypercube maps onto the distribution.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0 - 1e-12);
        match self {
            Dist::Uniform { low, high } => low + (high - low) * u,
            Dist::Triangular { low, mode, high } => {
                let (a, c, b) = (*low, *mode, *high);
                if b <= a {
                    return a;
                }
                let fc = (c - a) / (b - a);
                if u < fc {
                    a + ((b - a) * (c - a) * u).sqrt()
                } else {
                    b - ((b - a) * (b - c) * (1.0 - u)).sqrt()
                }
            }
            Dist::Normal { mean, sd } => mean + sd * normal_quantile(u),
            Dist::Beta {
                alpha,
                beta,
                low,
                high,
            } => low + (high - low) * beta_quantile(u, *alpha, *beta),
            Dist::Discrete { values, weights } => {
                let total: f64 = weights.iter().sum();
                let mut acc = 0.0;
                for (v, w) in values.iter().zip(weights) {
                    acc += w / total;
                    if u < acc {
                        return *v;
                    }
                }
                *values.last().unwrap_or(&0.0)
            }
        }
    }
}

/// Inverse of the standard normal CDF (Acklam's rational approximation,
/// relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let plow = 0.02425;
    if p < plow {
        let q = (-2.0 * patronfall_math::ln(p)).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - plow {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * patronfall_math::ln(1.0 - p)).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// The regularised incomplete beta function I_x(a, b), by Lentz's continued
/// fraction (Numerical Recipes §6.4 form).
fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b)
        + a * patronfall_math::ln(x)
        + b * patronfall_math::ln(1.0 - x);
    let front = patronfall_math::exp(ln_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(x, a, b) / a
    } else {
        1.0 - front * beta_cf(1.0 - x, b, a) / b
    }
}

fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

/// ln Γ(x) by the Lanczos approximation (g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.5203681218851,
        -1259.1392167224028,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507343278686905,
        -0.13857109526572012,
        9.984_369_578_019_572e-6,
        1.5056327351493116e-7,
    ];
    if x < 0.5 {
        patronfall_math::ln(std::f64::consts::PI)
            - patronfall_math::ln(patronfall_math::sin(std::f64::consts::PI * x))
            - ln_gamma(1.0 - x)
    } else {
        let x = x - 1.0;
        let mut a = G[0];
        let t = x + 7.5;
        for (i, g) in G.iter().enumerate().skip(1) {
            a += g / (x + i as f64);
        }
        0.5 * patronfall_math::ln(2.0 * std::f64::consts::PI) + (x + 0.5) * patronfall_math::ln(t)
            - t
            + patronfall_math::ln(a)
    }
}

/// Inverse of the regularised incomplete beta function, by bisection (60 halvings).
fn beta_quantile(u: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if incomplete_beta(mid, a, b) < u {
            lo = mid
        } else {
            hi = mid
        }
    }
    0.5 * (lo + hi)
}

/// A figure as written: known or uncertain, maybe citing a source.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// Known value, or `None` when uncertain.
    pub value: Option<f64>,
    /// The distribution when uncertain.
    pub dist: Option<Dist>,
    /// The source key cited for this figure, if any.
    pub source: Option<String>,
}

impl Quantity {
    /// A known value.
    pub fn known(v: f64) -> Self {
        Quantity {
            value: Some(v),
            dist: None,
            source: None,
        }
    }

    /// The value a single run uses.
    pub fn nominal(&self) -> f64 {
        match (&self.value, &self.dist) {
            (Some(v), _) => *v,
            (None, Some(d)) => d.nominal(),
            (None, None) => f64::NAN,
        }
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QuantityVisitor)
    }
}

struct QuantityVisitor;

const TABLE_KEYS: &[&str] = &[
    "value", "dist", "low", "high", "mode", "mean", "sd", "alpha", "beta", "values", "weights",
    "source",
];

impl<'de> Visitor<'de> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, a range [low, high], or a table such as { dist = \"triangular\", low = 1, mode = 2, high = 3 }")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        Ok(Quantity::known(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Ok(Quantity::known(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        Ok(Quantity::known(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Quantity, A::Error> {
        let low: f64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("a range needs two numbers: [low, high]"))?;
        let high: f64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("a range needs two numbers: [low, high]"))?;
        if seq.next_element::<f64>()?.is_some() {
            return Err(de::Error::custom(
                "a range has exactly two numbers: [low, high]; for a set of values use { dist = \"discrete\", values = [...] }",
            ));
        }
        Ok(Quantity {
            value: None,
            dist: Some(Dist::Uniform { low, high }),
            source: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Quantity, A::Error> {
        let mut nums: std::collections::BTreeMap<String, f64> = Default::default();
        let mut dist: Option<String> = None;
        let mut source = None;
        let mut values = None;
        let mut weights = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "dist" => dist = Some(map.next_value()?),
                "source" => source = Some(map.next_value()?),
                "values" => values = Some(map.next_value::<Vec<f64>>()?),
                "weights" => weights = Some(map.next_value::<Vec<f64>>()?),
                k if TABLE_KEYS.contains(&k) => {
                    nums.insert(key.clone(), map.next_value()?);
                }
                other => return Err(de::Error::unknown_field(other, TABLE_KEYS)),
            }
        }
        let need = |k: &str, d: &str| {
            nums.get(k)
                .copied()
                .ok_or_else(|| de::Error::custom(format!("a {d} distribution needs `{k}`")))
        };
        let allow = |allowed: &[&str], d: &str| -> Result<(), A::Error> {
            for k in nums.keys() {
                if !allowed.contains(&k.as_str()) {
                    return Err(de::Error::custom(format!(
                        "`{k}` does not belong to a {d} distribution (it takes {})",
                        allowed.join(", ")
                    )));
                }
            }
            Ok(())
        };
        let d = match dist.as_deref() {
            None => {
                if values.is_some() || weights.is_some() {
                    return Err(de::Error::custom(
                        "`values` and `weights` need dist = \"discrete\"",
                    ));
                }
                if let Some(v) = nums.get("value") {
                    allow(&["value"], "known")?;
                    return Ok(Quantity {
                        value: Some(*v),
                        dist: None,
                        source,
                    });
                }
                if nums.contains_key("low") || nums.contains_key("high") {
                    allow(&["low", "high"], "uniform")?;
                    Dist::Uniform {
                        low: need("low", "uniform")?,
                        high: need("high", "uniform")?,
                    }
                } else {
                    return Err(de::Error::custom(
                        "give `value = ...` for a known figure, or `dist` (uniform, triangular, normal, beta, discrete) for an uncertain one",
                    ));
                }
            }
            Some("uniform") => {
                allow(&["low", "high"], "uniform")?;
                Dist::Uniform {
                    low: need("low", "uniform")?,
                    high: need("high", "uniform")?,
                }
            }
            Some("triangular") => {
                allow(&["low", "mode", "high"], "triangular")?;
                Dist::Triangular {
                    low: need("low", "triangular")?,
                    mode: need("mode", "triangular")?,
                    high: need("high", "triangular")?,
                }
            }
            Some("normal") => {
                allow(&["mean", "sd"], "normal")?;
                Dist::Normal {
                    mean: need("mean", "normal")?,
                    sd: need("sd", "normal")?,
                }
            }
            Some("beta") => {
                allow(&["alpha", "beta", "low", "high"], "beta")?;
                Dist::Beta {
                    alpha: need("alpha", "beta")?,
                    beta: need("beta", "beta")?,
                    low: nums.get("low").copied().unwrap_or(0.0),
                    high: nums.get("high").copied().unwrap_or(1.0),
                }
            }
            Some("discrete") => {
                allow(&[], "discrete")?;
                let values = values
                    .ok_or_else(|| de::Error::custom("a discrete distribution needs `values`"))?;
                let weights = weights.unwrap_or_else(|| vec![1.0; values.len()]);
                Dist::Discrete { values, weights }
            }
            Some(other) => {
                return Err(de::Error::custom(format!(
                    "unknown distribution `{other}`: use uniform, triangular, normal, beta or discrete"
                )));
            }
        };
        Ok(Quantity {
            value: None,
            dist: Some(d),
            source,
        })
    }
}

impl JsonSchema for Quantity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A figure: a number, a range [low, high] (uniform), or a table with `value` or `dist` (uniform, triangular, normal, beta, discrete) and an optional `source` key.",
            "anyOf": [
                { "type": "number" },
                { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
                { "type": "object", "properties": {
                    "value": { "type": "number" },
                    "dist": { "enum": ["uniform", "triangular", "normal", "beta", "discrete"] },
                    "low": { "type": "number" }, "high": { "type": "number" }, "mode": { "type": "number" },
                    "mean": { "type": "number" }, "sd": { "type": "number" },
                    "alpha": { "type": "number" }, "beta": { "type": "number" },
                    "values": { "type": "array", "items": { "type": "number" } },
                    "weights": { "type": "array", "items": { "type": "number" } },
                    "source": { "type": "string" }
                  }, "additionalProperties": false }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_known_cdfs() {
        assert!((normal_quantile(0.975) - 1.959964).abs() < 1e-5);
        assert!((normal_quantile(0.5)).abs() < 1e-9);
        let t = Dist::Triangular {
            low: 0.0,
            mode: 0.0,
            high: 1.0,
        };
        // CDF of this triangle is 1 - (1 - x)^2, so the median is 1 - sqrt(0.5).
        assert!((t.quantile(0.5) - (1.0 - 0.5f64.sqrt())).abs() < 1e-12);
        let b = Dist::Beta {
            alpha: 2.0,
            beta: 2.0,
            low: 0.0,
            high: 1.0,
        };
        assert!((b.quantile(0.5) - 0.5).abs() < 1e-9);
        // Beta(1, 3): CDF 1 - (1 - x)^3.
        let b = Dist::Beta {
            alpha: 1.0,
            beta: 3.0,
            low: 0.0,
            high: 1.0,
        };
        assert!((b.quantile(0.875) - 0.5).abs() < 1e-7);
        let d = Dist::Discrete {
            values: vec![1.0, 2.0, 3.0],
            weights: vec![1.0, 2.0, 1.0],
        };
        assert_eq!(d.quantile(0.1), 1.0);
        assert_eq!(d.quantile(0.5), 2.0);
        assert_eq!(d.quantile(0.9), 3.0);
        assert_eq!(d.nominal(), 2.0);
    }

    #[derive(Deserialize)]
    struct T {
        q: Quantity,
    }

    #[test]
    fn parses_every_form() {
        let f = |s: &str| toml::from_str::<T>(s).map(|t| t.q);
        assert_eq!(f("q = 3").unwrap().nominal(), 3.0);
        assert_eq!(f("q = [2, 4]").unwrap().nominal(), 3.0);
        assert_eq!(
            f("q = { dist = \"triangular\", low = 1, mode = 2, high = 5 }")
                .unwrap()
                .nominal(),
            2.0
        );
        assert_eq!(
            f("q = { value = 0.5, source = \"S1\" }")
                .unwrap()
                .source
                .as_deref(),
            Some("S1")
        );
        assert!(f("q = { dist = \"normal\", mean = 1 }").is_err());
        assert!(f("q = { dist = \"gamma\", low = 1 }").is_err());
        assert!(f("q = { valeu = 1 }").is_err());
        assert!(f("q = [1, 2, 3]").is_err());
        assert!(f("q = \"many\"").is_err());
    }
}
