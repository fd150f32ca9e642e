//! The chat model: a message, its conversation, a time range and the record's query.

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
