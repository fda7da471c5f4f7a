//! Reads the optional analyses of a results directory, written by
//! `patronfall analyze`: `analysis/sensitivity.json` and
//! `analysis/discover.json`. Their minimal shapes (docs/report.md):
//!
//! * sensitivity: a list (or `{"indices": [...]}`) of Sobol entries
//!   `{path, outcome, coa?, first, first_low, first_high, total, total_low,
//!   total_high}` or Morris entries `{path, outcome?, coa?, mu_star,
//!   sigma}`; a number may be `null` (an index the analysis could not
//!   estimate), which is read as NaN and left out of the charts;
//! * discover: one box or a list of boxes (or `{"boxes": [...]}`), each
//!   `{future, coa, coverage, density, limits: [{path, low, high}]}`.
//!
//! Extra fields are ignored, so the analyses may record more.

use crate::error::ReportError;
use serde::Deserialize;
use std::path::Path;

/// A number that may be `null` in the file (read as NaN).
fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Option::<f64>::deserialize(d).map(|v| v.unwrap_or(f64::NAN))
}

/// One Sobol index pair of an uncertainty for an outcome, with 95% bounds.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SobolEntry {
    /// Uncertainty path.
    pub path: String,
    /// Outcome (a runs.csv column, or a future's indicator).
    pub outcome: String,
    /// The course of action whose runs were analysed, when given.
    #[serde(default)]
    pub coa: Option<String>,
    /// First-order index S1.
    #[serde(deserialize_with = "number")]
    pub first: f64,
    /// Lower bound of S1.
    #[serde(deserialize_with = "number")]
    pub first_low: f64,
    /// Upper bound of S1.
    #[serde(deserialize_with = "number")]
    pub first_high: f64,
    /// Total-order index ST.
    #[serde(deserialize_with = "number")]
    pub total: f64,
    /// Lower bound of ST.
    #[serde(deserialize_with = "number")]
    pub total_low: f64,
    /// Upper bound of ST.
    #[serde(deserialize_with = "number")]
    pub total_high: f64,
}

/// One Morris screening result.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct MorrisEntry {
    /// Uncertainty path.
    pub path: String,
    /// Outcome, when given.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The course of action whose runs were analysed, when given.
    #[serde(default)]
    pub coa: Option<String>,
    /// Mean absolute elementary effect μ*.
    #[serde(deserialize_with = "number")]
    pub mu_star: f64,
    /// Standard deviation of the elementary effects σ.
    #[serde(deserialize_with = "number")]
    pub sigma: f64,
}

/// What `sensitivity.json` holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Sensitivity {
    /// Sobol indices.
    Sobol(Vec<SobolEntry>),
    /// Morris screening.
    Morris(Vec<MorrisEntry>),
}

/// One limit of a scenario-discovery box.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Limit {
    /// Uncertainty path.
    pub path: String,
    /// Lowest value inside the box.
    pub low: f64,
    /// Highest value inside the box.
    pub high: f64,
}

/// A PRIM box: which ranges of which uncertainties lead to a future.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct DiscoverBox {
    /// The future of interest.
    pub future: String,
    /// The course of action whose runs were analysed.
    #[serde(default)]
    pub coa: Option<String>,
    /// Share of all runs reaching the future that fall in the box (0..1).
    pub coverage: f64,
    /// Share of the runs in the box that reach the future (0..1).
    pub density: f64,
    /// The restricted dimensions.
    pub limits: Vec<Limit>,
}

fn read_json(path: &Path) -> Result<Option<serde_json::Value>, ReportError> {
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| ReportError::input(path, format!("cannot read: {e}")))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ReportError::input(path, format!("line {}: {e}", e.line())))
}

/// Whether an analysis file belongs to the runs whose `runs.csv` has this
/// SHA-256: `None` when it does (or is absent), else why it is left out.
/// `patronfall analyze` records the identity as `runs_sha256`; a file
/// without it, or with another, was computed from other runs (an earlier
/// ensemble in the same directory, or a file copied from elsewhere).
pub fn mismatch(path: &Path, runs_sha256: &str) -> Result<Option<String>, ReportError> {
    let Some(v) = read_json(path)? else {
        return Ok(None);
    };
    let recorded = v.get("runs_sha256").and_then(|x| x.as_str());
    if recorded == Some(runs_sha256) {
        return Ok(None);
    }
    let what = match recorded {
        Some(r) => {
            format!("was computed from other runs (runs.csv SHA-256 {r}, not {runs_sha256})")
        }
        None => "does not say which runs it was computed from".to_string(),
    };
    Ok(Some(what))
}

