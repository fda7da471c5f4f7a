//! Input table and box limits for PRIM.
//!
//! Rule: PRIM sees one column per uncertainty (continuous, integer-valued or
//! categorical) and one boolean per row saying whether the run is a *case of
//! interest* (e.g. "reached civil strife"). A box is one [`Limit`] per column:
//! a closed range `[lower, upper]` for numeric columns, a set of allowed
//! category codes for categorical ones. The initial box holds all data: each
//! range spans the column's min and max, each set holds every label.

use std::collections::BTreeSet;

use crate::error::{AnalysisError, Result, invalid, require_finite, require_len};

/// Values of one uncertainty, one per run (row).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Real-valued parameter (e.g. a rate per day).
    Continuous(Vec<f64>),
    /// Integer-valued parameter (e.g. a day number, a count of brigades).
    Discrete(Vec<i64>),
    /// Categorical parameter: `codes[i]` indexes `labels`.
    Categorical {
        /// Category names, indexed by code.
        labels: Vec<String>,
        /// Category code of each run.
        codes: Vec<usize>,
    },
}

/// A named column of the PRIM input.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Uncertainty name, used in reports.
    pub name: String,
    /// The values.
    pub data: ColumnData,
}

impl Column {
    /// A continuous column.
    pub fn continuous(name: &str, values: Vec<f64>) -> Self {
        Self {
            name: name.to_string(),
            data: ColumnData::Continuous(values),
        }
    }

    /// An integer-valued column.
    pub fn discrete(name: &str, values: Vec<i64>) -> Self {
        Self {
            name: name.to_string(),
            data: ColumnData::Discrete(values),
        }
    }

    /// A categorical column.
    pub fn categorical(name: &str, labels: Vec<String>, codes: Vec<usize>) -> Self {
        Self {
            name: name.to_string(),
            data: ColumnData::Categorical { labels, codes },
        }
    }

    fn len(&self) -> usize {
        match &self.data {
            ColumnData::Continuous(v) => v.len(),
            ColumnData::Discrete(v) => v.len(),
            ColumnData::Categorical { codes, .. } => codes.len(),
        }
    }

    /// Whether the column is categorical.
    pub fn is_categorical(&self) -> bool {
        matches!(self.data, ColumnData::Categorical { .. })
    }

    /// Whether the column holds integers.
    pub fn is_discrete(&self) -> bool {
        matches!(self.data, ColumnData::Discrete(_))
    }
}

/// The limit of a box on one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// Closed range on a numeric column, in the column's units.
    Range {
        /// Smallest value inside the box.
        lower: f64,
        /// Largest value inside the box.
        upper: f64,
    },
    /// Allowed category codes of a categorical column.
    Categories(BTreeSet<usize>),
}

impl Limit {
    /// Whether a row's value (a category code for categorical columns) is inside.
    pub fn contains(&self, value: f64) -> bool {
        match self {
            Limit::Range { lower, upper } => *lower <= value && value <= *upper,
            Limit::Categories(set) => set.contains(&(value as usize)),
        }
    }
}

/// Validated PRIM input: columns, cases of interest and the initial box.
#[derive(Debug, Clone)]
pub struct PrimData {
    columns: Vec<Column>,
    /// Column values as `f64` (category codes for categorical columns).
    pub(crate) values: Vec<Vec<f64>>,
    pub(crate) interest: Vec<bool>,
    pub(crate) initial: Vec<Limit>,
    pub(crate) total_interest: usize,
}

impl PrimData {
    /// Validates and wraps the input.
    ///
    /// * `columns` — at least one column, each with one value per row.
    /// * `interest` — `interest[i]` is true when run `i` is a case of interest;
    ///   at least one row and at least one case of interest.
    ///
    /// Errors name the offending column: length mismatch, non-finite values,
    /// category codes without a label.
    pub fn new(columns: Vec<Column>, interest: Vec<bool>) -> Result<Self> {
        require_len("columns", columns.len(), 1)?;
        require_len("interest", interest.len(), 1)?;
        let n = interest.len();
        let mut values = Vec::with_capacity(columns.len());
        let mut initial = Vec::with_capacity(columns.len());
        for col in &columns {
            if col.len() != n {
                return Err(AnalysisError::LengthMismatch {
                    what: format!("column {}", col.name),
                    expected: n,
                    found: col.len(),
                });
            }
            let (v, limit) = match &col.data {
                ColumnData::Continuous(v) => {
                    require_finite(&format!("column {}", col.name), v)?;
                    (v.clone(), range_of(v))
                }
                ColumnData::Discrete(v) => {
                    let f: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                    let limit = range_of(&f);
                    (f, limit)
                }
                ColumnData::Categorical { labels, codes } => {
                    if let Some(i) = codes.iter().position(|&c| c >= labels.len()) {
                        return Err(invalid(
                            &format!("column {} row {i}", col.name),
                            codes[i],
                            &format!("category code has no label ({} labels)", labels.len()),
                        ));
                    }
                    let f = codes.iter().map(|&c| c as f64).collect();
                    (f, Limit::Categories((0..labels.len()).collect()))
                }
            };
            values.push(v);
            initial.push(limit);
        }
        let total_interest = interest.iter().filter(|&&b| b).count();
        if total_interest == 0 {
            return Err(invalid(
                "interest",
                "all false",
                "PRIM needs at least one case of interest",
            ));
        }
        Ok(Self {
            columns,
            values,
            interest,
            initial,
            total_interest,
        })
    }

