//! `LoginThrottle` in Redis: one fixed-window counter per login name and per client address,
//! each an integer key whose expiry is its window (set by the attempt that opens it). One Lua
//! script per key admits an attempt only while the count is under the limit, so parallel
//! attempts on any number of instances cannot overshoot it; each script touches one key, so
//! the keys need no shared slot on a Redis Cluster.

use std::sync::LazyLock;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::redis::{RedisResult, Script};
use scrm_domain::StoreError;
use scrm_domain::throttle::{Limit, LoginThrottle, RetryAfter, ThrottleLimits};
use sha2::{Digest, Sha256};

use crate::keys::Keys;
use crate::{RedisConn, RedisPool};

/// KEYS[1] a counter; ARGV[1] the limit, ARGV[2] the window in ms. Counts one attempt and
/// returns 0 while the count is under the limit; else counts nothing and returns the
/// milliseconds left in the window (at least 1). The expiry is set only when the key has
/// none (as `EXPIRE NX`, which Redis 6 lacks), so attempts never stretch a window.
static ADMIT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if n >= tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    left = tonumber(ARGV[2])
  end
  return math.max(left, 1)
end
redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
",
    )
});

/// KEYS[1] a counter. Takes one attempt back when the count is above 0; the window keeps its
/// expiry, and an ended window is not brought back.
static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if n > 0 then
  redis.call('DECR', KEYS[1])
end
return 0
",
    )
});

/// The Redis `LoginThrottle`.
pub struct RedisLoginThrottle {
    pool: RedisPool,
    keys: Keys,
    limits: ThrottleLimits,
}

impl RedisLoginThrottle {
    pub fn new(pool: RedisPool, prefix: &str, limits: ThrottleLimits) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
            limits,
        }
    }

    fn name_key(&self, login_name: &str) -> String {
        self.keys.login_name_failures(&digest(login_name))
    }

    fn addr_key(&self, client_addr: &str) -> String {
        self.keys.login_addr_failures(&digest(client_addr))
    }
}

fn digest(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Counts one attempt on `key`: `Some` when its window is full.
async fn admit_one(
    conn: &mut RedisConn,
    key: &str,
    limit: &Limit,
) -> RedisResult<Option<RetryAfter>> {
    let window_ms = u64::try_from(limit.window().as_millis()).unwrap_or(u64::MAX);
    let left_ms: u64 = ADMIT
        .key(key)
        .arg(limit.max())
        .arg(window_ms)
        .invoke_async(conn)
        .await?;
    Ok((left_ms > 0).then(|| RetryAfter::from_remaining(Duration::from_millis(left_ms))))
}

async fn release_one(conn: &mut RedisConn, key: &str) -> RedisResult<()> {
    let _: i64 = RELEASE.key(key).invoke_async(conn).await?;
    Ok(())
}

#[async_trait]
impl LoginThrottle for RedisLoginThrottle {
    async fn admit(
        &self,
        login_name: &str,
        client_addr: &str,
    ) -> Result<Option<RetryAfter>, StoreError> {
        let (name_key, addr_key) = (self.name_key(login_name), self.addr_key(client_addr));
        // Once: the scripts count.
        self.pool
            .once(async |mut conn| {
                if let Some(retry) = admit_one(&mut conn, &name_key, &self.limits.per_name).await? {
                    return Ok(Some(retry));
                }
                if let Some(retry) = admit_one(&mut conn, &addr_key, &self.limits.per_addr).await? {
                    // Refused: the name does not keep this attempt either.
                    release_one(&mut conn, &name_key).await?;
                    return Ok(Some(retry));
                }
                Ok(None)
            })
            .await
    }

    async fn record_success(&self, login_name: &str, client_addr: &str) -> Result<(), StoreError> {
        let (name_key, addr_key) = (self.name_key(login_name), self.addr_key(client_addr));
        self.pool
            .once(async |mut conn| {
                let _: i64 = deadpool_redis::redis::cmd("DEL")
                    .arg(&name_key)
                    .query_async(&mut conn)
                    .await?;
                release_one(&mut conn, &addr_key).await
            })
            .await
    }
}
