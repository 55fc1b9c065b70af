//! The build lock on an output folder, and the leftovers of earlier builds beside it: the
//! names builds give their staging and previous folders, cleaning them up under the lock,
//! and moving aside (once) a leftover that cannot be removed.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::remove::Remove;
use super::target::parent_and_name;

/// Beside the target `public`: `.public.communique-new-<pid>`, a build's staging folder.
pub(super) const TEMP_MARK: &str = ".communique-new-";
/// `.public.communique-old-<pid>`, the previous site while the new one is swapped in.
pub(super) const OLD_MARK: &str = ".communique-old-";
/// `.public.communique-stuck-…`, a leftover that could not be removed, moved aside so that
/// no later build tries (and warns) again.
const STUCK_MARK: &str = ".communique-stuck-";
/// `.public.communique-lock`, the file builds lock (see [`BuildLock`]).
const LOCK_MARK: &str = ".communique-lock";

/// The lock file of the output folder `name` in `parent`.
pub(super) fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}{LOCK_MARK}"))
}

/// Whether `file_name` is `.<name><mark><pid>`: the names builds give their own folders. An
/// exact match, so that no other file beside the target is ever taken for a leftover.
fn is_leftover(file_name: &str, name: &str, mark: &str) -> bool {
    file_name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix(mark))
        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// The exclusive right to write one output folder: an advisory lock (`flock` on Unix,
/// `LockFileEx` on Windows, through [`fs::File::try_lock`]) on the file
/// `.<name>.communique-lock` beside it. It is taken before any leftover is cleaned or any
/// file staged, and held until the new site is in place (it lives in the `Staging`).
///
/// The operating system releases the lock when the process ends, however it ends (a crash,
/// SIGKILL), so no stale lock can block a later build, and the lock file never needs
/// removing. It is left in place on purpose: removing it would let a build that opened it
/// just before lock a file no later build can see, and two builds run at once.
pub struct BuildLock {
    target: PathBuf,
    _file: fs::File,
}

impl BuildLock {
    /// Takes the lock on `target` without waiting: fails at once, with an error saying so,
    /// when another build holds it.
    pub fn acquire(target: &Path) -> anyhow::Result<BuildLock> {
        let (parent, name) = parent_and_name(target)?;
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        let path = lock_path(&parent, &name);
        // Opened for writing so it can be created; an existing one this user may not write
        // (another user's build made it) is opened for reading, which is enough to lock it.
        let file = match fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
        {
            Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                fs::File::open(&path).map_err(|_| error)
            }
            opened => opened,
        }
        .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(BuildLock {
                target: target.to_path_buf(),
                _file: file,
            }),
            Err(fs::TryLockError::WouldBlock) => bail!(
                "another build is writing `{}`\nhelp: wait for it to finish, then build again; its lock on `{}` is released when its process ends, even if it crashes or is killed, so there is nothing to remove by hand",
                target.display(),
                path.display()
            ),
            Err(fs::TryLockError::Error(error)) => Err(error).with_context(|| {
                format!(
                    "cannot lock `{}`, which keeps two builds from writing `{}` at once",
                    path.display(),
                    target.display()
                )
            }),
        }
    }

    /// Removes what earlier builds left beside the target, restoring the previous output if
    /// an interruption fell between moving it away and moving the new one in. Returns the
    /// warnings to print: one for each leftover that could not be removed and was moved
    /// aside instead.
    ///
    /// Only the holder of the lock can call this: every build stages under the lock, so no
    /// folder found here belongs to a build still running.
    pub(super) fn clean_leftovers(&self, remove: Remove) -> anyhow::Result<Vec<String>> {
        let target = &self.target;
        let (parent, name) = parent_and_name(target)?;
        let Ok(entries) = fs::read_dir(&parent) else {
            return Ok(Vec::new());
        };
        let mut warnings = Vec::new();
        let mut olds = Vec::new();
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if is_leftover(&file_name, &name, TEMP_MARK) {
                warnings.extend(retire(&entry.path(), remove));
            } else if is_leftover(&file_name, &name, OLD_MARK) {
                olds.push(entry.path());
            }
        }
        // Restore the most recently moved-aside site; process ids say nothing of order.
        olds.sort_by_key(|path| fs::metadata(path).and_then(|m| m.modified()).ok());
        if !target.exists()
            && let Some(newest) = olds.pop()
        {
            fs::rename(&newest, target)
                .with_context(|| format!("cannot restore `{}`", target.display()))?;
        }
        for old in olds {
            warnings.extend(retire(&old, remove));
        }
        Ok(warnings)
    }
}

/// Removes a leftover folder. When that fails, moves it aside once, to a name no build looks
/// for (`.public.communique-new-123` becomes `.public.communique-stuck-new-123`), and returns
/// the one warning that names it and says how to remove it by hand: later builds neither
/// try again nor warn again.
pub(super) fn retire(leftover: &Path, remove: Remove) -> Option<String> {
    let error = match remove(leftover) {
        Ok(()) => return None,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => error,
    };
    let fix = |path: &Path| {
        let quoted = shell_quote(path);
        format!(
            "help: remove it yourself with rm -rf {quoted} (if that is refused too, run chmod -R u+w {quoted} first, or remove it as the owner of its files)"
        )
    };
    let moved = stuck_name(leftover)
        .ok_or_else(|| std::io::Error::other("no free name beside it"))
        .and_then(|aside| fs::rename(leftover, &aside).map(|()| aside));
    Some(match moved {
        Ok(aside) => format!(
            "warning: cannot remove `{}` ({error}); moved it to `{}`, which later builds leave alone\n{}",
            leftover.display(),
            aside.display(),
            fix(&aside)
        ),
        Err(rename_error) => format!(
            "warning: cannot remove `{}` ({error}), nor move it aside ({rename_error})\n{}",
            leftover.display(),
            fix(leftover)
        ),
    })
}

