//! Redis errors mapped once to `StoreError`: connection trouble is `Unavailable` (pool errors
//! are mapped by `pool`).

use deadpool_redis::redis::RedisError;
use scrm_domain::StoreError;

/// Maps a command error.
pub(crate) fn map_redis_error(err: RedisError) -> StoreError {
    if err.is_io_error()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
        || err.is_timeout()
    {
        StoreError::Unavailable(format!("redis: {err}"))
    } else {
        StoreError::Unexpected(format!("redis: {err}"))
    }
}
