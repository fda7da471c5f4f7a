//! The report: one self-contained `report.html` for a results directory,
//! and every chart as SVG and PNG under `figures/` for slides.
//!
//! This crate is the only one that knows HTML. Its key function is
//! [`build`]: it reads the manifest, `runs.csv`, `timeseries.parquet` and
//! the optional analyses (`analysis/sensitivity.json`,
//! `analysis/discover.json`, `analysis/compare.json`, as the types `patronfall analyze` saves them
//! in, from `patronfall_results::analyses`), re-opens the scenario named in the manifest,
//! replays one representative run per course of action for the per-entity
//! panels and the narrative, draws the charts with `plotters`, lays out the
//! actor network with `fdg-sim`, and writes the page atomically.
//!
//! Absences that define it: it makes no network request and the page it
//! writes cannot make one (a strict Content-Security-Policy, inline CSS and
//! SVG only); every piece of scenario text is escaped; nothing depends on a
//! clock or on hash order, so the same directory gives the same page.
//!
//! Modules: [`html`] (escaping, page skeleton), [`page`] (the sections),
//! [`charts`] (plotters charts, PNG via resvg), [`futures`] (the futures
//! table and paired differences), [`timeseries`] (fan-chart table),
//! [`representative`] (choosing and replaying a run), [`network`] (graph
//! layout).

pub mod charts;
pub mod error;
pub mod futures;
pub mod html;
pub mod network;
pub mod page;
pub mod representative;
pub mod timeseries;

pub use error::ReportError;

use patronfall_results::analyses::compare::Comparison;
use patronfall_results::analyses::discover::Discovery;
use patronfall_results::analyses::margins::{Margins, held};
use patronfall_results::analyses::sensitivity::Sensitivity;
use patronfall_results::analyses::{self, Analysis, Results, Stored, signposts, update};
use patronfall_results::write_atomic;
use std::path::{Path, PathBuf};

/// What [`build`] wrote and found.
#[derive(Clone, Debug)]
pub struct Report {
    /// The report's path (`DIR/report.html`).
    pub path: PathBuf,
    /// The figure files written (SVG and PNG), in page order.
    pub figures: Vec<PathBuf>,
    /// Section ids in page order.
    pub sections: Vec<String>,
    /// Warnings shown at the top of the report.
    pub warnings: Vec<String>,
    /// Whether the ensemble was complete.
    pub complete: bool,
    /// Futures per course of action (for a terminal summary).
    pub futures: futures::FutureTable,
}

fn open_scenario(
    manifest: &patronfall_results::Manifest,
) -> Result<patronfall_scenario::Scenario, patronfall_scenario::ScenarioError> {
    let name = manifest
        .scenario_file
        .strip_prefix("builtin:")
        .unwrap_or(&manifest.scenario_file);
    patronfall_scenario::open_with(name, manifest.reading())
}

/// Builds `DIR/report.html` and `DIR/figures/*` from a results directory.
pub fn build(dir: &Path) -> Result<Report, ReportError> {
    build_with(dir, None)
}

