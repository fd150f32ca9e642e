//! Migrations: idempotent, create a missing database, safe to run concurrently.

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_mysql::migrate;
use scrm_test_support::TestDatabase;

async fn table_count(url: &str) -> i64 {
    use diesel::sql_types::BigInt;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = AsyncMysqlConnection::establish(url).await.unwrap();
    let rows: Vec<Count> = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()",
    )
    .load(&mut conn)
    .await
    .unwrap();
    rows[0].n
}

#[tokio::test]
async fn migrate_creates_a_missing_database_and_is_idempotent() {
    let db = TestDatabase::unborn();
    migrate(db.url()).await.unwrap();
    let tables = table_count(db.url()).await;
    // Ten tables (customer_count the last) and diesel's migration bookkeeping.
    assert_eq!(tables, 11);
    migrate(db.url()).await.unwrap();
    assert_eq!(table_count(db.url()).await, tables);
}

#[tokio::test]
async fn concurrent_migrations_do_not_collide() {
    let db = TestDatabase::unborn();
    let (a, b, c) = tokio::join!(migrate(db.url()), migrate(db.url()), migrate(db.url()));
    a.unwrap();
    b.unwrap();
    c.unwrap();
    assert_eq!(table_count(db.url()).await, 11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_works_on_a_multi_thread_runtime_too() {
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    assert_eq!(table_count(db.url()).await, 11);
}

#[tokio::test]
async fn a_bad_url_is_an_error() {
    assert!(migrate("mysql://root@127.0.0.1:3306").await.is_err());
    assert!(
        migrate("mysql://root@127.0.0.1:3306/bad`name")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_call_lookup_indexes_replace_the_tenant_manual_index() {
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Index {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    let mut conn = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    let names: Vec<String> = diesel::sql_query(
        "SELECT DISTINCT CONCAT(table_name, '.', index_name) AS name \
         FROM information_schema.statistics \
         WHERE table_schema = DATABASE() AND table_name IN ('customer', 'manual_entry') \
         ORDER BY name",
    )
    .load::<Index>(&mut conn)
    .await
    .unwrap()
    .into_iter()
    .map(|i| i.name)
    .collect();
    assert!(
        names.contains(&"customer.idx_customer_admin_phone".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"manual_entry.idx_manual_tenant_assignee".to_owned()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"manual_entry.idx_manual_tenant".to_owned()),
        "{names:?}"
    );
}
