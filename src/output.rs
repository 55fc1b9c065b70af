//! Writing a built site to disk: the only code that writes under the output folder.
//!
//! The site is written to a fresh folder beside the target and swapped in only once every
//! file is written, so a failed or interrupted build never leaves a half-written site: the
//! previous output stays in place until the swap, and leftovers of an interrupted build are
//! cleaned up by the next one.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use crate::pipeline::OutputFile;

const TEMP_MARK: &str = ".communique-new-";
const OLD_MARK: &str = ".communique-old-";

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

/// Refuses output folders whose replacement would destroy the project or its sources.
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
    if output.exists() {
        if !output.is_dir() {
            bail!(
                "refusing to write the site to `{}`: it is a file, not a folder\nhelp: remove it or pick another folder",
                output.display()
            );
        }
        let is_empty = fs::read_dir(&output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_empty && !output.join("index.html").exists() && !output.join("404.html").exists() {
            bail!(
                "refusing to replace `{}`: it is not empty and does not look like a built site (no index.html)\nhelp: remove the folder yourself or pick another --output",
                output.display()
            );
        }
    }
    Ok(output)
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

/// Removes what interrupted builds left beside `target`, restoring the previous output if an
/// interruption fell between moving it away and moving the new one in.
pub fn clean_leftovers(target: &Path) -> anyhow::Result<()> {
    let (parent, name) = parent_and_name(target)?;
    let Ok(entries) = fs::read_dir(&parent) else {
        return Ok(());
    };
    let mut olds = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&format!(".{name}{TEMP_MARK}")) {
            fs::remove_dir_all(entry.path()).with_context(|| {
                format!("cannot remove the leftover `{}`", entry.path().display())
            })?;
        } else if file_name.starts_with(&format!(".{name}{OLD_MARK}")) {
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
        fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove the leftover `{}`", old.display()))?;
    }
    Ok(())
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
}

impl Staging {
    /// Cleans up after interrupted builds and creates the fresh folder for `target`.
    pub fn begin(target: &Path) -> anyhow::Result<Staging> {
        clean_leftovers(target)?;
        let (parent, name) = parent_and_name(target)?;
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        let pid = std::process::id();
        let fresh = parent.join(format!(".{name}{TEMP_MARK}{pid}"));
        if fresh.exists() {
            fs::remove_dir_all(&fresh)
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
        })
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

    /// Swaps the fresh folder in for the target, then removes the previous site.
    pub fn commit(mut self) -> anyhow::Result<()> {
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
        // The new site is in place: a previous one that cannot be removed now is no failure
        // of this build, and the next build removes it.
        if old.exists()
            && let Err(error) = remove_tree(old)
        {
            eprintln!(
                "warning: cannot remove the previous site at `{}` yet ({error}); the next build will",
                old.display()
            );
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.fresh);
        }
    }
}

/// Removes a folder tree, its files in parallel: a built site has thousands of them.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
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
pub fn write_site(target: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    let staging = Staging::begin(target)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    staging.commit()
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
        let foreign = root.join("notes");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("mine.txt"), "precious").unwrap();
        let error = check_output_dir(root, &foreign).unwrap_err().to_string();
        assert!(error.contains("does not look like a built site"), "{error}");
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
        clean_leftovers(&target).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        let names: Vec<_> = fs::read_dir(parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }
}
