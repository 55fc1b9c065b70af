//! Reading files from inside the project, and only from there.
//!
//! Every folder the build reads (`content/`, `static/`, `templates/`, `themes/<name>/`) is
//! walked by [`Project::walk`], and every file a source's `file` names is resolved by
//! [`Project::resolve_file`]. Both follow the same rules, so `build`, `check` and `serve`
//! agree on them:
//!
//! - a symbolic link (to a file or a folder, at any depth, or the walked folder itself) is
//!   followed when its target is inside the project, and refused with an error naming it when
//!   the target is outside, missing, or a loop;
//! - hidden files and folders (names starting with `.`, so `.git/` too) are never read, and a
//!   path that reaches into one is refused (only `.well-known/` under `static/` is published,
//!   RFC 8615's place for `security.txt` and the like);
//! - a special file (FIFO, socket, device) is refused by its type, before it is opened, so
//!   nothing blocks on it;
//! - a file is read through [`read_limited`], which never reads more than its limit even from
//!   a file that grows while it is read.
//!
//! This module imports nothing from the crate but [`Diagnostic`].

use std::collections::HashSet;
use std::fs::{self, File, FileType};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The project folder, as given and as resolved.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder as the user named it.
    pub root: PathBuf,
    /// The same folder with every link resolved: what "inside the project" means.
    pub canonical: PathBuf,
}

/// A file found by [`Project::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path below the walked folder, with `/` between parts, as the editor sees it
    /// (through links, not to their targets).
    pub name: String,
    /// Its path from the project root, with `/` (for messages and origins).
    pub relative: String,
    /// The real file to read, inside the project.
    pub path: PathBuf,
}

/// What a walk found: the regular files, and the problems met on the way.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every regular file, sorted by name within each folder.
    pub files: Vec<Found>,
    /// A diagnostic per refused link, special file or unreadable folder.
    pub problems: Vec<Diagnostic>,
    /// Folders (relative to the root) that could not be read: what lies under them is
    /// unknown, so references into them should not be reported again.
    pub unreadable: Vec<String>,
}

/// Options for [`Project::walk`].
#[derive(Clone, Copy)]
pub struct WalkOptions<'a> {
    /// Names (of files and folders) to pass over silently, before any other check; hidden
    /// names are always passed over.
    pub skip: &'a dyn Fn(&str) -> bool,
    /// Publish `.well-known/` (RFC 8615) at the top of the walked folder.
    pub well_known: bool,
}

impl Default for WalkOptions<'_> {
    fn default() -> Self {
        WalkOptions {
            skip: &|_| false,
            well_known: false,
        }
    }
}

/// Why a path named in content cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing is there.
    Missing,
    /// It leads outside the project (to the given place).
    Outside(PathBuf),
    /// It lies in a hidden file or folder (the given part of its path).
    Hidden(String),
    /// It is not a regular file (a folder, FIFO, socket or device: the given kind).
    NotAFile(&'static str),
    /// A folder on the way cannot be read (the folder, relative to the root, and why).
    Unreadable(String, String),
}

impl Refusal {
    /// Says what is wrong with `path`.
    pub fn message(&self, what: &str, path: &str) -> String {
        match self {
            Refusal::Missing => format!("{what} `{path}` does not exist"),
            Refusal::Outside(target) => format!(
                "{what} `{path}` is outside the project (it leads to {})",
                target.display()
            ),
            Refusal::Hidden(part) => format!(
                "{what} `{path}` is in the hidden file or folder `{part}`, which is never published"
            ),
            Refusal::NotAFile(kind) => format!("{what} `{path}` is {kind}, not a regular file"),
            Refusal::Unreadable(folder, why) => {
                format!(
                    "{what} `{path}` cannot be read: folder `{folder}` cannot be opened ({why})"
                )
            }
        }
    }
}

