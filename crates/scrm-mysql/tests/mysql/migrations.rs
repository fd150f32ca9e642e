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
    // Thirteen tables (customer_change the last) and diesel's migration bookkeeping.
    assert_eq!(tables, 14);
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
    assert_eq!(table_count(db.url()).await, 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_works_on_a_multi_thread_runtime_too() {
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    assert_eq!(table_count(db.url()).await, 14);
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

/// The backfill statement of a migration (its `INSERT`, comments left out).
fn backfill_of(up: &str) -> String {
    up.split(';')
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .find(|s| s.trim_start().starts_with("INSERT"))
        .unwrap()
}

/// The search migrations fill the name and phone grams of the customers already there.
#[tokio::test]
async fn the_search_migrations_backfill_the_grams() {
    let ctx = crate::factory::Ctx::loaded().await;
    let names = backfill_of(include_str!(
        "../../../../migrations/2026-12-04-000001_customer_search/up.sql"
    ));
    let phones = backfill_of(include_str!(
        "../../../../migrations/2026-12-04-000002_customer_phone_grams/up.sql"
    ));
    let mut conn = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    for table in ["customer_name_gram", "customer_phone_gram"] {
        diesel::sql_query(format!("DELETE FROM {table}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    assert_eq!(scrm_test_support::name_gram_drift(ctx.db.url()).await.2, 0);
    assert_eq!(scrm_test_support::phone_gram_drift(ctx.db.url()).await.2, 0);
    diesel::sql_query(names).execute(&mut conn).await.unwrap();
    diesel::sql_query(phones).execute(&mut conn).await.unwrap();
    let (missing, stale, rows) = scrm_test_support::name_gram_drift(ctx.db.url()).await;
    assert_eq!((missing, stale), (0, 0));
    assert!(rows > 20, "{rows}");
    let (missing, stale, rows) = scrm_test_support::phone_gram_drift(ctx.db.url()).await;
    assert_eq!((missing, stale), (0, 0));
    assert!(rows > 20, "{rows}");
}
