//! The grams behind customerPage's name and phone searches (`customer_name_gram`,
//! `customer_phone_gram`) stay equal to the grams of the names and phones through every write
//! that changes one or a tenant: a new customer, a renamed one with a new phone, an import that
//! renames a contact, an import that moves a WeChat account to another tenant. The searches
//! answer from them, in the right tenant only.

use scrm_domain::customer::{
    CustomerFilter, CustomerPatch, CustomerRepository, FieldChange, SaveOutcome, SaveTarget,
};
use scrm_domain::{CustomerId, PageRequest, Scope};
use scrm_test_support::contracts::fixture::{MAIN_A, MAIN_B, SUB1, at};
use scrm_test_support::{name_gram_drift, phone_gram_drift};
use serde_json::json;

use crate::factory::Ctx;

pub(crate) async fn assert_exact(ctx: &Ctx, when: &str) {
    let (missing, stale, rows) = name_gram_drift(ctx.db.url()).await;
    assert_eq!(
        (missing, stale),
        (0, 0),
        "name grams missing and stale {when}"
    );
    assert!(rows > 0, "no name grams {when}");
    let (missing, stale, rows) = phone_gram_drift(ctx.db.url()).await;
    assert_eq!(
        (missing, stale),
        (0, 0),
        "phone grams missing and stale {when}"
    );
    assert!(rows > 0, "no phone grams {when}");
}

/// The ids customerPage finds with a filter, newest first (checked against its count).
async fn ids(ctx: &Ctx, scope: &Scope, filter: CustomerFilter) -> Vec<i64> {
    let page = ctx
        .repo
        .page(scope, &filter, PageRequest::new(1, 50).unwrap())
        .await
        .unwrap();
    let ids: Vec<i64> = page.items.iter().map(|c| c.id.0).collect();
    assert_eq!(page.total, ids.len() as u64, "count of {filter:?}");
    ids
}

/// The ids customerPage finds by phone digits.
async fn by_phone(ctx: &Ctx, scope: &Scope, digits: &str) -> Vec<i64> {
    let filter = CustomerFilter {
        phone_digits: Some(digits.to_owned()),
        ..Default::default()
    };
    ids(ctx, scope, filter).await
}

/// The ids customerPage finds by a name.
async fn found(ctx: &Ctx, scope: &Scope, name: &str) -> Vec<i64> {
    let filter = CustomerFilter {
        name: Some(name.to_owned()),
        ..Default::default()
    };
    ids(ctx, scope, filter).await
}

