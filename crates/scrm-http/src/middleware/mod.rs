//! The middleware around every route: request ids and the access log, metrics, security
//! headers, CORS and the query-string limit. `harden` mounts them all in the one order that works; the app
//! crate and the handler tests both go through it.

mod cors;
mod deadline;
mod metrics;
mod query_limit;
mod request_id;
mod security_headers;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use std::time::Duration;

use actix_web::{App, Error};

pub use cors::cors;
pub use query_limit::{MSG_QUERY_TOO_LONG, QUERY_LIMIT};
pub use request_id::{
    MAX_REQUEST_ID_LEN, REQUEST_ID, RequestId, RequestIdMiddleware, Traced, request_id,
};
pub use security_headers::security_headers;

/// Wraps `app` in every middleware of the API, outermost first:
///
/// 1. `security_headers`: on every response, whatever produced it;
/// 2. `request_id`: the span, `x-request-id`, the access log line (and, for an error that a
///    middleware returns instead of a response, the id and security headers on the response
///    actix makes of it);
/// 3. `metrics`: counts the request (route pattern, method, status) and its latency in the
///    app's `Metrics`;
/// 4. CORS preflight errors answered in the envelope;
/// 5. `cors(cors_origins)` (nothing when the list is empty);
/// 6. the query-string limit (inside CORS, so a browser can read the 414);
/// 7. the request deadline: 503 when the handler has not answered within `request_timeout`.
///
/// Mount it before `configure`: `harden(App::new(), &origins, timeout).configure(..)`.
pub fn harden<T, B>(
    app: App<T>,
    cors_origins: &[String],
    request_timeout: Duration,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody + use<T, B>>,
        Error = Error,
        InitError = (),
    > + use<T, B>,
>
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    app.wrap(from_fn(move |req, next| {
        deadline::enforce(request_timeout, req, next)
    }))
    .wrap(from_fn(query_limit::reject_long_queries))
    .wrap(cors(cors_origins))
    .wrap(from_fn(cors::preflight_errors_in_envelope))
    .wrap(from_fn(metrics::record))
    .wrap(request_id())
    .wrap(security_headers())
}
