//! `IndexSource` on MariaDB: what the customer index loads a tenant from, the changed
//! customers it re-reads (each with its own tenant, so the index files it under the right
//! one) and the change log the triggers write.

use chrono::Utc;
use scrm_domain::customer::{
    ChangeSubject, CustomerPatch, CustomerRepository, FieldChange, IndexSource, LaneHead,
    SaveTarget,
};
use scrm_domain::{AdminUserId, ContactId, CustomerId};
use scrm_test_support::contracts::fixture::{MAIN_A, MAIN_B};

use crate::factory::Ctx;

fn ids(customers: &[scrm_domain::customer::IndexedCustomer]) -> Vec<i64> {
    let mut ids: Vec<i64> = customers.iter().map(|c| c.id.0).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_tenant_loads_its_own_customers_only() {
    let ctx = Ctx::loaded().await;
    let a = ctx.repo.tenant(MAIN_A.tenant).await.unwrap();
    assert_eq!(ids(&a), [3001, 3002, 3003, 3004, 3005]);
    assert!(a.iter().all(|c| c.tenant == MAIN_A.tenant));
    let b = ctx.repo.tenant(MAIN_B.tenant).await.unwrap();
    assert_eq!(ids(&b), [3201]);
    assert_eq!(b[0].tenant, MAIN_B.tenant);
    assert!(ctx.repo.tenant(AdminUserId(999)).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_biggest_tenants_come_first_with_their_customers() {
    let ctx = Ctx::loaded().await;
    let sizes = ctx.repo.biggest_tenants(10).await.unwrap();
    assert_eq!(sizes, [(MAIN_A.tenant, 5), (MAIN_B.tenant, 1)]);
    // A binned customer still counts (the index holds the bin too).
    assert!(
        ctx.repo
            .soft_delete(&MAIN_B, CustomerId(3201), Utc::now())
            .await
            .unwrap()
    );
    assert_eq!(
        ctx.repo.biggest_tenants(1).await.unwrap(),
        [(MAIN_A.tenant, 5)]
    );
    assert_eq!(
        ctx.repo.biggest_tenants(10).await.unwrap()[1],
        (MAIN_B.tenant, 1)
    );
}

#[tokio::test]
async fn changed_customers_are_read_with_their_own_tenant() {
    let ctx = Ctx::loaded().await;
    // By customer id and by contact id, across tenants: each comes with its tenant, once.
    let read = ctx
        .repo
        .customers(
            &[CustomerId(3001), CustomerId(3201), CustomerId(9999)],
            &[ContactId(2001), ContactId(2002)],
        )
        .await
        .unwrap();
    assert_eq!(ids(&read), [3001, 3002, 3201]);
    for c in &read {
        let tenant = if c.id.0 == 3201 {
            MAIN_B.tenant
        } else {
            MAIN_A.tenant
        };
        assert_eq!(c.tenant, tenant, "{:?}", c.id);
    }
    assert!(ctx.repo.customers(&[], &[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_save_is_in_the_change_log_under_its_tenant() {
    let ctx = Ctx::loaded().await;
    let head = ctx.repo.head().await.unwrap();
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("改名".to_owned()),
        ..CustomerPatch::default()
    };
    ctx.repo
        .save(
            &MAIN_B,
            SaveTarget::Existing(CustomerId(3201), None),
            &patch,
            Utc::now(),
        )
        .await
        .unwrap();
    let changes = ctx.repo.changes(head, 100).await.unwrap();
    assert!(!changes.is_empty());
    assert!(
        changes
            .iter()
            .all(|c| c.seq > head && c.tenant == MAIN_B.tenant)
    );
    assert!(
        changes
            .iter()
            .any(|c| c.subject == ChangeSubject::Customer(CustomerId(3201)))
    );
    assert!(ctx.repo.head().await.unwrap() > head);
    let read = ctx.repo.customers(&[CustomerId(3201)], &[]).await.unwrap();
    assert_eq!(read[0].customer_name.as_deref(), Some("改名"));
    // No transaction started before the epoch.
    let (now, running) = ctx.repo.clock(None).await.unwrap();
    assert!(!running);
    assert!((Utc::now() - now).num_minutes().abs() < 5, "{now}");
}

/// The shared test server is one server (wsrep off): the log keeps no lanes, its rows have
/// none, and no lane row is written. A lane's read (what a Galera node's rows give, planted
/// here by hand) returns each lane's rows above its number, ascending, within the limit.
#[tokio::test]
async fn a_single_server_keeps_no_lanes_and_lanes_read_by_their_ranges() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let ctx = Ctx::loaded().await;
    assert_eq!(ctx.repo.lanes().await.unwrap(), None);
    let head = ctx.repo.head().await.unwrap();
    assert!(head >= 6, "the fixture's import is logged: {head}");
    let mut sql = diesel_async::AsyncMysqlConnection::establish(ctx.db.url())
        .await
        .unwrap();
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let laned: Vec<N> = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM customer_change WHERE lane IS NOT NULL \
         UNION ALL SELECT COUNT(*) FROM customer_change_lane",
    )
    .load(&mut sql)
    .await
    .unwrap();
    assert_eq!(laned.iter().map(|r| r.n).collect::<Vec<_>>(), [0, 0]);
    // Plant lanes: odd numbers in lane 16, even ones in lane 32.
    diesel::sql_query("UPDATE customer_change SET lane = IF(seq % 2 = 1, 16, 32)")
        .execute(&mut sql)
        .await
        .unwrap();
    let after = [LaneHead { lane: 16, seq: 1 }, LaneHead { lane: 32, seq: 4 }];
    let read = ctx.repo.lane_changes(&after, 1000).await.unwrap();
    let seqs: Vec<(i64, i64)> = read.iter().map(|c| (c.lane, c.change.seq)).collect();
    let all = ctx.repo.changes(0, 1000).await.unwrap();
    let want: Vec<(i64, i64)> = all
        .iter()
        .map(|c| c.seq)
        .filter(|s| if s % 2 == 1 { *s > 1 } else { *s > 4 })
        .map(|s| (if s % 2 == 1 { 16 } else { 32 }, s))
        .collect();
    assert!(want.len() >= 3, "{want:?}");
    assert_eq!(seqs, want);
    let two = ctx.repo.lane_changes(&after, 2).await.unwrap();
    assert_eq!(
        two.iter().map(|c| c.change.seq).collect::<Vec<_>>(),
        want[..2].iter().map(|w| w.1).collect::<Vec<_>>(),
        "the lowest numbers first"
    );
    assert!(ctx.repo.lane_changes(&[], 10).await.unwrap().is_empty());
}

/// Hand-entered manual entries: a tenant loads its live ones, a write of one is logged under
/// its tenant (a pool entry's is not), and re-reading leaves out what is deleted or pooled.
#[tokio::test]
async fn hand_entered_manual_entries_are_loaded_logged_and_re_read() {
    use scrm_domain::ManualEntryId;
    use scrm_domain::manual::ManualEntryRepository;
    use scrm_test_support::contracts::fixture::{SUB1, call_document};

    let ctx = Ctx::loaded().await;
    ctx.import(&call_document()).await;
    let entry_ids = |mut v: Vec<i64>| {
        v.sort_unstable();
        v
    };
    let a = ctx
        .repo
        .manual_tenant(MAIN_A.tenant)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        entry_ids(a.iter().map(|e| e.id.0).collect()),
        [5001, 5101, 5102, 5103, 5104, 5201, 5202, 5301],
        "pool entries (5105, 5203, 5401) are not indexed"
    );
    let e = a.iter().find(|e| e.id.0 == 5101).unwrap();
    assert_eq!(
        (e.tenant, e.assignee, e.dial_status, e.add_status),
        (MAIN_A.tenant, AdminUserId(101), 1, 2)
    );
    assert_eq!(
        (
            e.company.as_deref(),
            e.customer_name.as_deref(),
            e.user_name.as_deref()
        ),
        (Some("甲公司科技"), Some("王一"), Some("wxid_a"))
    );
    let head = ctx.repo.head().await.unwrap();
    assert!(
        ctx.repo
            .delete_entry(&SUB1, ManualEntryId(5101), Utc::now())
            .await
            .unwrap()
    );
    let mut sql = {
        use diesel_async::AsyncConnection;
        diesel_async::AsyncMysqlConnection::establish(ctx.db.url())
            .await
            .unwrap()
    };
    {
        use diesel_async::RunQueryDsl;
        diesel::sql_query("UPDATE manual_entry SET dial_status = 0 WHERE id IN (5105, 5102)")
            .execute(&mut sql)
            .await
            .unwrap();
    }
    let changes = ctx.repo.changes(head, 100).await.unwrap();
    let logged: Vec<(i64, ChangeSubject)> =
        changes.iter().map(|c| (c.tenant.0, c.subject)).collect();
    assert_eq!(
        logged,
        [
            (100, ChangeSubject::ManualEntry(ManualEntryId(5101))),
            (100, ChangeSubject::ManualEntry(ManualEntryId(5102))),
        ]
    );
    let read = ctx
        .repo
        .manual_entries(&[5101, 5102, 5105, 5501, 9999].map(ManualEntryId))
        .await
        .unwrap();
    let mut read: Vec<(i64, i64, i32)> = read
        .iter()
        .map(|e| (e.id.0, e.tenant.0, e.dial_status))
        .collect();
    read.sort_unstable();
    assert_eq!(read, [(5102, 100, 0), (5501, 200, 0)]);
    assert!(ctx.repo.manual_entries(&[]).await.unwrap().is_empty());
}

/// Contacts: a tenant loads every one of its contacts (2006 has no customer in the base
/// fixture) with its owner, WeChat account and tags; a new contact and a re-tag are logged
/// under the tenant and re-read; the WeChat accounts are read with their online flag.
#[tokio::test]
async fn contacts_are_loaded_logged_and_re_read() {
    use scrm_domain::contact::IndexedContact;
    use scrm_domain::{TagId, WechatUserId};

    let ctx = Ctx::loaded().await;
    let mut a = ctx
        .repo
        .contact_tenant(MAIN_A.tenant)
        .await
        .unwrap()
        .unwrap();
    a.sort_by_key(|c| c.id);
    let ids: Vec<i64> = a.iter().map(|c| c.id.0).collect();
    assert_eq!(ids, [2001, 2002, 2003, 2004, 2005, 2006]);
    assert_eq!(
        a[1],
        IndexedContact {
            id: ContactId(2002),
            tenant: MAIN_A.tenant,
            owner: AdminUserId(101),
            wechat_user: WechatUserId(1001),
            tags: vec![TagId(11), TagId(12)],
        }
    );
    assert!(a[4].tags.is_empty());
    let head = ctx.repo.head().await.unwrap();
    let doc: scrm_domain::import::ImportDocument = serde_json::from_value(serde_json::json!({
        "wechatContacts": [
            {"id": 2008, "wechatUserId": 1000, "nickName": "新", "createTime": "2025-12-09 09:00:00"},
            {"id": 2005, "wechatUserId": 1000, "nickName": "趙敏", "tagIds": [13], "createTime": "2025-12-05 09:00:00"}
        ]
    }))
    .unwrap();
    ctx.import(&doc).await;
    let changes = ctx.repo.changes(head, 100).await.unwrap();
    for id in [2008, 2005] {
        assert!(
            changes
                .iter()
                .any(|c| c.subject == ChangeSubject::Contact(ContactId(id))
                    && c.tenant == MAIN_A.tenant),
            "{id}: {changes:?}"
        );
    }
    let read = ctx
        .repo
        .contacts(&[
            ContactId(2008),
            ContactId(2005),
            ContactId(2201),
            ContactId(9),
        ])
        .await
        .unwrap();
    let mut by_id: Vec<(i64, i64, Vec<TagId>)> = read
        .iter()
        .map(|c| (c.id.0, c.tenant.0, c.tags.clone()))
        .collect();
    by_id.sort();
    assert_eq!(
        by_id,
        [
            (2005, 100, vec![TagId(13)]),
            (2008, 100, vec![]),
            (2201, 200, vec![TagId(21)])
        ]
    );
    let accounts = ctx
        .repo
        .wechat_accounts(&[WechatUserId(1002), WechatUserId(1000), WechatUserId(5)])
        .await
        .unwrap();
    let mut accounts: Vec<(i64, bool)> = accounts.iter().map(|s| (s.id.0, s.online)).collect();
    accounts.sort_unstable();
    assert_eq!(accounts, [(1000, true), (1002, false)]);
}

/// The clock counts a transaction that started by `since` and has modified a row while its
/// connection is on this database, or on none (it may write this log by qualified names), or
/// has written this log from another database, until it ends; other transactions of another
/// database are not this log's, nor one that only reads. The trim forgets the writers that
/// are gone. (A transaction with no connection left, InnoDB's
/// own or one whose client is gone and which rolls back, is not counted either: that state
/// lasts a moment and is not made here; the index tests looped under load met it.)
#[tokio::test]
async fn the_clock_counts_open_transactions_here_without_a_database_and_of_this_logs_writers() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};
    let ctx = Ctx::loaded().await;
    let other = scrm_test_support::TestDatabase::create().await;
    let connect = async |url: &str| AsyncMysqlConnection::establish(url).await.unwrap();
    let run = async |c: &mut AsyncMysqlConnection, sql: &str| {
        c.batch_execute(sql).await.unwrap();
    };
    // Whether the clock says no transaction that started by now is running, asked until it
    // does or 60 times over 6 s: it cannot before a second has passed (its copy of
    // `innodb_trx` must be shown newer than `since`), other tests' short transactions on no
    // database may count for a moment; one that this test holds open counts every time.
    let settles = async || {
        let (since, _) = ctx.repo.clock(None).await.unwrap();
        for _ in 0..60 {
            if !ctx.repo.clock(Some(since)).await.unwrap().1 {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    };
    assert!(settles().await, "nothing of this test is open");

    let mut elsewhere = connect(other.url()).await;
    run(
        &mut elsewhere,
        "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB",
    )
    .await;
    run(&mut elsewhere, "BEGIN; INSERT INTO t VALUES (1)").await;
    assert!(
        settles().await,
        "another database's open transaction is not counted"
    );
    // Unless it writes this database's tables by qualified names: then it may hold numbers of
    // this log, and its connection is among the log's writers (its row not yet committed).
    let qualified = format!(
        "UPDATE `{}`.customer SET remarks = 'held elsewhere' WHERE id = 3001",
        ctx.db.name()
    );
    run(&mut elsewhere, &qualified).await;
    assert!(
        !settles().await,
        "a transaction on another database that wrote this log is counted"
    );
    run(&mut elsewhere, "ROLLBACK").await;
    assert!(settles().await, "rolled back, it is not");

    // A transaction that has modified nothing holds no number of the log, however long it
    // stays open (a backup's consistent snapshot, a report).
    let mut reader = connect(ctx.db.url()).await;
    run(
        &mut reader,
        "START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT COUNT(*) FROM customer \
         WHERE id IN (SELECT id FROM customer FOR UPDATE)",
    )
    .await;
    assert!(
        settles().await,
        "an open transaction that modified nothing is not counted"
    );
    run(
        &mut reader,
        "UPDATE customer SET remarks = 'held' WHERE id = 3001",
    )
    .await;
    assert!(
        !settles().await,
        "once it has modified a row, it is counted"
    );
    run(&mut reader, "ROLLBACK").await;

    let mut here = connect(ctx.db.url()).await;
    run(&mut here, "BEGIN; UPDATE customer SET remarks = 'held'").await;
    assert!(
        !settles().await,
        "this database's open transaction is counted"
    );
    run(&mut here, "COMMIT").await;
    assert!(settles().await, "a committed one is not");

    let mut nowhere = connect(&scrm_test_support::mysql_server_url()).await;
    let update = format!(
        "BEGIN; UPDATE `{}`.customer SET remarks = 'held'",
        ctx.db.name()
    );
    run(&mut nowhere, &update).await;
    assert!(
        !settles().await,
        "an open transaction on no database is counted"
    );
    run(&mut nowhere, "ROLLBACK").await;
    assert!(settles().await, "a rolled-back one is not");

    // The trim forgets the writers whose connection is gone, and keeps the others. (The
    // rolled-back write above took its row away; this one commits it.)
    run(&mut elsewhere, &qualified).await;
    let id = async |c: &mut AsyncMysqlConnection| -> u64 {
        diesel::sql_query("SELECT CONNECTION_ID() AS n")
            .get_result::<Number>(c)
            .await
            .unwrap()
            .n
    };
    let (gone, kept) = (id(&mut elsewhere).await, id(&mut here).await);
    let mut watcher = connect(ctx.db.url()).await;
    let writers = "SELECT conn AS n FROM customer_change_writer ORDER BY conn";
    let listed = diesel::sql_query(writers)
        .load::<Number>(&mut watcher)
        .await
        .unwrap();
    assert!(
        [gone, kept]
            .iter()
            .all(|w| listed.iter().any(|l| l.n == *w)),
        "both wrote this log"
    );
    drop(elsewhere);
    let mut left = listed;
    for _ in 0..50 {
        ctx.repo.trim(3_600).await.unwrap();
        left = diesel::sql_query(writers)
            .load::<Number>(&mut watcher)
            .await
            .unwrap();
        if left.iter().all(|l| l.n != gone) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        left.iter().all(|l| l.n != gone),
        "a gone writer is forgotten"
    );
    assert!(left.iter().any(|l| l.n == kept), "a live one is kept");
}

/// One unsigned number a statement answers (as `n`).
#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::Unsigned<diesel::sql_types::BigInt>)]
    n: u64,
}

/// A transaction prepared with XA whose client then went away stays in `innodb_trx` with no
/// connection (thread 0) and commits when any client says `XA COMMIT`: its change-log rows
/// may still come, so the clock counts it until it ends. (Counted as gone, as before, its gap
/// could close and the rows it commits later would stay below the reader's floor.)
#[tokio::test]
async fn a_prepared_xa_transaction_whose_client_is_gone_counts_until_committed() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, SimpleAsyncConnection};
    let ctx = Ctx::loaded().await;
    let xid = format!("'{}'", ctx.db.name());
    let mut client = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    client
        .batch_execute(&format!(
            "XA START {xid}; UPDATE customer SET remarks = 'prepared' WHERE id = 3001; \
             XA END {xid}; XA PREPARE {xid}"
        ))
        .await
        .unwrap();
    drop(client);
    let (since, _) = ctx.repo.clock(None).await.unwrap();
    // The clock trusts a copy of `innodb_trx` only once a second has passed since `since`.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(
            ctx.repo
                .clock(Some(since))
                .await
                .map(|(_, running)| running),
        );
        tokio::time::sleep(std::time::Duration::from_millis(160)).await;
    }
    // Committed before anything is asserted: a prepared transaction left behind would hold
    // its locks, and every clock of the server, until someone ended it.
    let mut admin = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    admin
        .batch_execute(&format!("XA COMMIT {xid}"))
        .await
        .unwrap();
    for (round, running) in seen.into_iter().enumerate() {
        assert!(
            running.unwrap(),
            "round {round}: the prepared transaction may still commit"
        );
    }
    // Committed, it counts no more: the clock settles (other tests' short transactions may
    // count for a moment).
    let (since, _) = ctx.repo.clock(None).await.unwrap();
    let mut settled = false;
    for _ in 0..60 {
        if !ctx.repo.clock(Some(since)).await.unwrap().1 {
            settled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(settled, "a committed transaction is not running");
}

/// InnoDB answers `innodb_trx` from a copy it fills again only when nobody read it for 100
/// ms: a transaction that began right after one clock read and before the next (whose time
/// becomes `since`) is not in that copy yet. The clock still says "running" when asked about
/// `since` at once.
#[tokio::test]
async fn a_transaction_begun_just_before_since_counts_though_innodb_trx_lags() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, SimpleAsyncConnection};
    let ctx = Ctx::loaded().await;
    let mut here = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    for round in 0..5 {
        // A read of the table fills InnoDB's copy; the transaction begins after it.
        here.batch_execute("SELECT COUNT(*) FROM information_schema.innodb_trx")
            .await
            .unwrap();
        here.batch_execute("BEGIN; UPDATE customer SET remarks = 'held'")
            .await
            .unwrap();
        let (since, _) = ctx.repo.clock(None).await.unwrap();
        let (_, running) = ctx.repo.clock(Some(since)).await.unwrap();
        assert!(running, "round {round}: the open transaction is running");
        here.batch_execute("ROLLBACK").await.unwrap();
    }
}

