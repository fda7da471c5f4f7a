//! Exogenous paths applied between ticks: legitimacy over time and the
//! number of cops in force.
//!
//! Step numbering: step 0 is the initial state; step s ≥ 1 is the tick that
//! takes the world from s − 1 to s, and a path's value "at s" is the one in
//! force during that tick. Epstein (2002) Figs 9–11 and NetLogo's "Things to
//! try" use such paths: legitimacy eroded slowly against dropped at once,
//! and cops withdrawn.

/// Legitimacy L as a function of the step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LegitimacyPath {
    /// The initial legitimacy throughout.
    Constant(f64),
    /// `before` until step `at` − 1, then `after` from step `at` on.
    Sudden {
        /// L before the drop.
        before: f64,
        /// L from step `at` on.
        after: f64,
        /// First step with the new value.
        at: u64,
    },
    /// Linear from `from` to `to` over `over` steps, starting at step
    /// `start`: L = from + (to − from)·(s − start + 1)/over during the ramp,
    /// so L = `to` from step start + over − 1 on.
    Gradual {
        /// L before the ramp.
        from: f64,
        /// L at and after the end of the ramp.
        to: f64,
        /// First step of the ramp.
        start: u64,
        /// Length of the ramp, in steps (≥ 1).
        over: u64,
    },
}

impl LegitimacyPath {
    /// L in force during step `step`.
    pub fn at(&self, step: u64) -> f64 {
        match *self {
            LegitimacyPath::Constant(l) => l,
            LegitimacyPath::Sudden { before, after, at } => {
                if step < at {
                    before
                } else {
                    after
                }
            }
            LegitimacyPath::Gradual {
                from,
                to,
                start,
                over,
            } => {
                if step < start {
                    from
                } else if step + 1 >= start + over.max(1) {
                    to
                } else {
                    let f = (step - start + 1) as f64 / over.max(1) as f64;
                    from + (to - from) * f
                }
            }
        }
    }

    /// Every value the path takes lies in [0, 1].
    pub fn is_valid(&self) -> bool {
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        match *self {
            LegitimacyPath::Constant(l) => unit(l),
            LegitimacyPath::Sudden { before, after, .. } => unit(before) && unit(after),
            LegitimacyPath::Gradual { from, to, over, .. } => unit(from) && unit(to) && over >= 1,
        }
    }
}

/// Changes to the number of cops: from step `s` on, `count` cops.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopPath {
    changes: Vec<(u64, u32)>,
}

impl CopPath {
    /// No change: the initial cops throughout.
    pub fn unchanged() -> Self {
        CopPath::default()
    }

    /// From the `(step, count)` pairs; later entries for the same step win.
    pub fn new(mut changes: Vec<(u64, u32)>) -> Self {
        changes.sort_by_key(|&(s, _)| s);
        let mut out: Vec<(u64, u32)> = Vec::with_capacity(changes.len());
        for (s, n) in changes {
            match out.last_mut() {
                Some(last) if last.0 == s => last.1 = n,
                _ => out.push((s, n)),
            }
        }
        CopPath { changes: out }
    }

    /// A withdrawal from `from` cops down to `to`, `by` cops every `every`
    /// steps starting at step `start` (Epstein's Fig. 11 kind of run).
    pub fn withdrawal(from: u32, to: u32, by: u32, every: u64, start: u64) -> Self {
        let mut changes = Vec::new();
        let mut n = from;
        let mut s = start;
        while n > to && by > 0 {
            n = n.saturating_sub(by).max(to);
            changes.push((s, n));
            s += every.max(1);
        }
        CopPath::new(changes)
    }

    /// The cop count set at exactly step `step`, if any.
    pub fn change_at(&self, step: u64) -> Option<u32> {
        self.changes
            .binary_search_by_key(&step, |&(s, _)| s)
            .ok()
            .map(|i| self.changes[i].1)
    }

    /// The `(step, count)` changes in step order.
    pub fn changes(&self) -> &[(u64, u32)] {
        &self.changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sudden_and_gradual_paths_reach_the_same_level() {
        let s = LegitimacyPath::Sudden {
            before: 0.9,
            after: 0.7,
            at: 50,
        };
        assert_eq!(s.at(49), 0.9);
        assert_eq!(s.at(50), 0.7);
        let g = LegitimacyPath::Gradual {
            from: 0.9,
            to: 0.7,
            start: 50,
            over: 4,
        };
        assert_eq!(g.at(49), 0.9);
        assert!((g.at(50) - 0.85).abs() < 1e-12);
        assert!((g.at(52) - 0.75).abs() < 1e-12);
        assert_eq!(g.at(53), 0.7);
        assert_eq!(g.at(500), 0.7);
        assert!(g.is_valid() && s.is_valid());
        assert!(!LegitimacyPath::Constant(1.1).is_valid());
    }

    #[test]
    fn cop_changes_are_sorted_and_deduplicated() {
        let p = CopPath::new(vec![(30, 10), (10, 40), (30, 5)]);
        assert_eq!(p.changes(), &[(10, 40), (30, 5)]);
        assert_eq!(p.change_at(30), Some(5));
        assert_eq!(p.change_at(11), None);
        let w = CopPath::withdrawal(64, 50, 5, 10, 100);
        assert_eq!(w.changes(), &[(100, 59), (110, 54), (120, 50)]);
    }
}
