//! Answering one request: the `Host` and `Origin` checks, the method, resolving the target
//! among the built files, content types, redirects, and the live-reload script and error
//! overlay put into pages.

use std::sync::Arc;

use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::live::LIVE_JS;
use super::reply::{Reply, SiteBytes, plain, respond};
use super::settings::{EVENTS, LIVE_SCRIPT, Server};
use super::target::{Target, content_type, encode_path, resolve};
use crate::escape::escape_html;

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

/// The overlay shown over every page while the last build failed. Every character of the
/// errors is escaped.
pub fn overlay(errors: &str) -> String {
    format!(
        "<div id=\"communique-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#141418;color:#f5f5f5;font:15px/1.5 ui-monospace,monospace;padding:2rem\"><h2 style=\"color:#ff8a80;font:bold 20px/1.3 system-ui,sans-serif;margin:0 0 1rem\">The site did not build</h2><p style=\"font-family:system-ui,sans-serif;margin:0 0 1rem\">Fix the file below and save: this page reloads by itself.</p><pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        escape_html(errors)
    )
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
    fn the_overlay_escapes_everything() {
        let html = overlay("content/a.md:1:1: error: <script>alert(1)</script> & \"x\"");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
    }
}
