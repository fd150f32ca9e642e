//! `RedisMessages`: the key layout of a conversation (index and bodies under one hash tag).

use deadpool_redis::redis::AsyncCommands;
use scrm_domain::message::{ChatMessage, MessageStore};
use scrm_redis::{RedisMessages, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

use crate::fixtures::msg;

#[tokio::test]
async fn a_conversation_is_a_sorted_index_and_a_hash_of_bodies() {
    let redis = TestRedis::new();
    let pool = build_pool(&redis.url(), &RedisSettings::default()).unwrap();
    let store = RedisMessages::new(pool, redis.prefix());
    let batch = [
        msg("1", 7, 70, 1000),
        msg("2", 7, 70, 1000),
        msg("3", 7, 71, 900),
    ];
    assert_eq!(store.append(&batch).await.unwrap(), 3);
    assert_eq!(store.append(&[msg("4", 7, 70, 1100)]).await.unwrap(), 1);

    let p = redis.prefix();
    assert_eq!(
        redis.keys().await,
        vec![
            format!("{p}:chat:{{7:70}}:idx"),
            format!("{p}:chat:{{7:70}}:msg"),
            format!("{p}:chat:{{7:71}}:idx"),
            format!("{p}:chat:{{7:71}}:msg"),
        ]
    );
    let mut conn = redis.pool().get().await.unwrap();
    let ids: Vec<String> = conn
        .zrange(format!("{p}:chat:{{7:70}}:idx"), 0, -1)
        .await
        .unwrap();
    assert_eq!(ids, vec!["1", "2", "4"], "ordered by createTime then msgId");
    let json: String = conn
        .hget(format!("{p}:chat:{{7:70}}:msg"), "2")
        .await
        .unwrap();
    let back: ChatMessage = serde_json::from_str(&json).unwrap();
    assert_eq!(back, msg("2", 7, 70, 1000));
}
