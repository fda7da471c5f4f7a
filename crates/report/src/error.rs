//! Why a report cannot be built: always names the file and what is wrong.

use patronfall_results::ResultsError;
use std::fmt;
use std::path::{Path, PathBuf};

/// A report failure, by whose fault it is: an input the user must fix, the
/// results directory as its reader found it, or something else (writing,
/// rendering). Each names the file involved.
#[derive(Debug)]
pub enum ReportError {
    /// An input file is wrong (the user must fix it).
    Input {
        /// The file that could not be used.
        file: PathBuf,
        /// What is wrong, and where in the file when known.
        message: String,
    },
    /// Something else failed around a file: writing, rendering.
    Failed {
        /// The file that could not be written or rendered.
        file: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The results directory could not be read (its reader says whose fault).
    Results(ResultsError),
}

impl ReportError {
    /// Bad input in `file`.
    pub fn input(file: &Path, message: impl fmt::Display) -> Self {
        ReportError::Input {
            file: file.to_path_buf(),
            message: message.to_string(),
        }
    }

    /// Something else failed around `file` (writing, rendering).
    pub fn failed(file: &Path, message: impl fmt::Display) -> Self {
        ReportError::Failed {
            file: file.to_path_buf(),
            message: message.to_string(),
        }
    }

    /// Whether the input is at fault (the user must fix it) rather than the machine.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ReportError::Input { .. } => true,
            ReportError::Failed { .. } => false,
            ReportError::Results(e) => e.is_bad_input(),
        }
    }

    /// The file involved, when there is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            ReportError::Input { file, .. } | ReportError::Failed { file, .. } => Some(file),
            ReportError::Results(e) => e.file(),
        }
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            ReportError::Input { message, .. } | ReportError::Failed { message, .. } => {
                message.clone()
            }
            ReportError::Results(e) => e.to_string(),
        };
        // Readers' messages often name the file already; say it once.
        let file = self.file().map(|p| p.display().to_string());
        match file {
            Some(file) if !message.contains(&file) => write!(f, "{file}: {message}"),
            _ => f.write_str(&message),
        }
    }
}

impl std::error::Error for ReportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReportError::Results(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ResultsError> for ReportError {
    fn from(e: ResultsError) -> Self {
        ReportError::Results(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_once() {
        let e = ReportError::input(Path::new("d/runs.csv"), "line 3: no coa");
        assert!(e.is_bad_input());
        assert_eq!(e.to_string(), "d/runs.csv: line 3: no coa");
        let e = ReportError::failed(Path::new("d/report.html"), "d/report.html is read-only");
        assert!(!e.is_bad_input());
        assert_eq!(e.to_string(), "d/report.html is read-only");
    }
}
