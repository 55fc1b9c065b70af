//! `communique check`: load, validate and render everything in memory, writing nothing.

use std::path::Path;

use serde::Serialize;

use crate::Problems;
use crate::diagnostic::Diagnostic;
use crate::model::Date;
use crate::pipeline::{self, BuildOptions};

/// The outcome of a check: every diagnostic, and whether any is an error.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// Every problem found, sorted by file and place.
    pub diagnostics: Vec<Diagnostic>,
    /// How many are errors.
    pub errors: usize,
    /// How many are warnings.
    pub warnings: usize,
}

/// Checks the site under `root`. Content problems are in the report; only failures to read
/// the site at all are errors.
/// `today` replaces the clock's date for the review warnings (`--today`).
pub fn run(root: &Path, today: Option<Date>) -> anyhow::Result<CheckReport> {
    let options = BuildOptions {
        today,
        ..BuildOptions::default()
    };
    let diagnostics = match pipeline::build(root, &options) {
        Ok(built) => built.diagnostics,
        Err(error) => match error.downcast::<Problems>() {
            Ok(problems) => problems.0,
            Err(other) => return Err(other),
        },
    };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    Ok(CheckReport {
        warnings: diagnostics.len() - errors,
        errors,
        diagnostics,
    })
}
