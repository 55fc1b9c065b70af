//! Shared helpers: copying fixture sites, running the command, reading built trees.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A site in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
}

/// What a run of the command printed, and its exit code.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// A copy of `tests/fixtures/<name>`, with the repository's themes when it has none.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        if !dir.path().join("themes").exists() {
            copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        }
        Site { dir }
    }

    /// A copy of the shipped site.
    pub fn shipped() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["content", "themes", "seeds"] {
            copy_dir(&repo().join(folder), &dir.path().join(folder));
        }
        fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
        Site { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path().join(relative)).unwrap()
    }

    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Replaces the first `from` in a file with `to`, failing if `from` is absent.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, text.replacen(from, to, 1));
    }

    /// Runs `communique <args> --root <site>` (import takes --root too).
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: self.clean(&output.stdout),
            stderr: self.clean(&output.stderr),
        }
    }

    /// The command `communique <args> --root <site>`, run from the site folder, not started.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_communique"));
        command
            .args(args)
            .arg("--root")
            .arg(self.path())
            .current_dir(self.path());
        command
    }

    /// Output as text, with the site's folder shown as `[site]`.
    pub fn clean(&self, bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes)
            .replace(
                &self.path().canonicalize().unwrap().display().to_string(),
                "[site]",
            )
            .replace(&self.path().display().to_string(), "[site]")
    }

    /// Names beside the site's folders that an interrupted or failed build left behind. The
    /// build lock file (`.public.communique-lock`) is not one: it stays on purpose.
    pub fn leftovers(&self) -> Vec<String> {
        fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("communique") && !name.ends_with(".communique-lock"))
            .collect()
    }

    /// Builds the site, failing the test if the build fails.
    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }
}

/// How long any one run may take before the test calls it hung. Generous: the machine may be
/// busy compiling.
const DEADLINE: Duration = Duration::from_secs(300);

/// What a started run printed (what could be read of it) and its exit code.
pub struct Finished {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Waits for `child` within [`DEADLINE`], reading whatever of its stdout and stderr is piped.
/// A run that outlives the deadline is killed and fails the test.
pub fn finish(site: &Site, child: Child) -> Finished {
    finish_within(site, child, DEADLINE)
}

/// [`finish`], with a deadline of its own.
pub fn finish_within(site: &Site, mut child: Child, deadline: Duration) -> Finished {
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a run did not end within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Finished {
        code: status.code().unwrap_or(-1),
        stdout: site.clean(&stdout.join().unwrap()),
        stderr: site.clean(&stderr.join().unwrap()),
    }
}

/// No run may panic: a panic prints "panicked" and exits with 101.
pub fn assert_no_panic(what: &str, run: &Finished) {
    assert_ne!(run.code, 101, "{what} panicked:\n{}", run.stderr);
    assert!(
        !run.stderr.contains("panicked"),
        "{what} panicked:\n{}",
        run.stderr
    );
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The built site as one text: each text file under a header line. Stylesheets and images
/// are left out: they are copied unchanged from the theme. Social cards (PNG) are named
/// only: their bytes are checked by `embed`'s tests.
pub fn tree_snapshot(dir: &Path) -> String {
    let mut text = String::new();
    for (path, bytes) in tree(dir) {
        if path.ends_with(".css") || path.ends_with(".svg") || path == "search-index/search.js" {
            continue;
        }
        if path.ends_with(".png") {
            text.push_str(&format!(
                "=== {path}
(PNG)
"
            ));
            continue;
        }
        text.push_str(&format!(
            "=== {path}\n{}\n",
            String::from_utf8_lossy(&bytes)
        ));
    }
    text.replace(
        concat!("communique ", env!("CARGO_PKG_VERSION")),
        "communique [version]",
    )
}

/// Removes tags and decodes the few entities the generator writes.
pub fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whitespace runs become one space; typographic quotes become ASCII ones.
pub fn normalize(text: &str) -> String {
    text.replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The inner HTML of every element opened by `opening` (e.g. `<blockquote class="x">`)
/// up to the next `closing` tag.
pub fn blocks<'a>(html: &'a str, opening: &str, closing: &str) -> Vec<&'a str> {
    html.match_indices(opening)
        .filter_map(|(start, _)| {
            let inner = &html[start + opening.len()..];
            inner.find(closing).map(|end| &inner[..end])
        })
        .collect()
}

/// Every internal link in the built site that leads nowhere: a missing file, or a
/// `#fragment` that no element's id matches. Returns (page, link) pairs.
pub fn broken_links(public: &Path) -> Vec<(String, String)> {
    let files = tree(public);
    let mut broken = Vec::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for attribute in ["href=\"", "src=\""] {
            for (start, _) in html.match_indices(attribute) {
                let rest = &html[start + attribute.len()..];
                let link = &rest[..rest.find('"').unwrap()];
                if link.starts_with("http") || link.starts_with("mailto:") || link.starts_with("//")
                {
                    continue;
                }
                let (link_without_query, fragment) = link.split_once('#').unwrap_or((link, ""));
                let path = link_without_query.split('?').next().unwrap_or("");
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    let trimmed = path.trim_start_matches('/');
                    if trimmed.is_empty() || trimmed.ends_with('/') {
                        format!("{trimmed}index.html")
                    } else {
                        trimmed.to_string()
                    }
                };
                let Some(target_bytes) = files.get(&target) else {
                    broken.push((page.clone(), link.to_string()));
                    continue;
                };
                if !fragment.is_empty() {
                    let target_html = String::from_utf8_lossy(target_bytes);
                    if !target_html.contains(&format!("id=\"{fragment}\"")) {
                        broken.push((page.clone(), link.to_string()));
                    }
                }
            }
        }
    }
    broken
}
