//! `POST /wechat_api/customer/delManualTask` `{"adminUserId": 12206}`: moves every
//! hand-entered entry of an assignee to the recycle bin; answers `data: null`, or the spec's
//! 400 `adminUserId為空`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::AdminUserId;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The spec's 400 text when delManualTask or restoreManualTask has no `adminUserId`.
pub const MSG_ADMIN_USER_ID_EMPTY: &str = "adminUserId為空";

/// The handler.
///
/// # Errors
/// 400, 401, 404 when the assignee has no live entries in the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/delManualTask",
    tag = "manual",
    operation_id = "delManualTask",
    summary = "Delete a call list",
    description = "Moves every live hand-entered entry of the assignee to the recycle bin.",
    request_body(content((crate::openapi::bodies::AdminUserIdBody = "application/json"), (crate::openapi::bodies::AdminUserIdBody = "application/x-www-form-urlencoded"))),
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
    let id = AdminUserId(params.required_i64("adminUserId", MSG_ADMIN_USER_ID_EMPTY)?);
    state
        .manual
        .delete_assignee(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::ok(()))
}
