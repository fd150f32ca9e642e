//! The pool: a connection killed by the server is replaced, and a read (here a session
//! lookup) runs once more on a new connection instead of failing; an operation that must not
//! run twice fails once and the next one works.

use std::time::Duration;

use deadpool_redis::redis;
use scrm_domain::manual::FriendRequestQueue;
use scrm_domain::session::{SessionData, SessionStore};
use scrm_domain::{AdminUserId, StoreError};
use scrm_redis::{RedisFriendRequests, RedisPool, RedisSessions, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

use crate::fixtures::friend_request;

fn one_connection(redis: &TestRedis) -> RedisPool {
    build_pool(
        &redis.url(),
        &RedisSettings {
            max_size: 1,
            timeout: Duration::from_secs(2),
        },
    )
    .unwrap()
}

/// Kills the one connection `pool` holds (only that one: by its client id).
async fn kill_pooled(redis: &TestRedis, pool: &RedisPool) {
    let id: i64 = {
        let mut conn = pool.get().await.unwrap();
        redis::cmd("CLIENT")
            .arg("ID")
            .query_async(&mut *conn)
            .await
            .unwrap()
    };
    let mut admin = redis.pool().get().await.unwrap();
    let killed: i64 = redis::cmd("CLIENT")
        .arg("KILL")
        .arg("ID")
        .arg(id)
        .query_async(&mut admin)
        .await
        .unwrap();
    assert_eq!(killed, 1);
}

#[tokio::test]
async fn a_read_on_a_killed_connection_runs_once_more_on_a_new_one() {
    let redis = TestRedis::new();
    let pool = one_connection(&redis);
    let sessions = RedisSessions::new(pool.clone(), redis.prefix(), 600);
    let data = SessionData {
        admin_user_id: AdminUserId(7),
        tenant_id: AdminUserId(7),
    };
    let token = sessions.create(data).await.unwrap();
    for _ in 0..2 {
        kill_pooled(&redis, &pool).await;
        // Used a moment ago, the dead connection is handed out unchecked; the lookup fails on
        // it and runs again on a new one.
        assert_eq!(sessions.get(&token).await.unwrap(), Some(data));
    }
}

#[tokio::test]
async fn a_queue_entry_on_a_killed_connection_fails_once_and_the_next_works() {
    let redis = TestRedis::new();
    let pool = one_connection(&redis);
    let queue = RedisFriendRequests::new(pool.clone(), redis.prefix());
    let request = friend_request(None);
    queue.enqueue(&request).await.unwrap();
    kill_pooled(&redis, &pool).await;
    // Not run twice (the entry could be queued twice): unavailable, the connection dropped.
    let err = queue.enqueue(&request).await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    queue.enqueue(&request).await.unwrap();
    let mut conn = redis.pool().get().await.unwrap();
    let len: u64 = redis::cmd("XLEN")
        .arg(format!("{}:friend_requests", redis.prefix()))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(len, 2, "the failed one is not queued");
}
