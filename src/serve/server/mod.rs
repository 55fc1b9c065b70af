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
//!
//! `connections` listens, accepts and bounds connections; `answer` answers each request from
//! the built files, with `target` resolving where it leads and `reply` the headers every
//! answer has; `live` is the live-reload script and the handler of its stream, whose body is
//! `events`. `settings` holds the paths and limits, and `Server`. No file here imports this
//! one, and none imports a file that imports it.

mod answer;
mod connections;
mod events;
mod live;
mod reply;
mod settings;
mod target;

pub use answer::{allowed_hosts, overlay};
pub use connections::{Limits, Listener, listen, serve};
pub use settings::{
    ACCEPT_BACKOFF, ACCEPT_WARNING_INTERVAL, EVENT_KEEP_ALIVE, EVENT_RETRY_AFTER, EVENTS,
    HEADER_READ_TIMEOUT, LIVE_SCRIPT, MAX_CONNECTIONS, MAX_EVENT_STREAMS, MAX_HEAD_BYTES,
    MAX_HEADERS, SEND_TIMEOUT,
};
pub use target::{Target, content_type, percent_decode, resolve};
