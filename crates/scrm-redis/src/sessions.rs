//! Sessions in Redis: a 256-bit random token goes to the client; Redis keeps only the SHA-256
//! of it as the key, with an idle expiry renewed on every use.

use async_trait::async_trait;
use deadpool_redis::Pool;
use deadpool_redis::redis::AsyncCommands;
use rand::RngCore;
use scrm_domain::session::{SessionData, SessionStore};
use scrm_domain::{AdminUserId, StoreError};
use sha2::{Digest, Sha256};

use crate::error::{map_pool_error, map_redis_error};
use crate::keys::Keys;

/// The Redis `SessionStore`.
pub struct RedisSessions {
    pool: Pool,
    keys: Keys,
    ttl_secs: u64,
}

impl RedisSessions {
    fn ttl_i64(&self) -> i64 {
        i64::try_from(self.ttl_secs).unwrap_or(i64::MAX)
    }

    pub fn new(pool: Pool, prefix: &str, ttl_secs: u64) -> Self {
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
}

#[async_trait]
impl SessionStore for RedisSessions {
    async fn create(&self, data: SessionData) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let json =
            serde_json::to_string(&data).map_err(|e| StoreError::Unexpected(e.to_string()))?;
        let key = self.key(&token);
        let index = self.keys.account_sessions(data.admin_user_id);
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        // The session, and its key in the account's index (which lives as long as the
        // account's most recently used session; `get` renews it too).
        let mut pipe = deadpool_redis::redis::pipe();
        pipe.set_ex(&key, json, self.ttl_secs)
            .ignore()
            .sadd(&index, &key)
            .ignore()
            .expire(&index, self.ttl_i64())
            .ignore();
        let _: () = pipe.query_async(&mut conn).await.map_err(map_redis_error)?;
        Ok(token)
    }

    async fn get(&self, token: &str) -> Result<Option<SessionData>, StoreError> {
        // Tokens are 64 hex characters; anything else cannot be a session.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let json: Option<String> = deadpool_redis::redis::cmd("GETEX")
            .arg(self.key(token))
            .arg("EX")
            .arg(self.ttl_secs)
            .query_async(&mut conn)
            .await
            .map_err(map_redis_error)?;
        match json {
            None => Ok(None),
            Some(json) => match serde_json::from_str::<SessionData>(&json) {
                Ok(data) => {
                    let index = self.keys.account_sessions(data.admin_user_id);
                    let _: () = conn
                        .expire(&index, self.ttl_i64())
                        .await
                        .map_err(map_redis_error)?;
                    Ok(Some(data))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "undecodable session ignored");
                    Ok(None)
                }
            },
        }
    }

    async fn delete(&self, token: &str) -> Result<(), StoreError> {
        let key = self.key(token);
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let json: Option<String> = deadpool_redis::redis::cmd("GETDEL")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .map_err(map_redis_error)?;
        if let Some(data) = json.and_then(|j| serde_json::from_str::<SessionData>(&j).ok()) {
            let index = self.keys.account_sessions(data.admin_user_id);
            let _: () = conn.srem(&index, &key).await.map_err(map_redis_error)?;
        }
        Ok(())
    }

    async fn delete_account(&self, account: AdminUserId) -> Result<(), StoreError> {
        let index = self.keys.account_sessions(account);
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let sessions: Vec<String> = conn.smembers(&index).await.map_err(map_redis_error)?;
        // One DEL per key: the sessions and the index may sit in different cluster slots.
        let mut pipe = deadpool_redis::redis::pipe();
        for key in sessions.iter().chain(std::iter::once(&index)) {
            pipe.del(key).ignore();
        }
        let _: () = pipe.query_async(&mut conn).await.map_err(map_redis_error)?;
        Ok(())
    }

    fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }
}
