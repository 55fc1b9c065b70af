//! `communique serve`: incremental rebuilds equal full builds, saves reach the browser,
//! errors show in the page, and hostile requests get nothing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use communique::cache::BuildCache;
use communique::pipeline::{self, BuildOptions};
use communique::serve::preview::Preview;

use crate::support::Site;

/// A running `communique serve`, stopped when dropped.
pub struct Serving {
    child: Child,
    pub port: u16,
    /// Everything it printed to stderr so far.
    stderr: Arc<Mutex<String>>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serving {
    pub fn start(site: &Site) -> Serving {
        Serving::start_with(site, |_| {})
    }

    /// Starts `serve --port 0` on `site`, with `configure` applied to the command first
    /// (a descriptor limit, say).
    pub(crate) fn start_with(site: &Site, configure: impl FnOnce(&mut Command)) -> Serving {
        let mut command = Command::new(env!("CARGO_BIN_EXE_communique"));
        command
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        configure(&mut command);
        let mut child = command.spawn().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut errors = BufReader::new(child.stderr.take().unwrap());
        let kept = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut line = String::new();
            while errors.read_line(&mut line).is_ok_and(|n| n > 0) {
                kept.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let Some(line) = lines.next() else {
                panic!("serve exited before serving:\n{}", stderr.lock().unwrap());
            };
            if let Some(rest) = line.unwrap().split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .parse()
                    .unwrap();
            }
        };
        // Keep draining the terminal output so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Serving {
            child,
            port,
            stderr,
        }
    }

    /// What the server printed to stderr so far.
    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Is the server still running?
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends raw request bytes and returns the status code, head and body.
    pub fn raw(&self, request: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ));
        (status, body)
    }

    /// Opens the live-reload stream.
    pub fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET /__communique/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        reader
    }
}

/// Reads the stream until an `event:` line arrives and returns its name.
fn next_event(events: &mut BufReader<TcpStream>) -> String {
    loop {
        let mut line = String::new();
        let n = events
            .read_line(&mut line)
            .expect("no live-reload event within 30 s");
        assert!(n > 0, "the event stream closed");
        if let Some(name) = line.strip_prefix("event: ") {
            return name.trim().to_string();
        }
    }
}

