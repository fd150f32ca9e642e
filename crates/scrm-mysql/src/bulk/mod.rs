//! Bulk loading for `scrm seed --customers N`: one connection per table, each running one
//! `LOAD DATA LOCAL INFILE` whose "file" is a stream of tab-separated chunks the caller sends
//! while it generates them, so generation and loading overlap and nothing is written to disk.
//!
//! The tables must be empty: the sessions set `unique_checks = 0` and `foreign_key_checks = 0`,
//! which lets InnoDB (MariaDB 10.6 and later) load an empty table as one bulk operation and
//! build its indexes by sorting at the end instead of row by row. Uniqueness is then the
//! caller's promise, not checked.
//!
//! The format is `LOAD DATA`'s default: fields separated by a tab, rows ended by `\n`, `\`
//! escapes, `\N` for NULL (see [`Tsv`]).

use bytes::Bytes;
use futures_util::StreamExt;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Chunks buffered per table before the generator waits for the server.
const QUEUED_CHUNKS: usize = 4;

/// What bulk loading can fail with.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// The database URL cannot be used.
    #[error("bad database url: {0}")]
    Url(String),
    /// The server or a statement failed.
    #[error("{0}")]
    Driver(#[from] mysql_async::Error),
    /// The loader of a table stopped before its data was sent (its error says why).
    #[error("the load of table {0} stopped early")]
    Stopped(&'static str),
    /// A table to load already holds rows.
    #[error("table {0} is not empty: seed at scale into a new database")]
    NotEmpty(&'static str),
    /// The load of a table failed.
    #[error("loading table {table}: {source}")]
    Load {
        table: &'static str,
        source: mysql_async::Error,
    },
    /// A loader task panicked or was cancelled.
    #[error("the load of table {0} was aborted")]
    Aborted(&'static str),
}

pub use crate::customers::grams::{of_digits as phone_grams, of_names as name_grams};
pub use scrm_domain::search::spellings_of as spellings;

/// A table and the columns its rows give, in order.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub table: &'static str,
    pub columns: &'static [&'static str],
}

pub mod tables;
mod tsv;

pub use tsv::Tsv;

/// Opens a connection with `LOCAL INFILE` allowed.
async fn connect(url: &str) -> Result<Conn, BulkError> {
    let opts = Opts::from_url(url).map_err(|e| BulkError::Url(e.to_string()))?;
    let mut conn = Conn::new(opts).await?;
    // A table's stream may stay idle while others are generated: the server must wait.
    // `@scrm_bulk_load` keeps the change-log triggers quiet for this session (migration
    // 2026-12-07-000002): `after_load` logs every loaded customer once instead.
    conn.query_drop(
        "SET SESSION unique_checks = 0, foreign_key_checks = 0, \
         net_read_timeout = 3600, net_write_timeout = 3600, @scrm_bulk_load = 1",
    )
    .await?;
    Ok(conn)
}

/// Runs statements one after the other on one connection (after a load: counters, ANALYZE).
///
/// # Errors
/// When the server cannot be reached or a statement fails.
pub async fn execute(url: &str, statements: &[&str]) -> Result<(), BulkError> {
    let mut conn = connect(url).await?;
    for s in statements {
        conn.query_drop(*s).await?;
    }
    conn.disconnect().await?;
    Ok(())
}

/// Fails unless every table of a seed at scale (and `customer_count`) is missing or empty, so
/// a seed never migrates nor writes into a database that holds data. A missing database is
/// empty.
///
/// # Errors
/// `NotEmpty` naming the first table with rows, or a driver error.
pub async fn ensure_empty(url: &str) -> Result<(), BulkError> {
    let opts = Opts::from_url(url).map_err(|e| BulkError::Url(e.to_string()))?;
    let db = opts
        .db_name()
        .map(str::to_owned)
        .ok_or_else(|| BulkError::Url(format!("no database name in {url}")))?;
    let mut conn =
        Conn::new(mysql_async::OptsBuilder::from_opts(opts).db_name(None::<String>)).await?;
    let present: Vec<String> = conn
        .exec(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
            (db.as_str(),),
        )
        .await?;
    let names = tables::ALL
        .iter()
        .map(|t| t.table)
        .chain(["customer_count"]);
    for table in names.filter(|t| present.iter().any(|p| p == t)) {
        let any: Option<i64> = conn
            .query_first(format!("SELECT 1 FROM `{db}`.`{table}` LIMIT 1"))
            .await?;
        if any.is_some() {
            return Err(BulkError::NotEmpty(table));
        }
    }
    conn.disconnect().await?;
    Ok(())
}

/// After a load: fills the per-account customer counts, logs every loaded customer, contact
/// and hand-entered manual entry once in the index's change log (the load's own sessions did not:
/// an instance that was running during the load re-reads them; one started later reads the
/// log from its head) and refreshes index statistics.
///
/// # Errors
/// When a statement fails.
pub async fn after_load(url: &str) -> Result<(), BulkError> {
    let analyze = format!(
        "ANALYZE TABLE {}, `customer_count`",
        tables::ALL.map(|t| format!("`{}`", t.table)).join(", ")
    );
    execute(
        url,
        &[
            "INSERT INTO customer_count (tenant_id, admin_user_id, live, binned) \
             SELECT tenant_id, admin_user_id, SUM(deleted_at IS NULL), SUM(deleted_at IS NOT NULL) \
             FROM customer GROUP BY tenant_id, admin_user_id",
            "INSERT INTO customer_change (tenant_id, customer_id) SELECT tenant_id, id FROM customer",
            "INSERT INTO customer_change (tenant_id, contact_id) SELECT tenant_id, id FROM wechat_contact",
            "INSERT INTO customer_change (tenant_id, manual_entry_id) \
             SELECT tenant_id, id FROM manual_entry WHERE task_id = -1",
            &analyze,
        ],
    )
    .await
}

/// The `LOAD DATA` statement of a table (also what a file-based load runs, with a path).
pub fn load_statement(spec: &TableSpec, file: &str) -> String {
    let columns = spec
        .columns
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "LOAD DATA LOCAL INFILE '{}' INTO TABLE `{}` CHARACTER SET utf8mb4 ({columns})",
        file.replace('\\', "\\\\").replace('\'', "\\'"),
        spec.table
    )
}

