//! `RedisLoginThrottle` in Redis: one counter key per name and per address, named by the
//! SHA-256 of each (no login name is stored), with the window as its TTL.

use std::time::Duration;

use deadpool_redis::redis::AsyncCommands;
use scrm_domain::throttle::{Limit, LoginThrottle, ThrottleLimits};
use scrm_redis::{RedisLoginThrottle, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

#[tokio::test]
async fn counters_are_hashed_keys_under_the_prefix_that_expire_with_their_window() {
    let redis = TestRedis::new();
    let pool = build_pool(&redis.url(), &RedisSettings::default()).unwrap();
    let limits = ThrottleLimits {
        per_name: Limit::new(10, Duration::from_secs(600)),
        per_addr: Limit::new(60, Duration::from_secs(60)),
    };
    let throttle = RedisLoginThrottle::new(pool, redis.prefix(), limits);
    let name = "李 華:{x}*";
    assert_eq!(throttle.admit(name, "203.0.113.9").await.unwrap(), None);
    assert_eq!(throttle.admit(name, "203.0.113.9").await.unwrap(), None);
    let keys = redis.keys().await;
    assert_eq!(keys.len(), 2, "{keys:?}");
    let mut conn = redis.pool().get().await.unwrap();
    for (kind, window) in [("addr", 60), ("name", 600)] {
        let key = keys
            .iter()
            .find(|k| k.starts_with(&format!("{}:login:{kind}:", redis.prefix())))
            .unwrap_or_else(|| panic!("no {kind} key in {keys:?}"));
        let hash = key.rsplit(':').next().unwrap();
        assert_eq!(hash.len(), 64, "{key}");
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
        let count: u32 = conn.get(key).await.unwrap();
        assert_eq!(count, 2);
        let ttl: i64 = conn.ttl(key).await.unwrap();
        assert!((window - 5..=window).contains(&ttl), "{key}: {ttl}");
    }
    assert!(
        keys.iter()
            .all(|k| !k.contains("李") && !k.contains("203.0"))
    );
    throttle.record_success(name, "203.0.113.9").await.unwrap();
    let keys = redis.keys().await;
    assert_eq!(keys.len(), 1, "the name's counter is gone: {keys:?}");
    let count: u32 = conn.get(&keys[0]).await.unwrap();
    assert_eq!(count, 1, "the address keeps its failure");
}
