//! Answering one request: the `Host` and `Origin` checks, the method, resolving the target
//! among the built files, content types, redirects, and the live-reload script and error
//! overlay put into pages.

use std::sync::Arc;

use http_body_util::{Either, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::live::{Events, LIVE_JS};
use super::{EVENTS, LIVE_SCRIPT, Server};
use crate::serve::overlay;

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
    let port = allowed
        .first()
        .and_then(|a| a.rsplit(':').next())
        .unwrap_or("");
    every_address
        && host.rsplit_once(':').is_some_and(|(address, host_port)| {
            host_port == port
                && address
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok()
        })
}

/// Every answer's body: bytes, or a live-reload stream.
pub(super) type Reply = Either<Full<Bytes>, Events>;

/// A site file's bytes, shared with the site rather than copied into each answer.
struct SiteBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SiteBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// An answer with `body`, its type, and the headers every answer carries.
fn respond(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Reply> {
    let mut response = Response::new(Either::Left(Full::new(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

pub(super) fn plain(status: StatusCode, text: impl Into<Bytes>) -> Response<Reply> {
    respond(status, "text/plain; charset=utf-8", text.into())
}

/// Percent-encodes what may not stand in a URL path, so any built file's name makes a valid
/// `Location`.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
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

impl Server {
    pub(super) fn answer(&self, request: &Request<Incoming>) -> Response<Reply> {
        let header = |name: header::HeaderName| {
            let mut values = request.headers().get_all(name).iter();
            match (values.next(), values.next()) {
                (Some(value), None) => value.to_str().ok(),
                _ => None,
            }
        };
        let host_ok = header(header::HOST).is_some_and(|host| host_allowed(host, &self.allowed));
        if !host_ok {
            return plain(
                StatusCode::FORBIDDEN,
                "403 Forbidden: this preview answers only to its own address\n",
            );
        }
        let method = request.method();
        if method != Method::GET && method != Method::HEAD {
            let mut response = plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "405 Method Not Allowed: the preview is read-only\n",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let url = request.uri().to_string();
        let path_only = url.split(['?', '#']).next().unwrap_or("");
        if path_only == EVENTS {
            // No Origin is a same-origin or non-browser request; one must be ours.
            let origin_ok = !request.headers().contains_key(header::ORIGIN)
                || header(header::ORIGIN).is_some_and(|origin| {
                    origin
                        .strip_prefix("http://")
                        .is_some_and(|host| host_allowed(host, &self.allowed))
                });
            if !origin_ok {
                return plain(StatusCode::FORBIDDEN, "403 Forbidden: foreign origin\n");
            }
            return self.events(&url, method == Method::HEAD);
        }
        if path_only == LIVE_SCRIPT {
            return respond(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                Bytes::from_static(LIVE_JS.as_bytes()),
            );
        }

        let state = self.shared.lock();
        let errors = state.errors.clone();
        let target = resolve(&url, |path| state.files.contains_key(path));
        let (status, path) = match target {
            Target::Bad => return plain(StatusCode::BAD_REQUEST, "400 Bad Request\n"),
            Target::Redirect(location) => {
                let mut response = plain(StatusCode::MOVED_PERMANENTLY, "");
                let location = HeaderValue::try_from(encode_path(&location))
                    .unwrap_or_else(|_| HeaderValue::from_static("/"));
                response.headers_mut().insert(header::LOCATION, location);
                return response;
            }
            Target::File(path) => (StatusCode::OK, path),
            Target::NotFound => (StatusCode::NOT_FOUND, "404.html".to_string()),
        };
        let body = match state.files.get(&path) {
            Some(bytes) if path.ends_with(".html") => Bytes::from(inject(bytes, errors.as_deref())),
            Some(bytes) => Bytes::from_owner(SiteBytes(Arc::clone(bytes))),
            None => {
                // No page at all yet: the first build failed.
                drop(state);
                let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>";
                let status = if errors.is_some() {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NOT_FOUND
                };
                return respond(
                    status,
                    "text/html; charset=utf-8",
                    Bytes::from(inject(page.as_bytes(), errors.as_deref())),
                );
            }
        };
        drop(state);
        respond(status, content_type(&path), body)
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

    #[test]
    fn redirects_to_any_folder_name_are_valid_headers() {
        assert_eq!(encode_path("/a/"), "/a/");
        assert_eq!(encode_path("/a b/"), "/a%20b/");
        assert_eq!(encode_path("/café/"), "/caf%C3%A9/");
        assert_eq!(encode_path("/100%/\r\n"), "/100%25/%0D%0A");
        assert!(HeaderValue::try_from(encode_path("/\u{7f}\0é\"<>/")).is_ok());
    }
}