/// Polls `path` until its body satisfies `wanted`, for up to 20 s.
pub(crate) fn wait_for(serving: &Serving, path: &str, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = serving.get(path);
        if wanted(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed what was expected:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Saves a file the way many editors do: write a temporary file, then rename it over.
fn save_by_rename(site: &Site, relative: &str, text: &str) {
    let path = site.path().join(relative);
    let temporary = path.with_extension("md.tmp-save");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, &path).unwrap();
}

/// A named change to a site.
type Edit = (&'static str, Box<dyn Fn(&Site)>);

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = Site::shipped();
    let options = BuildOptions {
        base_url: None,
        live: true,
        ..BuildOptions::default()
    };
    let mut cache = BuildCache::default();
    let first = pipeline::build_with_cache(site.path(), &options, Some(&mut cache)).unwrap();
    let n_pages = first.n_pages;
    let pledge = "content/statements/us-italy-2025/shared-prosperity/lng-exports.md";
    let edits: Vec<Edit> = vec![
        (
            "pledge text",
            Box::new(move |s| {
                s.edit(
                    pledge,
                    "liquefied natural gas",
                    "liquefied natural gas (LNG)",
                )
            }),
        ),
        (
            "pledge title",
            Box::new(move |s| s.edit(pledge, "title = \"", "title = \"Now: ")),
        ),
        (
            "pledge status",
            Box::new(move |s| s.edit(pledge, "status = \"in-progress\"", "status = \"stalled\"")),
        ),
        (
            "entity alias",
            Box::new(|s| {
                s.edit(
                    "content/programs/nato.md",
                    "title = \"NATO\"",
                    "title = \"NATO\"\n# a comment",
                )
            }),
        ),
        (
            "new topic used by a pledge",
            Box::new(move |s| {
                s.write(
                    "content/topics/gas.md",
                    "+++\ntitle = \"Gas\"\naliases = [\"natural gas\"]\n+++\n",
                );
            }),
        ),
        (
            "removed topic",
            Box::new(|s| std::fs::remove_file(s.path().join("content/topics/gas.md")).unwrap()),
        ),
        (
            "template",
            Box::new(|s| {
                s.edit(
                    "themes/default/templates/pledge.html",
                    "What happened since",
                    "What has happened since",
                )
            }),
        ),
        (
            "stylesheet",
            Box::new(|s| {
                s.edit(
                    "themes/default/static/style.css",
                    "--measure: 46rem;",
                    "--measure: 48rem;",
                )
            }),
        ),
        (
            "site title",
            Box::new(|s| s.edit("site.toml", "title = \"", "title = \"Preview of ")),
        ),
    ];
    for (name, edit) in edits {
        edit(&site);
        let incremental =
            pipeline::build_with_cache(site.path(), &options, Some(&mut cache)).unwrap();
        let full = pipeline::build(site.path(), &options).unwrap();
        assert_eq!(
            incremental.files, full.files,
            "after the {name} edit the incremental build differs"
        );
        match name {
            "pledge text" | "entity alias" | "stylesheet" => assert!(
                incremental.work.pages_rendered < n_pages / 2,
                "the {name} edit rendered {} of {n_pages} pages",
                incremental.work.pages_rendered
            ),
            "template" | "site title" => {
                assert_eq!(incremental.work.pages_rendered, n_pages, "{name}")
            }
            _ => {}
        }
    }
}

#[test]
fn saves_reload_the_page_and_errors_show_in_it() {
    let site = Site::shipped();
    let serving = Serving::start(&site);
    let (status, home) = serving.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("<script src=\"/__communique/live.js\" defer></script>"));
    let mut events = serving.events();
    let pledge = "content/statements/us-italy-2025/technology/space-mars-artemis.md";
    let page = "/statements/us-italy-2025/technology/space-mars-artemis/";

    // A good edit, saved by rename.
    let text = site
        .read(pledge)
        .replacen("title = \"", "title = \"Edited: ", 1);
    save_by_rename(&site, pledge, &text);
    assert_eq!(next_event(&mut events), "reload");
    wait_for(&serving, page, |body| body.contains("<h1>Edited: "));

    // A bad edit: every page shows the error, escaped, with its place.
    site.write(pledge, text.replacen("weight = ", "weight = <b>", 1));
    assert_eq!(next_event(&mut events), "reload");
    let shown = wait_for(&serving, "/topics/", |body| {
        body.contains("communique-errors")
    });
    assert!(shown.contains("space-mars-artemis.md:3:"), "{shown}");
    assert!(shown.contains("&lt;b&gt;") && !shown.contains("weight = <b>"));
    // The last good page is still served beneath the overlay.
    assert!(serving.get(page).1.contains("<h1>Edited: "));

    // Fixing it clears the overlay.
    site.write(pledge, &text);
    assert_eq!(next_event(&mut events), "reload");
    wait_for(&serving, "/topics/", |body| {
        !body.contains("communique-errors")
    });

    // A stylesheet-only change swaps the stylesheet instead of reloading.
    site.edit(
        "themes/default/static/style.css",
        "--measure: 46rem;",
        "--measure: 50rem;",
    );
    assert_eq!(next_event(&mut events), "css");
    wait_for(&serving, "/style.css", |body| {
        body.contains("--measure: 50rem;")
    });

    // Deleting a pledge removes its page.
    std::fs::remove_file(site.path().join(pledge)).unwrap();
    assert_eq!(next_event(&mut events), "reload");
    wait_for(&serving, page, |body| body.contains("Page not found"));
    assert_eq!(serving.get(page).0, 404);
}

