//! Observers: how a run reports what happens without doing any I/O.
//!
//! The run drives and calls the observer: once per day with the day's
//! outcomes, and for each narrated happening with its numbers. The fast
//! ensemble path passes an observer that keeps nothing; `patronfall run`
//! passes one that keeps the series and the log. Log text is only built when
//! [`Observer::wants_log`] says so, so the hot path formats no strings.

use crate::outcomes::DayOutcomes;
use crate::state::State;
use crate::world::Stance;

/// Which mechanism a log entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// A scheduled or stochastic event.
    Event,
    /// M1 patron.
    Patron,
    /// M3 loyalty and cohesion.
    Cohesion,
    /// M4 stance decisions.
    Stance,
    /// M5 border crossings.
    Border,
    /// M6 unrest.
    Unrest,
    /// M7 armed contests.
    Contest,
    /// M8 political settlement.
    Settlement,
    /// M9 government decisions.
    Government,
    /// M10 outside powers.
    Outside,
}

impl Topic {
    /// The name used in event logs.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Event => "event",
            Topic::Patron => "patron",
            Topic::Cohesion => "cohesion",
            Topic::Stance => "stance",
            Topic::Border => "border",
            Topic::Unrest => "unrest",
            Topic::Contest => "contest",
            Topic::Settlement => "settlement",
            Topic::Government => "government",
            Topic::Outside => "outside",
        }
    }
}

/// One narrated happening: what, why, and the numbers behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// The day (1 is the first simulated day).
    pub day: u32,
    /// The mechanism.
    pub topic: Topic,
    /// 1 (routine) to 3 (a turning point); the narrative shows 2 and 3.
    pub importance: u8,
    /// A sentence for people.
    pub text: String,
    /// The numbers behind it, by name.
    pub numbers: Vec<(&'static str, f64)>,
}

/// Receives what a run produces.
pub trait Observer {
    /// Whether to build log entries (text and numbers).
    fn wants_log(&self) -> bool {
        false
    }

    /// Called with each log entry when `wants_log` is true.
    fn log(&mut self, _entry: LogEntry) {}

    /// Called at the end of day 0 (the start) and of every simulated day.
    fn day(&mut self, _day: u32, _outcomes: &DayOutcomes, _state: &State) {}
}

/// Keeps nothing: the ensemble's fast path.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet;

impl Observer for Quiet {}

/// Keeps the daily outcomes and the log.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Outcomes of day 0, 1, 2, ...
    pub series: Vec<DayOutcomes>,
    /// The event log in order.
    pub log: Vec<LogEntry>,
    /// Each faction's stance per day (index: day, then group).
    pub stances: Vec<Vec<crate::world::Stance>>,
    /// Crossers per segment per day.
    pub segment_crossers: Vec<Vec<f64>>,
    /// Active share per community per day.
    pub community_active: Vec<Vec<f64>>,
}

impl Observer for Recorder {
    fn wants_log(&self) -> bool {
        true
    }

    fn log(&mut self, entry: LogEntry) {
        self.log.push(entry);
    }

    fn day(&mut self, _day: u32, outcomes: &DayOutcomes, state: &State) {
        self.series.push(*outcomes);
        self.stances
            .push(state.groups.iter().map(|g| g.stance).collect());
        self.segment_crossers
            .push(state.segments.iter().map(|s| s.crossers_today).collect());
        self.community_active
            .push(state.communities.iter().map(|c| c.active).collect());
    }
}

/// Hands log entries to an observer only when it wants them, so mechanisms
/// can narrate without formatting strings on the ensemble's fast path.
pub struct Narrator<'o> {
    observer: &'o mut dyn Observer,
    wants: bool,
    /// The day being simulated.
    pub day: u32,
}

impl<'o> Narrator<'o> {
    /// A narrator feeding `observer`.
    pub fn new(observer: &'o mut dyn Observer) -> Self {
        let wants = observer.wants_log();
        Narrator {
            observer,
            wants,
            day: 0,
        }
    }

    /// Whether entries are kept; mechanisms may skip work done only for the log.
    pub fn wants(&self) -> bool {
        self.wants
    }

    /// Records a happening; `text` is only called when the log is kept.
    pub fn say(
        &mut self,
        topic: Topic,
        importance: u8,
        text: impl FnOnce() -> String,
        numbers: &[(&'static str, f64)],
    ) {
        if self.wants {
            self.observer.log(LogEntry {
                day: self.day,
                topic,
                importance,
                text: text(),
                numbers: numbers.to_vec(),
            });
        }
    }

    /// Passes the end of a day to the observer.
    pub fn end_of_day(&mut self, outcomes: &DayOutcomes, state: &State) {
        self.observer.day(self.day, outcomes, state);
    }
}

/// A number of days as words read it: "1 day", "7 days".
pub fn days(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// What a faction does when it takes up a stance, as the verb of a
/// sentence whose subject is the faction ("Kataib Hizballah holds out").
pub fn takes_up(stance: Stance) -> &'static str {
    match stance {
        Stance::Aligned => "aligns with its patron",
        Stance::Hedging => "hedges",
        Stance::Autonomous => "goes its own way",
        Stance::Negotiating => "negotiates with the state",
        Stance::Holdout => "holds out",
        Stance::Integrated => "integrates under state command",
        Stance::Insurgent => "fights the state",
        Stance::Dissolved => "dissolves",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_agree_with_their_number() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(0), "0 days");
        assert_eq!(days(7), "7 days");
    }

    #[test]
    fn every_stance_has_its_own_verb() {
        let verbs: Vec<&str> = Stance::ALL.iter().map(|s| takes_up(*s)).collect();
        for (i, v) in verbs.iter().enumerate() {
            assert!(!verbs[..i].contains(v), "{v} twice");
        }
    }
}
