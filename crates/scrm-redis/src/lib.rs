//! The Redis adapter of scrm: sessions (`SessionStore`), chat messages (`MessageStore`), the
//! friend-request queue of the WeChat connector (`FriendRequestQueue`) and the counts of
//! failed logins (`LoginThrottle`).
//! Every key starts with the configured prefix; every key format lives in `keys`.

mod error;
mod friend_requests;
pub mod keys;
mod messages;
mod pool;
mod sessions;
mod throttle;

pub use friend_requests::RedisFriendRequests;
pub use messages::RedisMessages;
pub use pool::{
    IDLE_CHECK, Manager, RedisConn, RedisConnection, RedisHealth, RedisPool, RedisSettings,
    build_cluster_pool, build_pool,
};
pub use sessions::RedisSessions;
pub use throttle::RedisLoginThrottle;
