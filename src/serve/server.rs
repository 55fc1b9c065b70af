//! The preview's HTTP server: GET and HEAD only, from memory, for the server's own host names,
//! with the live-reload channel and the error overlay. Nothing a request says can make it read
//! a file: paths are decoded once and looked up among the built files.
//!
//! It runs hyper's HTTP/1 server on a small tokio runtime of its own, and keeps answering
//! under load: connections beyond a cap derived from the descriptor limit wait in the
//! kernel's backlog, running out of descriptors only slows accepting down, request heads are
//! capped in size and time, a client that takes nothing of its answer is dropped, and
//! live-reload streams have a cap of their own. The rebuild machinery stays synchronous; the
//! server only reads `Shared`.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use http_body_util::{Either, Full};
use hyper::body::{Body, Bytes, Frame, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Sleep;

use super::{Shared, overlay};

/// Where the live-reload script and event stream live; no site page can use these paths.
pub const LIVE_SCRIPT: &str = "/__communique/live.js";
/// The Server-Sent Events stream.
pub const EVENTS: &str = "/__communique/events";

/// The most connections served at once, whatever the descriptor limit. Below it, the cap is
/// half the process's soft `RLIMIT_NOFILE` (see [`Limits::for_descriptors`]), leaving the
/// other half to the watcher, the rebuilds' file reads and the runtime. Connections over the
/// cap are not accepted: they wait in the kernel's backlog until one closes.
pub const MAX_CONNECTIONS: usize = 512;
/// The most live-reload streams open at once, and never more than half the connection cap,
/// so pages can still be fetched when every stream is taken. One more gets `503` with
/// `Retry-After`.
pub const MAX_EVENT_STREAMS: usize = 128;
/// How long a client has to send a whole request head. A slow client (slowloris), or an
/// idle kept-alive connection waiting for its next request, is closed after it.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most bytes a request head (request line and headers) may take; hyper buffers no
/// more per connection, and answers a longer head with `431` and closes the connection.
/// Generous for the cookies other local servers leave on `localhost`.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most header lines a request may have; one more gets `431` (hyper's own default,
/// named here so it is documented).
pub const MAX_HEADERS: usize = 100;
/// A client that takes no byte of its answer for this long is disconnected, so a reader
/// that never reads cannot hold a connection and its answer forever.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// How often an idle live-reload stream gets a comment, so proxies and browsers keep it.
pub const EVENT_KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long accepting pauses after the system refused a connection for want of
/// descriptors or memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`).
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// At most one warning about refused connections per this interval.
pub const ACCEPT_WARNING_INTERVAL: Duration = Duration::from_secs(30);
/// The `Retry-After` (seconds) of a live-reload stream refused for being over the cap.
pub const EVENT_RETRY_AFTER: &str = "5";

const LIVE_JS: &str = r#"// communique serve: live reload. Not part of any deployed site.
(() => {
  const connect = () => {
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
    // Refused (too many live-reload streams open): the browser gives up, so try again later.
    events.addEventListener("error", () => {
      if (events.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    });
  };
  connect();
})();
"#;

/// How many connections and live-reload streams the server takes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more wait in the kernel's backlog.
    pub connections: usize,
    /// Live-reload streams open at once; more get `503`.
    pub event_streams: usize,
}

impl Limits {
    /// The limits for a process allowed `soft_limit` open descriptors: half of them for
    /// connections, at most [`MAX_CONNECTIONS`], and half of those for live-reload streams,
    /// at most [`MAX_EVENT_STREAMS`]. Never zero.
    pub fn for_descriptors(soft_limit: usize) -> Limits {
        let connections = (soft_limit / 2).clamp(1, MAX_CONNECTIONS);
        Limits {
            connections,
            event_streams: (connections / 2).clamp(1, MAX_EVENT_STREAMS),
        }
    }

    /// The limits for this process's soft `RLIMIT_NOFILE`.
    pub fn for_this_process() -> Limits {
        Limits::for_descriptors(descriptor_limit())
    }
}

/// The process's soft limit on open descriptors (1024 where it cannot be read).
fn descriptor_limit() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            return usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
        }
    }
    1024
}

