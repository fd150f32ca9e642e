//! `SessionStore` in memory: a 256-bit random token (64 hex characters) goes to the client;
//! only the SHA-256 of it is kept, with an idle expiry renewed on every use (as the Redis
//! adapter does with `GETEX`). Expired sessions are swept when a session is created.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use rand::RngCore;
use scrm_domain::session::{SessionData, SessionStore};
use scrm_domain::{AdminUserId, StoreError};
use sha2::{Digest, Sha256};

/// A live session and when it expires unless used.
#[derive(Debug, Clone, Copy)]
struct Session {
    data: SessionData,
    expires: Instant,
}

/// The in-memory `SessionStore`.
#[derive(Debug)]
pub struct MemorySessions {
    ttl_secs: u64,
    /// SHA-256 of the token -> session.
    sessions: Mutex<HashMap<[u8; 32], Session>>,
}

impl MemorySessions {
    /// Sessions that live `ttl_secs` (at least 1) without use.
    pub fn new(ttl_secs: u64) -> Self {
        Self {
            ttl_secs: ttl_secs.max(1),
            sessions: Mutex::new(HashMap::new()),
        }
    }

    fn ttl(&self) -> Duration {
        Duration::from_secs(self.ttl_secs)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<[u8; 32], Session>>, StoreError> {
        self.sessions
            .lock()
            .map_err(|_| StoreError::Unexpected("memory sessions: lock poisoned".into()))
    }
}

fn key(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[async_trait]
impl SessionStore for MemorySessions {
    async fn create(&self, data: SessionData) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let now = Instant::now();
        let mut sessions = self.lock()?;
        sessions.retain(|_, s| s.expires > now);
        sessions.insert(
            key(&token),
            Session {
                data,
                expires: now + self.ttl(),
            },
        );
        Ok(token)
    }

    async fn get(&self, token: &str) -> Result<Option<SessionData>, StoreError> {
        // Tokens are 64 hex characters; anything else cannot be a session.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let key = key(token);
        let now = Instant::now();
        let mut sessions = self.lock()?;
        match sessions.get_mut(&key) {
            Some(s) if s.expires > now => {
                s.expires = now + self.ttl();
                Ok(Some(s.data))
            }
            Some(_) => {
                sessions.remove(&key);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn delete(&self, token: &str) -> Result<(), StoreError> {
        self.lock()?.remove(&key(token));
        Ok(())
    }

    async fn delete_account(&self, account: AdminUserId) -> Result<(), StoreError> {
        self.lock()?.retain(|_, s| s.data.admin_user_id != account);
        Ok(())
    }

    fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }
}
