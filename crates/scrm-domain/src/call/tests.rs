//! Tests of `CallService` against mocked ports.

use super::*;
use std::sync::Arc;

use crate::account::{Account, MockAccountRepository};
use crate::customer::MockCustomerRepository;
use crate::manual::MockManualEntryRepository;
use crate::manual::{EntryKind, ManualEntry};
use crate::{AdminUserId, StoreError};
use crate::{Scope, ServiceError};
use mockall::predicate::eq;

fn scope() -> Scope {
    Scope::for_account(AdminUserId(2), Some(AdminUserId(1)))
}

fn entry(id: i64, task: i64) -> ManualEntry {
    crate::manual::tests::entry(id, task)
}

fn service(customers: MockCustomerRepository, entries: MockManualEntryRepository) -> CallService {
    CallService::new(
        Arc::new(MockAccountRepository::new()),
        Arc::new(customers),
        Arc::new(entries),
    )
}

#[tokio::test]
async fn sources_are_tried_in_order_with_the_phone_digits() {
    // Source 1 wins even when entries match too.
    let mut customers = MockCustomerRepository::new();
    customers
        .expect_by_phone()
        .with(eq(scope()), eq("18750928186"))
        .returning(|_, _| {
            Ok(vec![
                crate::customer::tests::record(1),
                crate::customer::tests::record(2),
            ])
        });
    let out = service(customers, MockManualEntryRepository::new())
        .lookup(&scope(), "+86 187-5092-8186")
        .await
        .unwrap();
    assert_eq!(out.source(), 1);
    assert!(matches!(out, CallerInfo::Customers(c) if c.len() == 2));

    // No customer: pool entries of the caller.
    let mut customers = MockCustomerRepository::new();
    customers.expect_by_phone().returning(|_, _| Ok(vec![]));
    let mut entries = MockManualEntryRepository::new();
    entries
        .expect_by_phone()
        .with(eq(scope()), eq("18750928186"), eq(EntryKind::Pool))
        .returning(|_, _, _| Ok(vec![entry(5, 7)]));
    let out = service(customers, entries)
        .lookup(&scope(), "008618750928186")
        .await
        .unwrap();
    assert_eq!(out.source(), 2);

    // Then hand-entered ones, then nothing.
    for (hand, source) in [(vec![entry(6, -1)], 3), (vec![], 0)] {
        let mut customers = MockCustomerRepository::new();
        customers.expect_by_phone().returning(|_, _| Ok(vec![]));
        let mut entries = MockManualEntryRepository::new();
        entries
            .expect_by_phone()
            .with(eq(scope()), eq("18750928186"), eq(EntryKind::Pool))
            .returning(|_, _, _| Ok(vec![]));
        entries
            .expect_by_phone()
            .with(eq(scope()), eq("18750928186"), eq(EntryKind::HandEntered))
            .return_once(move |_, _, _| Ok(hand));
        let out = service(customers, entries)
            .lookup(&scope(), "18750928186")
            .await
            .unwrap();
        assert_eq!(out.source(), source);
    }
}

#[tokio::test]
async fn a_bad_phone_is_400_and_a_store_failure_passes_through() {
    let svc = service(
        MockCustomerRepository::new(),
        MockManualEntryRepository::new(),
    );
    assert!(
        matches!(svc.lookup(&scope(), "12").await, Err(ServiceError::Invalid(m)) if m.starts_with("phone"))
    );
    let mut customers = MockCustomerRepository::new();
    customers
        .expect_by_phone()
        .returning(|_, _| Err(StoreError::Unavailable("down".into())));
    let svc = service(customers, MockManualEntryRepository::new());
    assert!(matches!(
        svc.lookup(&scope(), "18750928186").await,
        Err(ServiceError::Store(_))
    ));
}

#[tokio::test]
async fn the_switch_is_per_account() {
    let mut accounts = MockAccountRepository::new();
    accounts
        .expect_find_by_id()
        .with(eq(AdminUserId(2)))
        .returning(|id| {
            Ok(Some(Account {
                id,
                login_name: "x".into(),
                real_name: "x".into(),
                parent_id: Some(AdminUserId(1)),
                depart_id: None,
                password_hash: None,
                is_open_after_call: true,
            }))
        });
    accounts
        .expect_set_open_after_call()
        .with(eq(AdminUserId(2)), eq(false))
        .times(1)
        .returning(|_, _| Ok(true));
    let svc = CallService::new(
        Arc::new(accounts),
        Arc::new(MockCustomerRepository::new()),
        Arc::new(MockManualEntryRepository::new()),
    );
    assert!(svc.is_open_after_call(&scope()).await.unwrap());
    svc.set_open_after_call(&scope(), false).await.unwrap();
}
