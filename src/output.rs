//! Writing a built site to disk: the only code that writes under the output folder.
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

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use crate::pipeline::OutputFile;

/// Beside the target `public`: `.public.communique-new-<pid>`, a build's staging folder.
const TEMP_MARK: &str = ".communique-new-";
/// `.public.communique-old-<pid>`, the previous site while the new one is swapped in.
const OLD_MARK: &str = ".communique-old-";
/// `.public.communique-stuck-…`, a leftover that could not be removed, moved aside so that
/// no later build tries (and warns) again.
const STUCK_MARK: &str = ".communique-stuck-";
/// `.public.communique-lock`, the file builds lock (see [`BuildLock`]).
const LOCK_MARK: &str = ".communique-lock";

/// Removes a folder tree (or a file). A seam: unit tests pass one that fails, since the
/// failures met in the field (read-only folders, immutable files) need privileges or a
/// non-root user to stage.
type Remove = fn(&Path) -> std::io::Result<()>;

/// Folders of a site that an output folder must never be, or be inside.
const PROTECTED: [&str; 6] = ["content", "themes", "seeds", "templates", "static", ".git"];

/// Resolves `output` to an absolute path without requiring it to exist.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current folder")?
            .join(path)
    };
    // Resolve `.` and `..` by their names first, then canonicalise the deepest existing
    // ancestor (following its symlinks) and add the rest back.
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Refuses output folders whose replacement would destroy the project or its sources, by
/// their path alone, and returns the absolute path. What is at the path now (a file, a folder
/// that is no built site) is checked by [`Staging::begin`], under the build lock, where no
/// other build is moving it.
pub fn check_output_dir(root: &Path, output: &Path) -> anyhow::Result<PathBuf> {
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder `{}`", root.display()))?;
    let output = absolute(output)?;
    if root.starts_with(&output) {
        bail!(
            "refusing to write the site to `{}`: it is the project folder or contains it, and would be replaced\nhelp: pick a folder inside the project such as public/",
            output.display()
        );
    }
    for protected in PROTECTED {
        if output.starts_with(root.join(protected)) {
            bail!(
                "refusing to write the site to `{}`: it is inside {protected}/, which holds the site's sources\nhelp: pick another folder such as public/",
                output.display()
            );
        }
    }
    Ok(output)
}

/// Refuses to replace a file, or a non-empty folder that does not look like a built site.
fn check_replaceable(output: &Path) -> anyhow::Result<()> {
    if output.exists() {
        if !output.is_dir() {
            bail!(
                "refusing to write the site to `{}`: it is a file, not a folder\nhelp: remove it or pick another folder",
                output.display()
            );
        }
        let is_empty = fs::read_dir(output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_empty && !output.join("index.html").exists() && !output.join("404.html").exists() {
            bail!(
                "refusing to replace `{}`: it is not empty and does not look like a built site (no index.html)\nhelp: remove the folder yourself or pick another --output",
                output.display()
            );
        }
    }
    Ok(())
}

/// The parent folder and file name of `target`.
fn parent_and_name(target: &Path) -> anyhow::Result<(PathBuf, String)> {
    let parent = target
        .parent()
        .context("the output folder has no parent folder")?
        .to_path_buf();
    let name = target
        .file_name()
        .context("the output folder has no name")?
        .to_string_lossy()
        .into_owned();
    Ok((parent, name))
}

/// The lock file of the output folder `name` in `parent`.
fn lock_path(parent: &Path, name: &str) -> PathBuf {
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
/// file staged, and held until the new site is in place (it lives in the [`Staging`]).
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
    fn clean_leftovers(&self, remove: Remove) -> anyhow::Result<Vec<String>> {
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
fn retire(leftover: &Path, remove: Remove) -> Option<String> {
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

/// Removes a folder tree, its files in parallel: a built site has thousands of them. A file
/// or symbolic link in its place is removed as such.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
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
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
            origin: "test".to_string(),
        }
    }

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
    fn refuses_dangerous_output_folders() {
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        for folder in ["content", "themes/default", "seeds"] {
            fs::create_dir_all(root.join(folder)).unwrap();
        }
        fs::write(root.join("keep.txt"), "x").unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        assert!(check_output_dir(root, &root.join("content/public")).is_err());
        assert!(check_output_dir(root, &root.join("themes")).is_err());
        assert!(check_output_dir(root, &root.join("seeds/../seeds/x")).is_err());
        assert!(check_output_dir(root, &root.join("public/../")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        // What is at the path is refused when staging begins, before anything is created.
        let foreign = root.join("notes");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("mine.txt"), "precious").unwrap();
        let error = Staging::begin(&foreign).err().unwrap().to_string();
        assert!(error.contains("does not look like a built site"), "{error}");
        fs::write(root.join("file"), "x").unwrap();
        let error = Staging::begin(&root.join("file"))
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("it is a file"), "{error}");
        assert!(!root.join(".notes.communique-lock").exists());
        assert_eq!(
            fs::read_to_string(foreign.join("mine.txt")).unwrap(),
            "precious"
        );
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A removal that always fails, as it does for a read-only or immutable tree.
    fn refuse(_: &Path) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
    }

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
