//! The preview's HTTP server: GET and HEAD only, from memory, for the server's own host names,
//! with the live-reload channel and the error overlay. Nothing a request says can make it read
//! a file: paths are decoded once and looked up among the built files.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use tiny_http::{Header, Method, Request, Response, Server};

use super::{Shared, overlay};

/// Where the live-reload script and event stream live; no site page can use these paths.
pub const LIVE_SCRIPT: &str = "/__communique/live.js";
/// The Server-Sent Events stream.
pub const EVENTS: &str = "/__communique/events";

const LIVE_JS: &str = r#"// communique serve: live reload. Not part of any deployed site.
(() => {
  const events = new EventSource("/__communique/events?page=" + encodeURIComponent(location.pathname));
  events.addEventListener("open", () => { document.documentElement.dataset.liveReload = "connected"; });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("live", Date.now());
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove());
      link.after(fresh);
    }
  });
})();
"#;

/// A bound HTTP server and the port it got.
pub struct Listener {
    server: Server,
    /// The port, useful when 0 was asked for.
    pub port: u16,
}

/// Binds `bind:port`, or explains why it cannot.
pub fn listen(bind: &str, port: u16) -> anyhow::Result<Listener> {
    let address = if bind.contains(':') {
        format!("[{bind}]:{port}")
    } else {
        format!("{bind}:{port}")
    };
    let server = Server::http(&address).map_err(|error| {
        let text = error.to_string();
        if text.contains("in use") {
            anyhow!("cannot listen on {address}: the port is in use\nhelp: another program (perhaps another `communique serve`) has it; pass --port to pick another")
        } else {
            anyhow!("cannot listen on {address}: {text}\nhelp: check --bind and --port")
        }
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map_or(port, |address| address.port());
    Ok(Listener { server, port })
}

/// The `Host` header values this server answers: its own names, never another site's (which
/// is what a DNS-rebinding page would send).
pub fn allowed_hosts(bind: &str, port: u16) -> Vec<String> {
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if port == 80 {
        // Browsers leave the default port out of the Host header.
        hosts.extend(["127.0.0.1", "localhost", "[::1]"].map(String::from));
    }
    if !matches!(bind, "127.0.0.1" | "localhost" | "::1") {
        hosts.push(if bind.contains(':') {
            format!("[{bind}]:{port}")
        } else {
            format!("{bind}:{port}")
        });
    }
    hosts
}

/// Is `host` one of the allowed ones? Bound to every address, any IP literal with our port
/// is allowed too (a rebinding attack needs a name, not an address).
fn host_allowed(host: &str, allowed: &[String]) -> bool {
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(host)) {
        return true;
    }
    let every_address = allowed
        .iter()
        .any(|a| a.starts_with("0.0.0.0:") || a.starts_with("[::]:"));
    let port = allowed[0].rsplit(':').next().unwrap_or("");
    every_address
        && host.rsplit_once(':').is_some_and(|(address, host_port)| {
            host_port == port
                && address
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok()
        })
}

/// Answers requests until the process stops, one thread per request.
pub fn serve(listener: Listener, shared: Arc<Shared>, allowed: Vec<String>) {
    let allowed = Arc::new(allowed);
    for request in listener.server.incoming_requests() {
        let shared = Arc::clone(&shared);
        let allowed = Arc::clone(&allowed);
        std::thread::spawn(move || answer(request, &shared, &allowed));
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values here are ASCII")
}

fn header_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn plain(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// Decodes `%XX` escapes once; `None` for a malformed escape.
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    Some(decoded)
}

/// Where a request target leads among the built files.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A built file.
    File(String),
    /// A folder asked for without its slash: send the browser there.
    Redirect(String),
    /// Nothing: the site's 404 page.
    NotFound,
    /// A target no file can have: `..`, NUL, backslashes, bad escapes.
    Bad,
}

/// Resolves a request target once: decode, refuse anything that could climb or smuggle,
/// then look the path up among `files`.
pub fn resolve(target: &str, has_file: impl Fn(&str) -> bool) -> Target {
    if !target.starts_with('/') || target.starts_with("//") {
        return Target::Bad;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path) else {
        return Target::Bad;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return Target::Bad;
    };
    if text.contains(['\0', '\\']) || text.chars().any(char::is_control) {
        return Target::Bad;
    }
    let mut segments = Vec::new();
    for segment in text.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Target::Bad,
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    if joined.is_empty() {
        return if has_file("index.html") {
            Target::File("index.html".into())
        } else {
            Target::NotFound
        };
    }
    if text.ends_with('/') {
        let index = format!("{joined}/index.html");
        return if has_file(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if has_file(&joined) {
        Target::File(joined)
    } else if has_file(&format!("{joined}/index.html")) {
        Target::Redirect(format!("/{joined}/"))
    } else {
        Target::NotFound
    }
}

/// The content type of a built file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script, and the error overlay when the last build failed, to a page.
fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let mut addition = String::new();
    if let Some(errors) = errors {
        addition.push_str(&overlay(errors));
    }
    addition.push_str(&format!("<script src=\"{LIVE_SCRIPT}\" defer></script>"));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{addition}").into_bytes(),
    }
}

fn answer(request: Request, shared: &Shared, allowed: &[String]) {
    let host_ok = header_value(&request, "Host").is_some_and(|host| host_allowed(host, allowed));
    if !host_ok {
        let _ = request.respond(plain(
            403,
            "403 Forbidden: this preview answers only to its own address\n",
        ));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(
            plain(405, "405 Method Not Allowed: the preview is read-only\n")
                .with_header(header("Allow", "GET, HEAD")),
        );
        return;
    }
    let url = request.url().to_string();
    let path_only = url.split(['?', '#']).next().unwrap_or("");
    if path_only == EVENTS {
        let origin_ok = header_value(&request, "Origin").is_none_or(|origin| {
            origin
                .strip_prefix("http://")
                .is_some_and(|host| host_allowed(host, allowed))
        });
        if !origin_ok {
            let _ = request.respond(plain(403, "403 Forbidden: foreign origin\n"));
            return;
        }
        // The page the browser shows: it is told to reload only when that page changed,
        // and the quick update renders it first.
        let page = url
            .split_once("?page=")
            .map(|(_, page)| page.split('&').next().unwrap_or(""))
            .and_then(percent_decode)
            .and_then(|page| String::from_utf8(page).ok())
            .and_then(|page| {
                let state = shared.lock();
                match resolve(&page, |path| state.files.contains_key(path)) {
                    Target::File(path) => Some(path),
                    _ => None,
                }
            });
        stream_events(request, shared, page);
        return;
    }
    if path_only == LIVE_SCRIPT {
        let response = Response::from_data(LIVE_JS.as_bytes().to_vec())
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
        return;
    }

    let state = shared.lock();
    let errors = state.errors.clone();
    let target = resolve(&url, |path| state.files.contains_key(path));
    let (status, path) = match target {
        Target::Bad => {
            drop(state);
            let _ = request.respond(plain(400, "400 Bad Request\n"));
            return;
        }
        Target::Redirect(location) => {
            drop(state);
            let _ = request.respond(plain(301, "").with_header(header("Location", &location)));
            return;
        }
        Target::File(path) => (200, path),
        Target::NotFound => (404, "404.html".to_string()),
    };
    let body = match state.files.get(&path) {
        Some(bytes) if path.ends_with(".html") => inject(bytes, errors.as_deref()),
        Some(bytes) => bytes.to_vec(),
        None => {
            // No page at all yet: the first build failed.
            let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>";
            let status = if errors.is_some() { 500 } else { 404 };
            drop(state);
            let response = Response::from_data(inject(page.as_bytes(), errors.as_deref()))
                .with_status_code(status)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store"));
            let _ = request.respond(response);
            return;
        }
    };
    drop(state);
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&path)))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

