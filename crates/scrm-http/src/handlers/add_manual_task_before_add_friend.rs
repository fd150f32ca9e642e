//! `POST /wechat_api/customer/addManualTaskBeforeAddFriend`
//! `{"customerPhone": "18756666666", "uin": "496768729", "userName": 18756666666}`: records
//! that the caller dialled the phone and queues a friend request from WeChat account `uin`;
//! answers the entry as `data`. `uin` and `userName` may be numbers or strings; `v1` is
//! optional. The domain answers the spec's 400 text for missing fields.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::manual::AddBeforeFriend;

use super::manual_dto::ManualEntryItem;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The command of a request.
///
/// # Errors
/// 400 naming a field that is an array or an object.
pub fn command(params: &Params) -> Result<AddBeforeFriend, ApiError> {
    Ok(AddBeforeFriend {
        customer_phone: params.opt_str("customerPhone")?,
        uin: params.opt_str("uin")?,
        user_name: params.opt_str("userName")?,
        v1: params.opt_str("v1")?,
    })
}

/// The handler.
///
/// # Errors
/// 400 (the spec's text for missing fields, a bad phone), 401, 404 when `uin` is not a WeChat
/// account of the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/addManualTaskBeforeAddFriend",
    tag = "manual",
    operation_id = "addManualTaskBeforeAddFriend",
    summary = "Dial, then add as a friend",
    description = "Records that you dialled `customerPhone` (your entry for it is updated or created with dialStatus 1) and queues a friend request from your WeChat account `uin`.",
    request_body(content((crate::openapi::bodies::AddBeforeFriendBody = "application/json"), (crate::openapi::bodies::AddBeforeFriendBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The entry",
            body = crate::envelope::Envelope<ManualEntryItem>),
        (status = 404, description = "`uin` is not a WeChat account of your scope",
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
    let cmd = command(&params)?;
    let entry = state
        .manual
        .add_before_friend(&caller.scope, &cmd, Utc::now())
        .await?;
    Ok(envelope::ok(ManualEntryItem::new(entry, state.zone)))
}
