//! `POST /wechat_api/message/record`: the WeChat connector pushes chat messages, a JSON array
//! `[{"msgId","wechatUserId","wechatContactId","isSend","msgType","content","createTime"}]`
//! (or `{"messages": [..]}`, also as a form field holding JSON). Ids and numbers may be numbers
//! or numeric strings. Idempotent by msgId; answers `data: {"received", "stored"}`. The route
//! takes bodies up to 1 MiB; more than 1,000 messages are a 413 before any item is read.

use actix_web::{HttpResponse, web};
use scrm_domain::message::{ChatMessage, MAX_INGEST};
use scrm_domain::{ContactId, WechatUserId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::batch_save_nick_name::json_param;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{LenientInt, Text, present};
use crate::params::{Params, wire};

/// The `data` of the response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Messages in the request.
    pub received: usize,
    /// Messages that were new (the rest were stored before).
    pub stored: u64,
}

/// One chat message pushed by the WeChat connector.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageIn {
    /// Unique within its conversation (idempotency key).
    pub msg_id: Text,
    pub wechat_user_id: LenientInt,
    pub wechat_contact_id: LenientInt,
    /// 1 sent by the account, 0 received.
    pub is_send: LenientInt,
    pub msg_type: LenientInt,
    #[serde(default, deserialize_with = "present")]
    pub content: Option<Text>,
    /// Epoch milliseconds.
    pub create_time: LenientInt,
}

impl MessageIn {
    /// The message, `i` its index in the request.
    fn into_message(self, i: usize) -> Result<ChatMessage, ApiError> {
        let invalid = |field: &str, why: &str| ApiError::invalid(&format!("[{i}].{field}"), why);
        let small = |field: &str, n: LenientInt| {
            i32::try_from(n.0).map_err(|_| invalid(field, "is out of range"))
        };
        Ok(ChatMessage {
            msg_id: self
                .msg_id
                .trimmed()
                .ok_or_else(|| invalid("msgId", "is required"))?,
            wechat_user_id: WechatUserId(self.wechat_user_id.0),
            wechat_contact_id: ContactId(self.wechat_contact_id.0),
            is_send: small("isSend", self.is_send)?,
            msg_type: small("msgType", self.msg_type)?,
            content: self.content.map(|t| t.0).unwrap_or_default(),
            create_time: self.create_time.0,
        })
    }
}

/// message/record as JSON: an array of at most 1,000 messages, or `{"messages": [..]}`.
// The shapes as the document shows them: `messages` reads them, naming the bad message
// (serde's untagged enum could not), so nothing deserializes into these three types.
#[expect(
    dead_code,
    reason = "a shape of the body for the document; the handler's reader takes it apart"
)]
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!([{
    "msgId": "7301", "wechatUserId": 13806, "wechatContactId": 19564131, "isSend": 1,
    "msgType": 1, "content": "您好,我是售前紅海", "createTime": 1565164517924_i64
}]))]
#[serde(untagged)]
pub enum MessagesBody {
    /// The messages (more than 1,000 are a 413).
    List(Vec<MessageIn>),
    Wrapped(MessagesWrapped),
}

/// `{"messages": [..]}`.
#[expect(
    dead_code,
    reason = "a shape of the body for the document; the handler's reader takes it apart"
)]
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessagesWrapped {
    /// The messages (more than 1,000 are a 413).
    pub messages: Vec<MessageIn>,
}

/// message/record as a form: `messages` holds the JSON array.
#[expect(
    dead_code,
    reason = "a shape of the body for the document; the handler's reader takes it apart"
)]
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessagesForm {
    pub messages: String,
}

fn not_a_list() -> ApiError {
    ApiError::invalid(
        "request body",
        "must be a JSON array of messages or {\"messages\": [..]}",
    )
}

/// The messages of the request.
///
/// # Errors
/// 400 for a body that holds no list, 413 past 1,000 messages, 400 naming `[i].field` for a
/// bad message.
pub fn messages(params: &Params) -> Result<Vec<ChatMessage>, ApiError> {
    let list = match params.body_root() {
        Some(list @ Value::Array(_)) => list.clone(),
        Some(_) => return Err(not_a_list()),
        None => match json_param(params, "messages")?.ok_or_else(not_a_list)? {
            list @ Value::Array(_) => list,
            _ => return Err(ApiError::invalid("messages", "must be an array")),
        },
    };
    if list
        .as_array()
        .is_some_and(|items| items.len() > MAX_INGEST)
    {
        return Err(ApiError::TooLarge(format!(
            "at most {MAX_INGEST} messages per call"
        )));
    }
    let items: Vec<MessageIn> = wire::from_value(&list).map_err(|e| e.into_api(""))?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| item.into_message(i))
        .collect()
}

/// The handler.
///
/// # Errors
/// 400 naming a bad message, 401, 404 when a conversation is outside the scope (nothing is
/// stored), 413 past 1 MiB or 1,000 messages, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/message/record",
    tag = "message",
    operation_id = "record",
    summary = "Push chat messages",
    description = "The WeChat connector pushes at most 1,000 messages; every one must belong to a conversation of your scope, else nothing is stored. Idempotent by `msgId` within a conversation.",
    request_body(content((MessagesBody = "application/json"), (MessagesForm = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "Received and newly stored",
            body = crate::envelope::Envelope<Recorded>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"received": 1, "stored": 1}})),
        (status = 404, description = "A conversation is outside your scope (nothing is stored)",
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
    let messages = messages(&params)?;
    let stored = state.chat.ingest(&caller.scope, &messages).await?;
    Ok(envelope::ok(Recorded {
        received: messages.len(),
        stored,
    }))
}