fn list(v: serde_json::Value, key: &str) -> serde_json::Value {
    match v {
        serde_json::Value::Object(mut m) if m.contains_key(key) => {
            m.remove(key).unwrap_or_default()
        }
        serde_json::Value::Object(m) => {
            serde_json::Value::Array(vec![serde_json::Value::Object(m)])
        }
        other => other,
    }
}

/// Reads `sensitivity.json` if present.
pub fn sensitivity(path: &Path) -> Result<Option<Sensitivity>, ReportError> {
    let Some(v) = read_json(path)? else {
        return Ok(None);
    };
    let items = list(v, "indices");
    let is_morris = items
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|e| e.get("mu_star").is_some());
    let shape = if is_morris {
        "Morris entries {path, mu_star, sigma}"
    } else {
        "Sobol entries {path, outcome, first, first_low, first_high, total, total_low, total_high}"
    };
    let bad =
        |e: serde_json::Error| ReportError::input(path, format!("expected a list of {shape}: {e}"));
    if is_morris {
        serde_json::from_value(items)
            .map(|v| Some(Sensitivity::Morris(v)))
            .map_err(bad)
    } else {
        serde_json::from_value(items)
            .map(|v| Some(Sensitivity::Sobol(v)))
            .map_err(bad)
    }
}

/// Reads `discover.json` if present.
pub fn discover(path: &Path) -> Result<Option<Vec<DiscoverBox>>, ReportError> {
    let Some(v) = read_json(path)? else {
        return Ok(None);
    };
    serde_json::from_value(list(v, "boxes")).map(Some).map_err(|e| {
        ReportError::input(
            path,
            format!("expected {{future, coa, coverage, density, limits: [{{path, low, high}}]}} or a list of them: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("pf-report-an-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn absent_files_are_none() {
        assert_eq!(sensitivity(Path::new("no/such.json")).unwrap(), None);
        assert_eq!(discover(Path::new("no/such.json")).unwrap(), None);
    }

    #[test]
    fn reads_both_sensitivity_shapes_and_boxes() {
        let p = write(
            "s.json",
            r#"{"indices":[{"path":"a.b","outcome":"casualties","first":0.2,"first_low":0.1,"first_high":0.3,"total":0.4,"total_low":0.3,"total_high":0.5,"extra":1}]}"#,
        );
        assert!(matches!(sensitivity(&p).unwrap(), Some(Sensitivity::Sobol(v)) if v.len() == 1));
        let p = write("m.json", r#"[{"path":"a.b","mu_star":2.0,"sigma":1.0}]"#);
        assert!(
            matches!(sensitivity(&p).unwrap(), Some(Sensitivity::Morris(v)) if v[0].mu_star == 2.0)
        );
        let p = write(
            "d.json",
            r#"{"future":"spillover","coa":"passive","coverage":0.8,"density":0.7,"limits":[{"path":"a.b","low":1,"high":2}]}"#,
        );
        let boxes = discover(&p).unwrap().unwrap();
        assert_eq!(boxes[0].limits[0].high, 2.0);
    }

    #[test]
    fn reads_what_analyze_writes_with_courses_of_action_and_nulls() {
        let p = write(
            "sc.json",
            r#"[{"coa":"passive","outcome":"future:x","path":"a.b","first":null,"first_low":null,"first_high":null,"total":0.4,"total_low":0.3,"total_high":0.5},
                {"coa":"decisive","outcome":"future:x","path":"a.b","first":0.1,"first_low":0.0,"first_high":0.2,"total":null,"total_low":null,"total_high":null}]"#,
        );
        let Some(Sensitivity::Sobol(v)) = sensitivity(&p).unwrap() else {
            panic!("not Sobol")
        };
        assert_eq!(v[0].coa.as_deref(), Some("passive"));
        assert!(v[0].first.is_nan() && v[1].total.is_nan());
        let p = write(
            "mc.json",
            r#"[{"coa":"passive","outcome":"casualties","path":"a.b","mu":1.0,"mu_star":null,"sigma":null}]"#,
        );
        let Some(Sensitivity::Morris(v)) = sensitivity(&p).unwrap() else {
            panic!("not Morris")
        };
        assert!(v[0].mu_star.is_nan());
    }

    #[test]
    fn a_wrong_shape_says_what_was_expected() {
        let p = write("bad.json", r#"[{"path":"a.b"}]"#);
        let e = sensitivity(&p).unwrap_err();
        assert!(e.message.contains("expected a list of Sobol"), "{e}");
        let p = write("broken.json", "{\n\"future\": ");
        let e = discover(&p).unwrap_err();
        assert!(e.message.contains("line 2"), "{e}");
    }
}
