//! Watching the site's sources with notify, and coalescing the ways editors save (a write
//! then a rename, many quick saves, deletes, renames, new folders) into one batch per pause.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{RecursiveMode, Watcher};

/// The folders whose files make the site.
pub const WATCHED_FOLDERS: [&str; 5] = ["content", "themes", "templates", "static", "seeds"];

/// How long the sources must stay quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(15);
/// The longest a rebuild waits for quiet while saves keep coming.
const MAX_WAIT: Duration = Duration::from_millis(400);

/// What kind of source a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A file under `content/`.
    Content,
    /// A template or a theme's static file.
    Theme,
    /// A site-level static file.
    Static,
    /// A source document under `seeds/`.
    Seed,
    /// `site.toml`.
    Config,
}

/// Classifies a changed path under `root`, or `None` if it does not affect the site.
pub fn change_kind(root: &Path, path: &Path) -> Option<ChangeKind> {
    let relative = path.strip_prefix(root).ok()?;
    let mut components = relative.components();
    let first = components.next()?.as_os_str().to_str()?;
    let name = relative.file_name()?.to_str()?;
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        // Editors' scratch files: the save that matters arrives as the rename that follows.
        return None;
    }
    match first {
        "site.toml" if components.next().is_none() => Some(ChangeKind::Config),
        "content" => Some(ChangeKind::Content),
        "themes" | "templates" => Some(ChangeKind::Theme),
        "static" => Some(ChangeKind::Static),
        "seeds" => Some(ChangeKind::Seed),
        _ => None,
    }
}

/// A set of changes that arrived close together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// The changed paths, relative to the site root.
    pub paths: BTreeSet<PathBuf>,
    /// Their kinds.
    pub kinds: BTreeSet<ChangeKind>,
}

impl Batch {
    /// A line for the terminal naming what changed.
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .paths
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = if self.paths.len() > 3 {
            format!(" and {} more", self.paths.len() - 3)
        } else {
            String::new()
        };
        format!("changed: {}{more}", names.join(", "))
    }
}

/// A running watcher and the events it produces.
pub struct SiteWatcher {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

/// Starts watching `root`: each source folder recursively, and the root itself for
/// `site.toml` and for source folders created later.
pub fn watch(root: &Path) -> anyhow::Result<SiteWatcher> {
    let (sender, events) = channel();
    let mut watcher =
        notify::recommended_watcher(sender).context("cannot start watching the site's files")?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch `{}`", root.display()))?;
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch `{}`", path.display()))?;
        }
    }
    Ok(SiteWatcher {
        root: root.to_path_buf(),
        watcher,
        events,
    })
}

impl SiteWatcher {
    /// Blocks until a batch of relevant changes has arrived and gone quiet; `None` once the
    /// watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut first_at: Option<Instant> = None;
        loop {
            let timeout = match first_at {
                None => Duration::from_secs(3600),
                Some(first) => QUIET.min(MAX_WAIT.saturating_sub(first.elapsed())),
            };
            match self.events.recv_timeout(timeout) {
                Ok(Ok(event)) => {
                    // Reading files (as every rebuild does) makes access events; only
                    // writes, creations, removals and renames change the site.
                    if matches!(
                        event.kind,
                        notify::EventKind::Access(_)
                            | notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_))
                    ) {
                        continue;
                    }
                    for path in &event.paths {
                        self.follow_new_folder(path);
                        if let Some(kind) = change_kind(&self.root, path) {
                            batch.kinds.insert(kind);
                            batch.paths.insert(
                                path.strip_prefix(&self.root).unwrap_or(path).to_path_buf(),
                            );
                            first_at.get_or_insert_with(Instant::now);
                        }
                    }
                }
                Ok(Err(error)) => crate::term::err(&format!("warning: watching files: {error}")),
                Err(RecvTimeoutError::Timeout) if first_at.is_some() => return Some(batch),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Every batch, one after another.
    pub fn batches(mut self) -> impl Iterator<Item = Batch> {
        std::iter::from_fn(move || self.next_batch())
    }

    /// A source folder created after the start (say, a first `templates/`) gets watched too.
    fn follow_new_folder(&mut self, path: &Path) {
        let is_top_level_source = path.parent() == Some(self.root.as_path())
            && path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| WATCHED_FOLDERS.contains(&n));
        if is_top_level_source && path.is_dir() {
            let _ = self.watcher.watch(path, RecursiveMode::Recursive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let root = Path::new("/site");
        assert_eq!(
            change_kind(root, Path::new("/site/content/topics/a.md")),
            Some(ChangeKind::Content)
        );
        assert_eq!(
            change_kind(root, Path::new("/site/site.toml")),
            Some(ChangeKind::Config)
        );
        assert_eq!(
            change_kind(root, Path::new("/site/themes/default/static/style.css")),
            Some(ChangeKind::Theme)
        );
        assert_eq!(
            change_kind(root, Path::new("/site/public/index.html")),
            None
        );
        assert_eq!(
            change_kind(root, Path::new("/site/content/.a.md.swp")),
            None
        );
        assert_eq!(change_kind(root, Path::new("/site/content/a.md~")), None);
        assert_eq!(
            change_kind(root, Path::new("/elsewhere/content/a.md")),
            None
        );
    }
}
