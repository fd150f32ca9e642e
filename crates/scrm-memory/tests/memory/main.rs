//! Integration tests of the in-memory adapter's own tricky parts: all-or-nothing writes,
//! concurrent writers, AUTO_INCREMENT-like ids and session expiry. The behaviour every adapter
//! shares is checked by the contract suites of `scrm-test-support`.

#![expect(
    clippy::unwrap_used,
    reason = "tests: a failure should stop the test loudly"
)]

mod atomicity;
mod concurrency;
mod contracts;
mod fixture;
mod queues;
mod sessions;
