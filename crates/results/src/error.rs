//! Why a results directory cannot be written, read or analysed.
//!
//! Every variant names the file (or the choice) at fault and says what is
//! wrong in words for people; [`ResultsError::is_bad_input`] tells the
//! command whether the user must fix something (exit code 2) or something
//! else failed (exit code 1).

use patronfall_analysis::AnalysisError;
use std::path::{Path, PathBuf};

/// A results-directory failure.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// A file of the directory is missing, not what it should be, or does
    /// not agree with the manifest: the message says what to do.
    #[error("{}", at(file, *line, message))]
    Input {
        /// The file at fault.
        file: PathBuf,
        /// Its line (1 is the first), when one is at fault.
        line: Option<u64>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// What an analysis was asked does not fit these results: a name they
    /// do not have, a design they were not drawn with, a share outside
    /// 0–1. `choice` names the analysis's argument at fault (the command
    /// line's flag of the same name), when one is.
    #[error("{}{message}", choice.map_or(String::new(), |c| format!("{c}: ")))]
    Request {
        /// The argument at fault.
        choice: Option<&'static str>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A file could not be created, written or moved into place.
    #[error("cannot {doing} {}: {source}", file.display())]
    Io {
        /// What was being done (`create`, `write`, `move into place`).
        doing: &'static str,
        /// The file.
        file: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// A table could not be encoded into its file (CSV, Parquet, JSON).
    #[error("cannot write {}: {message}", file.display())]
    Encode {
        /// The file.
        file: PathBuf,
        /// The encoder's reason.
        message: String,
    },
    /// The runs do not follow the design their manifest names (the rows of
    /// a Saltelli or Morris plan were changed or mixed up).
    #[error("{}: {message}", file.display())]
    Design {
        /// The file whose rows break the design.
        file: PathBuf,
        /// Which rows, and how.
        message: String,
    },
    /// An analysis failed on inputs that passed every check.
    #[error("{what}: {source}")]
    Analysis {
        /// The analysis.
        what: &'static str,
        /// The analysis crate's reason.
        source: AnalysisError,
    },
}

fn at(file: &Path, line: Option<u64>, message: &str) -> String {
    match line {
        Some(l) => format!("{}: line {l}: {message}", file.display()),
        None => format!("{}: {message}", file.display()),
    }
}

impl ResultsError {
    /// Whether the user must fix the input or the request (exit code 2),
    /// rather than something else having failed (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ResultsError::Input { .. } | ResultsError::Request { .. }
        )
    }

    /// The file at fault, when one is.
    pub fn file(&self) -> Option<&Path> {
        match self {
            ResultsError::Input { file, .. }
            | ResultsError::Io { file, .. }
            | ResultsError::Encode { file, .. }
            | ResultsError::Design { file, .. } => Some(file),
            ResultsError::Request { .. } | ResultsError::Analysis { .. } => None,
        }
    }

    /// Bad input in `file`, at `line` when known.
    pub fn input(file: &Path, line: Option<u64>, message: impl Into<String>) -> Self {
        ResultsError::Input {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// A request these results cannot answer; `choice` names the argument.
    pub fn request(choice: Option<&'static str>, message: impl Into<String>) -> Self {
        ResultsError::Request {
            choice,
            message: message.into(),
        }
    }

    /// An I/O failure while doing something to `file`.
    pub fn io(doing: &'static str, file: &Path) -> impl FnOnce(std::io::Error) -> Self + use<> {
        let file = file.to_path_buf();
        move |source| ResultsError::Io {
            doing,
            file,
            source,
        }
    }

    /// An encoder's failure while writing `file`.
    pub fn encode<E: std::fmt::Display>(file: &Path) -> impl FnOnce(E) -> Self + use<E> {
        let file = file.to_path_buf();
        move |e| ResultsError::Encode {
            file,
            message: e.to_string(),
        }
    }

    /// An analysis's failure.
    pub fn analysis(what: &'static str) -> impl FnOnce(AnalysisError) -> Self {
        move |source| ResultsError::Analysis { what, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_line_and_choice() {
        let e = ResultsError::input(Path::new("d/runs.csv"), Some(3), "`sample` is `x`");
        assert_eq!(e.to_string(), "d/runs.csv: line 3: `sample` is `x`");
        assert!(e.is_bad_input());
        let e = ResultsError::request(Some("baseline"), "`z` is not a course of action");
        assert_eq!(e.to_string(), "baseline: `z` is not a course of action");
        let e = ResultsError::io("write", Path::new("d/a.json"))(std::io::Error::other("full"));
        assert_eq!(e.to_string(), "cannot write d/a.json: full");
        assert!(!e.is_bad_input());
    }
}
