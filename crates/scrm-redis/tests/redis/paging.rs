//! `RedisMessages::page` over damaged storage: a body that cannot be decoded, or is missing,
//! is logged and skipped, and the rest of the page answers (written behind the adapter's
//! back with `HSET`/`HDEL`).

use deadpool_redis::redis::AsyncCommands;
use scrm_domain::message::MessageStore;
use scrm_test_support::TestRedis;
use scrm_test_support::contracts::messages::paging::single;

use crate::fixtures::{capture_logs, conv, ids, msg, page, page_of, store};

#[tokio::test]
async fn a_malformed_body_is_skipped_and_the_rest_of_the_page_answers() {
    let redis = TestRedis::new();
    let store = store(&redis);
    store.append(&single()).await.unwrap();
    let hash = format!("{}:chat:{{1:10}}:msg", redis.prefix());
    let mut conn = redis.pool().get().await.unwrap();
    let _: () = conn.hset(&hash, "x", "{not json").await.unwrap();
    let _: () = conn.hset(&hash, "f", r#"{"msgId": 5}"#).await.unwrap();
    let _: () = conn.hset(&hash, "e", b"\xff\xfe".as_slice()).await.unwrap();

    let (logs, guard) = capture_logs();
    let got = page_of(&store, &[conv(1, 10)], page(1, 5)).await;
    drop(guard);
    assert_eq!(ids(&got.items), ["y", "Z"], "x, f and e are skipped");
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let warnings: Vec<&str> = logs.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 3, "{logs}");
    for id in ["x", "f", "e"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("key=\"{hash}\""))
                    && w.contains(&format!("msg_id=\"{id}\""))),
            "{id}: {logs}"
        );
    }
    assert_eq!(got.total, 12, "the total counts the index");
    let next = page_of(&store, &[conv(1, 10)], page(2, 5)).await;
    assert_eq!(
        ids(&next.items),
        ["d", "c", "b", "a", "9"],
        "paging is unshifted"
    );
}

#[tokio::test]
async fn a_missing_body_is_skipped() {
    let redis = TestRedis::new();
    let store = store(&redis);
    store.append(&single()).await.unwrap();
    store.append(&[msg("other", 1, 11, 500)]).await.unwrap();
    let mut conn = redis.pool().get().await.unwrap();
    let _: () = conn
        .hdel(format!("{}:chat:{{1:10}}:msg", redis.prefix()), "x")
        .await
        .unwrap();
    let got = page_of(&store, &[conv(1, 10), conv(1, 11)], page(1, 4)).await;
    assert_eq!(ids(&got.items), ["other", "y", "Z"]);
    assert_eq!(got.total, 13);
}
