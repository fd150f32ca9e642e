//! The request deadline: a request whose handler has not answered within it gets 503 in the
//! envelope, and its work is dropped (a pooled connection stuck in a frozen store goes with
//! it; `Verified` recycling never hands it out again). Pool and statement timeouts bound most
//! store trouble; this bounds the rest, e.g. a query already running when MariaDB freezes
//! (the MySQL client has no read timeout). Streaming bodies (the CSV export) are not timed:
//! the deadline ends at the response head.

use std::time::Duration;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::middleware::Next;

use crate::envelope;
use crate::error::MSG_UNAVAILABLE;

/// Answers 503 when the inner service takes longer than `limit` to answer. The request has
/// gone into the inner service by then, so the 503 is an error whose response actix makes
/// (the outer middleware still adds the request id and the security headers).
pub(super) async fn enforce<B: MessageBody + 'static>(
    limit: Duration,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::error!(
                limit_ms = limit.as_millis(),
                "request deadline passed; answering 503"
            );
            let res = envelope::respond(StatusCode::SERVICE_UNAVAILABLE, MSG_UNAVAILABLE, ());
            Err(InternalError::from_response("request deadline passed", res).into())
        }
    }
}
