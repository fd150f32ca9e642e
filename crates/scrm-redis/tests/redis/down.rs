//! Every operation on a Redis that is down is `StoreError::Unavailable`, within the timeouts.

use std::time::Duration;

use scrm_domain::StoreError;
use scrm_domain::health::HealthProbe;
use scrm_domain::manual::FriendRequestQueue;
use scrm_domain::message::{MessageStore, TimeRange};
use scrm_redis::{
    RedisFriendRequests, RedisHealth, RedisMessages, RedisPool, RedisSettings, build_pool,
};

use crate::fixtures::{conv, friend_request, msg, page};

fn down() -> RedisPool {
    build_pool(
        "redis://127.0.0.1:1",
        &RedisSettings {
            max_size: 2,
            timeout: Duration::from_millis(500),
        },
    )
    .unwrap()
}

fn assert_unavailable<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    let err = result.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
}

#[tokio::test]
async fn a_server_that_is_down_is_unavailable_for_messages_and_friend_requests() {
    let messages = RedisMessages::with_cap(down(), "x", Some(3));
    assert_unavailable(
        messages
            .page(&[conv(1, 2)], TimeRange::default(), page(1, 20))
            .await,
    );
    assert_unavailable(messages.append(&[msg("1", 1, 2, 1)]).await);
    let queue = RedisFriendRequests::new(down(), "x");
    assert_unavailable(queue.enqueue(&friend_request(None)).await);
}

#[tokio::test]
async fn the_probe_is_named_redis_and_fails_when_the_server_is_down() {
    let probe = RedisHealth::new(down());
    assert_eq!(probe.name(), "redis");
    assert_unavailable(probe.ping().await);
}
