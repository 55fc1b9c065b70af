//! The body and headers every answer of the preview server has.

use std::sync::Arc;

use http_body_util::{Either, Full};
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

use super::events::Events;

/// Every answer's body: bytes, or a live-reload stream.
pub(super) type Reply = Either<Full<Bytes>, Events>;

/// A site file's bytes, shared with the site rather than copied into each answer.
pub(super) struct SiteBytes(pub Arc<Vec<u8>>);

impl AsRef<[u8]> for SiteBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// An answer with `body`, its type, and the headers every answer carries.
pub(super) fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: Bytes,
) -> Response<Reply> {
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

/// A plain-text answer.
pub(super) fn plain(status: StatusCode, text: impl Into<Bytes>) -> Response<Reply> {
    respond(status, "text/plain; charset=utf-8", text.into())
}
