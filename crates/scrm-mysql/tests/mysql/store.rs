//! The store itself: the probe's name, a server that cannot be reached, a killed connection
//! (a read and a write both run once more on a new connection), the call pop-up's one connection.

use std::time::{Duration, Instant};

use deadpool::managed::Object;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::StoreError;
use scrm_domain::call::{CallerInfo, CallerLookup};
use scrm_domain::contact::{ContactTagQuery, NickNameInput};
use scrm_domain::customer::{CustomerFilter, CustomerRecord, CustomerRepository};
use scrm_domain::health::HealthProbe;
use scrm_domain::search::TagMode;
use scrm_domain::{ContactId, CustomerId, Page, PageRequest, TagId};
use scrm_mysql::{MySql, PoolSettings, build_pool};
use scrm_test_support::cache_customer_with_broken_triggers;
use scrm_test_support::contracts::fixture::MAIN_A;

use crate::factory::Ctx;

#[tokio::test]
async fn the_probe_is_named_mysql() {
    let ctx = Ctx::empty().await;
    assert_eq!(ctx.repo.name(), "mysql");
}

#[tokio::test]
async fn a_closed_port_is_unavailable_within_seconds() {
    let pool = build_pool("mysql://root@127.0.0.1:1/x", &PoolSettings::default()).unwrap();
    let repo = MySql::new(pool);
    let started = Instant::now();
    let err = first_page(&repo).await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert!(matches!(
        repo.find(&MAIN_A, CustomerId(1)).await,
        Err(StoreError::Unavailable(_))
    ));
    assert!(matches!(repo.ping().await, Err(StoreError::Unavailable(_))));
    assert!(started.elapsed() < Duration::from_secs(8));
}

