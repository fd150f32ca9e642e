//! Migrations: idempotent, create a missing database, safe to run concurrently, and every
//! one can be reverted (its `down.sql`) and applied again.

use diesel::sql_types::{BigInt, Text};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use scrm_mysql::migrate;
use scrm_test_support::TestDatabase;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Reverts the newest migration, or all of them; the versions reverted, newest first.
async fn revert(url: &str, all: bool) -> Vec<String> {
    let conn = AsyncMysqlConnection::establish(url).await.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut conn: AsyncConnectionWrapper<AsyncMysqlConnection> = conn.into();
        if all {
            conn.revert_all_migrations(MIGRATIONS).unwrap()
        } else {
            vec![conn.revert_last_migration(MIGRATIONS).unwrap()]
        }
        .into_iter()
        .map(|v| v.to_string())
        .collect()
    })
    .await
    .unwrap()
}

/// Reverts the newest migrations, one by one, down to `version` (that one too).
async fn revert_through(url: &str, version: &str) {
    loop {
        let reverted = revert(url, false).await.remove(0);
        assert!(reverted.as_str() >= version, "{version} was not applied");
        if reverted == version {
            return;
        }
    }
}

/// One number a statement answers (as `n`).
async fn number(url: &str, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = AsyncMysqlConnection::establish(url).await.unwrap();
    let rows: Vec<N> = diesel::sql_query(sql).load(&mut conn).await.unwrap();
    rows[0].n
}

/// Runs one statement.
async fn execute(url: &str, sql: &str) {
    let mut conn = AsyncMysqlConnection::establish(url).await.unwrap();
    diesel::sql_query(sql).execute(&mut conn).await.unwrap();
}

async fn table_count(url: &str) -> i64 {
    number(
        url,
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()",
    )
    .await
}

