//! The friend-request queue for the WeChat connector: a Redis stream (`keys::friend_requests`),
//! one entry per request with flat fields for simple consumers and the whole request as JSON.

use crate::RedisPool;
use async_trait::async_trait;
use scrm_domain::StoreError;
use scrm_domain::manual::{FriendRequest, FriendRequestQueue};

use crate::keys::{FRIEND_REQUESTS_MAXLEN, Keys};

/// The Redis `FriendRequestQueue`.
pub struct RedisFriendRequests {
    pool: RedisPool,
    keys: Keys,
}

impl RedisFriendRequests {
    pub fn new(pool: RedisPool, prefix: &str) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
        }
    }
}

#[async_trait]
impl FriendRequestQueue for RedisFriendRequests {
    async fn enqueue(&self, request: &FriendRequest) -> Result<String, StoreError> {
        let json =
            serde_json::to_string(request).map_err(|e| StoreError::Unexpected(e.to_string()))?;
        let mut xadd = deadpool_redis::redis::cmd("XADD");
        xadd.arg(self.keys.friend_requests())
            .arg("MAXLEN")
            .arg("~")
            .arg(FRIEND_REQUESTS_MAXLEN)
            .arg("*")
            .arg("entryId")
            .arg(request.entry_id.0)
            .arg("uin")
            .arg(&request.uin)
            .arg("userName")
            .arg(&request.user_name)
            .arg("v1")
            .arg(request.v1.as_deref().unwrap_or(""))
            .arg("account")
            .arg(request.account.0)
            .arg("time")
            .arg(request.time)
            .arg("json")
            .arg(json);
        // Once: a second run could queue the request twice.
        self.pool
            .once(async |mut c| xadd.query_async(&mut c).await)
            .await
    }
}
