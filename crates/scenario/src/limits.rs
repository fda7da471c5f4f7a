//! Limits every command applies the same way: one rule per limit, here.
//!
//! A run's length is checked by `scenario check` (the file's
//! `horizon_days`), by `run` and `ensemble` (`--days`, or the horizon when
//! it is absent), and by `analyze`, `report` and `export` (the manifest's
//! `days`), all through [`check_days`].

use std::fmt;

/// The longest run accepted, in days (about 274 years). It is also the
/// largest day number an event may name, so every day a scenario can
/// mention lies inside some accepted run. Memory grows with the days kept
/// for the fan charts; `patronfall ensemble` estimates it before running.
pub const MAX_DAYS: u32 = 100_000;

/// A number of days outside `1..=MAX_DAYS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DaysOutOfRange {
    /// The number given.
    pub days: u64,
}

impl fmt::Display for DaysOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} days is out of range: a run lasts at least 1 day and at most {MAX_DAYS} days",
            self.days
        )
    }
}

impl std::error::Error for DaysOutOfRange {}

/// The one rule for a run's length: at least 1 day, at most [`MAX_DAYS`].
pub fn check_days(days: u64) -> Result<u32, DaysOutOfRange> {
    match u32::try_from(days) {
        Ok(d) if (1..=MAX_DAYS).contains(&d) => Ok(d),
        _ => Err(DaysOutOfRange { days }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_one_to_the_maximum_pass() {
        assert_eq!(check_days(1), Ok(1));
        assert_eq!(check_days(u64::from(MAX_DAYS)), Ok(MAX_DAYS));
        assert_eq!(check_days(0), Err(DaysOutOfRange { days: 0 }));
        assert!(check_days(u64::from(MAX_DAYS) + 1).is_err());
        assert!(check_days(4_000_000_000).is_err());
        assert!(check_days(u64::MAX).is_err());
        let text = check_days(0).unwrap_err().to_string();
        assert!(
            text.contains("at least 1") && text.contains("100000"),
            "{text}"
        );
    }
}
