//! Adapter tests of scrm-redis against the real Redis, each under its own key prefix.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod cluster_slots;
mod down;
mod fixtures;
mod friend_requests;
mod messages;
mod paging;
mod paging_cost;
mod retention;
mod sessions;
