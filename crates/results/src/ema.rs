//! The EMA Workbench's results format (`ema_workbench.save_results`), so a
//! patronfall ensemble can be analysed with `ema_workbench.load_results`.
//!
//! Layout of the archive (members in this order; the caller packs them into
//! a `.tar.gz`):
//!
//! ```text
//! experiments.csv            header row; one row per experiment: the varied uncertainties,
//!                            `replication` (only with several), `scenario` (sample), `policy`
//!                            (course of action), `model` (scenario id)
//! experiments metadata.csv   `column,dtype` per experiments column (numpy dtype strings)
//! <outcome>.csv              one value per line, no header, row-aligned with experiments.csv
//! outcomes metadata.csv      `outcome,(N,)` per outcome
//! metadata.json              {version, outcomes: [[class, name, file]], experiments: {column: dtype}}
//! ```
//!
//! `metadata.json` is what EMA Workbench 2.x reads; the two metadata CSV
//! files are what older versions read (2.x falls back to them when
//! `metadata.json` is absent), so both loaders accept the archive. Outcomes
//! are every numeric column of `runs.csv` (last-day values, `max_…`,
//! the conditions' `margin.…`, `capital_fell_day`, `problems`) plus `future_<name>` (1 if the run reached
//! that future, else 0). Text columns (`stance.<group>`) are not exported.
//! Missing values are written `nan` so that every outcome file has one line per
//! experiment.

use crate::error::ResultsError;
use crate::read;
use std::path::Path;

/// One file of the archive.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// File name inside the archive.
    pub name: String,
    /// Its bytes (UTF-8 text).
    pub bytes: Vec<u8>,
}

/// The archive's members and what they hold.
#[derive(Clone, Debug)]
pub struct EmaExport {
    /// The files, in archive order.
    pub members: Vec<Member>,
    /// Experiments (rows).
    pub experiments: usize,
    /// Outcome names, in archive order.
    pub outcomes: Vec<String>,
}

/// Columns of `runs.csv` that identify an experiment; `capital_fell_day` and
/// `problems` are exported as outcomes, `future` as indicators.
const IDS: [&str; 6] = [
    "experiment",
    "sample",
    "replication",
    "coa",
    "seed",
    "future",
];

/// Version written into `metadata.json` (the EMA Workbench's own format number).
const EMA_FORMAT_VERSION: f64 = 0.1;