/// Read more often than every 100 ms (here by another client, every 20 ms), `innodb_trx`
/// keeps the copy it had when the reads began, for as long as they go on: a transaction
/// begun since is not in it. The clock does not take that copy's word: it says "running"
/// until a copy shown to be newer than `since` says otherwise. (With the copy trusted after
/// 300 ms, as before, the held transaction read as ended and its gap could close.)
#[tokio::test]
async fn a_copy_of_innodb_trx_kept_by_frequent_reads_does_not_end_a_running_transaction() {
    use std::time::Duration;

    use diesel_async::{AsyncConnection, AsyncMysqlConnection, SimpleAsyncConnection};
    let ctx = Ctx::loaded().await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut reader = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    let reading = {
        let stop = stop.clone();
        tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                reader
                    .batch_execute("SELECT COUNT(*) FROM information_schema.innodb_trx")
                    .await
                    .unwrap();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut here = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    here.batch_execute("BEGIN; UPDATE customer SET remarks = 'held'")
        .await
        .unwrap();
    let (since, _) = ctx.repo.clock(None).await.unwrap();
    // Past the second after `since` (the clock's own transaction starts after it) and far
    // past the 300 ms the copy was once trusted after.
    for _ in 0..15 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (_, running) = ctx.repo.clock(Some(since)).await.unwrap();
        assert!(running, "the held transaction reads as running");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    reading.await.unwrap();
    // Once the reads stop, a new copy lists it: still running.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, running) = ctx.repo.clock(Some(since)).await.unwrap();
    assert!(running, "the held transaction is running");
    here.batch_execute("ROLLBACK").await.unwrap();
    let mut ended = false;
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if !ctx.repo.clock(Some(since)).await.unwrap().1 {
            ended = true;
            break;
        }
    }
    assert!(ended, "once rolled back, a new copy ends it");
}

/// The trim of the log does not fail when forgetting the gone writers does (here their table
/// is gone): the log's rows are trimmed, and the next trim tries again.
#[tokio::test]
async fn the_trim_of_the_log_stands_when_forgetting_writers_fails() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, SimpleAsyncConnection};
    let ctx = Ctx::loaded().await;
    let mut c = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    c.batch_execute(
        "UPDATE customer_change SET created_at = created_at - INTERVAL 2 HOUR; \
         DROP TABLE customer_change_writer",
    )
    .await
    .unwrap();
    let trimmed = ctx.repo.trim(3_600).await.unwrap();
    assert!(
        trimmed > 0,
        "the fixture's log rows are older than an hour now"
    );
}
