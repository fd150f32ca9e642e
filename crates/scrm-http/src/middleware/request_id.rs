//! Request ids and the access log. Each request runs inside a `request` span holding its id,
//! method and path (never the query string, which carries phone numbers), so every line it
//! logs names the id: handler errors, `ApiError`'s 5xx cause chains and a streamed body's
//! failures alike. The response carries the id in `x-request-id`, and one `info` line per
//! request reports its status and latency.

use std::error::Error as StdError;
use std::future::{Ready, ready};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use actix_web::Error;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web::Bytes;
use futures_util::future::LocalBoxFuture;
use tracing::{Instrument, Span};
use uuid::Uuid;

use super::security_headers;

/// The header carrying the id, in both directions.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest id taken from a request; a longer, empty or non-visible-ASCII one is replaced.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// The middleware constructor (see the module docs).
pub fn request_id() -> RequestId {
    RequestId
}

/// Builds `RequestIdMiddleware` around the inner service.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestId;

impl<S, B> Transform<S, ServiceRequest> for RequestId
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<Traced>;
    type Error = Error;
    type Transform = RequestIdMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestIdMiddleware { service }))
    }
}

/// Runs the inner service inside the request's span. Handlers' and extractors' errors are
/// responses by the time they get here (made, and their causes logged, inside the span). An
/// error that a middleware below returns instead is passed on with a response mapper adding
/// the id and the security headers, as actix turns it into a response outside every layer.
#[derive(Debug)]
pub struct RequestIdMiddleware<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for RequestIdMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<Traced>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        let id = taken(&req).unwrap_or_else(generated);
        // At ERROR level so that it is enabled whenever any line of the request is: with
        // `RUST_LOG=warn` the access line goes, but a 5xx cause still names the request.
        let span = tracing::error_span!(
            "request",
            request_id = id.to_str().unwrap_or_default(),
            method = %req.method(),
            path = req.path(),
        );
        let peer = req.peer_addr();
        let fut = span.in_scope(|| self.service.call(req));
        let body_span = span.clone();
        Box::pin(
            async move {
                let res = fut.await;
                let status = match &res {
                    Ok(res) => res.status(),
                    Err(err) => err.as_response_error().status_code(),
                };
                // Milliseconds with three decimals.
                let latency_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
                tracing::info!(
                    status = status.as_u16(),
                    latency_ms,
                    peer = peer.map(|p| p.ip().to_string()),
                    "request finished"
                );
                match res {
                    Ok(res) => {
                        let mut res = res.map_body(|_, inner| Traced {
                            inner: inner.boxed(),
                            span: body_span,
                        });
                        res.headers_mut().insert(REQUEST_ID, id);
                        Ok(res)
                    }
                    Err(mut err) => {
                        // The request is gone with the error, so its response is made later by
                        // actix, outside every middleware: give it the id and the headers.
                        err.add_response_mapper(move |mut res| {
                            res.headers_mut().insert(REQUEST_ID, id.clone());
                            security_headers::fill(res.headers_mut());
                            res
                        });
                        Err(err)
                    }
                }
            }
            .instrument(span),
        )
    }
}

/// The request's own id, when it is 1..=128 visible ASCII characters.
fn taken(req: &ServiceRequest) -> Option<HeaderValue> {
    let value = req.headers().get(REQUEST_ID)?;
    let bytes = value.as_bytes();
    let ok =
        (1..=MAX_REQUEST_ID_LEN).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_graphic);
    ok.then(|| value.clone())
}

/// A fresh UUID v4.
fn generated() -> HeaderValue {
    let mut buf = Uuid::encode_buffer();
    let id = Uuid::new_v4().hyphenated().encode_lower(&mut buf);
    #[expect(
        clippy::expect_used,
        reason = "a hyphenated UUID is always a valid header value"
    )]
    HeaderValue::from_str(id).expect("a UUID is a valid header value")
}

/// A response body polled inside the request's span, so that what a streamed body logs (an
/// export failing halfway) names the request too.
pub struct Traced {
    inner: BoxBody,
    span: Span,
}

impl MessageBody for Traced {
    type Error = Box<dyn StdError>;

    fn size(&self) -> BodySize {
        self.inner.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        let _entered = this.span.enter();
        Pin::new(&mut this.inner).poll_next(cx)
    }

    fn try_into_bytes(self) -> Result<Bytes, Self> {
        let Self { inner, span } = self;
        inner.try_into_bytes().map_err(|inner| Self { inner, span })
    }
}