/// Names the kind of a file that is not a regular file or a folder.
pub fn kind_of(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Why `read_limited` refused or failed.
#[derive(Debug)]
pub enum ReadError {
    /// The file holds more than the limit (its size, or `limit + 1` if it grew).
    TooLarge(u64),
    /// Not a regular file: the kind.
    NotAFile(&'static str),
    /// Any other failure.
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge(size) => write!(f, "it is {:.1} MB", *size as f64 / 1e6),
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::Io(error) => write!(f, "{error}"),
        }
    }
}

/// Reads at most `limit` bytes of a regular file. The file is opened without blocking (a
/// FIFO that appeared after a type check still cannot hang the read) and its type is checked
/// on the open handle; reading stops after `limit + 1` bytes, so a file that never ends
/// (`/dev/zero` behind a link, a log being written) costs no more than the limit.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.file_type().is_file() {
        return Err(ReadError::NotAFile(kind_of(metadata.file_type())));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    let read = Read::take(&file as &File, limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if read as u64 > limit {
        return Err(ReadError::TooLarge(read as u64));
    }
    Ok(bytes)
}

/// Joins path components with `/`.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

impl Project {
    /// Resolves the project folder.
    pub fn open(root: &Path) -> io::Result<Project> {
        Ok(Project {
            root: root.to_path_buf(),
            canonical: root.canonicalize()?,
        })
    }

    /// The first hidden part of `canonical`'s path below the project, if any.
    fn hidden_part(&self, canonical: &Path) -> Option<String> {
        let below = canonical.strip_prefix(&self.canonical).ok()?;
        below
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .find(|part| is_hidden(part))
    }

    /// Resolves `relative` (a path from the project root, as an editor wrote it) to a regular
    /// file inside the project that is not hidden, without opening it.
    pub fn resolve_file(&self, relative: &str) -> Result<PathBuf, Refusal> {
        let written = Path::new(relative);
        if written.is_absolute() {
            return Err(Refusal::Outside(written.to_path_buf()));
        }
        if let Some(part) = written
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .find(|part| is_hidden(part) && part != "." && part != "..")
        {
            return Err(Refusal::Hidden(part));
        }
        let joined = self.root.join(written);
        let canonical = match joined.canonicalize() {
            Ok(canonical) => canonical,
            Err(error) if error.kind() == io::ErrorKind::PermissionDenied => {
                let folder = self.first_unreadable(written);
                return Err(Refusal::Unreadable(folder, error.to_string()));
            }
            Err(_) => return Err(Refusal::Missing),
        };
        if !canonical.starts_with(&self.canonical) {
            return Err(Refusal::Outside(canonical));
        }
        if let Some(part) = self.hidden_part(&canonical) {
            return Err(Refusal::Hidden(part));
        }
        let file_type = fs::metadata(&canonical)
            .map_err(|error| Refusal::Unreadable(relative.to_string(), error.to_string()))?
            .file_type();
        if !file_type.is_file() {
            return Err(Refusal::NotAFile(kind_of(file_type)));
        }
        Ok(canonical)
    }

    /// The first folder on `written`'s way that cannot be listed.
    fn first_unreadable(&self, written: &Path) -> String {
        let mut at = PathBuf::new();
        for component in written.components() {
            at.push(component);
            if fs::read_dir(self.root.join(&at)).is_err() && self.root.join(&at).is_dir() {
                return slash_path(&at);
            }
            if fs::metadata(self.root.join(&at)).is_err() {
                return slash_path(&at);
            }
        }
        slash_path(written)
    }

    /// Lists the regular files under `dir` (relative to the root), following the rules in the
    /// module's docs. A missing folder yields nothing.
    pub fn walk(&self, dir: &str, options: WalkOptions<'_>) -> Walk {
        let mut walk = Walk::default();
        let start = self.root.join(dir);
        if fs::symlink_metadata(&start).is_err() {
            return walk;
        }
        // The folder itself, or a folder above it, may be a link: resolve it like any other.
        let target = match self.follow(&start, dir) {
            Ok(target) => target,
            Err(problem) => {
                walk.problems.push(problem);
                return walk;
            }
        };
        if !target.is_dir() {
            return walk;
        }
        let mut ancestors = HashSet::new();
        self.walk_folder(&target, dir, "", options, &mut ancestors, &mut walk);
        walk
    }

