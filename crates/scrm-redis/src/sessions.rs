//! Sessions in Redis: a 256-bit random token goes to the client; Redis keeps only the SHA-256
//! of it as the key, with an idle expiry renewed on every use (`GETEX`).
//!
//! Each account has an index of its session keys (`keys::account_sessions`), so that logout
//! can end them all. The index only has to outlive the account's newest session, so it is not
//! renewed on every use: it is given twice the session lifetime, and each session remembers
//! until when (`indexUntil`, epoch milliseconds, in the stored JSON). A lookup renews the index only
//! when that is less than one and a half lifetimes away, so a session in steady use costs one
//! round trip per lookup and one more about every half lifetime. The renewal also puts the
//! session back into the index, should the index have expired in the meantime.

use async_trait::async_trait;
use deadpool_redis::redis::{self, AsyncCommands};
use rand::RngCore;
use scrm_domain::session::{SessionData, SessionStore};
use scrm_domain::{AdminUserId, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::RedisPool;
use crate::keys::Keys;

/// What a session key holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    data: SessionData,
    /// Until when (epoch milliseconds) the account's index lives at least; 0 when unknown (a
    /// session stored before this field existed).
    #[serde(rename = "indexUntil", default)]
    index_until: i64,
}

/// The Redis `SessionStore`.
pub struct RedisSessions {
    pool: RedisPool,
    keys: Keys,
    ttl_secs: u64,
}

impl RedisSessions {
    pub fn new(pool: RedisPool, prefix: &str, ttl_secs: u64) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
            ttl_secs: ttl_secs.max(1),
        }
    }

    fn key(&self, token: &str) -> String {
        self.keys
            .session(&hex::encode(Sha256::digest(token.as_bytes())))
    }

    fn ttl(&self) -> i64 {
        i64::try_from(self.ttl_secs).unwrap_or(i64::MAX / 4)
    }

    /// The session lifetime in milliseconds.
    fn ttl_ms(&self) -> i64 {
        self.ttl().saturating_mul(1000)
    }

    /// The index's lifetime: two session lifetimes.
    fn index_ttl(&self) -> i64 {
        self.ttl().saturating_mul(2)
    }

    /// The session's value with the index renewed now.
    fn stored(&self, data: SessionData) -> Result<(String, Stored), StoreError> {
        let stored = Stored {
            data,
            index_until: now_ms().saturating_add(self.ttl_ms().saturating_mul(2)),
        };
        let json =
            serde_json::to_string(&stored).map_err(|e| StoreError::Unexpected(e.to_string()))?;
        Ok((json, stored))
    }

    /// Writes the session, its key in the account's index and the index's expiry. The
    /// session and the index hash to different slots of a Redis Cluster, so they are two
    /// requests (the `SET`, and `SADD` + `EXPIRE` on the index), sent at once: one round trip.
    async fn write(&self, key: &str, json: &str, account: AdminUserId) -> Result<(), StoreError> {
        let index = self.keys.account_sessions(account);
        let mut set = redis::cmd("SET");
        set.arg(key).arg(json).arg("EX").arg(self.ttl_secs);
        let mut pipe = redis::pipe();
        pipe.sadd(&index, key)
            .ignore()
            .expire(&index, self.index_ttl())
            .ignore();
        // Idempotent: the same values again.
        self.pool
            .idempotent(async |c| {
                let (mut c1, mut c2) = (c.clone(), c);
                tokio::try_join!(
                    set.query_async::<()>(&mut c1),
                    pipe.query_async::<()>(&mut c2)
                )
                .map(drop)
            })
            .await
    }
}

/// Now, in epoch milliseconds.
fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[async_trait]
impl SessionStore for RedisSessions {
    async fn create(&self, data: SessionData) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let key = self.key(&token);
        let (json, _) = self.stored(data)?;
        self.write(&key, &json, data.admin_user_id).await?;
        Ok(token)
    }

    async fn get(&self, token: &str) -> Result<Option<SessionData>, StoreError> {
        // Tokens are 64 hex characters; anything else cannot be a session.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let key = self.key(token);
        let mut getex = redis::cmd("GETEX");
        getex.arg(&key).arg("EX").arg(self.ttl_secs);
        let json: Option<String> = self
            .pool
            .idempotent(async |mut c| getex.query_async(&mut c).await)
            .await?;
        let Some(json) = json else {
            return Ok(None);
        };
        let stored = match serde_json::from_str::<Stored>(&json) {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(error = %e, "undecodable session ignored");
                return Ok(None);
            }
        };
        let data = stored.data;
        // The session now expires a lifetime from now; the index must last longer, with
        // half a lifetime to spare (clocks of several instances may differ a little).
        let due = now_ms().saturating_add(self.ttl_ms().saturating_add(self.ttl_ms() / 2));
        if stored.index_until < due {
            let (json, _) = self.stored(data)?;
            self.write(&key, &json, data.admin_user_id).await?;
        }
        Ok(Some(data))
    }

    async fn delete(&self, token: &str) -> Result<(), StoreError> {
        let key = self.key(token);
        let json: Option<String> = self
            .pool
            .idempotent(async |mut c| redis::cmd("GETDEL").arg(&key).query_async(&mut c).await)
            .await?;
        if let Some(stored) = json.and_then(|j| serde_json::from_str::<Stored>(&j).ok()) {
            let index = self.keys.account_sessions(stored.data.admin_user_id);
            self.pool
                .idempotent(async |mut c| c.srem::<_, _, ()>(&index, &key).await)
                .await?;
        }
        Ok(())
    }

    async fn delete_account(&self, account: AdminUserId) -> Result<(), StoreError> {
        let index = self.keys.account_sessions(account);
        self.pool
            .idempotent(async |mut c| {
                let mut keys: Vec<String> = c.smembers(&index).await?;
                keys.push(index.clone());
                // One DEL of them all: a Redis Cluster connection splits it by slot (the
                // sessions and the index sit in different slots).
                c.del::<_, ()>(keys).await
            })
            .await
    }

    fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }
}
