//! A what-if as asked for: courses of action, a shock, figures changed,
//! a note; checked, written as a scenario file, and read back by the same
//! rules, with the same messages, as any scenario file.

use crate::workspace::Workspace;
use patronfall_scenario::Scenario;
use patronfall_scenario::edit::{self, Change, Edit};
use serde::Deserialize;
use std::path::PathBuf;

/// A what-if as the page sends it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Courses of action to run (ids).
    pub coas: Vec<String>,
    /// The shock's id, or `none`.
    pub shock: String,
    /// Figures to change.
    pub edits: Vec<EditRequest>,
    /// Why, in a line (written into the scenario file).
    #[serde(default)]
    pub note: String,
}

/// One figure to change.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    /// Its path.
    pub path: String,
    /// Its new value, TOML text.
    pub value: String,
}

/// A checked what-if, ready to run.
#[derive(Clone, Debug)]
pub struct WhatIf {
    /// Courses of action to run.
    pub coas: Vec<String>,
    /// The shock.
    pub shock: String,
    /// The note.
    pub note: String,
    /// What changed.
    pub changes: Vec<Change>,
    /// Its folder in the workspace (`scenario.toml`, `results/`).
    pub folder: PathBuf,
    /// Its scenario file in the folder.
    pub file: PathBuf,
    /// The scenario as changed.
    pub scenario: Scenario,
}

/// Longest note kept.
const MAX_NOTE: usize = 500;

/// Checks a request against the baseline scenario (its text `base_text`),
/// writes the changed scenario to `FOLDER/scenario.toml` (FOLDER being
/// `folder` inside the workspace) and reads it back. The error is the
/// message for people: the scenario reader's, naming the file, line and
/// field, for a figure the rules refuse.
pub fn check(
    request: Request,
    base: &Scenario,
    base_text: &str,
    workspace: &Workspace,
    folder: &[&str],
) -> Result<WhatIf, String> {
    if request.coas.is_empty() {
        return Err("choose at least one course of action".into());
    }
    for c in &request.coas {
        if base.coa(c).is_none() {
            return Err(format!(
                "`{c}` is not a course of action of {}; it has: {}",
                base.id,
                base.ids.coas.join(", ")
            ));
        }
    }
    if request.shock != "none" && base.shock(&request.shock).is_none() {
        return Err(format!(
            "`{}` is not a shock of {}; it has: {} (or `none`)",
            request.shock,
            base.id,
            base.ids.shocks.join(", ")
        ));
    }
    if request.note.chars().count() > MAX_NOTE {
        return Err(format!("the note is longer than {MAX_NOTE} characters"));
    }
    let edits: Vec<Edit> = request
        .edits
        .iter()
        .map(|e| Edit {
            path: e.path.trim().to_string(),
            value: e.value.clone(),
        })
        .collect();
    let note = if request.note.trim().is_empty() {
        "made with patronfall serve".to_string()
    } else {
        request.note.clone()
    };
    let (text, changes) = edit::apply(base_text, &edits, &note).map_err(|e| e.to_string())?;
    let dir = workspace.path(folder).map_err(|e| e.to_string())?;
    let name = format!("{}/scenario.toml", folder.join("/"));
    // Validated before anything is written: the file named as it will be.
    let mut scenario = patronfall_scenario::parse(&name, &text).map_err(|e| e.render())?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{name}: {e}"))?;
    let file = dir.join("scenario.toml");
    patronfall_results::write_atomic(&file, text.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
    // The manifest records where the file is, so that `patronfall report`
    // and `compare` re-open it.
    scenario.file = file.display().to_string();
    // The courses of action in the scenario's order.
    let coas = base
        .ids
        .coas
        .iter()
        .filter(|c| request.coas.contains(c))
        .cloned()
        .collect();
    Ok(WhatIf {
        coas,
        shock: request.shock,
        note: request.note,
        changes,
        folder: dir,
        file,
        scenario,
    })
}
