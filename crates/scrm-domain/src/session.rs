//! Sessions: login, logout and turning a bearer token into the caller's scope.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::account::{AccountRepository, PasswordHasher};
use crate::{AdminUserId, Scope, ServiceError, StoreError};

/// What a session remembers about its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionData {
    pub admin_user_id: AdminUserId,
    pub tenant_id: AdminUserId,
}

impl SessionData {
    /// The scope of the session's account.
    pub fn scope(&self) -> Scope {
        Scope {
            account: self.admin_user_id,
            tenant: self.tenant_id,
        }
    }
}

/// Stores sessions with an expiry. The adapter makes the token.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Creates a session and returns its bearer token.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn create(&self, data: SessionData) -> Result<String, StoreError>;

    /// The session of a token, renewing its expiry; `None` when unknown or expired.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn get(&self, token: &str) -> Result<Option<SessionData>, StoreError>;

    /// Ends a session; unknown tokens are ignored.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn delete(&self, token: &str) -> Result<(), StoreError>;

    /// Seconds a session lives without use.
    fn ttl_secs(&self) -> u64;
}

/// A successful login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    pub token: String,
    pub admin_user_id: AdminUserId,
    pub expires_in: u64,
}

/// The login, logout and authentication use cases.
pub struct AuthService {
    accounts: Arc<dyn AccountRepository>,
    sessions: Arc<dyn SessionStore>,
    hasher: Arc<dyn PasswordHasher>,
}

/// Verified against when the login name is unknown, so both cases cost the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2NybS1kdW1teS1zYWx0$kq7bZlqmk9VxgQbdYW9jvBmGqC3Hq3ZCGzZ+3yZsKp4";

impl AuthService {
    pub fn new(
        accounts: Arc<dyn AccountRepository>,
        sessions: Arc<dyn SessionStore>,
        hasher: Arc<dyn PasswordHasher>,
    ) -> Self {
        Self {
            accounts,
            sessions,
            hasher,
        }
    }

    /// Logs in with a login name and password.
    ///
    /// # Errors
    /// `Invalid` when a field is empty, `Unauthorized` for a wrong name or password (the same
    /// answer for both), `Store` when a store fails.
    pub async fn login(
        &self,
        login_name: &str,
        password: &str,
    ) -> Result<LoginOutcome, ServiceError> {
        if login_name.trim().is_empty() {
            return Err(ServiceError::invalid("loginName", "is required"));
        }
        if password.is_empty() {
            return Err(ServiceError::invalid("password", "is required"));
        }
        let account = self.accounts.find_by_login(login_name.trim()).await?;
        let hash = account
            .as_ref()
            .and_then(|a| a.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches = self.hasher.verify(password, &hash).await;
        let account = match account {
            Some(a) if matches && a.password_hash.is_some() => a,
            _ => return Err(ServiceError::Unauthorized),
        };
        let data = SessionData {
            admin_user_id: account.id,
            tenant_id: account.parent_id.unwrap_or(account.id),
        };
        let token = self.sessions.create(data).await?;
        Ok(LoginOutcome {
            token,
            admin_user_id: account.id,
            expires_in: self.sessions.ttl_secs(),
        })
    }

    /// The scope of a bearer token.
    ///
    /// # Errors
    /// `Unauthorized` for an unknown or expired token, `Store` when the store fails.
    pub async fn authenticate(&self, token: &str) -> Result<Scope, ServiceError> {
        if token.is_empty() {
            return Err(ServiceError::Unauthorized);
        }
        match self.sessions.get(token).await? {
            Some(data) => Ok(data.scope()),
            None => Err(ServiceError::Unauthorized),
        }
    }

    /// Ends the session of a token.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn logout(&self, token: &str) -> Result<(), ServiceError> {
        self.sessions.delete(token).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Account, MockAccountRepository, MockPasswordHasher};
    use mockall::predicate::eq;

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
    ) -> AuthService {
        AuthService::new(Arc::new(accounts), Arc::new(sessions), Arc::new(hasher))
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
        let out = service(accounts, sessions, hasher)
            .login(" li ", "pw")
            .await
            .unwrap();
        assert_eq!(out.token, "tok");
        assert_eq!(out.expires_in, 600);
    }

    #[tokio::test]
    async fn wrong_password_and_unknown_name_answer_alike() {
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
        let svc = service(accounts, sessions, hasher);
        assert_eq!(
            svc.login("li", "bad").await,
            Err(ServiceError::Unauthorized)
        );
        assert_eq!(
            svc.login("nobody", "bad").await,
            Err(ServiceError::Unauthorized)
        );
    }

    #[tokio::test]
    async fn empty_fields_are_named() {
        let svc = service(
            MockAccountRepository::new(),
            MockSessionStore::new(),
            MockPasswordHasher::new(),
        );
        assert_eq!(
            svc.login("", "x").await,
            Err(ServiceError::invalid("loginName", "is required"))
        );
        assert_eq!(
            svc.login("a", "").await,
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
        );
        assert_eq!(svc.authenticate("x").await, Err(ServiceError::Unauthorized));
        assert_eq!(svc.authenticate("").await, Err(ServiceError::Unauthorized));
        assert!(matches!(
            svc.authenticate("down").await,
            Err(ServiceError::Store(_))
        ));
    }
}
