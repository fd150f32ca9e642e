//! Builders shared by the tests of this binary: the stores under a test's prefix, the message
//! builders of the contract suite, and a log capture.

use std::sync::{Arc, Mutex};

use scrm_domain::manual::FriendRequest;
use scrm_domain::{AdminUserId, ManualEntryId, PageRequest};
use scrm_redis::{RedisMessages, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

pub use scrm_test_support::contracts::messages::{conv, ids, msg, page_of, range};

/// A friend request of entry 42 by the account 12206, with this `v1`.
pub fn friend_request(v1: Option<&str>) -> FriendRequest {
    FriendRequest {
        entry_id: ManualEntryId(42),
        uin: "2890123456".into(),
        user_name: "wxid_張三".into(),
        v1: v1.map(str::to_owned),
        account: AdminUserId(12206),
        time: 1_700_000_123_456,
    }
}

pub fn page(no: u32, limit: u32) -> PageRequest {
    PageRequest::new(no, limit).unwrap()
}

/// A store keeping everything, under the test's prefix.
pub fn store(redis: &TestRedis) -> RedisMessages {
    store_with_cap(redis, None)
}

pub fn store_with_cap(redis: &TestRedis, cap: Option<usize>) -> RedisMessages {
    let pool = build_pool(&redis.url(), &RedisSettings::default()).unwrap();
    RedisMessages::with_cap(pool, redis.prefix(), cap)
}

/// Collects the log lines written while the returned guard lives (this thread only, so use
/// it from a current-thread test runtime, which `#[tokio::test]` is).
pub fn capture_logs() -> (Arc<Mutex<Vec<u8>>>, tracing::subscriber::DefaultGuard) {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = Arc::clone(&buffer);
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || Sink(Arc::clone(&writer)))
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