#[tokio::test]
async fn name_grams_follow_new_customers_renames_and_imports() {
    let ctx = Ctx::loaded().await;
    assert_exact(&ctx, "after the first import").await;
    // One character, two, three; the customer's name, the nickname, the remark name; LIKE's
    // special characters taken literally.
    assert_eq!(found(&ctx, &MAIN_A, "明").await, [3001]);
    assert_eq!(found(&ctx, &MAIN_A, "小明").await, [3001]);
    assert_eq!(found(&ctx, &MAIN_A, "王小明").await, [3001]);
    assert_eq!(found(&ctx, &MAIN_A, "王先生").await, [3001]);
    assert_eq!(found(&ctx, &MAIN_A, "明_銷").await, [3001]);
    assert_eq!(found(&ctx, &MAIN_A, "%").await, [3003]);
    assert_eq!(found(&ctx, &MAIN_A, "偉%哥").await, [3003]);
    assert!(found(&ctx, &MAIN_A, "明銷").await.is_empty());
    assert!(found(&ctx, &MAIN_A, "王小明明").await.is_empty());
    assert_eq!(found(&ctx, &MAIN_A, "王").await, [3001]);
    // Phones: three digits (decided by the grams), more (grams and LIKE), fewer (LIKE only).
    assert_eq!(by_phone(&ctx, &MAIN_A, "1111").await, [3001]);
    assert_eq!(by_phone(&ctx, &MAIN_A, "111").await, [3001]);
    assert_eq!(by_phone(&ctx, &MAIN_A, "13800001111").await, [3001]);
    assert_eq!(by_phone(&ctx, &MAIN_A, "0000").await, [3003, 3002, 3001]);
    assert!(by_phone(&ctx, &MAIN_A, "1112").await.is_empty());
    assert_eq!(by_phone(&ctx, &MAIN_B, "13800001111").await, [3201]);
    // A sub-account finds only its own customers, whatever the grams of its tenant hold:
    // 3003 (張三) belongs to sub-account 102, not to SUB1 (101).
    assert!(found(&ctx, &SUB1, "張三").await.is_empty());
    assert!(by_phone(&ctx, &SUB1, "3333").await.is_empty());
    assert_eq!(found(&ctx, &SUB1, "小明").await, [3001]);
    // Tenant B's 王 is not tenant A's, and the other way round.
    assert_eq!(found(&ctx, &MAIN_B, "王").await, [3201]);
    assert!(found(&ctx, &MAIN_B, "小明").await.is_empty());

    let now = at(2026, 3, 1, 9, 0, 0);
    let new_id = ctx.new_customer(&SUB1, 2006, now).await;
    assert_exact(&ctx, "after a new customer").await;
    assert_eq!(found(&ctx, &MAIN_A, "悟空").await, [new_id.0]);

    let rename = CustomerPatch {
        customer_name: FieldChange::Set("錢多多".into()),
        customer_phone: FieldChange::Set("+86 139-7777-1234".into()),
        ..Default::default()
    };
    let saved = ctx
        .repo
        .save(
            &MAIN_A,
            SaveTarget::Existing(CustomerId(3001), None),
            &rename,
            now,
        )
        .await
        .unwrap();
    assert!(
        matches!(&saved, SaveOutcome::Saved(s) if s.customer.id == CustomerId(3001)),
        "{saved:?}"
    );
    assert_exact(&ctx, "after a rename").await;
    assert_eq!(found(&ctx, &MAIN_A, "錢多").await, [3001]);
    assert!(found(&ctx, &MAIN_A, "先生").await.is_empty());
    assert_eq!(by_phone(&ctx, &MAIN_A, "7777").await, [3001]);
    assert!(by_phone(&ctx, &MAIN_A, "1111").await.is_empty());
    // A save that leaves the name alone keeps its grams.
    let remarks = CustomerPatch {
        remarks: FieldChange::Set("回訪".into()),
        ..Default::default()
    };
    ctx.repo
        .save(
            &MAIN_A,
            SaveTarget::Existing(CustomerId(3001), None),
            &remarks,
            now,
        )
        .await
        .unwrap();
    assert_eq!(found(&ctx, &MAIN_A, "多多").await, [3001]);
    assert_eq!(by_phone(&ctx, &MAIN_A, "977").await, [3001]);

    // An import renames contact 2002 (customer 3002) and moves WeChat account 1002 (customers
    // 3003 and 3004) from sub-account 102 of tenant A to tenant B's main account.
    let doc = serde_json::from_value(json!({
        "wechatUsers": [{"id": 1002, "adminUserId": 200, "uin": "u1002", "userName": "wxid_s2"}],
        "wechatContacts": [{"id": 2002, "wechatUserId": 1001, "nickName": "李華", "remarkName": "老李", "createTime": "2025-12-02 09:00:00"}]
    }))
    .unwrap();
    ctx.import(&doc).await;
    assert_exact(&ctx, "after an import").await;
    assert_eq!(found(&ctx, &MAIN_A, "老李").await, [3002]);
    assert!(found(&ctx, &MAIN_A, "華哥").await.is_empty());
    assert_eq!(found(&ctx, &MAIN_B, "張三").await, [3003]);
    assert!(found(&ctx, &MAIN_A, "張三").await.is_empty());
    assert_eq!(by_phone(&ctx, &MAIN_B, "3333").await, [3003]);
    assert!(by_phone(&ctx, &MAIN_A, "3333").await.is_empty());
    assert_eq!(found(&ctx, &MAIN_B, "小姐").await, [3004]);
    assert!(found(&ctx, &MAIN_A, "%").await.is_empty());
}
