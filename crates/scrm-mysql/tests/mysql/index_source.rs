//! `IndexSource` on MariaDB: what the customer index loads a tenant from, the changed
//! customers it re-reads (each with its own tenant, so the index files it under the right
//! one) and the change log the triggers write.

use chrono::Utc;
use scrm_domain::customer::{
    ChangeSubject, CustomerPatch, CustomerRepository, FieldChange, IndexSource, SaveTarget,
};
use scrm_domain::{AdminUserId, ContactId, CustomerId};
use scrm_test_support::contracts::fixture::{MAIN_A, MAIN_B};

use crate::factory::Ctx;

fn ids(customers: &[scrm_domain::customer::IndexedCustomer]) -> Vec<i64> {
    let mut ids: Vec<i64> = customers.iter().map(|c| c.id.0).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_tenant_loads_its_own_customers_only() {
    let ctx = Ctx::loaded().await;
    let a = ctx.repo.tenant(MAIN_A.tenant).await.unwrap();
    assert_eq!(ids(&a), [3001, 3002, 3003, 3004, 3005]);
    assert!(a.iter().all(|c| c.tenant == MAIN_A.tenant));
    let b = ctx.repo.tenant(MAIN_B.tenant).await.unwrap();
    assert_eq!(ids(&b), [3201]);
    assert_eq!(b[0].tenant, MAIN_B.tenant);
    assert!(ctx.repo.tenant(AdminUserId(999)).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_biggest_tenants_come_first_with_their_customers() {
    let ctx = Ctx::loaded().await;
    let sizes = ctx.repo.biggest_tenants(10).await.unwrap();
    assert_eq!(sizes, [(MAIN_A.tenant, 5), (MAIN_B.tenant, 1)]);
    // A binned customer still counts (the index holds the bin too).
    assert!(
        ctx.repo
            .soft_delete(&MAIN_B, CustomerId(3201), Utc::now())
            .await
            .unwrap()
    );
    assert_eq!(
        ctx.repo.biggest_tenants(1).await.unwrap(),
        [(MAIN_A.tenant, 5)]
    );
    assert_eq!(
        ctx.repo.biggest_tenants(10).await.unwrap()[1],
        (MAIN_B.tenant, 1)
    );
}

#[tokio::test]
async fn changed_customers_are_read_with_their_own_tenant() {
    let ctx = Ctx::loaded().await;
    // By customer id and by contact id, across tenants: each comes with its tenant, once.
    let read = ctx
        .repo
        .customers(
            &[CustomerId(3001), CustomerId(3201), CustomerId(9999)],
            &[ContactId(2001), ContactId(2002)],
        )
        .await
        .unwrap();
    assert_eq!(ids(&read), [3001, 3002, 3201]);
    for c in &read {
        let tenant = if c.id.0 == 3201 {
            MAIN_B.tenant
        } else {
            MAIN_A.tenant
        };
        assert_eq!(c.tenant, tenant, "{:?}", c.id);
    }
    assert!(ctx.repo.customers(&[], &[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_save_is_in_the_change_log_under_its_tenant() {
    let ctx = Ctx::loaded().await;
    let head = ctx.repo.head().await.unwrap();
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("改名".to_owned()),
        ..CustomerPatch::default()
    };
    ctx.repo
        .save(
            &MAIN_B,
            SaveTarget::Existing(CustomerId(3201), None),
            &patch,
            Utc::now(),
        )
        .await
        .unwrap();
    let changes = ctx.repo.changes(head, 100).await.unwrap();
    assert!(!changes.is_empty());
    assert!(
        changes
            .iter()
            .all(|c| c.seq > head && c.tenant == MAIN_B.tenant)
    );
    assert!(
        changes
            .iter()
            .any(|c| c.subject == ChangeSubject::Customer(CustomerId(3201)))
    );
    assert!(ctx.repo.head().await.unwrap() > head);
    let read = ctx.repo.customers(&[CustomerId(3201)], &[]).await.unwrap();
    assert_eq!(read[0].customer_name.as_deref(), Some("改名"));
    // No transaction started before the epoch.
    let (now, running) = ctx.repo.clock(None).await.unwrap();
    assert!(!running);
    assert!((Utc::now() - now).num_minutes().abs() < 5, "{now}");
}
