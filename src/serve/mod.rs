//! `communique serve`: the editors' live preview. Builds the site in memory, serves it over
//! HTTP from memory (never from the deploy output, never from disk), watches the sources, and
//! rebuilds through the same pipeline as `build`, with a cache so only what changed is
//! rendered again. Browsers reload through Server-Sent Events; a stylesheet-only change swaps
//! the stylesheet in place; a failed rebuild shows its errors over every page.

pub mod preview;
pub mod server;
pub mod state;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::Problems;
use crate::cache::BuildCache;
use crate::pipeline::{self, BuildOptions};
use crate::serve::preview::Preview;

pub use state::{Reload, Shared, SiteState};

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

/// Rebuilds the site into `shared`, telling browsers what changed, and keeps the model for
/// quick updates in `preview`. The result is dropped if another edit arrived while it was
/// being built (`edits` moved past `generation`): a newer rebuild follows. Returns a line for
/// the terminal.
pub fn rebuild(
    root: &Path,
    base_url: &str,
    cache: &mut BuildCache,
    shared: &Shared,
    preview: &Mutex<Option<Box<Preview>>>,
    edits: &AtomicU64,
) -> Option<String> {
    let started = Instant::now();
    let generation = edits.load(Ordering::SeqCst);
    let options = BuildOptions {
        base_url: Some(base_url.to_string()),
        live: true,
        ..BuildOptions::default()
    };
    let result = pipeline::build_with_cache(root, &options, Some(cache)).map(|mut built| {
        let files: HashMap<String, Arc<Vec<u8>>> = std::mem::take(&mut built.files)
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        let model = built
            .model
            .take()
            .map(|model| Box::new(Preview::new(*model)));
        (built, files, model)
    });
    // Quick updates take this lock before they touch the served files, so nothing they
    // publish is overwritten by a build that started before their edit.
    let mut preview = preview
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if edits.load(Ordering::SeqCst) != generation {
        return None;
    }
    Some(match result {
        Ok((built, files, model)) => {
            // The preview and the files are swapped under the preview lock, so no quick
            // update can slip in between and be overwritten by this older build. Comparing
            // the sites and freeing the old ones happen after the locks are released: on a
            // large site they take long enough to delay the next quick update and requests.
            let old_preview = std::mem::replace(&mut *preview, model);
            let mut state = shared.lock();
            let had_errors = state.errors.take().is_some();
            let old_files = std::mem::replace(&mut state.files, files.clone());
            drop(state);
            drop(preview);
            let changed: BTreeSet<String> = files
                .iter()
                .filter(|(path, bytes)| old_files.get(*path) != Some(bytes))
                .map(|(path, _)| path)
                .chain(old_files.keys().filter(|path| !files.contains_key(*path)))
                .cloned()
                .collect();
            let n_changed = changed.len();
            let mut state = shared.lock();
            if had_errors {
                state.bump(Reload::Page, None);
            } else if changed.iter().any(|path| !path.ends_with(".css")) {
                state.bump(Reload::Page, Some(changed));
            } else if !changed.is_empty() {
                state.bump(Reload::Css, None);
            }
            drop(state);
            drop(old_files);
            drop(files);
            drop(old_preview);
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
            drop(preview);
            let text = match error.downcast_ref::<Problems>() {
                Some(problems) => problems.to_string(),
                None => format!("error: {error:#}"),
            };
            let mut state = shared.lock();
            state.errors = Some(text.clone());
            state.bump(Reload::Page, None);
            format!(
                "{text}\nthe preview keeps showing the last good build, with these errors over it"
            )
        }
    })
}

