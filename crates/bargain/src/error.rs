//! Errors: every problem in a KTAB file or a parameter names the file, the
//! line (when there is one) and what is wrong, so a user can fix it; a
//! parameter that cannot be set ([`ParamError`]) and numbers KTAB would
//! refuse ([`Unusable`], [`ActorProblem`]) say which kind of problem it is,
//! for callers to match.

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

/// A KTAB parameter or BDM option that cannot be set to a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// No parameter (`what`: "parameter") or option ("BDM option") has this name.
    #[error("unknown {what} '{name}'; the {plural} are: {known}")]
    UnknownName {
        /// What was named: "parameter" or "BDM option".
        what: &'static str,
        /// Its plural, as the message lists them.
        plural: &'static str,
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// The value is not one of the parameter's choices.
    #[error("{name} cannot be '{value}'; use one of: {allowed}")]
    NotAChoice {
        /// The parameter.
        name: String,
        /// The value given.
        value: String,
        /// Its choices, comma-separated.
        allowed: String,
    },
    /// The value is not a number of the kind the parameter takes.
    #[error("{name} must be {expected}, not '{value}'")]
    NotANumber {
        /// The parameter.
        name: String,
        /// What it takes, e.g. "a whole number of turns".
        expected: &'static str,
        /// The value given.
        value: String,
    },
    /// The value is a number outside the parameter's range.
    #[error("{name} must {range}, not {value}")]
    OutOfRange {
        /// The parameter.
        name: String,
        /// Its range, as a predicate: "lie in [0, 1]".
        range: &'static str,
        /// The value given.
        value: String,
    },
}

/// What is wrong with one actor's numbers, against KTAB's limits.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActorProblem {
    /// An empty name.
    #[error("the name is empty")]
    EmptyName,
    /// A name over KTAB's 25 characters.
    #[error("the name is longer than KTAB's 25 characters")]
    NameTooLong,
    /// A description over KTAB's 256 characters.
    #[error("the description is longer than KTAB's 256 characters")]
    DescriptionTooLong,
    /// A capability that is not positive and below 1e8.
    #[error("capability must be positive and below 1e8, not {0}")]
    Capability(f64),
    /// Not one position and one salience per dimension.
    #[error("needs {dims} positions and {dims} saliences, has {positions} and {saliences}")]
    Dimensions {
        /// Dimensions of the scenario.
        dims: usize,
        /// Positions given.
        positions: usize,
        /// Saliences given.
        saliences: usize,
    },
    /// A position outside 0..100 (`dimension` is 1-based).
    #[error("position {dimension} is {value}, outside [0, 100]")]
    Position {
        /// The dimension, from 1.
        dimension: usize,
        /// The position.
        value: f64,
    },
    /// A salience outside 0..100 (`dimension` is 1-based).
    #[error("salience {dimension} is {value}, outside [0, 100]")]
    Salience {
        /// The dimension, from 1.
        dimension: usize,
        /// The salience.
        value: f64,
    },
    /// Saliences summing to more than 100.
    #[error("saliences sum to {0}, more than 100")]
    SalienceSum(f64),
    /// Saliences all zero.
    #[error("saliences are all zero; the actor would care about nothing")]
    NoSalience,
}

/// A scenario whose numbers KTAB's readers would refuse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unusable {
    /// Too few or too many actors.
    #[error("a scenario needs {min} to {max} actors, this one has {count}")]
    ActorCount {
        /// Fewest allowed.
        min: usize,
        /// Most allowed.
        max: usize,
        /// Actors given.
        count: usize,
    },
    /// No dimension.
    #[error("a scenario needs at least one dimension")]
    NoDimension,
    /// One actor's numbers (`number` is 1-based).
    #[error("actor {number} ('{name}'): {problem}")]
    Actor {
        /// The actor, from 1.
        number: usize,
        /// Its name.
        name: String,
        /// What is wrong.
        problem: ActorProblem,
    },
    /// One stakeholder's numbers (`index` is 0-based, as `predict` takes them).
    #[error("stakeholder {index}: {problem}")]
    Stakeholder {
        /// The stakeholder, from 0.
        index: usize,
        /// What is wrong.
        problem: ActorProblem,
    },
    /// Two actors with one name.
    #[error("actor name '{0}' appears twice")]
    DuplicateName(String),
    /// An ideal adjustment between actors that do not exist.
    #[error("an ideal-adjustment pair names an actor that does not exist")]
    AdjustmentActor,
    /// An ideal adjustment outside [0, 1].
    #[error("ideal adjustment of '{actor}' toward '{toward}' must lie in [0, 1], not {rate}")]
    AdjustmentRate {
        /// The actor that adjusts.
        actor: String,
        /// The actor it adjusts toward.
        toward: String,
        /// The rate given.
        rate: f64,
    },
    /// One actor's ideal adjustments summing to more than 1.
    #[error("the ideal adjustments of '{actor}' sum to {sum:.3}, more than 1")]
    AdjustmentSum {
        /// The actor.
        actor: String,
        /// The sum.
        sum: f64,
    },
}

/// A number field of a KTAB file that is not a finite number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NumberError {
    /// Nothing written.
    #[error("{what} is empty")]
    Empty {
        /// What the field is, e.g. "the capability".
        what: String,
    },
    /// Not a finite number.
    #[error("{what} must be a number, not '{text}'")]
    NotANumber {
        /// What the field is.
        what: String,
        /// The text found.
        text: String,
    },
}
