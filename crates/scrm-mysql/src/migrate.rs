//! Embedded migrations: creates the database named in the URL when it is missing, then applies
//! pending migrations under a database-wide lock, so several instances may start at once.
//!
//! The lock is a row (`scrm_migrate_lock`, id 1), not `GET_LOCK`: on a Galera cluster a
//! `GET_LOCK` is local to one node, while two nodes inserting the same primary key are
//! serialised by certification (one commit wins, the other is a deadlock error or sees the
//! row). A holder that died keeps it until its lease ends ([`LEASE_SECS`]).

use std::time::{Duration, Instant};

use diesel::sql_types::{BigInt, Text};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::MySqlError;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// How long to wait for the lock.
const LOCK_WAIT: Duration = Duration::from_secs(60);
/// How long a taken lock holds without its holder renewing it: longer than any migration.
const LEASE_SECS: i64 = 300;
/// The pause between two attempts at a lock someone else holds.
const LOCK_POLL: Duration = Duration::from_millis(200);

/// The lock table, made before any migration (so it is not one of them).
const CREATE_LOCK_TABLE: &str = "CREATE TABLE IF NOT EXISTS scrm_migrate_lock (
    id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    holder VARCHAR(64) NOT NULL,
    expires_at DATETIME(3) NOT NULL
) ENGINE=InnoDB";

/// Takes the row when it is free or its lease ended; keeps it as it is otherwise. One
/// statement in autocommit: on Galera a concurrent taker on another node makes one of the two
/// fail certification (error 1213), retried.
const TAKE_LOCK: &str = "INSERT INTO scrm_migrate_lock (id, holder, expires_at)
    VALUES (1, ?, NOW(3) + INTERVAL ? SECOND)
    ON DUPLICATE KEY UPDATE
        holder = IF(expires_at < NOW(3), VALUES(holder), holder),
        expires_at = IF(holder = VALUES(holder), VALUES(expires_at), expires_at)";

#[derive(diesel::QueryableByName)]
struct Holder {
    #[diesel(sql_type = Text)]
    holder: String,
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
    let owned = url.to_owned();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || run_locked(conn, &owned, &runtime))
        .await
        .map_err(|e| MySqlError::Migration(format!("migration thread of {url} failed: {e}")))?
}

/// The data steps migrations leave to Rust (`scrm_backfill`), on their own connection. A
/// step may take longer than the lock's lease on a large database: the lease is renewed
/// before each of its batches, so no other instance takes the lock meanwhile.
async fn backfill(url: &str, me: &str) -> Result<(), MySqlError> {
    let mut conn = AsyncMysqlConnection::establish(url).await?;
    crate::customers::spellings::backfill(&mut conn, async |c| renew_lock(c, me).await).await?;
    Ok(())
}

/// Renews the lease of the lock `me` holds (`TAKE_LOCK` keeps a holder's row and moves its
/// end); an error when `me` no longer holds it.
async fn renew_lock(c: &mut AsyncMysqlConnection, me: &str) -> diesel::QueryResult<()> {
    diesel::sql_query(TAKE_LOCK)
        .bind::<Text, _>(me)
        .bind::<BigInt, _>(LEASE_SECS)
        .execute(c)
        .await?;
    let rows: Vec<Holder> = diesel::sql_query("SELECT holder FROM scrm_migrate_lock WHERE id = 1")
        .load(c)
        .await?;
    if rows.iter().any(|r| r.holder == me) {
        Ok(())
    } else {
        Err(diesel::result::Error::QueryBuilderError(
            "the migration lock's lease ended and another instance took it".into(),
        ))
    }
}

