//! `scrm refresh` (`scrm_mysql::refresh_derived`) beside a serving scrm: run again and again
//! while the repository renames customers, changes their phones, bins and restores them, it
//! leaves everything derived exact (the grams, the phone digits, the counts) without a last
//! run after the writes; and a run corrects what hand-typed SQL left stale.

use std::sync::atomic::{AtomicBool, Ordering};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::CustomerId;
use scrm_domain::customer::{CustomerPatch, CustomerRepository, FieldChange, SaveTarget};
use scrm_mysql::schema::{customer, customer_spelling, wechat_contact};
use scrm_test_support::contracts::fixture::{MAIN_A, at};

use crate::counts::assert_counts;
use crate::factory::Ctx;
use crate::grams::assert_exact;

/// Every customer's stored phone digits are its phone's.
async fn assert_digits(ctx: &Ctx, when: &str) {
    let mut conn = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    let rows: Vec<(i64, Option<String>, Option<String>)> = customer::table
        .select((
            customer::id,
            customer::customer_phone,
            customer::phone_digits,
        ))
        .load(&mut conn)
        .await
        .unwrap();
    for (id, phone, digits) in rows {
        let want = phone.as_deref().map(scrm_domain::phone::digits);
        assert_eq!(digits, want, "customer {id} {when}");
    }
}

/// A customer and its three names.
type Names = (i64, Option<String>, Option<String>, Option<String>);

/// Every customer's stored pinyin spellings are those of its three names, in order.
async fn assert_spellings(ctx: &Ctx, when: &str) {
    let mut conn = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    let names: Vec<Names> = customer::table
        .inner_join(wechat_contact::table)
        .select((
            customer::id,
            customer::customer_name,
            wechat_contact::nick_name,
            wechat_contact::remark_name,
        ))
        .load(&mut conn)
        .await
        .unwrap();
    for (id, a, b, r) in names {
        let want = scrm_domain::search::spellings_of(
            [&a, &b, &r].into_iter().flatten().map(String::as_str),
        );
        let stored: Vec<String> = customer_spelling::table
            .filter(customer_spelling::customer_id.eq(id))
            .order(customer_spelling::seq)
            .select(customer_spelling::spelling)
            .load(&mut conn)
            .await
            .unwrap();
        assert_eq!(stored, want, "customer {id} {when}");
    }
}

#[tokio::test]
async fn refreshing_beside_writes_leaves_everything_derived_exact() {
    let ctx = Ctx::loaded().await;
    let now = at(2026, 3, 1, 10, 0, 0);
    let writing = AtomicBool::new(true);
    let writes = async {
        for round in 0..12_u32 {
            for id in [3001_i64, 3002, 3003] {
                let patch = CustomerPatch {
                    customer_name: FieldChange::Set(format!("客戶{round}號{id}")),
                    customer_phone: FieldChange::Set(format!("+86 139-{round:04}-{id}")),
                    ..Default::default()
                };
                let target = SaveTarget::Existing(CustomerId(id), None);
                ctx.repo.save(&MAIN_A, target, &patch, now).await.unwrap();
            }
            if round % 2 == 0 {
                ctx.repo
                    .soft_delete(&MAIN_A, CustomerId(3004), now)
                    .await
                    .unwrap();
            } else {
                ctx.repo
                    .restore(&MAIN_A, CustomerId(3004), now)
                    .await
                    .unwrap();
            }
            tokio::task::yield_now().await;
        }
        writing.store(false, Ordering::SeqCst);
    };
    // Runs until the writes end, the last one begun before they did: nothing runs after them
    // to mend what a refresh racing a write might have left.
    let refreshes = async {
        let mut runs = 0;
        while AtomicBool::load(&writing, Ordering::SeqCst) {
            scrm_mysql::refresh_derived(ctx.db.url(), None)
                .await
                .unwrap();
            runs += 1;
        }
        runs
    };
    let ((), runs) = tokio::join!(writes, refreshes);
    assert!(runs > 1, "{runs} refreshes ran beside the writes");
    assert_exact(&ctx, "after refreshes beside writes").await;
    assert_digits(&ctx, "after refreshes beside writes").await;
    assert_spellings(&ctx, "after refreshes beside writes").await;
    assert_counts(&ctx, "after refreshes beside writes").await;
}

