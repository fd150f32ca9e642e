//! Test support for scrm (a dev-dependency only): every test owns its data, and every adapter
//! of a port runs the same contract suite.
//!
//! # Private data
//!
//! [`TestDatabase`] is a fresh MariaDB database with a unique name, dropped when the test
//! ends; [`TestRedis`] is a unique key prefix whose keys are deleted when the test ends.
//! Nothing here touches data a test did not create. The servers come from
//! `SCRM_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`) and `SCRM_TEST_REDIS_URL`
//! (default `redis://127.0.0.1:6379`); a test's direct reads and writes may go through another
//! node of the same cluster, `SCRM_TEST_MYSQL_READ_URL` (default: the first), and
//! `SCRM_TEST_REDIS_CLUSTER_NODES` puts the keys on a Redis Cluster instead (the cluster test
//! sets all three for the end-to-end suite it runs on its clusters). A server URL may end in
//! options (`mysql://root@127.0.0.1:4000?prefer_socket=false`).
//!
//! # Contract suites
//!
//! [`contracts`] holds one suite per port of `scrm-domain`: async functions that take a
//! factory of fresh, empty stores and check behaviour only through the port (the relational
//! suites load their fixture through `ImportRepository`). A macro per suite expands to one
//! `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]` per function, so an
//! adapter's test binary runs a whole suite in one line:
//!
//! ```ignore
//! // tests/<adapter>/contracts.rs
//! scrm_test_support::relational_contract!(crate::factory::relational());
//! scrm_test_support::session_contract!(crate::factory::sessions);
//! scrm_test_support::throttle_contract!(crate::factory::throttle);
//! scrm_test_support::message_contract!(crate::factory::messages);
//! scrm_test_support::friend_queue_contract!(crate::factory::friend_requests());
//! scrm_test_support::health_contract!(crate::factory::health());
//! ```
//!
//! The factories, written once per adapter, give a new store that no other test sees (a
//! closure such as `|ttl| factory::sessions(ttl, "x")` works where a path is shown):
//!
//! | macro | factory expression | evaluates to |
//! | --- | --- | --- |
//! | [`relational_contract!`] | a future | [`contracts::RelationalPorts`] |
//! | [`session_contract!`] | a callable `Fn(u64) -> Future` (`ttl_secs`): an async fn's path or a closure | [`contracts::Guarded`]`<dyn SessionStore>` |
//! | [`throttle_contract!`] | a callable `Fn(ThrottleLimits) -> Future`, likewise | `Guarded<dyn LoginThrottle>` |
//! | [`message_contract!`] | a callable `Fn(Option<usize>) -> Future` (retention cap), likewise | `Guarded<dyn MessageStore>` |
//! | [`friend_queue_contract!`] | a future | `Guarded<dyn FriendRequestQueue>` |
//! | [`health_contract!`] | a future | `Guarded<dyn HealthProbe>` |
//!
//! A `Guarded` (and `RelationalPorts`) carries a guard that keeps the backing data alive for
//! the test, such as a [`TestDatabase`] or a [`TestRedis`]; an in-memory adapter passes `()`.
//! For example, with MariaDB:
//!
//! ```ignore
//! pub async fn relational() -> RelationalPorts {
//!     let db = TestDatabase::create().await;
//!     scrm_mysql::migrate(db.url()).await.unwrap();
//!     let pool = scrm_mysql::build_pool(db.url(), &PoolSettings::default()).unwrap();
//!     RelationalPorts::of(Arc::new(MySql::new(pool)), db)
//! }
//! ```
//!
//! An adapter whose one type implements all five relational ports and needs no cleanup
//! passes `()` as the guard: `RelationalPorts::of(Arc::new(Memory::default()), ())`.
//!
//! The test binary needs `tokio` (features `macros`, `rt-multi-thread`) as a dev-dependency.
//! Each macro wraps its tests in a module named after the suite (for example
//! `relational::customers_list::each_filter_alone`, `sessions::contract::..`), so one test
//! binary can run several suites. Keep behaviour checks in the suites (a new contract
//! function is also listed in its macro; a unit test here fails when one is forgotten); an
//! adapter's own tests keep only what is specific to its technology (key layout, migrations,
//! pools, storage columns, servers that are down).

mod gram_drift;
mod macros;
mod process;
mod test_database;
mod test_redis;
mod triggers;

pub mod contracts;

pub use contracts::{Guarded, RelationalPorts};

/// What the macros of this crate name, so an adapter's test binary needs no more
/// dependencies than `tokio`.
#[doc(hidden)]
pub mod __private {
    pub use scrm_domain;
}
pub use gram_drift::{name_gram_drift, phone_gram_drift};
pub use process::ends_with_spawning_thread;
pub use test_database::TestDatabase;
pub use test_redis::TestRedis;
pub use triggers::cache_customer_with_broken_triggers;

/// Runs the future `make` gives to completion on a thread and runtime of its own, so a `Drop`
/// that cleans up works inside any runtime; what it answers is dropped.
fn on_own_runtime<T: Send + 'static, F: Future<Output = Option<T>>>(
    make: impl FnOnce() -> F + Send + 'static,
) {
    let done = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(make())
    });
    let _ = done.join();
}

/// The MariaDB server tests use, without a database name.
pub fn mysql_server_url() -> String {
    std::env::var("SCRM_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned())
}

/// The MariaDB server a test's direct reads and writes go through (its fixture, imports,
/// checks in SQL): `SCRM_TEST_MYSQL_READ_URL`, by default the server of
/// [`mysql_server_url`]. The cluster test points it at another Galera node than the one the
/// server under test uses.
pub fn mysql_direct_server_url() -> String {
    std::env::var("SCRM_TEST_MYSQL_READ_URL").unwrap_or_else(|_| mysql_server_url())
}

/// The Redis server tests use.
pub fn redis_url() -> String {
    std::env::var("SCRM_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// The nodes of a Redis Cluster the tests' servers use instead of [`redis_url`]'s server,
/// `SCRM_TEST_REDIS_CLUSTER_NODES` (`host:port,...`, as `SCRM_REDIS_CLUSTER_NODES`); empty
/// when unset (the cluster test sets it for the end-to-end suite it runs on the clusters).
pub fn redis_cluster_nodes() -> Vec<String> {
    std::env::var("SCRM_TEST_REDIS_CLUSTER_NODES")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}