/// A free name for a leftover that cannot be removed: its own name with `.communique-` made
/// `.communique-stuck-`, and `-2`, `-3`, … added if that is taken.
fn stuck_name(leftover: &Path) -> Option<PathBuf> {
    let file_name = leftover.file_name()?.to_string_lossy().into_owned();
    let (before, after) = file_name.rsplit_once(".communique-")?;
    let base = format!("{before}{STUCK_MARK}{after}");
    (1..100)
        .map(|n| {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            leftover.with_file_name(name)
        })
        .find(|candidate| fs::symlink_metadata(candidate).is_err())
}

/// `path` quoted for a POSIX shell.
fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::remove::remove_tree;
    use crate::output::tests::{file, names, refuse};
    use crate::output::{Staging, write_site};

    #[test]
    fn a_second_build_into_the_same_output_is_refused_at_once() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("public");
        write_site(&target, &[file("index.html", "one")]).unwrap();
        let first = Staging::begin(&target).unwrap();
        first.write(&file("index.html", "two")).unwrap();
        // Another build (a second open of the lock file conflicts even in one process).
        let error = Staging::begin(&target).err().unwrap().to_string();
        assert!(
            error.starts_with(&format!(
                "another build is writing `{}`\nhelp: ",
                target.display()
            )),
            "{error}"
        );
        let error = BuildLock::acquire(&target).err().unwrap().to_string();
        assert!(error.contains("another build is writing"), "{error}");
        // The refused build touched neither the site nor the first build's staging folder.
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "one"
        );
        first.commit().unwrap();
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        // The lock went with the first build.
        let second = Staging::begin(&target).unwrap();
        drop(second);
        assert_eq!(names(parent.path()), [".public.communique-lock", "public"]);
    }

    #[test]
    fn leftovers_that_cannot_be_removed_are_moved_aside_and_reported_once() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("public");
        write_site(&target, &[file("index.html", "site")]).unwrap();
        for leftover in [".public.communique-new-12", ".public.communique-old-34"] {
            fs::create_dir_all(parent.path().join(leftover).join("a")).unwrap();
        }
        let lock = BuildLock::acquire(&target).unwrap();
        let warnings = lock.clean_leftovers(refuse).unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let stuck = parent.path().join(".public.communique-stuck-new-12");
        let warning = warnings
            .iter()
            .find(|w| w.contains("communique-new-12"))
            .unwrap();
        assert_eq!(
            *warning,
            format!(
                "warning: cannot remove `{}` (permission denied); moved it to `{}`, which later builds leave alone\nhelp: remove it yourself with rm -rf '{}' (if that is refused too, run chmod -R u+w '{}' first, or remove it as the owner of its files)",
                parent.path().join(".public.communique-new-12").display(),
                stuck.display(),
                stuck.display(),
                stuck.display()
            )
        );
        assert_eq!(
            names(parent.path()),
            [
                ".public.communique-lock",
                ".public.communique-stuck-new-12",
                ".public.communique-stuck-old-34",
                "public"
            ]
        );
        // Not tried again, so not reported again, whether removal works now or not.
        assert_eq!(lock.clean_leftovers(refuse).unwrap(), Vec::<String>::new());
        assert_eq!(
            lock.clean_leftovers(remove_tree).unwrap(),
            Vec::<String>::new()
        );
        assert!(stuck.join("a").exists());
        // A second leftover stuck under the same name gets a name of its own.
        fs::create_dir_all(parent.path().join(".public.communique-new-12")).unwrap();
        assert_eq!(lock.clean_leftovers(refuse).unwrap().len(), 1);
        assert!(
            parent
                .path()
                .join(".public.communique-stuck-new-12-2")
                .exists()
        );
    }

    #[test]
    fn only_the_names_builds_give_are_taken_for_leftovers() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("public");
        write_site(&target, &[file("index.html", "site")]).unwrap();
        let kept = [
            ".public.communique-new-",
            ".public.communique-new-12x",
            ".public.communique-newest",
            ".publico.communique-new-1",
            ".pub.communique-new-1",
            "public.communique-new-1",
        ];
        for name in kept {
            fs::create_dir_all(parent.path().join(name)).unwrap();
        }
        fs::create_dir_all(parent.path().join(".public.communique-new-77/x")).unwrap();
        // A file in a leftover's place is removed too.
        fs::write(parent.path().join(".public.communique-old-5"), "x").unwrap();
        let lock = BuildLock::acquire(&target).unwrap();
        assert_eq!(
            lock.clean_leftovers(remove_tree).unwrap(),
            Vec::<String>::new()
        );
        let mut expected: Vec<&str> = kept.to_vec();
        expected.extend([".public.communique-lock", "public"]);
        expected.sort();
        assert_eq!(names(parent.path()), expected);
    }
}
