//! `POST /wechat_api/logout`: ends the caller's session.

use actix_web::{HttpResponse, web};

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;

/// The handler.
///
/// # Errors
/// 401 without a valid session, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/logout",
    tag = "session",
    operation_id = "logout",
    summary = "Log out",
    description = "Ends every session of the token's account.",
    responses(
        crate::openapi::responses::Done,
        crate::openapi::responses::SessionErrors,
    )
)]
pub async fn handle(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    state.auth.logout(&caller.token).await?;
    Ok(envelope::ok(()))
}
