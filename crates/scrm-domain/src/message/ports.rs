//! The chat port: the message store.

use async_trait::async_trait;

use super::model::{ChatMessage, Conversation, StoredMessage, TimeRange};
use crate::{Page, PageRequest, StoreError};

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
    /// proportion to the page, not to the history. Stored messages that are not chat messages
    /// ([`StoredMessage::check`]) are skipped.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn page(
        &self,
        conversations: &[Conversation],
        range: TimeRange,
        page: PageRequest,
    ) -> Result<Page<StoredMessage>, StoreError>;
}
