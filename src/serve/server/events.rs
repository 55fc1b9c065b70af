//! A live-reload stream's body: what it sends, when it wakes, and the count of browsers
//! showing each page while it is open.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use hyper::body::{Body, Bytes, Frame};
use tokio::sync::{OwnedSemaphorePermit, watch};

use super::settings::EVENT_KEEP_ALIVE;
use crate::serve::state::Shared;

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
pub(super) struct Events {
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

impl Events {
    /// The stream of the browser showing `page` (an output path, when known), which has
    /// seen version `seen`, woken by `changes`. It holds its stream `slot`, and counts its
    /// browser among the page's viewers, until it is dropped.
    pub(super) fn new(
        shared: Arc<Shared>,
        page: Option<String>,
        seen: u64,
        changes: watch::Receiver<u64>,
        slot: OwnedSemaphorePermit,
    ) -> Events {
        let viewer = page
            .as_ref()
            .map(|page| Viewer::new(Arc::clone(&shared), page));
        Events {
            shared,
            page,
            seen,
            opening: Some(Bytes::from_static(b"retry: 500\n\n")),
            waiting: Some(wait(changes)),
            _viewer: viewer,
            _slot: slot,
        }
    }
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
