//! Writing to disk: the only code that writes files, a built site under the output folder
//! and, for `import`, new content files.
//!
//! The site is written to a fresh folder beside the target and swapped in only once every
//! file is written, so a failed or interrupted build never leaves a half-written site: the
//! previous output stays in place until the swap, and leftovers of an interrupted build are
//! cleaned up by the next one.
//!
//! One build at a time writes a given output: [`BuildLock`], an advisory lock on a file
//! beside it, is taken before anything beside the target is touched and held until the new
//! site is in place. A second build into the same output fails at once. Leftovers are
//! cleaned only under the lock, so no build ever removes the staging folder of one still
//! running; a leftover that cannot be removed is moved aside once and reported once.

use std::path::Path;

use rayon::prelude::*;

mod content_files;
mod file;
mod lock;
mod remove;
mod sink;
mod staging;
mod target;

pub use content_files::write_content_files;
pub use file::{FileOrigin, OutputFile, collisions};
pub use lock::BuildLock;
pub use sink::{MemorySink, Sink};
pub use staging::Staging;
pub use target::check_output_dir;

/// Writes `files` to `target` atomically: into a fresh sibling folder, then swapped in.
/// Returns the warnings of cleaning up and committing.
pub fn write_site(target: &Path, files: &[OutputFile]) -> anyhow::Result<Vec<String>> {
    let staging = Staging::begin(target)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    let mut warnings = staging.warnings().to_vec();
    warnings.extend(staging.commit()?);
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::output::remove::remove_tree;

    pub(super) fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
            origin: FileOrigin::Generated,
        }
    }

    /// The names in `dir`, sorted.
    pub(super) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A removal that always fails, as it does for a read-only or immutable tree.
    pub(super) fn refuse(_: &Path) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
    }

    #[test]
    fn replaces_the_previous_site_and_restores_after_an_interruption() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("public");
        write_site(
            &target,
            &[file("index.html", "one"), file("a/b/index.html", "b")],
        )
        .unwrap();
        write_site(&target, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("a").exists());

        // An interrupted build: its half-written folder, and the previous site moved aside.
        fs::create_dir_all(parent.path().join(".public.communique-new-1/x")).unwrap();
        fs::rename(&target, parent.path().join(".public.communique-old-1")).unwrap();
        let lock = BuildLock::acquire(&target).unwrap();
        assert_eq!(
            lock.clean_leftovers(remove_tree).unwrap(),
            Vec::<String>::new()
        );
        drop(lock);
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(Staging::begin(&target).is_ok());
        assert_eq!(names(parent.path()), [".public.communique-lock", "public"]);
    }
}
