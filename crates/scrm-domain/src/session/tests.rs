//! Tests of `AuthService` against mocked ports: sessions, credentials and the login throttle.

use super::*;
use std::sync::Arc;

use crate::account::{Account, MockAccountRepository, MockPasswordHasher};
use crate::throttle::{MockLoginThrottle, RetryAfter};
use crate::{AdminUserId, ServiceError, StoreError};
use mockall::predicate::eq;

const ADDR: &str = "203.0.113.9";

fn account(parent: Option<i64>) -> Account {
    Account {
        id: AdminUserId(7),
        login_name: "li".into(),
        real_name: "李".into(),
        parent_id: parent.map(AdminUserId),
        depart_id: None,
        password_hash: Some("hash".into()),
        is_open_after_call: false,
    }
}

fn service(
    accounts: MockAccountRepository,
    sessions: MockSessionStore,
    hasher: MockPasswordHasher,
    throttle: MockLoginThrottle,
) -> AuthService {
    AuthService::new(
        Arc::new(accounts),
        Arc::new(sessions),
        Arc::new(hasher),
        Arc::new(throttle),
    )
}

/// A hasher that answers `hash of <password>`.
fn hashing() -> MockPasswordHasher {
    let mut hasher = MockPasswordHasher::new();
    hasher
        .expect_hash()
        .returning(|p| Ok(format!("hash of {p}")));
    hasher
}

/// A service whose only collaborator with expectations is `throttle`: any call to the
/// accounts, the hasher or the sessions panics.
fn throttle_only(throttle: MockLoginThrottle) -> AuthService {
    service(
        MockAccountRepository::new(),
        MockSessionStore::new(),
        MockPasswordHasher::new(),
        throttle,
    )
}

/// A throttle that admits every attempt of `name` from `ADDR` and expects `successes`
/// successes to be recorded.
fn admitting(name: &'static str, successes: usize) -> MockLoginThrottle {
    let mut throttle = MockLoginThrottle::new();
    throttle
        .expect_admit()
        .with(eq(name), eq(ADDR))
        .returning(|_, _| Ok(None));
    throttle
        .expect_record_success()
        .with(eq(name), eq(ADDR))
        .times(successes)
        .returning(|_, _| Ok(()));
    throttle
}

#[tokio::test]
async fn login_creates_a_session_with_the_tenant_of_a_sub_account() {
    let mut accounts = MockAccountRepository::new();
    accounts
        .expect_find_by_login()
        .with(eq("li"))
        .returning(|_| Ok(Some(account(Some(3)))));
    let mut hasher = MockPasswordHasher::new();
    hasher
        .expect_verify()
        .returning(|p, h| p == "pw" && h == "hash");
    let mut sessions = MockSessionStore::new();
    sessions
        .expect_create()
        .with(eq(SessionData {
            admin_user_id: AdminUserId(7),
            tenant_id: AdminUserId(3),
        }))
        .times(1)
        .returning(|_| Ok("tok".into()));
    sessions.expect_ttl_secs().return_const(600u64);
    let out = service(accounts, sessions, hasher, admitting("li", 1))
        .login(" li ", "pw", ADDR)
        .await
        .unwrap();
    assert_eq!(out.token, "tok");
    assert_eq!(out.expires_in, 600);
}

#[tokio::test]
async fn wrong_password_and_unknown_name_answer_alike_and_stay_counted() {
    let mut accounts = MockAccountRepository::new();
    accounts.expect_find_by_login().returning(|name| {
        Ok(if name == "li" {
            Some(account(None))
        } else {
            None
        })
    });
    let mut hasher = MockPasswordHasher::new();
    hasher.expect_verify().times(2).returning(|_, _| false);
    let sessions = MockSessionStore::new();
    // Both attempts are admitted (counted as failures) and neither is taken back.
    let mut throttle = MockLoginThrottle::new();
    throttle
        .expect_admit()
        .with(eq("li"), eq(ADDR))
        .times(1)
        .returning(|_, _| Ok(None));
    throttle
        .expect_admit()
        .with(eq("nobody"), eq(ADDR))
        .times(1)
        .returning(|_, _| Ok(None));
    throttle.expect_record_success().never();
    let svc = service(accounts, sessions, hasher, throttle);
    assert_eq!(
        svc.login("li", "bad", ADDR).await,
        Err(ServiceError::Unauthorized)
    );
    assert_eq!(
        svc.login("nobody", "bad", ADDR).await,
        Err(ServiceError::Unauthorized)
    );
}

#[tokio::test]
async fn a_refused_attempt_is_429_before_the_account_or_password_is_looked_at() {
    // No expectations: any call to the accounts, the hasher or the sessions panics.
    let mut throttle = MockLoginThrottle::new();
    // The name is counted trimmed and in lower case: `Li` and `li` share one count.
    throttle
        .expect_admit()
        .with(eq("li"), eq(ADDR))
        .times(1)
        .returning(|_, _| Ok(Some(RetryAfter(42))));
    throttle.expect_record_success().never();
    let svc = throttle_only(throttle);
    assert_eq!(
        svc.login(" Li ", "pw", ADDR).await,
        Err(ServiceError::RateLimited {
            retry_after_secs: 42
        })
    );
}

