//! Sessions in Redis: a 256-bit random token goes to the client; Redis keeps only the SHA-256
//! of it as the key, with an idle expiry renewed on every use.

use async_trait::async_trait;
use deadpool_redis::Pool;
use deadpool_redis::redis::AsyncCommands;
use rand::RngCore;
use scrm_domain::StoreError;
use scrm_domain::session::{SessionData, SessionStore};
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
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let _: () = conn
            .set_ex(self.key(&token), json, self.ttl_secs)
            .await
            .map_err(map_redis_error)?;
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
            Some(json) => match serde_json::from_str(&json) {
                Ok(data) => Ok(Some(data)),
                Err(e) => {
                    tracing::warn!(error = %e, "undecodable session ignored");
                    Ok(None)
                }
            },
        }
    }

    async fn delete(&self, token: &str) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let _: () = conn.del(self.key(token)).await.map_err(map_redis_error)?;
        Ok(())
    }

    fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }
}
