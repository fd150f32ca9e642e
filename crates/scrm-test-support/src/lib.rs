//! Test support: every test owns its data. `TestDatabase` is a fresh MariaDB database with a
//! unique name, dropped when the test ends; `TestRedis` is a unique key prefix whose keys are
//! deleted when the test ends. Nothing here touches data a test did not create.
//!
//! The servers come from `SCRM_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`) and
//! `SCRM_TEST_REDIS_URL` (default `redis://127.0.0.1:6379`).

#![expect(
    clippy::expect_used,
    reason = "test support: a broken test environment should fail loudly"
)]

use deadpool_redis::redis::AsyncCommands;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

/// The MariaDB server tests use, without a database name.
pub fn mysql_server_url() -> String {
    std::env::var("SCRM_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned())
}

/// The Redis server tests use.
pub fn redis_url() -> String {
    std::env::var("SCRM_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// A database of its own for one test, dropped on drop.
pub struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    /// A name and URL for a database that does not exist yet (for tests of creation).
    pub fn unborn() -> Self {
        let name = unique("scrm_t");
        let url = format!("{}/{name}", mysql_server_url());
        Self { name, url }
    }

    /// Creates an empty database.
    pub async fn create() -> Self {
        let db = Self::unborn();
        let mut conn = AsyncMysqlConnection::establish(&mysql_server_url())
            .await
            .expect("connect to the test MariaDB server");
        diesel::sql_query(format!(
            "CREATE DATABASE `{}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
            db.name
        ))
        .execute(&mut conn)
        .await
        .expect("create a test database");
        db
    }

    /// The URL of the database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // A thread of its own, so dropping works inside any runtime.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let mut conn = AsyncMysqlConnection::establish(&mysql_server_url())
                    .await
                    .ok()?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS `{name}`"))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        });
        let _ = dropped.join();
    }
}

/// A Redis key prefix of its own for one test; its keys are deleted on drop.
pub struct TestRedis {
    prefix: String,
}

impl TestRedis {
    /// A fresh prefix.
    pub fn new() -> Self {
        Self {
            prefix: unique("scrm_t"),
        }
    }

    /// The prefix every key of the test starts with.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The server URL.
    pub fn url(&self) -> String {
        redis_url()
    }

    /// A pool on the test server.
    pub fn pool(&self) -> deadpool_redis::Pool {
        deadpool_redis::Config::from_url(redis_url())
            .create_pool(Some(deadpool_redis::Runtime::Tokio1))
            .expect("build a Redis pool")
    }

    /// Every key under the prefix, sorted.
    pub async fn keys(&self) -> Vec<String> {
        let mut conn = self
            .pool()
            .get()
            .await
            .expect("connect to the test Redis server");
        let mut keys: Vec<String> = conn.keys(format!("{}*", self.prefix)).await.expect("KEYS");
        keys.sort();
        keys
    }
}

impl Default for TestRedis {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        let prefix = self.prefix.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let client = deadpool_redis::redis::Client::open(redis_url()).ok()?;
                let mut conn = client.get_multiplexed_async_connection().await.ok()?;
                let keys: Vec<String> = conn.keys(format!("{prefix}*")).await.ok()?;
                if !keys.is_empty() {
                    let _: () = conn.del(keys).await.ok()?;
                }
                Some(())
            })
        });
        let _ = dropped.join();
    }
}
