//! The shipped site in a real browser: headless Chromium driven over WebDriver at phone and
//! desktop widths. Skipped with a notice where Chromium is absent, mandatory when `CI` is set.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{Site, repo};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser tests can run; panics when they must run but cannot.
pub fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but Chromium is missing: install the Debian packages chromium and chromium-driver"
        );
        eprintln!(
            "notice: skipping browser test: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
    }
    present
}

/// Serves a folder over HTTP on a loopback port, like any static host, until the test ends.
pub fn serve_folder(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    port
}

fn answer(mut stream: TcpStream, root: &Path) {
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/");
    let mut relative = path.trim_start_matches('/').to_string();
    if relative.is_empty() || relative.ends_with('/') {
        relative.push_str("index.html");
    }
    let (status, file) = if !relative.contains("..") && root.join(&relative).is_file() {
        ("200 OK", root.join(&relative))
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        _ => "text/plain; charset=utf-8",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// A running chromedriver, stopped when dropped.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_driver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // From here the Driver owns the child and kills and waits for it when dropped.
    let driver = Driver { child, port };
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return driver;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("chromedriver did not start on port {port}");
}

pub async fn connect(driver: &Driver, width: u32) -> Client {
    connect_with(driver, width, true).await
}

/// A Chromium session at `width`, with JavaScript on or off (a reader who turned it off).
pub async fn connect_with(driver: &Driver, width: u32, javascript: bool) -> Client {
    let profile = tempfile::tempdir().unwrap().keep();
    let capabilities = serde_json::json!({
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "prefs": { "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 } },
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars",
                format!("--window-size={width},900"),
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("cannot start a Chromium session")
}

/// Screenshots go where CI keeps artifacts.
pub fn screenshot_dir() -> PathBuf {
    let dir = repo().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const PAGES: [(&str, &str); 10] = [
    ("tracker", "/tracker/"),
    ("search", "/search/?q=energy"),
    ("home", "/"),
    ("statement", "/statements/us-italy-2025/"),
    ("section", "/statements/us-italy-2025/security/"),
    (
        "pledge",
        "/statements/us-italy-2025/shared-prosperity/imec/",
    ),
    ("entity", "/programs/imec/"),
    ("entities", "/topics/"),
    ("source", "/sources/white-house-2025-04-18/"),
    ("not-found", "/no/such/page/"),
];

/// The shipped site, built and served on a loopback port, with a running chromedriver and a
/// runtime to drive it; `None`, after a notice, where Chromium is missing.
pub fn shipped_site_in_browser() -> Option<(Site, u16, Driver, tokio::runtime::Runtime)> {
    if !browser_available() {
        return None;
    }
    let site = Site::shipped();
    site.build();
    let port = serve_folder(site.public());
    let driver = start_driver();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    Some((site, port, driver, runtime))
}

#[test]
fn pages_fit_phone_and_desktop_widths_and_work_with_the_keyboard() {
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    runtime.block_on(async {
        for width in [390u32, 1280] {
            let client = connect(&driver, width).await;
            for (name, path) in PAGES {
                client
                    .goto(&format!("http://127.0.0.1:{port}{path}"))
                    .await
                    .unwrap();
                let overflow = client
                    .execute(
                        "return document.documentElement.scrollWidth - window.innerWidth;",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert!(
                    overflow.as_i64().unwrap() <= 0,
                    "{name} overflows by {overflow}px at {width}px"
                );
                let h1 = client
                    .find(Locator::Css("h1"))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                assert!(!h1.trim().is_empty(), "{name} has an empty h1");
                let styled = client
                    .execute("return getComputedStyle(document.body).fontFamily;", vec![])
                    .await
                    .unwrap();
                assert!(
                    styled.as_str().unwrap().contains("system-ui"),
                    "{name}: the stylesheet did not load"
                );
                // On a desktop the navigation fits on one line.
                if width >= 1280 {
                    let rows = client
                        .execute("return new Set([...document.querySelectorAll('.site-nav li')].map(li => li.offsetTop)).size;", vec![])
                        .await
                        .unwrap();
                    assert_eq!(rows.as_i64(), Some(1), "{name}: the navigation wraps at {width}px");
                }
                let png = client.screenshot().await.unwrap();
                std::fs::write(screenshot_dir().join(format!("{name}-{width}.png")), png).unwrap();
            }
            // The first Tab reaches the skip link, which moves focus to the content.
            client
                .goto(&format!(
                    "http://127.0.0.1:{port}/statements/us-italy-2025/security/ukraine-ceasefire/"
                ))
                .await
                .unwrap();
            client
                .find(Locator::Css("body"))
                .await
                .unwrap()
                .send_keys("\u{E004}")
                .await
                .unwrap();
            let focused = client
                .execute("return document.activeElement.className;", vec![])
                .await
                .unwrap();
            assert_eq!(focused.as_str(), Some("skip-link"));
            // The paragraph's citation link is visible and points at its own anchor.
            let cite = client
                .find(Locator::Css("blockquote.pledge-text a.cite"))
                .await
                .unwrap();
            assert!(cite.is_displayed().await.unwrap());
            assert_eq!(cite.attr("href").await.unwrap().as_deref(), Some("#p1"));
            client.close().await.unwrap();
        }
    });
}

/// Polls a script in the page until it returns true, for up to 20 s.
pub async fn wait_until(client: &Client, script: &str, what: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let value = client
            .execute(script, vec![])
            .await
            .unwrap_or(serde_json::Value::Null);
        if value.as_bool() == Some(true) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page never showed {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
fn the_preview_reloads_after_a_save_and_shows_errors() {
    if !browser_available() {
        return;
    }
    let site = Site::shipped();
    let serving = crate::serve::Serving::start(&site);
    let driver = start_driver();
    let pledge = "content/statements/us-italy-2025/technology/trusted-vendors.md";
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = connect(&driver, 1280).await;
        client
            .goto(&format!(
                "http://127.0.0.1:{}/statements/us-italy-2025/technology/trusted-vendors/",
                serving.port
            ))
            .await
            .unwrap();
        // Wait until the live-reload stream is open before editing.
        wait_until(
            &client,
            "return document.documentElement.dataset.liveReload === 'connected';",
            "the live-reload stream open",
        )
        .await;
        let text = site.read(pledge);
        site.write(pledge, text.replacen("title = \"", "title = \"Saved: ", 1));
        wait_until(
            &client,
            "return document.querySelector('h1').textContent.startsWith('Saved: ');",
            "the saved title",
        )
        .await;
        site.write(
            pledge,
            text.replacen("status = \"", "status = \"<broken>", 1),
        );
        wait_until(
            &client,
            "return document.getElementById('communique-errors') !== null;",
            "the error overlay",
        )
        .await;
        let overlay = client
            .find(Locator::Id("communique-errors"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            overlay.contains("trusted-vendors.md:") && overlay.contains("<broken>"),
            "{overlay}"
        );
        std::fs::write(
            screenshot_dir().join("serve-error-overlay-1280.png"),
            client.screenshot().await.unwrap(),
        )
        .unwrap();
        site.write(pledge, &text);
        wait_until(
            &client,
            "return document.getElementById('communique-errors') === null;",
            "the overlay cleared",
        )
        .await;
        client.close().await.unwrap();
    });
}

/// A raw WebDriver command: fantoccini has no call for chromedriver's log and CDP endpoints.
#[derive(Debug)]
pub struct RawCommand {
    pub path: &'static str,
    pub body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for RawCommand {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// The browser console's errors since the last call.
async fn console_errors(client: &Client) -> Vec<String> {
    let log = client
        .issue_cmd(RawCommand {
            path: "se/log",
            body: serde_json::json!({ "type": "browser" }),
        })
        .await
        .unwrap();
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| entry["message"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Switches the page's `prefers-color-scheme`, as a reader's system setting would.
pub async fn emulate_color_scheme(client: &Client, scheme: &str) {
    client
        .issue_cmd(RawCommand {
            path: "goog/cdp/execute",
            body: serde_json::json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] }
            }),
        })
        .await
        .unwrap();
}

pub async fn search_results(client: &Client) -> Vec<String> {
    let links = client
        .execute("return [...document.querySelectorAll('.search-result-link')].map(a => a.getAttribute('href'));", vec![])
        .await
        .unwrap();
    links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

#[test]
fn search_finds_pledges_filters_narrow_them_and_pages_have_no_console_errors() {
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    runtime.block_on(async {
        let client = connect(&driver, 1280).await;
        let base = format!("http://127.0.0.1:{port}");

        // The header's search box leads to results.
        client.goto(&format!("{base}/search/?q=liquefied%20natural%20gas")).await.unwrap();
        wait_until(&client, "return document.querySelectorAll('.search-result-link').length > 0;", "search results").await;
        let results = search_results(&client).await;
        assert_eq!(results.first().map(String::as_str), Some("/statements/us-italy-2025/shared-prosperity/lng-exports/"), "{results:?}");
        // The first result's excerpt marks the words that matched.
        let marked = client
            .execute("const mark = document.querySelector('.search-result-excerpt mark'); return mark ? mark.textContent : null;", vec![])
            .await
            .unwrap();
        assert!(marked.as_str().is_some_and(|m| !m.is_empty()), "no <mark> in the excerpt: {marked}");

        // Typing in the search page's own box finds the Single Special Economic Zone pledge.
        let input = client.find(Locator::Css(".search-input")).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys("Single Special Economic Zone").await.unwrap();
        wait_until(
            &client,
            "return [...document.querySelectorAll('.search-result-link')].some(a => a.getAttribute('href').endsWith('/workforce-shipbuilding-zes/'));",
            "the SEZ pledge among the results",
        )
        .await;

        // A status filter narrows a broad search.
        input.clear().await.unwrap();
        input.send_keys("Italy").await.unwrap();
        wait_until(
            &client,
            "return document.querySelector('.search-status').textContent.includes('“Italy”') && document.querySelectorAll('.search-result').length >= 5;",
            "a broad result list",
        )
        .await;
        let broad = client.execute("return document.querySelector('.search-status').textContent;", vec![]).await.unwrap();
        // The filters load when opened.
        client.execute("document.querySelector('.search-filters-summary').click(); return true;", vec![]).await.unwrap();
        wait_until(&client, "return document.querySelectorAll('.search-filter-checkbox').length > 0;", "the filters").await;
        client
            .execute(
                "const box = [...document.querySelectorAll('.search-filter-checkbox')].find(b => b.closest('.search-filter-value').textContent.includes('Stalled')); box.click(); return true;",
                vec![],
            )
            .await
            .unwrap();
        wait_until(
            &client,
            "const links = [...document.querySelectorAll('.search-result-link')].map(a => a.getAttribute('href')); return links.length > 0 && links.every(h => h.includes('/digital-services-tax/') || h.includes('/trump-visit-us-europe-meeting/'));",
            "only the stalled pledges",
        )
        .await;
        let narrow = client.execute("return document.querySelector('.search-status').textContent;", vec![]).await.unwrap();
        assert_ne!(broad, narrow);

        // The statement and entity graphs render as SVG with working links.
        for path in ["/statements/us-italy-2025/", "/programs/imec/"] {
            client.goto(&format!("{base}{path}")).await.unwrap();
            let nodes = client
                .execute("const svg = [...document.querySelectorAll('svg.graph')].find(s => s.getBoundingClientRect().height > 100); return svg ? svg.querySelectorAll('a').length : 0;", vec![])
                .await
                .unwrap();
            assert!(nodes.as_i64().unwrap() >= 5, "{path}: graph missing or empty ({nodes})");
        }

        // No page type logs an error to the console.
        let _ = console_errors(&client).await;
        for (name, path) in PAGES {
            client.goto(&format!("{base}{path}")).await.unwrap();
            if name == "search" {
                wait_until(&client, "return document.querySelectorAll('.search-result').length > 0;", "search results").await;
            }
            let errors: Vec<String> = console_errors(&client)
                .await
                .into_iter()
                // The 404 page is requested on purpose.
                .filter(|e| !(name == "not-found" && e.contains("404")))
                .collect();
            assert!(errors.is_empty(), "{name} logged errors: {errors:?}");
        }
        client.close().await.unwrap();
    });
}

/// axe-core's script, installed by `.ci/run` (npm's axe-core) and named by `AXE_CORE_JS`.
pub fn axe_script() -> Option<String> {
    match std::env::var("AXE_CORE_JS") {
        Ok(path) => Some(
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("AXE_CORE_JS={path}: {e}")),
        ),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but AXE_CORE_JS is not: .ci/run installs axe-core"
            );
            eprintln!(
                "notice: skipping the axe-core test: set AXE_CORE_JS to axe.min.js (npm install axe-core)"
            );
            None
        }
    }
}

#[test]
fn every_page_type_passes_axe_in_light_and_dark() {
    let Some(axe) = axe_script() else { return };
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    runtime.block_on(async {
        let mut failures = Vec::new();
        for width in [390u32, 1280] {
            let client = connect(&driver, width).await;
            for scheme in ["light", "dark"] {
                emulate_color_scheme(&client, scheme).await;
                for (name, path) in PAGES.iter().chain(&[("about", "/about/"), ("sources", "/sources/"), ("statements", "/statements/")]) {
                    client.goto(&format!("http://127.0.0.1:{port}{path}")).await.unwrap();
                    if *name == "search" {
                        wait_until(&client, "return document.querySelectorAll('.search-result').length > 0;", "search results").await;
                    }
                    client.execute(&axe, vec![]).await.unwrap();
                    let violations = client
                        .execute_async(
                            "const done = arguments[arguments.length - 1]; axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
                            vec![],
                        )
                        .await
                        .unwrap();
                    for violation in violations.as_array().into_iter().flatten() {
                        failures.push(format!("{name} at {width}px, {scheme}: {violation}"));
                    }
                }
            }
            client.close().await.unwrap();
        }
        assert!(failures.is_empty(), "axe-core found:\n{}", failures.join("\n"));
    });
}
