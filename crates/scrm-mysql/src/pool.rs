//! The connection pool: deadpool over diesel-async, `Verified` recycling (a dead connection is
//! dropped on checkout, so the service recovers by itself after a MariaDB restart), timeouts on
//! every wait, so a down server is an error within seconds, never a hang, and a statement time
//! limit set on every new connection, so a statement the server cannot finish (a lock held by
//! a stuck client, a runaway query) is an error too, and gives its connection back.

use std::time::Duration;

use diesel::ConnectionResult;
use diesel::result::ConnectionError;
use diesel::sql_types::Text;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use futures_util::FutureExt;

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
    /// Longest a statement may run before the server aborts it (MariaDB
    /// `max_statement_time`, MySQL `MAX_EXECUTION_TIME`, which only limits `SELECT`s);
    /// `Duration::ZERO` sets no limit.
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            wait_timeout: Duration::from_secs(2),
            create_timeout: Duration::from_secs(2),
            recycle_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(5),
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
    let limit = settings.statement_timeout;
    config.custom_setup = Box::new(move |url| establish(url.to_owned(), limit).boxed());
    let manager = AsyncDieselConnectionManager::new_with_config(url, config);
    Ok(DbPool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.wait_timeout))
        .create_timeout(Some(settings.create_timeout))
        .recycle_timeout(Some(settings.recycle_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}

/// Opens a connection and sets the session's statement time limit.
async fn establish(url: String, limit: Duration) -> ConnectionResult<AsyncMysqlConnection> {
    let mut conn = AsyncMysqlConnection::establish(&url).await?;
    if limit.is_zero() {
        return Ok(conn);
    }
    let setup = ConnectionError::CouldntSetupConfiguration;
    let version: String = diesel::select(diesel::dsl::sql::<Text>("VERSION()"))
        .get_result(&mut conn)
        .await
        .map_err(setup)?;
    diesel::sql_query(limit_statement(&version, limit))
        .execute(&mut conn)
        .await
        .map_err(setup)?;
    Ok(conn)
}

/// The statement that limits a session's statements to `limit` (at least a millisecond: zero
/// would mean no limit) on the server `version` names.
fn limit_statement(version: &str, limit: Duration) -> String {
    let ms = limit.as_millis().max(1);
    if version.contains("MariaDB") {
        format!(
            "SET SESSION max_statement_time = {}.{:03}",
            ms / 1000,
            ms % 1000
        )
    } else {
        format!("SET SESSION MAX_EXECUTION_TIME = {ms}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mariadb_takes_seconds_mysql_milliseconds() {
        let limit = Duration::from_millis(1_500);
        assert_eq!(
            limit_statement("10.11.19-MariaDB-0+deb12u1", limit),
            "SET SESSION max_statement_time = 1.500"
        );
        assert_eq!(
            limit_statement("8.0.36", limit),
            "SET SESSION MAX_EXECUTION_TIME = 1500"
        );
        assert_eq!(
            limit_statement("11.4.2-MariaDB", Duration::from_secs(5)),
            "SET SESSION max_statement_time = 5.000"
        );
        assert_eq!(
            limit_statement("10.11.19-MariaDB", Duration::from_micros(10)),
            "SET SESSION max_statement_time = 0.001",
            "a limit below a millisecond is not read as no limit"
        );
    }
}
