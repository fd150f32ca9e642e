//! `TestDatabase`: a MariaDB database of its own for one test, dropped when the test ends.

#![expect(
    clippy::expect_used,
    reason = "test support: a broken test environment should fail loudly"
)]

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use crate::{mysql_direct_server_url, mysql_server_url, unique};

/// A database of its own for one test, dropped on drop.
pub struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    /// A name and URL for a database that does not exist yet (for tests of creation).
    pub fn unborn() -> Self {
        let name = unique("scrm_t");
        let url = database_url(&mysql_server_url(), &name);
        Self { name, url }
    }

    /// Creates an empty database.
    pub async fn create() -> Self {
        let db = Self::unborn();
        let mut conn = AsyncMysqlConnection::establish(&mysql_server_url())
            .await
            .expect("connect to the test MariaDB server");
        diesel::sql_query(format!(
            "CREATE DATABASE `{}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
            db.name
        ))
        .execute(&mut conn)
        .await
        .expect("create a test database");
        db
    }

    /// The URL of the database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of the same database through the server of direct reads and writes
    /// (`SCRM_TEST_MYSQL_READ_URL`; the same server unless set).
    pub fn direct_url(&self) -> String {
        database_url(&mysql_direct_server_url(), &self.name)
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The URL of database `name` on the server of `server` (a URL without a database, which
/// may end in options: `mysql://root@127.0.0.1:4000?prefer_socket=false`).
fn database_url(server: &str, name: &str) -> String {
    match server.split_once('?') {
        Some((base, options)) => format!("{}/{name}?{options}", base.trim_end_matches('/')),
        None => format!("{}/{name}", server.trim_end_matches('/')),
    }
}

/// A connection's id in the server's process list.
#[derive(diesel::QueryableByName)]
struct ProcessId {
    #[diesel(sql_type = diesel::sql_types::Unsigned<diesel::sql_types::BigInt>)]
    id: u64,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // A thread of its own, so dropping works inside any runtime.
        crate::on_own_runtime(move || async move {
            let mut conn = AsyncMysqlConnection::establish(&mysql_server_url())
                .await
                .ok()?;
            // A connection the test's server still holds in the middle of a transaction
            // (a request cut off by its deadline) would hold the tables' metadata locks
            // and make the DROP wait for ever: end them first, and bound the wait.
            let holders: Vec<ProcessId> =
                diesel::sql_query("SELECT id FROM information_schema.processlist WHERE db = ?")
                    .bind::<diesel::sql_types::Text, _>(&name)
                    .load(&mut conn)
                    .await
                    .unwrap_or_default();
            for p in holders {
                let _ = diesel::sql_query(format!("KILL {}", p.id))
                    .execute(&mut conn)
                    .await;
            }
            let _ = diesel::sql_query("SET SESSION lock_wait_timeout = 30")
                .execute(&mut conn)
                .await;
            diesel::sql_query(format!("DROP DATABASE IF EXISTS `{name}`"))
                .execute(&mut conn)
                .await
                .ok()
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_goes_before_the_options() {
        assert_eq!(
            super::database_url("mysql://root@127.0.0.1:3306", "d"),
            "mysql://root@127.0.0.1:3306/d"
        );
        assert_eq!(
            super::database_url("mysql://root@127.0.0.1:4000/?prefer_socket=false", "d"),
            "mysql://root@127.0.0.1:4000/d?prefer_socket=false"
        );
    }
}
