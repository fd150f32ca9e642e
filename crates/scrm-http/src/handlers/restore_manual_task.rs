//! `POST /wechat_api/customer/restoreManualTask` `{"adminUserId": 12206}`: brings every
//! deleted hand-entered entry of an assignee back; answers `data: null`, or 400 `adminUserId為空`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::AdminUserId;
use scrm_domain::manual::MSG_ADMIN_USER_ID_EMPTY;

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
