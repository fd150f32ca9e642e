//! The chat model: a message, its conversation, a time range and the record's query.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{AdminUserId, ContactId, WechatUserId};

/// One chat message. `create_time` is epoch milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    pub msg_id: String,
    pub wechat_user_id: WechatUserId,
    pub wechat_contact_id: ContactId,
    /// 1 sent by us, 0 received.
    pub is_send: i32,
    pub msg_type: i32,
    pub content: String,
    pub create_time: i64,
}

impl ChatMessage {
    /// Its conversation.
    pub fn conversation(&self) -> Conversation {
        Conversation {
            wechat_user_id: self.wechat_user_id,
            wechat_contact_id: self.wechat_contact_id,
        }
    }
}

/// A chat message as the store keeps it and the wire shows it: the JSON object of a
/// [`ChatMessage`] (its camelCase fields, nothing else), checked to be one when it was read.
/// A page of the chat record is written out from these as they are, without decoding every
/// message into a [`ChatMessage`] and encoding it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage(Box<str>);

/// What [`StoredMessage::check`] reads: every field of a [`ChatMessage`] with its type, no
/// other field; the strings borrowed where they have no escapes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(dead_code, reason = "read to check the types, never used")]
struct Checked<'a> {
    #[serde(borrow)]
    msg_id: Cow<'a, str>,
    wechat_user_id: i64,
    wechat_contact_id: i64,
    is_send: i32,
    msg_type: i32,
    #[serde(borrow)]
    content: Cow<'a, str>,
    create_time: i64,
}

impl StoredMessage {
    /// The stored JSON `json` as a message, read once. A JSON object with exactly the fields
    /// of a [`ChatMessage`] is kept as it is; one that decodes as a [`ChatMessage`] otherwise
    /// (other fields too, which a page leaves out) is encoded again.
    ///
    /// # Errors
    /// When `json` is not a chat message.
    pub fn check(json: Vec<u8>) -> Result<Self, serde_json::Error> {
        // UTF-8 checked once for the whole text; the parse of a `&str` then checks no string
        // again.
        let json = match String::from_utf8(json) {
            Ok(text) if serde_json::from_str::<Checked<'_>>(&text).is_ok() => {
                return Ok(Self(text.into_boxed_str()));
            }
            Ok(text) => text.into_bytes(),
            Err(e) => e.into_bytes(),
        };
        let message: ChatMessage = serde_json::from_slice(&json)?;
        Self::of(&message)
    }

    /// A message's JSON.
    ///
    /// # Errors
    /// Never in practice (a `ChatMessage` always encodes).
    pub fn of(message: &ChatMessage) -> Result<Self, serde_json::Error> {
        serde_json::to_string(message).map(|s| Self(s.into_boxed_str()))
    }

    /// The JSON text, a valid JSON object, to be written out as it is.
    pub fn json(&self) -> &str {
        &self.0
    }

    /// The message.
    ///
    /// # Errors
    /// Never for a checked one.
    pub fn decode(&self) -> Result<ChatMessage, serde_json::Error> {
        serde_json::from_str(&self.0)
    }
}

/// A conversation: a company WeChat account and one of its contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Conversation {
    pub wechat_user_id: WechatUserId,
    pub wechat_contact_id: ContactId,
}

/// Inclusive bounds on `create_time` (epoch ms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeRange {
    pub begin: Option<i64>,
    pub end: Option<i64>,
}

/// Most messages in one ingest call.
pub const MAX_INGEST: usize = 1000;

/// The query of getRedisMessageRecord.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordQuery {
    /// Whose conversations (the caller when absent); outside the scope gives an empty page.
    pub admin_user_id: Option<AdminUserId>,
    pub wechat_user_ids: Vec<WechatUserId>,
    pub wechat_contact_ids: Vec<ContactId>,
    pub range: TimeRange,
}