#[tokio::test]
async fn migrate_creates_a_missing_database_and_is_idempotent() {
    let db = TestDatabase::unborn();
    migrate(db.url()).await.unwrap();
    let tables = table_count(db.url()).await;
    // Eighteen tables (customer_change, customer_spelling, customer_spelling_gram,
    // scrm_backfill, customer_change_lane and customer_change_writer the last), diesel's
    // migration bookkeeping and the migration lock.
    assert_eq!(tables, 20);
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
    assert_eq!(table_count(db.url()).await, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_works_on_a_multi_thread_runtime_too() {
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    assert_eq!(table_count(db.url()).await, 20);
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

/// How many of `customer`'s columns or indexes are named `phone_digits_rev`.
async fn phone_digits_rev(url: &str) -> (i64, i64) {
    let columns = "SELECT COUNT(*) AS n FROM information_schema.columns WHERE \
         table_schema = DATABASE() AND table_name = 'customer' AND column_name = 'phone_digits_rev'";
    let indexes = "SELECT COUNT(DISTINCT index_name) AS n FROM information_schema.statistics WHERE \
         table_schema = DATABASE() AND table_name = 'customer' \
         AND index_name = 'idx_customer_tenant_phone_rev'";
    (number(url, columns).await, number(url, indexes).await)
}

/// Migration `2026-12-06-000001` drops `phone_digits_rev` (read by no query) and its index;
/// its down migration brings both back, refilled from the phone digits, and it applies again.
#[tokio::test]
async fn phone_digits_rev_is_dropped_and_comes_back_on_revert() {
    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    assert_eq!(phone_digits_rev(url).await, (0, 0));
    revert_through(url, "20261206000001").await;
    assert_eq!(phone_digits_rev(url).await, (1, 1));
    let phones = "SELECT COUNT(*) AS n FROM customer WHERE phone_digits IS NOT NULL";
    assert!(number(url, phones).await > 0);
    let wrong = "SELECT COUNT(*) AS n FROM customer \
         WHERE NOT (phone_digits_rev <=> REVERSE(phone_digits))";
    assert_eq!(number(url, wrong).await, 0);
    migrate(url).await.unwrap();
    assert_eq!(phone_digits_rev(url).await, (0, 0));
}

/// Every migration's down reverts it: all of them, newest first, leave only diesel's
/// bookkeeping and the migration lock table, and the database migrates again.
#[tokio::test]
async fn every_migration_reverts_and_applies_again() {
    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    let reverted = revert(url, true).await;
    assert_eq!(reverted.len(), 13, "{reverted:?}");
    // Left: diesel's bookkeeping and the migration lock (made outside the migrations).
    assert_eq!(table_count(url).await, 2);
    migrate(url).await.unwrap();
    assert_eq!(table_count(url).await, 20);
}

/// Migration `2026-12-07-000001` makes the spelling tables empty and leaves a `scrm_backfill` row;
/// `migrate` then spells every existing customer from Rust and deletes the row, so `q`
/// finds customers written before the migration by their pinyin.
#[tokio::test]
async fn spellings_are_backfilled_by_migrate() {
    use scrm_domain::customer::{CustomerFilter, CustomerRepository};
    use scrm_domain::{PageRequest, Scope};

    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    let rows = "SELECT COUNT(*) AS n FROM customer_spelling";
    let before = number(url, rows).await;
    assert!(before > 10, "{before}");
    let grams = number(url, "SELECT COUNT(*) AS n FROM customer_spelling_gram").await;
    revert_through(url, "20261207000001").await;
    migrate(url).await.unwrap();
    assert_eq!(number(url, rows).await, before);
    assert_eq!(
        number(url, "SELECT COUNT(*) AS n FROM customer_spelling_gram").await,
        grams
    );
    assert_eq!(
        number(url, "SELECT COUNT(*) AS n FROM scrm_backfill").await,
        0
    );
    let filter = CustomerFilter {
        terms: scrm_domain::search::parse_terms("zhangwei"),
        ..CustomerFilter::default()
    };
    let main_a = Scope::for_account(scrm_domain::AdminUserId(100), None);
    let page = ctx
        .repo
        .page(&main_a, &filter, PageRequest::new(1, 10).unwrap())
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|r| r.id.0).collect::<Vec<_>>(),
        [3003]
    );
}

/// Migration `2026-12-08-000001` logs hand-entered manual entries in `customer_change`
/// (`manual_entry_id`, by three triggers); its down drops the triggers, the manual rows and
/// the column, and it applies again.
#[tokio::test]
async fn the_manual_change_log_reverts_and_applies_again() {
    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    let column = "SELECT COUNT(*) AS n FROM information_schema.columns \
         WHERE table_schema = DATABASE() AND table_name = 'customer_change' \
         AND column_name = 'manual_entry_id'";
    let triggers = "SELECT COUNT(*) AS n FROM information_schema.triggers \
         WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'manual\\_change\\_%'";
    let logged = "SELECT COUNT(*) AS n FROM customer_change WHERE manual_entry_id IS NOT NULL";
    assert_eq!(
        (number(url, column).await, number(url, triggers).await),
        (1, 3)
    );
    assert!(
        number(url, logged).await > 0,
        "the fixture's hand-entered entries"
    );
    revert_through(url, "20261208000001").await;
    assert_eq!(
        (number(url, column).await, number(url, triggers).await),
        (0, 0)
    );
    migrate(url).await.unwrap();
    assert_eq!(
        (number(url, column).await, number(url, triggers).await),
        (1, 3)
    );
    assert_eq!(number(url, logged).await, 0, "rows are logged from now on");
}

/// Migration `2026-12-09-000011` logs a new contact (the customer index keeps every contact
/// for findcontactbytagAll); its down drops the trigger, and it applies again.
#[tokio::test]
async fn a_new_contact_is_logged_and_the_trigger_reverts() {
    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    let trigger = "SELECT COUNT(*) AS n FROM information_schema.triggers \
         WHERE trigger_schema = DATABASE() AND trigger_name = 'customer_change_on_contact_insert'";
    let logged = "SELECT COUNT(*) AS n FROM customer_change WHERE contact_id = 777001";
    let insert = |id: i64| {
        format!(
            "INSERT INTO wechat_contact (id, tenant_id, admin_user_id, wechat_user_id, create_time) \
             VALUES ({id}, 100, 100, 1000, UTC_TIMESTAMP(3))"
        )
    };
    assert_eq!(number(url, trigger).await, 1);
    execute(url, &insert(777_001)).await;
    assert_eq!(number(url, logged).await, 1);
    revert_through(url, "20261209000011").await;
    assert_eq!(number(url, trigger).await, 0);
    execute(url, &insert(777_002)).await;
    let unlogged = "SELECT COUNT(*) AS n FROM customer_change WHERE contact_id = 777002";
    assert_eq!(number(url, unlogged).await, 0);
    migrate(url).await.unwrap();
    assert_eq!(number(url, trigger).await, 1);
}

/// Migration `2026-12-10-000001` gives the change log lanes (for a Galera node); on this
/// server (wsrep off) a logged write gets no lane and writes no lane row. Its down drops the
/// trigger, the lane table and the column, and it applies again.
#[tokio::test]
async fn the_change_log_lanes_revert_and_apply_again() {
    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    let parts = "SELECT (SELECT COUNT(*) FROM information_schema.columns \
         WHERE table_schema = DATABASE() AND table_name = 'customer_change' \
         AND column_name = 'lane') + (SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_name = 'customer_change_lane') \
         + (SELECT COUNT(*) FROM information_schema.triggers \
         WHERE trigger_schema = DATABASE() AND trigger_name = 'customer_change_lane') AS n";
    assert_eq!(number(url, parts).await, 3);
    execute(
        url,
        "UPDATE customer SET customer_name = 'x' WHERE id = 3001",
    )
    .await;
    let laned = "SELECT (SELECT COUNT(*) FROM customer_change WHERE lane IS NOT NULL) \
         + (SELECT COUNT(*) FROM customer_change_lane) AS n";
    assert_eq!(number(url, laned).await, 0);
    revert_through(url, "20261210000001").await;
    assert_eq!(number(url, parts).await, 0);
    migrate(url).await.unwrap();
    assert_eq!(number(url, parts).await, 3);
}

/// Migration `2026-12-11-000001` puts the connections that write the change log in
/// `customer_change_writer` (for the index clock), in the writer's transaction; its down drops
/// the table and gives the log's trigger back its lanes alone, so writes go on, and it applies
/// again.
#[tokio::test]
async fn the_change_log_writers_revert_and_apply_again() {
    use diesel_async::SimpleAsyncConnection;

    let ctx = crate::factory::Ctx::loaded().await;
    let url = ctx.db.url();
    let table = "SELECT COUNT(*) AS n FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_name = 'customer_change_writer'";
    let listed = "SELECT COUNT(*) AS n FROM customer_change_writer WHERE conn = CONNECTION_ID()";
    let mut conn = AsyncMysqlConnection::establish(url).await.unwrap();
    let mut count = async |sql: &str| {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        conn.batch_execute(sql).await.unwrap();
        diesel::sql_query(listed)
            .get_result::<N>(&mut conn)
            .await
            .unwrap()
            .n
    };
    assert_eq!(number(url, table).await, 1);
    let rename =
        |name: &str| format!("UPDATE customer SET customer_name = '{name}' WHERE id = 3001");
    assert_eq!(
        count(&format!("BEGIN; {}; ROLLBACK", rename("x"))).await,
        0,
        "a rolled-back write takes its row away"
    );
    // Listed once, however often it writes.
    assert_eq!(count(&rename("y")).await, 1);
    assert_eq!(count(&rename("z")).await, 1);
    revert_through(url, "20261211000001").await;
    assert_eq!(number(url, table).await, 0);
    let logged = "SELECT COUNT(*) AS n FROM customer_change WHERE customer_id = 3002";
    let before = number(url, logged).await;
    execute(
        url,
        "UPDATE customer SET customer_name = 'y' WHERE id = 3002",
    )
    .await;
    assert_eq!(number(url, logged).await, before + 1, "writes are logged");
    migrate(url).await.unwrap();
    assert_eq!(number(url, table).await, 1);
    assert_eq!(count(&rename("w")).await, 1);
}

/// A session with `unique_checks = 0` and `foreign_key_checks = 0` (a dump being restored)
/// that writes many log rows in one statement into an empty log keeps every one: MariaDB fills
/// such a table in bulk, and an `INSERT IGNORE` that met a duplicate in the log's trigger threw
/// away all but the last row (the first version of migration `2026-12-11-000001`).
#[tokio::test]
async fn a_bulk_insert_into_an_empty_log_keeps_every_row() {
    use diesel_async::SimpleAsyncConnection;

    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    let mut conn = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    conn.batch_execute(
        "SET SESSION unique_checks = 0, foreign_key_checks = 0; \
         INSERT INTO customer_change (tenant_id, customer_id) \
         SELECT 1, seq FROM seq_1_to_3000",
    )
    .await
    .unwrap();
    drop(conn);
    let url = db.url();
    assert_eq!(
        number(url, "SELECT COUNT(*) AS n FROM customer_change").await,
        3000
    );
    assert_eq!(
        number(url, "SELECT COUNT(*) AS n FROM customer_change_writer").await,
        1
    );
}
