//! `append`: one transaction per conversation (`HSETNX` decides whether a message is new, the
//! index entry goes with it), then the retention cap of that conversation, then, with
//! `wait_replicas`, `WAIT` for that many replicas.
//!
//! `WAIT` counts the replicas that have every write made so far on the connection; on a
//! Redis Cluster it goes to the master of each conversation written (on the node connection
//! that wrote), and the smallest count is taken (`RedisConn::wait_replicas`). Its timeout is
//! half the store timeout, so a missing replica is a clean `Unavailable` well within the
//! deadline; so is a `WAIT` that fails (the writes are made, their copies unconfirmed: the
//! connector sends the batch again, and ingest is idempotent by msgId).

use std::collections::BTreeMap;

use deadpool_redis::redis::RedisResult;
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
                    let keys: Vec<&str> =
                        batches.iter().map(|(_, _, hash)| hash.as_str()).collect();
                    conn.wait_replicas(&keys, self.wait_replicas, wait_ms).await
                } else {
                    Ok(0)
                };
                Ok((new, acked))
            })
            .await?;
        confirmed(acked, self.wait_replicas, wait_ms)?;
        Ok(new)
    }
}

/// The outcome of `WAIT` for `wanted` replicas: fewer, or a `WAIT` that failed, is
/// `Unavailable`.
fn confirmed(acked: RedisResult<u64>, wanted: u32, wait_ms: u64) -> Result<(), StoreError> {
    if wanted == 0 {
        return Ok(());
    }
    match acked {
        Ok(n) if n >= u64::from(wanted) => Ok(()),
        Ok(n) => Err(StoreError::Unavailable(format!(
            "redis: {n} of {wanted} replicas confirmed the chat messages within {wait_ms} ms"
        ))),
        Err(e) => Err(StoreError::Unavailable(format!(
            "redis: the chat messages are written, but WAIT for {wanted} replicas failed: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use deadpool_redis::redis::{ErrorKind, RedisError};

    use super::*;

    #[test]
    fn too_few_replicas_or_a_failed_wait_is_unavailable() {
        assert!(confirmed(Ok(0), 0, 1000).is_ok(), "no wait");
        assert!(confirmed(Ok(1), 1, 1000).is_ok());
        assert!(confirmed(Ok(2), 1, 1000).is_ok());
        assert!(matches!(
            confirmed(Ok(0), 1, 1000),
            Err(StoreError::Unavailable(m)) if m.contains("0 of 1")
        ));
        // A master that answered WAIT with an error (seen from a master just restarted as a
        // replica while the client still took it for a master).
        let failed = RedisError::from((ErrorKind::UnexpectedReturnType, "expected integers"));
        assert!(matches!(
            confirmed(Err(failed), 1, 1000),
            Err(StoreError::Unavailable(m)) if m.contains("WAIT")
        ));
    }
}
