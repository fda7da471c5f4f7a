//! Placeholder crate root; its owner fills it in.
