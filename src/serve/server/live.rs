//! Live reload: the script pages load, and the Server-Sent Events stream that tells each
//! browser to reload its page or swap its stylesheets, with its cap, keep-alive comments and
//! the count of browsers showing each page.

use std::sync::Arc;

use http_body_util::{Either, Full};
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

use super::events::Events;
use super::reply::{Reply, plain};
use super::settings::{EVENT_RETRY_AFTER, Server};
use super::target::{Target, percent_decode, resolve};

pub(super) const LIVE_JS: &str = r#"// communique serve: live reload. Not part of any deployed site.
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

impl Server {
    /// The live-reload stream for `url` (its `?page=` names the page the browser shows), or
    /// `503` when [`Limits::event_streams`] are already open. A `HEAD` gets the headers.
    ///
    /// [`Limits::event_streams`]: super::connections::Limits::event_streams
    pub(super) fn events(&self, url: &str, head: bool) -> Response<Reply> {
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
        let events = Events::new(Arc::clone(&self.shared), page, seen, changes, slot);
        stream(Either::Right(events))
    }
}

#[cfg(test)]
mod tests {
    use tokio::sync::Semaphore;

    use super::*;
    use crate::serve::server::allowed_hosts;
    use crate::serve::state::{Reload, Shared};

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
            server.shared.lock().bump(Reload::Page, None);
            assert_eq!(next_chunk(&mut body).await, "event: reload\ndata: 1\n\n");
            // A change to another page wakes the stream but says nothing to this browser.
            server
                .shared
                .lock()
                .bump(Reload::Page, Some(["other/index.html".to_string()].into()));
            server.shared.lock().bump(Reload::Css, None);
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
