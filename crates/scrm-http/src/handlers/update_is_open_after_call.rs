//! `POST /wechat_api/customer/updateIsOpenAfterCall` `{"isOpen": 1}`: sets the caller's
//! after-call pop-up switch; answers `data: null`.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::envelope;
use crate::error::ApiError;
use crate::lenient::Flag;
use crate::params::{Scoped, WireRequest};

/// updateIsOpenAfterCall.
// `isOpen` absent or empty is `isOpen: is required`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"isOpen": 1}))]
pub struct IsOpenBody {
    pub is_open: Flag,
}

impl WireRequest for IsOpenBody {
    /// Whether the pop-up is on.
    type Domain = bool;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<bool, ApiError> {
        Ok(self.is_open.0)
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
    request_body(content((IsOpenBody = "application/json"), (IsOpenBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Your account no longer exists",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn handle(scoped: Scoped<IsOpenBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, open) = scoped.into_parts()?;
    state.calls.set_open_after_call(&scope, open).await?;
    Ok(envelope::ok(()))
}
