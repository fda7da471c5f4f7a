//! Scenario errors: every problem names the file, line, column and field,
//! says what was expected and how to fix it.
//!
//! Validation collects all problems it finds rather than stopping at the
//! first, so an analyst fixes a file in one pass. Each problem renders as
//! `file:line:column: field: message` followed by the offending line with a
//! marker (a miette report), and a help line.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};
use std::fmt;
use std::ops::Range;

/// One thing wrong with a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Byte range in the file, when known.
    pub span: Option<Range<usize>>,
    /// The field, as a path such as `armed_group.kh.fighters`.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// A scenario that cannot be used, with every problem found.
#[derive(Clone, Debug)]
pub struct ScenarioError {
    /// The file name as the user gave it (or the built-in's name).
    pub file: String,
    /// The file's text.
    pub text: String,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, col)
}

#[derive(Debug)]
struct Report {
    message: String,
    help: String,
    src: NamedSource<String>,
    span: Option<SourceSpan>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.help.is_empty() {
            None
        } else {
            Some(Box::new(&self.help))
        }
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.span.map(|s| {
            Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
                Some("here".into()),
                s,
            ))) as Box<dyn Iterator<Item = _>>
        })
    }
}

impl ScenarioError {
    /// The location prefix `file:line:column` of a problem.
    pub fn location(&self, p: &Problem) -> String {
        match &p.span {
            Some(span) => {
                let (line, col) = line_col(&self.text, span.start);
                format!("{}:{line}:{col}", self.file)
            }
            None => self.file.clone(),
        }
    }

    /// Renders every problem with its location, source excerpt and help.
    pub fn render(&self) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_context_lines(1);
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&format!(
                "error: {}: {}: {}\n",
                self.location(p),
                p.field,
                p.message
            ));
            let report = Report {
                message: format!("{}: {}", p.field, p.message),
                help: p.help.clone(),
                src: NamedSource::new(&self.file, self.text.clone()),
                span: p
                    .span
                    .as_ref()
                    .map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
            };
            let mut excerpt = String::new();
            if handler.render_report(&mut excerpt, &report).is_ok() {
                // miette opens with its own `× message` line, which repeats
                // the `error:` line above; keep only the excerpt and help.
                let body = match excerpt.split_once('\n') {
                    Some((first, rest)) if first.trim_start().starts_with('×') => rest,
                    _ => excerpt.as_str(),
                };
                out.push_str(body);
            }
            out.push('\n');
        }
        let n = self.problems.len();
        out.push_str(&format!(
            "{n} problem{} in {}\n",
            if n == 1 { "" } else { "s" },
            self.file
        ));
        out
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(
                f,
                "{}: {}: {} (help: {})",
                self.location(p),
                p.field,
                p.message,
                p.help
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_problem_is_said_once_with_its_excerpt_and_help() {
        let e = ScenarioError {
            file: "s.toml".into(),
            text: "a = 1\nbb = 2\n".into(),
            problems: vec![Problem {
                span: Some(6..8),
                field: "bb".into(),
                message: "is wrong".into(),
                help: "fix bb".into(),
            }],
        };
        let text = e.render();
        assert!(
            text.starts_with("error: s.toml:2:1: bb: is wrong\n"),
            "{text}"
        );
        assert_eq!(text.matches("is wrong").count(), 1, "{text}");
        assert!(!text.contains('×'), "{text}");
        assert!(text.contains("bb = 2") && text.contains("fix bb"), "{text}");
        assert!(text.ends_with("1 problem in s.toml\n"), "{text}");
    }

    #[test]
    fn line_and_column_are_one_based() {
        let t = "a = 1\nbb = 2\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        assert_eq!(line_col(t, 9), (2, 4));
    }
}
