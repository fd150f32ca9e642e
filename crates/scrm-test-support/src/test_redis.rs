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

    /// A pool on the test server (not the Redis Cluster: `scrm_e2e::TestApp::redis_conn`
    /// talks to either).
    pub fn pool(&self) -> deadpool_redis::Pool {
        deadpool_redis::Config::from_url(redis_url())
            .create_pool(Some(deadpool_redis::Runtime::Tokio1))
            .expect("build a Redis pool")
    }

    /// Every key under the prefix, sorted: of the test server, or of every node of the
    /// Redis Cluster (`SCRM_TEST_REDIS_CLUSTER_NODES`; a key once, though its replica has it).
    pub async fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for url in node_urls() {
            let client = deadpool_redis::redis::Client::open(url).expect("a Redis URL");
            let mut conn = client
                .get_multiplexed_async_connection()
                .await
                .expect("connect to the test Redis server");
            let found: Vec<String> = conn.keys(format!("{}*", self.prefix)).await.expect("KEYS");
            keys.extend(found);
        }
        keys.sort();
        keys.dedup();
        keys
    }
}

/// The servers that hold the tests' keys: every node of the Redis Cluster when there is
/// one, else the test server.
fn node_urls() -> Vec<String> {
    let nodes = crate::redis_cluster_nodes();
    if nodes.is_empty() {
        vec![redis_url()]
    } else {
        nodes.iter().map(|n| format!("redis://{n}")).collect()
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
            for url in node_urls() {
                let client = deadpool_redis::redis::Client::open(url).ok()?;
                let Ok(mut conn) = client.get_multiplexed_async_connection().await else {
                    continue;
                };
                let keys: Vec<String> = conn.keys(format!("{prefix}*")).await.unwrap_or_default();
                // One key a command: a cluster node refuses keys of several slots at once (and
                // a replica every write; its master's turn deletes them).
                for key in keys {
                    let _: Result<(), _> = conn.del(key).await;
                }
            }
            Some(())
        });
    }
}