/// The first page of MAIN_A's customers, unfiltered.
async fn first_page(repo: &MySql) -> Result<Page<CustomerRecord>, StoreError> {
    repo.page(
        &MAIN_A,
        &CustomerFilter::default(),
        PageRequest::new(1, 10).unwrap(),
    )
    .await
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Kills the one connection `pool` holds, from another connection.
async fn kill_pooled(ctx: &Ctx, pool: &scrm_mysql::DbPool) {
    let pooled_id = {
        let mut conn = pool.get().await.unwrap();
        let rows: Vec<Id> = diesel::sql_query("SELECT CONNECTION_ID() AS id")
            .load(&mut conn)
            .await
            .unwrap();
        rows[0].id
    };
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    diesel::sql_query(format!("KILL {pooled_id}"))
        .execute(&mut admin)
        .await
        .unwrap();
}

fn one_connection(ctx: &Ctx) -> (scrm_mysql::DbPool, MySql) {
    let settings = PoolSettings {
        max_size: 1,
        ..PoolSettings::default()
    };
    let pool = build_pool(ctx.db.url(), &settings).unwrap();
    (pool.clone(), MySql::new(pool))
}

/// The fixture on a pool of one connection that has served a ping and was then killed.
async fn loaded_then_killed() -> (Ctx, scrm_mysql::DbPool, MySql) {
    let ctx = Ctx::loaded().await;
    let (pool, repo) = one_connection(&ctx);
    repo.ping().await.unwrap();
    kill_pooled(&ctx, &pool).await;
    (ctx, pool, repo)
}

#[tokio::test]
async fn a_killed_connection_is_replaced_on_the_next_call() {
    let (ctx, pool, repo) = loaded_then_killed().await;
    // Handed out unchecked (used a moment ago), the dead connection fails the ping's
    // statement; that makes the pool check its connections, and the read runs once more on a
    // new one.
    repo.ping().await.unwrap();
    kill_pooled(&ctx, &pool).await;
    let page = first_page(&repo).await.unwrap();
    assert_eq!(page.total, 5);
}

#[tokio::test]
async fn a_write_that_meets_a_killed_connection_at_its_begin_runs_once_more() {
    let (_ctx, _pool, repo) = loaded_then_killed().await;
    // The delete's first statement is its transaction's BEGIN: it fails on the dead
    // connection, nothing reached the server, so it runs again on a new connection.
    let deleted = repo
        .soft_delete(&MAIN_A, CustomerId(3001), chrono::Utc::now())
        .await
        .unwrap();
    assert!(deleted);
    let page = first_page(&repo).await.unwrap();
    assert_eq!(page.total, 4, "deleted once");
}

#[tokio::test]
async fn a_call_pop_up_that_misses_takes_one_connection_for_its_three_lookups() {
    let ctx = Ctx::loaded().await;
    let (pool, repo) = one_connection(&ctx);
    let info = repo.caller_by_phone(&MAIN_A, "19900000000").await.unwrap();
    assert_eq!(info, CallerInfo::Unknown);
    // The one connection was checked out once: this checkout is its first reuse.
    let conn = pool.get().await.unwrap();
    assert_eq!(Object::metrics(&conn).recycle_count, 1);
}

/// Prepared statements `pool`'s one connection has executed so far (this read among them).
async fn statements_executed(pool: &scrm_mysql::DbPool) -> i64 {
    let mut conn = pool.get().await.unwrap();
    let rows: Vec<Count> = diesel::sql_query(
        "SELECT CAST(VARIABLE_VALUE AS SIGNED) AS n FROM information_schema.SESSION_STATUS \
         WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    rows[0].n
}

/// Statements `pool`'s one connection executed for `call`, not counting the reads around it.
async fn statements_of(pool: &scrm_mysql::DbPool, call: impl AsyncFnOnce()) -> i64 {
    let before = statements_executed(pool).await;
    let idle = statements_executed(pool).await - before;
    let before = statements_executed(pool).await;
    call().await;
    statements_executed(pool).await - before - idle
}

#[tokio::test]
async fn a_call_pop_up_that_hits_is_one_statement_and_one_that_misses_two() {
    let ctx = Ctx::loaded().await;
    let (pool, repo) = one_connection(&ctx);
    let hit = statements_of(&pool, async || {
        let info = repo.caller_by_phone(&MAIN_A, "13800001111").await.unwrap();
        let CallerInfo::Customers(found) = info else {
            panic!("{info:?}")
        };
        assert_eq!(found[0].id, CustomerId(3001));
        assert_eq!(found[0].tag_names, vec!["VIP".to_owned()]);
    })
    .await;
    assert_eq!(hit, 1);
    let miss = statements_of(&pool, async || {
        let info = repo.caller_by_phone(&MAIN_A, "19900000000").await.unwrap();
        assert_eq!(info, CallerInfo::Unknown);
    })
    .await;
    assert_eq!(miss, 2);
    // A page's records are one statement beside the page's ids and count.
    let ids = [CustomerId(3001), CustomerId(3002)];
    let records = statements_of(&pool, async || {
        assert_eq!(repo.by_ids(&MAIN_A, &ids).await.unwrap().len(), 2);
    })
    .await;
    assert_eq!(records, 1);
}

#[tokio::test]
async fn a_contact_list_is_one_statement_with_tags_and_forms_of_address() {
    use scrm_domain::contact::ContactRepository as Contacts;
    let ctx = Ctx::loaded().await;
    let (pool, repo) = one_connection(&ctx);
    let found = statements_of(&pool, async || {
        let c = Contacts::find(&repo, &MAIN_A, ContactId(2001))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.tags, vec![TagId(11)]);
        assert_eq!(c.customer_nick_name.as_deref(), Some("明哥"));
    })
    .await;
    assert_eq!(found, 1);
    let tagged = statements_of(&pool, async || {
        let query = ContactTagQuery {
            tag_ids: vec![TagId(11), TagId(12)],
            tag_mode: TagMode::All,
            wechat_user_id: None,
            include_offline: true,
        };
        let list = Contacts::find_by_tags(&repo, &MAIN_A, &query)
            .await
            .unwrap();
        let ids: Vec<_> = list.iter().map(|c| (c.id, c.tags.clone())).collect();
        assert_eq!(ids, vec![(ContactId(2002), vec![TagId(11), TagId(12)])]);
    })
    .await;
    assert_eq!(tagged, 1);
    let by_ids = statements_of(&pool, async || {
        let list = Contacts::by_ids(&repo, &MAIN_A, &[ContactId(2002), ContactId(2001)])
            .await
            .unwrap();
        let ids: Vec<_> = list.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![ContactId(2002), ContactId(2001)]);
        assert_eq!(list[0].customer_nick_name, None);
        assert_eq!(list[1].customer_nick_name.as_deref(), Some("明哥"));
    })
    .await;
    assert_eq!(by_ids, 1);
}

#[tokio::test]
async fn tag_names_that_need_escaping_in_json_come_back_as_stored() {
    let ctx = Ctx::loaded().await;
    let name = r#"引號"與\反斜線, [逗號] \u0041 {}"#;
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    diesel::sql_query("INSERT INTO tag (id, tenant_id, name) VALUES (19, 100, ?)")
        .bind::<diesel::sql_types::Text, _>(name)
        .execute(&mut admin)
        .await
        .unwrap();
    diesel::sql_query(
        "INSERT INTO contact_tag (contact_id, tag_id, tenant_id, admin_user_id) \
         VALUES (2001, 19, 100, 101)",
    )
    .execute(&mut admin)
    .await
    .unwrap();
    let found = ctx.repo.by_ids(&MAIN_A, &[CustomerId(3001)]).await.unwrap();
    assert_eq!(found[0].tags, vec![TagId(11), TagId(19)]);
    assert_eq!(found[0].tag_names, vec!["VIP".to_owned(), name.to_owned()]);
}

