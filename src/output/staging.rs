//! A build's output while it is being made: the fresh folder files are written into, swapped
//! in for the target on commit and removed otherwise.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::file::OutputFile;
use super::lock::{BuildLock, OLD_MARK, TEMP_MARK, lock_path, retire};
use super::remove::{Remove, remove_tree};
use super::target::{check_replaceable, parent_and_name};

/// A build's output while it is being made: a fresh folder beside the target that files are
/// written into as they are produced, from any thread, and that replaces the target only on
/// [`Staging::commit`]. Dropped without a commit (a failed build, an error), it is removed, and
/// the previous site stays untouched.
pub struct Staging {
    target: PathBuf,
    fresh: PathBuf,
    old: PathBuf,
    /// Folders already created, so each is created once.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
    remove: Remove,
    /// What cleaning up before this build found to warn about.
    warnings: Vec<String>,
    /// Held until the staging is committed or dropped; released last.
    _lock: BuildLock,
}

impl Staging {
    /// Takes the build lock on `target` (failing at once if another build holds it),
    /// refuses a target that must not be replaced, cleans up after interrupted builds, and
    /// creates the fresh folder. The caller prints [`Staging::warnings`] at once: a leftover
    /// moved aside is reported there and nowhere else.
    pub fn begin(target: &Path) -> anyhow::Result<Staging> {
        Staging::begin_with(target, remove_tree)
    }

    fn begin_with(target: &Path, remove: Remove) -> anyhow::Result<Staging> {
        let (parent, name) = parent_and_name(target)?;
        // A target that must not be replaced is refused before anything is created beside
        // it. Without a lock file no build has ever staged here, so none can be moving the
        // target; with one, the check is only final under the lock.
        if let Err(refusal) = check_replaceable(target)
            && !lock_path(&parent, &name).exists()
        {
            return Err(refusal);
        }
        let lock = BuildLock::acquire(target)?;
        check_replaceable(target)?;
        let warnings = lock.clean_leftovers(remove)?;
        let pid = std::process::id();
        let fresh = parent.join(format!(".{name}{TEMP_MARK}{pid}"));
        if fresh.exists() {
            remove(&fresh)
                .with_context(|| format!("cannot remove the leftover `{}`", fresh.display()))?;
        }
        fs::create_dir_all(&fresh)
            .with_context(|| format!("cannot create `{}`", fresh.display()))?;
        Ok(Staging {
            target: target.to_path_buf(),
            old: parent.join(format!(".{name}{OLD_MARK}{pid}")),
            fresh,
            folders: Default::default(),
            committed: false,
            remove,
            warnings,
            _lock: lock,
        })
    }

    /// The warnings of cleaning up before this build: one per leftover that could not be
    /// removed and was moved aside.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Writes one file into the fresh folder. Safe to call from many threads.
    pub fn write(&self, file: &OutputFile) -> anyhow::Result<()> {
        let path = self.prepare(&file.path)?;
        fs::write(&path, &file.bytes).with_context(|| format!("cannot write `{}`", path.display()))
    }

    /// Writes the file at `relative` (a `/`-separated output path) through a buffered writer.
    pub fn write_with(
        &self,
        relative: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let path = self.prepare(relative)?;
        let file = fs::File::create(&path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .with_context(|| format!("cannot write `{}`", path.display()))
    }

    /// The path of `relative` in the fresh folder, its folder created.
    fn prepare(&self, relative: &str) -> anyhow::Result<PathBuf> {
        let path = self.fresh.join(relative);
        if let Some(folder) = path.parent() {
            let known = self
                .folders
                .lock()
                .map(|folders| folders.contains(folder))
                .unwrap_or(false);
            if !known {
                // Created before it is recorded: a folder in the set always exists. Two
                // threads may both create it; create_dir_all allows that.
                fs::create_dir_all(folder)
                    .with_context(|| format!("cannot create `{}`", folder.display()))?;
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        Ok(path)
    }

    /// Swaps the fresh folder in for the target, then removes the previous site. Returns the
    /// warning to print when the previous site could not be removed and was moved aside.
    pub fn commit(mut self) -> anyhow::Result<Vec<String>> {
        let (target, fresh, old) = (&self.target, &self.fresh, &self.old);
        if target.exists() {
            fs::rename(target, old).with_context(|| {
                format!("cannot move the previous `{}` aside", target.display())
            })?;
        }
        if let Err(error) = fs::rename(fresh, target) {
            let _ = fs::rename(old, target);
            return Err(error)
                .with_context(|| format!("cannot move the new site into `{}`", target.display()));
        }
        self.committed = true;
        // The new site is in place: a previous one that cannot be removed is no failure of
        // this build. It is moved aside and reported now, once, rather than by every build.
        Ok(retire(old, self.remove).into_iter().collect())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // What cannot be removed now is a leftover for the next build to deal with.
            let _ = (self.remove)(&self.fresh);
        }
    }
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;

    use super::*;
    use crate::output::tests::{file, names, refuse};
    use crate::output::write_site;

    #[test]
    fn threads_writing_into_the_same_new_folders_all_succeed() {
        // Many files per folder, folders new to every round: a thread must never write into
        // a folder that another thread has claimed but not yet created.
        let parent = tempfile::tempdir().unwrap();
        for round in 0..20 {
            let target = parent.path().join(format!("site{round}"));
            let staging = Staging::begin(&target).unwrap();
            let files: Vec<OutputFile> = (0..400)
                .map(|i| file(&format!("a{}/b{}/f{i}.json", i % 3, i % 7), "x"))
                .collect();
            files
                .par_iter()
                .try_for_each(|file| staging.write(file))
                .unwrap();
            staging.commit().unwrap();
        }
    }

    #[test]
    fn a_previous_site_that_cannot_be_removed_is_moved_aside_at_commit() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("site");
        write_site(&target, &[file("index.html", "one")]).unwrap();
        let staging = Staging::begin_with(&target, refuse).unwrap();
        assert_eq!(staging.warnings(), &[] as &[String]);
        staging.write(&file("index.html", "two")).unwrap();
        let warnings = staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        let stuck = format!(".site.communique-stuck-old-{}", std::process::id());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(&stuck), "{warnings:?}");
        assert_eq!(
            names(parent.path()),
            [".site.communique-lock", stuck.as_str(), "site"]
        );
        // The next build finds nothing to warn about.
        let lock = BuildLock::acquire(&target).unwrap();
        assert_eq!(lock.clean_leftovers(refuse).unwrap(), Vec::<String>::new());
    }
}
