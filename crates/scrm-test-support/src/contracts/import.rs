//! The `ImportRepository` contract: `known` finds what exists, `apply` upserts idempotently,
//! keeps stored password hashes, replaces a contact's tags only when given and re-copies
//! owners when a WeChat account changes hands.

use scrm_domain::TagId;
use scrm_domain::contact::ContactTagQuery;
use scrm_domain::customer::CustomerFilter;
use scrm_domain::import::{ImportDocument, KnownAccount, Owner, RefQuery};
use serde_json::json;

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{
    MAIN_A, MAIN_B, SUB1, SUB2, contact, customer_ids, customers, document, loaded, plan_of,
    visible,
};

pub async fn known_reports_what_exists(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = factory().await;
    let refs = RefQuery::of(&document());
    let none = ctx.import.known(&refs).await.unwrap();
    assert!(none.accounts.is_empty() && none.contacts.is_empty() && none.logins.is_empty());
    let plan = plan_of(&ctx, &document()).await;
    ctx.import.apply(&plan).await.unwrap();
    let k = ctx.import.known(&refs).await.unwrap();
    assert_eq!(k.accounts.len(), 4);
    assert_eq!(
        k.accounts[&101],
        KnownAccount {
            parent_id: Some(100)
        }
    );
    assert_eq!(k.logins["a_sub2"], 102);
    assert_eq!(k.departments[&10], 100);
    assert_eq!(
        k.wechat_users[&1002],
        Owner {
            tenant_id: 100,
            admin_user_id: 102
        }
    );
    assert_eq!(k.contacts[&2201].owner.tenant_id, 200);
    assert_eq!(k.contacts[&2201].wechat_user_id, 1201);
    assert_eq!(k.tags[&21], 200);
    assert_eq!(k.customers_by_contact[&2001], 3001);
    assert_eq!(k.customers_by_contact.len(), 6);
}

pub async fn apply_twice_changes_nothing(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let snapshot = async || {
        let mut out = Vec::new();
        for scope in [MAIN_A, MAIN_B] {
            out.push(format!(
                "{:?}",
                customers(&ctx, &scope, &CustomerFilter::default(), 1, 100).await
            ));
            let all = ContactTagQuery {
                include_offline: true,
                ..Default::default()
            };
            out.push(format!(
                "{:?}",
                ctx.contacts.find_by_tags(&scope, &all).await.unwrap()
            ));
        }
        out
    };
    let before = snapshot().await;
    let plan = plan_of(&ctx, &document()).await;
    ctx.import.apply(&plan).await.unwrap();
    ctx.import.apply(&plan).await.unwrap();
    assert_eq!(snapshot().await, before);
}

pub async fn a_missing_password_hash_keeps_the_stored_one(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = factory().await;
    let mut plan = plan_of(&ctx, &document()).await;
    plan.accounts[1].password_hash = Some("$argon2id$v=19$hash".into());
    ctx.import.apply(&plan).await.unwrap();
    let plan = plan_of(&ctx, &document()).await;
    assert_eq!(plan.accounts[1].password_hash, None);
    ctx.import.apply(&plan).await.unwrap();
    let a = ctx.accounts.find_by_login("a_sub1").await.unwrap().unwrap();
    assert_eq!(a.password_hash.as_deref(), Some("$argon2id$v=19$hash"));
    assert_eq!(a.parent_id.map(|p| p.0), Some(100));
    assert_eq!(a.depart_id.map(|d| d.0), Some(10));
    assert_eq!(a.real_name, "銷售一");
    assert!(!a.is_open_after_call);
    let b = ctx.accounts.find_by_login("a_sub2").await.unwrap().unwrap();
    assert!(b.is_open_after_call);
    assert_eq!(b.password_hash, None);
    assert!(
        ctx.accounts
            .find_by_login("nobody")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn a_wechat_account_changing_hands_moves_its_data(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let doc: ImportDocument = serde_json::from_value(json!({
        "wechatUsers": [{"id": 1002, "adminUserId": 101, "nickName": "銷售二號", "isOnline": 0}]
    }))
    .unwrap();
    let plan = plan_of(&ctx, &doc).await;
    ctx.import.apply(&plan).await.unwrap();
    let all = CustomerFilter::default();
    assert_eq!(
        customer_ids(&ctx, &SUB1, &all).await,
        (vec![3004, 3003, 3002, 3001], 4)
    );
    assert_eq!(customer_ids(&ctx, &SUB2, &all).await, (vec![], 0));
    let tagged = CustomerFilter {
        tag_ids: vec![TagId(12)],
        ..Default::default()
    };
    assert_eq!(
        customer_ids(&ctx, &SUB1, &tagged).await,
        (vec![3003, 3002], 2)
    );
    let q = ContactTagQuery {
        tag_ids: vec![TagId(12)],
        include_offline: true,
        ..Default::default()
    };
    let found = ctx.contacts.find_by_tags(&SUB1, &q).await.unwrap();
    assert_eq!(
        found.iter().map(|c| c.id.0).collect::<Vec<_>>(),
        vec![2002, 2003]
    );
    assert!(!visible(&ctx, &SUB2, 2003).await);
}

pub async fn a_contacts_tags_are_replaced_only_when_given(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let doc: ImportDocument = serde_json::from_value(json!({
        "wechatContacts": [
            {"id": 2001, "wechatUserId": 1001, "nickName": "王小明", "tagIds": [13]},
            {"id": 2002, "wechatUserId": 1001, "nickName": "李華改"}
        ]
    }))
    .unwrap();
    let plan = plan_of(&ctx, &doc).await;
    ctx.import.apply(&plan).await.unwrap();
    let c = contact(&ctx, &MAIN_A, 2001).await;
    assert_eq!(c.tags, vec![TagId(13)]);
    let c = contact(&ctx, &MAIN_A, 2002).await;
    assert_eq!(c.tags, vec![TagId(11), TagId(12)]);
    assert_eq!(c.profile.nick_name.as_deref(), Some("李華改"));
}
