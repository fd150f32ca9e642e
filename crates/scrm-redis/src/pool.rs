//! The Redis pool, with wait, create and recycle timeouts so a down or hung server is an error
//! within seconds, and the readiness probe.

use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::{Config, Pool, PoolConfig, Runtime, Timeouts};
use scrm_domain::StoreError;
use scrm_domain::health::HealthProbe;

use crate::error::{map_pool_error, map_redis_error};

/// Pool settings.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub max_size: usize,
    pub timeout: Duration,
}

impl Default for RedisSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            timeout: Duration::from_secs(2),
        }
    }
}

/// Builds a pool; opens no connection.
///
/// # Errors
/// `StoreError::Unexpected` for a malformed URL.
pub fn build_pool(url: &str, settings: &RedisSettings) -> Result<Pool, StoreError> {
    let mut cfg = Config::from_url(url);
    cfg.pool = Some(PoolConfig {
        max_size: settings.max_size,
        timeouts: Timeouts {
            wait: Some(settings.timeout),
            create: Some(settings.timeout),
            recycle: Some(settings.timeout),
        },
        ..PoolConfig::default()
    });
    cfg.create_pool(Some(Runtime::Tokio1))
        .map_err(|e| StoreError::Unexpected(format!("redis pool config: {e}")))
}

/// The readiness probe of Redis (`PING`).
pub struct RedisHealth {
    pool: Pool,
}

impl RedisHealth {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl HealthProbe for RedisHealth {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(map_pool_error)?;
        let _: String = deadpool_redis::redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(map_redis_error)?;
        Ok(())
    }
}
