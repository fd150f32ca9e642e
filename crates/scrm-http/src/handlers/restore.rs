//! `POST /wechat_api/customer/restore`: brings a customer back from the recycle bin.

use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::delete::customer_id;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The handler.
///
/// # Errors
/// 400 `customerId為空`, 401, 404 when not in the scope's recycle bin, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/restore",
    tag = "customer",
    operation_id = "restore",
    summary = "Restore a customer",
    description = "Brings a profile back from the recycle bin.",
    request_body(content((crate::openapi::bodies::CustomerIdBody = "application/json"), (crate::openapi::bodies::CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Not in your recycle bin",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::BodyErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(&params)?;
    state
        .customers
        .restore(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::ok(()))
}
