//! The contract suites' fixture (two tenants: A = main account 100 with sub-accounts 101,
//! 102 and 103; B = main account 200), loaded straight into a `Memory` for the tests of this
//! adapter's own locking and atomicity.

use scrm_domain::customer::{CustomerFilter, CustomerRepository};
use scrm_domain::import::{
    ImportDocument, ImportPlan, ImportRepository, KnownRefs, RefQuery, build_plan,
};
use scrm_domain::manual::NewManualEntry;
use scrm_domain::{PageRequest, Scope};
use scrm_memory::Memory;

pub use scrm_test_support::contracts::fixture::{
    MAIN_A, SUB1, SUB2, at, call_document, document, zone,
};

/// A hand-entered entry of `phone` (name 新客, area 廈門).
pub fn entry(phone: &str) -> NewManualEntry {
    NewManualEntry {
        customer_name: "新客".into(),
        customer_phone: phone.into(),
        phone_digits: phone.into(),
        phone_geo: "廈門".into(),
        ..Default::default()
    }
}

/// A plan of `doc` against what `repo` holds.
pub async fn plan_of(repo: &Memory, doc: &ImportDocument) -> ImportPlan {
    let known: KnownRefs = repo.known(&RefQuery::of(doc)).await.unwrap();
    build_plan(doc, &known, zone()).unwrap()
}

/// A store with `document()` loaded.
pub async fn loaded() -> Memory {
    let repo = Memory::new();
    let plan = plan_of(&repo, &document()).await;
    repo.apply(&plan).await.unwrap();
    repo
}

/// `loaded()` plus `call_document()`.
pub async fn with_call_lists() -> Memory {
    let repo = loaded().await;
    let plan = plan_of(&repo, &call_document()).await;
    repo.apply(&plan).await.unwrap();
    repo
}

/// The ids of the first 100 live customers of the scope, and the total.
pub async fn customer_ids(repo: &Memory, scope: &Scope) -> (Vec<i64>, u64) {
    let page = repo
        .page(
            scope,
            &CustomerFilter::default(),
            PageRequest::new(1, 100).unwrap(),
        )
        .await
        .unwrap();
    (page.items.iter().map(|r| r.id.0).collect(), page.total)
}