#[tokio::test]
async fn a_refresh_corrects_what_hand_typed_sql_left_stale() {
    let ctx = Ctx::loaded().await;
    let mut sql = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    for statement in [
        "UPDATE customer SET customer_name = '諸葛亮', customer_phone = '0086 138 0000 9999' \
         WHERE id = 3001",
        "UPDATE customer SET deleted_at = '2026-02-01 00:00:00' WHERE id = 3002",
        "DELETE FROM customer WHERE id = 3003",
    ] {
        diesel::sql_query(statement)
            .execute(&mut sql)
            .await
            .unwrap();
    }
    let done = scrm_mysql::refresh_derived(ctx.db.url(), None)
        .await
        .unwrap();
    assert_eq!(done.phone_digits_fixed, 1, "{done:?}");
    assert_eq!(
        done.derived_fixed, 1,
        "only the renamed customer's: {done:?}"
    );
    assert_eq!(done.gone, 1, "{done:?}");
    assert!(done.counts_fixed >= 1, "{done:?}");
    assert_exact(&ctx, "after a refresh").await;
    assert_digits(&ctx, "after a refresh").await;
    assert_spellings(&ctx, "after a refresh").await;
    assert_counts(&ctx, "after a refresh").await;
    let again = scrm_mysql::refresh_derived(ctx.db.url(), None)
        .await
        .unwrap();
    assert_eq!(
        (
            again.phone_digits_fixed,
            again.derived_fixed,
            again.gone,
            again.counts_fixed
        ),
        (0, 0, 0, 0),
        "{again:?}"
    );
    assert_eq!(again.customers, done.customers);
}

/// Each derived table compared on its own: a row missing, one too many, one under another
/// tenant, or a spelling changed, in one customer's rows each, is found and mended, and no
/// other customer's rows are rewritten.
#[tokio::test]
async fn a_refresh_finds_each_kind_of_stale_row_and_rewrites_only_those_customers() {
    let ctx = Ctx::loaded().await;
    let mut sql = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    let first = scrm_mysql::refresh_derived(ctx.db.url(), None)
        .await
        .unwrap();
    assert_eq!(
        first.derived_fixed, 0,
        "the fixture's writes kept them: {first:?}"
    );
    for statement in [
        // A name gram missing.
        "DELETE FROM customer_name_gram WHERE customer_id = 3001 LIMIT 1",
        // A phone gram under another tenant.
        "UPDATE customer_phone_gram SET tenant_id = tenant_id + 1 WHERE customer_id = 3002 LIMIT 1",
        // A spelling changed.
        "UPDATE customer_spelling SET spelling = 'nobody' WHERE customer_id = 3003 LIMIT 1",
        // A spelling gram too many.
        "INSERT INTO customer_spelling_gram (customer_id, gram, tenant_id) \
         SELECT id, 'qq', tenant_id FROM customer WHERE id = 3004",
    ] {
        let n = diesel::sql_query(statement)
            .execute(&mut sql)
            .await
            .unwrap();
        assert_eq!(n, 1, "{statement}");
    }
    let done = scrm_mysql::refresh_derived(ctx.db.url(), None)
        .await
        .unwrap();
    assert_eq!(done.derived_fixed, 4, "{done:?}");
    assert_exact(&ctx, "after a refresh").await;
    assert_spellings(&ctx, "after a refresh").await;
    let again = scrm_mysql::refresh_derived(ctx.db.url(), None)
        .await
        .unwrap();
    assert_eq!(again.derived_fixed, 0, "{again:?}");
}
