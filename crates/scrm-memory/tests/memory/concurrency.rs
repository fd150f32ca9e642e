//! Concurrent writers: the checks and the writes of one operation happen under one lock, and
//! readers never see half an import.

use std::collections::HashSet;

use scrm_domain::customer::{CustomerPatch, CustomerRepository, SaveOutcome, SaveTarget};
use scrm_domain::import::{ImportDocument, ImportRepository};
use scrm_domain::manual::{
    AddOutcome, DetailQuery, DialOutcome, DialRequest, ManualEntryRepository,
};
use scrm_domain::{AdminUserId, ContactId, PageRequest};

use crate::fixture::{SUB1, at, customer_ids, entry, loaded, plan_of, with_call_lists};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_adds_give_one_entry_per_phone_and_distinct_order_nums() {
    let repo = with_call_lists().await;
    let now = at(2026, 3, 1, 9, 0, 0);
    // 8 phones, each added by 4 tasks at once.
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let repo = repo.clone();
            tokio::spawn(async move {
                let phone = format!("1590000000{}", i % 8);
                repo.add(&SUB1, &entry(&phone), now).await.unwrap()
            })
        })
        .collect();
    let mut added = Vec::new();
    let mut duplicates = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            AddOutcome::Added(e) => added.push(*e),
            AddOutcome::DuplicatePhone(id) => duplicates.push(id),
        }
    }
    assert_eq!(added.len(), 8);
    let ids: HashSet<_> = added.iter().map(|e| e.id).collect();
    assert!(duplicates.iter().all(|d| ids.contains(d)), "{duplicates:?}");
    let mut nums: Vec<i64> = added.iter().map(|e| e.order_num).collect();
    nums.sort_unstable();
    assert_eq!(
        nums,
        (4..12).collect::<Vec<_>>(),
        "101's largest orderNum was 3"
    );
    let detail = DetailQuery {
        admin_user_id: AdminUserId(101),
        company: None,
        customer_name: None,
        user_name: None,
        dial_status: None,
        add_status: None,
    };
    let page = repo
        .entries(&SUB1, &detail, PageRequest::new(1, 100).unwrap())
        .await
        .unwrap();
    assert_eq!(page.total, 13);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_dials_and_saves_create_one_row() {
    let repo = loaded().await;
    let now = at(2026, 3, 1, 9, 0, 0);
    let dials: Vec<_> = (0..8)
        .map(|_| {
            let repo = repo.clone();
            tokio::spawn(async move {
                let dial = DialRequest {
                    customer_phone: "15800000000".into(),
                    phone_digits: "15800000000".into(),
                    uin: "u1001".into(),
                    user_name: "15800000000".into(),
                    v1: None,
                };
                match repo.record_dial(&SUB1, &dial, now).await.unwrap() {
                    DialOutcome::Saved(e) => e.id,
                    DialOutcome::UnknownWechatAccount => panic!("u1001 is 101's"),
                }
            })
        })
        .collect();
    let mut ids = HashSet::new();
    for t in dials {
        ids.insert(t.await.unwrap());
    }
    assert_eq!(ids.len(), 1);

    let saves: Vec<_> = (0..8)
        .map(|_| {
            let repo = repo.clone();
            tokio::spawn(async move {
                let target = SaveTarget::NewFor(ContactId(2006));
                repo.save(&SUB1, target, &CustomerPatch::default(), now)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in saves {
        outcomes.push(t.await.unwrap());
    }
    let saved: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            SaveOutcome::Saved(record) => Some(record.customer.id),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1, "{outcomes:?}");
    let rest = outcomes
        .iter()
        .filter(|o| **o == SaveOutcome::AlreadyExists(saved[0]))
        .count();
    assert_eq!(rest, 7, "{outcomes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_never_see_half_an_import() {
    let repo = loaded().await;
    // WeChat account 1002 (two contacts, two customers) moves from 102 to 101.
    let doc: ImportDocument = serde_json::from_value(serde_json::json!({
        "wechatUsers": [{"id": 1002, "adminUserId": 101, "isOnline": 0}]
    }))
    .unwrap();
    let plan = plan_of(&repo, &doc).await;
    let reader = {
        let repo = repo.clone();
        tokio::spawn(async move {
            let mut seen = HashSet::new();
            for _ in 0..2000 {
                seen.insert(customer_ids(&repo, &SUB1).await.1);
                tokio::task::yield_now().await;
            }
            seen
        })
    };
    repo.apply(&plan).await.unwrap();
    let seen = reader.await.unwrap();
    assert!(seen.is_subset(&HashSet::from([2, 4])), "{seen:?}");
    assert_eq!(customer_ids(&repo, &SUB1).await.1, 4);
}
