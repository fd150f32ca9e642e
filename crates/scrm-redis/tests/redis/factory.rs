//! Fresh stores for the contract suites: each under a key prefix of its own (a `TestRedis`,
//! whose keys go when the test ends).

use std::sync::Arc;

use scrm_domain::health::HealthProbe;
use scrm_domain::manual::FriendRequestQueue;
use scrm_domain::message::MessageStore;
use scrm_domain::session::SessionStore;
use scrm_domain::throttle::{LoginThrottle, ThrottleLimits};
use scrm_redis::{
    RedisFriendRequests, RedisHealth, RedisLoginThrottle, RedisMessages, RedisPool, RedisSessions,
    RedisSettings, build_pool,
};
use scrm_test_support::{Guarded, TestRedis};

fn pool(redis: &TestRedis) -> RedisPool {
    build_pool(&redis.url(), &RedisSettings::default()).unwrap()
}

pub async fn sessions(ttl_secs: u64) -> Guarded<dyn SessionStore> {
    let redis = TestRedis::new();
    let store = RedisSessions::new(pool(&redis), redis.prefix(), ttl_secs);
    Guarded::new(Arc::new(store), redis)
}

pub async fn throttle(limits: ThrottleLimits) -> Guarded<dyn LoginThrottle> {
    let redis = TestRedis::new();
    let throttle = RedisLoginThrottle::new(pool(&redis), redis.prefix(), limits);
    Guarded::new(Arc::new(throttle), redis)
}

pub async fn messages(cap: Option<usize>) -> Guarded<dyn MessageStore> {
    let redis = TestRedis::new();
    let store = RedisMessages::with_cap(pool(&redis), redis.prefix(), cap);
    Guarded::new(Arc::new(store), redis)
}

pub async fn friend_requests() -> Guarded<dyn FriendRequestQueue> {
    let redis = TestRedis::new();
    let queue = RedisFriendRequests::new(pool(&redis), redis.prefix());
    Guarded::new(Arc::new(queue), redis)
}

pub async fn health() -> Guarded<dyn HealthProbe> {
    let redis = TestRedis::new();
    Guarded::new(Arc::new(RedisHealth::new(pool(&redis))), redis)
}
