//! The manual lists through the index against SQL on one MariaDB, through two instances:
//! random writes of manual entries (adds, dials, deletes and restores of one entry or a whole
//! call list through either instance's adapter, some at once; another writer's plain SQL on
//! the friend-request state and the pool flag, imports, a rolled back write), then, in every
//! scope, getManualTaskList's totals and getManualTaskDetail's count from the index equal
//! SQL's whenever the index answers, and the services with and without the index give the
//! same pages (department filters and names included).

use std::sync::Arc;

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scrm_domain::import::ImportDocument;
use scrm_domain::manual::{
    AssigneeQuery, AssigneeTotals, DetailQuery, DialRequest, ManualEntryRepository,
    ManualEntryService, ManualIndex, NewManualEntry,
};
use scrm_domain::{AdminUserId, DepartmentId, ManualEntryId, PageRequest};
use scrm_memory::Memory;
use scrm_mysql::MySql;
use serde_json::json;

use super::{ACCOUNTS, Instance, checker, import, loaded, name, run_sql, scope_of, two_instances};

/// Entries imported at the start, from this id.
const FIRST: i64 = 700_000;
const IMPORTED: i64 = 60;

fn account(rng: &mut StdRng) -> i64 {
    ACCOUNTS[rng.random_range(0..ACCOUNTS.len())].0
}

/// Phones from a small set, so that duplicates (refused adds, dials of a listed phone,
/// restores that conflict) happen.
fn phone(rng: &mut StdRng) -> String {
    format!("1390000{:04}", rng.random_range(0..40))
}

fn entry_id(rng: &mut StdRng, step: usize) -> i64 {
    FIRST + rng.random_range(0..IMPORTED + i64::try_from(step).unwrap() / 2 + 1)
}

/// One imported manual entry (hand-entered mostly, some from a pool task).
fn entry_doc(rng: &mut StdRng, id: i64) -> serde_json::Value {
    json!({
        "id": id, "adminUserId": account(rng),
        "taskId": if rng.random_bool(0.8) { -1 } else { 5 },
        "orderNum": rng.random_range(0..5),
        "company": name(rng), "customerName": name(rng), "userName": name(rng),
        "customerPhone": phone(rng),
        "dialStatus": rng.random_range(0..2), "addStatus": rng.random_range(0..3),
    })
}

/// Departments for the sub-accounts, and the first call lists.
fn call_lists(rng: &mut StdRng) -> ImportDocument {
    let admins: Vec<_> = ACCOUNTS
        .iter()
        .map(|(id, parent)| {
            let depart = match id {
                101 => Some(10),
                102 => Some(11),
                201 => Some(20),
                _ => None,
            };
            json!({"id": id, "loginName": format!("u{id}"), "realName": format!("名{id}"),
                "parentId": parent, "departId": depart})
        })
        .collect();
    let entries: Vec<_> = (0..IMPORTED).map(|i| entry_doc(rng, FIRST + i)).collect();
    serde_json::from_value(json!({
        "departments": [
            {"id": 10, "tenantAdminUserId": 100}, {"id": 11, "tenantAdminUserId": 100},
            {"id": 20, "tenantAdminUserId": 200}
        ],
        "adminUsers": admins, "manualEntries": entries
    }))
    .unwrap()
}

async fn sql_statement(sql: &mut AsyncMysqlConnection, statement: &str, a: i64, b: i64) {
    diesel::sql_query(statement)
        .bind::<diesel::sql_types::BigInt, _>(a)
        .bind::<diesel::sql_types::BigInt, _>(b)
        .execute(sql)
        .await
        .unwrap();
}

