//! All or nothing: a failing import, a refused save and a refused batch of forms of address
//! leave the store as it was; ids of rows the store creates follow the highest id seen.

use scrm_domain::StoreError;
use scrm_domain::contact::{ContactRepository, ContactTagQuery, NickNameInput};
use scrm_domain::customer::{CustomerPatch, CustomerRepository, SaveOutcome, SaveTarget};
use scrm_domain::import::{ImportDocument, ImportRepository, RefQuery};
use scrm_domain::manual::{AddOutcome, ManualEntryRepository};
use scrm_domain::{ContactId, CustomerId, TagId};
use scrm_memory::Memory;
use serde_json::json;

use crate::fixture::{
    MAIN_A, SUB1, SUB2, at, customer_ids, entry, loaded, plan_of, with_call_lists,
};

/// Everything the fixture's scopes can list, for before/after comparisons.
async fn snapshot(repo: &Memory) -> String {
    let all = ContactTagQuery {
        include_offline: true,
        ..Default::default()
    };
    format!(
        "{:?} {:?}",
        customer_ids(repo, &MAIN_A).await,
        repo.find_by_tags(&MAIN_A, &all).await.unwrap()
    )
}

fn doc(value: serde_json::Value) -> ImportDocument {
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn a_plan_failing_late_writes_nothing_of_its_earlier_rows() {
    let repo = loaded().await;
    let before = snapshot(&repo).await;
    // Earlier rows (a tag, a WeChat account changing hands) and a last one too long.
    let mut plan = plan_of(
        &repo,
        &doc(json!({
            "tags": [{"id": 14, "tenantAdminUserId": 100, "name": "新標籤"}],
            "wechatUsers": [{"id": 1002, "adminUserId": 101, "isOnline": 1}]
        })),
    )
    .await;
    let mut entries = plan_of(&repo, &crate::fixture::document())
        .await
        .manual_entries;
    entries[0].customer_name = Some("長".repeat(129));
    plan.manual_entries = entries;
    let err = repo.apply(&plan).await.unwrap_err();
    assert!(matches!(err, StoreError::Unexpected(_)), "{err:?}");

    // Now one failing on an integrity rule instead: a login name taken by another account.
    let mut plan = plan_of(
        &repo,
        &doc(json!({"wechatUsers": [{"id": 1002, "adminUserId": 101}]})),
    )
    .await;
    let mut taken = plan_of(&repo, &crate::fixture::document()).await.accounts[1].clone();
    taken.id = 999;
    plan.accounts.push(taken);
    assert!(matches!(
        repo.apply(&plan).await,
        Err(StoreError::Unexpected(_))
    ));

    let refs = RefQuery {
        tag_ids: vec![14],
        account_ids: vec![999],
        ..Default::default()
    };
    let known = repo.known(&refs).await.unwrap();
    assert!(known.tags.is_empty() && known.accounts.is_empty());
    assert_eq!(customer_ids(&repo, &SUB2).await, (vec![3004, 3003], 2));
    assert_eq!(snapshot(&repo).await, before);
}

#[tokio::test]
async fn a_refused_save_changes_nothing() {
    let repo = loaded().await;
    let before = snapshot(&repo).await;
    let patch = CustomerPatch {
        tags: Some(vec![TagId(11), TagId(21)]),
        is_star: Some(true),
        ..Default::default()
    };
    let now = at(2026, 2, 1, 0, 0, 0);
    for target in [
        SaveTarget::NewFor(ContactId(2006)),
        SaveTarget::Existing(CustomerId(3001), None),
    ] {
        assert_eq!(
            repo.save(&MAIN_A, target, &patch, now).await.unwrap(),
            SaveOutcome::UnknownTags(vec![TagId(21)])
        );
    }
    assert_eq!(snapshot(&repo).await, before);
    let known = repo
        .known(&RefQuery {
            contact_ids: vec![2006],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(known.customers_by_contact.is_empty());
}

#[tokio::test]
async fn nick_names_are_all_or_nothing() {
    let repo = loaded().await;
    let item = |id: i64| NickNameInput {
        wechat_contact_id: ContactId(id),
        cust_name: Some("客".into()),
        nick_name: Some(format!("稱呼{id}")),
    };
    let out = repo
        .save_nick_names(&SUB1, &[item(2002), item(2003), item(2201)])
        .await
        .unwrap();
    assert_eq!(
        out,
        Some(ContactId(2003)),
        "the first one outside the scope"
    );
    let c = ContactRepository::find(&repo, &SUB1, ContactId(2002))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.customer_nick_name, None);
}

#[tokio::test]
async fn new_rows_take_ids_above_the_highest_seen() {
    let repo = with_call_lists().await;
    let now = at(2026, 3, 1, 9, 0, 0);
    let AddOutcome::Added(e) = repo.add(&SUB1, &entry("15900000000"), now).await.unwrap() else {
        panic!("expected Added");
    };
    assert_eq!(e.id.0, 5502, "the highest imported entry is 5501");
    // A creation refused for unknown tags uses up its id, as an AUTO_INCREMENT insert does.
    let customers = loaded().await;
    let bad = CustomerPatch {
        tags: Some(vec![TagId(99)]),
        ..Default::default()
    };
    let target = SaveTarget::NewFor(ContactId(2006));
    assert!(matches!(
        customers.save(&SUB1, target, &bad, now).await.unwrap(),
        SaveOutcome::UnknownTags(_)
    ));
    let saved = customers
        .save(&SUB1, target, &CustomerPatch::default(), now)
        .await
        .unwrap();
    assert!(
        matches!(&saved, SaveOutcome::Saved(r) if r.customer.id == CustomerId(3203)),
        "3201 was the highest: {saved:?}"
    );
    // An import of a higher id raises the counter past it.
    let plan = plan_of(
        &repo,
        &doc(json!({"manualEntries": [{"id": 9000, "adminUserId": 102, "customerPhone": "13000000000"}]})),
    )
    .await;
    repo.apply(&plan).await.unwrap();
    let AddOutcome::Added(e) = repo.add(&SUB1, &entry("15900000001"), now).await.unwrap() else {
        panic!("expected Added");
    };
    assert_eq!(e.id.0, 9001);
}
