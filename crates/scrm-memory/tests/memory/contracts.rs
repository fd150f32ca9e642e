//! The contract suites of `scrm-test-support`, run against the in-memory adapters: every test
//! gets fresh stores from the factories below.

use std::sync::Arc;

use scrm_domain::health::HealthProbe;
use scrm_domain::manual::FriendRequestQueue;
use scrm_domain::message::MessageStore;
use scrm_domain::session::SessionStore;
use scrm_domain::throttle::{LoginThrottle, ThrottleLimits};
use scrm_memory::{Memory, MemoryLoginThrottle, MemorySessions};
use scrm_test_support::{Guarded, RelationalPorts};

async fn relational() -> RelationalPorts {
    RelationalPorts::of(Arc::new(Memory::new()), ())
}

async fn sessions(ttl_secs: u64) -> Guarded<dyn SessionStore> {
    Guarded::new(Arc::new(MemorySessions::new(ttl_secs)), ())
}

async fn throttle(limits: ThrottleLimits) -> Guarded<dyn LoginThrottle> {
    Guarded::new(Arc::new(MemoryLoginThrottle::new(limits)), ())
}

async fn messages(cap: Option<usize>) -> Guarded<dyn MessageStore> {
    Guarded::new(Arc::new(Memory::with_message_cap(cap)), ())
}

async fn friend_requests() -> Guarded<dyn FriendRequestQueue> {
    Guarded::new(Arc::new(Memory::new()), ())
}

async fn health() -> Guarded<dyn HealthProbe> {
    Guarded::new(Arc::new(Memory::new()), ())
}

scrm_test_support::relational_contract!(relational());
scrm_test_support::session_contract!(sessions);
scrm_test_support::throttle_contract!(throttle);
scrm_test_support::message_contract!(messages);
scrm_test_support::friend_queue_contract!(friend_requests());
scrm_test_support::health_contract!(health());
