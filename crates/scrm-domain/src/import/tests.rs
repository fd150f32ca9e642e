//! Tests of `ImportService` against mocked ports: passwords hashed, the sessions of accounts
//! whose password changed ended after the rows are written, nothing ended when writing fails.

use super::*;
use std::sync::Arc;

use crate::account::MockPasswordHasher;
use crate::message::MockMessageStore;
use crate::session::MockSessionStore;
use crate::{AdminUserId, ServiceError, StoreError};
use mockall::predicate::eq;

fn example() -> ImportDocument {
    serde_json::from_str(include_str!("../../../../docs/examples/import.json")).unwrap()
}

fn hasher() -> MockPasswordHasher {
    let mut hasher = MockPasswordHasher::new();
    hasher
        .expect_hash()
        .returning(|p| Ok(format!("hash of {p}")));
    hasher
}

fn service(repo: MockImportRepository, sessions: MockSessionStore) -> ImportService {
    let mut messages = MockMessageStore::new();
    messages.expect_append().returning(|m| Ok(m.len() as u64));
    ImportService::new(
        Arc::new(repo),
        Arc::new(messages),
        Arc::new(hasher()),
        Arc::new(sessions),
        crate::time::parse_zone("+08:00").unwrap(),
    )
}

#[tokio::test]
async fn accounts_given_a_password_have_it_hashed_and_their_sessions_ended_after_the_write() {
    let doc = example();
    let with_password: Vec<i64> = doc
        .admin_users
        .iter()
        .filter(|a| a.password.is_some())
        .map(|a| a.id)
        .collect();
    assert!(!with_password.is_empty(), "the example sets passwords");
    let mut seq = mockall::Sequence::new();
    let mut repo = MockImportRepository::new();
    repo.expect_known().returning(|_| Ok(KnownRefs::default()));
    repo.expect_apply()
        .withf(|plan| {
            plan.accounts.iter().all(|a| {
                a.password_hash
                    .as_deref()
                    .is_none_or(|h| h.starts_with("hash of "))
            })
        })
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok(()));
    let mut sessions = MockSessionStore::new();
    for id in with_password {
        sessions
            .expect_delete_account()
            .with(eq(AdminUserId(id)))
            .times(1)
            .in_sequence(&mut seq)
            .returning(|_| Ok(()));
    }
    service(repo, sessions).import(&doc).await.unwrap();
}

#[tokio::test]
async fn a_failed_write_ends_no_session() {
    let mut repo = MockImportRepository::new();
    repo.expect_known().returning(|_| Ok(KnownRefs::default()));
    repo.expect_apply()
        .returning(|_| Err(StoreError::Unavailable("down".into())));
    // No expectation on delete_account: a call fails the test.
    let err = service(repo, MockSessionStore::new())
        .import(&example())
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Store(_)), "{err:?}");
}
