//! patronfall model
