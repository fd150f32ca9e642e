//! Retention: a conversation keeps at most `cap` messages. One Lua script on the
//! conversation's two keys (one slot) removes the oldest from the index and the hash
//! atomically, in chunks so that a large excess (say, after the cap was lowered) neither
//! overflows Lua's argument stack nor builds one huge reply.

use std::sync::LazyLock;

use deadpool_redis::redis::{RedisResult, Script};

use crate::RedisConn;

/// Ids removed per `ZRANGE`/`HDEL` round inside the script (well below Lua's `unpack` limit).
const CHUNK: usize = 1000;

/// KEYS[1] the index, KEYS[2] the hash; ARGV[1] the cap, ARGV[2] the chunk size. Removes the
/// lowest-ranked (oldest; equal createTime: lowest msgId) ids past the cap from both keys and
/// returns how many went.
static TRIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local cap = tonumber(ARGV[1])
local chunk = tonumber(ARGV[2])
local excess = redis.call('ZCARD', KEYS[1]) - cap
local removed = 0
while excess > 0 do
  local n = math.min(excess, chunk)
  local ids = redis.call('ZRANGE', KEYS[1], 0, n - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - 1)
  redis.call('HDEL', KEYS[2], unpack(ids))
  excess = excess - n
  removed = removed + n
end
return removed
",
    )
});

/// Removes the oldest messages of one conversation beyond `cap`; how many went.
pub(super) async fn trim(
    conn: &mut RedisConn,
    index: &str,
    hash: &str,
    cap: usize,
) -> RedisResult<u64> {
    let removed: u64 = TRIM
        .key(index)
        .key(hash)
        .arg(cap)
        .arg(CHUNK)
        .invoke_async(conn)
        .await?;
    if removed > 0 {
        tracing::debug!(key = index, removed, cap, "oldest chat messages removed");
    }
    Ok(removed)
}
