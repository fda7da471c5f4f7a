//! PRIM objective functions scoring a candidate box against the current box.
//!
//! Rule (EMA Workbench's definitions; Friedman & Fisher 1999). With `n`, `m`
//! the rows and `ȳ`, `ȳ'` the densities (share of cases of interest) of the
//! old and new box:
//!
//! * `Original` — `ȳ'` (Friedman & Fisher's peel: keep the box with the
//!   highest mean; `−1` for an empty box);
//! * `Lenient1` (default) — `(ȳ' − ȳ) / |n − m|`: gain in density per row
//!   removed (or added, when pasting);
//! * `Lenient2` — `m (ȳ' − ȳ) / |n − m|` (Friedman & Fisher 1999, eq. 14.6 as
//!   EMA cites it).
//!
//! A candidate that changes no rows scores 0.

/// Which objective PRIM maximises when choosing a peel or paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Mean of the new box.
    Original,
    /// Density gain per row changed (EMA default).
    #[default]
    Lenient1,
    /// Density gain per row changed, times rows kept.
    Lenient2,
}

/// Rows and cases of interest of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub rows: usize,
    pub hits: usize,
}

impl Counts {
    /// Share of cases of interest (0 for an empty box).
    pub fn density(self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.hits as f64 / self.rows as f64
        }
    }
}

impl Objective {
    /// Score of moving from box `old` to box `new`.
    pub(crate) fn score(self, old: Counts, new: Counts) -> f64 {
        if self == Objective::Original {
            return if new.rows == 0 { -1.0 } else { new.density() };
        }
        if old.rows == new.rows {
            return 0.0;
        }
        let gain = new.density() - old.density();
        let changed = old.rows.abs_diff(new.rows) as f64;
        match self {
            Objective::Lenient1 => gain / changed,
            Objective::Lenient2 => new.rows as f64 * gain / changed,
            Objective::Original => unreachable!("handled above"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_definitions() {
        let old = Counts {
            rows: 100,
            hits: 20,
        };
        let new = Counts { rows: 90, hits: 20 };
        let gain = 20.0 / 90.0 - 0.2;
        assert!((Objective::Lenient1.score(old, new) - gain / 10.0).abs() < 1e-15);
        assert!((Objective::Lenient2.score(old, new) - 90.0 * gain / 10.0).abs() < 1e-13);
        assert!((Objective::Original.score(old, new) - 20.0 / 90.0).abs() < 1e-15);
        assert_eq!(Objective::Lenient1.score(old, old), 0.0);
        assert_eq!(
            Objective::Original.score(old, Counts { rows: 0, hits: 0 }),
            -1.0
        );
        // Removing rows that are cases of interest lowers the score below 0.
        let worse = Counts { rows: 90, hits: 15 };
        assert!(Objective::Lenient1.score(old, worse) < 0.0);
    }
}
