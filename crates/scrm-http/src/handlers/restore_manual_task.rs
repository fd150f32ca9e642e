//! `POST /wechat_api/customer/restoreManualTask` `{"adminUserId": 12206}`: brings every
//! deleted hand-entered entry of an assignee back; answers `data: null`, or 400 `adminUserId為空`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::AdminUserId;

use super::del_manual_task::MSG_ADMIN_USER_ID_EMPTY;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The handler.
///
/// # Errors
/// 400, 401, 404 when nothing of the assignee is in the recycle bin, 409 when a restored
/// phone is on the live list again, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/restoreManualTask",
    tag = "manual",
    operation_id = "restoreManualTask",
    summary = "Restore a call list",
    description = "Brings back every deleted hand-entered entry of the assignee.",
    request_body(content((crate::openapi::bodies::AdminUserIdBody = "application/json"), (crate::openapi::bodies::AdminUserIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Nothing of yours in the recycle bin",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 409, description = "A restored phone is on the live list again; the message names the live entry",
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
        .restore_assignee(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::ok(()))
}