/// A bound HTTP server, the runtime it will run on, and the port it got.
pub struct Listener {
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        .thread_name("serve-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|error| anyhow!("cannot start the preview's server threads: {error}"))?;
    let listener = runtime
        .block_on(TcpListener::bind(&address))
        .map_err(|error| {
            if error.kind() == io::ErrorKind::AddrInUse {
                anyhow!("cannot listen on {address}: the port is in use\nhelp: another program (perhaps another `communique serve`) has it; pass --port to pick another")
            } else {
                anyhow!("cannot listen on {address}: {error}\nhelp: check --bind and --port")
            }
        })?;
    let port = listener.local_addr().map_or(port, |address| address.port());
    Ok(Listener {
        runtime,
        listener,
        port,
    })
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

/// Answers requests until the process stops, on the listener's runtime, with the limits of
/// this process's descriptor limit.
pub fn serve(listener: Listener, shared: Arc<Shared>, allowed: Vec<String>) {
    let Listener {
        runtime, listener, ..
    } = listener;
    let limits = Limits::for_this_process();
    let server = Arc::new(Server {
        shared,
        allowed,
        streams: Arc::new(Semaphore::new(limits.event_streams)),
        event_streams: limits.event_streams,
    });
    runtime.block_on(accept(listener, server, limits.connections));
}

/// What every connection's requests are answered from.
struct Server {
    shared: Arc<Shared>,
    allowed: Vec<String>,
    /// One permit per live-reload stream that may be open.
    streams: Arc<Semaphore>,
    event_streams: usize,
}

/// Accepts connections for ever, each on its own task, at most `connections` at once.
async fn accept(listener: TcpListener, server: Arc<Server>, connections: usize) {
    let slots = Arc::new(Semaphore::new(connections));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        .title_case_headers(true);
    let mut warned: Option<Instant> = None;
    loop {
        // A slot first: over the cap, connections wait in the kernel's backlog.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            // The semaphore is never closed; should it be, keep going rather than stop.
            tokio::time::sleep(ACCEPT_BACKOFF).await;
            continue;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                if !transient(&error) {
                    if warned.is_none_or(|at| at.elapsed() >= ACCEPT_WARNING_INTERVAL) {
                        eprintln!("{}", accept_warning(&error));
                        warned = Some(Instant::now());
                    }
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let server = Arc::clone(&server);
        let http = http.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                std::future::ready(Ok::<_, Infallible>(server.answer(&request)))
            });
            let _ = http
                .serve_connection(TokioIo::new(Timed::new(stream)), service)
                .await;
            // The connection is closed: its slot is free again.
            drop(slot);
        });
    }
}

/// An accept error about one connection only, which the next accept does not repeat.
fn transient(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// Did the system refuse a connection for want of descriptors or memory?
fn out_of_resources(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            error.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        )
    }
    #[cfg(not(unix))]
    {
        error.kind() == io::ErrorKind::OutOfMemory
    }
}

/// The terminal's line when accepting fails.
fn accept_warning(error: &io::Error) -> String {
    if out_of_resources(error) {
        format!(
            "warning: the preview cannot take new connections for now: {error}\n  it keeps trying, and answers again as soon as connections close; raise the limit (ulimit -n) if this goes on"
        )
    } else {
        format!("warning: the preview could not accept a connection: {error}; it keeps trying")
    }
}

/// Every answer's body: bytes, or a live-reload stream.
type Reply = Either<Full<Bytes>, Events>;

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

fn plain(status: StatusCode, text: impl Into<Bytes>) -> Response<Reply> {
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
    fn answer(&self, request: &Request<Incoming>) -> Response<Reply> {
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

    /// The live-reload stream for `url` (its `?page=` names the page the browser shows), or
    /// `503` when [`Limits::event_streams`] are already open. A `HEAD` gets the headers.
    fn events(&self, url: &str, head: bool) -> Response<Reply> {
        let stream = |body: Reply| {
            let mut response = Response::new(body);
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        };
        if head {
            return stream(Either::Left(Full::new(Bytes::new())));
        }
        let Ok(slot) = Arc::clone(&self.streams).try_acquire_owned() else {
            let mut response = plain(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "503 Service Unavailable: {} live-reload streams are open, the most this preview keeps; close some preview tabs (this one retries by itself)\n",
                    self.event_streams
                ),
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(EVENT_RETRY_AFTER),
            );
            return response;
        };
        // The page the browser shows: it is told to reload only when that page changed,
        // and the quick update renders it first.
        let state = self.shared.lock();
        let page = url
            .split_once("?page=")
            .map(|(_, page)| page.split('&').next().unwrap_or(""))
            .and_then(percent_decode)
            .and_then(|page| String::from_utf8(page).ok())
            .and_then(
                |page| match resolve(&page, |path| state.files.contains_key(path)) {
                    Target::File(path) => Some(path),
                    _ => None,
                },
            );
        // Subscribed under the lock that reads the version, so no rebuild falls between.
        let changes = state.subscribe();
        let seen = state.version;
        drop(state);
        let viewer = page
            .as_ref()
            .map(|page| Viewer::new(Arc::clone(&self.shared), page));
        stream(Either::Right(Events {
            shared: Arc::clone(&self.shared),
            page,
            seen,
            opening: Some(Bytes::from_static(b"retry: 500\n\n")),
            waiting: Some(wait(changes)),
            _viewer: viewer,
            _slot: slot,
        }))
    }
}

