//! Embedded migrations: creates the database named in the URL when it is missing, then applies
//! pending migrations under a server-wide lock, so several instances may start at once.

use diesel::sql_types::{Integer, Text};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::MySqlError;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// The name of the server-wide lock migrations run under.
const LOCK: &str = "scrm_migrate";
/// Seconds to wait for the lock.
const LOCK_WAIT: i32 = 60;

diesel::define_sql_function! {
    /// MySQL's `GET_LOCK(name, timeout)`: 1 granted, 0 timed out, NULL on error.
    fn get_lock(name: Text, timeout: Integer) -> Nullable<Integer>;
}
diesel::define_sql_function! {
    /// MySQL's `RELEASE_LOCK(name)`.
    fn release_lock(name: Text) -> Nullable<Integer>;
}

/// A database URL split into the server URL and the database name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DbUrl {
    pub server: String,
    pub name: String,
}

/// Splits `mysql://user@host:port/name?params` into the server URL (params kept) and the name.
pub(crate) fn split_url(url: &str) -> Result<DbUrl, MySqlError> {
    let bad = |why: &str| MySqlError::Url(format!("{why}: {url}"));
    let scheme_end = url.find("://").ok_or_else(|| bad("no scheme"))? + 3;
    let (before_query, query) = match url.find('?') {
        Some(q) => (&url[..q], Some(&url[q..])),
        None => (url, None),
    };
    let rest = before_query.get(scheme_end..).unwrap_or("");
    let slash = rest.find('/').ok_or_else(|| bad("no database name"))?;
    let authority = &before_query[..scheme_end + slash];
    let name = rest[slash + 1..].trim_end_matches('/');
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if !valid {
        return Err(bad("the database name must be 1 to 64 of [A-Za-z0-9_$]"));
    }
    let server = match query {
        Some(q) => format!("{authority}/{q}"),
        None => authority.to_owned(),
    };
    Ok(DbUrl {
        server,
        name: name.to_owned(),
    })
}

/// Creates the database when missing and applies every pending migration.
///
/// Migrations run on a blocking thread through `AsyncConnectionWrapper`, so this works on any
/// Tokio runtime, current-thread ones (actix, `#[tokio::test]`) included.
///
/// # Errors
/// `MySqlError` when the server cannot be reached, the lock is not granted within a minute or
/// a migration fails.
pub async fn migrate(url: &str) -> Result<(), MySqlError> {
    let parts = split_url(url)?;
    let mut server = AsyncMysqlConnection::establish(&parts.server).await?;
    diesel::sql_query(format!(
        "CREATE DATABASE IF NOT EXISTS `{}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
        parts.name
    ))
    .execute(&mut server)
    .await?;
    drop(server);
    let conn = AsyncMysqlConnection::establish(url).await?;
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || run_locked(conn))
        .await
        .map_err(|e| MySqlError::Migration(format!("migration thread of {url} failed: {e}")))?
}

/// Takes the lock, runs pending migrations, releases the lock (on the blocking thread).
fn run_locked(conn: AsyncMysqlConnection) -> Result<(), MySqlError> {
    let mut conn: AsyncConnectionWrapper<AsyncMysqlConnection> = conn.into();
    let granted: Option<i32> =
        diesel::RunQueryDsl::get_result(diesel::select(get_lock(LOCK, LOCK_WAIT)), &mut conn)?;
    if granted != Some(1) {
        return Err(MySqlError::Lock(format!(
            "GET_LOCK('{LOCK}', {LOCK_WAIT}) returned {granted:?}"
        )));
    }
    let outcome = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|applied| {
            for m in applied {
                tracing::info!(migration = %m, "applied migration");
            }
        })
        .map_err(|e| MySqlError::Migration(e.to_string()));
    let released: Result<Option<i32>, _> =
        diesel::RunQueryDsl::get_result(diesel::select(release_lock(LOCK)), &mut conn);
    outcome?;
    released?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_server_and_name() {
        let p = split_url("mysql://root@127.0.0.1:3306/scrm").unwrap();
        assert_eq!(p.server, "mysql://root@127.0.0.1:3306");
        assert_eq!(p.name, "scrm");
        let p = split_url("mysql://u:p@h:1/db_1?prefer_socket=false").unwrap();
        assert_eq!(p.server, "mysql://u:p@h:1/?prefer_socket=false");
        assert_eq!(p.name, "db_1");
        assert!(split_url("mysql://root@h:3306").is_err());
        assert!(split_url("mysql://root@h:3306/a`b").is_err());
        assert!(split_url("nonsense").is_err());
    }
}
