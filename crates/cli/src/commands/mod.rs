//! One module per command: each describes its arguments and turns them into
//! one library operation. No model arithmetic lives here.

pub mod bargain;
pub mod reference;
