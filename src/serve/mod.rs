//! `communique serve`: the editors' live preview. Builds the site in memory, serves it over
//! HTTP from memory (never from the deploy output, never from disk), watches the sources, and
//! rebuilds through the same pipeline as `build`, with a cache so only what changed is
//! rendered again. Browsers reload through Server-Sent Events; a stylesheet-only change swaps
//! the stylesheet in place; a failed rebuild shows its errors over every page.

pub mod server;
pub mod watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::Problems;
use crate::markdown::escape_html;
use crate::pipeline::{self, BuildCache, BuildOptions};

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
    /// Output path to bytes, from the last build that succeeded.
    pub files: HashMap<String, Vec<u8>>,
    /// The last build's problems, as plain text, when it failed.
    pub errors: Option<String>,
    /// Increases with every rebuild that browsers should hear about.
    pub version: u64,
    /// What the latest version asks browsers to do.
    pub last_reload: Option<Reload>,
}

/// The state shared between the watcher, the server and every live-reload connection.
#[derive(Debug, Default)]
pub struct Shared {
    /// The site.
    pub state: Mutex<SiteState>,
    /// Signalled whenever `state.version` changes.
    pub changed: Condvar,
}

impl Shared {
    /// Locks the state, recovering it if a thread panicked while holding the lock.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, SiteState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Options for [`run`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the system's browser.
    pub open: bool,
}

/// Rebuilds the site into `shared`, telling browsers what changed. Returns a line for the
/// terminal.
pub fn rebuild(root: &Path, base_url: &str, cache: &mut BuildCache, shared: &Shared) -> String {
    let started = Instant::now();
    let options = BuildOptions {
        base_url: Some(base_url.to_string()),
        live: true,
    };
    match pipeline::build_with_cache(root, &options, Some(cache)) {
        Ok(built) => {
            let files: HashMap<String, Vec<u8>> =
                built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
            let mut state = shared.lock();
            let had_errors = state.errors.take().is_some();
            let changed: Vec<&String> = files
                .iter()
                .filter(|(path, bytes)| state.files.get(*path) != Some(bytes))
                .map(|(path, _)| path)
                .chain(state.files.keys().filter(|path| !files.contains_key(*path)))
                .collect();
            let reload = if had_errors || changed.iter().any(|path| !path.ends_with(".css")) {
                Some(Reload::Page)
            } else if changed.is_empty() {
                None
            } else {
                Some(Reload::Css)
            };
            let n_changed = changed.len();
            state.files = files;
            if reload.is_some() {
                state.version += 1;
                state.last_reload = reload;
                shared.changed.notify_all();
            }
            let mut line = format!(
                "rebuilt in {} ms: {} pages rendered, {} files changed",
                started.elapsed().as_millis(),
                built.work.pages_rendered,
                n_changed
            );
            for warning in &built.diagnostics {
                line.push_str(&format!("\n{warning}"));
            }
            line
        }
        Err(error) => {
            let text = match error.downcast_ref::<Problems>() {
                Some(problems) => problems.to_string(),
                None => format!("error: {error:#}"),
            };
            let mut state = shared.lock();
            state.errors = Some(text.clone());
            state.version += 1;
            state.last_reload = Some(Reload::Page);
            shared.changed.notify_all();
            format!(
                "{text}\nthe preview keeps showing the last good build, with these errors over it"
            )
        }
    }
}

/// The overlay shown over every page while the last build failed. Every character of the
/// errors is escaped.
pub fn overlay(errors: &str) -> String {
    format!(
        "<div id=\"communique-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#141418;color:#f5f5f5;font:15px/1.5 ui-monospace,monospace;padding:2rem\"><h2 style=\"color:#ff8a80;font:bold 20px/1.3 system-ui,sans-serif;margin:0 0 1rem\">The site did not build</h2><p style=\"font-family:system-ui,sans-serif;margin:0 0 1rem\">Fix the file below and save: this page reloads by itself.</p><pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        escape_html(errors)
    )
}

/// Starts the preview and serves until the process is stopped.
pub fn run(options: &ServeOptions) -> anyhow::Result<()> {
    let root = options.root.canonicalize().map_err(|error| {
        anyhow::anyhow!(
            "cannot open the site folder `{}`: {error}",
            options.root.display()
        )
    })?;
    if options.bind != "127.0.0.1" && options.bind != "localhost" && options.bind != "::1" {
        eprintln!(
            "warning: serving on {}: anyone who can reach this address can read the preview; use the default 127.0.0.1 unless you mean it",
            options.bind
        );
    }
    let listener = server::listen(&options.bind, options.port)?;
    let port = listener.port;
    let host = if options.bind.contains(':') {
        format!("[{}]", options.bind)
    } else {
        options.bind.clone()
    };
    let base_url = format!("http://{host}:{port}");
    let shared = Arc::new(Shared::default());
    let mut cache = BuildCache::default();
    // Watch before the first build, so a save made while it runs is not missed.
    let watcher = watch::watch(&root)?;
    println!("{}", rebuild(&root, &base_url, &mut cache, &shared));
    println!("serving {} at {base_url}/ (Ctrl-C to stop)", root.display());
    let server_shared = Arc::clone(&shared);
    let allowed_hosts = server::allowed_hosts(&options.bind, port);
    std::thread::spawn(move || server::serve(listener, server_shared, allowed_hosts));
    if options.open {
        open_browser(&format!("{base_url}/"));
    }
    for batch in watcher.batches() {
        println!("{}", batch.describe());
        println!("{}", rebuild(&root, &base_url, &mut cache, &shared));
    }
    Ok(())
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(command).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({command}: {error}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_escapes_everything() {
        let html = overlay("content/a.md:1:1: error: <script>alert(1)</script> & \"x\"");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
    }
}
