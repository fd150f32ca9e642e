//! `POST /wechat_api/message/record`: the WeChat connector pushes chat messages, a JSON array
//! `[{"msgId","wechatUserId","wechatContactId","isSend","msgType","content","createTime"}]`
//! (or `{"messages": [..]}`, also as a form field holding JSON). Ids and numbers may be numbers
//! or numeric strings. Idempotent by msgId; answers `data: {"received", "stored"}`. The route
//! takes bodies up to 1 MiB; more than 1,000 messages are a 413 before any item is read.

use actix_web::{HttpResponse, web};
use scrm_domain::message::{ChatMessage, MAX_INGEST};
use scrm_domain::{ContactId, WechatUserId};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::{Params, int_value, scalar_text};

/// The `data` of the response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Messages in the request.
    pub received: usize,
    /// Messages that were new (the rest were stored before).
    pub stored: u64,
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
    let owned;
    let list = match params.body_root() {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(not_a_list()),
        None => {
            owned = params.json_value("messages")?.ok_or_else(not_a_list)?;
            match &owned {
                Value::Array(items) => items,
                _ => return Err(ApiError::invalid("messages", "must be an array")),
            }
        }
    };
    if list.len() > MAX_INGEST {
        return Err(ApiError::TooLarge(format!(
            "at most {MAX_INGEST} messages per call"
        )));
    }
    list.iter()
        .enumerate()
        .map(|(i, v)| message(i, v))
        .collect()
}

/// One field of message `i`.
struct Field<'a> {
    i: usize,
    obj: &'a Map<String, Value>,
}

impl Field<'_> {
    fn invalid(&self, field: &str, why: &str) -> ApiError {
        ApiError::invalid(&format!("[{}].{field}", self.i), why)
    }

    fn text(&self, field: &str) -> Result<Option<String>, ApiError> {
        match self.obj.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => scalar_text(v)
                .map(Some)
                .ok_or_else(|| self.invalid(field, "must be a string")),
        }
    }

    fn int(&self, field: &str) -> Result<i64, ApiError> {
        match self.obj.get(field).map(int_value) {
            None | Some(Ok(None)) => Err(self.invalid(field, "is required")),
            Some(Ok(Some(n))) => Ok(n),
            Some(Err(())) => Err(self.invalid(field, "must be an integer")),
        }
    }

    fn small_int(&self, field: &str) -> Result<i32, ApiError> {
        i32::try_from(self.int(field)?).map_err(|_| self.invalid(field, "is out of range"))
    }
}

fn message(i: usize, value: &Value) -> Result<ChatMessage, ApiError> {
    let Value::Object(obj) = value else {
        return Err(ApiError::invalid(&format!("[{i}]"), "must be an object"));
    };
    let f = Field { i, obj };
    let msg_id = f
        .text("msgId")?
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| f.invalid("msgId", "is required"))?;
    Ok(ChatMessage {
        msg_id,
        wechat_user_id: WechatUserId(f.int("wechatUserId")?),
        wechat_contact_id: ContactId(f.int("wechatContactId")?),
        is_send: f.small_int("isSend")?,
        msg_type: f.small_int("msgType")?,
        content: f.text("content")?.unwrap_or_default(),
        create_time: f.int("createTime")?,
    })
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
    request_body(content((crate::openapi::bodies::MessagesBody = "application/json"), (crate::openapi::bodies::MessagesForm = "application/x-www-form-urlencoded"))),
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
