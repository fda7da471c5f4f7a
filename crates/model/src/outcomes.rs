//! Outcomes: the metrics a run records each day, and futures as rules over them.
//!
//! The catalogue is fixed by the model (a scenario cannot invent formulas);
//! scenarios refer to outcomes by name in futures and trigger rules, and the
//! scenario layer rejects unknown names. Every outcome is recorded every day;
//! a [`Condition`] reduces a daily series with a [`Stat`] and compares it.

/// A scalar outcome recorded every day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Mean capacity of the patrons, in [0, 1].
    PatronCapacity,
    /// Patron influence: allegiance to the patron weighted by the effective
    /// strength of the armed groups outside state control, over the armed
    /// groups' effective strength at the start, in [0, 1].
    PatronInfluence,
    /// Fighters (listed) of groups outside state control plus unaffiliated armed newcomers.
    FightersOutsideStateControl,
    /// That figure as a share of its value on day 0.
    FightersOutsideStateControlShare,
    /// Fighters of holdout or insurgent factions.
    HoldoutFighters,
    /// Factions that are aligned with their patron.
    FactionsAligned,
    /// Factions hedging.
    FactionsHedging,
    /// Factions that keep their arms and follow no patron (count).
    FactionsAutonomous,
    /// Factions negotiating.
    FactionsNegotiating,
    /// Factions integrated.
    FactionsIntegrated,
    /// Factions holding out.
    FactionsHoldout,
    /// Factions in insurgency.
    FactionsInsurgent,
    /// Factions dissolved.
    FactionsDissolved,
    /// People who crossed into the host that day.
    Crossers,
    /// People who crossed into the host so far.
    CrossersTotal,
    /// People interdicted at the border that day.
    Interdicted,
    /// People interdicted so far.
    InterdictedTotal,
    /// People in detention.
    Detained,
    /// Armed newcomers who joined no group, so far.
    UnaffiliatedArmed,
    /// Population-weighted share of people active in unrest, in [0, 1].
    ActiveShare,
    /// Highest active share of any community, in [0, 1].
    ActiveShareMaxCommunity,
    /// Casualties so far: unrest, operations, strikes (people).
    Casualties,
    /// Population-weighted perceived legitimacy of the government, in [0, 1].
    Legitimacy,
    /// Strikes by outside powers so far.
    OutsideStrikes,
    /// Effective strength of the host's state forces (fighters).
    StateStrength,
    /// 1 while the capital holds, 0 once it has fallen.
    CapitalHeld,
    /// Fighters who deserted so far, all groups.
    Deserted,
    /// 1 once the host's leader has fled and a caretaker government took
    /// over (M7).
    LeaderFled,
    /// Listed fighters still active in the patrons' clients (armed groups a
    /// patron funds, arms or commands), as a share of their listed fighters
    /// on day 0, in [0, 1].
    ClientFightersShare,
    /// 1 once the government has fallen with its coalition (M9).
    GovernmentFell,
    /// Coups attempted against the host's leader so far (M9).
    CoupAttempts,
    /// 1 once a coup has deposed the host's leader (M9).
    LeaderDeposed,
    /// 1 once those left in power (officers after a coup, a caretaker after
    /// the leader's flight) handed the capital over: it fell politically
    /// (M7).
    CapitalHandedOver,
    /// Attacks by holdouts on outside powers' troops in the host so far (M10).
    AttacksOnOutside,
    /// Elite defections so far, scripted or produced by the model (M9).
    EliteDefections,
}

impl Outcome {
    /// Every outcome, in output column order.
    pub const ALL: [Outcome; 35] = [
        Outcome::PatronCapacity,
        Outcome::PatronInfluence,
        Outcome::FightersOutsideStateControl,
        Outcome::FightersOutsideStateControlShare,
        Outcome::HoldoutFighters,
        Outcome::FactionsAligned,
        Outcome::FactionsHedging,
        Outcome::FactionsAutonomous,
        Outcome::FactionsNegotiating,
        Outcome::FactionsIntegrated,
        Outcome::FactionsHoldout,
        Outcome::FactionsInsurgent,
        Outcome::FactionsDissolved,
        Outcome::Crossers,
        Outcome::CrossersTotal,
        Outcome::Interdicted,
        Outcome::InterdictedTotal,
        Outcome::Detained,
        Outcome::UnaffiliatedArmed,
        Outcome::ActiveShare,
        Outcome::ActiveShareMaxCommunity,
        Outcome::Casualties,
        Outcome::Legitimacy,
        Outcome::OutsideStrikes,
        Outcome::StateStrength,
        Outcome::CapitalHeld,
        Outcome::Deserted,
        Outcome::LeaderFled,
        Outcome::ClientFightersShare,
        Outcome::GovernmentFell,
        Outcome::CoupAttempts,
        Outcome::LeaderDeposed,
        Outcome::CapitalHandedOver,
        Outcome::AttacksOnOutside,
        Outcome::EliteDefections,
    ];

