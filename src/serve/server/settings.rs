//! The preview server's fixed paths and limits, and [`Server`], what every connection's
//! requests are answered from.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::serve::state::Shared;

/// Where the live-reload script and event stream live; no site page can use these paths.
pub const LIVE_SCRIPT: &str = "/__communique/live.js";
/// The Server-Sent Events stream.
pub const EVENTS: &str = "/__communique/events";

/// The most connections served at once, whatever the descriptor limit. Below it, the cap is
/// half the process's soft `RLIMIT_NOFILE` (see `Limits::for_descriptors`), leaving the
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

/// What every connection's requests are answered from.
pub(super) struct Server {
    /// The site.
    pub shared: Arc<Shared>,
    /// The `Host` values answered (`allowed_hosts`).
    pub allowed: Vec<String>,
    /// One permit per live-reload stream that may be open.
    pub streams: Arc<Semaphore>,
    /// How many live-reload streams may be open.
    pub event_streams: usize,
}
