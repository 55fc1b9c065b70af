//! `communique import`: write content files for a published statement.

use std::path::{Path, PathBuf};

use crate::import::{self, ImportOptions};

/// Imports `seed` and returns the files written, relative to the site root.
pub fn run(seed: &Path, options: &ImportOptions) -> anyhow::Result<Vec<PathBuf>> {
    import::import_seed(seed, options)
}

/// Reads `seed` and describes what [`run`] would write, writing nothing.
pub fn dry_run(seed: &Path, options: &ImportOptions) -> anyhow::Result<String> {
    let (plan, _) = import::plan(seed, options)?;
    Ok(import::describe(&plan))
}
