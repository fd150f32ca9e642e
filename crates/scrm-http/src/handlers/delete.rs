//! `POST /wechat_api/customer/delete`: moves a customer to the recycle bin; answers the
//! spec's `{"code":200,"msg":"操作成功!","data":[],"pageNo":1,"count":0}`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::CustomerId;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The spec's 400 text when `customerId` is missing (delete and restore of a customer or of
/// a manual entry).
pub const MSG_NO_CUSTOMER_ID: &str = "customerId為空";

/// The required `customerId` of delete and restore.
///
/// # Errors
/// 400 `customerId為空` when missing, 400 naming it when not an integer.
pub fn customer_id(params: &Params) -> Result<CustomerId, ApiError> {
    params
        .opt_i64("customerId")?
        .map(CustomerId)
        .ok_or_else(|| ApiError::BadRequest(MSG_NO_CUSTOMER_ID.to_owned()))
}

/// The handler.
///
/// # Errors
/// 400, 401, 404 when not a live customer of the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/delete",
    tag = "customer",
    operation_id = "delete",
    summary = "Delete a customer",
    description = "Moves the profile to the recycle bin (restorable).",
    request_body(content((crate::openapi::bodies::CustomerIdBody = "application/json"), (crate::openapi::bodies::CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "Deleted; the spec's legacy empty page",
            body = crate::envelope::PagedEnvelope<crate::openapi::lenient::Null>,
            example = json!({"code": 200, "msg": "操作成功!", "data": [], "pageNo": 1, "count": 0})),
        (status = 404, description = "Unknown, deleted already, or outside your scope",
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
        .delete(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::paged::<()>(Vec::new(), 1, 0))
}
