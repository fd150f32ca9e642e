//! `TestRedis`: a Redis key prefix of its own for one test, its keys deleted when the test ends.

#![expect(
    clippy::expect_used,
    reason = "test support: a broken test environment should fail loudly"
)]

use deadpool_redis::redis::AsyncCommands;

use crate::{redis_url, unique};

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
        crate::on_own_runtime(move || async move {
            let client = deadpool_redis::redis::Client::open(redis_url()).ok()?;
            let mut conn = client.get_multiplexed_async_connection().await.ok()?;
            let keys: Vec<String> = conn.keys(format!("{prefix}*")).await.ok()?;
            if !keys.is_empty() {
                let _: () = conn.del(keys).await.ok()?;
            }
            Some(())
        });
    }
}