#[tokio::test]
async fn a_throttle_failure_stops_the_login() {
    let mut throttle = MockLoginThrottle::new();
    throttle
        .expect_admit()
        .returning(|_, _| Err(StoreError::Unavailable("redis".into())));
    let svc = throttle_only(throttle);
    assert!(matches!(
        svc.login("li", "pw", ADDR).await,
        Err(ServiceError::Store(StoreError::Unavailable(_)))
    ));
}

#[tokio::test]
async fn empty_fields_are_named_and_not_counted() {
    let mut throttle = MockLoginThrottle::new();
    throttle.expect_admit().never();
    let svc = throttle_only(throttle);
    assert_eq!(
        svc.login("", "x", ADDR).await,
        Err(ServiceError::invalid("loginName", "is required"))
    );
    assert_eq!(
        svc.login("  ", "x", ADDR).await,
        Err(ServiceError::invalid("loginName", "is required"))
    );
    assert_eq!(
        svc.login("a", "", ADDR).await,
        Err(ServiceError::invalid("password", "is required"))
    );
}

#[tokio::test]
async fn unknown_token_is_unauthorized_and_store_failure_passes_through() {
    let mut sessions = MockSessionStore::new();
    sessions.expect_get().returning(|t| match t {
        "down" => Err(StoreError::Unavailable("redis".into())),
        _ => Ok(None),
    });
    let svc = service(
        MockAccountRepository::new(),
        sessions,
        MockPasswordHasher::new(),
        MockLoginThrottle::new(),
    );
    assert_eq!(svc.authenticate("x").await, Err(ServiceError::Unauthorized));
    assert_eq!(svc.authenticate("").await, Err(ServiceError::Unauthorized));
    assert!(matches!(
        svc.authenticate("down").await,
        Err(ServiceError::Store(_))
    ));
}

#[tokio::test]
async fn logout_ends_every_session_of_the_account_or_just_an_unknown_token() {
    let mut sessions = MockSessionStore::new();
    sessions.expect_get().returning(|t| {
        Ok((t == "known").then_some(SessionData {
            admin_user_id: AdminUserId(7),
            tenant_id: AdminUserId(3),
        }))
    });
    sessions
        .expect_delete_account()
        .with(eq(AdminUserId(7)))
        .times(1)
        .returning(|_| Ok(()));
    sessions
        .expect_delete()
        .with(eq("stale"))
        .times(1)
        .returning(|_| Ok(()));
    let svc = service(
        MockAccountRepository::new(),
        sessions,
        MockPasswordHasher::new(),
        MockLoginThrottle::new(),
    );
    svc.logout("known").await.unwrap();
    svc.logout("stale").await.unwrap();
}

#[tokio::test]
async fn a_password_change_saves_the_new_hash_then_ends_every_session_of_the_account() {
    let mut accounts = MockAccountRepository::new();
    accounts
        .expect_find_by_login()
        .with(eq("li"))
        .returning(|_| Ok(Some(account(None))));
    let mut seq = mockall::Sequence::new();
    accounts
        .expect_set_password_hash()
        .with(eq(AdminUserId(7)), eq("hash of new-secret"))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _| Ok(true));
    let mut sessions = MockSessionStore::new();
    sessions
        .expect_delete_account()
        .with(eq(AdminUserId(7)))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok(()));
    let hasher = hashing();
    let id = service(accounts, sessions, hasher, MockLoginThrottle::new())
        .change_password(" li ", "new-secret")
        .await
        .unwrap();
    assert_eq!(id, AdminUserId(7));
}

#[tokio::test]
async fn a_password_change_refuses_bad_passwords_and_unknown_names_and_changes_nothing() {
    // No expectation on set_password_hash or delete_account: calling either fails the test.
    let mut accounts = MockAccountRepository::new();
    accounts.expect_find_by_login().returning(|_| Ok(None));
    let hasher = hashing();
    let svc = service(
        accounts,
        MockSessionStore::new(),
        hasher,
        MockLoginThrottle::new(),
    );
    for bad in ["", "short12", &"x".repeat(MAX_PASSWORD_BYTES + 1)] {
        let err = svc.change_password("li", bad).await.unwrap_err();
        assert!(
            matches!(&err, ServiceError::Invalid(m) if m.contains("password")),
            "{err:?}"
        );
    }
    // Eight characters, counted as characters, not bytes.
    assert!(matches!(
        svc.change_password("nobody", "密碼密碼密碼密碼").await,
        Err(ServiceError::NotFound("account"))
    ));
}

#[tokio::test]
async fn a_password_change_reports_sessions_it_could_not_end() {
    let mut accounts = MockAccountRepository::new();
    accounts
        .expect_find_by_login()
        .returning(|_| Ok(Some(account(None))));
    accounts
        .expect_set_password_hash()
        .times(1)
        .returning(|_, _| Ok(true));
    let mut sessions = MockSessionStore::new();
    sessions
        .expect_delete_account()
        .returning(|_| Err(StoreError::Unavailable("redis down".into())));
    let hasher = hashing();
    let err = service(accounts, sessions, hasher, MockLoginThrottle::new())
        .change_password("li", "new-secret")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Store(StoreError::Unavailable(_))),
        "{err:?}"
    );
}
