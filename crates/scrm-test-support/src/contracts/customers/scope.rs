//! Data scope of customers: a main account sees its sub-accounts' data, a sub-account only its
//! own, another tenant nothing; out-of-scope writes change nothing; lookups by phone digits
//! (through the call pop-up's lookup).

use scrm_domain::call::CallerInfo;
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, FieldChange, SaveOutcome, SaveTarget,
};
use scrm_domain::{ContactId, CustomerId, Scope, TagId, WechatUserId};

use crate::contracts::fixture::{
    MAIN_A, MAIN_B, SUB1, SUB2, SUB3, at, customer, customer_ids, customers, loaded, recycle_bin,
    restore, save, soft_delete, with_call_lists,
};
use crate::contracts::{RelationalPorts, page};

pub async fn each_account_sees_its_scope(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let all = CustomerFilter::default();
    assert_eq!(customer_ids(&ctx, &MAIN_A, &all).await.1, 5);
    assert_eq!(customer_ids(&ctx, &SUB1, &all).await, (vec![3002, 3001], 2));
    assert_eq!(customer_ids(&ctx, &SUB2, &all).await, (vec![3004, 3003], 2));
    assert_eq!(customer_ids(&ctx, &MAIN_B, &all).await, (vec![3201], 1));
    assert!(customer(&ctx, &SUB1, 3003).await.is_none());
    assert!(customer(&ctx, &SUB2, 3003).await.is_some());
    assert!(customer(&ctx, &MAIN_B, 3001).await.is_none());
    // A filter that selects something outside the scope yields an empty page.
    let b_phone = CustomerFilter {
        phone_digits: Some("13800001111".into()),
        ..Default::default()
    };
    assert_eq!(customer_ids(&ctx, &MAIN_B, &b_phone).await, (vec![3201], 1));
    assert_eq!(customer_ids(&ctx, &SUB2, &b_phone).await, (vec![], 0));
    let tags_of_sub1 = CustomerFilter {
        tag_ids: vec![TagId(11)],
        ..Default::default()
    };
    assert_eq!(customer_ids(&ctx, &SUB2, &tags_of_sub1).await, (vec![], 0));
    let rows = ctx
        .customers
        .export_batch(&SUB1, &all, None, 100)
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id.0).collect::<Vec<_>>(),
        [3002, 3001]
    );
    let rows = ctx
        .customers
        .export_batch(&MAIN_B, &all, None, 100)
        .await
        .unwrap();
    assert_eq!(rows.iter().map(|r| r.id.0).collect::<Vec<_>>(), [3201]);
    let rows = ctx
        .customers
        .export_batch(&SUB2, &tags_of_sub1, None, 100)
        .await
        .unwrap();
    assert!(rows.is_empty());
}

pub async fn other_tenants_and_siblings_cannot_write(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let now = at(2026, 3, 1, 0, 0, 0);
    let before_a = customers(&ctx, &MAIN_A, &CustomerFilter::default(), 1, 100).await;
    assert!(soft_delete(&ctx, &MAIN_A, CustomerId(3004), now).await);
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("入侵".into()),
        tags: Some(vec![TagId(21)]),
        is_star: Some(true),
        ..Default::default()
    };
    for scope in [MAIN_B, SUB1] {
        for id in [3003, 3004] {
            assert_eq!(
                save(
                    &ctx,
                    &scope,
                    SaveTarget::Existing(CustomerId(id), None),
                    &patch,
                    now
                )
                .await,
                SaveOutcome::NotFound
            );
        }
        assert_eq!(
            save(
                &ctx,
                &scope,
                SaveTarget::NewFor(ContactId(2003)),
                &patch,
                now
            )
            .await,
            SaveOutcome::NotFound
        );
        assert!(!soft_delete(&ctx, &scope, CustomerId(3003), now).await);
        assert!(!restore(&ctx, &scope, CustomerId(3004), now).await);
        let bin = recycle_bin(&ctx, &scope, &BinFilter::default(), page(1, 10)).await;
        assert_eq!(bin.total, 0);
    }
    // Tenant B cannot even tag its own customer with tenant A's tags, nor A with B's.
    let a_tag = CustomerPatch {
        tags: Some(vec![TagId(11)]),
        ..Default::default()
    };
    assert_eq!(
        save(
            &ctx,
            &MAIN_B,
            SaveTarget::Existing(CustomerId(3201), None),
            &a_tag,
            now
        )
        .await,
        SaveOutcome::UnknownTags(vec![TagId(11)])
    );
    assert!(restore(&ctx, &MAIN_A, CustomerId(3004), now).await);
    let after_a = customers(&ctx, &MAIN_A, &CustomerFilter::default(), 1, 100).await;
    let strip = |mut p: scrm_domain::Page<scrm_domain::customer::CustomerRecord>| {
        for r in &mut p.items {
            if r.id.0 == 3004 {
                r.last_update_time = now;
            }
        }
        p
    };
    assert_eq!(strip(after_a), strip(before_a));
    let b = customer(&ctx, &MAIN_B, 3201).await.unwrap();
    assert_eq!(b.tags, vec![TagId(21)]);
}

