//! One module per subcommand: each turns command-line options into library calls.

pub mod build;
pub mod check;
pub mod import;