/// [`build`], with the futures updated from an observations file (the
/// format of `patronfall update --observed`) shown beside the prior.
pub fn build_with(dir: &Path, observed: Option<&Path>) -> Result<Report, ReportError> {
    let manifest = patronfall_results::read::whole_manifest(dir)?;
    let runs_path = patronfall_results::read::runs_path(dir);
    // Only the columns the futures, what decided them and the choice of
    // representative runs need; the representative rows are read whole
    // later.
    let margins = manifest.margin_columns();
    let slim = |c: &str| {
        [
            "coa",
            "sample",
            "replication",
            "future",
            "experiment",
            "seed",
        ]
        .contains(&c)
            || representative::KEY_OUTCOMES.contains(&c)
            || margins.iter().any(|m| m == c)
    };
    let runs = patronfall_results::read::runs_where(dir, slim, |_| true)?;
    let fans_path = dir.join("timeseries.parquet");
    let recovered =
        !manifest.files.is_empty() && !manifest.files.iter().any(|f| f == "timeseries.parquet");
    let fans = if recovered && !fans_path.exists() {
        timeseries::Fans::default()
    } else {
        timeseries::read(&fans_path)?
    };
    let mut warnings = Vec::new();
    if recovered {
        warnings.push(
            "These results were recovered from an ensemble that was killed (`patronfall recover`): the finished runs are all here, but the fan charts of key outcomes over time could not be recovered.".to_string(),
        );
    }
    if let Some(f) = &manifest.follow_up {
        warnings.push(format!(
            "These runs are a targeted follow-up of {}: their samples were drawn where the observations in {} point, not from the scenario's prior, so the shares of futures counted from them are not the futures' probabilities. The posterior, which weights each run by the observations and by its importance correction, is `analysis/update.json` (`patronfall update DIR --observed FILE`, or this report built with --observed).",
            f.parent, f.observations
        ));
    }
    // An analysis is shown only if it was computed from this directory's runs.
    let runs_sha256 = patronfall_results::read::runs_sha256(dir)?;
    let sensitivity: Option<Sensitivity> = current(dir, &runs_sha256, &mut warnings)?;
    let discover: Option<Discovery> = current(dir, &runs_sha256, &mut warnings)?;
    let compare: Option<Comparison> = current(dir, &runs_sha256, &mut warnings)?;

    let scenario = match open_scenario(&manifest) {
        Ok(s) => {
            if s.hash != manifest.scenario_sha256 {
                warnings.push(format!(
                    "The scenario file {} has changed since the ensemble ran (SHA-256 {} now, {} in the manifest): the scenario tables, the network and the replayed representative runs follow the file as it is now and may differ from the ensemble.",
                    manifest.scenario_file, s.hash, manifest.scenario_sha256
                ));
            }
            Some(s)
        }
        Err(e) => {
            let e = e.render();
            warnings.push(format!(
                "The scenario {} could not be re-opened, so the sections that need it are left out: {e}",
                manifest.scenario_file
            ));
            None
        }
    };

    let results = Results::from_table(dir, manifest, runs)?;
    let (table, paired) = futures::compute(&results)?;
    let decided = Margins::read(&results)
        .map(|m| held(&results, &m))
        .map_err(|e| e.to_string());
    // What to watch: computed here from the indicators, so that every
    // report has it; the update only when observations are given.
    let all: Vec<usize> = (0..results.manifest.coas.len()).collect();
    let indicators = if dir.join(patronfall_results::indicators::CSV).exists() {
        Some(signposts::indicator_table(&results)?)
    } else {
        None
    };
    let watch = match &indicators {
        Some(t) => Some(signposts::analyse(&results, t, &all)?),
        None => None,
    };
    let observed_update = match (observed, &indicators) {
        (Some(file), Some(t)) => {
            let seen = update::read_observations(file, t)?;
            Some(update::analyse(&results, t, &seen, &all)?)
        }
        (Some(file), None) => {
            return Err(ReportError::failed(
                file,
                "the results directory has no indicators.csv to compare the observations with: run the ensemble again with this version".to_string(),
            ));
        }
        (None, _) => None,
    };
    let Results {
        manifest,
        table: runs,
        ..
    } = results;
    let reps = match &scenario {
        Some(s) => representative::replay_all(s, &manifest, &runs, &runs_path)?,
        None => Vec::new(),
    };
    for r in &reps {
        if r.recorded_future != r.replayed_future {
            warnings.push(format!(
                "The replay of experiment {} ({}) reached {} where the ensemble recorded {}: the scenario or the model changed since the ensemble ran.",
                r.experiment, r.coa, r.replayed_future, r.recorded_future
            ));
        }
    }

    let inputs = page::Inputs {
        manifest: &manifest,
        scenario: scenario.as_ref(),
        futures: &table,
        paired: &paired,
        fans: &fans,
        reps: &reps,
        sensitivity: sensitivity.as_ref(),
        discover: discover.as_ref().map(std::slice::from_ref),
        signposts: watch.as_ref(),
        update: observed_update.as_ref(),
        compare: compare.as_ref(),
        decided: decided.as_deref().map_err(Clone::clone),
        warnings: &warnings,
    };
    let (page, figs) = page::build(&inputs);
    let figures = write_figures(&dir.join("figures"), &figs.list)?;
    let path = dir.join("report.html");
    write_atomic(&path, page.render().as_bytes())
        .map_err(|e| ReportError::failed(&path, format!("cannot write: {e}")))?;
    Ok(Report {
        path,
        figures,
        sections: page.section_ids().iter().map(|s| s.to_string()).collect(),
        warnings,
        complete: manifest.complete,
        futures: table,
    })
}

