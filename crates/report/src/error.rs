//! Why a report cannot be built: always names the file and what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// A report failure: the file involved and a sentence for people.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportError {
    /// The file that could not be read or written (or the results directory).
    pub file: PathBuf,
    /// What is wrong, and where in the file when known.
    pub message: String,
    /// Whether the input is at fault (the user must fix it) rather than the machine.
    pub bad_input: bool,
}

impl ReportError {
    /// Bad input in `file`.
    pub fn input(file: &Path, message: impl fmt::Display) -> Self {
        ReportError {
            file: file.to_path_buf(),
            message: message.to_string(),
            bad_input: true,
        }
    }

    /// Something else failed around `file` (writing, rendering).
    pub fn failed(file: &Path, message: impl fmt::Display) -> Self {
        ReportError {
            file: file.to_path_buf(),
            message: message.to_string(),
            bad_input: false,
        }
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Readers' messages often name the file already; say it once.
        let file = self.file.display().to_string();
        if self.message.contains(&file) {
            f.write_str(&self.message)
        } else {
            write!(f, "{file}: {}", self.message)
        }
    }
}

impl std::error::Error for ReportError {}

impl From<patronfall_results::ResultsError> for ReportError {
    fn from(e: patronfall_results::ResultsError) -> Self {
        ReportError {
            file: e.file().map(Path::to_path_buf).unwrap_or_default(),
            message: e.to_string(),
            bad_input: e.is_bad_input(),
        }
    }
}
