//! What the preview serves, shared between the watcher, the rebuilds, the server and every
//! live-reload connection: the files of the last good build, the last build's errors, and
//! the versions browsers are told about. The server reads it; only rebuilds and quick
//! updates change it.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// What the browser should do after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Reload the page.
    Page,
    /// Only stylesheets changed: swap them without reloading.
    Css,
}

/// The site as served: the last good build, and the errors of the last build if it failed.
#[derive(Debug, Default)]
pub struct SiteState {
    /// Output path to bytes, from the last build that succeeded. Shared, so that a rebuild
    /// can compare the old and new sites without holding the lock.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// The last build's problems, as plain text, when it failed.
    pub errors: Option<String>,
    /// Increases with every rebuild that browsers should hear about.
    pub version: u64,
    /// What the latest version asks browsers to do.
    pub last_reload: Option<Reload>,
    /// Recent versions, with what each asks and the pages that changed (`None`: any may
    /// have), so a browser reloads only when its own page did.
    pub history: VecDeque<(u64, Reload, Option<BTreeSet<String>>)>,
    /// Carries `version` to every live-reload stream: `bump` sends, streams await it.
    changes: tokio::sync::watch::Sender<u64>,
}

/// How many versions `SiteState::history` remembers.
const HISTORY: usize = 64;

impl SiteState {
    /// Starts a new version, telling browsers to `reload`; `pages` are the changed pages when
    /// known. Wakes every live-reload stream.
    pub fn bump(&mut self, reload: Reload, pages: Option<BTreeSet<String>>) {
        self.version += 1;
        self.last_reload = Some(reload);
        self.history.push_back((self.version, reload, pages));
        while self.history.len() > HISTORY {
            self.history.pop_front();
        }
        self.changes.send_replace(self.version);
    }

    /// A receiver woken at each `bump` after this call. Take it under the same lock as the
    /// `version` it starts from, so no version falls between.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// What a browser showing `page` (an output path, when known) that has seen version
    /// `seen` should do now: `reload`, swap its stylesheets (`css`), or nothing.
    pub fn event_for(&self, seen: u64, page: Option<&str>) -> Option<&'static str> {
        let covered = self.history.front().is_some_and(|(v, ..)| *v <= seen + 1);
        if !covered {
            return Some("reload");
        }
        let newer = || self.history.iter().filter(|(v, ..)| *v > seen);
        let reload = newer().any(|(_, reload, pages)| {
            *reload == Reload::Page
                && match (page, pages) {
                    (Some(page), Some(pages)) => pages.contains(page),
                    _ => true,
                }
        });
        if reload {
            Some("reload")
        } else if newer().any(|(_, reload, _)| *reload == Reload::Css) {
            Some("css")
        } else {
            None
        }
    }
}

/// The state shared between the watcher, the server and every live-reload connection.
#[derive(Debug, Default)]
pub struct Shared {
    /// The site. `SiteState::subscribe` wakes live-reload streams at each new version.
    pub state: Mutex<SiteState>,
    /// The pages open in a browser (output paths), with how many browsers show each: the
    /// quick update renders them first.
    pub viewers: Mutex<BTreeMap<String, usize>>,
}

impl Shared {
    /// Locks the state, recovering it if a thread panicked while holding the lock.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, SiteState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_reload_only_for_their_own_page() {
        let mut state = SiteState::default();
        let pages = |paths: &[&str]| Some(paths.iter().map(|p| p.to_string()).collect());
        state.bump(Reload::Page, pages(&["a/index.html"]));
        assert_eq!(state.event_for(0, Some("a/index.html")), Some("reload"));
        assert_eq!(state.event_for(0, Some("b/index.html")), None);
        assert_eq!(
            state.event_for(0, None),
            Some("reload"),
            "an unknown page reloads"
        );
        state.bump(Reload::Css, None);
        assert_eq!(state.event_for(1, Some("b/index.html")), Some("css"));
        assert_eq!(
            state.event_for(0, Some("a/index.html")),
            Some("reload"),
            "a reload missed between two wake-ups is not lost behind a stylesheet swap"
        );
        state.bump(Reload::Page, None);
        assert_eq!(state.event_for(2, Some("b/index.html")), Some("reload"));
        for _ in 0..HISTORY {
            state.bump(Reload::Css, None);
        }
        assert_eq!(
            state.event_for(0, Some("b/index.html")),
            Some("reload"),
            "a browser further behind than the history reloads"
        );
    }
}
