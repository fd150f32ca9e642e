//! The per-account customer counts (`customer_count`) behind unfiltered counts stay equal to a
//! naive `COUNT(*)` of the customers through every write that changes them: add, delete to
//! the recycle bin, restore, and imports that add customers or move a WeChat account (and its
//! customers) to another account.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{BinFilter, CustomerFilter, CustomerRepository};
use scrm_domain::{CustomerId, OwnerFilter, PageRequest, Scope};
use scrm_mysql::schema::customer;
use scrm_test_support::contracts::fixture::{MAIN_A, MAIN_B, SUB1, SUB2, at};
use serde_json::json;

use crate::factory::Ctx;

const SCOPES: [Scope; 4] = [MAIN_A, SUB1, SUB2, MAIN_B];

/// The naive reference: `COUNT(*)` of the scope's live and binned customers.
async fn naive(conn: &mut AsyncMysqlConnection, scope: &Scope) -> (u64, u64) {
    let mut q = customer::table.into_boxed();
    q = match scope.owner_filter() {
        OwnerFilter::Tenant(t) => q.filter(customer::tenant_id.eq(t.0)),
        OwnerFilter::Account(a) => q.filter(customer::admin_user_id.eq(a.0)),
    };
    let rows: Vec<Option<chrono::NaiveDateTime>> =
        q.select(customer::deleted_at).load(conn).await.unwrap();
    let live = rows.iter().filter(|d| d.is_none()).count() as u64;
    (live, rows.len() as u64 - live)
}

pub(crate) async fn assert_counts(ctx: &Ctx, when: &str) {
    let mut conn = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    let stored: i64 = customer::table
        .select(count_star())
        .get_result(&mut conn)
        .await
        .unwrap();
    assert!(stored > 0);
    for scope in SCOPES {
        let (live, binned) = naive(&mut conn, &scope).await;
        let page = ctx
            .repo
            .page(
                &scope,
                &CustomerFilter::default(),
                PageRequest::new(1, 10).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(page.total, live, "live of {scope:?} {when}");
        let bin = ctx
            .repo
            .recycle_bin(
                &scope,
                &BinFilter::default(),
                PageRequest::new(1, 10).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(bin.total, binned, "binned of {scope:?} {when}");
    }
}

#[tokio::test]
async fn counts_follow_add_delete_restore_and_imports() {
    let ctx = Ctx::loaded().await;
    assert_counts(&ctx, "after the first import").await;
    let now = at(2026, 3, 1, 9, 0, 0);
    assert!(
        ctx.repo
            .soft_delete(&SUB1, CustomerId(3001), now)
            .await
            .unwrap()
    );
    assert!(
        !ctx.repo
            .soft_delete(&SUB1, CustomerId(3001), now)
            .await
            .unwrap()
    );
    assert!(
        !ctx.repo
            .soft_delete(&SUB2, CustomerId(3002), now)
            .await
            .unwrap()
    );
    assert!(
        ctx.repo
            .soft_delete(&MAIN_A, CustomerId(3005), now)
            .await
            .unwrap()
    );
    // Another tenant's ids change nothing, neither the rows nor any counter.
    assert!(
        !ctx.repo
            .soft_delete(&MAIN_B, CustomerId(3003), now)
            .await
            .unwrap()
    );
    assert!(
        !ctx.repo
            .restore(&MAIN_B, CustomerId(3005), now)
            .await
            .unwrap()
    );
    assert_counts(&ctx, "after deletes").await;
    assert!(
        ctx.repo
            .restore(&MAIN_A, CustomerId(3001), now)
            .await
            .unwrap()
    );
    assert!(
        !ctx.repo
            .restore(&MAIN_A, CustomerId(3001), now)
            .await
            .unwrap()
    );
    assert_counts(&ctx, "after a restore").await;
    ctx.new_customer(&SUB1, 2006, now).await;
    assert_counts(&ctx, "after an add").await;
    // WeChat account 1002 (and its customers) moves from sub-account 102 to 101; a new
    // customer arrives for contact 2004's neighbour.
    let moved = serde_json::from_value(json!({
        "wechatUsers": [{"id": 1002, "adminUserId": 101, "uin": "u1002", "userName": "wxid_s2"}],
        "wechatContacts": [{"id": 2008, "wechatUserId": 1000, "nickName": "新人", "createTime": "2026-02-01 09:00:00"}],
        "customers": [{"id": 3008, "wechatContactId": 2008, "customerName": "新客", "createTime": "2026-02-01 10:00:00"}]
    }))
    .unwrap();
    ctx.import(&moved).await;
    assert_counts(&ctx, "after an import moving a WeChat account").await;
    // Importing the same document again changes nothing.
    ctx.import(&moved).await;
    assert_counts(&ctx, "after the same import again").await;
}
