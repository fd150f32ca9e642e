//! Redis and pool errors mapped once to `StoreError`: connection trouble is `Unavailable`.

use deadpool_redis::redis::RedisError;
use scrm_domain::StoreError;

/// Maps a pool error (timeouts, refused connections) to `Unavailable`.
pub fn map_pool_error(err: deadpool_redis::PoolError) -> StoreError {
    StoreError::Unavailable(format!("redis pool: {err}"))
}

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
