//! Checking the output folder before anything is written: a path that would replace the
//! project or its sources is refused, and so is a file or a folder that is no built site.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

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
/// that is no built site) is checked by `Staging::begin`, under the build lock, where no
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
pub(super) fn check_replaceable(output: &Path) -> anyhow::Result<()> {
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
pub(super) fn parent_and_name(target: &Path) -> anyhow::Result<(PathBuf, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Staging;

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
}
