//! How a command fails, and the exit code each failure maps to.
//!
//! Exit codes are part of the interface: 0 success, 1 failure, 2 bad input
//! (a scenario, a results directory, a KTAB file, a flag value the user
//! must fix). The libraries' typed errors become failures here, in one
//! place, by the `From` conversions below.

use patronfall_results::ResultsError;
use std::fmt;
use std::process::ExitCode;

/// A command's failure: what went wrong, already rendered for a person.
#[derive(Debug)]
pub enum Failure {
    /// The input is wrong and the user must fix it (exit code 2).
    BadInput(String),
    /// Something else failed: writing a file, an interrupted job (exit code 1).
    Failed(String),
}

impl Failure {
    /// The documented exit code of this failure.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::BadInput(_) => ExitCode::from(2),
            Failure::Failed(_) => ExitCode::from(1),
        }
    }

    /// A bad-input failure from anything printable.
    pub fn bad_input(message: impl fmt::Display) -> Self {
        Failure::BadInput(message.to_string())
    }

    /// A general failure from anything printable.
    pub fn failed(message: impl fmt::Display) -> Self {
        Failure::Failed(message.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::BadInput(m) | Failure::Failed(m) => f.write_str(m),
        }
    }
}

impl From<ResultsError> for Failure {
    fn from(e: ResultsError) -> Self {
        match e {
            // The library names the analysis's argument; here it is a flag.
            ResultsError::Request {
                choice: Some(choice),
                message,
            } => Failure::BadInput(format!("--{}: {message}", choice.replace('_', "-"))),
            e if e.is_bad_input() => Failure::bad_input(e),
            e => Failure::failed(e),
        }
    }
}

impl From<patronfall_report::ReportError> for Failure {
    fn from(e: patronfall_report::ReportError) -> Self {
        let message = format!("cannot build the report: {e}");
        if e.is_bad_input() {
            Failure::BadInput(message)
        } else {
            Failure::Failed(message)
        }
    }
}

impl From<patronfall_bargain::InputError> for Failure {
    fn from(e: patronfall_bargain::InputError) -> Self {
        Failure::bad_input(e)
    }
}

/// The result type of every command.
pub type CommandResult = Result<(), Failure>;