/// Loads of several tables running at once, fed by [`Loader::send`].
#[derive(Debug)]
pub struct Loader {
    feeds: Vec<(TableSpec, mpsc::Sender<Bytes>)>,
    tasks: Vec<(TableSpec, JoinHandle<Result<u64, BulkError>>)>,
}

impl Loader {
    /// Opens a connection per table and starts its `LOAD DATA`.
    ///
    /// # Errors
    /// When a connection cannot be opened.
    pub async fn start(url: &str, tables: &[TableSpec]) -> Result<Self, BulkError> {
        let mut feeds = Vec::with_capacity(tables.len());
        let mut tasks = Vec::with_capacity(tables.len());
        for spec in tables {
            let mut conn = connect(url).await?;
            let (tx, rx) = mpsc::channel::<Bytes>(QUEUED_CHUNKS);
            let rx = std::sync::Mutex::new(rx);
            conn.set_infile_handler(async move {
                let rx = rx
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let stream = futures_util::stream::unfold(rx, |mut rx| async move {
                    rx.recv().await.map(|chunk| (Ok(chunk), rx))
                });
                Ok(stream.boxed())
            });
            let statement = load_statement(spec, spec.table);
            let table = spec.table;
            let task = tokio::spawn(async move {
                let load = async {
                    conn.query_drop(statement).await?;
                    let rows = conn.affected_rows();
                    conn.disconnect().await?;
                    Ok(rows)
                };
                load.await
                    .map_err(|source| BulkError::Load { table, source })
            });
            feeds.push((*spec, tx));
            tasks.push((*spec, task));
        }
        Ok(Self { feeds, tasks })
    }

    /// Sends a chunk of whole rows to the load of `table` (waits while the server is behind).
    ///
    /// # Errors
    /// `Stopped` when that load already ended (finish it to learn why).
    ///
    /// # Panics
    /// Never: an unknown table is a bug reported as `Stopped`.
    pub async fn send(&self, table: &'static str, chunk: Bytes) -> Result<(), BulkError> {
        let (_, tx) = self
            .feeds
            .iter()
            .find(|(spec, _)| spec.table == table)
            .ok_or(BulkError::Stopped(table))?;
        tx.send(chunk).await.map_err(|_| BulkError::Stopped(table))
    }

    /// Ends every stream and waits for the loads to commit; the rows loaded per table.
    ///
    /// # Errors
    /// The first failed load's error.
    pub async fn finish(self) -> Result<Vec<(&'static str, u64)>, BulkError> {
        drop(self.feeds);
        let mut loaded = Vec::with_capacity(self.tasks.len());
        let mut first_error = None;
        for (spec, task) in self.tasks {
            match task.await {
                Ok(Ok(rows)) => loaded.push((spec.table, rows)),
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(_) => {
                    first_error.get_or_insert(BulkError::Aborted(spec.table));
                }
            }
        }
        first_error.map_or(Ok(loaded), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_and_null_is_backslash_n() {
        let mut t = Tsv::new();
        t.int(7).text("a\tb\\c\nd").opt(None).text("王").end();
        assert_eq!(t.rows(), 1);
        assert_eq!(&t.take()[..], "7\ta\\tb\\\\c\\nd\t\\N\t王\n".as_bytes());
        assert!(t.is_empty());
    }

    #[test]
    fn the_statement_names_table_columns_and_charset() {
        let spec = TableSpec {
            table: "tag",
            columns: &["id", "name"],
        };
        assert_eq!(
            load_statement(&spec, "/tmp/it's.tsv"),
            "LOAD DATA LOCAL INFILE '/tmp/it\\'s.tsv' INTO TABLE `tag` CHARACTER SET utf8mb4 (`id`, `name`)"
        );
    }
}
