//! Readers for KTAB's scenario files (bargaining brief §1.4). Both parse
//! from text plus a file name used in messages; only `read_path` touches
//! the file system.

pub mod csv;
pub mod xml;

use crate::error::{InputError, NumberError};
use crate::scenario::Scenario;

/// Parses a KTAB file, choosing the reader by content: XML if the first
/// non-blank character is `<`, CSV otherwise.
pub fn parse(text: &str, file: &str) -> Result<Scenario, InputError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('<') {
        xml::parse(text, file)
    } else {
        csv::parse(text, file)
    }
}

/// Reads and parses a KTAB CSV or XML file.
pub fn read_path(path: &std::path::Path) -> Result<Scenario, InputError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::whole(&name, format!("cannot read the file: {e}")))?;
    parse(&text, &name)
}

/// Parses a number field, naming what it is on failure.
pub(crate) fn number(text: &str, what: &str) -> Result<f64, NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError::Empty {
            what: what.to_string(),
        });
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(NumberError::NotANumber {
            what: what.to_string(),
            text: t.to_string(),
        }),
    }
}