/// The quick update after a save: when every changed file is a pledge whose edit the
/// preview can apply (see [`Preview::update_pledge`]), re-renders those pledges' pages and
/// the pages open in browsers from the last build's model, and publishes them at once.
/// Returns a line for the terminal, or `None` when the full rebuild alone must do.
pub fn quick_update(
    root: &Path,
    batch: &watch::Batch,
    shared: &Shared,
    preview: &Mutex<Option<Box<Preview>>>,
) -> Option<String> {
    let started = Instant::now();
    let mut guard = preview
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let preview = guard.as_mut()?;
    let mut pages = BTreeSet::new();
    for path in &batch.paths {
        let relative = path.to_str()?.replace('\\', "/");
        if preview.is_pledge_file(&relative) {
            let pledge = preview.update_pledge(root, &relative)?;
            pages.insert(preview.pledge_page(pledge));
        } else if root.join(path).exists() {
            // Some other file changed: only a full rebuild knows what that means.
            return None;
        }
        // Otherwise an editor's temporary file, already renamed over a pledge.
    }
    if pages.is_empty() {
        return None;
    }
    let viewed: Vec<String> = shared
        .viewers
        .lock()
        .map(|viewers| viewers.keys().take(8).cloned().collect())
        .unwrap_or_default();
    pages.extend(viewed);
    let paths: Vec<String> = pages.into_iter().collect();
    let rendered = preview.render(&paths);
    let mut state = shared.lock();
    let mut changed = BTreeSet::new();
    for file in rendered {
        if state.files.get(&file.path).map(|bytes| bytes.as_slice()) != Some(&file.bytes) {
            changed.insert(file.path.clone());
            state.files.insert(file.path, Arc::new(file.bytes));
        }
    }
    drop(guard);
    let n_changed = changed.len();
    if n_changed > 0 {
        state.bump(Reload::Page, Some(changed));
    }
    Some(format!(
        "previewed in {} ms: {n_changed} of {} pages shown updated; the full rebuild follows",
        started.elapsed().as_millis(),
        paths.len()
    ))
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
        crate::term::err(&format!(
            "warning: serving on {}: anyone who can reach this address can read the preview; use the default 127.0.0.1 unless you mean it",
            options.bind
        ));
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
    let preview: Arc<Mutex<Option<Box<Preview>>>> = Arc::default();
    let edits = Arc::new(AtomicU64::new(0));
    let mut cache = BuildCache::default();
    // Watch before the first build, so a save made while it runs is not missed.
    let watcher = watch::watch(&root)?;
    if let Some(line) = rebuild(&root, &base_url, &mut cache, &shared, &preview, &edits) {
        crate::term::out(&line);
    }
    crate::term::out(&format!(
        "serving {} at {base_url}/ (Ctrl-C to stop)",
        root.display()
    ));
    let server_shared = Arc::clone(&shared);
    let allowed_hosts = server::allowed_hosts(&options.bind, port);
    std::thread::spawn(move || server::serve(listener, server_shared, allowed_hosts));
    if options.open {
        open_browser(&format!("{base_url}/"));
    }
    // Full rebuilds run on their own thread, so a save is previewed at once even while the
    // previous one is still being rebuilt.
    let wanted = Arc::new((Mutex::new(0_u64), Condvar::new()));
    {
        let (root, base_url, shared, preview, edits, wanted) = (
            root.clone(),
            base_url.clone(),
            Arc::clone(&shared),
            Arc::clone(&preview),
            Arc::clone(&edits),
            Arc::clone(&wanted),
        );
        let pool = background_pool()?;
        std::thread::spawn(move || {
            lower_priority();
            let mut done = 0;
            loop {
                {
                    let (lock, signal) = &*wanted;
                    let guard = lock
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let _guard = signal
                        .wait_while(guard, |wanted| *wanted <= done)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                let generation = edits.load(Ordering::SeqCst);
                let rebuilt = pool
                    .install(|| rebuild(&root, &base_url, &mut cache, &shared, &preview, &edits));
                if let Some(line) = rebuilt {
                    crate::term::out(&line);
                    done = generation;
                }
            }
        });
    }
    for batch in watcher.batches() {
        crate::term::out(&batch.describe());
        let generation = edits.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(line) = quick_update(&root, &batch, &shared, &preview) {
            crate::term::out(&line);
        }
        let (lock, signal) = &*wanted;
        *lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = generation;
        signal.notify_all();
    }
    Ok(())
}

/// The threads full rebuilds run on: as many as the machine has, at a lower priority, so a
/// quick update after the next save never waits for a rebuild's rendering.
fn background_pool() -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("rebuild-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .map_err(|error| anyhow::anyhow!("cannot start the rebuild threads: {error}"))
}

/// Lowers the calling thread's scheduling priority (Linux and other Unixes give each thread
/// its own nice value); elsewhere, or if refused, the thread keeps its priority.
fn lower_priority() {
    #[cfg(unix)]
    // SAFETY: setpriority with `who` 0 changes only the calling thread's nice value.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
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
        crate::term::err(&format!(
            "warning: cannot open a browser ({command}: {error}); open {url} yourself"
        ));
    }
}
