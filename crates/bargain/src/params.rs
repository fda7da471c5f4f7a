//! The SMP's model parameters, each selectable by the name KTAB uses
//! (`VictoryProbModel`, `PCEModel`, `StateTransitions`, `VotingRule`,
//! `BigRAdjust`, `BigRRange`, `ThirdPartyCommit`, `InterVecBrgn`,
//! `BargnModel`), with KTAB's defaults (bargaining brief §1.3, "Defaults").
//! Three stopping-rule numbers (`MinIter`, `MaxIter`, `MinDeltaRatio`) are
//! exposed too; KTAB fixes them at 2, 100 and 0.02 in `configExec`.

use crate::error::ParamError;
use std::fmt;

/// Defines a parameter enum whose variants are written with KTAB's names.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in KTAB's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name KTAB uses for this value.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses KTAB's name (case-insensitive).
            pub fn from_name(text: &str) -> Option<Self> {
                let t = text.trim();
                Self::ALL.iter().copied().find(|v| v.name().eq_ignore_ascii_case(t))
            }

            /// KTAB's names, comma-separated, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

named_enum!(
    /// `VictoryProbModel`: how coalition strengths become a victory
    /// probability, P[a≻b] = C_ab^ν / (C_ab^ν + C_ba^ν).
    VictoryProbModel {
        /// ν = 1 (default).
        Linear = "Linear",
        /// ν = 2.
        Square = "Square",
        /// ν = 4.
        Quartic = "Quartic",
        /// ν = 8.
        Octic = "Octic",
        /// A 10 % advantage wins outright; linear in between.
        Binary = "Binary",
    }
);

named_enum!(
    /// `PCEModel`: how pairwise victory probabilities become a distribution
    /// over options (probabilistic Condorcet election).
    PceModel {
        /// p_a ∝ Π_b P[a≻b] (default).
        Conditional = "Conditional",
        /// Markov chain with challenge rates proportional to C·P.
        MarkovIncentive = "MarkovIncentive",
        /// Markov chain with uniform challenges.
        MarkovUniform = "MarkovUniform",
    }
);

named_enum!(
    /// `StateTransitions`: how each actor picks among its bargains.
    StateTransitions {
        /// The most probable bargain (default).
        Deterministic = "Deterministic",
        /// A draw from the bargain distribution, with the run's seed.
        Stochastic = "Stochastic",
    }
);

named_enum!(
    /// `VotingRule`: an actor's vote as a function of its utility difference.
    VotingRule {
        /// w·clip(Δ/1e-8, −1, 1).
        Binary = "Binary",
        /// w·(0.8Δ + 0.2·binary).
        PropBin = "PropBin",
        /// w·Δ (default).
        Prop = "Prop",
        /// w·(0.5Δ + 0.5Δ³).
        PropCbc = "PropCbc",
        /// w·Δ³.
        Cubic = "Cubic",
        /// w·Δ for losses, (2/3)·w·Δ for gains.
        ASymProsp = "ASymProsp",
    }
);

named_enum!(
    /// `BigRRange`: the range of risk attitudes inferred from probabilities.
    BigRRange {
        /// R ∈ [0, 1].
        Min = "Min",
        /// R ∈ [−½, 1] (default).
        Mid = "Mid",
        /// R ∈ [−1, 1].
        Max = "Max",
    }
);

named_enum!(
    /// `BigRAdjust`: how actor h estimates actor i's risk attitude.
    BigRAdjust {
        /// r^h_i = R_h.
        None = "None",
        /// r^h_i = (2R_h + R_i)/3 (default).
        OneThird = "OneThird",
        /// r^h_i = (R_h + R_i)/2.
        Half = "Half",
        /// r^h_i = (R_h + 2R_i)/3.
        TwoThirds = "TwoThirds",
        /// r^h_i = R_i.
        Full = "Full",
    }
);

named_enum!(
    /// `ThirdPartyCommit`: what a third party expects to hold after joining a side.
    ThirdPartyCommit {
        /// It keeps its own position whatever happens.
        NoCommit = "NoCommit",
        /// It adopts the winner's position only if its side loses (default).
        SemiCommit = "SemiCommit",
        /// It adopts the winning position either way.
        FullCommit = "FullCommit",
    }
);

named_enum!(
    /// `InterVecBrgn`: how a bargain point is interpolated between two positions.
    InterVecBrgn {
        /// Weights s·p.
        S1P1 = "S1P1",
        /// Weights s²·p² (default).
        S2P2 = "S2P2",
        /// Only the weaker side moves, by the probability gap.
        S2PMax = "S2PMax",
    }
);