/// Why a live-reload stream woke up.
enum Wake {
    /// A new version was published.
    Changed,
    /// Nothing for [`EVENT_KEEP_ALIVE`].
    Quiet,
    /// The state is gone (the process is ending).
    Closed,
}

type Waiting = Pin<Box<dyn Future<Output = (watch::Receiver<u64>, Wake)> + Send>>;

/// Waits for the next version, or [`EVENT_KEEP_ALIVE`], and hands the receiver back.
fn wait(mut changes: watch::Receiver<u64>) -> Waiting {
    Box::pin(async move {
        let wake = match tokio::time::timeout(EVENT_KEEP_ALIVE, changes.changed()).await {
            Ok(Ok(())) => Wake::Changed,
            Ok(Err(_)) => Wake::Closed,
            Err(_) => Wake::Quiet,
        };
        (changes, wake)
    })
}

/// A live-reload stream's body: `retry: 500`, then at each new version what
/// `SiteState::event_for` says for its page, if anything, and a keep-alive comment every
/// [`EVENT_KEEP_ALIVE`]. It waits on `SiteState`'s watch channel, not on a thread; when the
/// browser goes away hyper drops it, which frees its stream slot and its viewer count.
struct Events {
    shared: Arc<Shared>,
    /// The output path of the page the browser shows, when known.
    page: Option<String>,
    /// The last version this browser was told about.
    seen: u64,
    opening: Option<Bytes>,
    waiting: Option<Waiting>,
    _viewer: Option<Viewer>,
    _slot: OwnedSemaphorePermit,
}

impl Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Some(opening) = this.opening.take() {
            return Poll::Ready(Some(Ok(Frame::data(opening))));
        }
        loop {
            let Some(waiting) = this.waiting.as_mut() else {
                return Poll::Ready(None);
            };
            let (changes, wake) = ready!(waiting.as_mut().poll(cx));
            this.waiting = None;
            let message = match wake {
                Wake::Closed => return Poll::Ready(None),
                Wake::Quiet => Some(Bytes::from_static(b": keep-alive\n\n")),
                Wake::Changed => {
                    let state = this.shared.lock();
                    if state.version == this.seen {
                        None
                    } else {
                        let event = state.event_for(this.seen, this.page.as_deref());
                        this.seen = state.version;
                        event.map(|event| {
                            Bytes::from(format!("event: {event}\ndata: {}\n\n", this.seen))
                        })
                    }
                }
            };
            this.waiting = Some(wait(changes));
            if let Some(message) = message {
                return Poll::Ready(Some(Ok(Frame::data(message))));
            }
        }
    }
}

/// A browser showing a page, counted in `Shared::viewers` while its event stream is open.
struct Viewer {
    shared: Arc<Shared>,
    page: String,
}

impl Viewer {
    fn new(shared: Arc<Shared>, page: &str) -> Self {
        if let Ok(mut viewers) = shared.viewers.lock() {
            *viewers.entry(page.to_string()).or_default() += 1;
        }
        Viewer {
            shared,
            page: page.to_string(),
        }
    }
}

impl Drop for Viewer {
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

/// A connection whose writes fail once the client has taken nothing for [`SEND_TIMEOUT`].
struct Timed {
    stream: TcpStream,
    /// Running while a write waits for the client.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl Timed {
    fn new(stream: TcpStream) -> Self {
        Timed {
            stream,
            stalled: None,
        }
    }

