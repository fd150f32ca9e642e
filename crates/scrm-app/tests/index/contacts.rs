//! findcontactbytagAll's selection through the index against SQL: the random writes of
//! `main.rs` also add and delete contacts without a customer and flip WeChat accounts
//! online and offline (another writer's plain SQL), and the random requests include
//! selections with every tag mode, scope and account filter; `scrm index check` finds a
//! contact whose change row was removed.

use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use rand::Rng;
use rand::rngs::StdRng;
use scrm_domain::contact::{ContactIndex, ContactRepository, ContactTagQuery};
use scrm_domain::search::TagMode;
use scrm_domain::{AdminUserId, ContactId, Scope, TagId, WechatUserId};
use scrm_mysql::MySql;

use crate::{ACCOUNTS, Instance, loaded, run_sql, tags_of, tenant_of};

/// First id of the contacts the writes below add.
const NEW_CONTACTS: i64 = 950_000;

/// A random findcontactbytagAll query of a tenant.
pub fn query(rng: &mut StdRng, tenant: i64) -> ContactTagQuery {
    ContactTagQuery {
        tag_ids: tags_of(tenant)
            .into_iter()
            .filter(|_| rng.random_bool(0.3))
            .map(TagId)
            .collect(),
        tag_mode: [TagMode::Any, TagMode::All, TagMode::None][rng.random_range(0..3)],
        wechat_user_id: rng.random_bool(0.2).then(|| {
            let account = ACCOUNTS[rng.random_range(0..ACCOUNTS.len())].0;
            WechatUserId(account * 10)
        }),
        include_offline: rng.random_bool(0.5),
    }
}

/// Compares one random selection of `scope` through the index with SQL; whether the index
/// answered.
pub async fn compare(
    rng: &mut StdRng,
    inst: &Instance,
    sql: &MySql,
    scope: &Scope,
    step: usize,
) -> bool {
    let q = query(rng, scope.tenant.0);
    let Some(got) = inst.index.select(scope, &q).await else {
        return false;
    };
    let want: Vec<ContactId> = sql
        .find_by_tags(scope, &q)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(got, want, "step {step}: {q:?} in {scope:?}");
    true
}

/// Another writer's plain SQL on contacts: a new contact without a customer (with some of
/// its tenant's tags), one of those deleted (with its tags), or a WeChat account going
/// online or offline.
pub async fn write(rng: &mut StdRng, account: i64, sql: &mut AsyncMysqlConnection, step: usize) {
    let tenant = tenant_of(account);
    let run = async |sql: &mut AsyncMysqlConnection, statement: String| {
        diesel::sql_query(statement).execute(sql).await.unwrap();
    };
    match rng.random_range(0..3) {
        0 => {
            let id = NEW_CONTACTS + i64::try_from(step).unwrap();
            run(
                sql,
                format!(
                    "INSERT INTO wechat_contact (id, tenant_id, admin_user_id, wechat_user_id, \
                     nick_name, create_time) VALUES ({id}, {tenant}, {account}, {}, '新', \
                     UTC_TIMESTAMP(3))",
                    account * 10
                ),
            )
            .await;
            for tag in tags_of(tenant).into_iter().filter(|_| rng.random_bool(0.4)) {
                run(
                    sql,
                    format!(
                        "INSERT INTO contact_tag (contact_id, tag_id, tenant_id, admin_user_id) \
                         VALUES ({id}, {tag}, {tenant}, {account})"
                    ),
                )
                .await;
            }
        }
        1 => {
            let id = NEW_CONTACTS + i64::try_from(rng.random_range(0..=step)).unwrap();
            run(
                sql,
                format!("DELETE FROM contact_tag WHERE contact_id = {id}"),
            )
            .await;
            run(sql, format!("DELETE FROM wechat_contact WHERE id = {id}")).await;
        }
        _ => {
            run(
                sql,
                format!(
                    "UPDATE wechat_user SET is_online = 1 - is_online WHERE id = {}",
                    account * 10
                ),
            )
            .await;
        }
    }
}

/// `scrm index check` compares the contact selections: clean on a fresh load, and it finds
/// a contact added while an index was loaded whose change row went away in the same
/// transaction (no index can learn of it), in the scopes that see it.
#[tokio::test]
async fn the_check_finds_a_contact_that_bypassed_the_change_log() {
    let (db, inst) = loaded(9, None).await;
    let checker = crate::checker(&inst);
    let before = checker.tenant(AdminUserId(100)).await.unwrap().unwrap();
    assert!(before.is_clean(), "{:?}", before.differences);
    assert!(before.cases > 30, "{before:?}");
    run_sql(
        &db,
        &[
            // Not logged: the index reads the flag at the request.
            "UPDATE wechat_user SET is_online = 1 WHERE id = 1020",
            "BEGIN",
            "INSERT INTO wechat_contact (id, tenant_id, admin_user_id, wechat_user_id, \
             create_time) VALUES (990001, 100, 102, 1020, UTC_TIMESTAMP(3))",
            "DELETE FROM customer_change WHERE contact_id = 990001",
            "COMMIT",
        ],
    )
    .await;
    let after = checker.tenant(AdminUserId(100)).await.unwrap().unwrap();
    let differing: Vec<(i64, &str)> = after
        .differences
        .iter()
        .map(|d| (d.scope.account.0, d.case.as_str()))
        .collect();
    // Account 102's WeChat account is online: every selection of 100 and 102 without tags
    // lists it last; 101 never sees it.
    for account in [100, 102] {
        for case in ["contacts on online accounts", "contacts"] {
            let d = after
                .differences
                .iter()
                .find(|d| {
                    d.scope.account.0 == account && d.case.split(" (from").next() == Some(case)
                })
                .unwrap_or_else(|| panic!("{account} {case}: {differing:?}"));
            assert_eq!(d.sql.0, d.index.0 + 1, "{d}");
            assert_eq!(d.sql.1.last(), Some(&990_001), "{d}");
        }
    }
    assert!(
        differing
            .iter()
            .all(|(account, case)| *account != 101 && case.starts_with("contacts")),
        "{differing:?}"
    );
}
