//! A `scrm` instance of the cluster tests: the real server over the given database URL and a
//! Redis prefix shared with the other instance, as a `TestApp` (its HTTP helpers).

use std::time::Duration;

use scrm_app::{Config, StoreKind};
use scrm_e2e::{Store, TestApp};
use scrm_test_support::{TestDatabase, TestRedis};

/// The configuration of an instance on `database_url`, its Redis keys under `redis`'s prefix.
pub fn config(database_url: String, redis: &TestRedis) -> Config {
    Config {
        store: StoreKind::MySql,
        database_url,
        redis_url: redis.url(),
        redis_prefix: redis.prefix().to_owned(),
        store_timeout: Duration::from_secs(2),
        ..Config::default()
    }
}

/// Serves over stores already opened (and so migrated); `redis` is the prefix it uses (its
/// keys go when it is dropped).
pub fn serve(config: Config, stores: scrm_app::Stores, redis: TestRedis) -> TestApp {
    // The database lives on the Galera cluster, which goes away with the test; the shared
    // server only had its name reserved.
    TestApp::serving(Store::MySql, config, stores, TestDatabase::unborn(), redis)
}
