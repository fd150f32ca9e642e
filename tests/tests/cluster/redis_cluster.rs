//! The Redis steps (see the crate doc): the Redis contract suites of `scrm-test-support` on
//! the Redis Cluster, and `SCRM_REDIS_WAIT_REPLICAS` on chat ingest.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use scrm_domain::health::HealthProbe;
use scrm_domain::manual::FriendRequestQueue;
use scrm_domain::message::MessageStore;
use scrm_domain::session::SessionStore;
use scrm_domain::throttle::{LoginThrottle, ThrottleLimits};
use scrm_e2e::{Store, TestApp, fixture};
use scrm_redis::{
    RedisFriendRequests, RedisHealth, RedisLoginThrottle, RedisMessages, RedisPool, RedisSessions,
    RedisSettings, build_cluster_pool,
};
use scrm_test_support::Guarded;
use serde_json::json;

use crate::cluster::Cluster;

/// The seed nodes of the cluster of this run (set before the suites run).
static NODES: OnceLock<Vec<String>> = OnceLock::new();

/// A key prefix of its own for each store (the cluster goes away with the test, and its keys
/// with it).
fn prefix() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("scrm_rc{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn pool() -> RedisPool {
    let nodes = NODES.get().expect("the cluster's nodes are set");
    build_cluster_pool(nodes, &RedisSettings::default()).unwrap()
}

async fn sessions(ttl_secs: u64) -> Guarded<dyn SessionStore> {
    Guarded::new(
        Arc::new(RedisSessions::new(pool(), &prefix(), ttl_secs)),
        (),
    )
}

async fn throttle(limits: ThrottleLimits) -> Guarded<dyn LoginThrottle> {
    let throttle = RedisLoginThrottle::new(pool(), &prefix(), limits);
    Guarded::new(Arc::new(throttle), ())
}

async fn messages(cap: Option<usize>) -> Guarded<dyn MessageStore> {
    let store = RedisMessages::with_cap(pool(), &prefix(), cap);
    Guarded::new(Arc::new(store), ())
}

async fn friend_requests() -> Guarded<dyn FriendRequestQueue> {
    Guarded::new(Arc::new(RedisFriendRequests::new(pool(), &prefix())), ())
}

async fn health() -> Guarded<dyn HealthProbe> {
    Guarded::new(Arc::new(RedisHealth::new(pool())), ())
}

mod suites {
    scrm_test_support::session_contract!(@sequential super::sessions);
    scrm_test_support::throttle_contract!(@sequential super::throttle);
    scrm_test_support::message_contract!(@sequential super::messages);
    scrm_test_support::friend_queue_contract!(@sequential super::friend_requests());
    scrm_test_support::health_contract!(@sequential super::health());
}

/// Every Redis contract suite on the Redis Cluster, the suites side by side and the
/// contracts of each in turn, on a multi-threaded runtime of their own (as in the adapter's
/// test binary). A `CROSSSLOT` refusal, from the client or the server, is an error of the
/// store that fails the contract that met it.
pub fn the_redis_contracts_hold_on_the_redis_cluster(cluster: &Cluster) {
    let nodes = cluster.redis_nodes();
    assert_eq!(nodes.len(), 6, "{nodes:?}");
    NODES.set(nodes).expect("set once");
    std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            tokio::join!(
                suites::sessions::run_all(),
                suites::throttle::run_all(),
                suites::messages::run_all(),
                suites::friend_requests::run_all(),
                suites::health::run_all(),
            );
        });
    })
    .join()
    .expect("the Redis contracts hold on the cluster");
}

/// Chat ingest with `SCRM_REDIS_WAIT_REPLICAS`: with 1 (each master has one replica) it
/// answers 200 and the messages are there; with 5 (more replicas than exist) it is a 503
/// within the store timeout, and the messages sent again with 1 are taken (ingest is
/// idempotent by msgId).
pub async fn chat_ingest_waits_for_the_replicas() {
    let nodes: Vec<String> = NODES.get().expect("nodes set").clone();
    let on_cluster = |replicas: u32| {
        let nodes = nodes.clone();
        move |c: &mut scrm_app::Config| {
            c.redis_cluster_nodes = nodes;
            c.redis_wait_replicas = replicas;
            c.store_timeout = Duration::from_secs(2);
        }
    };
    const RECORD: &str = "/wechat_api/message/record";
    const PAGE: &str = "/wechat_api/message/getRedisMessageRecord";
    let batch = json!([
        {"msgId": "w1", "wechatUserId": 200, "wechatContactId": 5001, "isSend": 1, "msgType": 1, "content": "一", "createTime": 1_565_164_600_000_i64},
        {"msgId": "w2", "wechatUserId": 200, "wechatContactId": 5002, "isSend": 0, "msgType": 1, "content": "二", "createTime": 1_565_164_600_001_i64}
    ]);

    // The fixture's own chat messages would meet the same refusal when it loads.
    let mut doc = fixture();
    doc.as_object_mut()
        .unwrap()
        .remove("messages")
        .expect("the fixture has messages");
    let strict = TestApp::spawn_with(Store::MySql, doc, on_cluster(5)).await;
    let sales1 = strict.login("a_sales1").await;
    let started = std::time::Instant::now();
    let r = strict.post_json(RECORD, Some(&sales1), batch.clone()).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["code"], 503, "{}", r.text());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered within the store timeout: {:?}",
        started.elapsed()
    );

    // The same prefix (same keys), waiting for one replica: the re-sent batch is taken.
    let prefix = strict.config.redis_prefix.clone();
    let one = TestApp::spawn_with(Store::MySql, fixture(), move |c| {
        on_cluster(1)(c);
        c.redis_prefix = prefix;
    })
    .await;
    let sales1 = one.login("a_sales1").await;
    let r = one.post_json(RECORD, Some(&sales1), batch.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["data"]["received"], 2, "{}", r.text());
    let r = one.post_json(RECORD, Some(&sales1), batch).await;
    assert_eq!(r.json()["data"], json!({"received": 2, "stored": 0}));
    let r = one
        .get_query(PAGE, &sales1, &[("wechatContactIds", "5001,5002")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let ids: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["msgId"].as_str())
        .collect();
    assert!(ids.contains(&"w1") && ids.contains(&"w2"), "{ids:?}");
}