#[test]
fn hostile_requests_get_nothing() {
    let site = Site::shipped();
    std::fs::write(site.path().join("secret.txt"), "TOP SECRET").unwrap();
    let serving = Serving::start(&site);
    let port = serving.port;
    let host = format!("127.0.0.1:{port}");
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/index.html%00.txt",
        "/%00",
        "//etc/passwd",
        "/%",
        "/%zz",
        "http://127.0.0.1/secret.txt",
        "*",
    ] {
        let (status, _, body) = serving.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert!(matches!(status, 400 | 404), "{target} gave {status}");
        assert!(
            !body.contains("TOP SECRET") && !body.contains("root:"),
            "{target} leaked a file"
        );
    }
    // Files outside the built site are never served, even by name.
    for target in [
        "/secret.txt",
        "/site.toml",
        "/content/_index.md",
        "/seeds/003_2e7e4c96784554f6.txt",
    ] {
        let (status, _, body) = serving.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("TOP SECRET"));
    }
    // Foreign host names (DNS rebinding) and methods other than GET and HEAD are refused.
    let (status, _, _) =
        serving.raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403);
    let (status, _, _) = serving.raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403, "a request without Host");
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let (status, head, _) = serving.raw(&format!(
            "{method} / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"));
    }
    let (status, head, body) = serving.raw(&format!(
        "HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );
    // The live-reload channel refuses a foreign origin.
    let (status, _, _) = serving.raw(&format!(
        "GET /__communique/events HTTP/1.1\r\nHost: {host}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 403);
    // Content types are right, and a missing page gets the site's 404 page.
    let (_, head, _) = serving.raw(&format!(
        "GET /style.css HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ));
    assert!(head.contains("Content-Type: text/css"), "{head}");
    let (_, head, _) = serving.raw(&format!(
        "GET /api/pledges.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ));
    assert!(head.contains("Content-Type: application/json"), "{head}");
    let (status, body) = serving.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = Site::shipped();
    let serving = Serving::start(&site);
    let output = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["serve", "--port", &serving.port.to_string(), "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the port is in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

#[test]
fn deploy_builds_carry_no_live_reload() {
    let site = Site::shipped();
    site.build();
    for (path, bytes) in crate::support::tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__communique") && !text.contains("EventSource"),
            "{path} has live-reload code"
        );
    }
}

/// The quick update renders an edited pledge's page exactly as a full build does, for every
/// edit it accepts; an edit that changes what a pledge lists is left to the full rebuild.
#[test]
fn quick_updates_render_what_a_full_build_renders() {
    let site = Site::shipped();
    let options = BuildOptions {
        base_url: None,
        live: true,
        ..BuildOptions::default()
    };
    let pledge = "content/statements/us-italy-2025/shared-prosperity/lng-exports.md";
    let page = "statements/us-italy-2025/shared-prosperity/lng-exports/index.html";
    let mut preview = Preview::new(
        *pipeline::build(site.path(), &options)
            .unwrap()
            .model
            .expect("a live build keeps its model"),
    );
    let edits: [(&str, &str, &str); 4] = [
        (
            "text",
            "liquefied natural gas",
            "liquefied natural gas (LNG)",
        ),
        ("title", "title = \"", "title = \"Now: "),
        (
            "status",
            "status = \"in-progress\"\nstatus_reason",
            "status = \"stalled\"\nstatus_reason",
        ),
        (
            "update",
            "summary = \"At Gastech in Milan, Burgum said",
            "summary = \"Later, at Gastech in Milan, Burgum said",
        ),
    ];
    for (name, from, to) in edits {
        site.edit(pledge, from, to);
        let updated = preview.update_pledge(site.path(), pledge);
        assert!(updated.is_some(), "the {name} edit was not applied quickly");
        let quick = preview.render(&[page.to_string()]);
        assert_eq!(quick.len(), 1, "the {name} edit rendered no page");
        let full = pipeline::build(site.path(), &options).unwrap();
        let expected = full.files.iter().find(|f| f.path == page).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&quick[0].bytes),
            String::from_utf8_lossy(&expected.bytes),
            "after the {name} edit the quick page differs from the full build's"
        );
    }
    // A new mention is linked in the text and listed among the pledge's entities at once;
    // the related pledges it may bring wait for the full rebuild.
    site.edit(
        pledge,
        "beneficial manner.\n",
        "beneficial manner.\n\nNATO allies are watching.\n",
    );
    assert!(preview.update_pledge(site.path(), pledge).is_some());
    let quick = String::from_utf8(preview.render(&[page.to_string()])[0].bytes.clone()).unwrap();
    assert!(
        quick.contains("<a class=\"mention\" href=\"/programs/nato/\">NATO</a> allies"),
        "the new mention is linked"
    );
    assert!(
        quick.contains("<a class=\"chip chip-program\" href=\"/programs/nato/\""),
        "the newly mentioned program is among the pledge's entities"
    );
    site.edit(
        pledge,
        "topics = [\"energy\", \"trade\"]",
        "topics = [\"energy\"]",
    );
    assert_eq!(
        preview.update_pledge(site.path(), pledge),
        None,
        "a change to the listed topics must wait for the full rebuild"
    );
}
