//! `GET /metrics`: the app's metrics in the Prometheus text format (no token, like /healthz).

use actix_web::{HttpResponse, web};

use crate::AppState;
use crate::error::ApiError;

/// The scrape handler: reads the pools, then renders the registry.
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let text = state
        .metrics
        .render(&state.pools)
        .map_err(|err| ApiError::Internal(format!("rendering metrics: {err}")))?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(text))
}