    /// Number of outcomes.
    pub const COUNT: usize = Self::ALL.len();

    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::PatronCapacity => "patron_capacity",
            Outcome::PatronInfluence => "patron_influence",
            Outcome::FightersOutsideStateControl => "fighters_outside_state_control",
            Outcome::FightersOutsideStateControlShare => "fighters_outside_state_control_share",
            Outcome::HoldoutFighters => "holdout_fighters",
            Outcome::FactionsAligned => "factions_aligned",
            Outcome::FactionsHedging => "factions_hedging",
            Outcome::FactionsAutonomous => "factions_autonomous",
            Outcome::FactionsNegotiating => "factions_negotiating",
            Outcome::FactionsIntegrated => "factions_integrated",
            Outcome::FactionsHoldout => "factions_holdout",
            Outcome::FactionsInsurgent => "factions_insurgent",
            Outcome::FactionsDissolved => "factions_dissolved",
            Outcome::Crossers => "crossers",
            Outcome::CrossersTotal => "crossers_total",
            Outcome::Interdicted => "interdicted",
            Outcome::InterdictedTotal => "interdicted_total",
            Outcome::Detained => "detained",
            Outcome::UnaffiliatedArmed => "unaffiliated_armed",
            Outcome::ActiveShare => "active_share",
            Outcome::ActiveShareMaxCommunity => "active_share_max_community",
            Outcome::Casualties => "casualties",
            Outcome::Legitimacy => "legitimacy",
            Outcome::OutsideStrikes => "outside_strikes",
            Outcome::StateStrength => "state_strength",
            Outcome::CapitalHeld => "capital_held",
            Outcome::Deserted => "deserted",
            Outcome::LeaderFled => "leader_fled",
            Outcome::ClientFightersShare => "client_fighters_share",
            Outcome::GovernmentFell => "government_fell",
            Outcome::CoupAttempts => "coup_attempts",
            Outcome::LeaderDeposed => "leader_deposed",
            Outcome::CapitalHandedOver => "capital_handed_over",
            Outcome::AttacksOnOutside => "attacks_on_outside",
            Outcome::EliteDefections => "elite_defections",
        }
    }

    /// One line on what it measures and its unit.
    pub fn doc(self) -> &'static str {
        match self {
            Outcome::PatronCapacity => "mean capacity of the patrons (0..1)",
            Outcome::PatronInfluence => {
                "allegiance to the patron x effective strength of armed groups outside state control, over their strength on day 0 (0..1)"
            }
            Outcome::FightersOutsideStateControl => {
                "listed fighters of groups outside state control plus unaffiliated armed newcomers (people)"
            }
            Outcome::FightersOutsideStateControlShare => {
                "fighters outside state control as a share of day 0 (ratio)"
            }
            Outcome::HoldoutFighters => "listed fighters of holdout or insurgent factions (people)",
            Outcome::FactionsAligned => "factions aligned with their patron (count)",
            Outcome::FactionsHedging => "factions hedging (count)",
            Outcome::FactionsAutonomous => {
                "factions that keep their arms and follow no patron (count)"
            }
            Outcome::FactionsNegotiating => "factions negotiating (count)",
            Outcome::FactionsIntegrated => "factions integrated under state command (count)",
            Outcome::FactionsHoldout => "factions holding out (count)",
            Outcome::FactionsInsurgent => "factions fighting the state (count)",
            Outcome::FactionsDissolved => "factions dissolved (count)",
            Outcome::Crossers => "people who crossed the border that day (people/day)",
            Outcome::CrossersTotal => "people who crossed so far (people)",
            Outcome::Interdicted => "people interdicted that day (people/day)",
            Outcome::InterdictedTotal => "people interdicted so far (people)",
            Outcome::Detained => "people held in detention (people)",
            Outcome::UnaffiliatedArmed => "armed newcomers who joined no group (people)",
            Outcome::ActiveShare => "population-weighted share active in unrest (0..1)",
            Outcome::ActiveShareMaxCommunity => "highest active share of any community (0..1)",
            Outcome::Casualties => "casualties so far from unrest, operations and strikes (people)",
            Outcome::Legitimacy => {
                "population-weighted perceived legitimacy of the government (0..1)"
            }
            Outcome::OutsideStrikes => "strikes by outside powers so far (count)",
            Outcome::StateStrength => "effective strength of the state forces (fighters)",
            Outcome::CapitalHeld => "1 while the capital holds, 0 after it falls",
            Outcome::Deserted => "fighters who deserted so far, all groups (people)",
            Outcome::LeaderFled => {
                "1 once the host's leader has fled and a caretaker government took over, 0 before (M7)"
            }
            Outcome::ClientFightersShare => {
                "listed fighters still active in the patrons' clients, over their listed fighters on day 0 (0..1)"
            }
            Outcome::GovernmentFell => {
                "1 once the government has fallen because its coalition broke, 0 before (M9)"
            }
            Outcome::CoupAttempts => "coups attempted against the host's leader so far (count; M9)",
            Outcome::LeaderDeposed => "1 once a coup has deposed the host's leader, 0 before (M9)",
            Outcome::CapitalHandedOver => {
                "1 once those left in power (officers after a coup, a caretaker after the leader's flight) handed the capital over and it fell politically, 0 before (M7)"
            }
            Outcome::AttacksOnOutside => {
                "attacks by holdouts on outside powers' troops in the host so far (count; M10)"
            }
            Outcome::EliteDefections => {
                "units whose commanders took them over to another side so far, scripted or produced by the model (count; M9)"
            }
        }
    }

    /// The outcome with this name.
    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Position in [`Outcome::ALL`] and in a [`DayOutcomes`] row.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One day's values of every outcome, indexed by [`Outcome::index`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayOutcomes(pub [f64; Outcome::COUNT]);