named_enum!(
    /// `BargnModel`: whose estimates form the proposed bargains.
    BargnModel {
        /// Only the initiator's estimate; both get the same bargain (default).
        InitOnlyInterp = "InitOnlyInterp",
        /// The initiator's and the receiver's estimates: two bargains.
        InitRcvrInterp = "InitRcvrInterp",
        /// A capability×salience-weighted average of the two.
        PWCompInterp = "PWCompInterp",
    }
);

/// All SMP parameters. `Default` gives KTAB's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpParams {
    /// `VictoryProbModel`.
    pub victory_prob_model: VictoryProbModel,
    /// `PCEModel`.
    pub pce_model: PceModel,
    /// `StateTransitions`.
    pub state_transitions: StateTransitions,
    /// `VotingRule`.
    pub voting_rule: VotingRule,
    /// `BigRAdjust`.
    pub big_r_adjust: BigRAdjust,
    /// `BigRRange`.
    pub big_r_range: BigRRange,
    /// `ThirdPartyCommit`.
    pub third_party_commit: ThirdPartyCommit,
    /// `InterVecBrgn`.
    pub inter_vec_brgn: InterVecBrgn,
    /// `BargnModel`.
    pub bargn_model: BargnModel,
    /// `MinIter`: turns before the quiet test may stop the run (KTAB: 2).
    pub min_iter: usize,
    /// `MaxIter`: hard limit on turns (KTAB: 100).
    pub max_iter: usize,
    /// `MinDeltaRatio`: stop when a turn's movement is below this fraction
    /// of the first turn's (KTAB: 0.02).
    pub min_delta_ratio: f64,
}

impl Default for SmpParams {
    fn default() -> Self {
        SmpParams {
            victory_prob_model: VictoryProbModel::Linear,
            pce_model: PceModel::Conditional,
            state_transitions: StateTransitions::Deterministic,
            voting_rule: VotingRule::Prop,
            big_r_adjust: BigRAdjust::OneThird,
            big_r_range: BigRRange::Mid,
            third_party_commit: ThirdPartyCommit::SemiCommit,
            inter_vec_brgn: InterVecBrgn::S2P2,
            bargn_model: BargnModel::InitOnlyInterp,
            min_iter: 2,
            max_iter: 100,
            min_delta_ratio: 0.02,
        }
    }
}

/// The parameter names `SmpParams::set` accepts, in KTAB's order.
pub const PARAMETER_NAMES: &[&str] = &[
    "VictoryProbModel",
    "PCEModel",
    "StateTransitions",
    "VotingRule",
    "BigRAdjust",
    "BigRRange",
    "ThirdPartyCommit",
    "InterVecBrgn",
    "BargnModel",
    "MinIter",
    "MaxIter",
    "MinDeltaRatio",
];

fn choice<T>(name: &str, value: &str, parsed: Option<T>, allowed: String) -> Result<T, ParamError> {
    parsed.ok_or_else(|| ParamError::NotAChoice {
        name: name.to_string(),
        value: value.to_string(),
        allowed,
    })
}

