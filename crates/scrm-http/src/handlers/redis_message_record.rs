//! `GET /wechat_api/message/getRedisMessageRecord`: the chat record of conversations of the
//! scope, newest first, in the legacy shape `{"code","msg","data":[..],"pageNo","count"}`.
//! `adminUserId` selects within the scope (the caller when absent); `wechatUserIds` and
//! `wechatContactIds` are comma lists; `beginTime`/`endTime` bound `createTime` inclusively.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::message::{RecordQuery, StoredMessage, TimeRange};
use scrm_domain::time::DateBound;
use scrm_domain::{AdminUserId, ContactId, PageRequest, WechatUserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{IdList, LenientInt, Limit, PageNo, WireTime, page};
use crate::params::{Scoped, WireRequest};

/// Messages per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;

// The schema of the page's items: the handler writes each message as the store keeps it,
// which is this object (`StoredMessage::check`), without decoding and encoding it again.
/// One message; `createTime` is epoch milliseconds.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageItem {
    pub msg_id: String,
    pub wechat_user_id: i64,
    pub wechat_contact_id: i64,
    pub is_send: i32,
    pub msg_type: i32,
    pub content: String,
    pub create_time: i64,
}

/// The query of getRedisMessageRecord.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ChatRecordQuery {
    /// Whose conversations (the caller when absent; outside the scope: an empty page).
    pub admin_user_id: Option<LenientInt>,
    /// WeChat accounts of the conversations.
    #[serde(default)]
    pub wechat_user_ids: IdList,
    /// Contacts of the conversations.
    #[serde(default)]
    pub wechat_contact_ids: IdList,
    /// createTime from (inclusive).
    pub begin_time: Option<WireTime>,
    /// createTime to (inclusive; a bare date is the end of that day).
    pub end_time: Option<WireTime>,
    /// The page, from 1 (default 1).
    pub page_no: Option<PageNo>,
    /// Rows per page, 1 to 100 (default 20).
    pub limit: Option<Limit>,
}

impl WireRequest for ChatRecordQuery {
    type Domain = (RecordQuery, PageRequest);

    fn try_into_domain(self, zone: FixedOffset) -> Result<Self::Domain, ApiError> {
        let millis = |t: Option<WireTime>, bound| t.map(|t| t.at(zone, bound).timestamp_millis());
        let query = RecordQuery {
            admin_user_id: self.admin_user_id.map(|id| AdminUserId(id.0)),
            wechat_user_ids: self.wechat_user_ids.into_ids(WechatUserId),
            wechat_contact_ids: self.wechat_contact_ids.into_ids(ContactId),
            range: TimeRange {
                begin: millis(self.begin_time, DateBound::Start),
                end: millis(self.end_time, DateBound::End),
            },
        };
        Ok((query, page(self.page_no, self.limit, DEFAULT_LIMIT)?))
    }
}

/// The handler.
///
/// # Errors
/// 400, 401, 503.
#[utoipa::path(
    get,
    path = "/wechat_api/message/getRedisMessageRecord",
    tag = "message",
    operation_id = "getRedisMessageRecord",
    summary = "Chat record",
    description = "The messages of the selected conversations, merged newest first (createTime, then msgId).",
    params(ChatRecordQuery),
    responses(
        (status = 200, description = "A page of messages; `count` is the exact number in range",
            body = crate::envelope::PagedEnvelope<MessageItem>,
            example = json!({"code": 200, "msg": "操作成功!", "pageNo": 1, "count": 1,
                "data": [{"msgId": "7301", "wechatUserId": 13806, "wechatContactId": 19564131,
                "isSend": 1, "msgType": 1, "content": "您好,我是售前紅海",
                "createTime": 1565164517924_i64}]})),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<ChatRecordQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, (query, page)) = scoped.into_parts()?;
    let found = state.chat.page(&scope, &query, page).await?;
    Ok(envelope::paged_json(
        found.items.iter().map(StoredMessage::json),
        page.page_no(),
        found.total,
    ))
}
