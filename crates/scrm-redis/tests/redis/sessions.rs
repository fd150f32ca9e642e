//! `RedisSessions` in Redis: only the SHA-256 of a token is stored, under the prefix; a server
//! that is down is unavailable.

use deadpool_redis::redis::AsyncCommands;
use scrm_domain::AdminUserId;
use scrm_domain::session::{SessionData, SessionStore};
use scrm_redis::{RedisSessions, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

fn data() -> SessionData {
    SessionData {
        admin_user_id: AdminUserId(12206),
        tenant_id: AdminUserId(11855),
    }
}

fn store(redis: &TestRedis, ttl: u64) -> RedisSessions {
    let pool = build_pool(&redis.url(), &RedisSettings::default()).unwrap();
    RedisSessions::new(pool, redis.prefix(), ttl)
}

#[tokio::test]
async fn a_session_round_trips_and_only_the_token_hash_is_stored() {
    let redis = TestRedis::new();
    let sessions = store(&redis, 600);
    let token = sessions.create(data()).await.unwrap();
    assert_eq!(token.len(), 64, "256 random bits, hex");
    assert_eq!(sessions.get(&token).await.unwrap(), Some(data()));
    let session_prefix = format!("{}:session:", redis.prefix());
    let all = redis.keys().await;
    let keys: Vec<&String> = all
        .iter()
        .filter(|k| k.starts_with(&session_prefix))
        .collect();
    assert_eq!(keys.len(), 1);
    assert_eq!(
        all.len(),
        2,
        "the session and its account's index ({}:account_sessions:12206): {all:?}",
        redis.prefix()
    );
    assert!(!keys[0].contains(&token), "the token itself is never a key");
    let mut conn = redis.pool().get().await.unwrap();
    let stored: String = conn.get(keys[0]).await.unwrap();
    assert!(!stored.contains(&token));
    let ttl: i64 = conn.ttl(keys[0]).await.unwrap();
    assert!(
        (590..=600).contains(&ttl),
        "the idle expiry is the key's TTL ({ttl})"
    );
    sessions.delete(&token).await.unwrap();
    assert!(
        redis.keys().await.is_empty(),
        "delete removes the key and its index entry"
    );
}

#[tokio::test]
async fn a_server_that_is_down_is_unavailable() {
    let pool = build_pool(
        "redis://127.0.0.1:1",
        &RedisSettings {
            max_size: 2,
            timeout: std::time::Duration::from_millis(500),
        },
    )
    .unwrap();
    let sessions = RedisSessions::new(pool, "x", 60);
    let err = sessions.get(&"a".repeat(64)).await.unwrap_err();
    assert!(
        matches!(err, scrm_domain::StoreError::Unavailable(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_account_index_outlives_its_sessions_without_a_renewal_per_lookup() {
    let redis = TestRedis::new();
    let sessions = store(&redis, 2);
    let token = sessions.create(data()).await.unwrap();
    let index = format!("{}:account_sessions:12206", redis.prefix());
    let mut conn = redis.pool().get().await.unwrap();
    let ttl: i64 = conn.ttl(&index).await.unwrap();
    assert!((3..=4).contains(&ttl), "two session lifetimes ({ttl})");
    // A lookup soon after does not touch the index (one round trip: GETEX): drop the index
    // behind the store's back, and it stays gone.
    let _: () = conn.del(&index).await.unwrap();
    assert_eq!(sessions.get(&token).await.unwrap(), Some(data()));
    let exists: bool = conn.exists(&index).await.unwrap();
    assert!(!exists, "not renewed on every lookup");
    // Past half a lifetime, a lookup renews it, and puts the session back into it.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(sessions.get(&token).await.unwrap(), Some(data()));
    let ttl: i64 = conn.ttl(&index).await.unwrap();
    assert!((3..=4).contains(&ttl), "renewed for two lifetimes ({ttl})");
    sessions.delete_account(AdminUserId(12206)).await.unwrap();
    assert_eq!(sessions.get(&token).await.unwrap(), None, "logout ends it");
}
