//! Writing the files `import` makes into a site's own folders, refusing to overwrite an
//! editor's files unless asked to.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Writes `files` (paths relative to `root`) into a site's folders, or nothing if any exists
/// already and `force` is not set: how `import` hands an editor its new content files.
pub fn write_content_files(
    root: &Path,
    files: Vec<(PathBuf, String)>,
    force: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let existing: Vec<&PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| root.join(p).exists())
        .collect();
    if !existing.is_empty() && !force {
        let list: Vec<String> = existing
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect();
        bail!(
            "{} file(s) already exist and were left untouched; nothing was written:\n{}\nhelp: pass --force to overwrite them, or --slug to import the statement under another name",
            existing.len(),
            list.join("\n")
        );
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let absolute = root.join(&path);
        if let Some(parent) = absolute.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        fs::write(&absolute, text)
            .with_context(|| format!("cannot write `{}`", absolute.display()))?;
        written.push(path);
    }
    Ok(written)
}
