//! `RedisFriendRequests`: one stream entry per request, read back with `XRANGE`.

use deadpool_redis::redis;
use scrm_domain::manual::{FriendRequest, FriendRequestQueue};
use scrm_redis::{RedisFriendRequests, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

use crate::fixtures::friend_request;

type Entry = (String, Vec<(String, String)>);

/// A stream id `<ms>-<seq>` as numbers, for ordering.
fn stream_id(id: &str) -> (u64, u64) {
    let (ms, seq) = id.split_once('-').unwrap();
    (ms.parse().unwrap(), seq.parse().unwrap())
}

#[tokio::test]
async fn a_request_becomes_a_stream_entry_with_flat_fields_and_json() {
    let redis = TestRedis::new();
    let pool = build_pool(&redis.url(), &RedisSettings::default()).unwrap();
    let queue = RedisFriendRequests::new(pool, redis.prefix());
    let with_v1 = friend_request(Some("v1_abc@stranger"));
    let without_v1 = friend_request(None);
    let first = queue.enqueue(&with_v1).await.unwrap();
    let second = queue.enqueue(&without_v1).await.unwrap();
    assert!(
        stream_id(&first) < stream_id(&second),
        "{first} then {second}"
    );

    let key = format!("{}:friend_requests", redis.prefix());
    assert_eq!(redis.keys().await, vec![key.clone()]);
    let mut conn = redis.pool().get().await.unwrap();
    let entries: Vec<Entry> = redis::cmd("XRANGE")
        .arg(&key)
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    for ((id, fields), (want_id, want)) in entries
        .iter()
        .zip([(&first, &with_v1), (&second, &without_v1)])
    {
        assert_eq!(id, want_id);
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "entryId", "uin", "userName", "v1", "account", "time", "json"
            ]
        );
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).unwrap().1.clone();
        assert_eq!(field("entryId"), "42");
        assert_eq!(field("uin"), "2890123456");
        assert_eq!(field("userName"), "wxid_張三");
        assert_eq!(field("v1"), want.v1.clone().unwrap_or_default());
        assert_eq!(field("account"), "12206");
        assert_eq!(field("time"), "1700000123456");
        let back: FriendRequest = serde_json::from_str(&field("json")).unwrap();
        assert_eq!(&back, want);
    }
    let len: u64 = redis::cmd("XLEN")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(len, 2);
}
