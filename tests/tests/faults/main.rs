//! Fault tests of the real scrm server: each test starts its own `redis-server` and `mariadbd`
//! (never the shared ones) on free ports, runs scrm in this process over them with 1 s store
//! timeouts, then stops, kills, freezes or restarts a store under it. What each proves:
//!
//! - `stopped::a_stopped_redis_is_503_and_a_fresh_login_works_once_it_is_back`: with Redis
//!   stopped, a request needing a session and a login are a 503 in the envelope within 2 s,
//!   `/readyz` is 503 naming `redis: down` (`mysql: up`), `/healthz` 200; Redis restarted
//!   (empty: no persistence), a fresh login works within 5 s and the old token is a 401.
//! - `stopped::a_stopped_mariadb_is_503_and_the_data_is_served_once_it_is_back`: with MariaDB
//!   stopped, customerPage is a 503 within 2 s and `/readyz` names `mysql: down`; restarted
//!   on the same data directory, the same page is served within 5 s with the same session.
//! - `hung::a_hung_redis_…`, `hung::a_hung_mariadb_…` and `hung::a_hung_mariadb_after_a_restart_…`:
//!   from a fresh pool (8 idle connections per store, as `scrm serve` opens) or after a
//!   MariaDB restart, a SIGSTOPped store (connections are accepted, nothing answers) makes
//!   every customerPage a 503 in the envelope within the store timeout plus 0.6 s, four one at
//!   a time and six at once; `/readyz` names the store down (the other up) within the same
//!   bound, `/healthz` answers at once; after SIGCONT the same session is served within 5 s.
//! - `hung::a_write_whose_trigger_flush_meets_a_hung_mariadb_is_503_within_the_timeout`: a
//!   delete handed a `customer` whose triggers failed to load closes the tables that have
//!   triggers before it runs again; MariaDB frozen during that flush makes it a 503 within the
//!   same bound, nothing deleted, and the same delete succeeds once MariaDB resumes.
//! - `hung::requests_in_flight_when_…_hangs_answer_in_time`: four clients in a loop while the
//!   store freezes under them for 4 s: every request, those in flight included, is a 200 or a
//!   503 within the same bound, and the service answers 200 once the store resumes.
//! - `cold_start::a_server_started_while_mariadb_is_down_recovers_once_it_is_up`: scrm
//!   starts over a stopped MariaDB (`/healthz` 200, `/readyz` 503, a login 503), and once
//!   MariaDB is up its background migrations apply within 10 s: the fixture loads, `/readyz`
//!   is 200, a login and customerPage work.
//! - `no_loss::messages_acknowledged_around_a_redis_crash_are_all_kept`: chat ingest in a
//!   loop while a durable Redis (`appendfsync always`) is SIGKILLed and restarted: every call
//!   is a 200 or a 5xx within 4 s, and every message of every 200 is readable afterwards.
//! - `no_loss::an_update_cut_off_by_a_mariadb_crash_is_all_or_nothing`: updateCustomer
//!   (remarks and tags, which differ between consecutive updates) from four concurrent
//!   clients while MariaDB is SIGKILLed, three times: every call is a 200 or a 5xx within
//!   4 s, and after the restart the customer holds the remarks and tags of one complete
//!   update, never a mix; an update acknowledged just before a crash survives it.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests: a broken environment or a failed step should stop the test loudly"
)]

mod app;
mod cold_start;
mod hung;
mod no_loss;
mod servers;
mod stopped;

/// The customer ids of a customerPage reply, in order.
fn ids(reply: &app::Reply) -> Vec<i64> {
    reply.json()["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data array: {}", reply.text()))
        .iter()
        .filter_map(|c| c["customerId"].as_i64())
        .collect()
}
