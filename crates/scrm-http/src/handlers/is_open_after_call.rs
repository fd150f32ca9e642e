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
pub async fn handle(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let open = state.calls.is_open_after_call(&caller.scope).await?;
    Ok(envelope::ok(i32::from(open)))
}
