//! `GET /metrics`: the app's metrics in the Prometheus text format (no token, like /healthz).

use actix_web::{HttpResponse, web};

use crate::AppState;
use crate::error::ApiError;

/// The scrape handler: reads the pools and the index's status, then renders the registry.
///
/// # Errors
/// 500 if the registry cannot be rendered.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "ops",
    operation_id = "metrics",
    summary = "Prometheus metrics",
    description = "The Prometheus text format: `scrm_http_requests_total{route, method, status}`, `scrm_http_request_duration_seconds{route, method}`, `scrm_pool_connections{store, state}`; with the customer index on, `scrm_index_tenants`, `scrm_index_customers`, `scrm_index_contacts`, `scrm_index_bytes`, `scrm_index_catch_up_age_seconds`, `scrm_index_log_behind`. Keep it off the public internet.",
    security(()),
    responses(
        (status = 200, description = "The metrics",
            content_type = "text/plain; version=0.0.4",
            body = String),
        (status = 500, description = "The registry could not be rendered",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let index = state.customers.index_status().await;
    let text = state
        .metrics
        .render(&state.pools, index.as_ref())
        .map_err(|err| ApiError::Internal(format!("rendering metrics: {err}")))?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(text))
}
