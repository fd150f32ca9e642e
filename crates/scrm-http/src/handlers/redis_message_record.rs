//! `GET /wechat_api/message/getRedisMessageRecord`: the chat record of conversations of the
//! scope, newest first, in the legacy shape `{"code","msg","data":[..],"pageNo","count"}`.
//! `adminUserId` selects within the scope (the caller when absent); `wechatUserIds` and
//! `wechatContactIds` are comma lists; `beginTime`/`endTime` bound `createTime` inclusively.

use actix_web::{HttpResponse, web};
use scrm_domain::message::{ChatMessage, RecordQuery, TimeRange};
use scrm_domain::time::DateBound;
use scrm_domain::{AdminUserId, ContactId, WechatUserId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// Messages per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;

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

impl From<ChatMessage> for MessageItem {
    fn from(m: ChatMessage) -> Self {
        Self {
            msg_id: m.msg_id,
            wechat_user_id: m.wechat_user_id.0,
            wechat_contact_id: m.wechat_contact_id.0,
            is_send: m.is_send,
            msg_type: m.msg_type,
            content: m.content,
            create_time: m.create_time,
        }
    }
}

/// The query of a request (a bare-date `endTime` is the end of that day).
///
/// # Errors
/// 400 naming the first parameter that cannot be read.
pub fn query(params: &Params) -> Result<RecordQuery, ApiError> {
    let begin = params.opt_time("beginTime", DateBound::Start)?;
    let end = params.opt_time("endTime", DateBound::End)?;
    Ok(RecordQuery {
        admin_user_id: params.opt_i64("adminUserId")?.map(AdminUserId),
        wechat_user_ids: params
            .id_list("wechatUserIds")?
            .into_iter()
            .map(WechatUserId)
            .collect(),
        wechat_contact_ids: params
            .id_list("wechatContactIds")?
            .into_iter()
            .map(ContactId)
            .collect(),
        range: TimeRange {
            begin: begin.map(|t| t.timestamp_millis()),
            end: end.map(|t| t.timestamp_millis()),
        },
    })
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
    params(crate::openapi::requests::MessageRecordQuery, crate::openapi::requests::PagingQuery),
    responses(
        (status = 200, description = "A page of messages; `count` is the exact number in range",
            body = crate::envelope::PagedEnvelope<MessageItem>,
            example = json!({"code": 200, "msg": "操作成功!", "pageNo": 1, "count": 1,
                "data": [{"msgId": "7301", "wechatUserId": 13806, "wechatContactId": 19564131,
                "isSend": 1, "msgType": 1, "content": "您好,我是售前紅海",
                "createTime": 1565164517924_i64}]})),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let query = query(&params)?;
    let page = params.page(DEFAULT_LIMIT)?;
    let found = state.chat.page(&caller.scope, &query, page).await?;
    let items = found.items.into_iter().map(MessageItem::from).collect();
    Ok(envelope::paged(items, page.page_no(), found.total))
}
