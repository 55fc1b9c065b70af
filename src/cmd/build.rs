//! `communique build`: build the site into a fresh folder, then swap it into the output folder.

use std::path::PathBuf;

use crate::model::Date;
use crate::output;
use crate::pipeline::{self, BuildOptions};
use crate::term;

/// What `build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder; `public/` under the root when absent.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Replaces the clock's date for the review warnings (`--today`).
    pub today: Option<Date>,
}

/// Builds the site and writes it; returns the summary line to print.
pub fn run(args: &BuildArgs) -> anyhow::Result<String> {
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    // Check the target before any work, so a dangerous --output is refused at once.
    let target = output::check_output_dir(&args.root, &target)?;
    // Files are written into a fresh folder as they are made; it replaces the target only
    // if the whole build succeeds, and is removed otherwise. Beginning takes the build lock,
    // so a second build into the same output fails here, before touching anything.
    let staging = output::Staging::begin(&target)?;
    for warning in staging.warnings() {
        term::err(warning);
    }
    let built = pipeline::build_into(
        &args.root,
        &BuildOptions {
            base_url: args.base_url.clone(),
            live: false,
            today: args.today,
        },
        None,
        &staging,
    )?;
    for warning in &built.diagnostics {
        term::err(&warning.to_string());
    }
    for warning in staging.commit()? {
        term::err(&warning);
    }
    Ok(format!(
        "built {} pages ({} files) in {} ms into {}",
        built.n_pages,
        built.n_files,
        built.millis,
        target.display()
    ))
}
