//! Tests of `CallService` against mocked ports.

use super::*;
use std::sync::Arc;

use crate::account::{Account, MockAccountRepository};
use crate::customer::CustomerRecord;
use crate::manual::ManualEntry;
use crate::{AdminUserId, StoreError};
use crate::{Scope, ServiceError};
use mockall::predicate::eq;

fn scope() -> Scope {
    Scope::for_account(AdminUserId(2), Some(AdminUserId(1)))
}

fn entry(id: i64, task: i64) -> ManualEntry {
    crate::manual::tests::entry(id, task)
}

fn record(id: i64) -> CustomerRecord {
    crate::customer::tests::record(id)
}

/// What each source holds: customers, pool entries, hand-entered entries.
type Held = (Vec<CustomerRecord>, Vec<ManualEntry>, Vec<ManualEntry>);

/// The search over sources holding `held`, driven as an adapter does, and the sources it
/// read, in order.
fn first_match(held: Held) -> (CallerInfo, Vec<CallerSource>) {
    let mut asked = Vec::new();
    let mut step = CallerStep::first();
    loop {
        match step {
            CallerStep::Read(source) => {
                asked.push(source);
                let matches = match source {
                    CallerSource::Customers => SourceMatches::Customers(held.0.clone()),
                    CallerSource::PoolEntries => SourceMatches::Entries(held.1.clone()),
                    CallerSource::HandEntries => SourceMatches::Entries(held.2.clone()),
                };
                step = CallerStep::after(source, matches);
            }
            CallerStep::Answer(found) => return (found, asked),
        }
    }
}

#[test]
fn the_first_source_with_a_match_answers_and_later_ones_are_not_asked() {
    use CallerSource::{Customers, HandEntries, PoolEntries};
    // Source 1 wins even when entries match too.
    let (found, asked) = first_match((vec![record(1), record(2)], vec![entry(5, 7)], vec![]));
    assert_eq!(found, CallerInfo::Customers(vec![record(1), record(2)]));
    assert_eq!(found.source(), 1);
    assert_eq!(asked, [Customers]);
    // No customer: pool entries of the caller, even when hand-entered ones match too.
    let (found, asked) = first_match((vec![], vec![entry(5, 7)], vec![entry(6, -1)]));
    assert_eq!(found, CallerInfo::PoolEntries(vec![entry(5, 7)]));
    assert_eq!(found.source(), 2);
    assert_eq!(asked, [Customers, PoolEntries]);
    // Then hand-entered ones, then nothing.
    let (found, asked) = first_match((vec![], vec![], vec![entry(6, -1)]));
    assert_eq!(found, CallerInfo::HandEntries(vec![entry(6, -1)]));
    assert_eq!(found.source(), 3);
    assert_eq!(asked, [Customers, PoolEntries, HandEntries]);
    let (found, asked) = first_match((vec![], vec![], vec![]));
    assert_eq!(found, CallerInfo::Unknown);
    assert_eq!(found.source(), 0);
    assert_eq!(asked, CallerSource::IN_ORDER);
}

#[test]
fn a_source_answering_the_wrong_kind_of_matches_counts_as_none() {
    let step = CallerStep::after(
        CallerSource::Customers,
        SourceMatches::Entries(vec![entry(5, 7)]),
    );
    assert_eq!(step, CallerStep::Read(CallerSource::PoolEntries));
}

fn service(callers: MockCallerLookup) -> CallService {
    CallService::new(Arc::new(MockAccountRepository::new()), Arc::new(callers))
}

#[tokio::test]
async fn the_lookup_gets_the_phone_digits_and_answers_what_the_port_found() {
    let mut callers = MockCallerLookup::new();
    callers
        .expect_caller_by_phone()
        .with(eq(scope()), eq("18750928186"))
        .times(2)
        .returning(|_, _| Ok(CallerInfo::PoolEntries(vec![entry(5, 7)])));
    let svc = service(callers);
    for raw in ["+86 187-5092-8186", "008618750928186"] {
        let out = svc.lookup(&scope(), raw).await.unwrap();
        assert_eq!(out, CallerInfo::PoolEntries(vec![entry(5, 7)]));
    }
}

#[tokio::test]
async fn a_bad_phone_is_400_and_a_store_failure_passes_through() {
    // A bad phone asks nothing (the mock expects no call).
    let svc = service(MockCallerLookup::new());
    assert!(
        matches!(svc.lookup(&scope(), "12").await, Err(ServiceError::Invalid(m)) if m.starts_with("phone"))
    );
    let mut callers = MockCallerLookup::new();
    callers
        .expect_caller_by_phone()
        .returning(|_, _| Err(StoreError::Unavailable("down".into())));
    assert!(matches!(
        service(callers).lookup(&scope(), "18750928186").await,
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
    let svc = CallService::new(Arc::new(accounts), Arc::new(MockCallerLookup::new()));
    assert!(svc.is_open_after_call(&scope()).await.unwrap());
    svc.set_open_after_call(&scope(), false).await.unwrap();
}

#[test]
fn each_entry_source_names_its_kind_of_entries() {
    use crate::manual::EntryKind;
    assert_eq!(CallerSource::Customers.entry_kind(), None);
    assert_eq!(
        CallerSource::PoolEntries.entry_kind(),
        Some(EntryKind::Pool)
    );
    assert_eq!(
        CallerSource::HandEntries.entry_kind(),
        Some(EntryKind::HandEntered)
    );
}
