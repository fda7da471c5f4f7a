//! The scenario's indicators as a run sees them: one column per indicator
//! and observation day, filled while the run goes.
//!
//! A column holds the true value of the figure over the window that makes
//! it known on its day (`Indicator::window`: the window of `window_days`
//! ending `delay_days` before the day); the measurement error is applied
//! later, by the analyses that compare runs with observations. Only days
//! within the run's length become columns. A run stopped early by a
//! numerical problem leaves the columns it did not reach at NaN.

use patronfall_model::{DayOutcomes, Observer, State};
use patronfall_scenario::Scenario;
use patronfall_scenario::indicators::Reduce;

/// One indicator on one observation day.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Index into the scenario's indicators.
    pub indicator: usize,
    /// The day the value is known.
    pub day: u32,
    /// First and last simulated day of the window.
    pub window: (u32, u32),
}

impl Column {
    /// Its name in `indicators.csv`: `<indicator id>@<day>`.
    pub fn name(&self, scenario: &Scenario) -> String {
        format!("{}@{}", scenario.indicators[self.indicator].id, self.day)
    }
}

/// The columns of a run of `days` days: every indicator's observation days
/// up to `days`, in the scenario's order of indicators, then of days.
pub fn columns(scenario: &Scenario, days: u32) -> Vec<Column> {
    let mut out = Vec::new();
    for (i, ind) in scenario.indicators.iter().enumerate() {
        for &day in ind.days.iter().filter(|d| **d <= days) {
            if let Some(window) = ind.window(day) {
                out.push(Column {
                    indicator: i,
                    day,
                    window,
                });
            }
        }
    }
    out
}

/// Fills the columns from the days a run reports; keeps the daily series
/// too when asked (the fan charts' sample).
pub struct Watch<'s> {
    scenario: &'s Scenario,
    columns: &'s [Column],
    /// The running reduction of every column (NaN until its window opens).
    pub values: Vec<f64>,
    /// The daily outcomes, when kept.
    pub series: Option<Vec<DayOutcomes>>,
    /// Last day any window covers: later days cost nothing.
    last: u32,
}

impl<'s> Watch<'s> {
    /// A watch over `columns`, keeping the series of `days` days if `keep_series`.
    pub fn new(
        scenario: &'s Scenario,
        columns: &'s [Column],
        days: u32,
        keep_series: bool,
    ) -> Self {
        Watch {
            scenario,
            columns,
            values: vec![f64::NAN; columns.len()],
            series: keep_series.then(|| Vec::with_capacity(days as usize + 1)),
            last: columns.iter().map(|c| c.window.1).max().unwrap_or(0),
        }
    }
}

impl Observer for Watch<'_> {
    fn day(&mut self, day: u32, outcomes: &DayOutcomes, state: &State) {
        if let Some(s) = &mut self.series {
            s.push(*outcomes);
        }
        if day > self.last {
            return;
        }
        for (c, value) in self.columns.iter().zip(&mut self.values) {
            let (first, last) = c.window;
            if day < first || day > last {
                continue;
            }
            let ind = &self.scenario.indicators[c.indicator];
            let x = ind.measure.value(outcomes, state);
            let n = f64::from(day - first + 1);
            *value = if day == first {
                x
            } else {
                match ind.reduce {
                    Reduce::End => x,
                    Reduce::Sum => *value + x,
                    // A running mean over the days so far of the window.
                    Reduce::Mean => *value + (x - *value) / n,
                    Reduce::Max => value.max(x),
                    Reduce::Min => value.min(x),
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use patronfall_model::{Outcome, Quiet, RunSpec, run};

    /// A column's value is the figure on its window's days, reduced as the
    /// indicator says: here the sum of daily crossers over a week equals the
    /// week's growth of the running total, and a delayed total is the total
    /// of an earlier day.
    #[test]
    fn columns_hold_the_figure_over_their_window() {
        let text = format!(
            "{}\n{}",
            patronfall_scenario::builtin_text("iraq-after-tehran").unwrap(),
            r#"
[[indicator]]
id = "week"
name = "Crossers in the week"
observe = "crossers"
days = [14]
window_days = 7
reduce = "sum"

[[indicator]]
id = "total_late"
name = "Total crossers, reported late"
observe = "crossers_total"
days = [7, 14]
delay_days = 7
"#
        );
        let s = patronfall_scenario::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let cols = columns(&s, 30);
        let week = cols
            .iter()
            .position(|c| s.indicators[c.indicator].id == "week")
            .unwrap();
        let late = cols
            .iter()
            .position(|c| s.indicators[c.indicator].id == "total_late" && c.day == 14)
            .unwrap();
        let spec = RunSpec {
            world: &s.world,
            coa: s.default_coa,
            shock: s.default_shock,
            days: 30,
            seed: 3,
        };
        let mut watch = Watch::new(&s, &cols, 30, true);
        let r = run(spec, &mut watch);
        let quiet = run(spec, &mut Quiet);
        assert_eq!(r.future, quiet.future, "watching changes nothing");
        let series = watch.series.as_ref().unwrap();
        let total = |d: usize| series[d].get(Outcome::CrossersTotal);
        assert!(total(14) > 0.0, "people cross in the first fortnight");
        let sum = watch.values[week];
        assert!(
            (sum - (total(14) - total(7))).abs() <= 1e-6 * total(14).max(1.0),
            "{sum} vs {}",
            total(14) - total(7)
        );
        assert_eq!(watch.values[late], total(7));
        assert_eq!(
            cols.iter().filter(|c| c.day > 30).count(),
            0,
            "no column past the run"
        );
    }
}
