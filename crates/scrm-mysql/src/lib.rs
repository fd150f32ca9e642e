//! The MariaDB/MySQL adapter of scrm: a diesel-async pool, embedded migrations, the schema and
//! one repository per domain port, all implemented on [`MySql`]. Every query takes the
//! caller's scope; driver errors are mapped to `StoreError` once, in [`error`].

mod accounts;
pub mod bulk;
mod contacts;
mod customers;
pub mod error;
mod expr;
mod health;
mod import;
mod index_source;
mod manual;
mod migrate;
mod pool;
mod rows;
pub mod schema;
mod side;
mod support;

/// How customerPage's name and tag searches are planned, for tools that mirror the adapter's
/// statements (`make bench`'s floors).
pub mod search {
    pub use crate::customers::grams::{
        NeedleGrams, of_digits, of_names, of_needle, of_phone_needle,
    };
    pub use crate::customers::listed::Plan;
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
