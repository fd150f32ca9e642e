//! `POST /wechat_api/customer/delManualTaskDetail` `{"customerId": 19905}`: moves one
//! hand-entered entry (its id is `customerId`) to the recycle bin; answers `data: null`, or the
//! spec's 400 `customerId為空`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::ManualEntryId;

use super::delete::MSG_NO_CUSTOMER_ID;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The handler.
///
/// # Errors
/// 400, 401, 404 when not a live entry of the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/delManualTaskDetail",
    tag = "manual",
    operation_id = "delManualTaskDetail",
    summary = "Delete a call list entry",
    description = "Moves one hand-entered entry to the recycle bin.",
    request_body(content((crate::openapi::bodies::CustomerIdBody = "application/json"), (crate::openapi::bodies::CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Nothing to delete in your scope",
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
    let id = ManualEntryId(params.required_i64("customerId", MSG_NO_CUSTOMER_ID)?);
    state
        .manual
        .delete_entry(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::ok(()))
}
