//! The MariaDB/MySQL adapter of scrm: a diesel-async pool, embedded migrations, the schema and
//! one repository per domain port, all implemented on [`MySql`]. Every query takes the
//! caller's scope (`scope`); every repository method runs its statements through
//! `MySql::read` or `MySql::write` (`conn`), which map driver errors to `StoreError` once, in
//! [`error`].

mod accounts;
mod attempt;
pub mod bulk;
mod call;
mod conn;
mod contact_index;
mod contacts;
mod customers;
mod db_time;
mod directory;
pub mod error;
mod expr;
pub mod galera;
mod health;
mod id_lists;
mod import;
mod index_source;
mod like;
mod manual;
mod migrate;
mod pool;
mod rows;
pub mod schema;
mod scope;
mod tags_json;
mod watch;

/// How customerPage's name, phone and tag searches are planned and matched (the grams, the
/// plan, the `LIKE` pattern of a "contains"), for tools that mirror the adapter's statements
/// (`make bench`'s floors).
pub mod search {
    pub use crate::customers::filtered_list::Plan;
    pub use crate::customers::grams::{
        NeedleGrams, of_digits, of_names, of_needle, of_phone_needle,
    };
    pub use crate::like::{LIKE_ESCAPE, contains};
}

use scrm_domain::StoreError;

pub use customers::derived::{Refreshed, refresh as refresh_derived};
pub use error::MySqlError;
pub use migrate::migrate;
pub use pool::{DbPool, PoolSettings, PooledConnection, ThreadPool, build_pool};
pub use watch::IDLE_CHECK;

/// The adapter: implements `AccountRepository`, `CustomerRepository`, `ContactRepository`,
/// `ManualEntryRepository`, `ImportRepository`, `CallerLookup` and `HealthProbe` on one pool.
#[derive(Clone)]
pub struct MySql {
    pool: DbPool,
}

impl std::fmt::Debug for MySql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MySql")
            .field("pool", &self.pool.status())
            .finish()
    }
}

impl MySql {
    /// The adapter over a pool (see [`build_pool`]).
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    /// The store timeout: the pool's wait timeout (`SCRM_STORE_TIMEOUT_MS`).
    fn timeout(&self) -> std::time::Duration {
        self.pool.wait_timeout()
    }

    /// A working pooled connection within the store timeout, all of it: waiting for a free
    /// one, checking idle ones (each may be dead) and opening one count against one deadline,
    /// so a hung server is `Unavailable` in time whatever the pool holds. `what` names the
    /// operation for the log.
    async fn conn(&self, what: &str) -> Result<attempt::Checkout, StoreError> {
        let limit = self.timeout();
        match tokio::time::timeout(limit, self.pool.get()).await {
            Ok(got) => got
                .map(attempt::Checkout::new)
                .map_err(|e| error::pool(e, what)),
            Err(_) => Err(error::unavailable(
                what,
                format!("no working connection within {limit:?}"),
            )),
        }
    }
}
