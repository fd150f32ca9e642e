//! The bulk loader's sessions (`scrm seed --customers`) and the index's change log: the
//! triggers log nothing for a session that set `@scrm_bulk_load` (the loader logs every
//! loaded customer once afterwards), and log every other writer's rows as before.

use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_mysql::migrate;
use scrm_test_support::TestDatabase;

async fn logged(conn: &mut AsyncMysqlConnection) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let rows: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM customer_change")
        .load(conn)
        .await
        .unwrap();
    rows[0].n
}

async fn run(conn: &mut AsyncMysqlConnection, sql: &str) {
    diesel::sql_query(sql).execute(conn).await.unwrap();
}

#[tokio::test]
async fn a_bulk_load_session_writes_no_change_rows_and_every_other_writer_does() {
    let db = TestDatabase::unborn();
    migrate(db.url()).await.unwrap();
    let mut bulk = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    run(&mut bulk, "SET foreign_key_checks = 0, @scrm_bulk_load = 1").await;
    run(
        &mut bulk,
        "INSERT INTO contact_tag (contact_id, tag_id, tenant_id, admin_user_id) \
         VALUES (1, 1, 7, 7), (1, 2, 7, 7), (2, 1, 7, 7)",
    )
    .await;
    run(
        &mut bulk,
        "UPDATE contact_tag SET tenant_id = 8 WHERE contact_id = 2",
    )
    .await;
    run(&mut bulk, "DELETE FROM contact_tag WHERE tag_id = 2").await;
    assert_eq!(
        logged(&mut bulk).await,
        0,
        "the loader's session logs nothing"
    );

    let mut other = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    run(&mut other, "SET foreign_key_checks = 0").await;
    run(
        &mut other,
        "INSERT INTO contact_tag (contact_id, tag_id, tenant_id, admin_user_id) VALUES (3, 1, 7, 7)",
    )
    .await;
    assert_eq!(logged(&mut other).await, 1);
    // A move to another tenant is a change in both.
    run(
        &mut other,
        "UPDATE contact_tag SET tenant_id = 7 WHERE contact_id = 2",
    )
    .await;
    assert_eq!(logged(&mut other).await, 3);
    run(&mut other, "DELETE FROM contact_tag WHERE contact_id = 1").await;
    assert_eq!(logged(&mut other).await, 4);
    // Unsetting the variable makes a session log again.
    run(&mut bulk, "SET @scrm_bulk_load = NULL").await;
    run(&mut bulk, "DELETE FROM contact_tag WHERE contact_id = 3").await;
    assert_eq!(logged(&mut bulk).await, 5);
}
