//! The security headers of every response. API answers hold personal data, so they are not
//! cached unless a handler says otherwise; nothing here is meant to be framed or rendered.

use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use actix_web::middleware::DefaultHeaders;

/// The headers and their values.
const HEADERS: [(HeaderName, &str); 5] = [
    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (X_FRAME_OPTIONS, "DENY"),
    (REFERRER_POLICY, "no-referrer"),
    (
        CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'",
    ),
    (CACHE_CONTROL, "no-store"),
];

/// `nosniff`, `DENY`, `no-referrer`, a CSP allowing nothing, and `Cache-Control: no-store`;
/// each is added only when the response does not already carry that header.
pub fn security_headers() -> DefaultHeaders {
    HEADERS
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, header| headers.add(header))
}

/// The same headers, for a response built after the middleware has run (an error that a
/// layer returned instead of a response; see `request_id`).
pub(super) fn fill(headers: &mut HeaderMap) {
    for (name, value) in HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}
