//! Integration tests of the MySQL adapter against the real MariaDB, each test with a fresh
//! database of its own. The behaviour of the ports is checked by the contract suites of
//! `scrm-test-support` (`contracts`); the modules beside it hold what is MySQL-specific:
//! migrations and indexes, the pool and an unreachable server, the statement time limit,
//! storage columns and rollback.

#![expect(
    clippy::unwrap_used,
    reason = "tests: a failure should stop the test loudly"
)]

mod bulk;
mod contracts;
mod counts;
mod factory;
mod grams;
mod index_source;
mod limit;
mod migrations;
mod refresh;
mod storage;
mod store;