#[tokio::test]
async fn a_contact_s_tags_are_never_cut_at_the_default_aggregate_length() {
    let ctx = Ctx::loaded().await;
    // 9,000 tags of 126 characters: over a MiB of JSON, the default group_concat_max_len.
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    for sql in [
        "INSERT INTO tag (id, tenant_id, name) \
         SELECT 100000 + seq, 100, CONCAT(LPAD(seq, 6, '0'), REPEAT('x', 120)) FROM seq_1_to_9000",
        "INSERT INTO contact_tag (contact_id, tag_id, tenant_id, admin_user_id) \
         SELECT 2001, 100000 + seq, 100, 101 FROM seq_1_to_9000",
    ] {
        diesel::sql_query(sql).execute(&mut admin).await.unwrap();
    }
    let found = ctx.repo.by_ids(&MAIN_A, &[CustomerId(3001)]).await.unwrap();
    assert_eq!(found[0].tags.len(), 9_001);
    assert_eq!(found[0].tags[9_000], TagId(109_000));
    assert_eq!(
        found[0].tag_names[9_000],
        format!("009000{}", "x".repeat(120))
    );
    // The contact lists read the same aggregate.
    let contact =
        scrm_domain::contact::ContactRepository::find(&ctx.repo, &MAIN_A, ContactId(2001))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(contact.tags.len(), 9_001);
    assert_eq!(contact.tags[9_000], TagId(109_000));
}

