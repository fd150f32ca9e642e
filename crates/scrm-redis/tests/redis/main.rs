//! Integration tests of scrm-redis against the real Redis, each under its own key prefix. The
//! behaviour of the ports is checked by the contract suites of `scrm-test-support`
//! (`contracts`); the modules beside it hold what is Redis-specific: key layout and cluster
//! slots, the cost of a page, damaged stored bodies, trimming, the login counters, and a
//! server that is down.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod cluster_slots;
mod contracts;
mod down;
mod factory;
mod fixtures;
mod friend_requests;
mod messages;
mod paging;
mod paging_cost;
mod pool;
mod retention;
mod sessions;
mod throttle;
