//! `POST /wechat_api/message/record`: the WeChat connector pushes chat messages, a JSON array
//! `[{"msgId","wechatUserId","wechatContactId","isSend","msgType","content","createTime"}]`
//! (or `{"messages": [..]}`, also as a form field holding JSON: `MessagesBody`). Ids and numbers may be numbers
//! or numeric strings. Idempotent by msgId; answers `data: {"received", "stored"}`. The route
//! takes bodies up to 1 MiB; more than 1,000 messages are a 413 before any item is read.

use std::fmt;

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::message::{ChatMessage, MAX_INGEST};
use scrm_domain::{ContactId, WechatUserId};
use serde::de::value::SeqAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{ArrayOr, JsonText, LenientInt, Text, array_of, present, register};
use crate::params::{Scoped, WireRequest};

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
    /// The message, `name` its place in the request (`[2]`, `messages[2]`).
    fn into_message(self, name: &str) -> Result<ChatMessage, ApiError> {
        let invalid = |field: &str, why: &str| ApiError::invalid(&format!("{name}.{field}"), why);
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

/// The messages of a request: an array of at most 1,000 (`MAX_INGEST`). A longer one is
/// counted, not read, so its size is refused (413) before any of its messages.
#[derive(Debug)]
pub enum MessageList {
    Read(Vec<MessageIn>),
    TooMany,
}

impl<'de> Deserialize<'de> for MessageList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Messages;

        impl<'de> Visitor<'de> for Messages {
            type Value = MessageList;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of messages")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MessageList, A::Error> {
                if seq.size_hint().is_some_and(|n| n > MAX_INGEST) {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    return Ok(MessageList::TooMany);
                }
                let items = Vec::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(if items.len() > MAX_INGEST {
                    MessageList::TooMany
                } else {
                    MessageList::Read(items)
                })
            }
        }

        d.deserialize_seq(Messages)
    }
}

impl PartialSchema for MessageList {
    fn schema() -> RefOr<Schema> {
        array_of::<MessageIn>("The messages (more than 1,000 are a 413).")
            .max_items(Some(MAX_INGEST))
            .into()
    }
}

impl ToSchema for MessageList {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        register::<MessageIn>(schemas);
    }
}

/// message/record's parameters (a JSON object or a form): `messages`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessagesParams {
    /// The messages, or their JSON as text (a form field).
    #[schema(required = true, schema_with = JsonText::<MessageList>::schema)]
    pub messages: Option<JsonText<MessageList>>,
}

/// message/record's body: the JSON array of the messages, or its parameters
/// (`{"messages": [..]}`, a form field holding the array's JSON).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct MessagesBody(ArrayOr<MessageList, MessagesParams>);

impl PartialSchema for MessagesBody {
    fn schema() -> RefOr<Schema> {
        ArrayOr::<MessageList, MessagesParams>::schema_of(
            MessageList::schema(),
            "message/record as JSON: an array of at most 1,000 messages, or `{\"messages\": [..]}`.",
            json!([{
                "msgId": "7301", "wechatUserId": 13806, "wechatContactId": 19564131,
                "isSend": 1, "msgType": 1, "content": "您好,我是售前紅海",
                "createTime": 1_565_164_517_924_i64
            }]),
        )
    }
}

impl ToSchema for MessagesBody {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        ArrayOr::<MessageList, MessagesParams>::schemas_of(schemas);
    }
}

impl WireRequest for MessagesBody {
    type Domain = Vec<ChatMessage>;

    /// The messages, each checked; 400 for a request without them, 413 past 1,000.
    fn try_into_domain(self, _zone: FixedOffset) -> Result<Vec<ChatMessage>, ApiError> {
        let (list, name) = match self.0 {
            ArrayOr::Array(list) => (list, ""),
            ArrayOr::Params(MessagesParams {
                messages: Some(JsonText(list)),
            }) => (list, "messages"),
            ArrayOr::Params(_) => {
                return Err(ApiError::invalid(
                    "request body",
                    "must be a JSON array of messages or {\"messages\": [..]}",
                ));
            }
        };
        match list {
            MessageList::Read(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| item.into_message(&format!("{name}[{i}]")))
                .collect(),
            MessageList::TooMany => Err(ApiError::TooLarge(format!(
                "at most {MAX_INGEST} messages per call"
            ))),
        }
    }
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
    request_body(content((MessagesBody = "application/json"), (MessagesParams = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "Received and newly stored",
            body = crate::envelope::Envelope<Recorded>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"received": 1, "stored": 1}})),
        (status = 404, description = "A conversation is outside your scope (nothing is stored)",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn handle(scoped: Scoped<MessagesBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, messages) = scoped.into_parts()?;
    let stored = state.chat.ingest(&scope, &messages).await?;
    Ok(envelope::ok(Recorded {
        received: messages.len(),
        stored,
    }))
}
