//! The login, logout, authentication and password-change use cases.

use std::sync::Arc;

use super::model::{LoginOutcome, SessionData, check_password};
use super::ports::SessionStore;
use crate::account::{AccountRepository, PasswordHasher};
use crate::throttle::LoginThrottle;
use crate::{AdminUserId, Scope, ServiceError};

/// The login, logout and authentication use cases.
pub struct AuthService {
    accounts: Arc<dyn AccountRepository>,
    sessions: Arc<dyn SessionStore>,
    hasher: Arc<dyn PasswordHasher>,
    throttle: Arc<dyn LoginThrottle>,
}

/// Verified against when the login name is unknown, so both cases cost the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2NybS1kdW1teS1zYWx0$kq7bZlqmk9VxgQbdYW9jvBmGqC3Hq3ZCGzZ+3yZsKp4";

impl AuthService {
    pub fn new(
        accounts: Arc<dyn AccountRepository>,
        sessions: Arc<dyn SessionStore>,
        hasher: Arc<dyn PasswordHasher>,
        throttle: Arc<dyn LoginThrottle>,
    ) -> Self {
        Self {
            accounts,
            sessions,
            hasher,
            throttle,
        }
    }

    /// Logs in with a login name and password, from `client_addr` (as the HTTP adapter forms
    /// it). The attempt is first admitted by the throttle, which counts it as failed until
    /// the password matches; a refused attempt has its password not even checked. Unknown
    /// names are counted like known ones, so the answers do not tell them apart.
    ///
    /// # Errors
    /// `Invalid` when a field is empty, `RateLimited` when the name or the address has too
    /// many recent failures, `Unauthorized` for a wrong name or password (the same answer for
    /// both), `Store` when a store fails.
    pub async fn login(
        &self,
        login_name: &str,
        password: &str,
        client_addr: &str,
    ) -> Result<LoginOutcome, ServiceError> {
        let login_name = login_name.trim();
        if login_name.is_empty() {
            return Err(ServiceError::invalid("loginName", "is required"));
        }
        if password.is_empty() {
            return Err(ServiceError::invalid("password", "is required"));
        }
        // Login names match by `login_key` (case-insensitively), so `Admin` and `admin` share
        // one count.
        let counted_name = crate::account::login_key(login_name);
        if let Some(retry) = self.throttle.admit(&counted_name, client_addr).await? {
            return Err(ServiceError::RateLimited {
                retry_after_secs: retry.0,
            });
        }
        let account = self.accounts.find_by_login(login_name).await?;
        let hash = account
            .as_ref()
            .and_then(|a| a.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches = self.hasher.verify(password, &hash).await;
        let account = match account {
            Some(a) if matches && a.password_hash.is_some() => a,
            _ => return Err(ServiceError::Unauthorized),
        };
        self.throttle
            .record_success(&counted_name, client_addr)
            .await?;
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

    /// Changes the password of the account with this login name and ends every session of
    /// that account, so whoever held the old password is logged out everywhere. The hash is
    /// saved first: when ending the sessions fails, the error says so and running the change
    /// again (same password) finishes it.
    ///
    /// # Errors
    /// `Invalid` for a password shorter than `MIN_PASSWORD_CHARS` or longer than
    /// `MAX_PASSWORD_BYTES`, `NotFound` for an unknown login name, `Store` when a store fails.
    pub async fn change_password(
        &self,
        login_name: &str,
        new_password: &str,
    ) -> Result<AdminUserId, ServiceError> {
        check_password(new_password)?;
        let account = self
            .accounts
            .find_by_login(login_name.trim())
            .await?
            .ok_or(ServiceError::NotFound("account"))?;
        let hash = self.hasher.hash(new_password).await?;
        if !self.accounts.set_password_hash(account.id, &hash).await? {
            return Err(ServiceError::NotFound("account"));
        }
        self.sessions.delete_account(account.id).await?;
        Ok(account.id)
    }

    /// Logout: ends every session of the token's account (on every device), so a stolen or
    /// forgotten session cannot outlive it.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn logout(&self, token: &str) -> Result<(), ServiceError> {
        match self.sessions.get(token).await? {
            Some(data) => self.sessions.delete_account(data.admin_user_id).await?,
            None => self.sessions.delete(token).await?,
        }
        Ok(())
    }
}
