//! Removing folder trees: a staging folder that was not committed, a previous site, the
//! leftovers of interrupted builds. Both the lock's cleanup and the staging folder use it.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Removes a folder tree (or a file). A seam: unit tests pass one that fails, since the
/// failures met in the field (read-only folders, immutable files) need privileges or a
/// non-root user to stage.
pub(super) type Remove = fn(&Path) -> std::io::Result<()>;

/// Removes a folder tree, its files in parallel: a built site has thousands of them. A file
/// or symbolic link in its place is removed as such.
pub(super) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_file(dir);
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|file| {
        let _ = fs::remove_file(file);
    });
    fs::remove_dir_all(dir)
}
