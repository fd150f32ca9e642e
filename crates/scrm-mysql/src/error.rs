//! Errors of the adapter and their mapping, done once here: a store that cannot be reached is
//! `StoreError::Unavailable`, anything else `StoreError::Unexpected` (logged with context).

use diesel::result::{ConnectionError, DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::PoolError as ManagerError;
use diesel_async::pooled_connection::deadpool::PoolError;
use scrm_domain::StoreError;

/// What building the pool or migrating can fail with.
#[derive(Debug, thiserror::Error)]
pub enum MySqlError {
    /// The database URL cannot be used.
    #[error("bad database url: {0}")]
    Url(String),
    /// The pool could not be built.
    #[error("cannot build the connection pool: {0}")]
    Pool(#[from] diesel_async::pooled_connection::deadpool::BuildError),
    /// The server could not be reached.
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] ConnectionError),
    /// A statement failed.
    #[error("database statement failed: {0}")]
    Query(#[from] DieselError),
    /// The migration lock was not granted in time.
    #[error("the migration lock was not granted: {0}")]
    Lock(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(String),
}

impl From<MySqlError> for StoreError {
    fn from(e: MySqlError) -> Self {
        match e {
            MySqlError::Connect(c) => connection(&c, "connect"),
            MySqlError::Query(q) => query(q, "migrate"),
            other => StoreError::Unexpected(other.to_string()),
        }
    }
}

/// Texts of driver and server errors that mean "this connection lost its server".
const LOST_MARKERS: [&str; 9] = [
    "Input/output error",
    "Connection to the server is closed",
    "gone away",
    "Lost connection",
    "Server shutdown in progress",
    "Connection was killed",
    "Connection refused",
    "Broken pipe",
    "Connection reset",
];

/// Texts of other errors that mean "the server cannot serve this now". The last two are how
/// Galera may end a transaction it aborted (MariaDB's `wsrep_override_error`: an interrupted
/// statement, a commit that failed), as well as an operator's `KILL QUERY`: the transaction
/// is rolled back either way.
const BUSY_MARKERS: [&str; 5] = [
    "Pool was disconnected",
    "Too many connections",
    "Deadlock found",
    "Query execution was interrupted",
    "during COMMIT",
];

/// Texts of a statement the server aborted at the session's time limit (the pool sets it):
/// MariaDB error 1969, MySQL error 3024. The store is too slow to answer in time: unavailable.
const STATEMENT_TIMEOUT_MARKERS: [&str; 2] = [
    "max_statement_time exceeded",
    "maximum statement execution time exceeded",
];

fn looks_unavailable(text: &str) -> bool {
    LOST_MARKERS
        .iter()
        .chain(&BUSY_MARKERS)
        .chain(&STATEMENT_TIMEOUT_MARKERS)
        .any(|m| text.contains(m))
        || text.contains("Lock wait timeout")
        || crate::galera::is_deadlock_text(text)
}

/// Whether a failed statement says its connection lost the server (a restart, a crash, a
/// network failure): the connection is dead, and a statement of it may never have run.
pub(crate) fn lost_connection(e: &DieselError) -> bool {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        DieselError::DatabaseError(_, info) => {
            LOST_MARKERS.iter().any(|m| info.message().contains(m))
        }
        _ => false,
    }
}

pub(crate) fn unavailable(what: &str, text: String) -> StoreError {
    tracing::warn!(error = %text, "mysql unavailable during {what}");
    StoreError::Unavailable(format!("mysql: {text}"))
}

fn unexpected(what: &str, text: String) -> StoreError {
    tracing::error!(error = %text, "mysql error during {what}");
    StoreError::Unexpected(format!("mysql {what}: {text}"))
}

/// Maps a failed statement; `what` names the operation for the log.
pub(crate) fn query(e: DieselError, what: &str) -> StoreError {
    match &e {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
        | DieselError::BrokenTransactionManager => unavailable(what, e.to_string()),
        DieselError::DatabaseError(_, info) if looks_unavailable(info.message()) => {
            unavailable(what, e.to_string())
        }
        _ => unexpected(what, e.to_string()),
    }
}

/// Maps a failure to establish a connection.
pub(crate) fn connection(e: &ConnectionError, what: &str) -> StoreError {
    match e {
        ConnectionError::InvalidConnectionUrl(_) => unexpected(what, e.to_string()),
        _ => unavailable(what, e.to_string()),
    }
}

/// Maps a failure to get a pooled connection: every pool failure but a missing runtime means
/// the server cannot be reached in time.
pub(crate) fn pool(e: PoolError, what: &str) -> StoreError {
    match e {
        PoolError::Backend(ManagerError::ConnectionError(c)) => connection(&c, what),
        PoolError::Backend(ManagerError::QueryError(q)) => unavailable(what, q.to_string()),
        PoolError::NoRuntimeSpecified => unexpected(what, e.to_string()),
        other => unavailable(what, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_and_gone_away_are_unavailable_others_unexpected() {
        let io = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("Input/output error: broken pipe".to_owned()),
        );
        assert!(matches!(query(io, "t"), StoreError::Unavailable(_)));
        let gone = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("MySQL server has gone away".to_owned()),
        );
        assert!(matches!(query(gone, "t"), StoreError::Unavailable(_)));
        for timed_out in [
            "Query execution was interrupted (max_statement_time exceeded)",
            "Query execution was interrupted, maximum statement execution time exceeded",
            // Galera conflicts that outlasted their retries (galera.rs).
            "WSREP detected deadlock/conflict and aborted the transaction",
            // And what Galera may answer for a transaction it aborted otherwise.
            "Query execution was interrupted",
            "Got error 149 \"Lock deadlock; Retry transaction\" during COMMIT",
            "Unknown trigger has an error in its body: 'Query was empty'",
        ] {
            let e = DieselError::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(timed_out.to_owned()),
            );
            assert!(
                matches!(query(e, "t"), StoreError::Unavailable(_)),
                "{timed_out}"
            );
        }
        let syntax = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("You have an error in your SQL syntax".to_owned()),
        );
        assert!(matches!(query(syntax, "t"), StoreError::Unexpected(_)));
        assert!(matches!(
            query(DieselError::NotFound, "t"),
            StoreError::Unexpected(_)
        ));
    }
}
