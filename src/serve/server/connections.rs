//! Listening and accepting: the runtime and the bound port, the accept loop that keeps
//! going when the system runs out of descriptors, the caps on connections and live-reload
//! streams, and the write timeout of each connection.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use anyhow::anyhow;
use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Sleep;

use super::settings::{
    ACCEPT_BACKOFF, ACCEPT_WARNING_INTERVAL, HEADER_READ_TIMEOUT, MAX_CONNECTIONS,
    MAX_EVENT_STREAMS, MAX_HEAD_BYTES, MAX_HEADERS, SEND_TIMEOUT, Server,
};
use crate::serve::state::Shared;

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
}