/// Holds the request open and writes one event per rebuild that concerns `page` (every
/// rebuild when it is unknown), until the browser goes away.
fn stream_events(request: Request, shared: &Shared, page: Option<String>) {
    let _viewer = page.as_ref().map(|page| Viewer::new(shared, page));
    let mut seen = shared.lock().version;
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = {
            let state = shared.lock();
            let (state, _) = shared
                .changed
                .wait_timeout_while(state, Duration::from_secs(15), |state| {
                    state.version == seen
                })
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if state.version == seen {
                Some(": keep-alive\n\n".to_string())
            } else {
                let event = state.event_for(seen, page.as_deref());
                seen = state.version;
                event.map(|event| format!("event: {event}\ndata: {seen}\n\n"))
            }
        };
        let Some(message) = message else { continue };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// A browser showing a page, counted in `Shared::viewers` while its event stream is open.
struct Viewer<'a> {
    shared: &'a Shared,
    page: String,
}

impl<'a> Viewer<'a> {
    fn new(shared: &'a Shared, page: &str) -> Self {
        if let Ok(mut viewers) = shared.viewers.lock() {
            *viewers.entry(page.to_string()).or_default() += 1;
        }
        Viewer {
            shared,
            page: page.to_string(),
        }
    }
}

impl Drop for Viewer<'_> {
    fn drop(&mut self) {
        if let Ok(mut viewers) = self.shared.viewers.lock()
            && let Some(count) = viewers.get_mut(&self.page)
        {
            *count -= 1;
            if *count == 0 {
                viewers.remove(&self.page);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        ["index.html", "a/index.html", "style.css", "a b.txt"].contains(&path)
    }

    #[test]
    fn resolves_once_and_refuses_climbing() {
        assert_eq!(resolve("/", site), Target::File("index.html".into()));
        assert_eq!(resolve("/a/", site), Target::File("a/index.html".into()));
        assert_eq!(resolve("/a", site), Target::Redirect("/a/".into()));
        assert_eq!(
            resolve("/style.css?v=1", site),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/a%20b.txt", site), Target::File("a b.txt".into()));
        assert_eq!(resolve("/missing", site), Target::NotFound);
        for hostile in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cetc%5cpasswd",
            "/index.html%00.txt",
            "/%zz",
            "//etc/passwd",
            "http://evil.example/",
            "/a/./index.html",
        ] {
            assert_eq!(resolve(hostile, site), Target::Bad, "{hostile}");
        }
        // Decoded once: a double-encoded dot-dot is just a strange, missing file name.
        assert_eq!(resolve("/%252e%252e/etc/passwd", site), Target::NotFound);
    }

    #[test]
    fn only_our_own_host_names() {
        let allowed = allowed_hosts("127.0.0.1", 8080);
        assert!(host_allowed("127.0.0.1:8080", &allowed));
        assert!(host_allowed("LOCALHOST:8080", &allowed));
        assert!(!host_allowed("evil.example:8080", &allowed));
        assert!(!host_allowed("127.0.0.1:9090", &allowed));
        let everywhere = allowed_hosts("0.0.0.0", 8080);
        assert!(host_allowed("192.0.2.7:8080", &everywhere));
        assert!(!host_allowed("rebind.example:8080", &everywhere));
    }

    #[test]
    fn pages_get_the_script_and_the_overlay() {
        let page = inject(
            b"<html><body><p>x</p></body></html>",
            Some("a.md:1:1: error: <b>"),
        );
        let text = String::from_utf8(page).unwrap();
        assert!(text.contains("communique-errors"));
        assert!(text.contains("&lt;b&gt;"));
        assert!(
            text.ends_with("<script src=\"/__communique/live.js\" defer></script></body></html>")
        );
    }
}
