//! A `scrm` instance of the cluster tests: the real server over one Galera node and the Redis
//! Cluster, its keys under a prefix shared with the other instance, as a `TestApp` (its HTTP
//! helpers).

use std::time::Duration;

use scrm_app::{Config, StoreKind};
use scrm_e2e::{Store, TestApp};
use scrm_test_support::{TestDatabase, TestRedis};

use crate::cluster::Cluster;

/// The store timeout of the instances (`SCRM_STORE_TIMEOUT_MS`).
pub const STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// The configuration of an instance on `database_url` and the cluster's Redis Cluster
/// (`SCRM_REDIS_CLUSTER_NODES`, `SCRM_REDIS_WAIT_REPLICAS=1`: chat ingest answers once one
/// replica has the messages), its Redis keys under `prefix`.
pub fn config(cluster: &Cluster, database_url: String, prefix: &str) -> Config {
    Config {
        store: StoreKind::MySql,
        database_url,
        redis_cluster_nodes: cluster.redis_nodes(),
        redis_wait_replicas: 1,
        redis_prefix: prefix.to_owned(),
        store_timeout: STORE_TIMEOUT,
        ..Config::default()
    }
}

/// Serves over stores already opened (and so migrated).
pub fn serve(config: Config, stores: scrm_app::Stores) -> TestApp {
    // The database and the keys live on the clusters, which go away with the test: the
    // shared servers only had a database name and a key prefix reserved.
    TestApp::serving(
        Store::MySql,
        config,
        stores,
        TestDatabase::unborn(),
        TestRedis::new(),
    )
}
