//! `Stores::warm_up`: connections opened ahead of the first requests, and nothing (quickly)
//! when a store is down.

use std::time::Duration;

use scrm_app::{Config, StoreKind, Stores};
use scrm_test_support::{TestDatabase, TestRedis};

fn config(database_url: String, redis_url: String) -> Config {
    Config {
        database_url,
        redis_url,
        store_timeout: Duration::from_millis(500),
        ..Config::default()
    }
}

fn open(stores: &Stores) -> Vec<u64> {
    stores
        .pools()
        .iter()
        .map(|p| {
            let c = p.connections();
            c.in_use + c.idle
        })
        .collect()
}

#[tokio::test]
async fn warm_up_opens_connections_of_both_pools() {
    let db = TestDatabase::create().await;
    let redis = TestRedis::new();
    let stores = Stores::new(&config(db.url().to_owned(), redis.url())).unwrap();
    assert_eq!(open(&stores), [0, 0], "nothing is opened by Stores::new");
    assert_eq!(stores.warm_up(4).await, (4, 4));
    assert_eq!(open(&stores), [4, 4], "they stay in the pools, idle");
}

#[tokio::test]
async fn warm_up_of_stores_that_are_down_or_in_memory_opens_nothing() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let stores = Stores::new(&config(
        format!("mysql://root@127.0.0.1:{closed}/scrm"),
        format!("redis://127.0.0.1:{closed}"),
    ))
    .unwrap();
    assert_eq!(stores.warm_up(4).await, (0, 0));
    let memory = Stores::new(&Config {
        store: StoreKind::Memory,
        ..Config::default()
    })
    .unwrap();
    assert_eq!(memory.warm_up(4).await, (0, 0));
}
