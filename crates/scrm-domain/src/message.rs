//! Chat messages between a company WeChat account and a contact, kept in Redis: ingest from
//! the WeChat connector, and the newest-first record of one or several conversations.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::account::AccountRepository;
use crate::contact::ContactRepository;
use crate::text::check_len;
use crate::{
    AdminUserId, ContactId, Page, PageRequest, Scope, ServiceError, StoreError, WechatUserId,
};

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

    /// One page of the messages of these conversations in the range, merged newest first
    /// (createTime, then msgId, descending), and the exact number in the range. Costs work in
    /// proportion to the page, not to the history. Undecodable stored messages are skipped.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn page(
        &self,
        conversations: &[Conversation],
        range: TimeRange,
        page: PageRequest,
    ) -> Result<Page<ChatMessage>, StoreError>;
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

/// The chat record use cases.
pub struct ChatService {
    accounts: Arc<dyn AccountRepository>,
    contacts: Arc<dyn ContactRepository>,
    messages: Arc<dyn MessageStore>,
}

impl ChatService {
    pub fn new(
        accounts: Arc<dyn AccountRepository>,
        contacts: Arc<dyn ContactRepository>,
        messages: Arc<dyn MessageStore>,
    ) -> Self {
        Self {
            accounts,
            contacts,
            messages,
        }
    }

    /// Ingest from the WeChat connector: all messages must belong to conversations of the
    /// scope, else nothing is stored. Returns how many were new.
    ///
    /// # Errors
    /// `TooLarge` past 1,000 messages, `Invalid` for a bad message (named by index),
    /// `NotFound` when a conversation is outside the scope, `Store` when a store fails.
    pub async fn ingest(
        &self,
        scope: &Scope,
        messages: &[ChatMessage],
    ) -> Result<u64, ServiceError> {
        if messages.len() > MAX_INGEST {
            return Err(ServiceError::TooLarge(format!(
                "at most {MAX_INGEST} messages per call"
            )));
        }
        for (i, m) in messages.iter().enumerate() {
            let name = format!("[{i}].msgId");
            if m.msg_id.trim().is_empty() {
                return Err(ServiceError::invalid(&name, "is required"));
            }
            check_len(&name, &m.msg_id, 64)?;
            check_len(&format!("[{i}].content"), &m.content, 16_384)?;
            if !(0..=1).contains(&m.is_send) {
                return Err(ServiceError::invalid(
                    &format!("[{i}].isSend"),
                    "must be 0 or 1",
                ));
            }
            if m.create_time <= 0 {
                return Err(ServiceError::invalid(
                    &format!("[{i}].createTime"),
                    "must be epoch milliseconds",
                ));
            }
        }
        if messages.is_empty() {
            return Ok(0);
        }
        let wanted: HashSet<Conversation> =
            messages.iter().map(ChatMessage::conversation).collect();
        let users: Vec<WechatUserId> = unique(wanted.iter().map(|c| c.wechat_user_id));
        let contacts: Vec<ContactId> = unique(wanted.iter().map(|c| c.wechat_contact_id));
        let known: HashSet<Conversation> = self
            .contacts
            .conversations(scope, &users, &contacts)
            .await?
            .into_iter()
            .collect();
        if !wanted.is_subset(&known) {
            return Err(ServiceError::NotFound("conversation"));
        }
        Ok(self.messages.append(messages).await?)
    }

    /// getRedisMessageRecord.
    ///
    /// # Errors
    /// `Invalid` for an inverted range, `Store` when a store fails.
    pub async fn page(
        &self,
        scope: &Scope,
        query: &RecordQuery,
        page: PageRequest,
    ) -> Result<Page<ChatMessage>, ServiceError> {
        if let (Some(b), Some(e)) = (query.range.begin, query.range.end)
            && b > e
        {
            return Err(ServiceError::invalid(
                "beginTime",
                "must not be after endTime",
            ));
        }
        let empty = Page {
            items: vec![],
            total: 0,
        };
        let selected = match query.admin_user_id {
            None => Some(*scope),
            Some(id) if id == scope.account => Some(*scope),
            Some(id) => self
                .accounts
                .find_by_id(id)
                .await?
                .and_then(|a| scope.select(a.id, a.parent_id)),
        };
        let Some(selected) = selected else {
            return Ok(empty);
        };
        if query.wechat_contact_ids.is_empty() {
            return Ok(empty);
        }
        let conversations = self
            .contacts
            .conversations(&selected, &query.wechat_user_ids, &query.wechat_contact_ids)
            .await?;
        if conversations.is_empty() {
            return Ok(empty);
        }
        Ok(self
            .messages
            .page(&conversations, query.range, page)
            .await?)
    }
}

fn unique<T: Ord + Copy>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
