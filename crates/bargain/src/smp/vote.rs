//! Step 3 of the SMP (bargaining brief §1.3): an actor's vote between two
//! options, a function of its weight w > 0 and its utility difference
//! Δ = u_a − u_b, under the chosen `VotingRule`. Positive votes favour a.

use crate::params::VotingRule;

/// Utility difference treated as a full binary response (KTAB's sTol).
const BINARY_STEP: f64 = 1e-8;

/// The vote of an actor with weight `w` for option a (utility `ua`) over
/// option b (utility `ub`).
#[inline(always)]
pub fn vote(rule: VotingRule, w: f64, ua: f64, ub: f64) -> f64 {
    let du = ua - ub;
    let binary = (du / BINARY_STEP).clamp(-1.0, 1.0);
    match rule {
        VotingRule::Binary => w * binary,
        VotingRule::PropBin => w * (0.8 * du + 0.2 * binary),
        VotingRule::Prop => w * du,
        VotingRule::PropCbc => w * (0.5 * du + 0.5 * du * du * du),
        VotingRule::Cubic => w * du * du * du,
        VotingRule::ASymProsp => {
            if du < 0.0 {
                w * du
            } else {
                2.0 * w * du / 3.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_their_formulas() {
        assert!((vote(VotingRule::Prop, 2.0, 0.7, 0.2) - 1.0).abs() < 1e-15);
        assert!((vote(VotingRule::PropCbc, 1.0, 0.5, 0.0) - (0.25 + 0.0625)).abs() < 1e-15);
        assert_eq!(vote(VotingRule::Binary, 3.0, 0.5, 0.1), 3.0);
        assert_eq!(vote(VotingRule::Binary, 3.0, 0.1, 0.5), -3.0);
        assert!((vote(VotingRule::PropBin, 1.0, 0.5, 0.0) - 0.6).abs() < 1e-15);
        assert!((vote(VotingRule::Cubic, 1.0, 0.5, 0.0) - 0.125).abs() < 1e-15);
        assert!((vote(VotingRule::ASymProsp, 3.0, 0.5, 0.0) - 1.0).abs() < 1e-15);
        assert!((vote(VotingRule::ASymProsp, 3.0, 0.0, 0.5) + 1.5).abs() < 1e-15);
    }
}
