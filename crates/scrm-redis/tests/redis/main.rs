//! Adapter tests of scrm-redis against the real Redis, each under its own key prefix.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod messages;
mod sessions;
