//! One module per command: each describes its arguments and turns them into
//! one library operation. No model arithmetic lives here.

pub mod analyze;
pub mod backtest;
pub mod bargain;
pub mod cluster;
pub mod common;
pub mod compare;
pub mod ensemble;
pub mod export;
pub mod groups;
pub mod recover;
pub mod reference;
pub mod report;
pub mod results;
pub mod run;
pub mod scenario;
pub mod serve;
pub mod signposts;
pub mod update;