/// Builds the archive members for the results directory `dir`.
pub fn members(dir: &Path) -> Result<EmaExport, ResultsError> {
    let manifest = read::whole_manifest(dir)?;
    let table = read::runs(dir)?;
    let csv = crate::read::RunsFile::of(dir);
    let col = |name: &str| {
        table
            .column(name)
            .ok_or_else(|| csv.header(format!("no `{name}` column")))
    };
    let (sample, replication, coa, future) = (
        col("sample")?,
        col("replication")?,
        col("coa")?,
        col("future")?,
    );
    let varied: Vec<(String, usize)> = manifest
        .uncertainties
        .iter()
        .filter(|u| u.varied)
        .map(|u| col(&u.path).map(|i| (u.path.clone(), i)))
        .collect::<Result<_, _>>()?;
    let with_replication = manifest.replications > 1;

    let uncertain: Vec<&str> = manifest
        .uncertainties
        .iter()
        .map(|u| u.path.as_str())
        .collect();
    let outcome_cols: Vec<(String, usize)> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !IDS.contains(&c.as_str()) && !uncertain.contains(&c.as_str()))
        .filter(|(i, _)| {
            table
                .rows
                .iter()
                .all(|r| r[*i].is_empty() || r[*i].parse::<f64>().is_ok())
        })
        .map(|(i, c)| (c.clone(), i))
        .collect();

    // experiments.csv and its dtypes
    let mut columns: Vec<(String, &str, &str)> = varied
        .iter()
        .map(|(p, _)| (p.clone(), "float64", "<f8"))
        .collect();
    if with_replication {
        columns.push(("replication".into(), "int64", "<i8"));
    }
    columns.push(("scenario".into(), "int64", "<i8"));
    columns.push(("policy".into(), "category", "|O"));
    columns.push(("model".into(), "category", "|O"));
    let mut experiments = String::new();
    push_csv_line(&mut experiments, columns.iter().map(|c| c.0.as_str()));
    for (r, row) in table.rows.iter().enumerate() {
        let mut fields: Vec<&str> = Vec::with_capacity(columns.len());
        for (path, i) in &varied {
            if row[*i].parse::<f64>().is_err() {
                return Err(csv.row(r, format!("`{path}` is `{}`, expected a number", row[*i])));
            }
            fields.push(&row[*i]);
        }
        if with_replication {
            fields.push(&row[replication]);
        }
        fields.push(&row[sample]);
        fields.push(&row[coa]);
        fields.push(&manifest.scenario);
        push_csv_line(&mut experiments, fields.into_iter());
    }

    // one file per outcome
    let n = table.rows.len();
    let mut outcomes: Vec<(String, String)> = Vec::new();
    for (name, i) in &outcome_cols {
        let mut text = String::with_capacity(n * 12);
        for row in &table.rows {
            text.push_str(if row[*i].is_empty() { "nan" } else { &row[*i] });
            text.push('\n');
        }
        outcomes.push((name.clone(), text));
    }
    for f in &manifest.futures {
        let mut text = String::with_capacity(n * 2);
        for row in &table.rows {
            text.push_str(if row[future] == *f { "1\n" } else { "0\n" });
        }
        outcomes.push((format!("future_{f}"), text));
    }

    let mut members = vec![
        Member {
            name: "experiments.csv".into(),
            bytes: experiments.into_bytes(),
        },
        Member {
            name: "experiments metadata.csv".into(),
            bytes: columns
                .iter()
                .map(|(c, _, descr)| format!("{c},{descr}"))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes(),
        },
    ];
    let names: Vec<String> = outcomes.iter().map(|o| o.0.clone()).collect();
    for (name, text) in outcomes {
        members.push(Member {
            name: format!("{name}.csv"),
            bytes: text.into_bytes(),
        });
    }
    members.push(Member {
        name: "outcomes metadata.csv".into(),
        bytes: names
            .iter()
            .map(|o| format!("{o},({n},)"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
    });
    let metadata = serde_json::json!({
        "version": EMA_FORMAT_VERSION,
        "outcomes": names
            .iter()
            .map(|o| serde_json::json!(["ScalarOutcome", o, format!("{o}.csv")]))
            .collect::<Vec<_>>(),
        "experiments": columns
            .iter()
            .map(|(c, dtype, _)| (c.clone(), serde_json::json!(dtype)))
            .collect::<serde_json::Map<_, _>>(),
    });
    members.push(Member {
        name: "metadata.json".into(),
        bytes: metadata.to_string().into_bytes(),
    });
    Ok(EmaExport {
        members,
        experiments: n,
        outcomes: names,
    })
}

/// Appends one CSV line, quoting fields that hold a comma, quote or newline.
fn push_csv_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;
    use patronfall_ensemble::{Options, Plan, PlanSpec, Sampler};

    /// What the test directory holds: the varied uncertainty's path and the
    /// scenario's futures.
    struct Written {
        varied: String,
        futures: Vec<String>,
    }

    /// A results directory of the built-in template (courses of action
    /// `wait` and `act`) with one varied uncertainty: its manifest as
    /// `patronfall ensemble` makes it, and four hand-written runs.
    fn write_results(dir: &Path, replications: usize) -> Written {
        std::fs::create_dir_all(dir).unwrap();
        let s = patronfall_scenario::open("template").unwrap();
        let varied = s.uncertainties[0].path.clone();
        let spec = PlanSpec {
            sampler: Sampler::MonteCarlo,
            runs: 2,
            replications,
            coas: ["wait", "act"].iter().map(|c| s.coa(c).unwrap()).collect(),
            shock: None,
            days: 10,
            seed: 1,
            vary: vec![varied.clone()],
        };
        let plan = Plan::new(&s, spec).unwrap();
        let options = Options {
            threads: 1,
            chunk: 1,
            keep_series: false,
            series_sample: 0,
        };
        let m = Manifest::new(&s, &plan, &options, Vec::new());
        m.write(dir).unwrap();
        let f = &m.futures;
        std::fs::write(
            dir.join("runs.csv"),
            format!(
                "experiment,sample,replication,coa,seed,future,capital_fell_day,problems,{varied},casualties,stance.g\n\
                 0,0,0,wait,9,{calm},,0,0.25,10,aligned\n\
                 1,0,0,act,9,{storm},12,0,0.25,12.5,hedging\n\
                 2,1,0,wait,7,,,0,0.75,,aligned\n\
                 3,1,0,act,7,{calm},,1,0.75,3,integrated\n",
                calm = f[0],
                storm = f[1]
            ),
        )
        .unwrap();
        Written {
            varied,
            futures: m.futures.clone(),
        }
    }

    fn text<'a>(e: &'a EmaExport, name: &str) -> &'a str {
        let m = e.members.iter().find(|m| m.name == name).unwrap();
        std::str::from_utf8(&m.bytes).unwrap()
    }

    #[test]
    fn builds_the_workbench_layout() {
        let dir = std::env::temp_dir().join(format!("pf-ema-{}", std::process::id()));
        let w = write_results(&dir, 1);
        let x = &w.varied;
        let e = members(&dir).unwrap();
        assert_eq!(e.experiments, 4);
        assert_eq!(
            text(&e, "experiments.csv"),
            format!(
                "{x},scenario,policy,model\n0.25,0,wait,template\n0.25,0,act,template\n\
                 0.75,1,wait,template\n0.75,1,act,template\n"
            )
        );
        let mut outcomes = vec![
            "capital_fell_day".to_string(),
            "problems".into(),
            "casualties".into(),
        ];
        outcomes.extend(w.futures.iter().map(|f| format!("future_{f}")));
        assert_eq!(e.outcomes, outcomes);
        assert_eq!(text(&e, "capital_fell_day.csv"), "nan\n12\nnan\nnan\n");
        assert_eq!(text(&e, "casualties.csv"), "10\n12.5\nnan\n3\n");
        let calm = format!("future_{}.csv", w.futures[0]);
        assert_eq!(text(&e, &calm), "1\n0\n0\n1\n");
        assert_eq!(
            text(&e, "experiments metadata.csv"),
            format!("{x},<f8\nscenario,<i8\npolicy,|O\nmodel,|O")
        );
        assert!(text(&e, "outcomes metadata.csv").starts_with("capital_fell_day,(4,)\n"));
        let meta: serde_json::Value = serde_json::from_str(text(&e, "metadata.json")).unwrap();
        assert_eq!(meta["experiments"]["policy"], "category");
        assert_eq!(meta["outcomes"][2][1], "casualties");
        assert_eq!(meta["outcomes"][2][2], "casualties.csv");
        assert!(e.members.iter().all(|m| !m.name.contains("stance")));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn replications_become_a_column() {
        let dir = std::env::temp_dir().join(format!("pf-ema-rep-{}", std::process::id()));
        let w = write_results(&dir, 2);
        let e = members(&dir).unwrap();
        let header = format!("{},replication,scenario,policy,model\n", w.varied);
        assert!(text(&e, "experiments.csv").starts_with(&header));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_runs_table_is_an_error() {
        let dir = std::env::temp_dir().join(format!("pf-ema-none-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = members(&dir).unwrap_err().to_string();
        assert!(err.contains("manifest.json"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
