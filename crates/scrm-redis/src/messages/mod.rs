//! Chat messages in Redis. Per conversation (WeChat account + contact): a hash msgId -> JSON
//! and a sorted set of msgIds scored by createTime (equal scores order by msgId, byte order).
//! Writes are idempotent by msgId (`append`), an optional cap keeps only the newest messages
//! of a conversation (`retention`), and reads page newest first across conversations
//! (`page`). Every command touches the keys of one conversation only, so all of it works on a
//! Redis Cluster (the keys of a conversation share a hash tag).

mod append;
mod page;
mod retention;

use crate::RedisPool;
use async_trait::async_trait;
use scrm_domain::message::{ChatMessage, Conversation, MessageStore, StoredMessage, TimeRange};
use scrm_domain::{Page, PageRequest, StoreError};

use crate::keys::Keys;

/// The Redis `MessageStore`.
pub struct RedisMessages {
    pool: RedisPool,
    keys: Keys,
    /// Most messages kept per conversation; `None` keeps all.
    cap: Option<usize>,
    /// Replicas that must hold an append before it answers (`WAIT`); 0 does not wait.
    wait_replicas: u32,
}

impl RedisMessages {
    /// A store that keeps every message.
    pub fn new(pool: RedisPool, prefix: &str) -> Self {
        Self::with_cap(pool, prefix, None)
    }

    /// A store that keeps at most `cap` messages per conversation
    /// (`SCRM_CHAT_MAX_PER_CONVERSATION`): when an `append` leaves a conversation with more,
    /// its oldest messages are removed. `None` keeps all; a cap of 0 is taken as 1.
    pub fn with_cap(pool: RedisPool, prefix: &str, cap: Option<usize>) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
            cap: cap.map(|c| c.max(1)),
            wait_replicas: 0,
        }
    }

    /// An `append` answers only once `WAIT` confirms that `replicas` replicas hold what it
    /// wrote (`SCRM_REDIS_WAIT_REPLICAS`), else it is `Unavailable` (the caller sends the
    /// messages again; appends are idempotent by msgId). 0 does not wait.
    #[must_use]
    pub fn with_wait_replicas(mut self, replicas: u32) -> Self {
        self.wait_replicas = replicas;
        self
    }
}

#[async_trait]
impl MessageStore for RedisMessages {
    async fn append(&self, messages: &[ChatMessage]) -> Result<u64, StoreError> {
        self.append_messages(messages).await
    }

    async fn page(
        &self,
        conversations: &[Conversation],
        range: TimeRange,
        page: PageRequest,
    ) -> Result<Page<StoredMessage>, StoreError> {
        self.page_messages(conversations, range, page).await
    }
}