/// A form of address for contact 2001 of MAIN_A.
fn nick_2001(nick: &str) -> NickNameInput {
    NickNameInput {
        wechat_contact_id: ContactId(2001),
        cust_name: None,
        nick_name: Some(nick.to_owned()),
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// Waits (a bounded while: 20 s, for a machine busy with the rest of the suite) until
/// another connection's statement on `contact_nick_name` has run for 100 ms: the locked row
/// holds it there. `write` is the writer's task: if it ends first, its result says why.
///
/// Read from `processlist`, which is live: `innodb_lock_waits` comes from a copy InnoDB fills
/// again only after 100 ms without a read (`trx0i_s.cc`), so polling it more often kept the
/// copy from before the wait for as long as the polling went on (it failed here, and in
/// `make test`, with the writer waiting all the while).
async fn until_a_lock_wait<T: std::fmt::Debug>(
    admin: &mut AsyncMysqlConnection,
    write: &mut tokio::task::JoinHandle<T>,
) {
    for _ in 0..800 {
        let rows: Vec<Count> = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM information_schema.processlist \
             WHERE db = DATABASE() AND id <> CONNECTION_ID() AND time_ms >= 100 \
             AND info LIKE '%contact\\_nick\\_name%'",
        )
        .load(admin)
        .await
        .unwrap();
        if rows[0].n > 0 {
            return;
        }
        if write.is_finished() {
            panic!("the write ended before it waited: {:?}", write.await);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let state: Vec<Line> = diesel::sql_query(
        "SELECT CONCAT_WS(' | ', id, command, time_ms, state, info) AS line
         FROM information_schema.processlist WHERE db = DATABASE()",
    )
    .load(admin)
    .await
    .unwrap();
    let state: Vec<String> = state.into_iter().map(|l| l.line).collect();
    panic!("the write never reached the locked row; this database's connections: {state:#?}");
}

#[tokio::test]
async fn a_write_dropped_inside_its_transaction_leaves_no_lock_and_no_old_snapshot() {
    use scrm_domain::contact::ContactRepository as Contacts;
    let ctx = Ctx::loaded().await;
    let (_pool, repo) = one_connection(&ctx);
    Contacts::save_nick_names(&repo, &MAIN_A, &[nick_2001("舊")])
        .await
        .unwrap();
    // Another client holds the row: the write blocks inside its transaction (after its
    // BEGIN and its first statement) until it is dropped, as a request deadline drops it.
    let mut locker = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    diesel::sql_query("BEGIN")
        .execute(&mut locker)
        .await
        .unwrap();
    diesel::sql_query(
        "SELECT nick_name FROM contact_nick_name WHERE wechat_contact_id = 2001 FOR UPDATE",
    )
    .execute(&mut locker)
    .await
    .unwrap();
    let writer = repo.clone();
    let mut write = tokio::spawn(async move {
        Contacts::save_nick_names(&writer, &MAIN_A, &[nick_2001("棄")]).await
    });
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    until_a_lock_wait(&mut admin, &mut write).await;
    write.abort();
    assert!(write.await.unwrap_err().is_cancelled());
    diesel::sql_query("ROLLBACK")
        .execute(&mut locker)
        .await
        .unwrap();
    // The dropped write's transaction must not stay open on an idle pooled connection: it
    // would hold the row (every other writer waits for it) and read an old snapshot.
    let mut other = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    diesel::sql_query("SET SESSION innodb_lock_wait_timeout = 5")
        .execute(&mut other)
        .await
        .unwrap();
    diesel::sql_query(
        "UPDATE contact_nick_name SET nick_name = '新' WHERE wechat_contact_id = 2001",
    )
    .execute(&mut other)
    .await
    .unwrap();
    let seen = Contacts::find(&repo, &MAIN_A, ContactId(2001))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.customer_nick_name.as_deref(), Some("新"));
}

/// A write handed an open instance of `customer` whose triggers failed to load (as a Galera
/// conflict that kills the read of their definitions leaves one) closes the table's
/// instances and runs again. MariaDB keeps that instance in its table cache: every statement
/// handed it fails with the same text until it is closed (the cluster test met this under
/// load: every update through one node refused for seconds).
#[tokio::test]
async fn a_write_handed_a_table_whose_triggers_failed_to_load_reopens_it_and_succeeds() {
    use diesel_async::SimpleAsyncConnection;
    let ctx = Ctx::loaded().await;
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    cache_customer_with_broken_triggers(&mut admin).await;
    let deleted = ctx
        .repo
        .soft_delete(&MAIN_A, CustomerId(3001), chrono::Utc::now())
        .await
        .unwrap();
    assert!(deleted);
    assert_eq!(
        first_page(&ctx.repo).await.unwrap().total,
        4,
        "deleted once"
    );
    admin
        .batch_execute("UPDATE customer SET remarks = 'x' WHERE id = 3002")
        .await
        .unwrap();
}

/// Without the `RELOAD` privilege the flush fails: the write still runs again as for any
/// conflict and, handed the broken instance each time, ends `Unavailable` (a 503, not a
/// 500), having changed nothing. The flush is tried once, not before each run again: it
/// would fail the same way (counted on the pool's one connection, `Com_flush`).
#[tokio::test]
async fn without_reload_a_write_handed_broken_triggers_is_unavailable_and_changes_nothing() {
    use diesel_async::SimpleAsyncConnection;
    let ctx = Ctx::loaded().await;
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    // A user of this test's database alone (no global privilege such as RELOAD).
    let user = format!("scrm_noreload_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "CREATE USER '{user}'@'%'; GRANT ALL ON `{}`.* TO '{user}'@'%'",
            ctx.db.name()
        ))
        .await
        .unwrap();
    let (_, server) = ctx.db.url().split_once('@').unwrap();
    let url = format!("mysql://{user}@{server}");
    let one = PoolSettings {
        max_size: 1,
        ..PoolSettings::default()
    };
    let pool = build_pool(&url, &one).unwrap();
    let repo = MySql::new(pool.clone());
    cache_customer_with_broken_triggers(&mut admin).await;
    let flushes_before = flushes(&mut pool.get().await.unwrap()).await;
    let refused = repo
        .soft_delete(&MAIN_A, CustomerId(3001), chrono::Utc::now())
        .await;
    let flushes = flushes(&mut pool.get().await.unwrap()).await - flushes_before;
    admin.batch_execute("FLUSH TABLES customer").await.unwrap();
    admin
        .batch_execute(&format!("DROP USER '{user}'@'%'"))
        .await
        .unwrap();
    assert!(
        matches!(refused, Err(StoreError::Unavailable(_))),
        "{refused:?}"
    );
    assert_eq!(
        first_page(&ctx.repo).await.unwrap().total,
        5,
        "nothing deleted"
    );
    assert_eq!(flushes, 1, "the failing flush is tried once");
}

#[derive(diesel::QueryableByName)]
struct Status {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = Value)]
    value: String,
}

/// The `FLUSH` statements `conn` has run (its session's `Com_flush`).
async fn flushes(conn: &mut AsyncMysqlConnection) -> u64 {
    let rows: Vec<Status> = diesel::sql_query("SHOW SESSION STATUS LIKE 'Com_flush'")
        .load(conn)
        .await
        .unwrap();
    rows[0].value.parse().unwrap()
}
