//! Epstein's (2002) Rule A as plain arithmetic: grievance, estimated arrest
//! probability and the activation decision.
//!
//! G = H·(1 − L); P = 1 − exp(−k·r(C/A)) with A counting the citizen itself
//! and r the rounding of [`Ratio`]; active iff G − R·P > T. Sources: Epstein
//! (2002) PNAS 99 suppl. 3 (Model I); the rounding from NetLogo's Rebellion
//! (floor) and Mesa PR #2429 (round).

use crate::variant::Ratio;

/// Grievance G = H·(1 − L), for hardship H and legitimacy L in [0, 1].
pub fn grievance(hardship: f64, legitimacy: f64) -> f64 {
    hardship * (1.0 - legitimacy)
}

/// The cop-to-active ratio C/A after the variant's rounding. `actives`
/// already includes the citizen itself, so it is at least 1.
pub fn rounded_ratio(cops: u32, actives: u32, ratio: Ratio) -> f64 {
    let r = f64::from(cops) / f64::from(actives.max(1));
    match ratio {
        Ratio::Floor => r.floor(),
        Ratio::RoundHalfEven => r.round_ties_even(),
        Ratio::Exact => r,
    }
}

/// Estimated arrest probability P = 1 − exp(−k·r(C/A)), in [0, 1).
pub fn arrest_probability(k: f64, cops: u32, actives: u32, ratio: Ratio) -> f64 {
    1.0 - patronfall_math::exp(-k * rounded_ratio(cops, actives, ratio))
}

/// Rule A: a citizen is active iff G − R·P > T (net risk N = R·P).
pub fn is_active(grievance: f64, risk_aversion: f64, arrest_probability: f64, t: f64) -> bool {
    grievance - risk_aversion * arrest_probability > t
}

/// [`arrest_probability`] with exp(−k·n) precomputed for the integer ratios
/// that floor and round produce; identical results, no `exp` per decision.
#[derive(Debug, Clone)]
pub struct RiskTable {
    k: f64,
    ratio: Ratio,
    by_ratio: Vec<f64>,
}

impl RiskTable {
    /// A table for constant `k` and rounding `ratio`, covering ratios up to
    /// `max_cops` (a larger count falls back to the formula).
    pub fn new(k: f64, ratio: Ratio, max_cops: u32) -> Self {
        let by_ratio = match ratio {
            Ratio::Exact => Vec::new(),
            Ratio::Floor | Ratio::RoundHalfEven => (0..=max_cops)
                .map(|n| 1.0 - patronfall_math::exp(-k * f64::from(n)))
                .collect(),
        };
        RiskTable { k, ratio, by_ratio }
    }

    /// P for `cops` in view and `actives` in view (citizen included).
    #[inline]
    pub fn probability(&self, cops: u32, actives: u32) -> f64 {
        if self.ratio != Ratio::Exact {
            let n = rounded_ratio(cops, actives, self.ratio) as usize;
            if let Some(&p) = self.by_ratio.get(n) {
                return p;
            }
        }
        arrest_probability(self.k, cops, actives, self.ratio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_formula_bit_for_bit() {
        for ratio in [Ratio::Floor, Ratio::RoundHalfEven, Ratio::Exact] {
            let t = RiskTable::new(2.3, ratio, 8);
            for c in 0..20 {
                for a in 1..12 {
                    let want = arrest_probability(2.3, c, a, ratio);
                    assert_eq!(t.probability(c, a).to_bits(), want.to_bits());
                }
            }
        }
    }

    #[test]
    fn k_gives_plausible_probability_for_one_cop_one_active() {
        // Epstein's calibration: one cop, the citizen alone → P ≈ 0.9.
        let p = arrest_probability(2.3, 1, 1, Ratio::Exact);
        assert!((p - 0.899_741).abs() < 1e-6, "{p}");
    }

    #[test]
    fn floor_and_round_differ_where_documented() {
        // 1 cop, citizen plus one active: C/A = 0.5.
        assert_eq!(rounded_ratio(1, 2, Ratio::Floor), 0.0);
        assert_eq!(rounded_ratio(1, 2, Ratio::RoundHalfEven), 0.0);
        assert_eq!(rounded_ratio(1, 2, Ratio::Exact), 0.5);
        // 3 cops, 2 actives: 1.5 → floor 1, round-half-even 2.
        assert_eq!(rounded_ratio(3, 2, Ratio::Floor), 1.0);
        assert_eq!(rounded_ratio(3, 2, Ratio::RoundHalfEven), 2.0);
        // 5 cops, 2 actives: 2.5 → round-half-even 2 (Python's round).
        assert_eq!(rounded_ratio(5, 2, Ratio::RoundHalfEven), 2.0);
        // 2 cops, 3 actives: 0.67 → floor 0, round 1.
        assert_eq!(rounded_ratio(2, 3, Ratio::Floor), 0.0);
        assert_eq!(rounded_ratio(2, 3, Ratio::RoundHalfEven), 1.0);
    }

    #[test]
    fn floor_makes_risk_vanish_when_actives_outnumber_cops() {
        assert_eq!(arrest_probability(2.3, 3, 4, Ratio::Floor), 0.0);
        assert!(arrest_probability(2.3, 4, 4, Ratio::Floor) > 0.89);
    }

    #[test]
    fn decision_follows_threshold() {
        let g = grievance(0.9, 0.5);
        assert!((g - 0.45).abs() < 1e-12);
        assert!(is_active(g, 0.3, 0.0, 0.1));
        assert!(!is_active(g, 0.5, 0.9, 0.1));
        // Strictly greater than T.
        assert!(!is_active(0.35, 0.5, 0.5, 0.1));
    }
}
