//! A table instance whose triggers failed to load, as a Galera conflict that kills the read of
//! their definitions leaves one in MariaDB's table cache (`scrm_mysql::galera`): every
//! statement handed that instance that fires a trigger fails with "has an error in its body"
//! until the instance is closed.

use diesel::sql_types::Text;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};

#[derive(diesel::QueryableByName)]
struct Place {
    #[diesel(sql_type = Text)]
    dir: String,
    #[diesel(sql_type = Text)]
    db: String,
}

/// Leaves an open instance of `customer` whose triggers failed to load in the table cache of
/// `admin`'s server (its database the connection's), the file they load from whole again:
/// loads them once from a broken copy of `customer.TRG`, then puts the file back. Customer
/// 3002 or any other: an update of a customer on that instance fails again, which is checked.
/// Needs the server's data directory on this machine, writable (a local server, the tests run
/// as root).
///
/// # Panics
/// When a step fails: the test cannot go on without the broken instance.
pub async fn cache_customer_with_broken_triggers(admin: &mut AsyncMysqlConnection) {
    let place: Place = diesel::sql_query("SELECT @@datadir AS dir, DATABASE() AS db")
        .get_result(admin)
        .await
        .unwrap_or_else(|e| panic!("the server's data directory: {e}"));
    let file = std::path::Path::new(&place.dir)
        .join(&place.db)
        .join("customer.TRG");
    let good = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    assert!(good.contains("INSERT INTO customer_change"), "{good}");
    let broken = good.replace(
        "INSERT INTO customer_change",
        "INSERTT INTO customer_change",
    );
    std::fs::write(&file, broken).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let update = "UPDATE customer SET remarks = remarks ORDER BY id LIMIT 1";
    let loaded = async {
        admin.batch_execute("FLUSH TABLES customer").await?;
        admin.batch_execute(update).await
    }
    .await;
    std::fs::write(&file, &good).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let failed = match loaded {
        Ok(()) => panic!("the broken triggers did not fail the update"),
        Err(e) => e.to_string(),
    };
    assert!(failed.contains("has an error in its body"), "{failed}");
    // The file is whole again, but the instance that failed to load it is cached.
    assert!(
        admin.batch_execute(update).await.is_err(),
        "the cached instance fails again"
    );
}
