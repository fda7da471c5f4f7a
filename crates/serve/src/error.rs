//! `ServeError`: why the server could not start or stopped.

use std::path::PathBuf;

/// Why `patronfall serve` could not start, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A setting the user must change (a scenario that does not validate,
    /// a shock it does not have, a number out of range).
    #[error("{0}")]
    BadInput(String),
    /// The workspace folder cannot be made or read.
    #[error("workspace {path}: {source}")]
    Workspace {
        /// The folder as given.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The address cannot be listened on.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// Host and port.
        address: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The server's threads could not start or the server stopped.
    #[error("the server failed: {0}")]
    Server(std::io::Error),
}

impl ServeError {
    /// Whether the user must fix the input (exit code 2 in the CLI).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, ServeError::BadInput(_))
    }
}
