//! Input errors: every problem in a KTAB file or a parameter names the file,
//! the line (when there is one) and what is wrong, so a user can fix it.

use std::fmt;

/// A problem found while reading a scenario or a parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file name as given by the caller (or `--param` for parameters).
    pub file: String,
    /// 1-based line number of the offending text, when it has one.
    pub line: Option<usize>,
    /// What is wrong, written for the person who has to fix it.
    pub message: String,
}

impl InputError {
    /// An error located on one line of a file.
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// An error about a whole file (or a value with no line).
    pub fn whole(file: &str, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for InputError {}
