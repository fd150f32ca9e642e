//! The connection pool: deadpool over diesel-async, one per thread that uses it ([`DbPool`]:
//! each worker opens and drives its own connections). A checkout checks a connection only when in
//! doubt (`watch`: idle for a while, a failed or cut-off statement on it, a lost server on
//! another), so a busy pool costs no round trip per checkout and a dead connection is still
//! dropped, and the service recovers by itself after a MariaDB restart. Timeouts bound every
//! wait (and `MySql::conn` bounds the whole checkout by one), so a down or hung server is an
//! error within seconds, never a hang. A statement time limit is set on every new connection,
//! so a statement the server cannot finish (a lock held by a stuck client, a runaway query) is
//! an error too, and gives its connection back.

use std::sync::Arc;
use std::time::Duration;

use diesel::ConnectionResult;
use diesel::result::ConnectionError;
use diesel::sql_types::Text;
use diesel_async::pooled_connection::deadpool::PoolError;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use futures_util::FutureExt;
use scrm_domain::per_thread::PerThread;

use crate::error::MySqlError;
use crate::watch::{self, ConnWatch, PoolWatch};

/// Size and timeouts of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_size: usize,
    /// Longest wait for a free connection.
    pub wait_timeout: Duration,
    /// Longest wait to open a connection.
    pub create_timeout: Duration,
    /// Longest wait to check a pooled connection (checked only when in doubt: `watch`).
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

/// One pool of connections (deadpool over diesel-async).
pub type ThreadPool =
    diesel_async::pooled_connection::deadpool::Pool<diesel_async::AsyncMysqlConnection>;

/// A pooled connection.
pub type PooledConnection =
    deadpool::managed::Object<AsyncDieselConnectionManager<AsyncMysqlConnection>>;

/// The pool every repository shares: one [`ThreadPool`] per thread that uses it
/// ([`PerThread`]: a worker's connections are opened and driven on that worker, so a reply
/// wakes only the thread waiting for it), all with the same settings, the same statement time
/// limit and one [`PoolWatch`] (a connection that lost the server marks every thread's
/// connections for a check). `max_size` holds per thread.
#[derive(Clone)]
pub struct DbPool {
    threads: Arc<PerThread<ThreadPool>>,
    wait_timeout: Duration,
}

impl std::fmt::Debug for DbPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbPool")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl DbPool {
    /// A connection of this thread's pool (waiting, checking and opening as deadpool does).
    ///
    /// # Errors
    /// deadpool's: a timeout, or the connection could not be opened.
    pub async fn get(&self) -> Result<PooledConnection, PoolError> {
        self.threads.get().get().await
    }

    /// This thread's pool.
    pub(crate) fn here(&self) -> ThreadPool {
        self.threads.get()
    }

    /// The longest wait for a free connection (the store timeout).
    pub fn wait_timeout(&self) -> Duration {
        self.wait_timeout
    }

    /// The totals over every thread's pool.
    pub fn status(&self) -> deadpool::Status {
        self.threads.all().iter().map(ThreadPool::status).fold(
            deadpool::Status {
                max_size: 0,
                size: 0,
                available: 0,
                waiting: 0,
            },
            |sum, s| deadpool::Status {
                max_size: sum.max_size + s.max_size,
                size: sum.size + s.size,
                available: sum.available + s.available,
                waiting: sum.waiting + s.waiting,
            },
        )
    }
}

/// Builds the pool. Opens no connection, so the service can start while the database is down.
///
/// # Errors
/// `MySqlError::Pool` when the settings are unusable.
pub fn build_pool(url: &str, settings: &PoolSettings) -> Result<DbPool, MySqlError> {
    let pool_watch = PoolWatch::new(settings.recycle_timeout, server_address(url));
    let (url, settings) = (url.to_owned(), settings.clone());
    let make = move || thread_pool(&url, &settings, &pool_watch);
    // Settings that build once build again: a later thread's pool cannot fail, and would
    // share this one if it did.
    let first = make()?;
    Ok(DbPool {
        wait_timeout: settings_wait(&first),
        threads: Arc::new(PerThread::new(move || {
            make().unwrap_or_else(|_| first.clone())
        })),
    })
}

