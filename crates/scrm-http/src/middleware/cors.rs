//! CORS for the frontend's origins (`SCRM_CORS_ORIGINS`): exact origins only, GET and POST,
//! the bearer token in `Authorization` (no cookies, so no credentials mode). With no origins
//! the middleware is off: no CORS header anywhere, and a preflight is routed like any other
//! request (a 405 or a 404).

use actix_cors::{Cors, CorsError};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::middleware::{Condition, Next};
use actix_web::{Error, ResponseError};

use super::REQUEST_ID;
use crate::error::ApiError;

/// How long a browser may cache a preflight answer, in seconds.
const MAX_AGE_SECS: usize = 3600;

/// CORS for exactly these origins (`scheme://host[:port]`, as browsers send them in
/// `Origin`); off when the list is empty. An origin that is not a URI makes the server fail to
/// start, so check them first (the app's configuration does).
pub fn cors(origins: &[String]) -> Condition<Cors> {
    let cors = origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST"])
        .allowed_headers([AUTHORIZATION, CONTENT_TYPE, REQUEST_ID])
        .expose_headers([REQUEST_ID, CONTENT_DISPOSITION])
        .max_age(MAX_AGE_SECS);
    Condition::new(!origins.is_empty(), cors)
}

/// A preflight that actix-cors rejects (origin, method or headers not allowed) leaves as a 400
/// in the envelope rather than actix-cors's plain text.
pub(super) async fn preflight_errors_in_envelope<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let res = next.call(req).await?;
    let rejected = res
        .response()
        .error()
        .and_then(|err| err.as_error::<CorsError>())
        .map(ToString::to_string);
    Ok(match rejected {
        Some(why) => {
            tracing::debug!(why, "CORS preflight rejected");
            let body = ApiError::invalid("CORS preflight", &why).error_response();
            res.into_response(body).map_into_right_body()
        }
        None => res.map_into_left_body(),
    })
}
