//! ensemble
