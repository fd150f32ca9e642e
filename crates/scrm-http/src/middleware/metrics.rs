//! Counts every request in the app's `Metrics` (found in its `AppState`): the matched route
//! pattern (`unmatched` when none), the method and the status, and the latency to the
//! response's headers.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::AppState;
use crate::metrics::UNMATCHED;

/// The middleware function (mounted by `harden` just inside `request_id`).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let route = req.match_pattern();
    let method = method_label(req.method());
    let started = Instant::now();
    let res = next.call(req).await;
    if let Some(state) = state {
        let status = match &res {
            Ok(res) => res.status(),
            Err(err) => err.as_response_error().status_code(),
        };
        state.metrics.observe(
            route.as_deref().unwrap_or(UNMATCHED),
            method,
            status.as_u16(),
            started.elapsed(),
        );
    }
    res
}

/// The standard methods by name; any extension method is `OTHER` (a bounded label set).
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method.as_str())
        .unwrap_or("OTHER")
}