    /// Number of rows (runs).
    pub fn rows(&self) -> usize {
        self.interest.len()
    }

    /// The columns as given.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Limits of the box that holds all data.
    pub fn initial_box(&self) -> &[Limit] {
        &self.initial
    }

    /// Number of cases of interest in the whole table.
    pub fn cases_of_interest(&self) -> usize {
        self.total_interest
    }

    /// Whether row `i` lies inside `limits` on every column.
    /// The table of the rows `rows` (in that order, repeats allowed: a
    /// bootstrap resample), with its own initial box. Errors if `rows` is
    /// empty or holds no case of interest, or names a row past the end.
    pub fn subset(&self, rows: &[usize]) -> Result<PrimData> {
        if let Some(&r) = rows.iter().find(|&&r| r >= self.rows()) {
            return Err(invalid(
                "rows",
                r,
                &format!("the table has {} rows", self.rows()),
            ));
        }
        let columns = self
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                data: match &c.data {
                    ColumnData::Continuous(v) => {
                        ColumnData::Continuous(rows.iter().map(|&r| v[r]).collect())
                    }
                    ColumnData::Discrete(v) => {
                        ColumnData::Discrete(rows.iter().map(|&r| v[r]).collect())
                    }
                    ColumnData::Categorical { labels, codes } => ColumnData::Categorical {
                        labels: labels.clone(),
                        codes: rows.iter().map(|&r| codes[r]).collect(),
                    },
                },
            })
            .collect();
        PrimData::new(columns, rows.iter().map(|&r| self.interest[r]).collect())
    }

    pub(crate) fn row_in(&self, limits: &[Limit], i: usize) -> bool {
        limits
            .iter()
            .zip(&self.values)
            .all(|(l, col)| l.contains(col[i]))
    }

    /// Counts (rows, cases of interest) inside `limits`.
    pub(crate) fn count_in(&self, limits: &[Limit]) -> (usize, usize) {
        let mut rows = 0;
        let mut hits = 0;
        for i in 0..self.rows() {
            if self.row_in(limits, i) {
                rows += 1;
                hits += usize::from(self.interest[i]);
            }
        }
        (rows, hits)
    }

    /// Whether column `j`'s limit is tighter than in the initial box.
    pub(crate) fn is_restricted(&self, limits: &[Limit], j: usize) -> bool {
        limits[j] != self.initial[j]
    }

    /// Number of restricted columns of a box.
    pub(crate) fn restricted_count(&self, limits: &[Limit]) -> usize {
        (0..limits.len())
            .filter(|&j| self.is_restricted(limits, j))
            .count()
    }

    /// Human-readable form of a limit on column `j`, e.g. `x0 in [0.2, 0.5]`.
    pub fn describe(&self, j: usize, limit: &Limit) -> String {
        let col = &self.columns[j];
        match (limit, &col.data) {
            (Limit::Categories(set), ColumnData::Categorical { labels, .. }) => {
                let names: Vec<&str> = set.iter().map(|&c| labels[c].as_str()).collect();
                format!("{} in {{{}}}", col.name, names.join(", "))
            }
            (Limit::Range { lower, upper }, _) => {
                format!("{} in [{lower}, {upper}]", col.name)
            }
            (Limit::Categories(set), _) => format!("{} in {set:?}", col.name),
        }
    }
}

/// The range `[min, max]` of non-empty values.
fn range_of(v: &[f64]) -> Limit {
    let lower = v.iter().copied().fold(f64::INFINITY, f64::min);
    let upper = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Limit::Range { lower, upper }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_shapes_codes_and_interest() {
        let ok = PrimData::new(
            vec![
                Column::continuous("a", vec![0.1, 0.5, 0.9]),
                Column::discrete("b", vec![3, 1, 2]),
                Column::categorical("c", vec!["x".into(), "y".into()], vec![0, 1, 1]),
            ],
            vec![true, false, false],
        )
        .unwrap();
        assert_eq!(ok.rows(), 3);
        assert_eq!(
            ok.initial_box()[1],
            Limit::Range {
                lower: 1.0,
                upper: 3.0
            }
        );
        assert_eq!(ok.describe(2, &ok.initial_box()[2]), "c in {x, y}");
        assert!(ok.row_in(ok.initial_box(), 2));

        let short = PrimData::new(vec![Column::continuous("a", vec![0.1])], vec![true, false]);
        assert!(matches!(short, Err(AnalysisError::LengthMismatch { .. })));
        let nan = PrimData::new(vec![Column::continuous("a", vec![f64::NAN])], vec![true]);
        assert!(matches!(nan, Err(AnalysisError::NonFinite { .. })));
        let code = PrimData::new(
            vec![Column::categorical("c", vec!["x".into()], vec![0, 1])],
            vec![true, true],
        );
        assert!(code.is_err());
        let none = PrimData::new(vec![Column::continuous("a", vec![0.1])], vec![false]);
        assert!(none.is_err());
        assert!(PrimData::new(vec![], vec![true]).is_err());
    }
}