    /// Called when a write could not proceed: fails it once the stall has lasted too long.
    fn stall<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(SEND_TIMEOUT)));
        ready!(timer.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the client took nothing of its answer",
        )))
    }

    fn progress<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Pending => self.stall(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for Timed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Timed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.progress(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.progress(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_flush(cx);
        this.progress(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.progress(cx, poll)
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
    fn limits_follow_the_descriptor_limit() {
        let limits = |soft| {
            let l = Limits::for_descriptors(soft);
            (l.connections, l.event_streams)
        };
        assert_eq!(limits(256), (128, 64), "macOS's default soft limit");
        assert_eq!(limits(1024), (MAX_CONNECTIONS, MAX_EVENT_STREAMS));
        assert_eq!(limits(usize::MAX), (MAX_CONNECTIONS, MAX_EVENT_STREAMS));
        assert_eq!(limits(3), (1, 1), "never zero");
        assert_eq!(limits(0), (1, 1));
    }

    #[test]
    fn out_of_descriptors_is_told_apart() {
        let emfile = io::Error::from_raw_os_error(libc::EMFILE);
        assert!(out_of_resources(&emfile) && !transient(&emfile));
        assert!(accept_warning(&emfile).contains("cannot take new connections for now"));
        let aborted = io::Error::from(io::ErrorKind::ConnectionAborted);
        assert!(transient(&aborted) && !out_of_resources(&aborted));
    }

    #[test]
    fn redirects_to_any_folder_name_are_valid_headers() {
        assert_eq!(encode_path("/a/"), "/a/");
        assert_eq!(encode_path("/a b/"), "/a%20b/");
        assert_eq!(encode_path("/café/"), "/caf%C3%A9/");
        assert_eq!(encode_path("/100%/\r\n"), "/100%25/%0D%0A");
        assert!(HeaderValue::try_from(encode_path("/\u{7f}\0é\"<>/")).is_ok());
    }

    fn server(event_streams: usize) -> Server {
        let shared = Arc::new(Shared::default());
        shared
            .lock()
            .files
            .insert("index.html".into(), Arc::new(b"<p>home</p>".to_vec()));
        Server {
            shared,
            allowed: allowed_hosts("127.0.0.1", 8080),
            streams: Arc::new(Semaphore::new(event_streams)),
            event_streams,
        }
    }

    /// The next chunk of a live-reload stream, as text.
    async fn next_chunk(body: &mut Reply) -> String {
        use http_body_util::BodyExt;
        let frame = body.frame().await.expect("the stream ended").unwrap();
        String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn event_streams_wake_on_bump_and_free_their_slot_and_viewer() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let server = server(1);
        let viewers = || {
            server
                .shared
                .viewers
                .lock()
                .unwrap()
                .get("index.html")
                .copied()
        };
        let response = server.events("/__communique/events?page=%2F", false);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(viewers(), Some(1));
        // The cap is one stream: the next is refused, with a hint when to retry.
        let refused = server.events("/__communique/events?page=%2F", false);
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], EVENT_RETRY_AFTER);
        assert_eq!(viewers(), Some(1));
        let mut body = response.into_body();
        runtime.block_on(async {
            assert_eq!(next_chunk(&mut body).await, "retry: 500\n\n");
            server.shared.lock().bump(crate::serve::Reload::Page, None);
            assert_eq!(next_chunk(&mut body).await, "event: reload\ndata: 1\n\n");
            // A change to another page wakes the stream but says nothing to this browser.
            server.shared.lock().bump(
                crate::serve::Reload::Page,
                Some(["other/index.html".to_string()].into()),
            );
            server.shared.lock().bump(crate::serve::Reload::Css, None);
            assert_eq!(next_chunk(&mut body).await, "event: css\ndata: 3\n\n");
        });
        // The browser went away: hyper drops the body, and with it the slot and the count.
        drop(body);
        assert_eq!(viewers(), None);
        assert_eq!(server.streams.available_permits(), 1);
        assert_eq!(
            server.events("/__communique/events", false).status(),
            StatusCode::OK
        );
    }

    #[test]
    fn an_idle_stream_gets_keep_alive_comments() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let server = server(4);
        let mut body = server.events("/__communique/events", false).into_body();
        runtime.block_on(async {
            assert_eq!(next_chunk(&mut body).await, "retry: 500\n\n");
            // With the clock paused, tokio skips the 15 s of quiet at once.
            assert_eq!(next_chunk(&mut body).await, ": keep-alive\n\n");
        });
    }
}
