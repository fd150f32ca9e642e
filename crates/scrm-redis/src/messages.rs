//! Chat messages in Redis. Per conversation (WeChat account + contact): a hash msgId -> JSON
//! and a sorted set of msgIds scored by createTime (equal scores order by msgId). Writes are
//! idempotent by msgId: `HSETNX` decides whether a message is new.

use std::collections::BTreeMap;

use async_trait::async_trait;
use deadpool_redis::Pool;
use scrm_domain::message::{ChatMessage, MessageStore};
use scrm_domain::{ContactId, StoreError, WechatUserId};

use crate::error::{map_pool_error, map_redis_error};
use crate::keys::Keys;

/// The Redis `MessageStore`.
pub struct RedisMessages {
    pool: Pool,
    keys: Keys,
}

impl RedisMessages {
    pub fn new(pool: Pool, prefix: &str) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
        }
    }
}

#[async_trait]
impl MessageStore for RedisMessages {
    async fn append(&self, messages: &[ChatMessage]) -> Result<u64, StoreError> {
        let mut by_conversation: BTreeMap<(WechatUserId, ContactId), Vec<&ChatMessage>> =
            BTreeMap::new();
        for m in messages {
            by_conversation
                .entry((m.wechat_user_id, m.wechat_contact_id))
                .or_default()
                .push(m);
        }
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let mut new = 0u64;
        for ((user, contact), batch) in by_conversation {
            let hash = self.keys.chat_messages(user, contact);
            let index = self.keys.chat_index(user, contact);
            // One transaction per conversation (one slot): the message and its index entry
            // are written together or not at all.
            let mut pipe = deadpool_redis::redis::pipe();
            pipe.atomic();
            for m in &batch {
                let json =
                    serde_json::to_string(m).map_err(|e| StoreError::Unexpected(e.to_string()))?;
                pipe.cmd("HSETNX").arg(&hash).arg(&m.msg_id).arg(json);
                pipe.cmd("ZADD")
                    .arg(&index)
                    .arg("NX")
                    .arg(m.create_time)
                    .arg(&m.msg_id)
                    .ignore();
            }
            let added: Vec<u64> = pipe.query_async(&mut conn).await.map_err(map_redis_error)?;
            new += added.iter().sum::<u64>();
        }
        Ok(new)
    }
}
