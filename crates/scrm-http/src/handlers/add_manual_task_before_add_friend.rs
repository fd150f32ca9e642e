//! `POST /wechat_api/customer/addManualTaskBeforeAddFriend`
//! `{"customerPhone": "18756666666", "uin": "496768729", "userName": 18756666666}`: records
//! that the caller dialled the phone and queues a friend request from WeChat account `uin`;
//! answers the entry as `data`. `uin` and `userName` may be numbers or strings; `v1` is
//! optional. The domain answers the spec's 400 text for missing fields.

use actix_web::HttpResponse;
use chrono::{FixedOffset, Utc};
use scrm_domain::manual::AddBeforeFriend;
use serde::Deserialize;
use utoipa::ToSchema;

use super::manual_dto::ManualEntryItem;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::Text;
use crate::params::{Scoped, WireRequest};

/// addManualTaskBeforeAddFriend: `customerPhone` and `uin` are required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "customerPhone": "18756666666", "uin": "496768729", "userName": 18756666666_i64
}))]
pub struct AddBeforeFriendBody {
    /// 5 to 20 digits.
    #[serde(default)]
    #[schema(required = true)]
    pub customer_phone: Text,
    /// A WeChat account of your scope.
    #[serde(default)]
    #[schema(required = true)]
    pub uin: Text,
    /// Whom to add (defaults to the phone).
    pub user_name: Option<Text>,
    pub v1: Option<Text>,
}

impl WireRequest for AddBeforeFriendBody {
    /// Every field trimmed, an empty one `None` (the domain names the missing required ones).
    type Domain = AddBeforeFriend;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<AddBeforeFriend, ApiError> {
        Ok(AddBeforeFriend {
            customer_phone: self.customer_phone.trimmed(),
            uin: self.uin.trimmed(),
            user_name: self.user_name.as_ref().and_then(Text::trimmed),
            v1: self.v1.as_ref().and_then(Text::trimmed),
        })
    }
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
    request_body(content((AddBeforeFriendBody = "application/json"), (AddBeforeFriendBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The entry",
            body = crate::envelope::Envelope<ManualEntryItem>),
        (status = 404, description = "`uin` is not a WeChat account of your scope",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn handle(scoped: Scoped<AddBeforeFriendBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, cmd) = scoped.into_parts()?;
    let entry = state
        .manual
        .add_before_friend(&scope, &cmd, Utc::now())
        .await?;
    Ok(envelope::ok(ManualEntryItem::new(entry, state.zone)))
}
