//! Retention in Redis: the trimming script removes from the index and the hash alike, and
//! takes a large excess (a cap lowered below a long history) in chunks.

use deadpool_redis::redis::AsyncCommands;
use scrm_domain::message::MessageStore;
use scrm_test_support::TestRedis;

use crate::fixtures::{msg, store, store_with_cap};

/// The msgIds in a conversation's index (oldest first) and in its hash (sorted).
async fn stored(redis: &TestRedis, user: i64, contact: i64) -> (Vec<String>, Vec<String>) {
    let p = redis.prefix();
    let mut conn = redis.pool().get().await.unwrap();
    let index: Vec<String> = conn
        .zrange(format!("{p}:chat:{{{user}:{contact}}}:idx"), 0, -1)
        .await
        .unwrap();
    let mut hash: Vec<String> = conn
        .hkeys(format!("{p}:chat:{{{user}:{contact}}}:msg"))
        .await
        .unwrap();
    hash.sort();
    (index, hash)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn the_index_and_the_hash_are_trimmed_alike() {
    let redis = TestRedis::new();
    let store = store_with_cap(&redis, Some(3));
    let batch: Vec<_> = [("a", 5), ("b", 1), ("c", 4), ("d", 2), ("e", 3)]
        .iter()
        .map(|(id, t)| msg(id, 1, 10, *t))
        .collect();
    assert_eq!(store.append(&batch).await.unwrap(), 5, "all five were new");
    let (index, hash) = stored(&redis, 1, 10).await;
    assert_eq!(
        index,
        strings(&["e", "c", "a"]),
        "the newest three, by createTime"
    );
    assert_eq!(
        hash,
        strings(&["a", "c", "e"]),
        "the hash keeps the same three"
    );

    // A newer message pushes the oldest out of both keys.
    let more = [msg("f", 1, 10, 6), msg("z", 1, 11, 1)];
    assert_eq!(store.append(&more).await.unwrap(), 2);
    assert_eq!(stored(&redis, 1, 10).await.0, strings(&["c", "a", "f"]));
    assert_eq!(stored(&redis, 1, 10).await.1, strings(&["a", "c", "f"]));
    assert_eq!(
        stored(&redis, 1, 11).await,
        (strings(&["z"]), strings(&["z"]))
    );
}

#[tokio::test]
async fn equal_create_times_go_in_msg_id_order_and_large_excess_goes_in_chunks() {
    let redis = TestRedis::new();
    // Written without a cap: 2,500 messages, 500 of them at one createTime.
    let history: Vec<_> = (0..2500)
        .map(|i| msg(&format!("m{i:04}"), 2, 20, 1000 + (i / 500).max(1)))
        .collect();
    assert_eq!(store(&redis).append(&history).await.unwrap(), 2500);

    // Then a cap of 10 (far below, so the script removes more than one chunk).
    let capped = store_with_cap(&redis, Some(10));
    assert_eq!(capped.append(&[msg("new", 2, 20, 9999)]).await.unwrap(), 1);
    let (index, hash) = stored(&redis, 2, 20).await;
    let mut want: Vec<String> = (2491..2500).map(|i| format!("m{i:04}")).collect();
    want.push("new".to_owned());
    assert_eq!(index, want);
    want.sort();
    assert_eq!(hash, want);
}
