//! Data scope: a main account sees its sub-accounts' data, a sub-account only its own, another
//! tenant nothing; out-of-scope writes change nothing.

use scrm_domain::customer::{
    CustomerFilter, CustomerPatch, CustomerRepository, FieldChange, SaveOutcome, SaveTarget,
};
use scrm_domain::{ContactId, CustomerId, PageRequest, TagId};

use crate::fixture::{Ctx, MAIN_A, MAIN_B, SUB1, SUB2, at};

#[tokio::test]
async fn each_account_sees_its_scope() {
    let ctx = Ctx::loaded().await;
    let all = CustomerFilter::default();
    assert_eq!(ctx.ids(&MAIN_A, &all).await.1, 5);
    assert_eq!(ctx.ids(&SUB1, &all).await, (vec![3002, 3001], 2));
    assert_eq!(ctx.ids(&SUB2, &all).await, (vec![3004, 3003], 2));
    assert_eq!(ctx.ids(&MAIN_B, &all).await, (vec![3201], 1));
    assert!(ctx.find(&SUB1, 3003).await.is_none());
    assert!(ctx.find(&SUB2, 3003).await.is_some());
    assert!(ctx.find(&MAIN_B, 3001).await.is_none());
    // A filter that selects something outside the scope yields an empty page.
    let b_phone = CustomerFilter {
        phone_digits: Some("13800001111".into()),
        ..Default::default()
    };
    assert_eq!(ctx.ids(&MAIN_B, &b_phone).await, (vec![3201], 1));
    assert_eq!(ctx.ids(&SUB2, &b_phone).await, (vec![], 0));
    let tags_of_sub1 = CustomerFilter {
        tag_ids: vec![TagId(11)],
        ..Default::default()
    };
    assert_eq!(ctx.ids(&SUB2, &tags_of_sub1).await, (vec![], 0));
    let rows = ctx.repo.export_batch(&SUB1, &all, None, 100).await.unwrap();
    assert_eq!(rows.len(), 2);
}

#[tokio::test]
async fn other_tenants_and_siblings_cannot_write() {
    let ctx = Ctx::loaded().await;
    let now = at(2026, 3, 1, 0, 0, 0);
    let before_a = ctx.page(&MAIN_A, &CustomerFilter::default(), 1, 100).await;
    assert!(
        ctx.repo
            .soft_delete(&MAIN_A, CustomerId(3004), now)
            .await
            .unwrap()
    );
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("入侵".into()),
        tags: Some(vec![TagId(21)]),
        is_star: Some(true),
        ..Default::default()
    };
    for scope in [MAIN_B, SUB1] {
        for id in [3003, 3004] {
            assert_eq!(
                ctx.repo
                    .save(
                        &scope,
                        SaveTarget::Existing(CustomerId(id), None),
                        &patch,
                        now
                    )
                    .await
                    .unwrap(),
                SaveOutcome::NotFound
            );
        }
        assert_eq!(
            ctx.repo
                .save(&scope, SaveTarget::NewFor(ContactId(2003)), &patch, now)
                .await
                .unwrap(),
            SaveOutcome::NotFound
        );
        assert!(
            !ctx.repo
                .soft_delete(&scope, CustomerId(3003), now)
                .await
                .unwrap()
        );
        assert!(
            !ctx.repo
                .restore(&scope, CustomerId(3004), now)
                .await
                .unwrap()
        );
        let bin = ctx
            .repo
            .recycle_bin(&scope, PageRequest::new(1, 10).unwrap())
            .await
            .unwrap();
        assert_eq!(bin.total, 0);
    }
    // Tenant B cannot even tag its own customer with tenant A's tags, nor A with B's.
    let a_tag = CustomerPatch {
        tags: Some(vec![TagId(11)]),
        ..Default::default()
    };
    assert_eq!(
        ctx.repo
            .save(
                &MAIN_B,
                SaveTarget::Existing(CustomerId(3201), None),
                &a_tag,
                now
            )
            .await
            .unwrap(),
        SaveOutcome::UnknownTags(vec![TagId(11)])
    );
    assert!(
        ctx.repo
            .restore(&MAIN_A, CustomerId(3004), now)
            .await
            .unwrap()
    );
    let after_a = ctx.page(&MAIN_A, &CustomerFilter::default(), 1, 100).await;
    let strip = |mut p: scrm_domain::Page<scrm_domain::customer::CustomerRecord>| {
        for r in &mut p.items {
            if r.id.0 == 3004 {
                r.last_update_time = now;
            }
        }
        p
    };
    assert_eq!(strip(after_a), strip(before_a));
    let b = ctx.find(&MAIN_B, 3201).await.unwrap();
    assert_eq!(b.tags, vec![TagId(21)]);
}