/// One random write of manual entries through `repo` (or plain SQL on `sql`).
async fn write(rng: &mut StdRng, repo: &MySql, sql: &mut AsyncMysqlConnection, step: usize) {
    let who = account(rng);
    let scope = scope_of(who);
    let now = chrono::Utc::now();
    let id = ManualEntryId(entry_id(rng, step));
    match rng.random_range(0..11) {
        0 | 1 => {
            let phone = phone(rng);
            let entry = NewManualEntry {
                customer_name: name(rng).unwrap_or_default(),
                customer_phone: phone.clone(),
                phone_digits: phone,
                phone_geo: "廈門".into(),
                company: name(rng),
                user_name: name(rng),
                ..NewManualEntry::default()
            };
            repo.add(&scope, &entry, now).await.unwrap();
        }
        2 => {
            repo.delete_entry(&scope, id, now).await.unwrap();
        }
        3 => {
            repo.delete_assignee(&scope, AdminUserId(account(rng)), now)
                .await
                .unwrap();
        }
        4 => {
            repo.restore_entry(&scope, id, now).await.unwrap();
        }
        5 => {
            repo.restore_assignee(&scope, AdminUserId(account(rng)), now)
                .await
                .unwrap();
        }
        6 => {
            let phone = phone(rng);
            let dial = DialRequest {
                customer_phone: phone.clone(),
                phone_digits: phone,
                uin: format!("w{who}"),
                user_name: name(rng).unwrap_or_else(|| "wx".into()),
                v1: None,
            };
            repo.record_dial(&scope, &dial, now).await.unwrap();
        }
        7 => {
            // The WeChat connector reports a friend request's state.
            let status = rng.random_range(0..3);
            sql_statement(
                sql,
                "UPDATE manual_entry SET add_status = ? WHERE id = ?",
                status,
                id.0,
            )
            .await;
        }
        8 => {
            // A hand-entered entry becomes a pool task's, or back.
            sql_statement(
                sql,
                "UPDATE manual_entry SET task_id = IF(task_id = -1, ?, -1) WHERE id = ?",
                5,
                id.0,
            )
            .await;
        }
        9 => {
            // An import rewrites an entry (its assignee, statuses and texts may change).
            let doc: ImportDocument =
                serde_json::from_value(json!({"manualEntries": [entry_doc(rng, id.0)]})).unwrap();
            import(repo, &doc).await;
        }
        _ => {
            // A rolled back write leaves a hole in the log's numbers.
            let _ = sql
                .transaction::<(), diesel::result::Error, _>(async |c| {
                    sql_statement(
                        c,
                        "UPDATE manual_entry SET dial_status = 1 - dial_status \
                         WHERE id = ? OR id = ?",
                        id.0,
                        id.0 + 1,
                    )
                    .await;
                    Err(diesel::result::Error::RollbackTransaction)
                })
                .await;
        }
    }
}

fn piece(rng: &mut StdRng) -> Option<String> {
    if rng.random_bool(0.6) {
        return None;
    }
    let n = name(rng)?;
    let chars: Vec<char> = n.chars().collect();
    let start = rng.random_range(0..chars.len());
    let len = rng.random_range(0..=chars.len() - start);
    Some(chars[start..start + len].iter().collect())
}

fn detail_query(rng: &mut StdRng) -> DetailQuery {
    DetailQuery {
        admin_user_id: AdminUserId(account(rng)),
        company: piece(rng),
        customer_name: piece(rng),
        user_name: piece(rng),
        dial_status: rng.random_bool(0.3).then(|| rng.random_range(0..2)),
        add_status: rng.random_bool(0.3).then(|| rng.random_range(0..3)),
    }
}

fn totals_of(items: &[scrm_domain::manual::AssigneeSummary]) -> Vec<AssigneeTotals> {
    items
        .iter()
        .map(|s| AssigneeTotals {
            admin_user_id: s.admin_user_id,
            entries: s.entries,
            dialled: s.dialled,
            friend_requests_sent: s.friend_requests_sent,
            added: s.added,
        })
        .collect()
}

/// The services over one instance, with its index and without.
struct Services {
    with_index: ManualEntryService,
    without: ManualEntryService,
}

fn services(inst: &Instance) -> Services {
    let queue = Arc::new(Memory::new());
    Services {
        with_index: ManualEntryService::with_index(
            inst.repo.clone(),
            queue.clone(),
            Arc::new(inst.index.clone()),
        ),
        without: ManualEntryService::new(inst.repo.clone(), queue),
    }
}

