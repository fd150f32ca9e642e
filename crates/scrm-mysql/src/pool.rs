//! The connection pool: deadpool over diesel-async, `Verified` recycling (a dead connection is
//! dropped on checkout, so the service recovers by itself after a MariaDB restart) and
//! timeouts on every wait, so a down server is an error within seconds, never a hang.

use std::time::Duration;

use diesel_async::AsyncMysqlConnection;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

use crate::error::MySqlError;

/// The pool every repository shares.
pub type DbPool =
    diesel_async::pooled_connection::deadpool::Pool<diesel_async::AsyncMysqlConnection>;

/// Size and timeouts of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_size: usize,
    /// Longest wait for a free connection.
    pub wait_timeout: Duration,
    /// Longest wait to open a connection.
    pub create_timeout: Duration,
    /// Longest wait to check a pooled connection.
    pub recycle_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            wait_timeout: Duration::from_secs(2),
            create_timeout: Duration::from_secs(2),
            recycle_timeout: Duration::from_secs(2),
        }
    }
}

/// Builds the pool. Opens no connection, so the service can start while the database is down.
///
/// # Errors
/// `MySqlError::Pool` when the settings are unusable.
pub fn build_pool(url: &str, settings: &PoolSettings) -> Result<DbPool, MySqlError> {
    let mut config = ManagerConfig::<AsyncMysqlConnection>::default();
    config.recycling_method = RecyclingMethod::Verified;
    let manager = AsyncDieselConnectionManager::new_with_config(url, config);
    Ok(DbPool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.wait_timeout))
        .create_timeout(Some(settings.create_timeout))
        .recycle_timeout(Some(settings.recycle_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}