impl DayOutcomes {
    /// The value of one outcome.
    pub fn get(&self, o: Outcome) -> f64 {
        self.0[o.index()]
    }

    /// Sets the value of one outcome.
    pub fn set(&mut self, o: Outcome, v: f64) {
        self.0[o.index()] = v;
    }
}

impl Default for DayOutcomes {
    fn default() -> Self {
        DayOutcomes([0.0; Outcome::COUNT])
    }
}

/// How a daily series is reduced to one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    /// The last day's value.
    End,
    /// The largest value.
    Max,
    /// The smallest value.
    Min,
    /// The mean over the days.
    Mean,
}

impl Stat {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Stat::End => "end",
            Stat::Max => "max",
            Stat::Min => "min",
            Stat::Mean => "mean",
        }
    }
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Strictly greater.
    Gt,
    /// Greater or equal.
    Ge,
    /// Strictly less.
    Lt,
    /// Less or equal.
    Le,
}

impl Op {
    /// The symbol used in scenario files.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }

    /// Applies the comparison.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
        }
    }
}

/// A rule over one outcome: `stat(outcome) op value`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Condition {
    /// The outcome.
    pub outcome: Outcome,
    /// How its series is reduced (triggers use the latest day's value).
    pub stat: Stat,
    /// The comparison.
    pub op: Op,
    /// The threshold.
    pub value: f64,
}

/// Running reductions of every outcome, so futures need no stored series.
#[derive(Clone, Debug)]
pub struct Reductions {
    end: DayOutcomes,
    max: DayOutcomes,
    min: DayOutcomes,
    sum: DayOutcomes,
    days: u32,
}

impl Reductions {
    /// Starts from day 0's values.
    pub fn new(day0: &DayOutcomes) -> Self {
        Reductions {
            end: *day0,
            max: *day0,
            min: *day0,
            sum: *day0,
            days: 1,
        }
    }

    /// Adds a day.
    pub fn push(&mut self, d: &DayOutcomes) {
        for i in 0..Outcome::COUNT {
            let v = d.0[i];
            self.max.0[i] = self.max.0[i].max(v);
            self.min.0[i] = self.min.0[i].min(v);
            self.sum.0[i] += v;
        }
        self.end = *d;
        self.days += 1;
    }

