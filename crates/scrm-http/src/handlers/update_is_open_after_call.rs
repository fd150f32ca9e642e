//! `POST /wechat_api/customer/updateIsOpenAfterCall` `{"isOpen": 1}`: sets the caller's
//! after-call pop-up switch; answers `data: null`.

use actix_web::{HttpResponse, web};
use serde_json::Value;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// `isOpen`: 1/0 as numbers or strings (`true`/`false` too).
///
/// # Errors
/// 400 `isOpen: is required` when absent or empty, 400 naming it for any other value.
pub fn is_open(params: &Params) -> Result<bool, ApiError> {
    if let Some(Value::Bool(b)) = params.get("isOpen") {
        return Ok(*b);
    }
    let bad = || ApiError::invalid("isOpen", "must be 0 or 1");
    match params.opt_str("isOpen").map_err(|_| bad())?.as_deref() {
        None => Err(ApiError::invalid("isOpen", "is required")),
        Some("1" | "true") => Ok(true),
        Some("0" | "false") => Ok(false),
        Some(_) => Err(bad()),
    }
}

/// The handler.
///
/// # Errors
/// 400, 401, 404 when the account vanished, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/updateIsOpenAfterCall",
    tag = "call",
    operation_id = "updateIsOpenAfterCall",
    summary = "Set the after-call pop-up switch",
    description = "Turns the after-call pop-up on (1) or off (0).",
    request_body(content((crate::openapi::bodies::IsOpenBody = "application/json"), (crate::openapi::bodies::IsOpenBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Your account no longer exists",
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
    let open = is_open(&params)?;
    state.calls.set_open_after_call(&caller.scope, open).await?;
    Ok(envelope::ok(()))
}