fn settings_wait(pool: &ThreadPool) -> Duration {
    pool.timeouts()
        .wait
        .unwrap_or(PoolSettings::default().wait_timeout)
}

/// One thread's pool.
fn thread_pool(
    url: &str,
    settings: &PoolSettings,
    pool_watch: &Arc<PoolWatch>,
) -> Result<ThreadPool, MySqlError> {
    let mut config = ManagerConfig::<AsyncMysqlConnection>::default();
    // The manager's own check is `is_broken` only; the `pre_recycle` hook asks the server
    // when in doubt.
    config.recycling_method = RecyclingMethod::Fast;
    let limit = settings.statement_timeout;
    let watched = pool_watch.clone();
    config.custom_setup =
        Box::new(move |url| establish(url.to_owned(), limit, watched.clone()).boxed());
    let manager = AsyncDieselConnectionManager::new_with_config(url, config);
    Ok(ThreadPool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.wait_timeout))
        .create_timeout(Some(settings.create_timeout))
        .recycle_timeout(Some(settings.recycle_timeout))
        // The most recently returned connection first: a light load keeps reusing a few
        // warm connections (no check), and the others age into a check.
        .queue_mode(deadpool::managed::QueueMode::Lifo)
        .pre_recycle(watch::check(pool_watch.clone()))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}

/// The `host:port` of a `mysql://` URL (port 3306 when it has none); `None` when it names no
/// host (a socket) or cannot be read.
pub(crate) fn server_address(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.is_empty() {
        return None;
    }
    // `[::1]:3306`, `host:3306`, `host`.
    let has_port = host_port.rsplit_once(':').is_some_and(|(h, p)| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (!h.contains(':') || h.ends_with(']'))
    });
    Some(if has_port {
        host_port.to_owned()
    } else {
        format!("{host_port}:3306")
    })
}

/// Opens a connection, sets up its session and gives it its watch.
async fn establish(
    url: String,
    limit: Duration,
    pool: std::sync::Arc<PoolWatch>,
) -> ConnectionResult<AsyncMysqlConnection> {
    let mut conn = AsyncMysqlConnection::establish(&url).await?;
    set_up(&mut conn, limit).await?;
    conn.set_instrumentation(ConnWatch::new(pool));
    Ok(conn)
}

/// The longest `GROUP_CONCAT` / `JSON_ARRAYAGG` result a session allows: the server's
/// maximum, so that a customer's tags (aggregated in its record's statement,
/// `customers/records.rs`) are never cut at the default 1 MiB.
const GROUP_CONCAT_MAX_LEN: &str = "group_concat_max_len = 4294967295";

/// Sets the session's aggregate length and its statement time limit (none for
/// `Duration::ZERO`), in one `SET` after the server's version.
async fn set_up(conn: &mut AsyncMysqlConnection, limit: Duration) -> ConnectionResult<()> {
    let setup = ConnectionError::CouldntSetupConfiguration;
    let statement = if limit.is_zero() {
        format!("SET SESSION {GROUP_CONCAT_MAX_LEN}")
    } else {
        let version: String = diesel::select(diesel::dsl::sql::<Text>("VERSION()"))
            .get_result(conn)
            .await
            .map_err(setup)?;
        format!(
            "{}, {GROUP_CONCAT_MAX_LEN}",
            limit_statement(&version, limit)
        )
    };
    diesel::sql_query(statement)
        .execute(conn)
        .await
        .map_err(setup)?;
    Ok(())
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

    #[test]
    fn the_probe_address_comes_from_the_url() {
        let cases = [
            ("mysql://root@127.0.0.1:3306/scrm", Some("127.0.0.1:3306")),
            (
                "mysql://u:p@w@db.local:4417/x?prefer_socket=false",
                Some("db.local:4417"),
            ),
            ("mysql://root@localhost/scrm", Some("localhost:3306")),
            ("mysql://root@[::1]:3307/scrm", Some("[::1]:3307")),
            ("mysql://root@127.0.0.1:3306", Some("127.0.0.1:3306")),
            ("mysql:///scrm?socket=/run/mysqld.sock", None),
            ("not a url", None),
        ];
        for (url, want) in cases {
            assert_eq!(server_address(url).as_deref(), want, "{url}");
        }
    }
}
