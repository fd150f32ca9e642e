//! The chat use cases: ingest from the WeChat connector and the merged record.

use std::collections::HashSet;
use std::sync::Arc;

use super::model::{ChatMessage, Conversation, MAX_INGEST, RecordQuery, StoredMessage};
use super::ports::MessageStore;
use crate::account::AccountRepository;
use crate::contact::ContactRepository;
use crate::text::check_len;
use crate::{ContactId, Page, PageRequest, Scope, ServiceError, WechatUserId};

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
    ) -> Result<Page<StoredMessage>, ServiceError> {
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