/// Takes the lock, runs pending migrations and the data steps they left, releases the lock
/// (on the blocking thread).
fn run_locked(
    conn: AsyncMysqlConnection,
    url: &str,
    runtime: &tokio::runtime::Handle,
) -> Result<(), MySqlError> {
    let mut conn: AsyncConnectionWrapper<AsyncMysqlConnection> = conn.into();
    let me = holder_id();
    take_lock(&mut conn, &me)?;
    let outcome = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|applied| {
            for m in applied {
                tracing::info!(migration = %m, "applied migration");
            }
        })
        .map_err(|e| MySqlError::Migration(e.to_string()))
        .and_then(|()| runtime.block_on(backfill(url, &me)));
    let released = diesel::RunQueryDsl::execute(
        diesel::sql_query("DELETE FROM scrm_migrate_lock WHERE id = 1 AND holder = ?")
            .bind::<Text, _>(&me),
        &mut conn,
    );
    outcome?;
    released?;
    Ok(())
}

/// A name for this attempt, unique across processes and machines in practice.
fn holder_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let local = 0u8;
    format!("{}-{nanos}-{:p}", std::process::id(), &raw const local)
}

/// Waits (at most [`LOCK_WAIT`]) until the lock row names `me`.
fn take_lock(
    conn: &mut AsyncConnectionWrapper<AsyncMysqlConnection>,
    me: &str,
) -> Result<(), MySqlError> {
    diesel::RunQueryDsl::execute(diesel::sql_query(CREATE_LOCK_TABLE), conn)?;
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        let took = diesel::RunQueryDsl::execute(
            diesel::sql_query(TAKE_LOCK)
                .bind::<Text, _>(me)
                .bind::<BigInt, _>(LEASE_SECS),
            conn,
        );
        match took {
            Ok(_) => {
                let rows: Vec<Holder> = diesel::RunQueryDsl::load(
                    diesel::sql_query("SELECT holder FROM scrm_migrate_lock WHERE id = 1"),
                    conn,
                )?;
                if rows.iter().any(|r| r.holder == me) {
                    return Ok(());
                }
            }
            // A certification conflict with another node's taker: whoever won holds it.
            Err(e) if crate::galera::is_deadlock(&e) => {}
            Err(e) => return Err(e.into()),
        }
        if Instant::now() >= deadline {
            return Err(MySqlError::Lock(format!(
                "the migration lock (scrm_migrate_lock) was held by another instance for {LOCK_WAIT:?}"
            )));
        }
        std::thread::sleep(LOCK_POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(diesel::QueryableByName)]
    struct Secs {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// Seconds left of the lease on the lock row.
    async fn lease_left(c: &mut AsyncMysqlConnection) -> i64 {
        let rows: Vec<Secs> = diesel::sql_query(
            "SELECT TIMESTAMPDIFF(SECOND, NOW(3), expires_at) AS n FROM scrm_migrate_lock",
        )
        .load(c)
        .await
        .unwrap();
        rows[0].n
    }

    #[tokio::test]
    async fn a_backfill_renews_the_lease_it_holds_and_stops_when_it_lost_it() {
        let db = scrm_test_support::TestDatabase::create().await;
        migrate(db.url()).await.unwrap();
        let mut c = AsyncMysqlConnection::establish(db.url()).await.unwrap();
        diesel::sql_query(
            "INSERT INTO scrm_migrate_lock VALUES (1, 'me', NOW(3) + INTERVAL 2 SECOND)",
        )
        .execute(&mut c)
        .await
        .unwrap();
        renew_lock(&mut c, "me").await.unwrap();
        assert!(lease_left(&mut c).await > LEASE_SECS - 10);
        // Another instance took it (the lease ended): the backfill stops, the lock stays its.
        diesel::sql_query("UPDATE scrm_migrate_lock SET holder = 'other'")
            .execute(&mut c)
            .await
            .unwrap();
        assert!(renew_lock(&mut c, "me").await.is_err());
        let rows: Vec<Holder> = diesel::sql_query("SELECT holder FROM scrm_migrate_lock")
            .load(&mut c)
            .await
            .unwrap();
        assert_eq!(rows[0].holder, "other");
    }

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
