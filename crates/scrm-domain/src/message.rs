//! Chat messages between a company WeChat account and a contact, kept in Redis.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{ContactId, StoreError, WechatUserId};

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

/// Stores chat messages, idempotent by `msg_id` within a conversation.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MessageStore: Send + Sync + 'static {
    /// Stores messages; a `msg_id` already stored in its conversation is not stored again.
    /// Returns how many were new.
    ///
    /// # Errors
    /// `StoreError` when the store fails (then some may have been stored; re-sending is safe).
    async fn append(&self, messages: &[ChatMessage]) -> Result<u64, StoreError>;
}
