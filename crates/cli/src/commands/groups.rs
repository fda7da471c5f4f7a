//! `patronfall ensemble --groups`: how a sensitivity design groups the
//! figures. `entity` and `kind` read the figures' paths
//! (`patronfall_scenario::paths`); any other value is a groups file, TOML
//! with one key per group and a list of path patterns (exact, or a prefix
//! ending in `*`) as its value:
//!
//! ```toml
//! patron = ["state.iran.*", "tie.iran->*"]
//! militias = ["armed_group.*"]
//! ```
//!
//! A figure no pattern matches stays a group of its own. Every problem
//! names the file and line.

use crate::failure::Failure;
use patronfall_ensemble::plan::matches_path;
use patronfall_ensemble::{DUMMY, Grouping, NamedGroup};
use patronfall_scenario::Scenario;
use patronfall_scenario::error::line_col;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// The grouping `--groups` names (`figures` when absent).
pub fn grouping(arg: Option<&str>, scenario: &Scenario) -> Result<Grouping, Failure> {
    match arg {
        None | Some("figures") => Ok(Grouping::Figures),
        Some("entity") => Ok(Grouping::Entity),
        Some("kind") => Ok(Grouping::Kind),
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                Failure::bad_input(format!(
                    "--groups: cannot read `{file}` ({e}); give `entity`, `kind` or a groups file"
                ))
            })?;
            parse(Path::new(file), &text, scenario).map(Grouping::Named)
        }
    }
}

type File = BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>;

/// Reads a groups file's text.
fn parse(file: &Path, text: &str, scenario: &Scenario) -> Result<Vec<NamedGroup>, Failure> {
    let at = |offset: usize| format!("{}:{}", file.display(), line_col(text, offset).0);
    let help = "write one line per group, `name = [\"path.pattern\", \"prefix.*\"]`";
    let table: File = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(String::new(), |s| format!(":{}", line_col(text, s.start).0));
        Failure::bad_input(format!("{}{line}: {}; {help}", file.display(), e.message()))
    })?;
    if table.is_empty() {
        return Err(Failure::bad_input(format!(
            "{}: names no group; {help}",
            file.display()
        )));
    }
    let mut owner: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    let mut groups = Vec::with_capacity(table.len());
    for (name, patterns) in &table {
        let here = at(name.span().start);
        if name.get_ref() == DUMMY {
            return Err(Failure::bad_input(format!(
                "{here}: `{DUMMY}` is the name of the design's dummy factor; name the group otherwise"
            )));
        }
        if patterns.get_ref().is_empty() {
            return Err(Failure::bad_input(format!(
                "{here}: group `{}` lists no figure; {help}",
                name.get_ref()
            )));
        }
        for p in patterns.get_ref() {
            let line = at(p.span().start);
            let matched: Vec<&str> = scenario
                .uncertainties
                .iter()
                .map(|u| u.path.as_str())
                .filter(|path| matches_path(p.get_ref(), path))
                .collect();
            if matched.is_empty() {
                return Err(Failure::bad_input(format!(
                    "{line}: `{}` (group `{}`) matches no uncertain figure of {}; \
                     `patronfall scenario show` lists the figures, and a trailing `*` matches a prefix",
                    p.get_ref(),
                    name.get_ref(),
                    scenario.id
                )));
            }
            for path in matched {
                if let Some((other, other_offset)) =
                    owner.insert(path, (name.get_ref(), p.span().start))
                    && other != name.get_ref()
                {
                    return Err(Failure::bad_input(format!(
                        "{line}: `{path}` is in group `{}` and in group `{other}` ({}); a figure belongs to one group",
                        name.get_ref(),
                        at(other_offset)
                    )));
                }
            }
        }
        groups.push(NamedGroup {
            name: name.get_ref().clone(),
            patterns: patterns
                .get_ref()
                .iter()
                .map(|p| p.get_ref().clone())
                .collect(),
        });
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<NamedGroup>, String> {
        let s = patronfall_scenario::open("template").unwrap();
        parse(Path::new("groups.toml"), text, &s).map_err(|e| e.to_string())
    }

    #[test]
    fn a_groups_file_names_groups_of_patterns() {
        let s = patronfall_scenario::open("template").unwrap();
        let first = &s.uncertainties[0].path;
        let table = first.split('.').next().unwrap();
        let g = read(&format!("one = [\"{table}.*\"]\n")).unwrap();
        assert_eq!(g[0].name, "one");
        assert_eq!(g[0].patterns, [format!("{table}.*")]);
    }

    #[test]
    fn problems_name_the_file_and_line() {
        let e = read("\na = [\"nothing.*\"]\n").unwrap_err();
        assert!(
            e.contains("groups.toml:2") && e.contains("matches no uncertain figure"),
            "{e}"
        );
        let e = read("dummy = [\"state.*\"]\n").unwrap_err();
        assert!(
            e.contains("groups.toml:1") && e.contains("dummy factor"),
            "{e}"
        );
        let e = read("a = [\"state.*\"]\nb = [\n  \"state.*\",\n]\n").unwrap_err();
        assert!(
            e.contains("groups.toml:3")
                && e.contains("in group `b` and in group `a` (groups.toml:1)"),
            "{e}"
        );
        let e = read("a = 3\n").unwrap_err();
        assert!(e.contains("groups.toml:1"), "{e}");
        assert!(read("").unwrap_err().contains("names no group"));
        assert!(read("a = []").unwrap_err().contains("lists no figure"));
    }
}