impl SmpParams {
    /// Sets one parameter from KTAB's name and value text, e.g.
    /// `set("VotingRule", "PropCbc")`. Names are case-insensitive.
    /// The error says which names or values are allowed.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ParamError> {
        let key = name.trim();
        let v = value.trim();
        let is = |k: &str| key.eq_ignore_ascii_case(k);
        if is("VictoryProbModel") || is("VPModel") {
            self.victory_prob_model = choice(
                key,
                v,
                VictoryProbModel::from_name(v),
                VictoryProbModel::names(),
            )?;
        } else if is("PCEModel") {
            self.pce_model = choice(key, v, PceModel::from_name(v), PceModel::names())?;
        } else if is("StateTransitions") {
            self.state_transitions = choice(
                key,
                v,
                StateTransitions::from_name(v),
                StateTransitions::names(),
            )?;
        } else if is("VotingRule") {
            self.voting_rule = choice(key, v, VotingRule::from_name(v), VotingRule::names())?;
        } else if is("BigRAdjust") {
            self.big_r_adjust = choice(key, v, BigRAdjust::from_name(v), BigRAdjust::names())?;
        } else if is("BigRRange") {
            self.big_r_range = choice(key, v, BigRRange::from_name(v), BigRRange::names())?;
        } else if is("ThirdPartyCommit") {
            self.third_party_commit = choice(
                key,
                v,
                ThirdPartyCommit::from_name(v),
                ThirdPartyCommit::names(),
            )?;
        } else if is("InterVecBrgn") {
            self.inter_vec_brgn =
                choice(key, v, InterVecBrgn::from_name(v), InterVecBrgn::names())?;
        } else if is("BargnModel") {
            self.bargn_model = choice(key, v, BargnModel::from_name(v), BargnModel::names())?;
        } else if is("MinIter") || is("MaxIter") {
            let n: usize = v.parse().map_err(|_| ParamError::NotANumber {
                name: key.to_string(),
                expected: "a whole number of turns",
                value: v.to_string(),
            })?;
            if n == 0 || n > 10_000 {
                return Err(ParamError::OutOfRange {
                    name: key.to_string(),
                    range: "be between 1 and 10000 turns",
                    value: n.to_string(),
                });
            }
            if is("MinIter") {
                self.min_iter = n;
            } else {
                self.max_iter = n;
            }
        } else if is("MinDeltaRatio") {
            let x: f64 = v.parse().map_err(|_| ParamError::NotANumber {
                name: key.to_string(),
                expected: "a number",
                value: v.to_string(),
            })?;
            if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
                return Err(ParamError::OutOfRange {
                    name: key.to_string(),
                    range: "lie in [0, 1]",
                    value: v.to_string(),
                });
            }
            self.min_delta_ratio = x;
        } else {
            return Err(ParamError::UnknownName {
                what: "parameter",
                plural: "parameters",
                name: key.to_string(),
                known: PARAMETER_NAMES.join(", "),
            });
        }
        Ok(())
    }

    /// Every parameter as (KTAB name, value text), in KTAB's order.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        vec![
            ("VictoryProbModel", self.victory_prob_model.to_string()),
            ("PCEModel", self.pce_model.to_string()),
            ("StateTransitions", self.state_transitions.to_string()),
            ("VotingRule", self.voting_rule.to_string()),
            ("BigRAdjust", self.big_r_adjust.to_string()),
            ("BigRRange", self.big_r_range.to_string()),
            ("ThirdPartyCommit", self.third_party_commit.to_string()),
            ("InterVecBrgn", self.inter_vec_brgn.to_string()),
            ("BargnModel", self.bargn_model.to_string()),
            ("MinIter", self.min_iter.to_string()),
            ("MaxIter", self.max_iter.to_string()),
            ("MinDeltaRatio", self.min_delta_ratio.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_ktabs() {
        let p = SmpParams::default();
        let names: Vec<String> = p.entries().iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(
            &names[..9],
            &[
                "Linear",
                "Conditional",
                "Deterministic",
                "Prop",
                "OneThird",
                "Mid",
                "SemiCommit",
                "S2P2",
                "InitOnlyInterp"
            ]
        );
    }

    #[test]
    fn set_by_ktab_name_and_reject_unknown() {
        let mut p = SmpParams::default();
        p.set("VotingRule", "PropCbc").unwrap();
        p.set("pcemodel", "MarkovIncentive").unwrap();
        p.set("StateTransitions", "Stochastic").unwrap();
        assert_eq!(p.voting_rule, VotingRule::PropCbc);
        assert_eq!(p.pce_model, PceModel::MarkovIncentive);
        assert_eq!(p.state_transitions, StateTransitions::Stochastic);
        let e = p.set("VotingRule", "Loud").unwrap_err();
        assert!(matches!(e, ParamError::NotAChoice { .. }), "{e:?}");
        assert!(e.to_string().contains("PropCbc"), "{e}");
        let e = p.set("Colour", "Red").unwrap_err();
        assert!(matches!(e, ParamError::UnknownName { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with("unknown parameter 'Colour'; the parameters are: VictoryProbModel, "),
            "{e}"
        );
        let e = p.set("MaxIter", "0").unwrap_err();
        assert_eq!(
            e.to_string(),
            "MaxIter must be between 1 and 10000 turns, not 0"
        );
        let e = p.set("MaxIter", "many").unwrap_err();
        assert_eq!(
            e.to_string(),
            "MaxIter must be a whole number of turns, not 'many'"
        );
        let e = p.set("MinDeltaRatio", "2").unwrap_err();
        assert!(matches!(e, ParamError::OutOfRange { .. }), "{e:?}");
        assert_eq!(e.to_string(), "MinDeltaRatio must lie in [0, 1], not 2");
    }
}