/// Compares one random request through an index with SQL; whether the index answered.
async fn compare(rng: &mut StdRng, inst: &Instance, svc: &Services, step: usize) -> bool {
    let who = account(rng);
    let scope = scope_of(who);
    let page = PageRequest::new(rng.random_range(1..=3), rng.random_range(1..=4)).unwrap();
    let all = PageRequest::new(1, 100).unwrap();
    if rng.random_bool(0.4) {
        let assignee = rng.random_bool(0.3).then(|| AdminUserId(account(rng)));
        let query = AssigneeQuery {
            admin_user_id: assignee,
            depart_id: rng
                .random_bool(0.3)
                .then(|| DepartmentId([10, 11, 20, 99][rng.random_range(0..4)])),
        };
        let on = svc
            .with_index
            .assignees(&scope, &query, page)
            .await
            .unwrap();
        let off = svc.without.assignees(&scope, &query, page).await.unwrap();
        assert_eq!(on, off, "step {step}: {query:?} of {who}, {page:?}");
        let Some(got) = inst.index.assignee_totals(&scope, assignee).await else {
            return false;
        };
        let unfiltered = AssigneeQuery {
            admin_user_id: assignee,
            depart_id: None,
        };
        let want = inst.repo.assignees(&scope, &unfiltered, all).await.unwrap();
        assert_eq!(
            got,
            totals_of(&want.items),
            "step {step}: totals of {who} for {assignee:?}"
        );
        return true;
    }
    let q = detail_query(rng);
    let on = svc.with_index.entries(&scope, &q, page).await.unwrap();
    let off = svc.without.entries(&scope, &q, page).await.unwrap();
    assert_eq!(on, off, "step {step}: {q:?} of {who}, {page:?}");
    let Some(got) = inst.index.entry_count(&scope, &q).await else {
        return false;
    };
    let want = inst.repo.entries(&scope, &q, all).await.unwrap().total;
    assert_eq!(got, want, "step {step}: {q:?} of {who}");
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_totals_and_counts_equal_sql_through_two_instances() {
    let (db, mut rng, a, b) = two_instances(Some(call_lists)).await;
    let (svc_a, svc_b) = (services(&a), services(&b));
    let mut sql = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    let mut sql2 = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    let (mut answered, mut asked) = (0, 0);
    for step in 0..200 {
        let (writer, reader, svc) = if step % 2 == 0 {
            (&a, &b, &svc_b)
        } else {
            (&b, &a, &svc_a)
        };
        if step % 5 == 0 {
            let mut r1 = StdRng::seed_from_u64(rng.random());
            let mut r2 = StdRng::seed_from_u64(rng.random());
            tokio::join!(
                write(&mut r1, &a.repo, &mut sql, step),
                write(&mut r2, &b.repo, &mut sql2, step)
            );
        } else {
            write(&mut rng, &writer.repo, &mut sql, step).await;
        }
        for _ in 0..4 {
            asked += 1;
            if compare(&mut rng, reader, svc, step).await {
                answered += 1;
            }
        }
    }
    // Declines are for unsure texts (é) and the time bound; most requests must still be the
    // index's own answers.
    assert!(
        answered * 2 > asked,
        "the index answered {answered} of {asked}"
    );
}

/// `scrm index check` compares the manual lists too: clean at first, then it finds an entry
/// added by a write that bypassed the change log, in the scopes that see it.
#[tokio::test]
async fn the_check_finds_a_manual_entry_that_bypassed_the_change_log() {
    let (db, inst) = loaded(5, Some(call_lists)).await;
    let checker = checker(&inst);
    let before = checker.tenant(AdminUserId(100)).await.unwrap().unwrap();
    assert!(before.is_clean(), "{:?}", before.differences);
    let manual_cases = |r: &scrm_app::index_check::Report| {
        r.differences
            .iter()
            .filter(|d| d.case.starts_with("manual"))
            .map(|d| (d.scope.account.0, d.case.clone()))
            .collect::<Vec<_>>()
    };
    run_sql(
        &db,
        &[
            "BEGIN",
            "INSERT INTO manual_entry (id, tenant_id, admin_user_id, task_id, create_time, \
             last_update_time) VALUES (799999, 100, 101, -1, NOW(), NOW())",
            "DELETE FROM customer_change WHERE manual_entry_id = 799999",
            "COMMIT",
        ],
    )
    .await;
    let after = checker.tenant(AdminUserId(100)).await.unwrap().unwrap();
    let found = manual_cases(&after);
    for account in [100, 101] {
        for case in ["manual totals", "manual entries of 101: all"] {
            assert!(
                found.contains(&(account, case.to_owned())),
                "{account} {case}: {found:?}"
            );
        }
    }
    assert!(found.iter().all(|(a, _)| *a != 102), "{found:?}");
}
