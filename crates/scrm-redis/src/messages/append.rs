//! `append`: one transaction per conversation (`HSETNX` decides whether a message is new, the
//! index entry goes with it), then the retention cap of that conversation, then, with
//! `wait_replicas`, `WAIT` for that many replicas.
//!
//! `WAIT` counts the replicas that have every write made so far on the connection; on a
//! Redis Cluster the client sends it to every master (each on its connection of this
//! cluster connection) and answers with the smallest count. Its timeout is half the store
//! timeout, so a missing replica is a clean `Unavailable` well within the deadline.

use std::collections::BTreeMap;

use scrm_domain::StoreError;
use scrm_domain::message::{ChatMessage, Conversation};

use super::RedisMessages;
use super::retention::trim;

impl RedisMessages {
    pub(super) async fn append_messages(
        &self,
        messages: &[ChatMessage],
    ) -> Result<u64, StoreError> {
        let mut by_conversation: BTreeMap<Conversation, Vec<&ChatMessage>> = BTreeMap::new();
        for m in messages {
            by_conversation.entry(m.conversation()).or_default().push(m);
        }
        let mut batches = Vec::with_capacity(by_conversation.len());
        for (c, batch) in by_conversation {
            let hash = self
                .keys
                .chat_messages(c.wechat_user_id, c.wechat_contact_id);
            let index = self.keys.chat_index(c.wechat_user_id, c.wechat_contact_id);
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
            batches.push((pipe, index, hash));
        }
        let wait_ms = u64::try_from(self.pool.timeout().as_millis() / 2)
            .unwrap_or(u64::MAX)
            .max(1);
        // Once: a second run would count the messages the first one wrote as old.
        let (new, acked) = self
            .pool
            .once(async |mut conn| {
                let mut new = 0u64;
                for (pipe, index, hash) in &batches {
                    let added: Vec<u64> = pipe.query_async(&mut conn).await?;
                    let added: u64 = added.iter().sum();
                    new += added;
                    if let Some(cap) = self.cap
                        && added > 0
                    {
                        trim(&mut conn, index, hash, cap).await?;
                    }
                }
                let acked = if self.wait_replicas > 0 {
                    deadpool_redis::redis::cmd("WAIT")
                        .arg(self.wait_replicas)
                        .arg(wait_ms)
                        .query_async::<u64>(&mut conn)
                        .await?
                } else {
                    0
                };
                Ok((new, acked))
            })
            .await?;
        if acked < u64::from(self.wait_replicas) {
            return Err(StoreError::Unavailable(format!(
                "redis: {acked} of {} replicas confirmed the chat messages within {wait_ms} ms",
                self.wait_replicas
            )));
        }
        Ok(new)
    }
}
