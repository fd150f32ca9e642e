//! The query-string limit: a longer query string is answered 414 URI Too Long in the envelope
//! before any extractor or handler sees it.

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;

use crate::envelope;

/// Largest query string accepted (8 KiB, as sent: percent-encoded, without the `?`).
pub const QUERY_LIMIT: usize = 8 * 1024;

/// The message of the 414.
pub const MSG_QUERY_TOO_LONG: &str = "query string: longer than 8192 bytes";

/// Answers 414 for a query string over `QUERY_LIMIT`, else passes the request on.
pub(super) async fn reject_long_queries<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let len = req.query_string().len();
    if len > QUERY_LIMIT {
        tracing::debug!(len, "query string too long");
        let res = envelope::respond(StatusCode::URI_TOO_LONG, MSG_QUERY_TOO_LONG, ());
        return Ok(req.into_response(res).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}