    /// The reduced value of one outcome.
    pub fn value(&self, o: Outcome, stat: Stat) -> f64 {
        let i = o.index();
        match stat {
            Stat::End => self.end.0[i],
            Stat::Max => self.max.0[i],
            Stat::Min => self.min.0[i],
            Stat::Mean => self.sum.0[i] / f64::from(self.days),
        }
    }

    /// Whether a condition holds over the run so far.
    pub fn holds(&self, c: &Condition) -> bool {
        c.op.holds(self.value(c.outcome, c.stat), c.value)
    }

    /// The signed margin of a condition over the run so far
    /// ([`Condition::margin`]): positive or zero where it held.
    pub fn margin(&self, c: &Condition) -> f64 {
        c.margin(self.value(c.outcome, c.stat))
    }
}

impl Condition {
    /// By how much the reduced value `value` clears the threshold, in the
    /// outcome's unit: `value − threshold` for `>` and `>=`, `threshold −
    /// value` for `<` and `<=`, so a positive margin is room to spare and a
    /// negative one is how far the condition fell short.
    ///
    /// The sign decides exactly as the comparison does ([`Condition::held`]):
    /// the difference of two finite floats is zero only when they are equal
    /// and rounding never changes its sign.
    pub fn margin(&self, value: f64) -> f64 {
        match self.op {
            Op::Gt | Op::Ge => value - self.value,
            Op::Lt | Op::Le => self.value - value,
        }
    }

    /// Whether a condition with this margin held: a margin above zero, or
    /// exactly zero for `>=` and `<=`.
    pub fn held(op: Op, margin: f64) -> bool {
        match op {
            Op::Gt | Op::Lt => margin > 0.0,
            Op::Ge | Op::Le => margin >= 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_indices_match_order() {
        for (i, o) in Outcome::ALL.into_iter().enumerate() {
            assert_eq!(o.index(), i);
            assert_eq!(Outcome::from_name(o.name()), Some(o));
        }
        assert_eq!(Outcome::from_name("no_such_outcome"), None);
    }

    #[test]
    fn reductions_track_end_max_min_mean() {
        let mut d = DayOutcomes::default();
        d.set(Outcome::Crossers, 2.0);
        let mut r = Reductions::new(&d);
        d.set(Outcome::Crossers, 10.0);
        r.push(&d);
        d.set(Outcome::Crossers, 0.0);
        r.push(&d);
        assert_eq!(r.value(Outcome::Crossers, Stat::End), 0.0);
        assert_eq!(r.value(Outcome::Crossers, Stat::Max), 10.0);
        assert_eq!(r.value(Outcome::Crossers, Stat::Min), 0.0);
        assert!((r.value(Outcome::Crossers, Stat::Mean) - 4.0).abs() < 1e-12);
        let c = Condition {
            outcome: Outcome::Crossers,
            stat: Stat::Max,
            op: Op::Ge,
            value: 10.0,
        };
        assert!(r.holds(&c));
        assert_eq!(r.margin(&c), 0.0);
    }

    #[test]
    fn the_margin_is_signed_by_the_comparison_and_decides_as_it_does() {
        let values = [
            -3.0,
            0.0,
            0.1,
            0.15,
            0.2,
            0.30000000000000004,
            1e-300,
            2500.0,
            1e10,
        ];
        for op in [Op::Gt, Op::Ge, Op::Lt, Op::Le] {
            for &threshold in &values {
                let c = Condition {
                    outcome: Outcome::ActiveShare,
                    stat: Stat::Max,
                    op,
                    value: threshold,
                };
                for &v in &values {
                    let m = c.margin(v);
                    assert_eq!(
                        Condition::held(op, m),
                        op.holds(v, threshold),
                        "{v} {op:?} {threshold}"
                    );
                }
            }
        }
        let over = Condition {
            outcome: Outcome::UnaffiliatedArmed,
            stat: Stat::End,
            op: Op::Ge,
            value: 2500.0,
        };
        assert_eq!(over.margin(3000.0), 500.0);
        assert_eq!(over.margin(2000.0), -500.0);
        let under = Condition { op: Op::Lt, ..over };
        assert_eq!(under.margin(3000.0), -500.0);
        assert_eq!(under.margin(2000.0), 500.0);
    }
}
