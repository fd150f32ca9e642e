//! `POST /wechat_api/customer/restoreManualTaskDetail` `{"customerId": 19905}`: brings one
//! deleted hand-entered entry back; answers `data: null`, or 400 `customerId為空`.

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
/// 400, 401, 404 when it is not in the recycle bin, 409 when its phone is on the live list
/// again, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/restoreManualTaskDetail",
    tag = "manual",
    operation_id = "restoreManualTaskDetail",
    summary = "Restore a call list entry",
    description = "Brings one deleted hand-entered entry back.",
    request_body(content((crate::openapi::bodies::CustomerIdBody = "application/json"), (crate::openapi::bodies::CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Not in your recycle bin",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 409, description = "Its phone is on the live list again",
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
        .restore_entry(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::ok(()))
}
