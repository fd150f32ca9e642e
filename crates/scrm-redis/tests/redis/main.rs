//! Adapter tests of scrm-redis against the real Redis, each under its own key prefix.

mod messages;
mod sessions;