/// The live customers of the scope with exactly these phone digits, as the call pop-up finds
/// them (its first source: it answers with them whenever there are any).
async fn by_phone(ctx: &RelationalPorts, scope: &Scope, digits: &str) -> Vec<CustomerRecord> {
    match ctx.callers.caller_by_phone(scope, digits).await.unwrap() {
        CallerInfo::Customers(records) => records,
        CallerInfo::PoolEntries(_) | CallerInfo::HandEntries(_) | CallerInfo::Unknown => Vec::new(),
    }
}

/// The ids of the customers of the scope with exactly these phone digits.
pub async fn by_phone_ids(ctx: &RelationalPorts, scope: &Scope, digits: &str) -> Vec<i64> {
    by_phone(ctx, scope, digits)
        .await
        .iter()
        .map(|c| c.id.0)
        .collect()
}

pub async fn by_phone_is_the_live_matches_of_the_scope_newest_first(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let p = "13800001111";
    assert_eq!(by_phone_ids(&ctx, &MAIN_A, p).await, vec![3006, 3007, 3001]);
    assert_eq!(by_phone_ids(&ctx, &SUB1, p).await, vec![3006, 3001]);
    assert_eq!(by_phone_ids(&ctx, &SUB2, p).await, vec![3007]);
    assert_eq!(by_phone_ids(&ctx, &SUB3, p).await, Vec::<i64>::new());
    assert_eq!(by_phone_ids(&ctx, &MAIN_B, p).await, vec![3201]);
    // Equal digits, not contained ones.
    assert_eq!(
        by_phone_ids(&ctx, &MAIN_A, "3800001111").await,
        Vec::<i64>::new()
    );
    assert_eq!(by_phone_ids(&ctx, &MAIN_A, "13700003333").await, vec![3003]);

    let records = by_phone(&ctx, &SUB1, p).await;
    let r = records.iter().find(|r| r.id == CustomerId(3001)).unwrap();
    assert_eq!(r.customer_name.as_deref(), Some("王先生"));
    assert_eq!(r.wechat_contact_id, ContactId(2001));
    assert_eq!(r.wechat_user_id, WechatUserId(1001));
    assert_eq!(r.tags, vec![TagId(11)]);
    assert_eq!(r.create_time, at(2026, 1, 1, 10, 0, 0));
    assert_eq!(r.xfields[0].as_deref(), Some("甲"));
    // The same record as the list shows.
    assert_eq!(Some(r), customer(&ctx, &SUB1, 3001).await.as_ref());

    let now = at(2026, 3, 1, 9, 0, 0);
    assert!(soft_delete(&ctx, &MAIN_A, CustomerId(3006), now).await);
    assert_eq!(by_phone_ids(&ctx, &MAIN_A, p).await, vec![3007, 3001]);
    assert_eq!(by_phone_ids(&ctx, &SUB1, p).await, vec![3001]);
}

pub async fn by_ids_keeps_the_given_order_and_the_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let ids = |v: &[i64]| v.iter().map(|i| CustomerId(*i)).collect::<Vec<_>>();
    let got = |rows: Vec<scrm_domain::customer::CustomerRecord>| {
        rows.iter().map(|r| r.id.0).collect::<Vec<_>>()
    };
    let asked = ids(&[3003, 3001, 9999, 3201, 3005]);
    let rows = ctx.customers.by_ids(&MAIN_A, &asked).await.unwrap();
    assert_eq!(
        got(rows.clone()),
        [3003, 3001, 3005],
        "order kept, others left out"
    );
    assert_eq!(rows[1], customer(&ctx, &MAIN_A, 3001).await.unwrap());
    assert_eq!(
        got(ctx.customers.by_ids(&SUB1, &asked).await.unwrap()),
        [3001]
    );
    assert_eq!(
        got(ctx.customers.by_ids(&MAIN_B, &asked).await.unwrap()),
        [3201]
    );
    assert!(
        ctx.customers
            .by_ids(&SUB3, &asked)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(ctx.customers.by_ids(&MAIN_A, &[]).await.unwrap().is_empty());
    // A binned customer is still loaded (the recycle bin's pages), with its deletion time.
    let now = at(2026, 3, 1, 0, 0, 0);
    assert!(soft_delete(&ctx, &MAIN_A, CustomerId(3002), now).await);
    let rows = ctx
        .customers
        .by_ids(&MAIN_A, &ids(&[3002, 3004]))
        .await
        .unwrap();
    assert_eq!(got(rows.clone()), [3002, 3004]);
    assert_eq!(rows[0].deleted_at, Some(now));
    assert_eq!(rows[1].deleted_at, None);
}
