//! The MariaDB/MySQL adapter of scrm: a diesel-async pool, embedded migrations, the schema and
//! one repository per domain port, all implemented on [`MySql`]. Every query takes the
//! caller's scope (`scope`); every repository method runs its statements through
//! `MySql::read` or `MySql::write` (`conn`), which map driver errors to `StoreError` once, in
//! [`error`].

mod accounts;
pub mod bulk;
mod conn;
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
mod tags_and_nick_names;

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

use diesel_async::AsyncMysqlConnection;
use diesel_async::pooled_connection::deadpool::Object;
use scrm_domain::StoreError;

pub use error::MySqlError;
pub use migrate::migrate;
pub use pool::{DbPool, PoolSettings, build_pool};

/// The adapter: implements `AccountRepository`, `CustomerRepository`, `ContactRepository`,
/// `ManualEntryRepository`, `ImportRepository` and `HealthProbe` on one pool.
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

    /// A pooled connection; `what` names the operation for the log.
    async fn conn(&self, what: &str) -> Result<Object<AsyncMysqlConnection>, StoreError> {
        self.pool.get().await.map_err(|e| error::pool(e, what))
    }
}
