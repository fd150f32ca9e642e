//! `GET /wechat_api/customer/getIsOpenAfterCall`: the caller's after-call pop-up switch as
//! `data: 0|1`.

use actix_web::{HttpResponse, web};

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;

/// The handler.
///
/// # Errors
/// 401, 404 when the account vanished, 503.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/getIsOpenAfterCall",
    tag = "call",
    operation_id = "getIsOpenAfterCall",
    summary = "After-call pop-up switch",
    description = "Whether the after-call pop-up is on (1) or off (0) for you.",
    responses(
        (status = 200, description = "1 on, 0 off",
            body = crate::envelope::Envelope<i32>,
            example = json!({"code": 200, "msg": "操作成功!", "data": 0})),
        (status = 404, description = "Your account no longer exists",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let open = state.calls.is_open_after_call(&caller.scope).await?;
    Ok(envelope::ok(i32::from(open)))
}