    /// Resolves a symbolic link at `path` (shown as `relative`) to a target inside the project
    /// that is not hidden.
    fn follow(&self, path: &Path, relative: &str) -> Result<PathBuf, Diagnostic> {
        let refused = |message: String, help: &str| {
            Diagnostic::error(relative, 1, 1, message).with_help(help.to_string())
        };
        let target = path.canonicalize().map_err(|error| {
            refused(
                format!("symbolic link cannot be followed: {error}"),
                "remove the link or point it at a file inside the project",
            )
        })?;
        if !target.starts_with(&self.canonical) {
            return Err(refused(
                format!(
                    "symbolic link points outside the project (to {})",
                    target.display()
                ),
                "copy what it points to into the project instead of linking to it",
            ));
        }
        if let Some(part) = self.hidden_part(&target) {
            return Err(refused(
                format!("symbolic link points into the hidden file or folder `{part}`"),
                "hidden files and folders such as .git/ are never published; link to a file that is not hidden",
            ));
        }
        Ok(target)
    }

    fn walk_folder(
        &self,
        folder: &Path,
        relative: &str,
        name_prefix: &str,
        options: WalkOptions<'_>,
        ancestors: &mut HashSet<PathBuf>,
        walk: &mut Walk,
    ) {
        let canonical = folder
            .canonicalize()
            .unwrap_or_else(|_| folder.to_path_buf());
        if !ancestors.insert(canonical.clone()) {
            walk.problems.push(
                Diagnostic::error(
                    relative,
                    1,
                    1,
                    "symbolic link loop: this folder links back to a folder that contains it",
                )
                .with_help("remove the link"),
            );
            return;
        }
        let entries = match fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(error) => {
                walk.problems.push(
                    Diagnostic::error(relative, 1, 1, format!("cannot read the folder: {error}"))
                        .with_help("check the folder's permissions; nothing under it was read"),
                );
                walk.unreadable.push(relative.to_string());
                ancestors.remove(&canonical);
                return;
            }
        };
        let mut entries: Vec<(String, PathBuf)> = entries
            .flatten()
            .map(|entry| {
                (
                    entry.file_name().to_string_lossy().into_owned(),
                    entry.path(),
                )
            })
            .collect();
        entries.sort();
        for (name, path) in entries {
            let well_known = options.well_known && name_prefix.is_empty() && name == ".well-known";
            if (is_hidden(&name) && !well_known) || (options.skip)(&name) {
                continue;
            }
            let child_relative = format!("{relative}/{name}");
            let child_name = format!("{name_prefix}{name}");
            let Ok(metadata) = fs::symlink_metadata(&path) else {
                continue; // removed while we looked
            };
            let mut real = path.clone();
            let mut file_type = metadata.file_type();
            if file_type.is_symlink() {
                match self.follow(&path, &child_relative) {
                    Ok(target) => {
                        file_type = match fs::metadata(&target) {
                            Ok(metadata) => metadata.file_type(),
                            Err(_) => continue,
                        };
                        real = target;
                    }
                    Err(problem) => {
                        walk.problems.push(problem);
                        continue;
                    }
                }
            }
            if file_type.is_dir() {
                self.walk_folder(
                    &real,
                    &child_relative,
                    &format!("{child_name}/"),
                    options,
                    ancestors,
                    walk,
                );
            } else if file_type.is_file() {
                walk.files.push(Found {
                    name: child_name,
                    relative: child_relative,
                    path: real,
                });
            } else {
                walk.problems.push(
                    Diagnostic::error(
                        &child_relative,
                        1,
                        1,
                        format!("{} is not a regular file", kind_of(file_type)),
                    )
                    .with_help("remove it: only regular files and folders are read"),
                );
            }
        }
        ancestors.remove(&canonical);
    }
}

#[cfg(test)]
mod tests;