/// An analysis of `dir` if it was computed from the runs whose `runs.csv`
/// has this SHA-256; a warning, and `None`, if it was computed from others.
fn current<T: Analysis>(
    dir: &Path,
    runs_sha256: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<T>, ReportError> {
    Ok(match analyses::load::<T>(dir, runs_sha256)? {
        Stored::Absent => None,
        Stored::Current(a) => Some(a),
        Stored::Stale(why) => {
            warnings.push(format!(
                "analysis/{}.json {why}, so it is not shown; run `patronfall analyze {} {}` again to include it.",
                T::NAME,
                T::NAME,
                dir.display()
            ));
            None
        }
    })
}

/// Whether a file name is one the report writes under `figures/`: two
/// digits, a dash, a stem, `.svg` or `.png`.
fn is_figure_file(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 7
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b'-'
        && (name.ends_with(".svg") || name.ends_with(".png"))
}

/// Writes each figure as SVG and PNG (twice the pixel size, for slides),
/// after removing the figure files of an earlier build so that `figures/`
/// holds exactly the report's figures (other files are left alone).
fn write_figures(dir: &Path, figs: &[charts::Figure]) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| ReportError::failed(dir, format!("cannot create: {e}")))?;
    let old = std::fs::read_dir(dir)
        .map_err(|e| ReportError::failed(dir, format!("cannot list: {e}")))?;
    for entry in old.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_file() && name.to_str().is_some_and(is_figure_file) {
            std::fs::remove_file(&path)
                .map_err(|e| ReportError::failed(&path, format!("cannot remove: {e}")))?;
        }
    }
    let raster = charts::Rasterizer::new();
    let mut out = Vec::with_capacity(figs.len() * 2);
    for f in figs {
        let svg = dir.join(format!("{}.svg", f.id));
        write_atomic(&svg, f.svg.as_bytes())
            .map_err(|e| ReportError::failed(&svg, format!("cannot write: {e}")))?;
        let png_path = dir.join(format!("{}.png", f.id));
        let png = raster
            .png(&f.svg, 2.0)
            .map_err(|e| ReportError::failed(&png_path, format!("cannot render: {e}")))?;
        write_atomic(&png_path, &png)
            .map_err(|e| ReportError::failed(&png_path, format!("cannot write: {e}")))?;
        out.push(svg);
        out.push(png_path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuild_replaces_old_figures_and_keeps_other_files() {
        let dir = std::env::temp_dir().join(format!("pf-report-figs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "07-old-chart.svg",
            "07-old-chart.png",
            "notes.txt",
            "logo.png",
        ] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let svg = charts::draw(20, 10, |_| Ok(())).unwrap();
        let fig = charts::Figure {
            id: "01-new".into(),
            caption: "new".into(),
            svg,
        };
        let written = write_figures(&dir, &[fig]).unwrap();
        assert_eq!(written.len(), 2);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["01-new.png", "01-new.svg", "logo.png", "notes.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use patronfall_ensemble::{Options, Plan, PlanSpec, Sampler};
    use patronfall_results::Manifest;
    use patronfall_scenario::Scenario;

    /// The manifest of a one-sample Monte Carlo ensemble of a scenario with
    /// every course of action, made as `patronfall ensemble` makes it.
    pub fn manifest(s: &Scenario, shock: &str, days: u32) -> Manifest {
        let spec = PlanSpec {
            sampler: Sampler::MonteCarlo,
            runs: 1,
            replications: 1,
            coas: (0..s.ids.coas.len())
                .map(patronfall_model::CoaId::at)
                .collect(),
            shock: s.shock(shock),
            days,
            seed: 1,
            vary: Vec::new(),
        };
        let plan = Plan::new(s, spec).expect("a one-sample plan");
        let options = Options {
            threads: 1,
            chunk: 1,
            keep_series: false,
            series_sample: 1,
        };
        let mut m = Manifest::new(s, &plan, &options, vec!["patronfall".into()]);
        m.experiments_done = m.experiments_planned;
        m.complete = true;
        m
    }
}
